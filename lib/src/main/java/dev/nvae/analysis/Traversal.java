package dev.nvae.analysis;

import dev.nvae.NvaeException;
import dev.nvae.backend.Backend;
import dev.nvae.data.Dataset;
import dev.nvae.model.LatentModel;
import dev.nvae.model.ModelConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * Latent traversals (docs/MODEL.md#4, use 2): one latent dimension swept over a range of values while the
 * rest of the latent stays at a base point, decoded. A grid row is one (class, dimension) pair, a column
 * one value. The paper's shared-factor figure is {@link #sharedAcrossClasses}: one shared dimension,
 * decoded for every class.
 */
public final class Traversal {
    private Traversal() {
    }

    /**
     * Where a traversal starts: the shared latent (a baseline's z) and one class's latent. The prior mean is
     * all zeros; an example's posterior mean has its own class's latent, and the other classes' latents
     * stay at their prior mean (they were never trained on that example).
     *
     * @param ownClass the class whose latent {@code own} is, or −1 for none (prior mean everywhere)
     */
    public record Base(float[] shared, float[] own, int ownClass) {
        public static Base priorMean(ModelConfig c) {
            return new Base(new float[c.ds()], new float[c.dc()], -1);
        }

        /** The posterior mean of example {@code index} of {@code data}, given its true label. */
        public static Base ofExample(LatentModel model, Backend be, Dataset data, int index) {
            if (index < 0 || index >= data.count()) {
                throw new NvaeException("--from-example " + index + " is out of range: the split has " + data.count() + " examples");
            }
            PosteriorMeans m = Sampler.posteriorMeans(model, be, data.subset(new int[]{index}));
            return new Base(m.shared()[0], m.own()[0], m.labels()[0]);
        }

        /** The whole latent [z_s | z_c] for decoding as class k. */
        float[] latentFor(int k) {
            float[] z = new float[shared.length + own.length];
            System.arraycopy(shared, 0, z, 0, shared.length);
            if (k == ownClass) System.arraycopy(own, 0, z, shared.length, own.length);
            return z;
        }
    }

    /** One grid row: decode as {@code classIndex}, sweeping latent index {@code dim} of [z_s | z_c]. */
    public record Row(String label, int classIndex, int dim) {
    }

    /** Shared dimension {@code dim} decoded for every class (a VAE, which has no classes: one row). */
    public static List<Row> sharedAcrossClasses(ModelConfig c, List<String> classNames, int dim) {
        checkShared(c, dim);
        List<Row> rows = new ArrayList<>();
        if (!c.isConditional()) {
            rows.add(new Row("z" + dim, 0, dim));
        } else {
            for (int k = 0; k < c.numClasses(); k++) rows.add(new Row(classNames.get(k), k, dim));
        }
        return rows;
    }

    /** Every shared dimension, decoded as class k (ignored by a VAE). */
    public static List<Row> allShared(ModelConfig c, int k) {
        List<Row> rows = new ArrayList<>();
        String s = c.isNvae() ? "s" : "z";
        for (int j = 0; j < c.ds(); j++) rows.add(new Row(s + j, c.isConditional() ? k : 0, j));
        return rows;
    }

    /** Every dimension of class k's own latent (N-VAE). */
    public static List<Row> classDimensions(ModelConfig c, int k) {
        if (!c.isNvae()) throw new IllegalArgumentException("a " + c.model() + " has no class latents");
        List<Row> rows = new ArrayList<>();
        for (int j = 0; j < c.dc(); j++) rows.add(new Row("c" + j, k, c.ds() + j));
        return rows;
    }

    private static void checkShared(ModelConfig c, int dim) {
        if (dim < 0 || dim >= c.ds()) {
            throw new NvaeException((c.isNvae() ? "--shared-dim " : "--z-dim ") + dim + " is out of range: the " + (c.isNvae() ? "shared latent" : "latent z")
                    + " has dimensions 0.." + (c.ds() - 1));
        }
    }

    /** {@code n} evenly spaced values from {@code from} to {@code to}, ends included. */
    public static double[] steps(double from, double to, int n) {
        if (n < 2) throw new NvaeException("--steps " + n + " must be at least 2");
        // The latents are floats: a value past float's range would be decoded as infinity, into garbage pixels.
        if (!Float.isFinite((float) from) || !Float.isFinite((float) to) || !(to > from)) {
            throw new NvaeException("--range " + from + "," + to + ": expected two finite numbers within float's range (about ±3.4e38), "
                    + "the first smaller");
        }
        double[] s = new double[n];
        for (int i = 0; i < n; i++) s[i] = from + (to - from) * i / (n - 1);
        return s;
    }

    /**
     * Column labels of a traversal grid: each step's value exactly where a few decimals hold it ({@code -2.5},
     * {@code -1.25}, {@code 0}, {@code +0.625}), positive values signed so that the columns read as offsets,
     * no trailing zeros. Decimals follow the spacing of the steps (two more than its first significant
     * digit needs, at most 12); values of 10⁷ or more in magnitude in four significant digits; and where
     * neighbours would still share a label, every label in as many significant digits as tells them apart.
     */
    public static List<String> columnLabels(double[] values) {
        double spacing = values.length > 1 ? Math.abs(values[1] - values[0]) : 1;
        int decimals = spacing > 0 ? Math.clamp((int) Math.ceil(-Math.log10(spacing)) + 2, 0, 12) : 3;
        List<String> labels = new ArrayList<>(values.length);
        for (double v : values) {
            String text;
            if (Math.abs(v) >= 1e7) {
                text = String.format(java.util.Locale.ROOT, "%+.4g", v);
            } else {
                java.math.BigDecimal d = java.math.BigDecimal.valueOf(v).setScale(decimals, java.math.RoundingMode.HALF_EVEN).stripTrailingZeros();
                text = d.signum() == 0 ? "0" : (d.signum() > 0 ? "+" : "") + d.toPlainString();
            }
            labels.add(text);
        }
        // Steps closer than the fixed forms can tell apart (spacing below 1e-10, or ten millions apart by less than
        // their fourth digit): significant digits, as many as it takes for neighbours to differ.
        for (int digits = 5; digits <= 17 && !neighboursDiffer(labels); digits++) {
            labels.clear();
            for (double v : values) labels.add(v == 0 ? "0" : String.format(java.util.Locale.ROOT, "%+." + digits + "g", v));
        }
        return labels;
    }

    private static boolean neighboursDiffer(List<String> labels) {
        for (int i = 1; i < labels.size(); i++) if (labels.get(i).equals(labels.get(i - 1))) return false;
        return true;
    }

    /** The grid, row by row: image (r, s) is row r's latent with its dimension set to steps[s]. */
    public static float[][] decode(LatentModel model, Backend be, List<Row> rows, Base base, double[] steps) {
        int n = rows.size() * steps.length;
        float[][] latents = new float[n][];
        int[] labels = new int[n];
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            for (int s = 0; s < steps.length; s++) {
                float[] z = base.latentFor(row.classIndex());
                z[row.dim()] = (float) steps[s];
                latents[r * steps.length + s] = z;
                labels[r * steps.length + s] = row.classIndex();
            }
        }
        return Sampler.decode(model, be, latents, labels);
    }
}
