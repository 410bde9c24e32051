package dev.nvae.analysis;

import dev.nvae.NvaeException;
import dev.nvae.backend.Backend;
import dev.nvae.backend.VectorBackend;
import dev.nvae.data.DataSources;
import dev.nvae.data.Dataset;
import dev.nvae.data.Split;
import dev.nvae.model.LatentModel;
import dev.nvae.model.ModelConfig;
import dev.nvae.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A model whose finite weights overflow float32 on an input fails every analysis naming the example and the
 * value, instead of handing out NaN encodings, a class argmax'ed from NaN probabilities or a NaN neg_elbo.
 */
class FiniteOutputsTest {
    private static Backend be;
    private static Dataset data;

    @BeforeAll
    static void setUp() {
        be = new VectorBackend(2);
        data = DataSources.load("testdata", Split.TEST).first(20);
    }

    @AfterAll
    static void tearDown() {
        be.close();
    }

    /** Scales every weight matrix by 1e18: each value stays finite, and the first layer's sums already overflow. */
    private static LatentModel overflowing(String family) {
        LatentModel m = LatentModel.create(EvaluatorTest.config(family));
        m.initialize(3);
        for (var e : m.params().tensors().entrySet()) {
            if (!e.getKey().endsWith(".w")) continue;
            Tensor t = e.getValue();
            for (long i = 0; i < t.size(); i++) t.setFlat(i, t.getFlat(i) * 1e18f);
        }
        return m;
    }

    @ParameterizedTest
    @ValueSource(strings = {ModelConfig.NVAE, ModelConfig.VAE, ModelConfig.CVAE})
    void everyAnalysisOfAnOverflowingModelFailsNamingTheExample(String family) {
        try (LatentModel m = overflowing(family)) {
            String mu = family.equals(ModelConfig.NVAE) ? "mu_s0" : "mu_z0";
            List<String> messages = new ArrayList<>();
            messages.add(assertThrows(NvaeException.class, () -> Sampler.encode(m, be, data)).getMessage());
            messages.add(assertThrows(NvaeException.class, () -> Evaluator.evaluate(m, be, data, 7, 1, 0, 0)).getMessage());
            messages.add(assertThrows(NvaeException.class, () -> Sampler.reconstruct(m, be, data, 5)).getMessage());
            messages.add(assertThrows(NvaeException.class, () -> Sampler.posteriorMeans(m, be, data)).getMessage());
            try (Scorer s = new Scorer(m, 4, true, 0)) {
                for (int i = 0; i < 4; i++) s.put(i, data.image(i), data.label(i), 100 + i);
                messages.add(assertThrows(NvaeException.class, () -> s.score(be, 4, 1)).getMessage());
            }
            for (String message : messages) {
                assertTrue(message.startsWith("the model's encoder gives "), message);
                assertTrue(message.contains(" for " + mu + " of example "), message);
                assertTrue(message.contains("float32 arithmetic overflows"), message);
            }
            assertTrue(messages.get(4).contains("of example 100 "), messages.get(4)); // the index put, not the row
        }
    }

    @Test
    void aFiniteModelPassesEveryCheck() {
        try (LatentModel m = LatentModel.create(EvaluatorTest.config(ModelConfig.NVAE))) {
            m.initialize(3);
            assertEquals(20, Sampler.encode(m, be, data).rows().length);
            assertTrue(Double.isFinite(Evaluator.evaluate(m, be, data, 7, 1, 3, 0).negElbo()));
            assertEquals(6, Sampler.sample(m, be, new int[]{0, 1, 2, 3, 4, 5}, 1.0, 1).length);
        }
    }

    @Test
    void decodedImagesNameTheSampleAndPixel() {
        try (Arena arena = Arena.ofConfined()) {
            Tensor t = Tensor.allocate(arena, "mean", 4, 37); // 37: a row ends inside a vector, the tail is scalar
            for (int r = 0; r < 4; r++) for (int j = 0; j < 37; j++) t.set(r, j, 0.5f);
            FiniteOutputs.requireImages(t, 4, "sample", 0);
            t.set(3, 36, Float.NaN); // the very last value: only a tail loop sees it
            assertEquals("the model's decoder gives NaN for pixel 36 of sample 1003 (its weights are finite but so large that"
                            + " float32 arithmetic overflows on this input)",
                    assertThrows(NvaeException.class, () -> FiniteOutputs.requireImages(t, 4, "sample", 1000)).getMessage());
            FiniteOutputs.requireImages(t, 3, "sample", 0); // rows past count are not the batch's
            t.set(1, 0, Float.NEGATIVE_INFINITY);
            assertTrue(assertThrows(NvaeException.class, () -> FiniteOutputs.requireImages(t, 4, "sample", 0)).getMessage()
                    .startsWith("the model's decoder gives -Infinity for pixel 0 of sample 1 "));
        }
    }

    @Test
    void headColumnsAreNamedByTheirBlock() {
        ModelConfig c = new ModelConfig(ModelConfig.NVAE, ModelConfig.MLP, 28, 28, 4, 32, 16, 2, 3, 1, 1); // ds 2, dc 3, K 4
        List<String> names = new ArrayList<>();
        for (int j = 0; j < c.headsDim(); j++) names.add(FiniteOutputs.headName(c, j));
        List<String> expected = new ArrayList<>(List.of("mu_s0", "mu_s1", "logvar_s0", "logvar_s1"));
        for (String block : List.of("mu_c", "logvar_c")) {
            for (int k = 0; k < 4; k++) for (int d = 0; d < 3; d++) expected.add(block + d + " of class " + k);
        }
        for (int k = 0; k < 4; k++) expected.add("the logit of class " + k);
        assertEquals(expected, names);
        ModelConfig vae = ModelConfig.baseline(ModelConfig.VAE, 28, 28, 10, 32, 16, 2, 1);
        assertEquals(List.of("mu_z0", "mu_z1", "logvar_z0", "logvar_z1"),
                List.of(FiniteOutputs.headName(vae, 0), FiniteOutputs.headName(vae, 1), FiniteOutputs.headName(vae, 2), FiniteOutputs.headName(vae, 3)));
    }
}
