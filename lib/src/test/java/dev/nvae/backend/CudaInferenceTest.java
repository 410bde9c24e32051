package dev.nvae.backend;

import dev.nvae.model.BatchLoss;
import dev.nvae.model.LatentModel;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.Workspace;
import dev.nvae.random.Rng;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A model built for inference (no gradient storage; what every loaded model is) with a workspace that holds no
 * backward-pass buffers, run on the cuda backend with its weights adopted as a serving lane adopts them: each
 * batch's per-example figures, posterior parameters and decoder outputs equal the trainable model's on the
 * vector backend, batch after batch (the last one short), with labelled and unlabelled examples mixed.
 * Runs on the CPU stub in {@code mvn test} (see {@link CudaTestSupport}), on a GPU with
 * {@code -Dnvae.test.cuda=device}.
 */
@Tag("cuda")
class CudaInferenceTest {
    private static CudaBackend cuda;
    private static VectorBackend vector;

    @BeforeAll
    static void open() {
        cuda = CudaTestSupport.open(2);
        vector = new VectorBackend(2);
    }

    @AfterAll
    static void close() {
        if (cuda != null) cuda.close();
        if (vector != null) vector.close();
    }

    static List<ModelConfig> models() {
        List<ModelConfig> all = new ArrayList<>(CudaBackendTest.models());
        all.add(CudaBackendTest.models().getFirst().withUnlabelledTerms(-0.5, 3));
        return all;
    }

    @ParameterizedTest
    @MethodSource("models")
    void evaluationAndEncodingMatchTheVectorBackend(ModelConfig c) {
        int cap = 5, n = 13;
        try (LatentModel trains = LatentModel.create(c); LatentModel serves = LatentModel.forInference(c);
             Workspace want = trains.workspace(cap, true); Workspace got = serves.workspace(cap, true);
             AdoptedWeights held = cuda.adoptWeights(serves.params())) {
            assertFalse(serves.trains());
            trains.initialize(13);
            serves.params().copyFrom(trains.params());
            held.changed();
            Rng ra = new Rng(31), rb = new Rng(31);
            for (int from = 0; from < n; from += cap) {
                int batch = Math.min(cap, n - from);
                fillBatch(want, batch, from, c.numClasses(), ra);
                fillBatch(got, batch, from, c.numClasses(), rb);
                BatchLoss lw = new BatchLoss(), lg = new BatchLoss();
                trains.evaluate(vector, want, batch, lw);
                serves.evaluate(cuda, got, batch, lg);
                String at = c.arch() + ", batch at " + from;
                assertClose(lw.total, lg.total, at + ": total");
                assertClose(lw.rec, lg.rec, at + ": rec");
                assertClose(lw.klS, lg.klS, at + ": KL_s");
                assertClose(lw.klC, lg.klC, at + ": KL_c");
                assertClose(lw.ce, lg.ce, at + ": ce");
                assertClose(lw.klY, lg.klY, at + ": KL_y");
                assertEquals(lw.correct, lg.correct, at + ": correct");
                assertEquals(lw.unlabelled, lg.unlabelled, at + ": unlabelled");
                for (int i = 0; i < batch; i++) {
                    assertClose(want.rec[i], got.rec[i], at + ": rec of example " + i);
                    assertClose(want.klS[i], got.klS[i], at + ": KL_s of example " + i);
                    assertClose(want.klC[i], got.klC[i], at + ": KL_c of example " + i);
                    assertClose(want.ce[i], got.ce[i], at + ": ce of example " + i);
                }
                assertArrayEquals(want.predicted, got.predicted, at + ": predicted classes");
                assertRowsClose(want.heads.toArray(), got.heads.toArray(), batch * want.heads.cols(), at + ": heads");
                assertRowsClose(want.logitsX.toArray(), got.logitsX.toArray(), batch * want.logitsX.cols(), at + ": decoder output");
                trains.encode(vector, want, batch);
                serves.encode(cuda, got, batch);
                assertRowsClose(want.heads.toArray(), got.heads.toArray(), batch * want.heads.cols(), at + ": encoded heads");
            }
        }
    }

    /** Inputs, labels (every third example unlabelled) and noise of examples from .. from+batch−1. */
    private static void fillBatch(Workspace ws, int batch, int from, int classes, Rng rng) {
        int d = ws.x.cols();
        for (long i = 0; i < (long) batch * d; i++) ws.x.setFlat(i, (float) rng.nextDouble());
        for (int i = 0; i < batch; i++) ws.labels[i] = (from + i) % 3 == 2 ? -1 : (from + i) % classes;
        ws.drawNoise(batch, rng);
    }

    /** Equal up to float32 rounding of the sums behind it. */
    private static void assertClose(double want, double got, String what) {
        assertEquals(want, got, 1e-5 * Math.abs(want) + 1e-5, what);
    }

    /** The first {@code count} values equal to float32 rounding, relative to the largest of them. */
    private static void assertRowsClose(float[] want, float[] got, int count, String what) {
        double scale = 1e-30;
        for (int i = 0; i < count; i++) scale = Math.max(scale, Math.abs(want[i]));
        for (int i = 0; i < count; i++) {
            if (!(Math.abs(want[i] - got[i]) <= 1e-5 * scale + 1e-6)) {
                throw new AssertionError(what + "[" + i + "]: vector " + want[i] + ", cuda " + got[i] + " (scale " + scale + ")");
            }
        }
    }
}
