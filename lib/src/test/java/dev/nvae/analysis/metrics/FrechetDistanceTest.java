package dev.nvae.analysis.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvae.model.TestPaths;
import dev.nvae.random.Rng;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Fréchet distance against FID's reference computation (numpy covariances, scipy's sqrtm of the
 * product: testdata/golden/make_golden_fd.py), and against closed forms.
 */
class FrechetDistanceTest {
    @Test
    void matchesTheReferenceImplementation() throws IOException {
        JsonNode golden = new ObjectMapper().readTree(Files.readString(TestPaths.repoRoot().resolve("testdata/golden/frechet.json")));
        for (String name : new String[]{"full", "rank_deficient"}) {
            JsonNode c = golden.get(name);
            double expected = c.get("fd").asDouble();
            double fd = FrechetDistance.between(rows(c.get("x")), rows(c.get("y")));
            assertEquals(expected, fd, 1e-6 * expected, name);
        }
    }

    @Test
    void commutingCovariancesGiveTheClosedForm() {
        // Independent coordinates, so both covariances are (nearly) diagonal; the exact moments of the samples
        // enter the formula, so compare with the closed form on those moments: Σ (m1 - m2)² + Σ (s1 - s2)².
        Rng rng = Rng.stream(3, 1);
        int n = 4000, d = 5;
        float[][] x = new float[n][d], y = new float[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = (float) (j + (1 + j) * rng.nextGaussian());
                y[i][j] = (float) (-j + 0.5 * rng.nextGaussian());
            }
        }
        FrechetDistance.Moments p = FrechetDistance.moments(x), q = FrechetDistance.moments(y);
        double[][] cp = p.covariance(), cq = q.covariance();
        for (int a = 0; a < d; a++) for (int b = 0; b < d; b++) if (a != b) cp[a][b] = cq[a][b] = 0;
        double expected = 0;
        for (int j = 0; j < d; j++) {
            expected += Math.pow(p.mean()[j] - q.mean()[j], 2) + Math.pow(Math.sqrt(cp[j][j]) - Math.sqrt(cq[j][j]), 2);
        }
        assertEquals(expected, FrechetDistance.between(p, q), 1e-9 * expected);
    }

    @Test
    void aSetIsAtDistanceZeroFromItselfAndTheDistanceIsSymmetric() {
        Rng rng = Rng.stream(4, 1);
        float[][] x = new float[300][12], y = new float[200][12];
        for (float[] r : x) for (int j = 0; j < r.length; j++) r[j] = (float) rng.nextGaussian();
        for (float[] r : y) for (int j = 0; j < r.length; j++) r[j] = (float) (rng.nextGaussian() * (1 + j % 3) + (j == 0 ? 1 : 0));
        assertEquals(0, FrechetDistance.between(x, x), 1e-9);
        double xy = FrechetDistance.between(x, y), yx = FrechetDistance.between(y, x);
        assertTrue(xy > 1, "different sets are apart: " + xy);
        assertEquals(xy, yx, 1e-9 * xy);
    }

    private static float[][] rows(JsonNode a) {
        float[][] out = new float[a.size()][];
        for (int i = 0; i < a.size(); i++) {
            out[i] = new float[a.get(i).size()];
            for (int j = 0; j < out[i].length; j++) out[i][j] = (float) a.get(i).get(j).asDouble();
        }
        return out;
    }
}
