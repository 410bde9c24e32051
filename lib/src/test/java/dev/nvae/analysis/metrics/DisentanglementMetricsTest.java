package dev.nvae.analysis.metrics;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MIG, SAP and DCI on constructed representations whose scores follow from the definitions. Two factors
 * on a full 5×5 grid, repeated in blocks of 25: the factors are exactly independent in every block, so
 * empirical mutual information and correlations between them are exactly 0, and DCI's in-order
 * 60/20/20 split (3, 1 and 1 blocks) keeps that in each part.
 */
class DisentanglementMetricsTest {
    private static final int BLOCKS = 5, LEVELS = 5;

    /** (N, 2) factor values: every (a, b) in 0..4 × 0..4 once per block. */
    private static double[][] factors() {
        double[][] v = new double[BLOCKS * LEVELS * LEVELS][];
        int i = 0;
        for (int block = 0; block < BLOCKS; block++) {
            for (int a = 0; a < LEVELS; a++) for (int b = 0; b < LEVELS; b++) v[i++] = new double[]{a, b};
        }
        return v;
    }

    private interface Code {
        double[] of(double a, double b);
    }

    private static double[][] latents(double[][] v, Code code) {
        double[][] z = new double[v.length][];
        for (int i = 0; i < v.length; i++) z[i] = code.of(v[i][0], v[i][1]);
        return z;
    }

    // ---- a perfect code: one latent per factor, scaled and shifted (the scores must not care) ----

    @Test
    void aPerfectCodeScoresOneOnEveryMetric() {
        double[][] v = factors();
        double[][] z = latents(v, (a, b) -> new double[]{3 * a - 1, -0.5 * b + 7});
        Mig.Result mig = Mig.compute(z, v, Mig.DEFAULT_BINS);
        assertEquals(1, mig.score(), 1e-12);
        assertEquals(Math.log(LEVELS), mig.entropy()[0], 1e-12);
        assertEquals(0, mig.mutualInformation()[0][1], 1e-12);
        Sap.Result sap = Sap.compute(z, v);
        assertEquals(1, sap.score(), 1e-12);
        Dci.Result dci = Dci.compute(z, v);
        assertEquals(1, dci.disentanglement(), 1e-12);
        assertEquals(1, dci.completeness(), 1e-12);
        assertEquals(0, dci.importance()[0][1], 0);
        assertEquals(0, dci.importance()[1][0], 0);
        assertTrue(dci.informativeness() < 0.01, "NRMSE " + dci.informativeness()); // only the Lasso's shrinkage
    }

    // ---- a copied latent: factor a is known to two latents, so its gap is 0; factor b's is 1 ----

    @Test
    void aDuplicatedLatentHalvesMigAndSap() {
        double[][] v = factors();
        double[][] z = latents(v, (a, b) -> new double[]{a, a, b});
        Mig.Result mig = Mig.compute(z, v, Mig.DEFAULT_BINS);
        assertArrayEquals(new double[]{0, 1}, mig.perFactor(), 1e-12);
        assertEquals(0.5, mig.score(), 1e-12);
        Sap.Result sap = Sap.compute(z, v);
        assertArrayEquals(new double[]{0, 1}, sap.perFactor(), 1e-12);
        assertEquals(0.5, sap.score(), 1e-12);
    }

    // ---- a rotated code: each latent mixes both factors equally ----

    @Test
    void aRotatedCodeHasNoDisentanglementOrCompleteness() {
        double[][] v = factors();
        double[][] z = latents(v, (a, b) -> new double[]{a + b, a - b});
        Dci.Result dci = Dci.compute(z, v);
        // Standardised a+b and a−b are uncorrelated with equal correlation 1/√2 to each factor: the Lasso
        // gives both latents the same |w| for each factor, P is uniform, and both entropies are maximal.
        assertEquals(0, dci.disentanglement(), 1e-9);
        assertEquals(0, dci.completeness(), 1e-9);
        assertEquals(dci.importance()[0][0], dci.importance()[1][0], 1e-12);
        Sap.Result sap = Sap.compute(z, v);
        assertEquals(0.5, sap.scores()[0][0], 1e-12); // R² = corr² = ½
        assertEquals(0, sap.score(), 1e-12);
        Mig.Result mig = Mig.compute(z, v, Mig.DEFAULT_BINS);
        assertTrue(mig.score() < 0.2, "MIG " + mig.score());
    }

    // ---- a code that ignores a factor ----

    @Test
    void aLatentOfPureNoiseCarriesNoInformationAndNoImportance() {
        double[][] v = factors();
        SplittableRandom r = new SplittableRandom(1);
        double[][] z = latents(v, (a, b) -> new double[]{a, r.nextGaussian()});
        Dci.Result dci = Dci.compute(z, v);
        assertTrue(dci.errorPerFactor()[0] < 0.01, "a is predicted: " + dci.errorPerFactor()[0]);
        assertTrue(dci.errorPerFactor()[1] > 0.9, "b is not: " + dci.errorPerFactor()[1]);
        assertTrue(dci.importance()[1][0] < 0.05 * dci.importance()[0][0], "noise gets (almost) no weight for a");
    }

    // ---- a factor that does not vary: nothing to predict, as MIG and SAP already said (NaN, left out of the mean) ----

    @Test
    void aConstantFactorHasNoDciErrorOrCompletenessAndStaysOutOfTheMean() {
        double[][] v = factors();
        for (double[] row : v) row[1] = 4;
        double[][] z = latents(v, (a, b) -> new double[]{a, 1});
        Dci.Result dci = Dci.compute(z, v);
        assertTrue(Double.isNaN(dci.errorPerFactor()[1]), "its NRMSE was 0, a perfect prediction: " + dci.errorPerFactor()[1]);
        assertTrue(Double.isNaN(dci.completenessPerFactor()[1]), "completeness " + dci.completenessPerFactor()[1]);
        assertEquals(dci.errorPerFactor()[0], dci.informativeness(), 0, "the mean is the one factor that varies");
        assertEquals(dci.completenessPerFactor()[0], dci.completeness(), 1e-12, "the one factor with importance");
        assertTrue(Double.isNaN(Mig.compute(z, v, Mig.DEFAULT_BINS).perFactor()[1]));
        assertTrue(Double.isNaN(Sap.compute(z, v).perFactor()[1]));
    }

    @Test
    void mutualInformationOfAColumnWithItselfIsItsEntropy() {
        int[] a = {0, 1, 1, 2, 2, 2, 3};
        assertEquals(Information.entropy(a), Information.mutualInformation(a, a), 1e-12);
        assertEquals(0, Information.mutualInformation(a, new int[7]), 1e-12);
        assertArrayEquals(new int[]{0, 0, 10, 19}, Information.histogram(new double[]{0, 0.01, 0.52, 1}, 20));
        assertArrayEquals(new int[]{2, 0, 1, 0}, Information.categories(new double[]{7, -1, 3, -1}, 20));
    }
}
