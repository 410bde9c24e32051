package dev.nvae.analysis;

import dev.nvae.analysis.metrics.ClusterAgreement;
import dev.nvae.random.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KMeansTest {
    /** Four well separated blobs in 3-D: every restart finds them; the result is a function of the seed. */
    @Test
    void findsSeparatedBlobsDeterministically() {
        Rng rng = new Rng(1);
        int n = 400;
        float[][] x = new float[n][3];
        int[] truth = new int[n];
        for (int i = 0; i < n; i++) {
            truth[i] = i % 4;
            for (int j = 0; j < 3; j++) x[i][j] = (float) ((j == truth[i] % 3 ? 10 : 0) + (truth[i] == 3 ? -10 : 0) + rng.nextGaussian());
        }
        KMeans.Result a = KMeans.fit(x, 4, 3, 7), b = KMeans.fit(x, 4, 3, 7);
        assertArrayEquals(a.clusters(), b.clusters());
        ClusterAgreement agreement = ClusterAgreement.of(a.clusters(), 4, truth, 4);
        assertEquals(1, agreement.accuracy());
        assertTrue(a.inertia() < 3 * n * 1.5, "inertia " + a.inertia() + " is about the noise's 3 per point");
    }

    /** The best of several restarts is never worse than the first alone. */
    @Test
    void restartsKeepTheLowestInertia() {
        Rng rng = new Rng(2);
        float[][] x = new float[300][2];
        for (float[] p : x) {
            p[0] = (float) rng.nextGaussian();
            p[1] = (float) rng.nextGaussian();
        }
        assertTrue(KMeans.fit(x, 6, 8, 3).inertia() <= KMeans.fit(x, 6, 1, 3).inertia());
    }
}
