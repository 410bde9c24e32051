package dev.nvae.backend;

import dev.nvae.NvaeException;
import dev.nvae.data.DataSources;
import dev.nvae.data.Dataset;
import dev.nvae.data.Split;
import dev.nvae.ffm.DnnlLibrary;
import dev.nvae.kernels.Bf16Scalar;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.LatentModel;
import dev.nvae.model.Workspace;
import dev.nvae.optim.Adam;
import dev.nvae.random.Rng;
import dev.nvae.tensor.Bf16Matrix;
import dev.nvae.tensor.FlatParameters;
import dev.nvae.tensor.Tensor;
import dev.nvae.train.EpochSummary;
import dev.nvae.train.TrainOptions;
import dev.nvae.train.Trainer;
import dev.nvae.train.TrainingListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The bf16 backend: inference on the vector kernels equals float32 inference with the weights rounded to
 * bf16, bit for bit; oneDNN's bf16 products match float32 products of the rounded operands within summation
 * rounding; bf16 training runs where the CPU multiplies bf16 and is refused, in one line naming the missing
 * flag, where it does not (here pretended with {@code -Dnvae.cpu.absent}).
 */
class Bf16BackendTest {
    private static final ModelConfig CONFIG = ModelConfig.mlp(28, 28, 10, 8, 4, 1, 1);

    @AfterEach
    void forgetPretence() {
        System.clearProperty(CpuFeatures.ABSENT_PROPERTY);
    }

    private static boolean bf16Hardware() {
        return DnnlLibrary.isAvailable() && Backends.missingForBf16Training("onednn") == null;
    }

    /** A frozen model, and a float32 copy of it with every weight (not the biases) rounded to bf16. */
    private static LatentModel[] modelAndRounded(long seed) {
        LatentModel model = LatentModel.create(CONFIG), rounded = LatentModel.create(CONFIG);
        model.initialize(seed);
        rounded.params().copyFrom(model.params());
        for (var e : rounded.params().tensors().entrySet()) {
            if (!e.getKey().endsWith(".w")) continue;
            Tensor w = e.getValue();
            for (long i = 0; i < w.size(); i++) w.setFlat(i, Bf16Scalar.widen(Bf16Scalar.round(w.getFlat(i))));
        }
        model.params().freeze();
        return new LatentModel[]{model, rounded};
    }

    @ParameterizedTest(name = "batch {0}")
    @ValueSource(ints = {1, 2, 3, 5, 37, 128})
    void vectorBf16DecodeIsFp32DecodeOfRoundedWeights(int batch) {
        LatentModel[] m = modelAndRounded(batch);
        try (LatentModel model = m[0]; LatentModel rounded = m[1];
             Backend bf16 = Backends.create("vector", 2, Precision.BF16, Backends.Use.INFERENCE, n -> { });
             Backend fp32 = new VectorBackend(2);
             Workspace a = model.workspace(128); Workspace b = rounded.workspace(128);
             AdoptedWeights held = bf16.adoptWeights(model.params())) {
            assertEquals(Precision.BF16, bf16.precision());
            Rng rng = new Rng(batch);
            for (long i = 0; i < (long) batch * a.decIn.cols(); i++) a.decIn.setFlat(i, (float) rng.nextGaussian());
            b.decIn.copyFrom(a.decIn);
            model.decode(bf16, a, batch);
            rounded.decode(fp32, b, batch);
            for (long i = 0; i < (long) batch * a.logitsX.cols(); i++) {
                assertEquals(b.logitsX.getFlat(i), a.logitsX.getFlat(i), 0f, "logit " + i);
            }
        }
    }

