package dev.nvae.analysis.metrics;

import dev.nvae.random.Rng;

/**
 * Maximum mean discrepancy between two samples (Gretton et al. 2012), with a Gaussian RBF kernel
 * k(a, b) = exp(−‖a − b‖² / (2h²)) whose bandwidth h is the median distance between points of the pooled
 * sample (the median heuristic), the unbiased estimator of MMD², and a permutation test of "both samples
 * come from one distribution".
 *
 * <p>Unlike a comparison of means and covariances, MMD with a characteristic kernel is zero only for equal
 * distributions: ten well-separated clusters whose mixture has zero mean and unit variance are far from
 * N(0, I) here, while their Gaussian fit is N(0, I) itself.
 *
 * @param mmd2      the unbiased estimate of MMD² (can be slightly negative when the samples agree)
 * @param bandwidth h, the median pooled pairwise distance
 * @param pValue    (1 + permutations with MMD² ≥ the observed) / (1 + permutations)
 */
public record Mmd(double mmd2, double bandwidth, double pValue, int permutations) {

    /**
     * @param x            n points (rows) of one sample
     * @param y            m points of the other, of the same dimension; n, m ≥ 2
     * @param permutations label permutations of the pooled sample for the p-value (0: none, p-value NaN)
     * @param seed         the permutations' stream
     */
    public static Mmd test(double[][] x, double[][] y, int permutations, long seed) {
        int n = x.length, m = y.length;
        if (n < 2 || m < 2) throw new IllegalArgumentException("MMD needs at least 2 points per sample, got " + n + " and " + m);
        if (permutations < 0) throw new IllegalArgumentException("permutations " + permutations + " < 0");
        int d = x[0].length;
        double[][] z = new double[n + m][];
        for (int i = 0; i < n; i++) z[i] = requireDim(x[i], d);
        for (int j = 0; j < m; j++) z[n + j] = requireDim(y[j], d);
        int total = n + m;
        // Squared distances once; the kernel matrix is reused by every permutation. (N·N doubles: callers cap N.)
        double[] sq = new double[Math.multiplyExact(total, total)];
        double[] upper = new double[total * (total - 1) / 2];
        for (int i = 0, u = 0; i < total; i++) {
            for (int j = i + 1; j < total; j++, u++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    double t = z[i][k] - z[j][k];
                    s += t * t;
                }
                sq[i * total + j] = sq[j * total + i] = s;
                upper[u] = s;
            }
        }
        double h = Math.sqrt(medianInPlace(upper)); // upper is scratch: a sorted copy was another N²/2 doubles
        if (!(h > 0)) h = 1; // every point equal: any bandwidth gives MMD² = 0
        double[] kernel = sq; // in place: k = exp(−d² / 2h²)
        double scale = -1 / (2 * h * h);
        for (int i = 0; i < kernel.length; i++) kernel[i] = Math.exp(kernel[i] * scale);
        int[] perm = new int[total];
        for (int i = 0; i < total; i++) perm[i] = i;
        double all = withinSum(kernel, total, perm, 0, total);
        double observed = mmd2(kernel, total, perm, n, all);
        if (permutations == 0) return new Mmd(observed, h, Double.NaN, 0);
        Rng rng = Rng.stream(seed, 0x3DD);
        int atLeast = 0;
        for (int p = 0; p < permutations; p++) {
            rng.permutation(perm);
            if (mmd2(kernel, total, perm, n, all) >= observed) atLeast++;
        }
        return new Mmd(observed, h, (1.0 + atLeast) / (1.0 + permutations), permutations);
    }

    /**
     * Unbiased MMD² with points perm[0..n) as the first sample and perm[n..) as the second. The cross term
     * is the sum over all pairs (fixed, {@code all}) less the two within-sample sums, so a permutation costs
     * (n² + m²)/2 kernel reads, not (n + m)²/2.
     */
    static double mmd2(double[] k, int total, int[] perm, int n, double all) {
        int m = total - n;
        double xx = withinSum(k, total, perm, 0, n), yy = withinSum(k, total, perm, n, total);
        double xy = all - xx - yy;
        return 2 * xx / ((double) n * (n - 1)) + 2 * yy / ((double) m * (m - 1)) - 2 * xy / ((double) n * m);
    }

    /** Σ over pairs a &lt; b in perm[from..to) of k[perm[a], perm[b]]. */
    private static double withinSum(double[] k, int total, int[] perm, int from, int to) {
        double sum = 0;
        for (int a = from; a < to; a++) {
            int row = perm[a] * total;
            for (int b = a + 1; b < to; b++) sum += k[row + perm[b]];
        }
        return sum;
    }

    private static double[] requireDim(double[] p, int d) {
        if (p.length != d) throw new IllegalArgumentException("points of " + p.length + " and " + d + " dimensions");
        return p;
    }

    /**
     * The heap {@link #test} takes for n + m points: the kernel matrix and its upper triangle, in doubles. Callers cap the
     * points so that this fits (2,000 points: 48 MB).
     */
    public static long heapBytes(int points) {
        return ((long) points * points + (long) points * (points - 1) / 2) * Double.BYTES;
    }

    /** The median of {@code v}, which it sorts. */
    static double medianInPlace(double[] v) {
        double[] s = v;
        java.util.Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }
}
