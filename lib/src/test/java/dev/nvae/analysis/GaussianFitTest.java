package dev.nvae.analysis;

import dev.nvae.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The aggregate-posterior fit on mixtures whose moments and KL are known in closed form. */
class GaussianFitTest {
    /** heads rows [μ0 μ1 | logσ²0 logσ²1]. */
    private static GaussianFit fit(double[][] mus, double[][] vars) {
        GaussianFit f = new GaussianFit("t", 2);
        try (Arena arena = Arena.ofConfined()) {
            Tensor h = Tensor.allocate(arena, "h", mus.length, 4);
            for (int i = 0; i < mus.length; i++) {
                for (int j = 0; j < 2; j++) {
                    h.set(i, j, (float) mus[i][j]);
                    h.set(i, 2 + j, (float) Math.log(vars[i][j]));
                }
                f.set(h, i, 0, 2, 2, 0);
                f.commit();
            }
        }
        return f;
    }

    @Test
    void theMixtureVarianceAddsTheSpreadOfTheMeansToTheMeanVariance() {
        // μ = (±1, 0), σ² = 1: mixture mean 0, variance (2, 1), no correlation.
        AggregatePosterior r = fit(new double[][]{{1, 0}, {-1, 0}}, new double[][]{{1, 1}, {1, 1}}).result();
        assertEquals(2, r.examples());
        assertArrayEquals(new double[]{0, 0}, r.mean(), 1e-7);
        assertArrayEquals(new double[]{2, 1}, r.variance(), 1e-6);
        double expected = 0.5 * (2 - 1 - Math.log(2));
        assertEquals(expected, r.klDiagonal(), 1e-6);
        assertEquals(expected, r.klFull(), 1e-6);
    }

    @Test
    void theFullFitChargesCorrelationTheDiagonalFitDoesNotSee() {
        // μ = ±(1, 1), σ² = 1: Σ = [[2, 1], [1, 2]], det 3.
        AggregatePosterior r = fit(new double[][]{{1, 1}, {-1, -1}}, new double[][]{{1, 1}, {1, 1}}).result();
        assertEquals(1 - Math.log(2), r.klDiagonal(), 1e-6);
        assertEquals(0.5 * (4 - 2 - Math.log(3)), r.klFull(), 1e-6);
        assertTrue(r.klFull() > r.klDiagonal());
    }

    @Test
    void aPosteriorEqualToThePriorHasZeroKl() {
        AggregatePosterior r = fit(new double[][]{{0, 0}, {0, 0}, {0, 0}}, new double[][]{{1, 1}, {1, 1}, {1, 1}}).result();
        assertEquals(0, r.klDiagonal(), 1e-9);
        assertEquals(0, r.klFull(), 1e-9);
    }

    @Test
    void anOffsetMeanCostsHalfItsSquaredNorm() {
        AggregatePosterior r = fit(new double[][]{{0.5, -2}}, new double[][]{{1, 1}}).result();
        assertEquals(0.5 * (0.25 + 4), r.klFull(), 1e-6);
    }
}
