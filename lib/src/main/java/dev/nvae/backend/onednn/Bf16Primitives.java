package dev.nvae.backend.onednn;

import dev.nvae.backend.onednn.Attributes.PostOp;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

import static dev.nvae.ffm.dnnl.dnnl_h.*;

/**
 * The primitives of a linear layer with bf16 inputs, created once per shape like {@link PrimitiveCache}'s:
 * matmuls whose source and weights are bf16 and whose bias and destination are f32 (oneDNN accumulates in
 * f32). Their f32 activation or gradient operand is rounded to bf16 by the caller, in Java.
 * Shapes: B batch, I layer input, O layer output. Weights are the caller's bf16 copies, row-major (I, O).
 *
 * <p>Also holds the two bf16 staging buffers those rounded operands are written into — one per operand of a product, so a
 * weight gradient can stage both — grown when a larger shape is first seen, never while executing.
 * Not thread-safe: one backend is driven by one thread at a time.
 */
public final class Bf16Primitives implements AutoCloseable {
    /** Slots of the matmul executions: as {@link PrimitiveCache}'s. */
    public static final int SRC = PrimitiveCache.SRC, WEIGHTS = PrimitiveCache.WEIGHTS, DST = PrimitiveCache.DST,
            BIAS = PrimitiveCache.BIAS;

    private static final int FORWARD = 2, FORWARD_RELU = 3, BACKWARD_DATA = 4, WEIGHT_GRADIENT = 5,
            WEIGHT_GRADIENT_SET = 6;

    private final Engine engine;
    private final Scratchpad scratchpad;
    private final PrimitiveCache f32;
    private final ShapeCache cache = new ShapeCache();
    private final Staging first = new Staging(), second = new Staging();

    /** @param f32 the backend's f32 primitives, whose matmul construction these share */
    public Bf16Primitives(Engine engine, Scratchpad scratchpad, PrimitiveCache f32) {
        this.engine = engine;
        this.scratchpad = scratchpad;
        this.f32 = f32;
    }

    /** y (B,O) f32 = x (B,I) bf16 · w (I,O) bf16 + b (1,O) f32, ReLU fused if asked. Slots SRC, WEIGHTS, BIAS, DST. */
    public Execution linearForward(int batch, int in, int out, boolean relu) {
        long key = ShapeCache.key(relu ? FORWARD_RELU : FORWARD, batch, in, out);
        Execution e = cache.get(key);
        if (e != null) return e;
        try (MemoryDesc x = MemoryDesc.rowMajor(batch, in, dnnl_bf16());
             MemoryDesc w = MemoryDesc.rowMajor(in, out, dnnl_bf16());
             MemoryDesc b = MemoryDesc.rowMajor(1, out);
             MemoryDesc y = MemoryDesc.rowMajor(batch, out)) {
            return remember(key, f32.matmul("bf16 linear " + batch + "x" + in + "->" + out + (relu ? " relu" : ""),
                    x, w, b, y, relu ? PostOp.RELU : PostOp.NONE));
        }
    }

    /** dx (B,I) f32 = dy (B,O) bf16 · wᵀ, wᵀ read in place from the bf16 w (I,O). Slots SRC dy, WEIGHTS w, DST dx. */
    public Execution linearBackwardData(int batch, int in, int out) {
        long key = ShapeCache.key(BACKWARD_DATA, batch, in, out);
        Execution e = cache.get(key);
        if (e != null) return e;
        try (MemoryDesc dy = MemoryDesc.rowMajor(batch, out, dnnl_bf16());
             MemoryDesc wt = MemoryDesc.transposedView(out, in, dnnl_bf16());
             MemoryDesc dx = MemoryDesc.rowMajor(batch, in)) {
            return remember(key, f32.matmul("bf16 backward-data " + batch + "x" + out + "->" + in, dy, wt, null, dx, PostOp.NONE));
        }
    }

    /**
     * dw (I,O) f32 (+)= xᵀ·dy with x (B,I) and dy (B,O) bf16, xᵀ read in place; the sum post-op adds with
     * {@code accumulate}. Slots SRC x, WEIGHTS dy, DST dw.
     */
    public Execution weightGradient(int batch, int in, int out, boolean accumulate) {
        long key = ShapeCache.key(accumulate ? WEIGHT_GRADIENT : WEIGHT_GRADIENT_SET, batch, in, out);
        Execution e = cache.get(key);
        if (e != null) return e;
        try (MemoryDesc xt = MemoryDesc.transposedView(in, batch, dnnl_bf16());
             MemoryDesc dy = MemoryDesc.rowMajor(batch, out, dnnl_bf16());
             MemoryDesc dw = MemoryDesc.rowMajor(in, out)) {
            return remember(key, f32.matmul("bf16 weight-gradient " + in + "x" + batch + "x" + out + (accumulate ? " +=" : ""),
                    xt, dy, null, dw, accumulate ? PostOp.SUM : PostOp.NONE));
        }
    }

    /** A bf16 staging buffer of at least {@code elements} for a product's first operand (src). */
    public MemorySegment first(long elements) {
        return first.ensure(elements);
    }

    /** A bf16 staging buffer of at least {@code elements} for a product's second operand. */
    public MemorySegment second(long elements) {
        return second.ensure(elements);
    }

    private Execution remember(long key, Execution e) {
        cache.put(key, e);
        return e;
    }

    /** One line per cached primitive: what it computes and the implementation oneDNN chose. */
    public List<String> describe() {
        return cache.entries().stream().map(Execution::describe).toList();
    }

    @Override
    public void close() {
        try {
            cache.close();
        } finally {
            try {
                first.close();
            } finally {
                second.close();
            }
        }
    }

    /** An off-heap bf16 buffer that grows to the largest request and is otherwise reused. */
    private static final class Staging implements AutoCloseable {
        private Arena arena = Arena.ofShared();
        private MemorySegment segment = arena.allocate(64, 64);

        MemorySegment ensure(long elements) {
            long bytes = elements * Short.BYTES;
            if (bytes <= segment.byteSize()) return segment;
            Arena bigger = Arena.ofShared();
            MemorySegment s = bigger.allocate(bytes, 64);
            arena.close();
            arena = bigger;
            segment = s;
            return s;
        }

        @Override
        public void close() {
            if (arena.scope().isAlive()) arena.close();
        }
    }
}
