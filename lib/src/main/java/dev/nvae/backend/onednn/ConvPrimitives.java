package dev.nvae.backend.onednn;

import dev.nvae.backend.onednn.Attributes.PostOp;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static dev.nvae.ffm.dnnl.dnnl_h.*;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The convolution and deconvolution primitives of convolution layers, created on the first use of each
 * shape and batch and then reused, like {@link PrimitiveCache}'s matmuls. Geometry as in
 * {@code dev.nvae.backend.ConvShape}: a convolution from (ci, h, w) to (co, oh, ow), kernel k; a
 * deconvolution (PyTorch's ConvTranspose2d) is its adjoint, from (co, oh, ow) back to (ci, h, w), with
 * the same (co, ci, k, k) weights — OIHW for the convolution, IOHW (the same bytes) for the deconvolution,
 * whose output channels come first in oneDNN's logical order. Tensors are NCHW, or NHWC where the caller
 * holds one in the backend's own layout (each method's {@code nhwcIn} for the layer's input side,
 * {@code nhwcOut} for its output side; dev.nvae.backend.ConvLayouts).
 *
 * <p>Backward primitives are created with a forward descriptor of the same shape as their hint. Weight
 * gradients come with the bias gradient from the same primitive; accumulating ones add through a reorder
 * with a sum post-op ({@link ConvExecution}).
 *
 * <p>A set is float32 or bf16 throughout (see the constructors): a bf16 set reads bf16 and writes f32.
 *
 * <p>{@link Layout} chooses the primitives' own layouts — plain, blocked or channels-last — with reorders
 * from and to the tensors' where they differ; the default is the faster on the conv N-VAE's shapes (see
 * the constant). Not thread-safe: one backend is driven by one thread at a time.
 */
public final class ConvPrimitives implements AutoCloseable {
    /**
     * Where the primitives' data operands (activations and their gradients) live. In every layout a tensor
     * is NCHW, or NHWC where the caller says it is held in the backend's own layout (dev.nvae.backend.ConvLayouts)
     * (a tensor passed from one convolution layer to the next); a primitive that reads or writes another
     * layout goes through a reorder ({@link ConvExecution}).
     */
    public enum Layout {
        /** NCHW/OIHW, the tensors' plain layout: no reorders for NCHW tensors. */
        PLAIN,
        /** Format "any": the layouts oneDNN's implementation prefers (blocked, nChw16c and the like). */
        BLOCKED,
        /**
         * NHWC for the data operands, the weights "any": the layout of oneDNN's brgemm convolutions at f32 and
         * bf16 on AVX-512 and AMX, and the one a tensor between two convolution layers is held in, so that
         * such a tensor is never reordered. A primitive that writes a narrow output ({@link #NARROW_CHANNELS})
         * keeps its data operands "any" and its weights plain, as in BLOCKED; one for which oneDNN has only
         * its reference implementation on NHWC (a CPU without the ISA of its fast ones) falls back to "any".
         */
        CHANNELS_LAST
    }

    /**
     * Blocked. On plain NCHW operands oneDNN 3.13 picks its {@code jit_uni_ncsp} convolution, which runs
     * many short OpenMP regions per call: each ends in a barrier, and on a machine with more runnable
     * threads than cores every barrier waits for a descheduled team member. Measured on the conv N-VAE's
     * training step (Zen 4, 2 threads, batch 128, {@code StepProfile onednn 60 2 conv}): see the commit
     * that set it. Under "any" the bf16 primitives on AMX choose NHWC, the layout the tensors between two
     * convolution layers are held in, so at bf16 those pass from layer to layer with no reorder but the
     * rounding; the f32 ones choose nChw16c. Channels-last f32 primitives ran the conv N-VAE's step no faster
     * on an AMX Xeon (oneDNN's own timings: 3.3 ms a step fewer reorders, 3–4 ms more in the convolutions,
     * its weight gradients above all). {@code -Dnvae.onednn.convLayout=plain|blocked|channels_last} overrides it.
     */
    public static final Layout DEFAULT_LAYOUT =
            Layout.valueOf(System.getProperty("nvae.onednn.convLayout", "blocked").toUpperCase(java.util.Locale.ROOT));

    /**
     * Channel counts below this make an output "narrow": a blocked layout pads channels to a block of 16
     * (8 with AVX2 alone), and a primitive that writes a narrow output through blocked weights computes
     * every channel of the block. oneDNN 3.13's brgemm deconvolution writing the conv N-VAE's one-channel
     * image did 16 times the work and ran at a fifth of the speed of its im2col GEMM. So a primitive that
     * writes the conv's input side (a deconvolution's forward, a convolution's backward-data) when that side
     * has fewer channels is given the weights in their own layout, which steers oneDNN to the GEMM; the data
     * operands stay "any". A narrow output side (co) is left to oneDNN: no layer of ours has one. Measured
     * by {@code bench/jmh ConvBench} (see the README's conv benchmarks).
     */
    static final int NARROW_CHANNELS = 16;

