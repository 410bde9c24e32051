package dev.nvae.analysis.metrics;

import dev.nvae.kernels.DoubleDot;
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
 * @param pValue    (1 + permutations with MMD² ≥ the observed, ties up to rounding included) / (1 + permutations)
 */
public record Mmd(double mmd2, double bandwidth, double pValue, int permutations) {

    /**
     * @param x            n points (rows) of one sample, every coordinate finite
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
        long pairCount = (long) total * (total - 1) / 2;
        if (pairCount > MAX_PAIRS) {
            throw new IllegalArgumentException(total + " points have " + pairCount + " pairs, more than one array holds (at most "
                    + MAX_POINTS + " points)");
        }
        // The squared distance of every pair once, then the kernel in its place, reused by every permutation: a packed
        // upper triangle, row i holding k(i, j) for j > i (callers cap the points: N²/2 doubles).
        double[] kernel = new double[(int) pairCount];
        for (int i = 0, u = 0; i < total; i++) {
            for (int j = i + 1; j < total; j++, u++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    double t = z[i][k] - z[j][k];
                    s += t * t;
                }
                kernel[u] = s;
            }
        }
        double h = Math.sqrt(medianInPlace(kernel.clone())); // the selection reorders its array
        if (!(h > 0)) h = 1; // every point equal: any bandwidth gives MMD² = 0
        double scale = -1 / (2 * h * h);
        double[] rowSums = new double[total];
        double all = 0;
        for (int i = 0, u = 0; i < total; i++) {
            for (int j = i + 1; j < total; j++, u++) {
                double k = Math.exp(kernel[u] * scale);
                kernel[u] = k;
                rowSums[i] += k;
                rowSums[j] += k;
                all += k;
            }
        }
        Pairs pairs = new Pairs(kernel, total, n, rowSums, all, Math.min(Math.max(permutations, 1), BATCH));
        int[] perm = new int[total];
        for (int i = 0; i < total; i++) perm[i] = i;
        pairs.add(perm);
        double observed = pairs.evaluate()[0];
        if (permutations == 0) return new Mmd(observed, h, Double.NaN, 0);
        Rng rng = Rng.stream(seed, 0x3DD);
        int atLeast = 0;
        for (int done = 0; done < permutations; ) {
            int batch = Math.min(BATCH, permutations - done);
            for (int p = 0; p < batch; p++) {
                rng.permutation(perm);
                pairs.add(perm);
            }
            double[] stats = pairs.evaluate();
            for (int p = 0; p < batch; p++) if (stats[p] >= observed - TIE) atLeast++;
            done += batch;
        }
        return new Mmd(observed, h, (1.0 + atLeast) / (1.0 + permutations), permutations);
    }

    /**
     * A split whose statistic equals the observed one up to rounding counts as "at least as far apart". Ties are
     * common in small blocks (6 + 6 draws have 924 splits; with n = m the samples swapped are one), and the same
     * value summed in another order can land an ulp below: counted or not by chance, the p-value then depended on
     * which sample came first. Every term of the statistic is at most 2 (kernel values are at most 1), so its rounding
     * is far below this.
     */
    static final double TIE = 1e-12;

    /** Permutations evaluated together: each pass over the kernel serves this many of them. */
    static final int BATCH = 32;

    /** The most pairs, and so points, one test takes: the packed triangle is one Java array. */
    private static final long MAX_PAIRS = Integer.MAX_VALUE - 8;
    public static final int MAX_POINTS = 65_536;

    /**
     * Unbiased MMD² of several splits of the pooled points at once. A split is a membership mask t (1 for the
     * first sample's points); with r_i the kernel's row sums and A the sum over all pairs, the three sums the
     * estimator needs follow from one quadratic form: XX = Σ_{i<j} t_i·t_j·k_ij, XY = Σ_i t_i·r_i − 2·XX,
     * YY = A − XX − XY. Evaluating XX for a batch of masks row by row reads the upper triangle in order, once
     * per batch, in vector dot products — where summing each permutation's pairs directly jumped about the
     * whole matrix for every permutation (the test took 1–3 s a block at 1,000 draws; now 0.1–0.4 s).
     */
    private static final class Pairs {
        private final double[] kernel, rowSums, products;
        private final double[][] masks;
        private final double all;
        private final int total, n;
        private int count;

