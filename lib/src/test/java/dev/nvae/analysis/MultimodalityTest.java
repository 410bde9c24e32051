package dev.nvae.analysis;

import dev.nvae.analysis.metrics.KnnDivergence;
import dev.nvae.analysis.metrics.Mmd;
import dev.nvae.random.Rng;
import dev.nvae.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the aggregate-posterior measures can see. Ten tight clusters evenly spaced on a circle, with
 * within-cluster sd 0.15 and radius chosen so that the mixture has mean 0 and covariance I exactly, are
 * as far from N(0, I) as a distribution can look — KL ≈ 1.49 nats, ten separate modes — yet their Gaussian
 * fit is N(0, I) and scores 0. MMD (RBF, median bandwidth, permutation test) and the kNN divergence must
 * tell them apart; on a sample of N(0, I) itself they must not.
 */
class MultimodalityTest {
    private static final int CLUSTERS = 10, N = 1000;
    private static final double SD = 0.15, RADIUS = Math.sqrt(2 * (1 - SD * SD));

    private static double[][] mixture(long seed) {
        Rng rng = Rng.stream(seed, 1);
        double[][] z = new double[N][2];
        for (int i = 0; i < N; i++) {
            double a = 2 * Math.PI * rng.nextInt(CLUSTERS) / CLUSTERS;
            z[i][0] = RADIUS * Math.cos(a) + SD * rng.nextGaussian();
            z[i][1] = RADIUS * Math.sin(a) + SD * rng.nextGaussian();
        }
        return z;
    }

    private static double[][] normal(long seed) {
        Rng rng = Rng.stream(seed, 2);
        double[][] z = new double[N][2];
        for (double[] p : z) {
            p[0] = rng.nextGaussian();
            p[1] = rng.nextGaussian();
        }
        return z;
    }

    /** The Gaussian fit of the exact mixture (its ten components as posteriors): mean 0, covariance I. */
    private static AggregatePosterior gaussianFitOfTheMixture() {
        GaussianFit f = new GaussianFit("mixture", 2);
        try (Arena arena = Arena.ofConfined()) {
            Tensor h = Tensor.allocate(arena, "h", CLUSTERS, 4);
            for (int c = 0; c < CLUSTERS; c++) {
                double a = 2 * Math.PI * c / CLUSTERS;
                h.set(c, 0, (float) (RADIUS * Math.cos(a)));
                h.set(c, 1, (float) (RADIUS * Math.sin(a)));
                h.set(c, 2, (float) Math.log(SD * SD));
                h.set(c, 3, (float) Math.log(SD * SD));
                f.set(h, c, 0, 2, 2, 0);
                f.commit();
            }
        }
        return f.result();
    }

    @Test
    void aGaussianFitCannotSeeTenClustersButMmdAndKnnCan() {
        AggregatePosterior fit = gaussianFitOfTheMixture();
        Mmd apart = Mmd.test(mixture(1), normal(3), 199, 5);
        Mmd same = Mmd.test(normal(4), normal(3), 199, 5);
        double knnApart = KnnDivergence.estimate(mixture(1), normal(3), 5);
        double knnSame = KnnDivergence.estimate(normal(4), normal(3), 5);
        double truth = 2 * Math.log(1 / SD) - Math.log(CLUSTERS); // −H(P) − E_P log N(0,I) for separated clusters
        System.out.printf(Locale.ROOT, "ten clusters vs N(0,I): Gaussian-fit KL %.4f (full %.4f); MMD² %.4f p=%.4f (h %.3f); "
                        + "kNN KL %.3f (truth %.3f)%nN(0,I) vs N(0,I):       MMD² %.5f p=%.4f; kNN KL %.3f%n",
                fit.klDiagonal(), fit.klFull(), apart.mmd2(), apart.pValue(), apart.bandwidth(), knnApart, truth,
                same.mmd2(), same.pValue(), knnSame);

        assertEquals(0, fit.klFull(), 1e-5, "the mixture's moments are N(0, I)'s: the Gaussian fit sees nothing");
        assertTrue(apart.pValue() < 0.01, "MMD separates the clusters from N(0,I): p " + apart.pValue());
        assertTrue(same.pValue() > 0.05, "MMD does not separate N(0,I) from itself: p " + same.pValue());
        assertTrue(apart.mmd2() > 20 * Math.abs(same.mmd2()), apart.mmd2() + " vs " + same.mmd2());
        assertEquals(truth, knnApart, 0.25, "kNN KL near the mixture's true KL");
        assertEquals(0, knnSame, 0.1, "kNN KL of N(0,I) to itself");
    }

    @Test
    void theUnbiasedEstimatorIsCenteredAndThePermutationTestIsCalibrated() {
        // Twenty pairs of N(0, I) samples: MMD² averages near 0 (unbiased), and p-values are not all small.
        double sum = 0;
        int small = 0;
        for (int s = 0; s < 20; s++) {
            Mmd m = Mmd.test(slice(normal(100 + s), 200), slice(normal(200 + s), 200), 99, s);
            sum += m.mmd2();
            if (m.pValue() < 0.05) small++;
        }
        assertEquals(0, sum / 20, 2e-3, "mean MMD² over equal distributions");
        assertTrue(small <= 4, small + " of 20 equal-distribution tests rejected at 5%");
    }

    @Test
    void mmdSquaredIsTheUStatisticOfItsDefinition() {
        double[][] x = slice(mixture(7), 9), y = slice(normal(8), 6);
        Mmd m = Mmd.test(x, y, 0, 0);
        double h2 = m.bandwidth() * m.bandwidth(), xx = 0, yy = 0, xy = 0;
        for (int i = 0; i < x.length; i++) for (int j = 0; j < x.length; j++) if (i != j) xx += rbf(x[i], x[j], h2);
        for (int i = 0; i < y.length; i++) for (int j = 0; j < y.length; j++) if (i != j) yy += rbf(y[i], y[j], h2);
        for (double[] a : x) for (double[] b : y) xy += rbf(a, b, h2);
        double expected = xx / (9.0 * 8) + yy / (6.0 * 5) - 2 * xy / (9.0 * 6);
        assertEquals(expected, m.mmd2(), 1e-12);
    }

    private static double rbf(double[] a, double[] b, double h2) {
        double d0 = a[0] - b[0], d1 = a[1] - b[1];
        return Math.exp(-(d0 * d0 + d1 * d1) / (2 * h2));
    }

    private static double[][] slice(double[][] z, int n) {
        return java.util.Arrays.copyOf(z, n);
    }
}
