package dev.nvae.backend;

import dev.nvae.data.DataSources;
import dev.nvae.data.Dataset;
import dev.nvae.data.Split;
import dev.nvae.ffm.DnnlLibrary;
import dev.nvae.model.BatchLoss;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.LatentModel;
import dev.nvae.model.Workspace;
import dev.nvae.random.Rng;
import dev.nvae.tensor.FlatParameters;
import dev.nvae.train.Trainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One full training step of the reference mlp N-VAE (Fashion-MNIST subset, same parameters, batch, labels
 * and noise) on both backends: the loss must agree to {@value #LOSS_REL_TOL} relative and every gradient
 * tensor to {@value #GRAD_TOL} of its largest magnitude. Run at a full batch and at a ragged one inside
 * the same full-size workspace, as the last batch of an epoch is.
 */
class OneDnnTrainingStepTest {
    static final double LOSS_REL_TOL = 1e-4;
    /** Per tensor: max |g_onednn − g_vector| ≤ GRAD_TOL · max |g_vector|. */
    static final double GRAD_TOL = 1e-4;

    private static Dataset train;

    @BeforeAll
    static void data() {
        assumeTrue(DnnlLibrary.isAvailable(), () -> "oneDNN unavailable: " + DnnlLibrary.unavailableReason());
        train = DataSources.load("testdata", Split.TRAIN);
    }

    @ParameterizedTest
    @ValueSource(ints = {128, 37, 1})
    void lossAndEveryGradientAgree(int batch) {
        ModelConfig c = ModelConfig.mlp(train.height(), train.width(), train.numClasses(), 8, 4, 1, 1);
        try (Backend vector = new VectorBackend(2); Backend onednn = Backends.create("onednn", 2);
             LatentModel m = LatentModel.create(c); Workspace ws = m.workspace(128)) {
            m.initialize(0);
            int[] order = new int[train.count()];
            Rng.stream(5, 0).permutation(order);
            train.fillBatch(order, 0, batch, ws.x.segment(), ws.labels);
            ws.drawNoise(batch, Rng.stream(5, 0, 0));

            BatchLoss lv = step(m, vector, ws, batch);
            Map<String, float[]> gv = snapshot(m.grads());
            BatchLoss lo = step(m, onednn, ws, batch);
            Map<String, float[]> go = snapshot(m.grads());

            double lossRel = Math.abs(lo.total - lv.total) / Math.abs(lv.total);
            System.out.printf("training step B=%d: loss vector %.6f onednn %.6f (rel %.2e)%n",
                    batch, lv.meanTotal(), lo.meanTotal(), lossRel);
            assertTrue(lossRel <= LOSS_REL_TOL, "loss " + lv.total + " vs " + lo.total);
            assertEquals(lv.correct, lo.correct, "correct predictions");
            for (FlatParameters.Layout.Entry e : m.grads().layout().entries()) {
                float[] a = gv.get(e.name()), b = go.get(e.name());
                double maxAbs = 0, maxDiff = 0;
                for (int i = 0; i < a.length; i++) {
                    maxAbs = Math.max(maxAbs, Math.abs(a[i]));
                    maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
                }
                System.out.printf("  grad %-8s max|g| %.3e  max|Δ| %.3e  (%.2e relative)%n", e.name(), maxAbs, maxDiff,
                        maxAbs > 0 ? maxDiff / maxAbs : 0);
                assertTrue(maxAbs > 0, e.name() + ": no gradient at all");
                assertTrue(maxDiff <= GRAD_TOL * maxAbs, e.name() + ": max |Δ| " + maxDiff + " > " + GRAD_TOL + " · " + maxAbs);
            }
        }
    }

    private static BatchLoss step(LatentModel m, Backend be, Workspace ws, int batch) {
        m.grads().zero();
        BatchLoss loss = new BatchLoss();
        m.forwardBackward(be, ws, batch, loss);
        return loss;
    }

    private static Map<String, float[]> snapshot(FlatParameters grads) {
        Map<String, float[]> out = new HashMap<>();
        for (FlatParameters.Layout.Entry e : grads.layout().entries()) out.put(e.name(), grads.get(e.name()).toArray());
        return out;
    }
}
