package dev.nvae.analysis;

import dev.nvae.backend.Backend;
import dev.nvae.backend.VectorBackend;
import dev.nvae.data.DataSources;
import dev.nvae.data.Dataset;
import dev.nvae.data.Split;
import dev.nvae.model.LatentModel;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.Workspace;
import dev.nvae.random.Rng;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** iwae_nll batched over examples and samples against a one-example-at-a-time reference; it and neg_elbo independent of --batch. */
class EvaluatorTest {
    private static Backend be;
    private static Dataset data;

    @BeforeAll
    static void setUp() {
        be = new VectorBackend(2);
        data = DataSources.load("testdata", Split.TEST).first(23);
    }

    @AfterAll
    static void tearDown() {
        be.close();
    }

    /** A small model of each family on 28x28 images of 10 classes (ScorerTest uses them too). */
    static ModelConfig config(String model) {
        return model.equals(ModelConfig.NVAE)
                ? new ModelConfig(ModelConfig.NVAE, ModelConfig.MLP, 28, 28, 10, 32, 16, 3, 2, 1, 1)
                : ModelConfig.baseline(model, 28, 28, 10, 32, 16, 4, 1);
    }

    /** Progress comes after every batch, with the examples done so far, and the figures are those of a silent pass. */
    @Test
    void progressCountsTheExamplesDoneAfterEachBatch() {
        try (LatentModel m = LatentModel.create(config(ModelConfig.NVAE))) {
            m.initialize(5);
            List<Integer> done = new ArrayList<>();
            EvaluationReport told = Evaluator.evaluate(m, be, data, 10, 3, 4, 0, done::add);
            assertEquals(List.of(10, 20, 23), done);
            EvaluationReport silent = Evaluator.evaluate(m, be, data, 10, 3, 4, 0);
            assertEquals(silent.iwaeNll(), told.iwaeNll(), 0);
            assertEquals(silent.negElbo(), told.negElbo(), 0);
        }
    }

    /** With prior samples, each latent block's comparison with N(0, I) is told too, after the pass and before the figures. */
    @Test
    void progressCountsTheBlocksComparedWithThePrior() {
        try (LatentModel m = LatentModel.create(config(ModelConfig.NVAE))) {
            m.initialize(5);
            List<String> told = new ArrayList<>();
            EvaluationReport report = Evaluator.evaluate(m, be, data, 10, 3, 0, 8, new Evaluator.Progress() {
                @Override
                public void examplesDone(int done) {
                    told.add("examples " + done);
                }

                @Override
                public void blocksCompared(int done, int blocks) {
                    told.add("blocks " + done + "/" + blocks);
                }
            });
            List<String> expected = new ArrayList<>(List.of("examples 10", "examples 20", "examples 23"));
            for (int b = 0; b <= 12; b++) expected.add("blocks " + b + "/12"); // shared, ten classes, joint
            assertEquals(expected, told);
            EvaluationReport silent = Evaluator.evaluate(m, be, data, 10, 3, 0, 8);
            assertEquals(silent.aggregatePosterior().stream().map(AggregatePosterior::divergence).toList(),
                    report.aggregatePosterior().stream().map(AggregatePosterior::divergence).toList());
            // The blocks are compared on the backend's two threads at once: one thread gives the same figures.
            try (Backend one = new VectorBackend(1)) {
                EvaluationReport serial = Evaluator.evaluate(m, one, data, 10, 3, 0, 8);
                assertEquals(serial.aggregatePosterior().stream().map(AggregatePosterior::divergence).toList(),
                        report.aggregatePosterior().stream().map(AggregatePosterior::divergence).toList());
            }
        }
    }

