package dev.nvae.analysis.metrics;

import dev.nvae.random.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link Mmd#test} evaluates its permutations in batches through the kernel's row sums; here it must give what
 * summing each permutation's pairs directly gives — the statistic of every split and so the same p-value — and
 * its median by selection must be the sorted array's.
 */
class MmdTest {

    /** Sample sizes whose sum is not a multiple of the product's four partial sums, permutation counts around a batch. */
    @ParameterizedTest
    @CsvSource({"37, 23, 70, 3", "2, 2, 5, 1", "40, 40, 32, 2", "15, 50, 33, 5", "64, 9, 1, 4"})
    void permutationsGiveWhatSummingTheirPairsDirectlyGives(int n, int m, int permutations, int dims) {
        Rng rng = Rng.stream(11, n, m);
        double[][] x = new double[n][dims], y = new double[m][dims];
        for (double[] p : x) for (int j = 0; j < dims; j++) p[j] = 0.3 + 1.2 * rng.nextGaussian();
        for (double[] p : y) for (int j = 0; j < dims; j++) p[j] = rng.nextGaussian();
        long seed = 99;
        Mmd fast = Mmd.test(x, y, permutations, seed);

        int total = n + m;
        double[][] z = new double[total][];
        System.arraycopy(x, 0, z, 0, n);
        System.arraycopy(y, 0, z, n, m);
        double[] pairs = new double[total * (total - 1) / 2];
        for (int i = 0, u = 0; i < total; i++) for (int j = i + 1; j < total; j++) pairs[u++] = squared(z[i], z[j]);
        Arrays.sort(pairs);
        int c = pairs.length;
        double h = Math.sqrt(c % 2 == 1 ? pairs[c / 2] : 0.5 * (pairs[c / 2 - 1] + pairs[c / 2]));
        assertEquals(h, fast.bandwidth(), 1e-15 * h, "median pooled distance");

        int[] perm = new int[total];
        for (int i = 0; i < total; i++) perm[i] = i;
        double observed = direct(z, perm, n, h);
        assertEquals(observed, fast.mmd2(), 1e-12, "MMD² of the samples as given");
        // The permutations Mmd.test draws: the same stream, one Fisher–Yates shuffle each.
        // A split equal to the samples' own (certain with 2 + 2 points) ties with the observed statistic up to
        // rounding, which either way of summing may put on either side: such ties may count or not.
        Rng shuffles = Rng.stream(seed, 0x3DD);
        int above = 0, tiesToo = 0;
        for (int p = 0; p < permutations; p++) {
            shuffles.permutation(perm);
            double s = direct(z, perm, n, h);
            if (s > observed + Mmd.TIE) above++;
            if (s >= observed - Mmd.TIE) tiesToo++;
        }
        // Ties up to rounding count (Mmd.TIE): exactly the direct count with its own tolerance.
        assertEquals((1.0 + tiesToo) / (1.0 + permutations), fast.pValue(), 1e-15,
                "p-value over " + permutations + " permutations (" + above + " strictly above, " + tiesToo + " with ties)");
        assertEquals(permutations, fast.permutations());
    }

    @ParameterizedTest
    @CsvSource({"1, 0", "2, 0", "7, 3", "1000, 1000000", "1001, 5", "4096, 2", "999, 0"})
    void theMedianBySelectionIsTheSortedArraysMedian(int length, int distinctValues) {
        Rng rng = Rng.stream(5, length, distinctValues);
        double[] v = new double[length];
        // distinctValues 0: all equal (a collapsed posterior's distances); a few: many ties.
        for (int i = 0; i < length; i++) v[i] = distinctValues == 0 ? 2.5 : rng.nextInt(distinctValues) * 0.5;
        double[] sorted = v.clone();
        Arrays.sort(sorted);
        double expected = length % 2 == 1 ? sorted[length / 2] : 0.5 * (sorted[length / 2 - 1] + sorted[length / 2]);
        assertEquals(expected, Mmd.medianInPlace(v), 0);
        for (int k : new int[]{0, length / 3, length - 1}) {
            double[] w = sorted.clone();
            shuffle(w, Rng.stream(7, k));
            assertEquals(sorted[k], Mmd.select(w, k), 0, "select k = " + k);
        }
    }

    /**
     * With n = m the samples swapped are a split of their own, and small samples have few splits: a split that ties the
     * observed statistic up to rounding counts whichever sample comes first (it once depended on the order: 0.1929 one
     * way, 0.1449 the other, for these points).
     */
    @org.junit.jupiter.api.Test
    void thePValueDoesNotDependOnWhichSampleComesFirst() {
        double[][] x = {{0.1}, {0.47}, {0.84}}, y = {{0.2}, {-1.1}, {-2.4}};
        Mmd xy = Mmd.test(x, y, 2000, 5), yx = Mmd.test(y, x, 2000, 5);
        assertEquals(xy.mmd2(), yx.mmd2(), 1e-14);
        assertEquals(xy.pValue(), yx.pValue(), 0);
    }

    @org.junit.jupiter.api.Test
    void aNonFiniteCoordinateIsRefused() {
        double[][] x = {{0.1, 2}, {0.4, Double.NaN}, {1, 1}}, y = {{0, 0}, {1, Double.POSITIVE_INFINITY}, {2, 2}};
        assertEquals("a point has a coordinate of NaN", org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Mmd.test(x, new double[][]{{0, 0}, {1, 1}}, 10, 0)).getMessage());
        assertEquals("a point has a coordinate of Infinity", org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Mmd.test(new double[][]{{0, 0}, {1, 1}}, y, 10, 0)).getMessage());
    }

    @org.junit.jupiter.api.Test
    void moreThanOneArrayOfPairsIsRefusedBeforeAnythingIsAllocated() {
        double[][] x = new double[Mmd.MAX_POINTS / 2 + 1][1], y = new double[Mmd.MAX_POINTS / 2][1];
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Mmd.test(x, y, 0, 0));
        assertEquals("65537 points have 2147516416 pairs, more than one array holds (at most 65536 points)", e.getMessage());
    }

    /** Unbiased MMD² of the split perm[0..n) | perm[n..), summing every pair's kernel. */
    private static double direct(double[][] z, int[] perm, int n, double h) {
        int total = z.length, m = total - n;
        double xx = 0, yy = 0, xy = 0;
        for (int a = 0; a < total; a++) {
            for (int b = a + 1; b < total; b++) {
                double k = Math.exp(-squared(z[perm[a]], z[perm[b]]) / (2 * h * h));
                if (a < n && b < n) xx += k;
                else if (a >= n && b >= n) yy += k;
                else xy += k;
            }
        }
        return 2 * xx / ((double) n * (n - 1)) + 2 * yy / ((double) m * (m - 1)) - 2 * xy / ((double) n * m);
    }

    private static double squared(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            double t = a[k] - b[k];
            s += t * t;
        }
        return s;
    }

    private static void shuffle(double[] w, Rng rng) {
        for (int i = w.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            double t = w[i];
            w[i] = w[j];
            w[j] = t;
        }
    }
}