    /** Slots of {@link #forward} and {@link #transposedForward}. */
    public static final int SRC = 0, WEIGHTS = 1, BIAS = 2, DST = 3;
    /** Slots of {@link #backwardData} and {@link #transposedBackwardData}. */
    public static final int DIFF_DST = 0, DATA_WEIGHTS = 1, DIFF_SRC = 2;
    /** Slots of {@link #backwardWeights} and {@link #transposedBackwardWeights}. */
    public static final int WEIGHTS_SRC = 0, WEIGHTS_DIFF_DST = 1, DIFF_WEIGHTS = 2, DIFF_BIAS = 3;

    private enum Op { FORWARD, BACKWARD_DATA, BACKWARD_WEIGHTS, BACKWARD_WEIGHTS_SUM }

    private final Engine engine;
    private final Scratchpad scratchpad;
    private final Layout layout;
    private final int input;   // the data type of what the primitives read: f32 or bf16
    private final List<Entry> entries = new ArrayList<>();

    /** One cached primitive: found by comparing fields, so a lookup allocates nothing. */
    private record Entry(boolean transposed, Op op, boolean relu, boolean nhwcIn, boolean nhwcOut, int batch, int ci, int h,
                         int w, int co, int k, int stride, int pad, ConvExecution execution) {
        boolean matches(boolean transposed, Op op, boolean relu, boolean nhwcIn, boolean nhwcOut, int batch, int ci, int h,
                        int w, int co, int k, int stride, int pad) {
            return this.transposed == transposed && this.op == op && this.relu == relu && this.nhwcIn == nhwcIn
                    && this.nhwcOut == nhwcOut
                    && this.batch == batch && this.ci == ci && this.h == h && this.w == w && this.co == co
                    && this.k == k && this.stride == stride && this.pad == pad;
        }
    }

    /** Float32 primitives: every operand f32. */
    public ConvPrimitives(Engine engine, Scratchpad scratchpad, Layout layout) {
        this(engine, scratchpad, layout, false);
    }

    /**
     * @param bf16 whether the primitives multiply bf16: what they read — the source, the weights and the
     *             gradient flowing back — is bf16, what they write (output, data and weight gradients, bias
     *             gradient) f32, accumulated in f32. The f32 activations and gradients are rounded to bf16
     *             by the reorders into the primitive's layout ({@link ConvExecution}); the weights are bound
     *             as the caller's bf16 copies, in OIHW.
     */
    public ConvPrimitives(Engine engine, Scratchpad scratchpad, Layout layout, boolean bf16) {
        this.engine = engine;
        this.scratchpad = scratchpad;
        this.layout = layout;
        this.input = bf16 ? dnnl_bf16() : dnnl_f32();
    }

    /** y (B,co,oh,ow) = conv(x (B,ci,h,w)) + b, ReLU fused as a post-op if asked. Slots SRC, WEIGHTS, BIAS, DST. */
    public ConvExecution forward(boolean nhwcIn, boolean nhwcOut, int batch, int ci, int h, int w, int co, int k,
                                 int stride, int pad, boolean relu) {
        return get(false, Op.FORWARD, relu, nhwcIn, nhwcOut, batch, ci, h, w, co, k, stride, pad);
    }

    /** dx (B,ci,h,w) from dy (B,co,oh,ow). Slots DIFF_DST, DATA_WEIGHTS, DIFF_SRC. */
    public ConvExecution backwardData(boolean nhwcIn, boolean nhwcOut, int batch, int ci, int h, int w, int co, int k,
                                      int stride, int pad) {
        return get(false, Op.BACKWARD_DATA, false, nhwcIn, nhwcOut, batch, ci, h, w, co, k, stride, pad);
    }

    /** dw (co,ci,k,k) and db (co) from x and dy, added when {@code accumulate}. Slots WEIGHTS_SRC, WEIGHTS_DIFF_DST, DIFF_WEIGHTS, DIFF_BIAS. */
    public ConvExecution backwardWeights(boolean nhwcIn, boolean nhwcOut, int batch, int ci, int h, int w, int co, int k,
                                         int stride, int pad, boolean accumulate) {
        return get(false, accumulate ? Op.BACKWARD_WEIGHTS_SUM : Op.BACKWARD_WEIGHTS, false, nhwcIn, nhwcOut, batch, ci, h, w, co, k,
                stride, pad);
    }

