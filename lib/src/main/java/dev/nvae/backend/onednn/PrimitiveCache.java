package dev.nvae.backend.onednn;

import dev.nvae.backend.onednn.Attributes.PostOp;

import java.lang.foreign.MemorySegment;
import java.util.List;

import static dev.nvae.ffm.dnnl.dnnl_h.*;

/**
 * The primitives a linear layer and its activations need, created on first use of each shape and then
 * reused: the last, smaller batch of an epoch is one more shape. All GEMMs are matmul primitives on the
 * tensors' own row-major layouts; a transposed operand is the same bytes described by strides, so nothing
 * is reordered or copied. Shapes: B batch, I layer input, O layer output.
 *
 * <p>Not thread-safe: one backend is driven by one thread at a time.
 */
public final class PrimitiveCache implements AutoCloseable {
    /** Slots of every matmul execution. */
    public static final int SRC = 0, WEIGHTS = 1, DST = 2, BIAS = 3;
    /** Slots of {@link #reluBackward}: the ReLU's output, and the gradient updated in place (bind it twice). */
    public static final int RELU_DST = 0, DIFF_DST = 1, DIFF_SRC = 2;
    /** Slots of {@link #sigmoid}. */
    public static final int ELTWISE_SRC = 0, ELTWISE_DST = 1;

    private static final int FORWARD = 1, FORWARD_RELU = 2, BACKWARD_DATA = 3, WEIGHT_GRADIENT = 4,
            BIAS_GRADIENT = 5, RELU_BACKWARD = 6, SIGMOID = 7, WEIGHT_GRADIENT_SET = 8, BIAS_GRADIENT_SET = 9;

    private final Engine engine;
    private final Scratchpad scratchpad;
    private final OnesVector ones = new OnesVector();
    private final ShapeCache cache = new ShapeCache();

    public PrimitiveCache(Engine engine, Scratchpad scratchpad) {
        this.engine = engine;
        this.scratchpad = scratchpad;
    }

    /** y (B,O) = x (B,I)·w (I,O) + b (1,O), ReLU fused as a post-op if asked. Slots SRC x, WEIGHTS w, BIAS b, DST y. */
    public Execution linearForward(int batch, int in, int out, boolean relu) {
        long key = ShapeCache.key(relu ? FORWARD_RELU : FORWARD, batch, in, out);
        Execution e = cache.get(key);
        if (e != null) return e;
        try (MemoryDesc x = MemoryDesc.rowMajor(batch, in);
             MemoryDesc w = MemoryDesc.rowMajor(in, out);
             MemoryDesc b = MemoryDesc.rowMajor(1, out);
             MemoryDesc y = MemoryDesc.rowMajor(batch, out)) {
            return remember(key, matmul("linear " + batch + "x" + in + "->" + out + (relu ? " relu" : ""),
                    x, w, b, y, relu ? PostOp.RELU : PostOp.NONE));
        }
    }

    /** dx (B,I) = dy (B,O)·wᵀ, wᵀ read in place from w (I,O). Slots SRC dy, WEIGHTS w, DST dx. */
    public Execution linearBackwardData(int batch, int in, int out) {
        long key = ShapeCache.key(BACKWARD_DATA, batch, in, out);
        Execution e = cache.get(key);
        if (e != null) return e;
        try (MemoryDesc dy = MemoryDesc.rowMajor(batch, out);
             MemoryDesc wt = MemoryDesc.transposedView(out, in);
             MemoryDesc dx = MemoryDesc.rowMajor(batch, in)) {
            return remember(key, matmul("backward-data " + batch + "x" + out + "->" + in, dy, wt, null, dx, PostOp.NONE));
        }
    }

    /**
     * dw (I,O) (+)= xᵀ·dy: xᵀ read in place from x (B,I); with {@code accumulate} the sum post-op adds
     * into dw, else dw is written over. Slots SRC x, WEIGHTS dy, DST dw.
     */
    public Execution weightGradient(int batch, int in, int out, boolean accumulate) {
        long key = ShapeCache.key(accumulate ? WEIGHT_GRADIENT : WEIGHT_GRADIENT_SET, batch, in, out);
        Execution e = cache.get(key);
        if (e != null) return e;
        try (MemoryDesc xt = MemoryDesc.transposedView(in, batch);
             MemoryDesc dy = MemoryDesc.rowMajor(batch, out);
             MemoryDesc dw = MemoryDesc.rowMajor(in, out)) {
            return remember(key, matmul("weight-gradient " + in + "x" + batch + "x" + out + (accumulate ? " +=" : ""),
                    xt, dy, null, dw, accumulate ? PostOp.SUM : PostOp.NONE));
        }
    }

