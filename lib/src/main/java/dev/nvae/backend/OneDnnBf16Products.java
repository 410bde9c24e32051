package dev.nvae.backend;

import dev.nvae.backend.onednn.Bf16Primitives;
import dev.nvae.backend.onednn.Execution;
import dev.nvae.kernels.Bf16;
import dev.nvae.kernels.WorkerPool;
import dev.nvae.tensor.Bf16Matrix;
import dev.nvae.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.stream.Stream;

import static dev.nvae.backend.OneDnnBackend.requireShape;
import static dev.nvae.backend.onednn.Bf16Primitives.*;

/**
 * bf16 products on oneDNN ({@link Bf16Primitives}): each product rounds its f32 activation or gradient
 * operand to bf16 into a staging buffer (in Java, {@link #toBf16}), then runs a bf16 matmul that accumulates and writes
 * f32. The weights are the plain bf16 copies of a {@link Bf16Backend}. With avx512_bf16 (or AMX) oneDNN
 * multiplies bf16 pairs in hardware, twice the multiply-adds per instruction of f32. The bias gradient
 * stays an f32 sum of the f32 gradient.
 */
final class OneDnnBf16Products implements Bf16Products {
    private final OneDnnBackend backend;
    private final Bf16Primitives primitives;
    private final OneDnnConvolutions convolutions;
    private final Rounding rounding = new Rounding();

    /**
     * A transposed convolution's weight and bias gradients come from the backend's f32 primitives, on the f32 x and dy,
     * not from bf16 ones: oneDNN 3.13 runs a deconvolution's backward-weights as a convolution's, and its bf16 kernel for
     * that on AMX was the slowest primitive of the conv N-VAE's bf16 step. Measured (2-core Xeon with AMX, oneDNN's own
     * timings, {@code ONEDNN_VERBOSE=profile_exec ... StepProfile onednn 40 2 conv bf16}): the decoder's 64→32 layer's
     * weight gradient 6.3 ms a step in bf16 against 3.5 ms in f32 (with its reorders 1.2 ms), the transposed layers'
     * backward 11.5 → 6.8 ms; {@code StepProfile onednn 120 2 conv bf16}, 10 alternating runs each, medians 29.5 → 25.3 ms
     * a step. The convolutions' own weight gradients gained nothing from f32 (25.5 ms with both) and stay bf16. The
     * gradient is then exact in f32 products of f32 operands, as at fp32. On the Zen 5 host below (bf16 without AMX) the
     * same: that layer's weight gradient 2.65 ms a step in bf16 against 1.36 ms in f32, the 32→1 layer's 0.63 against 0.18.
     * {@code -Dnvae.onednn.bf16TransposedWeightGradients=bf16} keeps them bf16.
     */
    static final boolean TRANSPOSED_WEIGHT_GRADIENTS_IN_FP32 =
            !"bf16".equals(System.getProperty("nvae.onednn.bf16TransposedWeightGradients", "fp32"));

    /**
     * On a CPU with avx512_bf16 and no AMX a convolution's weight and bias gradients likewise come from the f32
     * primitives: there oneDNN 3.13's bf16 backward-weights kernel ({@code jit_bf16:avx512_core_bf16}) was slower
     * than its f32 one. Measured (2-core AMD EPYC, family 26 = Zen 5, oneDNN's own timings, {@code
     * ONEDNN_VERBOSE=profile_exec ... StepProfile onednn 120 2 conv bf16} against the same at fp32): the encoder's
     * 32→64 layer's weight gradient 2.32 ms a step in bf16 against 1.55 ms in f32, the 1→32 layer's 0.31 against
     * 0.24; {@code StepProfile onednn 120 2 conv bf16} with and without, 6 alternating pairs, 5% faster a step (the
     * pairs' ratios' median 0.95). In f32 the layer's input needs no bf16 copy for its weight gradient, and the
     * gradient is exact in f32 products, as at fp32. With AMX they stay bf16: there f32 gained nothing (25.5 ms a
     * step against 25.3), and the bf16 pair rounds dy once for both backward products ({@link #convBackward}).
     * {@code -Dnvae.onednn.bf16ConvWeightGradients=fp32|bf16} overrides the choice.
     */
    static final boolean CONV_WEIGHT_GRADIENTS_IN_FP32 = "fp32".equals(System.getProperty(
            "nvae.onednn.bf16ConvWeightGradients", CpuFeatures.has("amx_bf16") ? "bf16" : "fp32"));

    /** Takes ownership of both sets of primitives. */
    OneDnnBf16Products(OneDnnBackend backend, Bf16Primitives primitives, OneDnnConvolutions convolutions) {
        this.backend = backend;
        this.primitives = primitives;
        this.convolutions = convolutions;
    }

    @Override
    public int half() {
        return 0;
    }

    @Override
    public boolean trains() {
        return true;
    }