    /** y (B,ci,h,w) = deconv(x (B,co,oh,ow)) + b (ci), ReLU if asked. Slots SRC, WEIGHTS, BIAS, DST. */
    public ConvExecution transposedForward(boolean nhwcIn, boolean nhwcOut, int batch, int ci, int h, int w, int co, int k,
                                           int stride, int pad, boolean relu) {
        return get(true, Op.FORWARD, relu, nhwcIn, nhwcOut, batch, ci, h, w, co, k, stride, pad);
    }

    /** dx (B,co,oh,ow) from dy (B,ci,h,w). Slots DIFF_DST, DATA_WEIGHTS, DIFF_SRC. */
    public ConvExecution transposedBackwardData(boolean nhwcIn, boolean nhwcOut, int batch, int ci, int h, int w, int co, int k,
                                                int stride, int pad) {
        return get(true, Op.BACKWARD_DATA, false, nhwcIn, nhwcOut, batch, ci, h, w, co, k, stride, pad);
    }

    /** dw (co,ci,k,k) and db (ci) from x (B,co,oh,ow) and dy (B,ci,h,w). Slots as {@link #backwardWeights}. */
    public ConvExecution transposedBackwardWeights(boolean nhwcIn, boolean nhwcOut, int batch, int ci, int h, int w, int co,
                                                   int k, int stride, int pad, boolean accumulate) {
        return get(true, accumulate ? Op.BACKWARD_WEIGHTS_SUM : Op.BACKWARD_WEIGHTS, false, nhwcIn, nhwcOut, batch, ci, h, w, co, k,
                stride, pad);
    }

