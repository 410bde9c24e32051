package dev.nvae.bench;

import dev.nvae.backend.Backend;
import dev.nvae.backend.ConvLayouts;
import dev.nvae.backend.ConvShape;
import dev.nvae.backend.ForwardingBackend;
import dev.nvae.tensor.Tensor;

import java.util.Arrays;

/** A backend that adds up the wall time and count of each of its operations, for {@link StepProfile}. */
final class TimedBackend extends ForwardingBackend {
    static final String[] OPERATIONS = {"linear forward", "linear backward-data", "linear backward-weights",
            "linear backward (both)", "relu backward", "sigmoid",
            "conv forward", "conv backward-data", "conv backward-weights",
            "convT forward", "convT backward-data", "convT backward-weights", "conv backward (both)", "convT backward (both)"};
    private static final int FORWARD = 0, BACKWARD_DATA = 1, BACKWARD_WEIGHTS = 2, BACKWARD = 3, RELU_BACKWARD = 4, SIGMOID = 5;
    private static final int CONV = 6, CONV_DATA = 7, CONV_WEIGHTS = 8, CONVT = 9, CONVT_DATA = 10, CONVT_WEIGHTS = 11;
    private static final int CONV_BACKWARD = 12, CONVT_BACKWARD = 13;

    final long[] nanos = new long[OPERATIONS.length];
    final long[] calls = new long[OPERATIONS.length];

    TimedBackend(Backend inner) {
        super(inner);
    }

    void clear() {
        Arrays.fill(nanos, 0);
        Arrays.fill(calls, 0);
    }

    private void add(int op, long since) {
        nanos[op] += System.nanoTime() - since;
        calls[op]++;
    }

    @Override
    public void linearForward(Tensor x, Tensor w, Tensor b, Tensor y, int batch, boolean relu) {
        long t = System.nanoTime();
        super.linearForward(x, w, b, y, batch, relu);
        add(FORWARD, t);
    }

    @Override
    public void linearBackwardData(Tensor dy, Tensor w, Tensor dx, int batch) {
        long t = System.nanoTime();
        super.linearBackwardData(dy, w, dx, batch);
        add(BACKWARD_DATA, t);
    }

    @Override
    public void linearBackwardWeights(Tensor x, Tensor dy, Tensor dw, Tensor db, int batch, boolean accumulate) {
        long t = System.nanoTime();
        super.linearBackwardWeights(x, dy, dw, db, batch, accumulate);
        add(BACKWARD_WEIGHTS, t);
    }

    /** A convolution layer's two backward products in one call, as layers make them (oneDNN prepares dy once for both). */
    @Override
    public void convBackward(ConvShape s, ConvLayouts io, Tensor x, Tensor dy, Tensor w, Tensor dw, Tensor db, Tensor dx, int batch) {
        long t = System.nanoTime();
        wrapped().convBackward(s, io, x, dy, w, dw, db, dx, batch);
        add(CONV_BACKWARD, t);
    }

    @Override
    public void convTransposeBackward(ConvShape s, ConvLayouts io, Tensor x, Tensor dy, Tensor w, Tensor dw, Tensor db, Tensor dx,
                                      int batch) {
        long t = System.nanoTime();
        wrapped().convTransposeBackward(s, io, x, dy, w, dw, db, dx, batch);
        add(CONVT_BACKWARD, t);
    }

    /** A layer's two backward products in one call, as layers make them (a bf16 backend rounds dy once for both). */
    @Override
    public void linearBackward(Tensor x, Tensor dy, Tensor w, Tensor dw, Tensor db, Tensor dx, int batch) {
        long t = System.nanoTime();
        wrapped().linearBackward(x, dy, w, dw, db, dx, batch);  // the wrapped backend's own single call
        add(BACKWARD, t);
    }

    @Override
    public void reluBackward(Tensor dy, Tensor y, int batch) {
        long t = System.nanoTime();
        super.reluBackward(dy, y, batch);
        add(RELU_BACKWARD, t);
    }

    @Override
    public void sigmoid(Tensor in, Tensor out, int batch) {
        long t = System.nanoTime();
        super.sigmoid(in, out, batch);
        add(SIGMOID, t);
    }

    @Override
    public void convForward(ConvShape s, ConvLayouts io, Tensor x, Tensor w, Tensor b, Tensor y, int batch, boolean relu) {
        long t = System.nanoTime();
        super.convForward(s, io, x, w, b, y, batch, relu);
        add(CONV, t);
    }

    @Override
    public void convBackwardData(ConvShape s, ConvLayouts io, Tensor dy, Tensor w, Tensor dx, int batch) {
        long t = System.nanoTime();
        super.convBackwardData(s, io, dy, w, dx, batch);
        add(CONV_DATA, t);
    }

    @Override
    public void convBackwardWeights(ConvShape s, ConvLayouts io, Tensor x, Tensor dy, Tensor dw, Tensor db, int batch, boolean accumulate) {
        long t = System.nanoTime();
        super.convBackwardWeights(s, io, x, dy, dw, db, batch, accumulate);
        add(CONV_WEIGHTS, t);
    }

    @Override
    public void convTransposeForward(ConvShape s, ConvLayouts io, Tensor x, Tensor w, Tensor b, Tensor y, int batch, boolean relu) {
        long t = System.nanoTime();
        super.convTransposeForward(s, io, x, w, b, y, batch, relu);
        add(CONVT, t);
    }

    @Override
    public void convTransposeBackwardData(ConvShape s, ConvLayouts io, Tensor dy, Tensor w, Tensor dx, int batch) {
        long t = System.nanoTime();
        super.convTransposeBackwardData(s, io, dy, w, dx, batch);
        add(CONVT_DATA, t);
    }

    @Override
    public void convTransposeBackwardWeights(ConvShape s, ConvLayouts io, Tensor x, Tensor dy, Tensor dw, Tensor db, int batch, boolean accumulate) {
        long t = System.nanoTime();
        super.convTransposeBackwardWeights(s, io, x, dy, dw, db, batch, accumulate);
        add(CONVT_WEIGHTS, t);
    }
}