    @Override
    public void forward(Tensor x, Bf16Matrix w, Tensor b, Tensor y, int batch, boolean relu) {
        int in = w.rows(), out = w.cols();
        requirePlain(w);
        requireShape(x, batch, in);
        requireShape(y, batch, out);
        requireShape(b, 1, out);
        if (batch == 0) return;
        backend.enter();
        MemorySegment x16 = toBf16(x, batch, primitives.first((long) batch * in));
        Execution e = primitives.linearForward(batch, in, out, relu);
        e.bind(SRC, x16);
        e.bind(WEIGHTS, w.segment());
        e.bind(BIAS, b.segment());
        e.bind(DST, y.segment());
        e.run();
    }

    @Override
    public void backwardData(Tensor dy, Bf16Matrix w, Tensor dx, int batch) {
        requirePlain(w);
        requireShape(dy, batch, w.cols());
        requireShape(dx, batch, w.rows());
        if (batch == 0) return;
        backend.enter();
        dataGradient(toBf16(dy, batch, primitives.second((long) batch * w.cols())), w, dx, batch);
    }

    @Override
    public void backwardWeights(Tensor x, Tensor dy, Tensor dw, Tensor db, int batch, boolean accumulate) {
        if (!weightGradientShapes(x, dy, dw, db, batch)) return;
        weightGradient(x, dy, toBf16(dy, batch, primitives.second((long) batch * dw.cols())), dw, db, batch, accumulate);
    }

    /** Both products of a layer's backward pass read one bf16 copy of dy. */
    @Override
    public void backward(Tensor x, Tensor dy, Bf16Matrix w, Tensor dw, Tensor db, Tensor dx, int batch) {
        if (dx != null) {
            requirePlain(w);
            requireShape(dx, batch, w.rows());
        }
        if (!weightGradientShapes(x, dy, dw, db, batch)) return;
        MemorySegment dy16 = toBf16(dy, batch, primitives.second((long) batch * dw.cols()));
        weightGradient(x, dy, dy16, dw, db, batch, false);
        if (dx != null) dataGradient(dy16, w, dx, batch);
    }

    /** Checks a weight gradient's shapes and enters the backend; false when there is nothing to do (batch 0). */
    private boolean weightGradientShapes(Tensor x, Tensor dy, Tensor dw, Tensor db, int batch) {
        int in = dw.rows(), out = dw.cols();
        requireShape(x, batch, in);
        requireShape(dy, batch, out);
        requireShape(db, 1, out);
        requireShape(dw, in, out);
        if (batch == 0) return false;
        backend.enter();
        return true;
    }

    /** dw (+)= bf16(x)ᵀ·dy16, then db (+)= Σ_rows dy from the f32 dy. */
    private void weightGradient(Tensor x, Tensor dy, MemorySegment dy16, Tensor dw, Tensor db, int batch, boolean accumulate) {
        int in = dw.rows(), out = dw.cols();
        MemorySegment x16 = toBf16(x, batch, primitives.first((long) batch * in));
        Execution e = primitives.weightGradient(batch, in, out, accumulate);
        e.bind(SRC, x16);
        e.bind(WEIGHTS, dy16);
        e.bind(DST, dw.segment());
        e.run();
        backend.biasGradient(dy, db, batch, accumulate);
    }

    /** dx = dy16·wᵀ. */
    private void dataGradient(MemorySegment dy16, Bf16Matrix w, Tensor dx, int batch) {
        Execution e = primitives.linearBackwardData(batch, w.rows(), w.cols());
        e.bind(SRC, dy16);
        e.bind(WEIGHTS, w.segment());
        e.bind(DST, dx.segment());
        e.run();
    }

    /**
     * Convolutions: bf16 primitives whose reorders round the f32 activations and gradients to bf16 on their
     * way into the layout the primitive chose (a reorder is needed there anyway, so rounding costs no extra
     * pass), reading the kernels' bf16 copies — except the weight and bias gradients, which come from the f32
     * primitives ({@link #CONV_WEIGHT_GRADIENTS_IN_FP32}, {@link #TRANSPOSED_WEIGHT_GRADIENTS_IN_FP32}).
     */
    @Override
    public boolean convolves() {
        return true;
    }

    @Override
    public void convForward(ConvShape s, ConvLayouts io, Tensor x, Tensor w, Bf16Matrix w16, Tensor b, Tensor y, int batch, boolean relu) {
        convolutions.forward(s, io, x, w, kernel(w16), b, y, batch, relu);
    }

    @Override
    public void convBackwardData(ConvShape s, ConvLayouts io, Tensor dy, Tensor w, Bf16Matrix w16, Tensor dx, int batch) {
        convolutions.backwardData(s, io, dy, w, kernel(w16), dx, batch);
    }

    @Override
    public void convBackwardWeights(ConvShape s, ConvLayouts io, Tensor x, Tensor dy, Tensor dw, Tensor db, int batch, boolean accumulate) {
        if (CONV_WEIGHT_GRADIENTS_IN_FP32) backend.convBackwardWeights(s, io, x, dy, dw, db, batch, accumulate);
        else convolutions.backwardWeights(s, io, x, dy, dw, db, batch, accumulate);
    }

