package dev.nvae.analysis.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvae.model.TestPaths;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * MIG, SAP, DCI, the kNN divergence and the clustering agreement against an independent implementation of their
 * definitions in numpy, scipy and scikit-learn (testdata/golden/make_golden_metrics.py, which writes metrics.json):
 * every score and every per-factor, per-latent and per-pair value. null in the file is NaN (a constant factor).
 */
class MetricsGoldenTest {
    /**
     * Both sides compute the same closed-form arithmetic in double, only rounding separates them: 1e-9 relative, and
     * 1e-11 absolute for values that are 0 up to rounding (an R² of 6e-8 between nearly independent columns, one of
     * them at 1e5 ± 7, comes out of numpy's centring and nvae's 1e-13 apart; all these values are of order 1).
     */
    private static final Tolerance EXACT = new Tolerance(1e-9, 1e-11);
    /**
     * DCI's weights come from two iterative Lasso solvers (nvae's stops when no weight moves by 1e-10 in a sweep,
     * scikit-learn's on a duality gap of 1e-14): their optima agree to about 1e-9, so the importances, entropies and
     * errors built on them are held to 1e-7, absolute (an importance is often exactly 0).
     */
    private static final Tolerance LASSO = new Tolerance(0, 1e-7);

    private record Tolerance(double relative, double absolute) {
    }

    private static JsonNode golden;

    @BeforeAll
    static void read() throws IOException {
        golden = new ObjectMapper().readTree(Files.readString(TestPaths.repoRoot().resolve("testdata/golden/metrics.json")));
    }

    @Test
    void migMatchesTheReference() {
        JsonNode c = golden.get("disentanglement");
        double[][] z = matrix(c.get("z")), v = matrix(c.get("v"));
        for (JsonNode g : c.get("mig")) {
            int bins = g.get("bins").asInt();
            Mig.Result r = Mig.compute(z, v, bins);
            String at = "MIG, " + bins + " bins";
            close(scalar(g.get("score")), r.score(), EXACT, at + ": score");
            close(vector(g.get("perFactor")), r.perFactor(), EXACT, at + ": gap");
            close(vector(g.get("entropy")), r.entropy(), EXACT, at + ": entropy");
            close(matrix(g.get("mutualInformation")), r.mutualInformation(), EXACT, at + ": mutual information");
        }
    }

    @Test
    void sapMatchesTheReference() {
        JsonNode c = golden.get("disentanglement"), g = c.get("sap");
        Sap.Result r = Sap.compute(matrix(c.get("z")), matrix(c.get("v")));
        close(scalar(g.get("score")), r.score(), EXACT, "SAP: score");
        close(vector(g.get("perFactor")), r.perFactor(), EXACT, "SAP: gap");
        close(matrix(g.get("scores")), r.scores(), EXACT, "SAP: R²");
    }

    @Test
    void dciMatchesTheReference() {
        int i = 0;
        for (JsonNode g : golden.get("dci")) {
            String at = "DCI case " + i++;
            Dci.Result r = Dci.compute(matrix(g.get("z")), matrix(g.get("v")));
            close(matrix(g.get("importance")), r.importance(), LASSO, at + ": importance");
            close(scalar(g.get("disentanglement")), r.disentanglement(), LASSO, at + ": D");
            close(scalar(g.get("completeness")), r.completeness(), LASSO, at + ": C");
            close(scalar(g.get("informativeness")), r.informativeness(), LASSO, at + ": I");
            close(vector(g.get("disentanglementPerLatent")), r.disentanglementPerLatent(), LASSO, at + ": D per latent");
            close(vector(g.get("completenessPerFactor")), r.completenessPerFactor(), LASSO, at + ": C per factor");
            close(vector(g.get("errorPerFactor")), r.errorPerFactor(), LASSO, at + ": error per factor");
        }
    }

    @Test
    void dciBreaksAValidationTieTowardsTheLargestAlpha() {
        // Case 0's factor 0 is 3·z0 + 5 and z0 sits at its training mean on the validation rows: every α predicts
        // them exactly, so α = 0.1 must be kept and the weight is 1 − 0.1 (a smaller α would give 1 − α).
        Dci.Result r = Dci.compute(matrix(golden.get("dci").get(0).get("z")), matrix(golden.get("dci").get(0).get("v")));
        assertEquals(0.1, golden.get("dci").get(0).get("alpha").get(0).asDouble());
        assertEquals(0.9, r.importance()[0][0], LASSO.absolute());
    }