        Pairs(double[] kernel, int total, int n, double[] rowSums, double all, int capacity) {
            this.kernel = kernel;
            this.total = total;
            this.n = n;
            this.rowSums = rowSums;
            this.all = all;
            this.masks = new double[capacity][total];
            this.products = new double[capacity];
        }

        /** Queues the split with perm[0..n) as the first sample. */
        void add(int[] perm) {
            double[] t = masks[count++];
            java.util.Arrays.fill(t, 0);
            for (int a = 0; a < n; a++) t[perm[a]] = 1;
        }

        /** MMD² of each queued split, in the order added; empties the queue. */
        double[] evaluate() {
            java.util.Arrays.fill(products, 0);
            for (int i = 0, row = 0; i < total - 1; row += total - 1 - i, i++) { // row: where row i of the triangle starts
                for (int p = 0; p < count; p++) {
                    if (masks[p][i] != 0) products[p] += DoubleDot.dot(kernel, row, masks[p], i + 1, total - 1 - i);
                }
            }
            int m = total - n;
            double[] out = new double[count];
            for (int p = 0; p < count; p++) {
                double xx = products[p], firstRows = 0;
                double[] t = masks[p];
                for (int i = 0; i < total; i++) firstRows += t[i] * rowSums[i];
                double xy = firstRows - 2 * xx, yy = all - xx - xy;
                out[p] = 2 * xx / ((double) n * (n - 1)) + 2 * yy / ((double) m * (m - 1)) - 2 * xy / ((double) n * m);
            }
            count = 0;
            return out;
        }
    }

    private static double[] requireDim(double[] p, int d) {
        if (p.length != d) throw new IllegalArgumentException("points of " + p.length + " and " + d + " dimensions");
        // A NaN distance has no place in the median and made MMD² NaN with the smallest p-value: the strongest rejection.
        for (double v : p) if (!Double.isFinite(v)) throw new IllegalArgumentException("a point has a coordinate of " + v);
        return p;
    }

    /**
     * The heap {@link #test} takes for n + m points: the kernel's packed triangle and a copy that the median reorders,
     * the row sums and a batch of membership masks, in doubles. Callers cap the points so that this fits (2,000 points:
     * 32.5 MB).
     */
    public static long heapBytes(int points) {
        return ((long) points * (points - 1) + (long) (BATCH + 1) * points) * Double.BYTES;
    }

    /** The median of {@code v}, whose order it changes: a selection, not a sort (N²/2 values per call). */
    static double medianInPlace(double[] v) {
        int n = v.length;
        double upperMiddle = select(v, n / 2);
        if (n % 2 == 1) return upperMiddle;
        double lowerMiddle = Double.NEGATIVE_INFINITY; // after select, v[0..n/2) holds the values at or below it
        for (int i = 0; i < n / 2; i++) lowerMiddle = Math.max(lowerMiddle, v[i]);
        return 0.5 * (lowerMiddle + upperMiddle);
    }

    /**
     * The k-th smallest of v (0-based), leaving v[0..k) at or below it and v(k..) at or above (Hoare's
     * selection with a three-way partition, so that many equal values — a collapsed posterior's distances —
     * cost no more than distinct ones; the pivot is the median of three, deterministic).
     */
    static double select(double[] v, int k) {
        int lo = 0, hi = v.length - 1;
        while (lo < hi) {
            double a = v[lo], b = v[lo + (hi - lo) / 2], c = v[hi];
            double pivot = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
            int lt = lo, i = lo, gt = hi;
            while (i <= gt) {
                double x = v[i];
                if (x < pivot) {
                    v[i++] = v[lt];
                    v[lt++] = x;
                } else if (x > pivot) {
                    v[i] = v[gt];
                    v[gt--] = x;
                } else {
                    i++;
                }
            }
            if (k < lt) hi = lt - 1;
            else if (k > gt) lo = gt + 1;
            else return pivot;
        }
        return v[k];
    }
}
