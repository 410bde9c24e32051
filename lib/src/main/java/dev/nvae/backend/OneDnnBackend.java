package dev.nvae.backend;

import dev.nvae.backend.onednn.ConvPrimitives;
import dev.nvae.backend.onednn.Bf16Primitives;
import dev.nvae.backend.onednn.Engine;
import dev.nvae.backend.onednn.Execution;
import dev.nvae.backend.onednn.OpenMpTeam;
import dev.nvae.backend.onednn.OpenMpThreads;
import dev.nvae.backend.onednn.PrimitiveCache;
import dev.nvae.backend.onednn.Scratchpad;
import dev.nvae.ffm.DnnlLibrary;
import dev.nvae.ffm.DnnlVersion;
import dev.nvae.kernels.Elementwise;
import dev.nvae.kernels.Gemm;
import dev.nvae.kernels.WorkerPool;
import dev.nvae.tensor.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.stream.Stream;

import static dev.nvae.backend.onednn.PrimitiveCache.*;
import static dev.nvae.ffm.dnnl.dnnl_h.DNNL_RUNTIME_OMP;
import static dev.nvae.ffm.dnnl.dnnl_h.DNNL_RUNTIME_SEQ;

/**
 * oneDNN through FFM on the same off-heap tensors as {@link VectorBackend}: every operation binds the
 * tensors' segments to a cached primitive ({@link PrimitiveCache}) and executes it; no copies, and no
 * allocation once each shape has been seen. The exception is a forward product or sigmoid of one or two
 * rows (a single decode), which runs on the vector kernels ({@link #linearForward} says why). Threads: see {@link OpenMpThreads}. Create it through
 * {@link Backends#create}, which configures OpenMP before oneDNN loads.
 *
 * <p>Owns one engine and stream, the shared scratchpad and every primitive; {@link #close()} destroys them.
 * Driven by one thread at a time, like every backend.
 *
 * <p>On AVX2 oneDNN's matmul kernels sum each product in the same order as the vector backend's GEMM, so a
 * training run is bit-identical on both backends and at any thread count. oneDNN does not promise that
 * (another ISA or shape may split a reduction across threads), which is why the parity tests use
 * tolerances rather than equality.
 */
public final class OneDnnBackend implements Backend {
    private final int threads;
    private final boolean openMp;
    private final Engine engine;
    private final Scratchpad scratchpad;
    private final PrimitiveCache primitives;
    private final OneDnnConvolutions convolutions;
    private final ConvPrimitives.Layout convLayout;
    private final WorkerPool workers;
    private final Gemm rowProducts;  // single-row forward products (see linearForward)
    private boolean closed;

    /** @throws dev.nvae.ffm.DnnlUnavailableException if oneDNN cannot be loaded */
    public OneDnnBackend(int threads) {
        this(threads, ConvPrimitives.DEFAULT_LAYOUT);
    }