    private ConvExecution get(boolean transposed, Op op, boolean relu, boolean nhwcIn, boolean nhwcOut, int batch, int ci,
                              int h, int w, int co, int k, int stride, int pad) {
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (e.matches(transposed, op, relu, nhwcIn, nhwcOut, batch, ci, h, w, co, k, stride, pad)) return e.execution;
        }
        Geometry g = new Geometry(transposed, batch, ci, h, w, co, k, stride, pad);
        ConvExecution e = create(g, op, relu, nhwcIn, nhwcOut, dataTag(g, op));
        if (layout == Layout.CHANNELS_LAST && reference(e.implementation())) {
            // oneDNN's reference code is orders of magnitude slower than a reorder into the layout it prefers.
            e.close();
            e = create(g, op, relu, nhwcIn, nhwcOut, dnnl_format_tag_any());
        }
        entries.add(new Entry(transposed, op, relu, nhwcIn, nhwcOut, batch, ci, h, w, co, k, stride, pad, e));
        return e;
    }

    /**
     * Whether oneDNN chose its reference code: "ref:any", or within a deconvolution, which oneDNN runs as a
     * convolution and names "conv:any+" and the convolution's implementation ("conv:any+ref:any").
     */
    static boolean reference(String implementation) {
        return implementation.startsWith("ref:") || implementation.contains("+ref:");
    }

    /** The format tag the primitive's data operands are created with (see {@link Layout}). */
    private int dataTag(Geometry g, Op op) {
        return switch (layout) {
            case PLAIN -> dnnl_nchw();
            case BLOCKED -> dnnl_format_tag_any();
            case CHANNELS_LAST -> writesNarrow(g, op) ? dnnl_format_tag_any() : dnnl_nhwc();
        };
    }

    /**
     * The primitive's geometry in oneDNN's terms: source and destination of the primitive (for the
     * deconvolution, the convolution's output and input), weights, bias, and the right padding that makes
     * PyTorch's rounded-down output size exact: (oh − 1)·stride + k − h − pad.
     */
    private record Geometry(boolean transposed, int batch, int ci, int h, int w, int co, int k, int stride, int pad) {
        int oh() {
            return (h + 2 * pad - k) / stride + 1;
        }

        int ow() {
            return (w + 2 * pad - k) / stride + 1;
        }

        /** Channels of the primitive's source and destination. */
        int srcChannels() {
            return transposed ? co : ci;
        }

        int dstChannels() {
            return transposed ? ci : co;
        }

        MemoryDesc src(int type, int tag) {
            return transposed ? MemoryDesc.typed(type, tag, batch, co, oh(), ow()) : MemoryDesc.typed(type, tag, batch, ci, h, w);
        }

        MemoryDesc dst(int type, int tag) {
            return transposed ? MemoryDesc.typed(type, tag, batch, ci, h, w) : MemoryDesc.typed(type, tag, batch, co, oh(), ow());
        }

        /** Logical (out, in, k, k) of the primitive: the deconvolution's out are our ci, stored second (IOHW). */
        MemoryDesc weights(int type, boolean own) {
            if (transposed) return MemoryDesc.typed(type, own ? dnnl_iohw() : dnnl_format_tag_any(), ci, co, k, k);
            return MemoryDesc.typed(type, own ? dnnl_oihw() : dnnl_format_tag_any(), co, ci, k, k);
        }

        MemoryDesc bias() {
            return MemoryDesc.tagged(dnnl_a(), transposed ? ci : co);
        }

        void dims(MemorySegment strides, MemorySegment dilates, MemorySegment padL, MemorySegment padR) {
            strides.setAtIndex(JAVA_LONG, 0, stride);
            strides.setAtIndex(JAVA_LONG, 1, stride);
            dilates.setAtIndex(JAVA_LONG, 0, 0);
            dilates.setAtIndex(JAVA_LONG, 1, 0);
            padL.setAtIndex(JAVA_LONG, 0, pad);
            padL.setAtIndex(JAVA_LONG, 1, pad);
            padR.setAtIndex(JAVA_LONG, 0, (long) (oh() - 1) * stride + k - h - pad);
            padR.setAtIndex(JAVA_LONG, 1, (long) (ow() - 1) * stride + k - w - pad);
        }

        @Override
        public String toString() {
            String conv = ci + "x" + h + "x" + w + "->" + co + "x" + oh() + "x" + ow() + " k" + k + " s" + stride + " p" + pad;
            return (transposed ? "deconvolution (adjoint of " + conv + ")" : "convolution " + conv) + " batch " + batch;
        }
    }

    /** Whether the primitive writes a data tensor of fewer than {@link #NARROW_CHANNELS} channels: the conv's input side. */
    private static boolean writesNarrow(Geometry g, Op op) {
        return g.ci < NARROW_CHANNELS && (g.transposed ? op == Op.FORWARD : op == Op.BACKWARD_DATA);
    }

    /**
     * @param nhwcIn  whether the tensor on the primitive's source side (the layer's input) is held NHWC, else NCHW
     * @param nhwcOut whether the destination side's (the layer's output) is
     * @param any     the format tag of the primitive's data operands ({@link #dataTag})
     */
    private ConvExecution create(Geometry g, Op op, boolean relu, boolean nhwcIn, boolean nhwcOut, int any) {
        boolean t = g.transposed;
        int alg = t ? dnnl_deconvolution_direct() : dnnl_convolution_direct();
        int f32 = dnnl_f32();
        // What a primitive reads is of the input type, what it writes f32 (the same for an f32 set). The
        // backward primitives' forward hint reads and writes the input type, as a bf16 network's forward would.
        try (Arena scratch = Arena.ofConfined();
             MemoryDesc src = g.src(input, any);
             MemoryDesc srcOut = g.src(f32, any);
             MemoryDesc dst = g.dst(input, any);
             MemoryDesc dstOut = g.dst(f32, any);
             MemoryDesc wt = g.weights(input, layout == Layout.PLAIN || writesNarrow(g, op));
             MemoryDesc wtOut = g.weights(f32, layout == Layout.PLAIN);
             MemoryDesc bias = g.bias();
             MemoryDesc ownSrc = g.src(f32, nhwcIn ? dnnl_nhwc() : dnnl_nchw());
             MemoryDesc ownDst = g.dst(f32, nhwcOut ? dnnl_nhwc() : dnnl_nchw());
             // A one-channel tensor has the same bytes in NCHW and NHWC: whichever the primitive chose needs no reorder.
             MemoryDesc srcAlike = g.srcChannels() != 1 ? null : g.src(f32, nhwcIn ? dnnl_nchw() : dnnl_nhwc());
             MemoryDesc dstAlike = g.dstChannels() != 1 ? null : g.dst(f32, nhwcOut ? dnnl_nchw() : dnnl_nhwc());
             MemoryDesc ownWt = g.weights(input, true);
             MemoryDesc ownWtOut = g.weights(f32, true)) {
            MemorySegment strides = scratch.allocate(dnnl_dims_t), dilates = scratch.allocate(dnnl_dims_t);
            MemorySegment padL = scratch.allocate(dnnl_dims_t), padR = scratch.allocate(dnnl_dims_t);
            g.dims(strides, dilates, padL, padR);
            PrimitiveDesc fwd;
            MemoryDesc fwdDst = op == Op.FORWARD ? dstOut : dst;
            try (Attributes attr = new Attributes(relu ? PostOp.RELU : PostOp.NONE)) {
                fwd = new PrimitiveDesc(t ? "dnnl_deconvolution_forward_primitive_desc_create" : "dnnl_convolution_forward_primitive_desc_create",
                        o -> t ? dnnl_deconvolution_forward_primitive_desc_create(o, engine.engine(), dnnl_forward_training(), alg,
                                src.handle(), wt.handle(), bias.handle(), fwdDst.handle(), strides, dilates, padL, padR, attr.handle())
                                : dnnl_convolution_forward_primitive_desc_create(o, engine.engine(), dnnl_forward_training(), alg,
                                src.handle(), wt.handle(), bias.handle(), fwdDst.handle(), strides, dilates, padL, padR, attr.handle()));
            }
            String what = (input == f32 ? "" : "bf16 ") + (op == Op.FORWARD ? "forward" + (relu ? " relu" : "") : op == Op.BACKWARD_DATA ? "backward-data"
                    : "backward-weights" + (op == Op.BACKWARD_WEIGHTS_SUM ? " +=" : "")) + " " + g;
            if (op == Op.FORWARD) {
                return new ConvExecution(what, engine, scratchpad, fwd, null,
                        new int[]{DNNL_ARG_SRC(), DNNL_ARG_WEIGHTS(), DNNL_ARG_BIAS(), DNNL_ARG_DST()},
                        new MemoryDesc[]{ownSrc, ownWt, bias, ownDst}, new MemoryDesc[]{srcAlike, null, null, dstAlike},
                        new boolean[]{false, false, false, true}, new boolean[4]);
            }
            PrimitiveDesc pd;
            try (Attributes attr = new Attributes(PostOp.NONE)) {
                if (op == Op.BACKWARD_DATA) {
                    pd = new PrimitiveDesc(t ? "dnnl_deconvolution_backward_data_primitive_desc_create" : "dnnl_convolution_backward_data_primitive_desc_create",
                            o -> t ? dnnl_deconvolution_backward_data_primitive_desc_create(o, engine.engine(), alg, srcOut.handle(),
                                    wt.handle(), dst.handle(), strides, dilates, padL, padR, fwd.handle(), attr.handle())
                                    : dnnl_convolution_backward_data_primitive_desc_create(o, engine.engine(), alg, srcOut.handle(),
                                    wt.handle(), dst.handle(), strides, dilates, padL, padR, fwd.handle(), attr.handle()));
                } else {
                    pd = new PrimitiveDesc(t ? "dnnl_deconvolution_backward_weights_primitive_desc_create" : "dnnl_convolution_backward_weights_primitive_desc_create",
                            o -> t ? dnnl_deconvolution_backward_weights_primitive_desc_create(o, engine.engine(), alg, src.handle(),
                                    wtOut.handle(), bias.handle(), dst.handle(), strides, dilates, padL, padR, fwd.handle(), attr.handle())
                                    : dnnl_convolution_backward_weights_primitive_desc_create(o, engine.engine(), alg, src.handle(),
                                    wtOut.handle(), bias.handle(), dst.handle(), strides, dilates, padL, padR, fwd.handle(), attr.handle()));
                }
            } catch (RuntimeException | Error e) {
                fwd.close();
                throw e;
            }
            if (op == Op.BACKWARD_DATA) {
                return new ConvExecution(what, engine, scratchpad, pd, fwd,
                        new int[]{DNNL_ARG_DIFF_DST(), DNNL_ARG_WEIGHTS(), DNNL_ARG_DIFF_SRC()},
                        new MemoryDesc[]{ownDst, ownWt, ownSrc}, new MemoryDesc[]{dstAlike, null, srcAlike},
                        new boolean[]{false, false, true}, new boolean[3]);
            }
            boolean sum = op == Op.BACKWARD_WEIGHTS_SUM;
            return new ConvExecution(what, engine, scratchpad, pd, fwd,
                    new int[]{DNNL_ARG_SRC(), DNNL_ARG_DIFF_DST(), DNNL_ARG_DIFF_WEIGHTS(), DNNL_ARG_DIFF_BIAS()},
                    new MemoryDesc[]{ownSrc, ownDst, ownWtOut, bias}, new MemoryDesc[]{srcAlike, dstAlike, null, null},
                    new boolean[]{false, false, true, true},
                    new boolean[]{false, false, sum, sum});
        }
    }

    /** One line per cached primitive: what it computes, the implementation, the reordered operands. */
    public List<String> describe() {
        return entries.stream().map(e -> e.execution.describe()).toList();
    }

    @Override
    public void close() {
        Owned all = new Owned();
        for (Entry e : entries) all.add(e.execution);
        entries.clear();
        all.close();
    }
}
