package dev.nvae.analysis;

import dev.nvae.NvaeException;
import dev.nvae.random.Rng;

/**
 * k-means (Lloyd's iterations) from k-means++ seeding (Arthur &amp; Vassilvitskii 2007), best of several
 * restarts by the within-cluster sum of squares: the baseline that clusters a plain VAE's latent means.
 * Restart r draws from stream (seed, r), so the result is a function of the points and the seed.
 */
public final class KMeans {
    static final int MAX_ITERATIONS = 300;

    private KMeans() {
    }

    /** The partition found: cluster of every point, the centres (k, dims), and its within-cluster sum of squares. */
    public record Result(int[] clusters, double[][] centres, double inertia) {
    }

    /** More restarts than this stop paying: the best inertia settles long before, and each is a full Lloyd run. */
    public static final int MAX_RESTARTS = 1000;

    public static Result fit(float[][] points, int k, int restarts, long seed) {
        if (k < 2) throw new NvaeException("--clusters " + k + " must be at least 2");
        requireRestarts(restarts);
        if (points.length < k) throw new NvaeException(points.length + " points cannot make " + k + " clusters");
        Result best = null;
        for (int r = 0; r < restarts; r++) {
            Result run = lloyd(points, seeding(points, k, Rng.stream(seed, r)));
            if (best == null || run.inertia < best.inertia) best = run;
        }
        return best;
    }

    /** Refuses a restart count outside 1..{@link #MAX_RESTARTS}, before any work depends on it. */
    public static void requireRestarts(int restarts) {
        if (restarts < 1 || restarts > MAX_RESTARTS) {
            throw new NvaeException("--restarts " + restarts + " must be from 1 to " + MAX_RESTARTS);
        }
    }

    /**
     * k-means++: the first centre uniformly, each next one with probability proportional to the squared
     * distance to the nearest centre chosen so far.
     */
    static double[][] seeding(float[][] x, int k, Rng rng) {
        int n = x.length;
        double[][] centres = new double[k][];
        centres[0] = toDouble(x[rng.nextInt(n)]);
        double[] nearest = new double[n];
        for (int i = 0; i < n; i++) nearest[i] = distance(x[i], centres[0]);
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (double d : nearest) total += d;
            int pick = n - 1;
            double target = rng.nextDouble() * total, acc = 0;
            for (int i = 0; i < n; i++) {
                acc += nearest[i];
                if (acc > target) {
                    pick = i;
                    break;
                }
            }
            centres[c] = toDouble(x[pick]);
            for (int i = 0; i < n; i++) nearest[i] = Math.min(nearest[i], distance(x[i], centres[c]));
        }
        return centres;
    }

    /** Assign to the nearest centre, move each centre to its points' mean, until no point changes cluster. */
    static Result lloyd(float[][] x, double[][] centres) {
        int n = x.length, k = centres.length, dims = centres[0].length;
        int[] cluster = new int[n];
        java.util.Arrays.fill(cluster, -1);
        double inertia = 0;
        for (int it = 0; it < MAX_ITERATIONS; it++) {
            boolean changed = false;
            inertia = 0;
            for (int i = 0; i < n; i++) {
                int best = 0;
                double bestD = distance(x[i], centres[0]);
                for (int c = 1; c < k; c++) {
                    double d = distance(x[i], centres[c]);
                    if (d < bestD) {
                        bestD = d;
                        best = c;
                    }
                }
                inertia += bestD;
                if (cluster[i] != best) {
                    cluster[i] = best;
                    changed = true;
                }
            }
            if (!changed) break;
            double[][] sum = new double[k][dims];
            int[] count = new int[k];
            for (int i = 0; i < n; i++) {
                count[cluster[i]]++;
                for (int j = 0; j < dims; j++) sum[cluster[i]][j] += x[i][j];
            }
            for (int c = 0; c < k; c++) {
                if (count[c] == 0) continue; // an emptied cluster keeps its centre
                for (int j = 0; j < dims; j++) centres[c][j] = sum[c][j] / count[c];
            }
        }
        return new Result(cluster, centres, inertia);
    }

    private static double distance(float[] a, double[] b) {
        double d = 0;
        for (int j = 0; j < b.length; j++) {
            double t = a[j] - b[j];
            d += t * t;
        }
        return d;
    }

    private static double[] toDouble(float[] a) {
        double[] out = new double[a.length];
        for (int j = 0; j < a.length; j++) out[j] = a[j];
        return out;
    }
}