    /**
     * db (1,O) (+)= 1ᵀ·dy: the column sums of dy as a matmul, added with {@code accumulate}.
     * Slots SRC {@link #ones()}, WEIGHTS dy, DST db.
     */
    public Execution biasGradient(int batch, int out, boolean accumulate) {
        long key = ShapeCache.key(accumulate ? BIAS_GRADIENT : BIAS_GRADIENT_SET, batch, out, 0);
        Execution e = cache.get(key);
        if (e != null) return e;
        ones.ensure(batch);
        try (MemoryDesc o = MemoryDesc.rowMajor(1, batch);
             MemoryDesc dy = MemoryDesc.rowMajor(batch, out);
             MemoryDesc db = MemoryDesc.rowMajor(1, out)) {
            return remember(key, matmul("bias-gradient " + batch + "x" + out + (accumulate ? " +=" : ""),
                    o, dy, null, db, accumulate ? PostOp.SUM : PostOp.NONE));
        }
    }

    /** At least as many 1.0f as the largest batch of any {@link #biasGradient} created so far. */
    public MemorySegment ones() {
        return ones.segment();
    }

    /**
     * dy ← dy ⊙ [y > 0] on (rows, cols), computed from the ReLU's output y (the {@code use_dst_for_bwd}
     * variant: forward keeps only y). In place: bind the same segment to DIFF_DST and DIFF_SRC.
     */
    public Execution reluBackward(int rows, int cols) {
        long key = ShapeCache.key(RELU_BACKWARD, rows, cols, 0);
        Execution e = cache.get(key);
        if (e != null) return e;
        int alg = dnnl_eltwise_relu_use_dst_for_bwd();
        try (MemoryDesc md = MemoryDesc.rowMajor(rows, cols);
             Attributes attr = new Attributes(PostOp.NONE)) {
            PrimitiveDesc hint = new PrimitiveDesc("dnnl_eltwise_forward_primitive_desc_create",
                    o -> dnnl_eltwise_forward_primitive_desc_create(o, engine.engine(), dnnl_forward_training(), alg,
                            md.handle(), md.handle(), 0f, 0f, attr.handle()));
            PrimitiveDesc pd;
            try {
                pd = new PrimitiveDesc("dnnl_eltwise_backward_primitive_desc_create",
                        o -> dnnl_eltwise_backward_primitive_desc_create(o, engine.engine(), alg, md.handle(), md.handle(),
                                md.handle(), 0f, 0f, hint.handle(), attr.handle()));
            } catch (RuntimeException ex) {
                hint.close();
                throw ex;
            }
            return remember(key, new Execution("relu-backward " + rows + "x" + cols, engine, scratchpad, pd, hint,
                    DNNL_ARG_DST(), DNNL_ARG_DIFF_DST(), DNNL_ARG_DIFF_SRC()));
        }
    }

    /** out = σ(in) on (rows, cols). Slots ELTWISE_SRC, ELTWISE_DST (may be the same segment). */
    public Execution sigmoid(int rows, int cols) {
        long key = ShapeCache.key(SIGMOID, rows, cols, 0);
        Execution e = cache.get(key);
        if (e != null) return e;
        try (MemoryDesc md = MemoryDesc.rowMajor(rows, cols);
             Attributes attr = new Attributes(PostOp.NONE)) {
            PrimitiveDesc pd = new PrimitiveDesc("dnnl_eltwise_forward_primitive_desc_create",
                    o -> dnnl_eltwise_forward_primitive_desc_create(o, engine.engine(), dnnl_forward_inference(),
                            dnnl_eltwise_logistic(), md.handle(), md.handle(), 0f, 0f, attr.handle()));
            return remember(key, new Execution("sigmoid " + rows + "x" + cols, engine, scratchpad, pd, null,
                    DNNL_ARG_SRC(), DNNL_ARG_DST()));
        }
    }

    /** A matmul on the tensors' own layouts (refused if oneDNN would choose another), uncached; also for {@link Bf16Primitives}. */
    Execution matmul(String name, MemoryDesc src, MemoryDesc weights, MemoryDesc bias, MemoryDesc dst,
                     PostOp postOp) {
        try (Attributes attr = new Attributes(postOp)) {
            MemorySegment biasMd = bias == null ? MemorySegment.NULL : bias.handle();
            PrimitiveDesc pd = new PrimitiveDesc("dnnl_matmul_primitive_desc_create",
                    o -> dnnl_matmul_primitive_desc_create(o, engine.engine(), src.handle(), weights.handle(), biasMd,
                            dst.handle(), attr.handle()));
            try {
                pd.requireLayout(DNNL_ARG_SRC(), src);
                pd.requireLayout(DNNL_ARG_WEIGHTS(), weights);
                pd.requireLayout(DNNL_ARG_DST(), dst);
                if (bias != null) pd.requireLayout(DNNL_ARG_BIAS(), bias);
            } catch (RuntimeException e) {
                pd.close();
                throw e;
            }
            return bias == null
                    ? new Execution(name, engine, scratchpad, pd, null, DNNL_ARG_SRC(), DNNL_ARG_WEIGHTS(), DNNL_ARG_DST())
                    : new Execution(name, engine, scratchpad, pd, null, DNNL_ARG_SRC(), DNNL_ARG_WEIGHTS(), DNNL_ARG_DST(),
                    DNNL_ARG_BIAS());
        }
    }

    private Execution remember(long key, Execution e) {
        cache.put(key, e);
        return e;
    }

    /** How many primitives have been created. */
    public int size() {
        return cache.size();
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
            ones.close();
        }
    }
}
