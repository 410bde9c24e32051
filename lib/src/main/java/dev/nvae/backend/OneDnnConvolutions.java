package dev.nvae.backend;

import dev.nvae.backend.onednn.ConvExecution;
import dev.nvae.backend.onednn.ConvPrimitives;
import dev.nvae.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The six convolution operations of the {@link Backend} interface on one set of oneDNN primitives
 * ({@link ConvPrimitives}): the f32 set of a {@link OneDnnBackend}, or the bf16 set of its bf16 products.
 * Each checks the tensors' shapes, enters the backend (its OpenMP settings) and binds the tensors to the
 * cached primitive. The weights are bound as a segment the caller chooses — its bf16 copy, or null for the
 * f32 tensor itself — and checked through the f32 tensor, whose shape they share, before anything is bound.
 * A tensor {@link ConvLayouts} puts in the backend's own layout is NHWC here.
 */
final class OneDnnConvolutions implements AutoCloseable {
    private final OneDnnBackend backend;
    private final ConvPrimitives primitives;

    OneDnnConvolutions(OneDnnBackend backend, ConvPrimitives primitives) {
        this.backend = backend;
        this.primitives = primitives;
    }

    void forward(ConvShape s, ConvLayouts io, Tensor x, Tensor w, MemorySegment weights, Tensor b, Tensor y,
                 int batch, boolean relu) {
        ConvOperands.check(s, x, s.inSize(), w, b, s.outChannels(), y, s.outSize(), batch);
        if (batch == 0) return;
        backend.enter();
        ConvExecution e = primitives.forward(io.input(), io.output(), batch,
                s.inChannels(), s.inHeight(), s.inWidth(), s.outChannels(), s.kernel(),
                s.stride(), s.pad(), relu);
        run(e, ConvPrimitives.SRC, offHeap(x), ConvPrimitives.WEIGHTS, kernel(w, weights), ConvPrimitives.BIAS, offHeap(b),
                ConvPrimitives.DST, offHeap(y));
    }

    void backwardData(ConvShape s, ConvLayouts io, Tensor dy, Tensor w, MemorySegment weights, Tensor dx, int batch) {
        ConvOperands.check(s, dy, s.outSize(), w, null, 0, dx, s.inSize(), batch);
        if (batch == 0) return;
        backend.enter();
        ConvExecution e = primitives.backwardData(io.input(), io.output(), batch,
                s.inChannels(), s.inHeight(), s.inWidth(), s.outChannels(),
                s.kernel(), s.stride(), s.pad());
        run(e, ConvPrimitives.DIFF_DST, offHeap(dy), ConvPrimitives.DATA_WEIGHTS, kernel(w, weights), ConvPrimitives.DIFF_SRC,
                offHeap(dx), -1, null);
    }

    void backwardWeights(ConvShape s, ConvLayouts io, Tensor x, Tensor dy, Tensor dw, Tensor db,
                         int batch, boolean accumulate) {
        ConvOperands.check(s, x, s.inSize(), dw, db, s.outChannels(), dy, s.outSize(), batch);
        if (batch == 0) return;
        backend.enter();
        ConvExecution e = primitives.backwardWeights(io.input(), io.output(), batch,
                s.inChannels(), s.inHeight(), s.inWidth(), s.outChannels(),
                s.kernel(), s.stride(), s.pad(), accumulate);
        run(e, ConvPrimitives.WEIGHTS_SRC, offHeap(x), ConvPrimitives.WEIGHTS_DIFF_DST, offHeap(dy),
                ConvPrimitives.DIFF_WEIGHTS, offHeap(dw), ConvPrimitives.DIFF_BIAS, offHeap(db));
    }

    void transposeForward(ConvShape s, ConvLayouts io, Tensor x, Tensor w, MemorySegment weights, Tensor b, Tensor y,
                          int batch,
                          boolean relu) {
        ConvOperands.check(s, x, s.outSize(), w, b, s.inChannels(), y, s.inSize(), batch);
        if (batch == 0) return;
        backend.enter();
        ConvExecution e = primitives.transposedForward(io.input(), io.output(), batch,
                s.inChannels(), s.inHeight(), s.inWidth(), s.outChannels(),
                s.kernel(), s.stride(), s.pad(), relu);
        run(e, ConvPrimitives.SRC, offHeap(x), ConvPrimitives.WEIGHTS, kernel(w, weights), ConvPrimitives.BIAS, offHeap(b),
                ConvPrimitives.DST, offHeap(y));
    }

    void transposeBackwardData(ConvShape s, ConvLayouts io, Tensor dy, Tensor w, MemorySegment weights, Tensor dx,
                               int batch) {
        ConvOperands.check(s, dy, s.inSize(), w, null, 0, dx, s.outSize(), batch);
        if (batch == 0) return;
        backend.enter();
        ConvExecution e = primitives.transposedBackwardData(io.input(), io.output(), batch,
                s.inChannels(), s.inHeight(), s.inWidth(),
                s.outChannels(), s.kernel(), s.stride(), s.pad());
        run(e, ConvPrimitives.DIFF_DST, offHeap(dy), ConvPrimitives.DATA_WEIGHTS, kernel(w, weights), ConvPrimitives.DIFF_SRC,
                offHeap(dx), -1, null);
    }

