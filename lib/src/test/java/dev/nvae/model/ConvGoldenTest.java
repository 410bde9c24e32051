package dev.nvae.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvae.backend.Backend;
import dev.nvae.backend.Backends;
import dev.nvae.backend.CudaTestSupport;
import dev.nvae.backend.VectorBackend;
import dev.nvae.ffm.DnnlLibrary;
import dev.nvae.optim.Adam;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.nvae.model.GoldenTest.assertClose;
import static dev.nvae.model.GoldenTest.floats;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The conv N-VAE end to end against an independent implementation: testdata/golden/make_golden_conv.py
 * runs it in PyTorch float64 with fixed weights, data and noise, for a case where every 16-float vector
 * tile is full (1 channel, 8×8, channels 16,16, dense 16) and a ragged RGB one (3 channels, 8×12, 3,5,
 * dense 6). We compare heads, decoder output, loss terms, every gradient tensor and a three-step Adam
 * run, on both backends.
 */
class ConvGoldenTest {
    private static JsonNode golden(String c) throws IOException {
        return new ObjectMapper().readTree(Files.readString(TestPaths.repoRoot().resolve("testdata/golden/conv_" + c + ".json")));
    }

    private static ModelConfig config(JsonNode c) {
        return new ModelConfig(ModelConfig.NVAE, ModelConfig.CONV, c.get("H").asInt(), c.get("W").asInt(), c.get("K").asInt(),
                c.get("hidden").asInt(), 0, c.get("ds").asInt(), c.get("dc").asInt(), c.get("beta_c").asDouble(),
                c.get("alpha").asDouble(), 1, ModelConfig.BERNOULLI, 1, ModelConfig.BINARIZE_NONE, c.get("C").asInt(),
                List.of(c.get("c1").asInt(), c.get("c2").asInt()));
    }

    private static Backend backend(String name) {
        if (name.equals("cuda")) return CudaTestSupport.open(2);
        if (name.equals("onednn")) {
            Assumptions.assumeTrue(DnnlLibrary.isAvailable(), () -> "oneDNN unavailable: " + DnnlLibrary.unavailableReason());
            return Backends.create("onednn", 2);
        }
        return new VectorBackend(2);
    }

    private static LatentModel model(JsonNode g) {
        LatentModel m = LatentModel.create(config(g.get("config")));
        assertEquals(g.get("params").size(), m.params().layout().entries().size(), "every tensor has a golden value");
        g.get("params").fields().forEachRemaining(e -> {
            var entry = m.params().layout().entry(e.getKey());
            long[] shape = entry.shape();
            JsonNode want = e.getValue().get("shape");
            // The file shape: PyTorch's kernel layouts, [in, out] linear weights, [out] biases (golden: [1, out]).
            long[] golden = new long[want.size()];
            for (int i = 0; i < golden.length; i++) golden[i] = want.get(i).asLong();
            if (!e.getKey().endsWith(".b")) assertEquals(java.util.Arrays.toString(golden), java.util.Arrays.toString(shape), e.getKey());
            m.params().get(e.getKey()).copyFrom(floats(e.getValue().get("data")));
        });
        return m;
    }

    private static Workspace batch(LatentModel m, JsonNode g, JsonNode eps) {
        int b = g.get("config").get("B").asInt();
        Workspace ws = m.workspace(b);
        ws.x.copyFrom(floats(g.get("x")));
        ws.eps.copyFrom(floats(eps));
        for (int i = 0; i < b; i++) ws.labels[i] = g.get("labels").get(i).asInt();
        return ws;
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({"full, vector", "ragged, vector", "full, onednn", "ragged, onednn"})
    void lossTermsAndEveryGradientMatchPyTorch(String c, String backendName) throws IOException {
        JsonNode g = golden(c);
        try (Backend be = backend(backendName); LatentModel m = model(g); Workspace ws = batch(m, g, g.get("eps"))) {
            BatchLoss loss = new BatchLoss();
            m.forwardBackward(be, ws, ws.capacity, loss);
            JsonNode t = g.get("terms");
            assertEquals(t.get("rec").asDouble(), loss.meanRec(), 1e-4 * Math.abs(t.get("rec").asDouble()), "rec");
            assertEquals(t.get("kl_s").asDouble(), loss.meanKlS(), 1e-5, "kl_s");
            assertEquals(t.get("kl_c").asDouble(), loss.meanKlC(), 1e-5, "kl_c");
            assertEquals(t.get("ce").asDouble(), loss.meanCe(), 1e-5, "ce");
            assertEquals(t.get("loss").asDouble(), loss.meanTotal(), 1e-4 * Math.abs(t.get("loss").asDouble()), "loss");
            var it = g.get("grads").fields();
            int checked = 0;
            while (it.hasNext()) {
                var e = it.next();
                assertClose(e.getValue(), m.grads().get(e.getKey()), 2e-4, "grad " + e.getKey());
                checked++;
            }
            assertEquals(m.params().layout().entries().size(), checked, "every parameter tensor has a golden gradient");
            // The forward intermediates, from the model's forward pieces: a backend with its own memory (cuda)
            // keeps a training step's heads and decoder output there.
            m.encode(be, ws, ws.capacity);
            m.decode(be, ws, m.posteriorToDecoderInput(ws, ws.capacity));
            assertClose(g.get("heads"), ws.heads, 1e-4, "heads");
            assertClose(g.get("logits_x"), ws.logitsX, 1e-4, "logits_x");
        }
    }

    /** Both checks on the cuda backend (its CPU stub in mvn test; see CudaTestSupport). */
    @ParameterizedTest(name = "{0} on cuda")
    @ValueSource(strings = {"full", "ragged"})
    @Tag("cuda")
    void matchPyTorchOnCuda(String c) throws IOException {
        lossTermsAndEveryGradientMatchPyTorch(c, "cuda");
        adamLossCurveAndFinalWeightsMatchPyTorch(c, "cuda");
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({"full, vector", "ragged, vector", "ragged, onednn"})
    void adamLossCurveAndFinalWeightsMatchPyTorch(String c, String backendName) throws IOException {
        JsonNode g = golden(c);
        double lr = g.get("config").get("lr").asDouble();
        try (Backend be = backend(backendName); LatentModel m = model(g); Workspace ws = batch(m, g, g.get("eps"));
             Adam adam = new Adam(m.params(), m.grads(), lr)) {
            JsonNode steps = g.get("adam").get("eps_steps"), losses = g.get("adam").get("losses");
            for (int s = 0; s < steps.size(); s++) {
                ws.eps.copyFrom(floats(steps.get(s)));
                BatchLoss loss = new BatchLoss();
                m.forwardBackward(be, ws, ws.capacity, loss);
                assertEquals(losses.get(s).asDouble(), loss.meanTotal(), 1e-4 * Math.abs(losses.get(s).asDouble()), "loss at step " + (s + 1));
                adam.step();
            }
            g.get("adam").get("final_params").fields().forEachRemaining(e ->
                    assertClose(e.getValue(), m.params().get(e.getKey()), 1e-4, "final " + e.getKey()));
        }
    }
}
