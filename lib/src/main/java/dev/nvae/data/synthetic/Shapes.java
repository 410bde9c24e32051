package dev.nvae.data.synthetic;

import dev.nvae.data.Dataset;
import dev.nvae.random.Rng;

import java.util.List;

/**
 * 28×28 shapes with known factors, for testing what the N-VAE claims to find (docs/MODEL.md#4, use 1):
 * position (x, y) and scale are shared by every class; the triangle also has a rotation, the ellipse an
 * aspect ratio, and the square nothing of its own. Factor values come from small grids (like dSprites),
 * drawn independently and uniformly per example, so each factor's entropy is known.
 *
 * <p>Shapes are white on black, anti-aliased by 4×4 supersampling of an exact inside test, so an image
 * is a pure function of its factor values.
 */
public final class Shapes {
    public static final int SIZE = 28;
    public static final List<String> CLASSES = List.of("triangle", "ellipse", "square");
    public static final int TRIANGLE = 0, ELLIPSE = 1, SQUARE = 2;
    public static final List<Factor> FACTORS = List.of(
            new Factor("pos_x", Factor.SHARED), new Factor("pos_y", Factor.SHARED), new Factor("scale", Factor.SHARED),
            new Factor("rotation", "triangle"), new Factor("aspect", "ellipse"));
    public static final int POS_X = 0, POS_Y = 1, SCALE = 2, ROTATION = 3, ASPECT = 4;

    /**
     * Centre in pixels: the largest shape (radius 10) stays inside the frame at every position. Shapes are
     * large so that rotation and aspect ratio change many pixels: a factor worth few nats of reconstruction
     * is rightly left unencoded by a model whose class KL costs β_c per nat.
     */
    static final double[] POSITIONS = grid(11, 17, 7);
    /** Circumradius in pixels. */
    static final double[] SCALES = grid(7, 10, 4);
    /**
     * Degrees. The triangle is isosceles (a wedge pointing up), which repeats only every 360°: the images
     * of an equilateral one would repeat every 120° and bend ±45° into nearly a closed loop, which a model
     * rightly encodes with two dimensions, not one.
     */
    static final double[] ROTATIONS = grid(-45, 45, 7);
    /** Width / height of the ellipse. */
    static final double[] ASPECTS = grid(0.3, 1.0, 6);

    private static final int SUPERSAMPLE = 4;

    private Shapes() {
    }

    private static double[] grid(double from, double to, int n) {
        double[] g = new double[n];
        for (int i = 0; i < n; i++) g[i] = from + (to - from) * i / (n - 1);
        return g;
    }

    /** A generated set: images and labels as a dataset, and each example's factor values. */
    public record Generated(Dataset data, KnownFactors factors) {
    }

    /**
     * {@code count} examples, classes in turn (0, 1, 2, 0, ...) so every class has a third, factors drawn
     * from stream (seed, example index): any prefix of a larger set is the smaller set.
     */
    public static Generated generate(String name, int count, long seed) {
        if (count < 0) throw new IllegalArgumentException("count " + count);
        int d = SIZE * SIZE;
        byte[] images = new byte[Math.multiplyExact(count, d)];
        byte[] labels = new byte[count];
        float[][] values = new float[count][FACTORS.size()];
        float[] pixels = new float[d];
        for (int i = 0; i < count; i++) {
            int y = i % CLASSES.size();
            Rng rng = Rng.stream(seed, i);
            float[] v = values[i];
            v[POS_X] = (float) pick(POSITIONS, rng);
            v[POS_Y] = (float) pick(POSITIONS, rng);
            v[SCALE] = (float) pick(SCALES, rng);
            double rotation = pick(ROTATIONS, rng), aspect = pick(ASPECTS, rng); // drawn for every class: streams stay aligned
            v[ROTATION] = y == TRIANGLE ? (float) rotation : Float.NaN;
            v[ASPECT] = y == ELLIPSE ? (float) aspect : Float.NaN;
            render(y, v, pixels);
            for (int j = 0; j < d; j++) images[i * d + j] = (byte) Math.round(pixels[j] * 255f);
            labels[i] = (byte) y;
        }
        return new Generated(new Dataset(name, images, labels, SIZE, SIZE, CLASSES), new KnownFactors(FACTORS, values));
    }

    private static double pick(double[] grid, Rng rng) {
        return grid[rng.nextInt(grid.length)];
    }

    /** Coverage of each pixel by shape {@code y} with factor values {@code v}, in [0,1]. */
    static void render(int y, float[] v, float[] out) {
        double cx = v[POS_X], cy = v[POS_Y], r = v[SCALE];
        double theta = y == TRIANGLE ? Math.toRadians(v[ROTATION]) : 0;
        double cos = Math.cos(theta), sin = Math.sin(theta);
        double aspect = y == ELLIPSE ? v[ASPECT] : 1;
        int n = SUPERSAMPLE;
        for (int py = 0; py < SIZE; py++) {
            for (int px = 0; px < SIZE; px++) {
                int inside = 0;
                for (int sy = 0; sy < n; sy++) {
                    for (int sx = 0; sx < n; sx++) {
                        // Sample point relative to the centre, y up; rotate into the shape's own frame.
                        double dx = px + (sx + 0.5) / n - cx, dy = cy - (py + (sy + 0.5) / n);
                        double u = cos * dx + sin * dy, w = -sin * dx + cos * dy;
                        if (inside(y, u / r, w / r, aspect)) inside++;
                    }
                }
                out[py * SIZE + px] = inside / (float) (n * n);
            }
        }
    }

    /** Inside test in units of the circumradius. */
    private static boolean inside(int y, double u, double w, double aspect) {
        return switch (y) {
            // Isosceles triangle with apex (0, 1) and base corners (±0.6, −0.7): three half-planes.
            case TRIANGLE -> w >= -0.7 && w <= 1 - (1.7 / 0.6) * u && w <= 1 + (1.7 / 0.6) * u;
            // Height 2 (radius 1 vertically), width 2·aspect.
            case ELLIPSE -> (u / aspect) * (u / aspect) + w * w <= 1;
            // Axis-aligned square inscribed in the unit circle.
            case SQUARE -> Math.abs(u) <= Math.sqrt(0.5) && Math.abs(w) <= Math.sqrt(0.5);
            default -> throw new IllegalArgumentException("class " + y);
        };
    }
}
