package dev.nvae.backend;

import dev.nvae.model.BatchLoss;
import dev.nvae.model.LatentModel;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.Workspace;
import dev.nvae.optim.Adam;
import dev.nvae.random.Rng;
import dev.nvae.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every operation of the cuda backend against the vector backend, at ragged sizes (nothing a multiple of a
 * block or a tile), with and without ReLU and accumulation; then whole training steps of an mlp and a conv
 * N-VAE, weights resident, against the same steps on the vector backend. Runs on the CPU stub in
 * {@code mvn test} (see {@link CudaTestSupport}), on a GPU with {@code -Dnvae.test.cuda=device}.
 */
@Tag("cuda")
class CudaBackendTest {
    private static CudaBackend cuda;
    private static VectorBackend vector;
    private final Arena arena = Arena.ofAuto();

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

    private Tensor random(String name, int rows, int cols, long seed) {
        Tensor t = Tensor.allocate(arena, name, rows, cols);
        Rng rng = new Rng(seed);
        for (long i = 0; i < t.size(); i++) t.setFlat(i, (float) (rng.nextDouble() * 2 - 1));
        return t;
    }

    private Tensor copy(Tensor t) {
        Tensor c = Tensor.allocate(arena, t.name() + "'", t.rows(), t.cols());
        c.copyFrom(t);
        return c;
    }

    /** Equal to float32 rounding of sums of the given length, relative to the largest value. */
    private static void assertClose(Tensor want, Tensor got, int rows, String what) {
        double scale = 1e-30;
        for (long i = 0; i < (long) rows * want.cols(); i++) scale = Math.max(scale, Math.abs(want.getFlat(i)));
        for (long i = 0; i < (long) rows * want.cols(); i++) {
            double d = Math.abs(want.getFlat(i) - got.getFlat(i));
            if (!(d <= 1e-5 * scale + 1e-6)) {
                throw new AssertionError(what + "[" + i + "]: vector " + want.getFlat(i) + ", cuda " + got.getFlat(i)
                        + " (scale " + scale + ")");
            }
        }
    }

    @ParameterizedTest(name = "batch {0}, relu {1}, accumulate {2}")
    @CsvSource({"7, true, false", "7, false, true", "1, true, true", "0, true, false", "0, false, true"})
    void linearOperationsMatchTheVectorBackend(int batch, boolean relu, boolean accumulate) {
        int in = 13, out = 11, rows = Math.max(batch, 1);
        Tensor x = random("x", rows, in, 1), w = random("w", in, out, 2), b = random("b", 1, out, 3);
        Tensor yv = random("y", rows, out, 4), yc = copy(yv);
        vector.linearForward(x, w, b, yv, batch, relu);
        cuda.linearForward(x, w, b, yc, batch, relu);
        assertClose(yv, yc, batch, "linearForward");

        Tensor dy = random("dy", rows, out, 5), dxv = random("dx", rows, in, 6), dxc = copy(dxv);
        vector.linearBackwardData(dy, w, dxv, batch);
        cuda.linearBackwardData(dy, w, dxc, batch);
        assertClose(dxv, dxc, batch, "linearBackwardData");

        Tensor dwv = random("dw", in, out, 7), dwc = copy(dwv), dbv = random("db", 1, out, 8), dbc = copy(dbv);
        vector.linearBackwardWeights(x, dy, dwv, dbv, batch, accumulate);
        cuda.linearBackwardWeights(x, dy, dwc, dbc, batch, accumulate);
        assertClose(dwv, dwc, in, "linearBackwardWeights dw");
        assertClose(dbv, dbc, 1, "linearBackwardWeights db");

        Tensor dw2 = random("dw2", in, out, 9), db2 = random("db2", 1, out, 10), dx2 = random("dx2", rows, in, 11);
        cuda.linearBackward(x, dy, w, dw2, db2, dx2, batch);
        vector.linearBackward(x, dy, w, dwv, dbv, dxv, batch);
        assertClose(dwv, dw2, in, "linearBackward dw");
        assertClose(dbv, db2, 1, "linearBackward db");
        assertClose(dxv, dx2, batch, "linearBackward dx");

        Tensor gv = random("g", rows, out, 12), gc = copy(gv);
        vector.reluBackward(gv, yv, batch);
        cuda.reluBackward(gc, yv, batch);
        assertClose(gv, gc, batch, "reluBackward");
        Tensor sv = random("s", rows, out, 13), sc = copy(sv);
        vector.sigmoid(yv, sv, batch);
        cuda.sigmoid(yv, sc, batch);
        assertClose(sv, sc, batch, "sigmoid");
    }

