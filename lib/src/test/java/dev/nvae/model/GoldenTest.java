package dev.nvae.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvae.backend.Backend;
import dev.nvae.backend.CudaTestSupport;
import dev.nvae.backend.VectorBackend;
import dev.nvae.optim.Adam;
import dev.nvae.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end against an independent implementation: testdata/golden/make_golden.py runs
 * the same tiny N-VAE in PyTorch float64 with fixed weights, data and noise; we compare the loss terms,
 * every gradient tensor, and a five-step Adam loss curve with the final weights.
 */
class GoldenTest {
    private static JsonNode golden;
    private static ModelConfig config;
    private static Backend backend;

    @BeforeAll
    static void load() throws IOException {
        Path file = TestPaths.repoRoot().resolve("testdata/golden/nvae_tiny.json");
        golden = new ObjectMapper().readTree(Files.readString(file));
        JsonNode c = golden.get("config");
        config = new ModelConfig(ModelConfig.NVAE, ModelConfig.MLP, 1, c.get("D").asInt(), c.get("K").asInt(),
                c.get("H1").asInt(), c.get("H2").asInt(), c.get("ds").asInt(), c.get("dc").asInt(),
                c.get("beta_c").asDouble(), c.get("alpha").asDouble());
        backend = new VectorBackend(2);
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    private static LatentModel modelWithGoldenWeights() {
        LatentModel m = LatentModel.create(config);
        golden.get("params").fields().forEachRemaining(e -> m.params().get(e.getKey()).copyFrom(floats(e.getValue().get("data"))));
        return m;
    }

    private static Workspace batch(LatentModel m, JsonNode eps) {
        int b = golden.get("config").get("B").asInt();
        Workspace ws = m.workspace(b);
        ws.x.copyFrom(floats(golden.get("x")));
        ws.eps.copyFrom(floats(eps));
        for (int i = 0; i < b; i++) ws.labels[i] = golden.get("labels").get(i).asInt();
        return ws;
    }

    @Test
    void lossTermsAndEveryGradientMatchPyTorch() {
        lossTermsAndEveryGradient(backend);
    }

    @Test
    void adamLossCurveAndFinalWeightsMatchPyTorch() {
        adamLossCurveAndFinalWeights(backend);
    }

    /** The same two checks on the cuda backend (its CPU stub in mvn test; see CudaTestSupport). */
    @Test
    @Tag("cuda")
    void matchPyTorchOnCuda() {
        try (Backend cuda = CudaTestSupport.open(2)) {
            lossTermsAndEveryGradient(cuda);
            adamLossCurveAndFinalWeights(cuda);
        }
    }

    private static void lossTermsAndEveryGradient(Backend backend) {
        try (LatentModel m = modelWithGoldenWeights(); Workspace ws = batch(m, golden.get("eps"))) {
            int b = ws.capacity;
            BatchLoss loss = new BatchLoss();
            m.grads().zero();
            m.forwardBackward(backend, ws, b, loss);
            JsonNode t = golden.get("terms");
            assertEquals(t.get("rec").asDouble(), loss.meanRec(), 1e-5, "rec");
            assertEquals(t.get("kl_s").asDouble(), loss.meanKlS(), 1e-6, "kl_s");
            assertEquals(t.get("kl_c").asDouble(), loss.meanKlC(), 1e-6, "kl_c");
            assertEquals(t.get("ce").asDouble(), loss.meanCe(), 1e-6, "ce");
            assertEquals(t.get("loss").asDouble(), loss.meanTotal(), 1e-5, "loss");
            int checked = 0;
            var it = golden.get("grads").fields();
            while (it.hasNext()) {
                var e = it.next();
                assertClose(e.getValue(), m.grads().get(e.getKey()), 2e-5, "grad " + e.getKey());
                checked++;
            }
            assertEquals(m.params().layout().entries().size(), checked, "every parameter tensor has a golden gradient");
            // The forward intermediates, from the model's forward pieces: a backend with its own memory (cuda)
            // keeps a training step's heads and decoder output there.
            m.encode(backend, ws, b);
            m.decode(backend, ws, m.posteriorToDecoderInput(ws, b));
            assertClose(golden.get("heads"), ws.heads, 1e-5, "heads");
            assertClose(golden.get("logits_x"), ws.logitsX, 1e-5, "logits_x");
        }
    }

    private static void adamLossCurveAndFinalWeights(Backend backend) {
        double lr = golden.get("config").get("lr").asDouble();
        try (LatentModel m = modelWithGoldenWeights(); Workspace ws = batch(m, golden.get("eps"));
             Adam adam = new Adam(m.params(), m.grads(), lr)) {
            JsonNode steps = golden.get("adam").get("eps_steps");
            JsonNode losses = golden.get("adam").get("losses");
            for (int s = 0; s < steps.size(); s++) {
                ws.eps.copyFrom(floats(steps.get(s)));
                BatchLoss loss = new BatchLoss();
                m.grads().zero();
                m.forwardBackward(backend, ws, ws.capacity, loss);
                assertEquals(losses.get(s).asDouble(), loss.meanTotal(), 1e-4, "loss at Adam step " + (s + 1));
                adam.step();
            }
            golden.get("adam").get("final_params").fields().forEachRemaining(e ->
                    assertClose(e.getValue(), m.params().get(e.getKey()), 1e-4, "final " + e.getKey()));
        }
    }

    static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = (float) array.get(i).asDouble();
        return out;
    }

    static void assertClose(JsonNode expected, Tensor actual, double tol, String what) {
        assertTrue(expected.size() <= actual.size(), what + ": size");
        for (int i = 0; i < expected.size(); i++) {
            double e = expected.get(i).asDouble();
            assertEquals(e, actual.getFlat(i), tol * Math.max(1, Math.abs(e)), what + " [" + i + "]");
        }
    }
}
