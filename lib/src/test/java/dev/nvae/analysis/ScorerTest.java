package dev.nvae.analysis;

import dev.nvae.backend.Backend;
import dev.nvae.backend.VectorBackend;
import dev.nvae.data.DataSources;
import dev.nvae.data.Dataset;
import dev.nvae.data.Split;
import dev.nvae.model.LatentModel;
import dev.nvae.model.ModelConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-example figures: the same in any batch, and what encode and evaluate report over the same rows. */
class ScorerTest {
    private static Backend be;
    private static Dataset data;

    @BeforeAll
    static void setUp() {
        be = new VectorBackend(2);
        data = DataSources.load("testdata", Split.TEST).first(61);
    }

    @AfterAll
    static void tearDown() {
        be.close();
    }

    private static ModelConfig config(String model) {
        return EvaluatorTest.config(model);
    }

    /** Figures of every example: [encoding..., probability, neg_elbo, iwae], scored in batches of {@code cap}. */
    private static double[][] scoreAll(LatentModel m, int cap, int k) {
        double[][] out = new double[data.count()][];
        try (Scorer s = new Scorer(m, cap, true, k)) {
            for (int from = 0; from < data.count(); from += cap) {
                int count = Math.min(cap, data.count() - from);
                for (int i = 0; i < count; i++) s.put(i, data.image(from + i), data.label(from + i), from + i);
                s.score(be, count, 9);
                for (int i = 0; i < count; i++) {
                    float[] e = s.encoding(i);
                    double[] row = new double[e.length + 3];
                    for (int j = 0; j < e.length; j++) row[j] = e[j];
                    row[e.length] = s.probability(i);
                    row[e.length + 1] = s.negElbo(i);
                    row[e.length + 2] = s.iwaeNll(i);
                    out[from + i] = row;
                }
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {ModelConfig.NVAE, ModelConfig.VAE, ModelConfig.CVAE})
    void anExamplesFiguresDoNotDependOnItsBatch(String family) {
        try (LatentModel m = LatentModel.create(config(family))) {
            m.initialize(3);
            double[][] one = scoreAll(m, 61, 5);
            for (int cap : new int[]{1, 7, 40}) {
                double[][] other = scoreAll(m, cap, 5);
                for (int i = 0; i < one.length; i++) assertArrayEquals(one[i], other[i], family + " example " + i + " in batches of " + cap);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {ModelConfig.NVAE, ModelConfig.VAE, ModelConfig.CVAE})
    void theRowsAreEncodesAndTheirMeansAreEvaluates(String family) {
        try (LatentModel m = LatentModel.create(config(family))) {
            m.initialize(4);
            double[][] rows = scoreAll(m, 16, 7);
            Encoding encoding = Sampler.encode(m, be, data);
            EvaluationReport report = Evaluator.evaluate(m, be, data, 25, 9, 7);
            double elbo = 0, iwae = 0, correct = 0;
            int cols = encoding.columns().size();
            for (int i = 0; i < rows.length; i++) {
                float[] want = encoding.rows()[i];
                for (int j = 0; j < cols; j++) assertEquals(want[j], (float) rows[i][j], family + " example " + i + " " + encoding.columns().get(j));
                elbo += rows[i][cols + 1];
                iwae += rows[i][cols + 2];
                if (m.config().hasClassifier() && rows[i][1] == data.label(i)) correct++;
            }
            assertEquals(report.negElbo(), elbo / rows.length, 1e-9 * report.negElbo(), family + " neg_elbo");
            assertEquals(report.iwaeNll(), iwae / rows.length, 1e-9 * report.iwaeNll(), family + " iwae_nll");
            if (m.config().hasClassifier()) assertEquals(report.accuracy(), correct / rows.length, 1e-12);
        }
    }

    @Test
    void theProbabilityIsTheLargestOfTheSoftmax() {
        try (LatentModel m = LatentModel.create(config(ModelConfig.NVAE)); Scorer s = new Scorer(m, 4, false, 0)) {
            m.initialize(6);
            for (int i = 0; i < 4; i++) s.put(i, data.image(i), -1, i);
            s.score(be, 4, 0);
            for (int i = 0; i < 4; i++) {
                double p = s.probability(i);
                assertTrue(p >= 0.1 && p <= 1, "the top of 10 classes: " + p);
                assertEquals(s.predicted(i), (int) s.encoding(i)[1]);
                assertEquals(-1f, s.encoding(i)[0], "unknown class");
                assertTrue(Double.isNaN(s.negElbo(i)) && Double.isNaN(s.iwaeNll(i)));
            }
            assertEquals(List.of("mu_s", "logvar_s", "mu_c", "logvar_c"), s.blocks().stream().map(Scorer.Block::name).toList());
            assertEquals(2 + 3, s.blockOffset(1));
        }
    }

    @Test
    void whatNeedsTheClassRefusesExamplesWithout() {
        try (LatentModel nvae = LatentModel.create(config(ModelConfig.NVAE)); Scorer s = new Scorer(nvae, 2, true, 3)) {
            nvae.initialize(1);
            s.put(0, data.image(0), 3, 0);
            s.put(1, data.image(1), -1, 1);
            assertThrows(IllegalArgumentException.class, () -> s.score(be, 2, 0), "iwae_nll is given the class");
        }
        try (LatentModel cvae = LatentModel.create(config(ModelConfig.CVAE)); Scorer s = new Scorer(cvae, 1, false, 0)) {
            cvae.initialize(1);
            s.put(0, data.image(0), -1, 0);
            assertThrows(IllegalArgumentException.class, () -> s.score(be, 1, 0));
        }
        try (LatentModel vae = LatentModel.create(config(ModelConfig.VAE)); Scorer s = new Scorer(vae, 1, true, 3)) {
            vae.initialize(1);
            s.put(0, data.image(0), -1, 0);
            s.score(be, 1, 0);
            assertTrue(Double.isFinite(s.negElbo(0)) && Double.isFinite(s.iwaeNll(0)), "a vae scores without the class");
        }
        try (LatentModel free = LatentModel.create(config(ModelConfig.NVAE).asLabelFree(10)); Scorer s = new Scorer(free, 1, true, 3)) {
            free.initialize(1);
            s.put(0, data.image(0), 2, 0);
            assertThrows(IllegalArgumentException.class, () -> s.score(be, 1, 0), "a label-free model has no iwae_nll");
        }
    }

    /**
     * Without its class an N-VAE example's neg_elbo is the bound summed over the classes — and so for every
     * example of a label-free model: the mean over the rows is what evaluate reports on the same data.
     */
    @Test
    void unlabelledAndLabelFreeNegElboIsEvaluates() {
        int[] keep = new int[data.count() / 2];
        for (int i = 0; i < keep.length; i++) keep[i] = 2 * i;
        Dataset partial = data.keepingLabelsOf(keep);
        for (ModelConfig c : List.of(config(ModelConfig.NVAE), config(ModelConfig.NVAE).asLabelFree(10))) {
            try (LatentModel m = LatentModel.create(c); Scorer s = new Scorer(m, 8, true, 0)) {
                m.initialize(5);
                Dataset d = c.labelFree() ? data : partial;
                double sum = 0;
                for (int from = 0; from < d.count(); from += 8) {
                    int count = Math.min(8, d.count() - from);
                    for (int i = 0; i < count; i++) s.put(i, d.image(from + i), d.label(from + i), from + i);
                    s.score(be, count, 9);
                    for (int i = 0; i < count; i++) {
                        assertEquals(d.label(from + i), (int) s.encoding(i)[0], "the label column is the data's");
                        sum += s.negElbo(i);
                    }
                }
                double want = Evaluator.evaluate(m, be, d, 25, 9, 0).negElbo();
                assertEquals(want, sum / d.count(), 1e-9 * want, c.labelFree() ? "label-free" : "half labelled");
            }
        }
    }

    /** An example's figures follow its index, not its row: the same example under the same index anywhere scores the same. */
    @Test
    void theIndexNotTheRowNamesTheNoise() {
        try (LatentModel m = LatentModel.create(config(ModelConfig.NVAE)); Scorer s = new Scorer(m, 3, true, 4)) {
            m.initialize(2);
            s.put(0, data.image(5), data.label(5), 1005);
            s.put(1, data.image(6), data.label(6), 1006);
            s.put(2, data.image(5), data.label(5), 77);
            s.score(be, 3, 1);
            double elbo = s.negElbo(0), iw = s.iwaeNll(0), other = s.negElbo(2);
            s.put(2, data.image(5), data.label(5), 1005);
            s.put(0, data.image(6), data.label(6), 1006);
            s.score(be, 3, 1);
            assertEquals(elbo, s.negElbo(2));
            assertEquals(iw, s.iwaeNll(2));
            assertTrue(elbo != other, "another index, another posterior sample");
        }
    }
}