    /** With the convolutions in a given layout, so tests cover both whichever is the default. */
    OneDnnBackend(int threads, ConvPrimitives.Layout convLayout) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        DnnlLibrary.requireAvailable();
        int runtime = DnnlLibrary.version().cpuRuntime();
        if (runtime != DNNL_RUNTIME_OMP() && runtime != DNNL_RUNTIME_SEQ()) {
            // With TBB or a threadpool runtime, nothing here could hold oneDNN to --threads.
            throw new IllegalStateException("the loaded oneDNN uses the " + DnnlVersion.runtimeName(runtime)
                    + " CPU runtime; nvae supports OpenMP and sequential builds");
        }
        this.openMp = runtime == DNNL_RUNTIME_OMP();
        this.threads = openMp ? threads : 1;
        this.convLayout = convLayout;
        this.engine = new Engine();
        try {
            this.scratchpad = new Scratchpad();
            this.primitives = new PrimitiveCache(engine, scratchpad);
            this.convolutions = new OneDnnConvolutions(this, new ConvPrimitives(engine, scratchpad, convLayout));
        } catch (RuntimeException | Error e) {
            engine.close();
            throw e;
        }
        this.workers = workers(this.threads);
        this.rowProducts = new Gemm(workers);
    }

    /**
     * The element-wise work's threads: OpenMP's own team (OpenMpTeam says why), so that no Java worker competes
     * with it. An OpenMP runtime without libgomp's GOMP_parallel (a system oneDNN built against another one)
     * gets a pool of parked Java threads instead.
     */
    private static WorkerPool workers(int threads) {
        if (threads == 1) return new WorkerPool(1);
        try {
            return new WorkerPool(threads, new OpenMpTeam());
        } catch (RuntimeException | LinkageError noGompParallel) {
            return new WorkerPool(threads, false);
        }
    }

    @Override
    public String name() {
        return "onednn";
    }

    /** The OpenMP team size of every primitive (1 for a sequential build). */
    @Override
    public int threads() {
        return threads;
    }

    /** Every primitive created so far and the implementation oneDNN chose for it. */
    public List<String> primitives() {
        return Stream.concat(primitives.describe().stream(), convolutions.describe().stream()).toList();
    }

    /** Bytes of the shared scratchpad (the largest any primitive asked for). */
    public long scratchpadBytes() {
        return scratchpad.byteSize();
    }

    @Override
    public void linearForward(Tensor x, Tensor w, Tensor b, Tensor y, int batch, boolean relu) {
        int in = w.rows(), out = w.cols();
        requireShape(w, in, out);
        requireShape(x, batch, in);
        requireShape(y, batch, out);
        requireShape(b, 1, out);
        if (batch == 0) return;  // nothing to compute or accumulate, as on the vector backend
        enter();
        if (Gemm.takesRowPath(batch)) {
            // A single decode: bound by the bytes of the weights, and the row path reads fewer of them (it
            // skips the rows under zero inputs) on the same OpenMP team. Measured on Zen 4, 2 threads, the mlp
            // decoder: oneDNN's matmul 25–31 µs a decode, the row path about 14 (bench/compare's latency row).
            rowProducts.multiply(false, false, batch, out, in, x.segment(), 0, in, w.segment(), 0, out,
                    y.segment(), 0, out, false, b.segment(), relu);
            return;
        }
        Execution e = primitives.linearForward(batch, in, out, relu);
        e.bind(SRC, x.segment());
        e.bind(WEIGHTS, w.segment());
        e.bind(BIAS, b.segment());
        e.bind(DST, y.segment());
        e.run();
    }

    @Override
    public void linearBackwardData(Tensor dy, Tensor w, Tensor dx, int batch) {
        int in = w.rows(), out = w.cols();
        requireShape(w, in, out);
        requireShape(dy, batch, out);
        requireShape(dx, batch, in);
        if (batch == 0) return;  // nothing to compute or accumulate, as on the vector backend
        enter();
        Execution e = primitives.linearBackwardData(batch, in, out);
        e.bind(SRC, dy.segment());
        e.bind(WEIGHTS, w.segment());
        e.bind(DST, dx.segment());
        e.run();
    }

    @Override
    public void linearBackwardWeights(Tensor x, Tensor dy, Tensor dw, Tensor db, int batch, boolean accumulate) {
        int in = dw.rows(), out = dw.cols();
        requireShape(dw, in, out);
        requireShape(x, batch, in);
        requireShape(dy, batch, out);
        requireShape(db, 1, out);
        if (batch == 0) return;  // nothing to compute or accumulate, as on the vector backend
        enter();
        Execution weights = primitives.weightGradient(batch, in, out, accumulate);
        weights.bind(SRC, x.segment());
        weights.bind(WEIGHTS, dy.segment());
        weights.bind(DST, dw.segment());
        weights.run();
        biasGradient(dy, db, batch, accumulate);
    }

    /** db (+)= Σ_rows dy in f32, as a matmul 1ᵀ·dy; shapes checked by the caller, after {@link #enter()}. */
    void biasGradient(Tensor dy, Tensor db, int batch, boolean accumulate) {
        Execution bias = primitives.biasGradient(batch, db.cols(), accumulate);
        bias.bind(SRC, primitives.ones());
        bias.bind(WEIGHTS, dy.segment());
        bias.bind(DST, db.segment());
        bias.run();
    }

    // Convolutions: primitives of their own cache (ConvPrimitives), bound to the tensors like the matmuls.

    /** NHWC: the layout oneDNN's bf16 convolutions on AMX choose, and those of {@link ConvPrimitives.Layout#CHANNELS_LAST}. */
    @Override
    public String convActivationLayout() {
        return "NHWC";
    }

    @Override
    public void convForward(ConvShape s, ConvLayouts io, Tensor x, Tensor w, Tensor b, Tensor y, int batch, boolean relu) {
        convolutions.forward(s, io, x, w, null, b, y, batch, relu);
    }

    @Override
    public void convBackwardData(ConvShape s, ConvLayouts io, Tensor dy, Tensor w, Tensor dx, int batch) {
        convolutions.backwardData(s, io, dy, w, null, dx, batch);
    }

    @Override
    public void convBackwardWeights(ConvShape s, ConvLayouts io, Tensor x, Tensor dy, Tensor dw, Tensor db, int batch, boolean accumulate) {
        convolutions.backwardWeights(s, io, x, dy, dw, db, batch, accumulate);
    }

    @Override
    public void convBackward(ConvShape s, ConvLayouts io, Tensor x, Tensor dy, Tensor w, Tensor dw, Tensor db, Tensor dx,
                             int batch) {
        convolutions.backward(s, io, x, dy, w, null, dw, db, dx, batch);
    }

    @Override
    public void convTransposeBackward(ConvShape s, ConvLayouts io, Tensor x, Tensor dy, Tensor w, Tensor dw, Tensor db,
                                      Tensor dx, int batch) {
        convolutions.transposeBackward(s, io, x, dy, w, null, dw, db, dx, batch);
    }

    @Override
    public void convTransposeForward(ConvShape s, ConvLayouts io, Tensor x, Tensor w, Tensor b, Tensor y, int batch, boolean relu) {
        convolutions.transposeForward(s, io, x, w, null, b, y, batch, relu);
    }

    @Override
    public void convTransposeBackwardData(ConvShape s, ConvLayouts io, Tensor dy, Tensor w, Tensor dx, int batch) {
        convolutions.transposeBackwardData(s, io, dy, w, null, dx, batch);
    }

    @Override
    public void convTransposeBackwardWeights(ConvShape s, ConvLayouts io, Tensor x, Tensor dy, Tensor dw, Tensor db, int batch, boolean accumulate) {
        convolutions.transposeBackwardWeights(s, io, x, dy, dw, db, batch, accumulate);
    }

    /**
     * This backend's products with bf16 inputs — oneDNN's bf16 matmul, on the same engine, scratchpad and
     * threads — for a {@link Bf16Backend} over it. Needs a CPU with bf16 instructions (see {@link Backends}).
     */
    Bf16Products bf16Products() {
        return new OneDnnBf16Products(this, new Bf16Primitives(engine, scratchpad, primitives),
                new OneDnnConvolutions(this, new ConvPrimitives(engine, scratchpad, convLayout, true)));
    }

    @Override
    public void reluBackward(Tensor dy, Tensor y, int batch) {
        requireShape(dy, batch, y.cols());
        requireShape(y, batch, dy.cols());
        if (batch == 0) return;
        enter();
        Execution e = primitives.reluBackward(batch, dy.cols());
        e.bind(RELU_DST, y.segment());
        e.bind(DIFF_DST, dy.segment());
        e.bind(DIFF_SRC, dy.segment());
        e.run();
    }

    @Override
    public void sigmoid(Tensor in, Tensor out, int batch) {
        requireShape(in, batch, out.cols());
        requireShape(out, batch, in.cols());
        if (batch == 0) return;
        enter();
        if (Gemm.takesRowPath(batch)) {
            // A single decode's 784 values: oneDNN's call (an OpenMP region) took 2.1 µs, this 0.5 (Zen 4).
            Elementwise.sigmoid(in.segment(), out.segment(), (long) batch * in.cols());
            return;
        }
        Execution e = primitives.sigmoid(batch, in.cols());
        e.bind(ELTWISE_SRC, in.segment());
        e.bind(ELTWISE_DST, out.segment());
        e.run();
    }

    /**
     * Runs a fused linear (with and without ReLU) and a sigmoid on a 3×1 problem (3 rows: one or two would take the
     * single-decode kernels and leave oneDNN's calls unprepared). FFM builds the stub of
     * each native function on its first call — about 10 ms apiece in a fresh JVM, ~0.2 s over a decode's
     * dozen oneDNN calls — and this makes every call of the forward path once. The 1×1 primitives stay
     * in the cache; they are a few hundred bytes.
     */
    @Override
    public void prepareForward() {
        int rows = PREPARE_ROWS;
        try (Arena arena = Arena.ofConfined()) {
            Tensor x = Tensor.allocate(arena, "prepare.x", rows, 1), w = Tensor.allocate(arena, "prepare.w", 1, 1);
            Tensor b = Tensor.allocate(arena, "prepare.b", 1, 1), y = Tensor.allocate(arena, "prepare.y", rows, 1);
            linearForward(x, w, b, y, rows, true);
            linearForward(x, w, b, y, rows, false);
            sigmoid(y, x, rows);
        }
    }

    private static final int PREPARE_ROWS = 3;

    /** Sets the calling thread's OpenMP team size before a primitive is created or run (see OpenMpThreads). */
    void enter() {
        if (closed) throw new IllegalStateException("onednn backend is closed");
        if (openMp) OpenMpThreads.pin(threads);
    }

    /**
     * The tensor is off-heap and holds at least {@code rows} rows of exactly {@code cols} columns: oneDNN
     * reads the segment through a raw address with those strides, so a mismatch would read the wrong
     * elements (or past the end) instead of failing.
     */
    static void requireShape(Tensor t, int rows, int cols) {
        if (t.cols() != cols || t.rows() < rows || rows < 0) {
            throw new IllegalArgumentException(t.name() + " is " + t.rows() + "x" + t.cols() + "; need at least "
                    + rows + " rows of " + cols + " columns");
        }
        if (!t.segment().isNative()) {
            throw new IllegalArgumentException(t.name() + " is on the Java heap; oneDNN needs off-heap tensors");
        }
    }

    @Override
    public WorkerPool workers() {
        return workers;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        workers.close();
        try {
            try {
                convolutions.close();
            } finally {
                primitives.close();
            }
        } finally {
            try {
                scratchpad.close();
            } finally {
                engine.close();
            }
        }
    }
}
