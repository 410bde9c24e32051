package dev.nvae.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvae.backend.Backend;
import dev.nvae.backend.Backends;
import dev.nvae.backend.VectorBackend;
import dev.nvae.random.Rng;
import dev.nvae.ffm.DnnlLibrary;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;

import static dev.nvae.model.GoldenTest.assertClose;
import static dev.nvae.model.GoldenTest.floats;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The bound of unlabelled examples (docs/MODEL.md#6-unlabelled-examples): against an independent PyTorch
 * implementation (testdata/golden/make_golden_unlabelled.py), against finite differences for every
 * parameter, and — for batches whose examples all carry labels — against the labelled path, bit for bit.
 */
class UnlabelledBoundTest {
    /** Ragged sizes, every weight away from 1, so that a term with the wrong weight shows. */
    private static final ModelConfig TINY = new ModelConfig(ModelConfig.NVAE, ModelConfig.MLP, 1, 7, 3, 6, 5, 2, 3, 1.7, 0.6)
            .withUnlabelledTerms(0.7, 1.3);

    private static JsonNode golden(String file) throws IOException {
        return new ObjectMapper().readTree(Files.readString(TestPaths.repoRoot().resolve("testdata/golden/" + file)));
    }

    /** Absolute tolerances of one golden comparison; rec and loss may be relative to their size (conv's sums are large). */
    private record Tolerances(double heads, double rec, double kl, double loss, double grads, boolean relativeSums) {}

    /**
     * Loads a golden file's parameters and batch into {@code config}'s model, runs one forward-backward on
     * {@code be}, and compares heads, every term and every gradient; returns the batch's loss for checks of its own.
     */
    private static BatchLoss assertMatchesGolden(JsonNode g, ModelConfig config, Backend be, Tolerances tol) {
        int b = g.get("config").get("B").asInt();
        try (LatentModel m = LatentModel.create(config); Workspace ws = m.workspace(b, true)) {
            assertEquals(g.get("params").size(), m.params().layout().entries().size(), "every tensor has a golden value");
            g.get("params").fields().forEachRemaining(e -> m.params().get(e.getKey()).copyFrom(floats(e.getValue().get("data"))));
            ws.x.copyFrom(floats(g.get("x")));
            ws.eps.copyFrom(floats(g.get("eps")));
            for (int i = 0; i < b; i++) ws.labels[i] = g.get("labels").get(i).asInt();
            BatchLoss loss = new BatchLoss();
            m.forwardBackward(be, ws, b, loss);
            assertClose(g.get("heads"), ws.heads, tol.heads(), "heads");
            JsonNode t = g.get("terms");
            double rec = t.get("rec").asDouble(), total = t.get("loss").asDouble();
            assertEquals(rec, loss.meanRec(), tol.relativeSums() ? tol.rec() * Math.abs(rec) : tol.rec(), "rec");
            assertEquals(t.get("kl_s").asDouble(), loss.meanKlS(), tol.kl(), "kl_s");
            assertEquals(t.get("kl_c").asDouble(), loss.meanKlC(), tol.kl(), "kl_c");
            assertEquals(t.get("ce").asDouble(), loss.meanCe(), tol.kl(), "ce");
            assertEquals(t.get("kl_y").asDouble(), loss.klY / loss.count, tol.kl(), "kl_y");
            assertEquals(total, loss.meanTotal(), tol.relativeSums() ? tol.loss() * Math.abs(total) : tol.loss(), "loss");
            g.get("grads").fields().forEachRemaining(e -> assertClose(e.getValue(), m.grads().get(e.getKey()), tol.grads(), "grad " + e.getKey()));
            return loss;
        }
    }

    @Test
    void lossTermsAndEveryGradientMatchPyTorch() throws IOException {
        JsonNode g = golden("nvae_unlabelled.json");
        JsonNode c = g.get("config");
        ModelConfig config = new ModelConfig(ModelConfig.NVAE, ModelConfig.MLP, 1, c.get("D").asInt(), c.get("K").asInt(),
                c.get("H1").asInt(), c.get("H2").asInt(), c.get("ds").asInt(), c.get("dc").asInt(),
                c.get("beta_c").asDouble(), c.get("alpha").asDouble()).withUnlabelledTerms(c.get("y_kl").asDouble(), c.get("balance").asDouble());
        try (Backend be = new VectorBackend(2)) {
            BatchLoss loss = assertMatchesGolden(g, config, be, new Tolerances(1e-5, 1e-5, 1e-6, 1e-5, 2e-5, false));
            assertEquals(3, loss.unlabelled);
            assertEquals(2, loss.classified, "only labelled examples count towards accuracy");
        }
    }

    /**
     * The conv network's bound on a mixed batch against testdata/golden/make_golden_conv_unlabelled.py
     * (make_golden_conv.py's ragged RGB network; the y-term weighted -0.5, train's label-free default),
     * on both CPU backends: the K class passes run through the transposed convolutions as decoder rows.
     */
    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"vector", "onednn"})
    void convLossTermsAndEveryGradientMatchPyTorch(String backendName) throws IOException {
        JsonNode g = golden("conv_unlabelled.json");
        JsonNode c = g.get("config");
        ModelConfig config = new ModelConfig(ModelConfig.NVAE, ModelConfig.CONV, c.get("H").asInt(), c.get("W").asInt(), c.get("K").asInt(),
                c.get("hidden").asInt(), 0, c.get("ds").asInt(), c.get("dc").asInt(), c.get("beta_c").asDouble(),
                c.get("alpha").asDouble(), 1, ModelConfig.BERNOULLI, 1, ModelConfig.BINARIZE_NONE, c.get("C").asInt(),
                java.util.List.of(c.get("c1").asInt(), c.get("c2").asInt()))
                .withUnlabelledTerms(c.get("y_kl").asDouble(), c.get("balance").asDouble());
        if (backendName.equals("onednn")) {
            Assumptions.assumeTrue(DnnlLibrary.isAvailable(), () -> "oneDNN unavailable: " + DnnlLibrary.unavailableReason());
        }
        try (Backend be = backendName.equals("onednn") ? Backends.create("onednn", 2) : new VectorBackend(2)) {
            BatchLoss loss = assertMatchesGolden(g, config, be, new Tolerances(1e-4, 1e-4, 1e-5, 1e-4, 2e-4, true));
            assertEquals(2, loss.unlabelled);
        }
    }

    @Test
    void mixedBatchMatchesFiniteDifferences() {
        try (LatentModel m = LatentModel.create(TINY)) {
            m.initialize(3);
            GradientCheckTest.check(m, "nvae mixed", 2, new int[]{0, -1, 2, -1, 1, -1});
        }
    }

    @Test
    void unlabelledBatchOfGaussianDataMatchesFiniteDifferences() {
        ModelConfig c = TINY.withLikelihood(ModelConfig.GAUSSIAN, 0.7, ModelConfig.BINARIZE_NONE);
        try (LatentModel m = LatentModel.create(c)) {
            m.initialize(5);
            GradientCheckTest.check(m, "nvae unlabelled gaussian", 1, new int[]{-1, 1, -1});
        }
    }

    /**
     * The label-free model: no labelled example; the per-example y-term off, then negative (a reward for
     * confident q(y|x), train's label-free default), beside the balance term.
     */
    @Test
    void labelFreeBatchMatchesFiniteDifferences() {
        for (double yKl : new double[]{0, -0.5}) {
            try (LatentModel m = LatentModel.create(TINY.asLabelFree(4).withUnlabelledTerms(yKl, 2.5))) {
                m.initialize(7);
                GradientCheckTest.check(m, "nvae label-free, y-kl " + yKl, 1, new int[]{-1, -1, -1});
            }
        }
    }

    /**
     * The conv network (2-channel 8×12 images, convolutions of 2 and 3 channels, dense 5): its decoder runs
     * the K class passes of an unlabelled example as rows like the mlp's. Two examples, one of them labelled,
     * keep the ReLU kinks few (GradientCheckTest's conv checks say why).
     */
    private static final ModelConfig TINY_CONV = new ModelConfig(ModelConfig.NVAE, ModelConfig.MLP, 8, 12, 3, 6, 5, 2, 2, 1.7, 0.6)
            .withChannels(2).withArchitecture(ModelConfig.CONV, new int[]{5}, java.util.List.of(2, 3))
            .withUnlabelledTerms(0.7, 1.3);

    @Test
    void mixedConvBatchMatchesFiniteDifferences() {
        try (LatentModel m = LatentModel.create(TINY_CONV)) {
            m.initialize(3);
            GradientCheckTest.check(m, "conv nvae mixed", 1, new int[]{-1, 2});
        }
    }

    @Test
    void labelFreeConvBatchMatchesFiniteDifferences() {
        try (LatentModel m = LatentModel.create(TINY_CONV.asLabelFree(4).withUnlabelledTerms(-0.5, 5))) {
            m.initialize(7);
            GradientCheckTest.check(m, "conv nvae label-free", 1, new int[]{-1});
        }
    }

    /** A workspace laid out for class passes changes nothing for labelled examples: same loss, same gradients, bit for bit. */
    @Test
    void labelledBatchGivesTheSameNumbersInEitherWorkspace() {
        int b = 6;
        try (Backend be = new VectorBackend(2); LatentModel m = LatentModel.create(TINY);
             Workspace plain = m.workspace(b); Workspace wide = m.workspace(b, true)) {
            m.initialize(1);
            Rng rng = new Rng(2);
            for (long i = 0; i < plain.x.size(); i++) plain.x.setFlat(i, (float) rng.nextDouble());
            for (int i = 0; i < b; i++) plain.labels[i] = i % 3;
            plain.drawNoise(b, rng);
            wide.x.copyFrom(plain.x.toArray());
            wide.eps.copyFrom(plain.eps.toArray());
            System.arraycopy(plain.labels, 0, wide.labels, 0, b);
            BatchLoss a = new BatchLoss(), w = new BatchLoss();
            m.forwardBackward(be, plain, b, a);
            float[] gradsPlain = m.grads().get("enc1.w").toArray(), headsPlain = m.grads().get("heads.w").toArray();
            m.forwardBackward(be, wide, b, w);
            assertEquals(a.total, w.total);
            assertArrayEquals(gradsPlain, m.grads().get("enc1.w").toArray());
            assertArrayEquals(headsPlain, m.grads().get("heads.w").toArray());
        }
    }
}