    /**
     * On oneDNN, a few rows of a frozen model (a single decode) run on the vector kernels over paired copies:
     * the same bits as the vector bf16 backend; from 5 rows on, oneDNN's matmul (activations rounded too).
     */
    @ParameterizedTest(name = "batch {0}")
    @ValueSource(ints = {1, 2, 4, 5})
    void oneDnnBf16DecodesAFewRowsOnTheVectorKernels(int batch) {
        assumeTrue(bf16Hardware(), "oneDNN bf16 products cannot run here");
        LatentModel[] m = modelAndRounded(batch);
        try (LatentModel model = m[0]; LatentModel unused = m[1];
             Backend onednn = Backends.create("onednn", 2, Precision.BF16, Backends.Use.INFERENCE, n -> { });
             Backend vector = Backends.create("vector", 2, Precision.BF16, Backends.Use.INFERENCE, n -> { });
             Workspace a = model.workspace(8); Workspace b = model.workspace(8);
             AdoptedWeights heldA = onednn.adoptWeights(model.params()); AdoptedWeights heldB = vector.adoptWeights(model.params())) {
            Rng rng = new Rng(batch);
            for (long i = 0; i < (long) batch * a.decIn.cols(); i++) a.decIn.setFlat(i, (float) rng.nextGaussian());
            b.decIn.copyFrom(a.decIn);
            model.decode(onednn, a, batch);
            model.decode(vector, b, batch);
            long n = (long) batch * a.logitsX.cols();
            boolean same = a.logitsX.segment().asSlice(0, n * 4).mismatch(b.logitsX.segment().asSlice(0, n * 4)) == -1;
            assertEquals(batch <= 4, same, "bit-identical logits at batch " + batch);
            for (long i = 0; i < n; i++) assertEquals(b.logitsX.getFlat(i), a.logitsX.getFlat(i), 0.05f, "logit " + i);
        }
    }

    /** A finite float32 weight beyond bf16's range would be infinite in its copy: refused, naming the tensor. */
    @Test
    void aWeightBeyondBf16sRangeIsRefused() {
        LatentModel[] m = modelAndRounded(9);
        try (LatentModel model = m[0]; LatentModel unused = m[1];
             Backend bf16 = Backends.create("vector", 1, Precision.BF16, Backends.Use.INFERENCE, n -> { })) {
            Tensor w = model.params().get("dec2.w");
            float old = w.get(0, 1);
            w.set(0, 1, 3.4e38f);  // rounds to bf16 +Inf: the largest finite bf16 is 3.3895e38, the midpoint to 2^128 3.3961e38
            NvaeException e = assertThrows(NvaeException.class, () -> bf16.adoptWeights(model.params()));
            assertEquals("--precision bf16: dec2.w holds a weight beyond bf16's range (about 3.39e38); "
                    + "run this model at --precision fp32", e.getMessage());
            w.set(0, 1, old);
            try (AdoptedWeights held = bf16.adoptWeights(model.params())) {
                assertTrue(held != null);
            }
        }
    }

    /** One part that fails to close does not leave the others open: the wrapped backend closes, and the failure surfaces. */
    @Test
    void closeClosesEverythingEvenWhenAPartThrows() {
        boolean[] innerClosed = {false};
        Backend inner = new ForwardingBackend(new VectorBackend(1)) {
            @Override
            public void close() {
                innerClosed[0] = true;
                super.close();
            }
        };
        VectorBf16Products real = new VectorBf16Products(inner.workers());
        Bf16Products failing = new Bf16Products() {
            @Override public int half() { return real.half(); }
            @Override public boolean trains() { return false; }
            @Override public void forward(Tensor x, Bf16Matrix w, Tensor b, Tensor y, int batch, boolean relu) { real.forward(x, w, b, y, batch, relu); }
            @Override public void backwardData(Tensor dy, Bf16Matrix w, Tensor dx, int batch) { throw new UnsupportedOperationException(); }
            @Override public void backwardWeights(Tensor x, Tensor dy, Tensor dw, Tensor db, int batch, boolean accumulate) { throw new UnsupportedOperationException(); }
            @Override public void close() {
                real.close();
                throw new IllegalStateException("products would not close");
            }
        };
        Bf16Backend bf16 = new Bf16Backend(inner, failing);
        IllegalStateException e = assertThrows(IllegalStateException.class, bf16::close);
        assertEquals("products would not close", e.getMessage());
        assertTrue(innerClosed[0], "the wrapped backend was closed all the same");
        bf16.close();  // a second close does nothing
    }

