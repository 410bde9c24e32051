package dev.nvae.train;

import dev.nvae.analysis.EvaluationReport;
import dev.nvae.analysis.Evaluator;
import dev.nvae.backend.Backend;
import dev.nvae.backend.VectorBackend;
import dev.nvae.data.DataSources;
import dev.nvae.data.Dataset;
import dev.nvae.data.Split;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.LatentModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Short trainings on the committed Fashion-MNIST subset. */
class TrainerTest {
    private static Dataset train, test;

    @BeforeAll
    static void data() {
        train = DataSources.load("testdata", Split.TRAIN);
        test = DataSources.load("testdata", Split.TEST).first(500);
    }

    private static ModelConfig config() {
        return ModelConfig.mlp(train.height(), train.width(), train.numClasses(), 8, 4, 1, 1);
    }

    private static float[] train(int threads, int epochs, long seed, List<EpochSummary> out) {
        try (Backend be = new VectorBackend(threads); LatentModel m = LatentModel.create(config())) {
            m.initialize(seed);
            out.addAll(new Trainer(m, be, train, new TrainOptions(epochs, 128, 1e-3, seed), TrainingListener.NONE).run());
            return m.params().get("dec3.w").toArray();
        }
    }

    @Test
    void lossFallsAndTheModelLearnsToClassify() {
        List<EpochSummary> epochs = new java.util.ArrayList<>();
        try (Backend be = new VectorBackend(2); LatentModel m = LatentModel.create(config())) {
            m.initialize(0);
            EvaluationReport before = Evaluator.evaluate(m, be, test, 250, 0, 0);
            epochs.addAll(new Trainer(m, be, train, new TrainOptions(3, 64, 1e-3, 0), TrainingListener.NONE).run());
            EvaluationReport after = Evaluator.evaluate(m, be, test, 250, 0, 5);
            assertTrue(epochs.get(2).loss() < 0.8 * epochs.get(0).loss(), "training loss " + epochs);
            assertTrue(after.negElbo() < 0.6 * before.negElbo(), "test neg_elbo " + before.negElbo() + " -> " + after.negElbo());
            assertTrue(after.accuracy() > 0.4, "test accuracy " + after.accuracy());
            // IWAE is a tighter bound than the ELBO (up to Monte-Carlo noise of one-sample ELBO).
            assertTrue(after.iwaeNll() < after.negElbo() + 1, "iwae " + after.iwaeNll() + " vs elbo " + after.negElbo());
        }
    }

    @Test
    void sameSeedGivesIdenticalWeightsWhateverTheThreadCount() {
        float[] a = train(2, 1, 7, new java.util.ArrayList<>());
        float[] b = train(2, 1, 7, new java.util.ArrayList<>());
        float[] c = train(1, 1, 7, new java.util.ArrayList<>());
        float[] d = train(2, 1, 8, new java.util.ArrayList<>());
        assertArrayEquals(a, b, "same seed, same threads");
        assertArrayEquals(a, c, "same seed, 1 vs 2 threads");
        assertTrue(!java.util.Arrays.equals(a, d), "a different seed must give different weights");
    }
}