    @ParameterizedTest(name = "{0}x{1}x{2} -> {3}, k {4} s {5} p {6}, batch {7}, relu {8}, accumulate {9}")
    @CsvSource({
            "3, 10, 6, 5, 4, 2, 1, 3, true, false",   // RGB, ragged, the architecture's kernel
            "1, 8, 8, 4, 4, 2, 1, 2, false, true",    // one channel
            "2, 7, 9, 3, 3, 1, 1, 1, true, true",     // stride 1, odd sizes
            "2, 5, 5, 3, 3, 2, 0, 2, false, false"})  // no padding
    void convolutionOperationsMatchTheVectorBackend(int ci, int h, int w, int co, int k, int stride, int pad, int batch,
                                                    boolean relu, boolean accumulate) {
        ConvShape s = new ConvShape(ci, h, w, co, k, stride, pad);
        Tensor x = random("x", batch, s.inSize(), 21), wt = random("w", co, s.weightColumns(), 22);
        Tensor b = random("b", 1, co, 23), bt = random("bt", 1, ci, 24);
        Tensor yv = random("y", batch, s.outSize(), 25), yc = copy(yv);
        vector.convForward(s, ConvLayouts.NCHW, x, wt, b, yv, batch, relu);
        cuda.convForward(s, ConvLayouts.NCHW, x, wt, b, yc, batch, relu);
        assertClose(yv, yc, batch, "convForward");

        Tensor dy = random("dy", batch, s.outSize(), 26), dxv = random("dx", batch, s.inSize(), 27), dxc = copy(dxv);
        vector.convBackwardData(s, ConvLayouts.NCHW, dy, wt, dxv, batch);
        cuda.convBackwardData(s, ConvLayouts.NCHW, dy, wt, dxc, batch);
        assertClose(dxv, dxc, batch, "convBackwardData");

        Tensor dwv = random("dw", co, s.weightColumns(), 28), dwc = copy(dwv), dbv = random("db", 1, co, 29), dbc = copy(dbv);
        vector.convBackwardWeights(s, ConvLayouts.NCHW, x, dy, dwv, dbv, batch, accumulate);
        cuda.convBackwardWeights(s, ConvLayouts.NCHW, x, dy, dwc, dbc, batch, accumulate);
        assertClose(dwv, dwc, co, "convBackwardWeights dw");
        assertClose(dbv, dbc, 1, "convBackwardWeights db");

        // The transposed convolution: s's output space back onto its input space.
        Tensor tv = random("t", batch, s.inSize(), 30), tc = copy(tv);
        vector.convTransposeForward(s, ConvLayouts.NCHW, dy, wt, bt, tv, batch, relu);
        cuda.convTransposeForward(s, ConvLayouts.NCHW, dy, wt, bt, tc, batch, relu);
        assertClose(tv, tc, batch, "convTransposeForward");

        Tensor gv = random("g", batch, s.outSize(), 31), gc = copy(gv);
        vector.convTransposeBackwardData(s, ConvLayouts.NCHW, x, wt, gv, batch);
        cuda.convTransposeBackwardData(s, ConvLayouts.NCHW, x, wt, gc, batch);
        assertClose(gv, gc, batch, "convTransposeBackwardData");

        Tensor twv = random("tw", co, s.weightColumns(), 32), twc = copy(twv), tbv = random("tb", 1, ci, 33), tbc = copy(tbv);
        vector.convTransposeBackwardWeights(s, ConvLayouts.NCHW, dy, x, twv, tbv, batch, accumulate);
        cuda.convTransposeBackwardWeights(s, ConvLayouts.NCHW, dy, x, twc, tbc, batch, accumulate);
        assertClose(twv, twc, co, "convTransposeBackwardWeights dw");
        assertClose(tbv, tbc, 1, "convTransposeBackwardWeights db");
    }

