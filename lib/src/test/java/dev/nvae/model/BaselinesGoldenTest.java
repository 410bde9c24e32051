package dev.nvae.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvae.backend.Backend;
import dev.nvae.backend.CudaTestSupport;
import dev.nvae.backend.VectorBackend;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.nvae.model.GoldenTest.assertClose;
import static dev.nvae.model.GoldenTest.floats;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The baselines (docs/MODEL.md#3: vae, beta-vae with β = 4, cvae) and the Gaussian likelihood (σ_x = 0.7, of a
 * vae and of an N-VAE) against an independent implementation: testdata/golden/make_golden_baselines.py runs each
 * tiny mlp model in PyTorch float64 with fixed weights, data and noise; we compare the heads, the loss terms, the
 * loss and every gradient tensor at {@link GoldenTest}'s tolerances. A gradient check cannot tell a wrong but
 * differentiable forward pass (the cvae's encoder input, the likelihood's constants, β) from a right one; this can.
 */
class BaselinesGoldenTest {
    private static final List<String> CASES = List.of("vae", "beta_vae", "cvae", "vae_gaussian", "nvae_gaussian");
    private static JsonNode golden;

    @BeforeAll
    static void load() throws IOException {
        Path file = TestPaths.repoRoot().resolve("testdata/golden/baselines.json");
        golden = new ObjectMapper().readTree(Files.readString(file)).get("cases");
        List<String> names = new ArrayList<>();
        golden.fieldNames().forEachRemaining(names::add);
        assertEquals(CASES, names, "the golden file's cases");
    }

    /** The case's model as the CLI would configure it (--model, --likelihood, --sigma-x, --beta, --beta-c, --alpha). */
    private static ModelConfig config(JsonNode c) {
        return new ModelConfig(c.get("model").asText(), ModelConfig.MLP, 1, c.get("D").asInt(), c.get("K").asInt(),
                c.get("H1").asInt(), c.get("H2").asInt(), c.get("ds").asInt(), c.get("dc").asInt(),
                c.get("beta_c").asDouble(), c.get("alpha").asDouble(), c.get("beta").asDouble(),
                c.get("likelihood").asText(), c.get("sigma_x").asDouble(), ModelConfig.BINARIZE_NONE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"vae", "beta_vae", "cvae", "vae_gaussian", "nvae_gaussian"})
    void lossTermsAndEveryGradientMatchPyTorch(String name) {
        try (Backend be = new VectorBackend(2)) {
            assertMatchesGolden(name, be);
        }
    }

    /** Every case on the cuda backend, whose own kernels build the encoder input and compute the loss (its CPU stub in mvn test). */
    @Test
    @Tag("cuda")
    void matchPyTorchOnCuda() {
        try (Backend cuda = CudaTestSupport.open(2)) {
            for (String name : CASES) assertMatchesGolden(name, cuda);
        }
    }

    private static void assertMatchesGolden(String name, Backend backend) {
        JsonNode g = golden.get(name);
        ModelConfig config = config(g.get("config"));
        int b = g.get("config").get("B").asInt();
        try (LatentModel m = LatentModel.create(config); Workspace ws = m.workspace(b)) {
            assertEquals(m.params().layout().entries().size(), g.get("params").size(), name + ": every tensor has a golden value");
            g.get("params").fields().forEachRemaining(e -> {
                assertEquals(m.params().get(e.getKey()).size(), e.getValue().get("data").size(), name + ": size of " + e.getKey());
                m.params().get(e.getKey()).copyFrom(floats(e.getValue().get("data")));
            });
            ws.x.copyFrom(floats(g.get("x")));
            ws.eps.copyFrom(floats(g.get("eps")));
            for (int i = 0; i < b; i++) ws.labels[i] = g.get("labels").get(i).asInt();

            BatchLoss loss = new BatchLoss();
            m.grads().zero();
            m.forwardBackward(backend, ws, b, loss);
            JsonNode t = g.get("terms");
            assertEquals(t.get("rec").asDouble(), loss.meanRec(), 1e-5, name + ": rec");
            assertEquals(t.get("kl_s").asDouble(), loss.meanKlS(), 1e-6, name + ": kl_s");
            assertEquals(t.get("kl_c").asDouble(), loss.meanKlC(), 1e-6, name + ": kl_c");
            assertEquals(t.get("ce").asDouble(), loss.meanCe(), 1e-6, name + ": ce");
            assertEquals(t.get("loss").asDouble(), loss.meanTotal(), 1e-5, name + ": loss");
            int checked = 0;
            var it = g.get("grads").fields();
            while (it.hasNext()) {
                var e = it.next();
                assertClose(e.getValue(), m.grads().get(e.getKey()), 2e-5, name + ": grad " + e.getKey());
                checked++;
            }
            assertEquals(m.params().layout().entries().size(), checked, name + ": every parameter tensor has a golden gradient");
            // The forward intermediates, from the model's forward pieces (a cuda backend keeps a step's on the device).
            m.encode(backend, ws, b);
            m.decode(backend, ws, m.posteriorToDecoderInput(ws, b));
            assertClose(g.get("heads"), ws.heads, 1e-5, name + ": heads");
            assertClose(g.get("logits_x"), ws.logitsX, 1e-5, name + ": logits_x");
        }
    }
}