    @Test
    void aConstantFactorWhoseMeanRoundsIsStillConstant() {
        // Factor 3 is 4.2 on every row (0.1 in the DCI case): the summed mean is off by an ulp, the 1/N variance is
        // ~1e-30 instead of 0, yet the factor is constant and must be left out of SAP's mean, DCI's C and error.
        JsonNode c = golden.get("inexact_constant"), g = c.get("sap");
        Sap.Result sap = Sap.compute(matrix(c.get("z")), matrix(c.get("v")));
        close(vector(g.get("perFactor")), sap.perFactor(), EXACT, "SAP, inexact constant: gap");
        close(scalar(g.get("score")), sap.score(), EXACT, "SAP, inexact constant: score");
        JsonNode d = c.get("dci");
        Dci.Result dci = Dci.compute(matrix(d.get("z")), matrix(d.get("v")));
        close(vector(d.get("errorPerFactor")), dci.errorPerFactor(), LASSO, "DCI, inexact constant: error per factor");
        close(vector(d.get("completenessPerFactor")), dci.completenessPerFactor(), LASSO, "DCI, inexact constant: C per factor");
        close(scalar(d.get("informativeness")), dci.informativeness(), LASSO, "DCI, inexact constant: I");
        close(scalar(d.get("completeness")), dci.completeness(), LASSO, "DCI, inexact constant: C");
        close(scalar(d.get("disentanglement")), dci.disentanglement(), LASSO, "DCI, inexact constant: D");
    }

    @Test
    void knnDivergenceMatchesTheReference() {
        int i = 0;
        for (JsonNode g : golden.get("knn")) {
            double[][] x = matrix(g.get("x")), y = matrix(g.get("y"));
            for (int j = 0; j < g.get("k").size(); j++) {
                int k = g.get("k").get(j).asInt();
                close(scalar(g.get("estimate").get(j)), KnnDivergence.estimate(x, y, k), EXACT, "kNN case " + i + ", k = " + k);
            }
            i++;
        }
    }

    @Test
    void clusterAgreementMatchesTheReference() {
        int i = 0;
        for (JsonNode g : golden.get("clusters")) {
            String at = "clusters case " + i++;
            ClusterAgreement a = ClusterAgreement.of(ints(g.get("clusters")), g.get("k").asInt(), ints(g.get("labels")), g.get("classes").asInt());
            close(scalar(g.get("accuracy")), a.accuracy(), EXACT, at + ": ACC");
            close(scalar(g.get("nmi")), a.nmi(), EXACT, at + ": NMI");
            close(scalar(g.get("ari")), a.ari(), EXACT, at + ": ARI");
            close(vector(g.get("sizes")), a.sizes(), EXACT, at + ": sizes");
            assertEquals(g.get("labelled").asLong(), a.labelled(), at + ": labelled");
            if (!g.get("classOf").isNull()) assertArrayEquals(ints(g.get("classOf")), a.classOf(), at + ": classOf"); // null: the best matching is not unique
        }
    }

    /** |actual − expected| ≤ relative · |expected| + absolute; NaN only where NaN is expected. */
    private static void close(double expected, double actual, Tolerance tolerance, String what) {
        if (Double.isNaN(expected) || Double.isNaN(actual)) {
            if (Double.isNaN(expected) != Double.isNaN(actual)) fail(what + ": expected " + expected + ", got " + actual);
            return;
        }
        assertEquals(expected, actual, tolerance.relative() * Math.abs(expected) + tolerance.absolute(), what);
    }

    private static void close(double[] expected, double[] actual, Tolerance tolerance, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) close(expected[i], actual[i], tolerance, what + " [" + i + "]");
    }

    private static void close(double[][] expected, double[][] actual, Tolerance tolerance, String what) {
        assertEquals(expected.length, actual.length, what + ": rows");
        for (int i = 0; i < expected.length; i++) close(expected[i], actual[i], tolerance, what + " [" + i + "]");
    }

    /** A JSON number, or NaN for null (the script writes an undefined score as null; asDouble() would read 0). */
    private static double scalar(JsonNode v) {
        return v.isNull() ? Double.NaN : v.asDouble();
    }

    private static double[] vector(JsonNode a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).isNull() ? Double.NaN : a.get(i).asDouble();
        return out;
    }

    private static double[][] matrix(JsonNode a) {
        double[][] out = new double[a.size()][];
        for (int i = 0; i < out.length; i++) out[i] = vector(a.get(i));
        return out;
    }

    private static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).asInt();
        assertTrue(out.length > 0);
        return out;
    }
}