    static List<ModelConfig> models() {
        ModelConfig mlp = new ModelConfig(ModelConfig.NVAE, ModelConfig.MLP, 1, 37, 3, 19, 11, 2, 3, 1.7, 0.6);
        ModelConfig conv = new ModelConfig(ModelConfig.NVAE, ModelConfig.MLP, 8, 12, 3, 6, 5, 2, 2, 1.7, 0.6)
                .withChannels(2).withArchitecture(ModelConfig.CONV, new int[]{9}, List.of(4, 6));
        return List.of(mlp, conv);
    }

    /**
     * Five Adam steps with the weights resident on the device (adopted, sent again after each update), last
     * batch smaller than the workspace: losses and final weights as on the vector backend.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("models")
    void trainingStepsMatchTheVectorBackend(ModelConfig c) {
        float[] want = train(vector, c), got = train(cuda, c);
        double scale = 0;
        for (float v : want) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < want.length; i++) {
            assertTrue(Math.abs(want[i] - got[i]) <= 1e-4 * scale, c.arch() + " weight " + i + ": vector " + want[i] + ", cuda " + got[i]);
        }
    }

    /**
     * One step of a batch mixing labelled and unlabelled examples (the N-VAE decodes an unlabelled one once per
     * class): every loss term, the balance term and every gradient as on the vector backend.
     */
    static List<Object[]> unlabelledCases() {
        ModelConfig big = new ModelConfig(ModelConfig.NVAE, ModelConfig.MLP, 28, 28, 10, 24, 12, 3, 2, 1.7, 0.6);
        int[] many = new int[32];
        for (int i = 0; i < many.length; i++) many[i] = i % 4 == 0 ? i % 10 : -1;
        return List.of(new Object[]{models().get(0), new int[]{0, -1, 2, -1, 1, -1}},
                new Object[]{models().get(1), new int[]{0, -1, 2, -1, 1, -1}},
                new Object[]{big, many});
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("unlabelledCases")
    void aStepWithUnlabelledExamplesMatchesTheVectorBackend(ModelConfig config, int[] labels) {
        ModelConfig c = config.withUnlabelledTerms(-0.5, 3);
        BatchLoss[] loss = new BatchLoss[2];
        float[][] grads = new float[2][];
        int k = 0;
        for (Backend be : List.of(vector, cuda)) {
            try (LatentModel m = LatentModel.create(c); Workspace ws = m.workspace(labels.length, true)) {
                m.initialize(9);
                Rng rng = new Rng(21);
                // A first step of other labels, then the one compared: nothing of a step may linger into the next.
                for (int step = 0; step < 2; step++) {
                    for (long i = 0; i < ws.x.size(); i++) ws.x.setFlat(i, (float) rng.nextDouble());
                    for (int i = 0; i < labels.length; i++) ws.labels[i] = step == 0 ? (i % 3 == 1 ? -1 : i % 3) : labels[i];
                    m.prepareBatch(ws, labels.length, rng);
                    loss[k] = new BatchLoss();
                    m.forwardBackward(be, ws, labels.length, loss[k]);
                }
                grads[k++] = m.grads().flat().toArray(java.lang.foreign.ValueLayout.JAVA_FLOAT);
            }
        }
        BatchLoss want = loss[0], got = loss[1];
        assertEquals(want.total, got.total, 1e-5 * Math.abs(want.total), "total");
        assertEquals(want.rec, got.rec, 1e-5 * Math.abs(want.rec), "rec");
        assertEquals(want.klS, got.klS, 1e-5 * Math.abs(want.klS) + 1e-6, "KL_s");
        assertEquals(want.klC, got.klC, 1e-5 * Math.abs(want.klC) + 1e-6, "KL_c");
        assertEquals(want.ce, got.ce, 1e-5 * Math.abs(want.ce) + 1e-6, "ce");
        assertEquals(want.klY, got.klY, 1e-5 * Math.abs(want.klY) + 1e-6, "KL_y");
        assertEquals(want.correct, got.correct, "correct");
        assertEquals(want.unlabelled, got.unlabelled, "unlabelled");
        double scale = 0;
        for (float v : grads[0]) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < grads[0].length; i++) {
            assertTrue(Math.abs(grads[0][i] - grads[1][i]) <= 1e-5 * scale, c.arch() + " gradient " + i + ": vector " + grads[0][i] + ", cuda " + grads[1][i]);
        }
    }