    void transposeBackwardWeights(ConvShape s, ConvLayouts io, Tensor x, Tensor dy, Tensor dw, Tensor db,
                                  int batch, boolean accumulate) {
        ConvOperands.check(s, dy, s.inSize(), dw, db, s.inChannels(), x, s.outSize(), batch);
        if (batch == 0) return;
        backend.enter();
        ConvExecution e = primitives.transposedBackwardWeights(io.input(), io.output(), batch,
                s.inChannels(), s.inHeight(), s.inWidth(),
                s.outChannels(), s.kernel(), s.stride(), s.pad(), accumulate);
        run(e, ConvPrimitives.WEIGHTS_SRC, offHeap(x), ConvPrimitives.WEIGHTS_DIFF_DST, offHeap(dy),
                ConvPrimitives.DIFF_WEIGHTS, offHeap(dw), ConvPrimitives.DIFF_BIAS, offHeap(db));
    }

    /**
     * A convolution layer's backward products from one output gradient (Backend#convBackward): the weight and bias
     * gradients written over, then dx unless null, with dy reordered (at bf16: rounded) once for both where the two
     * primitives read it in the same layout.
     */
    void backward(ConvShape s, ConvLayouts io, Tensor x, Tensor dy, Tensor w, MemorySegment weights, Tensor dw, Tensor db,
                  Tensor dx, int batch) {
        ConvOperands.check(s, x, s.inSize(), dw, db, s.outChannels(), dy, s.outSize(), batch);
        if (dx != null) ConvOperands.check(s, dy, s.outSize(), w, null, 0, dx, s.inSize(), batch);
        if (batch == 0) return;
        backend.enter();
        ConvExecution ew = primitives.backwardWeights(io.input(), io.output(), batch,
                s.inChannels(), s.inHeight(), s.inWidth(),
                s.outChannels(), s.kernel(), s.stride(), s.pad(), false);
        run(ew, ConvPrimitives.WEIGHTS_SRC, offHeap(x), ConvPrimitives.WEIGHTS_DIFF_DST, offHeap(dy),
                ConvPrimitives.DIFF_WEIGHTS, offHeap(dw), ConvPrimitives.DIFF_BIAS, offHeap(db));
        if (dx == null) return;
        ConvExecution ed = primitives.backwardData(io.input(), io.output(), batch, s.inChannels(), s.inHeight(), s.inWidth(),
                s.outChannels(), s.kernel(), s.stride(), s.pad());
        runAfter(ew, ed, dy, kernel(w, weights), dx);
    }

    /** {@link #backward} for the deconvolution: its input gradient is a convolution of dy. */
    void transposeBackward(ConvShape s, ConvLayouts io, Tensor x, Tensor dy, Tensor w, MemorySegment weights, Tensor dw,
                           Tensor db, Tensor dx, int batch) {
        ConvOperands.check(s, dy, s.inSize(), dw, db, s.inChannels(), x, s.outSize(), batch);
        if (dx != null) ConvOperands.check(s, dy, s.inSize(), w, null, 0, dx, s.outSize(), batch);
        if (batch == 0) return;
        backend.enter();
        ConvExecution ew = primitives.transposedBackwardWeights(io.input(), io.output(), batch, s.inChannels(), s.inHeight(),
                s.inWidth(), s.outChannels(), s.kernel(), s.stride(), s.pad(), false);
        run(ew, ConvPrimitives.WEIGHTS_SRC, offHeap(x), ConvPrimitives.WEIGHTS_DIFF_DST, offHeap(dy),
                ConvPrimitives.DIFF_WEIGHTS, offHeap(dw), ConvPrimitives.DIFF_BIAS, offHeap(db));
        if (dx == null) return;
        ConvExecution ed = primitives.transposedBackwardData(io.input(), io.output(), batch, s.inChannels(), s.inHeight(),
                s.inWidth(), s.outChannels(), s.kernel(), s.stride(), s.pad());
        runAfter(ew, ed, dy, kernel(w, weights), dx);
    }

    /** The backward-data half of a {@link #backward}: dy is in {@code ew}'s buffer already where the two share it. */
    private static void runAfter(ConvExecution ew, ConvExecution ed, Tensor dy, MemorySegment kernel, Tensor dx) {
        ed.bind(ConvPrimitives.DIFF_DST, offHeap(dy));
        ed.bind(ConvPrimitives.DATA_WEIGHTS, kernel);
        ed.bind(ConvPrimitives.DIFF_SRC, offHeap(dx));
        boolean shared = ed.shareInput(ConvPrimitives.DIFF_DST, ew, ConvPrimitives.WEIGHTS_DIFF_DST);
        ed.runWithInputReady(shared ? ConvPrimitives.DIFF_DST : -1);
    }

    /** Binds up to four segments (slot −1: none) and runs. */
    private static void run(ConvExecution e, int s0, MemorySegment t0, int s1, MemorySegment t1, int s2, MemorySegment t2,
                            int s3, MemorySegment t3) {
        e.bind(s0, t0);
        e.bind(s1, t1);
        e.bind(s2, t2);
        if (s3 >= 0) e.bind(s3, t3);
        e.run();
    }

    /** The weights to bind: the caller's segment (a bf16 copy), or with null the f32 tensor itself. */
    private static MemorySegment kernel(Tensor w, MemorySegment weights) {
        return weights != null ? weights : offHeap(w);
    }

    /** The tensor's segment, after checking that oneDNN can read it (off the Java heap). */
    private static MemorySegment offHeap(Tensor t) {
        if (!t.segment().isNative()) {
            throw new IllegalArgumentException(t.name() + " is on the Java heap; oneDNN needs off-heap tensors");
        }
        return t.segment();
    }

    /** One line per cached primitive: what it computes, the implementation, the reordered operands. */
    List<String> describe() {
        return primitives.describe();
    }

    @Override
    public void close() {
        primitives.close();
    }
}