    /** A block that fails on a comparison thread ends the evaluation with its own exception, and no later block is told of. */
    @Test
    void aFailureWhileComparingTheBlocksReachesTheCaller() {
        try (LatentModel m = LatentModel.create(config(ModelConfig.NVAE))) {
            m.initialize(5);
            List<Integer> told = java.util.Collections.synchronizedList(new ArrayList<>());
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> Evaluator.evaluate(m, be, data, 10, 3, 0, 8, new Evaluator.Progress() {
                        @Override
                        public void examplesDone(int done) {
                        }

                        @Override
                        public void blocksCompared(int done, int blocks) {
                            told.add(done);
                            if (done == 3) throw new IllegalStateException("block 3 failed");
                        }
                    }));
            assertEquals("block 3 failed", e.getMessage());
            assertEquals(List.of(0, 1, 2, 3), told, "on two threads; nothing after the failure");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {ModelConfig.NVAE, ModelConfig.VAE, ModelConfig.CVAE})
    void batchedIwaeEqualsTheOneExampleAtATimeDefinition(String family) {
        int k = 7;
        try (LatentModel m = LatentModel.create(config(family))) {
            m.initialize(5);
            double reference = 0;
            for (int i = 0; i < data.count(); i++) reference += reference(m, i, k, 3);
            reference /= data.count();
            for (int batch : new int[]{1, 5, 23, 100}) {
                EvaluationReport r = Evaluator.evaluate(m, be, data, batch, 3, k);
                assertEquals(reference, r.iwaeNll(), 1e-6 * Math.abs(reference), family + " batch " + batch);
            }
            double elbo = Evaluator.evaluate(m, be, data, 23, 3, 0).negElbo();
            for (int batch : new int[]{1, 5, 100}) {
                assertEquals(elbo, Evaluator.evaluate(m, be, data, batch, 3, 0).negElbo(), 1e-9 * elbo, family + " neg_elbo, batch " + batch);
            }
            // The bound is tighter than the one-sample ELBO on average (a random model leaves a wide gap).
            EvaluationReport r = Evaluator.evaluate(m, be, data, 23, 3, 50);
            assertTrue(r.iwaeNll() < r.negElbo(), r.iwaeNll() + " vs " + r.negElbo());
        }
    }

    /**
     * −log (1/k) Σ_s p(x|y,z_s) N(z_s; 0, I) / N(z_s; μ, σ²) for example i alone, with the densities
     * written out in full (normalisers included) and the noise drawn from the evaluator's per-example stream.
     */
    private static double reference(LatentModel m, int index, int k, long seed) {
        ModelConfig c = m.config();
        int d = c.inputDim();
        double[] logW = new double[k];
        try (Workspace ws = m.workspace(1); Arena arena = Arena.ofConfined()) {
            Tensor latent = Tensor.allocate(arena, "z", 1, c.latentDim());
            data.fillBatch(new int[]{index}, 0, 1, ws.x.segment(), ws.labels);
            int y = ws.labels[0];
            m.encode(be, ws, 1);
            double[] mu = new double[c.latentDim()], lv = new double[c.latentDim()];
            for (int j = 0; j < c.ds(); j++) {
                mu[j] = ws.heads.get(0, c.muS() + j);
                lv[j] = ws.heads.get(0, c.logvarS() + j);
            }
            for (int j = 0; j < c.dc(); j++) {
                mu[c.ds() + j] = ws.heads.get(0, c.muC(y) + j);
                lv[c.ds() + j] = ws.heads.get(0, c.logvarC(y) + j);
            }
            Rng rng = Rng.stream(seed, 0x1EAE, index);
            for (int s = 0; s < k; s++) {
                double logPrior = 0, logQ = 0;
                for (int j = 0; j < c.latentDim(); j++) {
                    double sd = Math.exp(0.5 * lv[j]);
                    float z = (float) (mu[j] + sd * rng.nextGaussian());
                    latent.set(0, j, z);
                    logPrior += -0.5 * Math.log(2 * Math.PI) - 0.5 * z * z;
                    logQ += -0.5 * Math.log(2 * Math.PI) - Math.log(sd) - 0.5 * Math.pow((z - mu[j]) / sd, 2);
                }
                m.latentsToDecoderInput(ws, latent, 1);
                m.decode(be, ws, 1);
                double logPx = 0;
                for (int p = 0; p < d; p++) {
                    double l = ws.logitsX.get(0, p), x = ws.x.get(0, p);
                    logPx += x * l - Math.max(l, 0) - Math.log1p(Math.exp(-Math.abs(l))); // x·log σ(l) + (1−x)·log(1−σ(l))
                }
                logW[s] = logPx + logPrior - logQ;
            }
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double w : logW) max = Math.max(max, w);
        double sum = 0;
        for (double w : logW) sum += Math.exp(w - max);
        return -(max + Math.log(sum / k));
    }
}