    /** Loss of each step then the final weights, flattened. */
    private static float[] train(Backend be, ModelConfig c) {
        int[] batches = {6, 6, 6, 6, 4};
        try (LatentModel m = LatentModel.create(c); Workspace ws = m.workspace(6);
             Adam adam = new Adam(m.params(), m.grads(), 1e-2); AdoptedWeights held = be.adoptWeights(m.params())) {
            m.initialize(5);
            held.changed();
            float[] out = new float[batches.length + (int) m.params().layout().totalFloats()];
            for (int step = 0; step < batches.length; step++) {
                Rng rng = new Rng(100 + step);
                for (long i = 0; i < ws.x.size(); i++) ws.x.setFlat(i, rng.nextDouble() < 0.3 ? 1f : 0f);
                for (int i = 0; i < batches[step]; i++) ws.labels[i] = (i + step) % c.numClasses();
                m.prepareBatch(ws, batches[step], rng);
                BatchLoss loss = new BatchLoss();
                m.forwardBackward(be, ws, batches[step], loss);
                adam.step();
                held.changed();
                out[step] = (float) loss.meanTotal();
            }
            float[] weights = m.params().flat().toArray(java.lang.foreign.ValueLayout.JAVA_FLOAT);
            System.arraycopy(weights, 0, out, batches.length, weights.length);
            return out;
        }
    }

    /**
     * On the stub, which counts calls: after the first step no step allocates device memory, a step waits
     * for the device once, and closing the backend frees every allocation it made.
     */
    @Test
    void stepsAfterTheFirstAllocateNothingAndCloseFreesEverything() throws Throwable {
        Assumptions.assumeTrue(CudaTestSupport.stubbed(), "counts the stub's calls");
        SymbolLookup stub = SymbolLookup.libraryLookup(CudaTestSupport.stubLibrary(), Arena.global());
        Linker linker = Linker.nativeLinker();
        MethodHandle counter = linker.downcallHandle(stub.find("stub_counter").orElseThrow(), FunctionDescriptor.of(JAVA_LONG, JAVA_INT));
        MethodHandle live = linker.downcallHandle(stub.find("stub_live_blocks").orElseThrow(), FunctionDescriptor.of(JAVA_INT));
        int before = (int) live.invokeExact();
        ModelConfig c = models().get(1);
        try (CudaBackend be = CudaTestSupport.open(1); LatentModel m = LatentModel.create(c); Workspace ws = m.workspace(6);
             AdoptedWeights held = be.adoptWeights(m.params())) {
            m.initialize(1);
            held.changed();
            long mallocs = 0, syncs = 0;
            for (int step = 0; step < 3; step++) {
                Rng rng = new Rng(step);
                for (int i = 0; i < 6; i++) ws.labels[i] = i % 3;
                m.prepareBatch(ws, 6, rng);
                m.forwardBackward(be, ws, 6, new BatchLoss());
                held.changed();
                if (step == 0) mallocs = (long) counter.invokeExact(0);
                if (step == 1) syncs = (long) counter.invokeExact(7);
            }
            assertEquals(mallocs, (long) counter.invokeExact(0), "cudaMalloc calls after the first step");
            // A step of labelled examples is one pass on the device, from the batch to its loss terms: one wait.
            assertEquals(1, (long) counter.invokeExact(7) - syncs, "host waits in a training step");
        }
        assertEquals(before, (int) live.invokeExact(), "device blocks left after close");
    }