    @Test
    void weightsNotAdoptedAreAnError() {
        try (LatentModel model = LatentModel.create(CONFIG); Workspace ws = model.workspace(2);
             Backend bf16 = Backends.create("vector", 1, Precision.BF16, Backends.Use.INFERENCE, n -> { })) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> model.decode(bf16, ws, 1));
            assertTrue(e.getMessage().contains("dec1.w has no bf16 copy"), e.getMessage());
        }
    }

    @Test
    void frozenWeightsRefuseWritersAndTheOptimiser() {
        try (LatentModel model = LatentModel.create(CONFIG); LatentModel other = LatentModel.create(CONFIG)) {
            model.params().freeze();
            assertThrows(IllegalStateException.class, () -> model.params().copyFrom(other.params()));
            assertThrows(IllegalStateException.class, () -> model.params().zero());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Adam(model.params(), model.grads(), 1e-3));
            assertTrue(e.getMessage().contains("frozen"), e.getMessage());
        }
    }

    @Test
    void vectorBf16CannotTrain() {
        try (LatentModel model = LatentModel.create(CONFIG);
             Backend bf16 = Backends.create("vector", 1, Precision.BF16, Backends.Use.INFERENCE, n -> { })) {
            NvaeException e = assertThrows(NvaeException.class, () -> bf16.adoptWeights(model.params()));
            assertTrue(e.getMessage().startsWith("--precision bf16: training in bf16 needs the onednn backend"), e.getMessage());
        }
    }

    /**
     * The vector kernels have no bf16 convolutions: a conv model is refused there when adopted for inference,
     * naming the kernel and where it would run (training at bf16 is refused there before, conv or not).
     */
    @Test
    void convolutionModelsAreRefusedOnTheVectorBackendNamingTheKernel() {
        ModelConfig conv = CONFIG.withArchitecture(ModelConfig.CONV, new int[]{32}, List.of(4, 8));
        try (LatentModel model = LatentModel.create(conv);
             Backend bf16 = Backends.create("vector", 1, Precision.BF16, Backends.Use.INFERENCE, n -> { })) {
            model.initialize(0);
            model.params().freeze();
            NvaeException e = assertThrows(NvaeException.class, () -> bf16.adoptWeights(model.params()));
            assertTrue(e.getMessage().matches("--precision bf16: enc\\.conv1\\.\\S+ is a convolution kernel, and on the vector "
                    + "backend convolutions have no bf16 products \\(the onednn backend has them, on a CPU with avx512_bf16 or "
                    + "amx_bf16\\); run this model at --precision fp32 or on --backend onednn"), e.getMessage());
            // A caller that skips adoption does not get float32 convolutions under a bf16 backend either.
            try (Workspace ws = model.workspace(1)) {
                assertThrows(IllegalStateException.class, () -> model.encode(bf16, ws, 1));
            }
        }
    }

    /** On oneDNN where the CPU does not multiply bf16 (pretended), a conv model is refused without pointing at oneDNN. */
    @Test
    void convolutionModelsAreRefusedOnOneDnnWithoutBf16Instructions() {
        assumeTrue(DnnlLibrary.isAvailable(), "oneDNN unavailable");
        System.setProperty(CpuFeatures.ABSENT_PROPERTY, "avx512_bf16,amx_bf16");
        ModelConfig conv = CONFIG.withArchitecture(ModelConfig.CONV, new int[]{32}, List.of(4, 8));
        try (LatentModel model = LatentModel.create(conv);
             Backend bf16 = Backends.create("onednn", 1, Precision.BF16, Backends.Use.INFERENCE, n -> { })) {
            model.initialize(0);
            model.params().freeze();
            NvaeException e = assertThrows(NvaeException.class, () -> bf16.adoptWeights(model.params()));
            assertTrue(e.getMessage().matches("--precision bf16: enc\\.conv1\\.\\S+ is a convolution kernel, and convolutions "
                    + "have bf16 products only where oneDNN multiplies bf16 \\(a CPU with avx512_bf16 or amx_bf16; nvae info's "
                    + "bf16 line says why not here\\); run this model at --precision fp32"), e.getMessage());
        }
    }

    @Test
    void trainingRefusedOnOneLineNamingTheMissingFlag() {
        System.setProperty(CpuFeatures.ABSENT_PROPERTY, "avx512_bf16,amx_bf16");
        for (String name : new String[]{"onednn", "auto", "vector"}) {
            NvaeException e = assertThrows(NvaeException.class,
                    () -> Backends.create(name, 1, Precision.BF16, Backends.Use.TRAINING, n -> { }).close());
            assertEquals("--precision bf16: training in bf16 needs a CPU with avx512_bf16 or amx_bf16, and this one has "
                    + "neither (see nvae info); train at --precision fp32", e.getMessage());
        }
        // Inference in bf16 still runs: on the vector kernels, whatever the backend.
        try (Backend be = Backends.create("auto", 1, Precision.BF16, Backends.Use.INFERENCE, n -> { })) {
            assertEquals("vector bf16-weight kernels", ((Bf16Backend) be).products());
        }
    }

    @Test
    void trainingOnTheVectorBackendRefusedEvenWithTheFlag() {
        assumeTrue(CpuFeatures.hasBf16(), "this CPU has no avx512_bf16/amx_bf16; the flag refusal is tested above");
        NvaeException e = assertThrows(NvaeException.class,
                () -> Backends.create("vector", 1, Precision.BF16, Backends.Use.TRAINING, n -> { }).close());
        assertTrue(e.getMessage().contains("the vector backend holds bf16 weights for inference only"), e.getMessage());
    }

    /** Training copies follow the weights when told they changed, and only then. */
    @Test
    void trainingCopiesAreRemadeWhenTheWeightsChange() {
        assumeTrue(bf16Hardware(), "bf16 training cannot run here: " + (DnnlLibrary.isAvailable()
                ? Backends.missingForBf16Training("onednn") : "oneDNN unavailable"));
        try (LatentModel model = LatentModel.create(CONFIG); Workspace ws = model.workspace(1);
             Backend be = Backends.create("onednn", 2, Precision.BF16, Backends.Use.TRAINING, n -> { });
             AdoptedWeights held = adoptInitialized(be, model)) {
            assertEquals("oneDNN bf16 matmul", ((Bf16Backend) be).products());
            for (int j = 0; j < ws.decIn.cols(); j++) ws.decIn.set(0, j, 1f);
            model.decode(be, ws, 1);
            float before = ws.logitsX.get(0, 0);
            Tensor b = model.params().get("dec3.b");
            b.set(0, 0, b.get(0, 0) + 1);          // biases are read in float32: visible at once
            Tensor w = model.params().get("dec3.w");
            for (int r = 0; r < w.rows(); r++) w.set(r, 0, w.get(r, 0) + 0.5f);  // weights through the copy
            model.decode(be, ws, 1);
            float stale = ws.logitsX.get(0, 0);
            assertEquals(before + 1, stale, 1e-4, "weights read from the copy made before the change");
            held.changed();
            model.decode(be, ws, 1);
            assertTrue(ws.logitsX.get(0, 0) > stale + 1, "after changed(): " + ws.logitsX.get(0, 0) + " vs " + stale);
        }
    }

    private static AdoptedWeights adoptInitialized(Backend be, LatentModel model) {
        model.initialize(0);
        return be.adoptWeights(model.params());
    }

    /**
     * A short bf16 training run tracks the float32 one, and is not float32 in disguise: the mlp network (bf16
     * matmuls) and the conv network (bf16 convolutions and deconvolutions beside the matmuls).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {ModelConfig.MLP, ModelConfig.CONV})
    void bf16TrainingTracksFp32(String architecture) {
        assumeTrue(bf16Hardware(), "bf16 training cannot run here: " + (DnnlLibrary.isAvailable()
                ? Backends.missingForBf16Training("onednn") : "oneDNN unavailable"));
        Dataset train = DataSources.load("testdata", Split.TRAIN);
        ModelConfig config = architecture.equals(ModelConfig.CONV)
                ? CONFIG.withArchitecture(ModelConfig.CONV, new int[]{64}, List.of(8, 16)) : CONFIG;
        double[] fp32 = lossCurve(train, config, Precision.FP32), bf16 = lossCurve(train, config, Precision.BF16);
        for (int e = 0; e < fp32.length; e++) {
            System.out.printf("bf16 training, %s, epoch %d: loss fp32 %.3f, bf16 %.3f%n", architecture, e + 1, fp32[e], bf16[e]);
            assertEquals(fp32[e], bf16[e], 0.01 * fp32[e], "epoch " + (e + 1));
        }
        assertNotEquals(fp32[fp32.length - 1], bf16[bf16.length - 1], "bf16 products gave the float32 loss exactly");
        assertTrue(bf16[bf16.length - 1] < 0.8 * bf16[0], "bf16 training loss did not fall");
    }

    private static double[] lossCurve(Dataset train, ModelConfig config, Precision precision) {
        try (Backend be = Backends.create("onednn", 2, precision, Backends.Use.TRAINING, n -> { }); LatentModel m = LatentModel.create(config)) {
            m.initialize(1);
            List<EpochSummary> epochs = new Trainer(m, be, train, new TrainOptions(3, 128, 1e-3, 1), TrainingListener.NONE).run();
            return epochs.stream().mapToDouble(EpochSummary::loss).toArray();
        }
    }

    /**
     * oneDNN's bf16 products against float32 products of the bf16-rounded operands. Batches 128 and 255 round
     * x (and at 255 dy) on both threads, 255 with a share that ends mid-vector; the smaller ones on one.
     */
    @ParameterizedTest(name = "batch {0}")
    @ValueSource(ints = {1, 7, 128, 255})
    void oneDnnBf16ProductsMatchFp32OfRoundedOperands(int batch) {
        assumeTrue(bf16Hardware(), "oneDNN bf16 products cannot run here");
        int in = 131, out = 70;
        try (Arena arena = Arena.ofShared(); Backend fp32 = new VectorBackend(1);
             Backend bf16 = Backends.create("onednn", 2, Precision.BF16, Backends.Use.TRAINING, n -> { })) {
            FlatParameters.Layout layout = new FlatParameters.Layout().add("w", in, out).add("b", 1, out);
            FlatParameters p = new FlatParameters(arena, layout);
            Rng rng = new Rng(batch);
            fill(p.get("w"), rng, 0.1);
            fill(p.get("b"), rng, 1);
            Tensor x = Tensor.allocate(arena, "x", batch, in), dy = Tensor.allocate(arena, "dy", batch, out);
            fill(x, rng, 1);
            fill(dy, rng, 1);
            Tensor wr = rounded(arena, p.get("w")), xr = rounded(arena, x), dyr = rounded(arena, dy);
            try (AdoptedWeights held = bf16.adoptWeights(p)) {
                Tensor y = Tensor.allocate(arena, "y", batch, out), yRef = Tensor.allocate(arena, "yRef", batch, out);
                bf16.linearForward(x, p.get("w"), p.get("b"), y, batch, true);
                fp32.linearForward(xr, wr, p.get("b"), yRef, batch, true);
                assertClose(yRef, y, "forward");
                Tensor dx = Tensor.allocate(arena, "dx", batch, in), dxRef = Tensor.allocate(arena, "dxRef", batch, in);
                bf16.linearBackwardData(dy, p.get("w"), dx, batch);
                fp32.linearBackwardData(dyr, wr, dxRef, batch);
                assertClose(dxRef, dx, "backward data");
                Tensor dw = Tensor.allocate(arena, "dw", in, out), dwRef = Tensor.allocate(arena, "dwRef", in, out);
                Tensor db = Tensor.allocate(arena, "db", 1, out), dbRef = Tensor.allocate(arena, "dbRef", 1, out);
                bf16.linearBackwardWeights(x, dy, dw, db, batch, false);
                fp32.linearBackwardWeights(xr, dyr, dwRef, dbRef, batch, false);
                assertClose(dwRef, dw, "weight gradient");
                Tensor dbExact = Tensor.allocate(arena, "dbExact", 1, out), dwScratch = Tensor.allocate(arena, "s", in, out);
                fp32.linearBackwardWeights(x, dy, dwScratch, dbExact, batch, false);
                assertClose(dbExact, db, "bias gradient (float32)");
                // Both products in one call (dy rounded once) give the same bits as the two calls.
                Tensor dw2 = Tensor.allocate(arena, "dw2", in, out), db2 = Tensor.allocate(arena, "db2", 1, out);
                Tensor dx2 = Tensor.allocate(arena, "dx2", batch, in);
                bf16.linearBackward(x, dy, p.get("w"), dw2, db2, dx2, batch);
                assertEquals(-1, dw2.segment().mismatch(dw.segment()), "dw");
                assertEquals(-1, db2.segment().mismatch(db.segment()), "db");
                assertEquals(-1, dx2.segment().mismatch(dx.segment()), "dx");
            }
        }
    }

    private static void fill(Tensor t, Rng rng, double scale) {
        for (long i = 0; i < t.size(); i++) t.setFlat(i, (float) (scale * rng.nextGaussian()));
    }

    private static Tensor rounded(Arena arena, Tensor t) {
        Tensor r = Tensor.allocate(arena, t.name() + "16", t.rows(), t.cols());
        for (long i = 0; i < t.size(); i++) r.setFlat(i, Bf16Scalar.widen(Bf16Scalar.round(t.getFlat(i))));
        return r;
    }

    /** Exact products of bf16 pairs summed in float32, in oneDNN's order: within a few float roundings of the sum. */
    private static void assertClose(Tensor expected, Tensor got, String what) {
        double scale = 0;
        for (long i = 0; i < expected.size(); i++) scale = Math.max(scale, Math.abs(expected.getFlat(i)));
        for (long i = 0; i < expected.size(); i++) {
            assertEquals(expected.getFlat(i), got.getFlat(i), 1e-5 * scale + 1e-6, what + " element " + i);
        }
    }
}