    @Override
    public void convBackward(ConvShape s, ConvLayouts io, Tensor x, Tensor dy, Tensor w, Bf16Matrix w16, Tensor dw, Tensor db,
                             Tensor dx, int batch) {
        if (dx != null && w16 == null) throw new IllegalArgumentException("dx needs the kernel's bf16 copy");
        if (CONV_WEIGHT_GRADIENTS_IN_FP32) {
            backend.convBackwardWeights(s, io, x, dy, dw, db, batch, false);
            if (dx != null) convolutions.backwardData(s, io, dy, w, kernel(w16), dx, batch);
            return;
        }
        convolutions.backward(s, io, x, dy, w, w16 == null ? null : kernel(w16), dw, db, dx, batch);
    }

    @Override
    public void convTransposeBackward(ConvShape s, ConvLayouts io, Tensor x, Tensor dy, Tensor w, Bf16Matrix w16, Tensor dw,
                                      Tensor db, Tensor dx, int batch) {
        if (dx != null && w16 == null) throw new IllegalArgumentException("dx needs the kernel's bf16 copy");
        if (TRANSPOSED_WEIGHT_GRADIENTS_IN_FP32) {
            backend.convTransposeBackwardWeights(s, io, x, dy, dw, db, batch, false);
            if (dx != null) convolutions.transposeBackwardData(s, io, dy, w, kernel(w16), dx, batch);
            return;
        }
        convolutions.transposeBackward(s, io, x, dy, w, w16 == null ? null : kernel(w16), dw, db, dx, batch);
    }

    @Override
    public void convTransposeForward(ConvShape s, ConvLayouts io, Tensor x, Tensor w, Bf16Matrix w16, Tensor b, Tensor y, int batch,
                                     boolean relu) {
        convolutions.transposeForward(s, io, x, w, kernel(w16), b, y, batch, relu);
    }

    @Override
    public void convTransposeBackwardData(ConvShape s, ConvLayouts io, Tensor dy, Tensor w, Bf16Matrix w16, Tensor dx, int batch) {
        convolutions.transposeBackwardData(s, io, dy, w, kernel(w16), dx, batch);
    }

    @Override
    public void convTransposeBackwardWeights(ConvShape s, ConvLayouts io, Tensor x, Tensor dy, Tensor dw, Tensor db, int batch,
                                             boolean accumulate) {
        if (TRANSPOSED_WEIGHT_GRADIENTS_IN_FP32) backend.convTransposeBackwardWeights(s, io, x, dy, dw, db, batch, accumulate);
        else convolutions.transposeBackwardWeights(s, io, x, dy, dw, db, batch, accumulate);
    }

    /** Every primitive created so far, matmuls and convolutions, and the implementation oneDNN chose for it. */
    List<String> primitives() {
        return Stream.concat(primitives.describe().stream(), convolutions.describe().stream()).toList();
    }

    /** A kernel's bf16 copy as the primitives read it: plain, (co, ci·k·k) row-major, which is OIHW. */
    private static MemorySegment kernel(Bf16Matrix w16) {
        requirePlain(w16);
        return w16.segment();
    }

    /**
     * The first {@code rows} rows of t rounded to bf16 (to nearest even, {@link Bf16}) into {@code staging};
     * returns staging. In Java on the backend's OpenMP team rather than with oneDNN's reorder: the reorder cost
     * 12–22 µs a call for these operands (128 rows of 58 to 784 columns, Zen 4, 2 threads), nearly all of it
     * fixed — 285 µs over the 17 calls of a bf16 training step of the mlp, about 9% of it — where this rounding
     * took 160–230 µs in all.
     */
    private MemorySegment toBf16(Tensor t, int rows, MemorySegment staging) {
        long n = (long) rows * t.cols();
        if (n < ROUND_IN_PARALLEL) {
            Bf16.round(t.segment(), 0, n, staging, 0);
        } else {
            rounding.set(t.segment(), n, staging);
            backend.workers().run(rounding);
        }
        return staging;
    }

    /**
     * Below this many values the calling thread rounds them alone (the mlp's 128×58 and 128×106 operands): a
     * few µs of work, not worth waking the team. Not tuned finely: the step's total did not tell a threshold of
     * 16,384 from rounding everything on one thread, on this noisy 2-core host.
     */
    static final long ROUND_IN_PARALLEL = 16_384;

    /** One rounding split by threads: reused, so a step allocates nothing. */
    private static final class Rounding implements WorkerPool.Task {
        private MemorySegment from, to;
        private long n;

        void set(MemorySegment from, long n, MemorySegment to) {
            this.from = from;
            this.n = n;
            this.to = to;
        }

        @Override
        public void run(int worker, int workers) {
            long lo = n * worker / workers, hi = n * (worker + 1) / workers;  // as Bf16Weights splits its copies
            Bf16.round(from, lo, hi, to, lo);
        }
    }

    private static void requirePlain(Bf16Matrix w) {
        if (w.paired() || w.stride() != w.cols()) throw new IllegalArgumentException(w + ": oneDNN reads plain row-major bf16");
    }

    @Override
    public void close() {
        try {
            primitives.close();
        } finally {
            convolutions.close();
        }
    }
}