    /**
     * Sampling's decode on the device: the pixel means equal the vector backend's, and (on the stub, which
     * counts) a batch sends its decoder input and receives its means — one copy each way, one wait: the
     * logits and the decoder's activations stay on the device.
     */
    @Test
    void decodingToMeansSendsTheInputAndReceivesTheMeansOnly() throws Throwable {
        ModelConfig c = models().get(1);
        int batch = 5;
        try (LatentModel m = LatentModel.create(c); Workspace wv = m.decodingWorkspace(batch); Workspace wc = m.decodingWorkspace(batch);
             CudaBackend be = CudaTestSupport.open(1); AdoptedWeights held = be.adoptWeights(m.params())) {
            m.initialize(8);
            held.changed();
            Tensor latent = random("latent", batch, c.latentDim(), 3);
            Tensor want = Tensor.allocate(arena, "want", batch, c.inputDim()), got = Tensor.allocate(arena, "got", batch, c.inputDim());
            for (Workspace ws : List.of(wv, wc)) {
                for (int i = 0; i < batch; i++) ws.labels[i] = i % c.numClasses();
                m.latentsToDecoderInput(ws, latent, batch);
            }
            m.decodeMean(vector, wv, batch, want);
            m.decodeMean(be, wc, batch, got);   // the first call allocates; the counted one below does not
            long[] before = stubCounts();
            got.segment().fill((byte) 0);
            m.decodeMean(be, wc, batch, got);
            assertClose(want, got, batch, "means");
            if (CudaTestSupport.stubbed()) {
                long[] after = stubCounts();
                assertEquals(1, after[1] - before[1], "copies to the device");
                assertEquals(1, after[2] - before[2], "copies to the host");
                assertEquals(1, after[7] - before[7], "waits");
            }
        }
    }

    /** The stub's call counters (see cuda_stub.c), or zeros on a real device. */
    private static long[] stubCounts() throws Throwable {
        long[] out = new long[8];
        if (!CudaTestSupport.stubbed()) return out;
        SymbolLookup stub = SymbolLookup.libraryLookup(CudaTestSupport.stubLibrary(), Arena.global());
        MethodHandle counter = Linker.nativeLinker().downcallHandle(stub.find("stub_counter").orElseThrow(),
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT));
        for (int i = 0; i < out.length; i++) out[i] = (long) counter.invokeExact(i);
        return out;
    }

    /**
     * A command that opens a model, then the backend holding its weights, may close them in that order: the
     * weights' page lock is released by address, not through the freed buffer (a GPU run of `nvae sample`
     * failed with "Already closed" after writing its file).
     */
    @Test
    void theBackendClosesAfterTheModelWhoseWeightsItHeld() {
        CudaBackend be = CudaTestSupport.open(1);
        LatentModel m = LatentModel.create(models().getFirst());
        m.initialize(2);
        be.adoptWeights(m.params());   // held until the backend closes
        m.close();
        be.close();
    }

    /** The work around the GPU's runs on at most four Java threads, whatever --threads asks. */
    @Test
    void hostThreadsAreCappedAtFour() {
        try (CudaBackend many = CudaTestSupport.open(16); CudaBackend one = CudaTestSupport.open(1)) {
            assertEquals(CudaBackend.MAX_HOST_THREADS, many.threads());
            assertEquals(1, one.threads());
        }
    }
}
