package dev.nvae.backend;

import dev.nvae.kernels.Convolution;
import dev.nvae.kernels.Elementwise;
import dev.nvae.kernels.Gemm;
import dev.nvae.kernels.Simd;
import dev.nvae.kernels.WorkerPool;
import dev.nvae.tensor.Tensor;

/** Pure Java on the Vector API: always available, the reference every other backend is tested against. */
public final class VectorBackend implements Backend {
    private final WorkerPool pool;
    private final Gemm gemm;
    private final Convolution conv;

    public VectorBackend(int threads) {
        this.pool = new WorkerPool(threads);
        this.gemm = new Gemm(pool);
        this.conv = new Convolution(pool);
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public int threads() {
        return pool.threads();
    }

    public static String describe() {
        return "vector (Java Vector API, " + Simd.describe() + ")";
    }

    @Override
    public void linearForward(Tensor x, Tensor w, Tensor b, Tensor y, int batch, boolean relu) {
        gemm.multiply(false, false, batch, w.cols(), w.rows(),
                x.segment(), 0, x.cols(), w.segment(), 0, w.cols(), y.segment(), 0, y.cols(),
                false, b.segment(), relu);
    }

    @Override
    public void linearBackwardData(Tensor dy, Tensor w, Tensor dx, int batch) {
        gemm.multiply(false, true, batch, w.rows(), w.cols(),
                dy.segment(), 0, dy.cols(), w.segment(), 0, w.cols(), dx.segment(), 0, dx.cols(),
                false, null, false);
    }

    @Override
    public void linearBackwardWeights(Tensor x, Tensor dy, Tensor dw, Tensor db, int batch, boolean accumulate) {
        gemm.multiply(true, false, dw.rows(), dw.cols(), batch,
                x.segment(), 0, x.cols(), dy.segment(), 0, dy.cols(), dw.segment(), 0, dw.cols(),
                accumulate, null, false);
        Elementwise.columnSums(dy.segment(), batch, dy.cols(), db.segment(), accumulate);
    }

    // The six convolution operations are three products of the convolution s (Convolution's forward, its
    // adjoint, the weight gradient), each used by both layers: a transposed convolution's forward pass is
    // a convolution's backward-data and the other way round.

    @Override
    public void convForward(ConvShape s, ConvLayouts io, Tensor x, Tensor w, Tensor b, Tensor y, int batch, boolean relu) {
        ConvOperands.check(s, x, s.inSize(), w, b, s.outChannels(), y, s.outSize(), batch);
        conv.forward(s.inChannels(), s.inHeight(), s.inWidth(), s.outChannels(), s.kernel(), s.stride(), s.pad(), batch,
                x.segment(), w.segment(), b.segment(), relu, y.segment());
    }

    @Override
    public void convBackwardData(ConvShape s, ConvLayouts io, Tensor dy, Tensor w, Tensor dx, int batch) {
        ConvOperands.check(s, dy, s.outSize(), w, null, 0, dx, s.inSize(), batch);
        conv.transposed(s.inChannels(), s.inHeight(), s.inWidth(), s.outChannels(), s.kernel(), s.stride(), s.pad(), batch,
                dy.segment(), w.segment(), null, false, dx.segment());
    }

    @Override
    public void convBackwardWeights(ConvShape s, ConvLayouts io, Tensor x, Tensor dy, Tensor dw, Tensor db, int batch, boolean accumulate) {
        ConvOperands.check(s, x, s.inSize(), dw, db, s.outChannels(), dy, s.outSize(), batch);
        if (batch == 0) return;  // nothing to compute or accumulate, as for the linear layers
        conv.weights(s.inChannels(), s.inHeight(), s.inWidth(), s.outChannels(), s.kernel(), s.stride(), s.pad(), batch,
                x.segment(), dy.segment(), dw.segment(), db.segment(), true, accumulate);
    }

    @Override
    public void convTransposeForward(ConvShape s, ConvLayouts io, Tensor x, Tensor w, Tensor b, Tensor y, int batch, boolean relu) {
        ConvOperands.check(s, x, s.outSize(), w, b, s.inChannels(), y, s.inSize(), batch);
        conv.transposed(s.inChannels(), s.inHeight(), s.inWidth(), s.outChannels(), s.kernel(), s.stride(), s.pad(), batch,
                x.segment(), w.segment(), b.segment(), relu, y.segment());
    }

    @Override
    public void convTransposeBackwardData(ConvShape s, ConvLayouts io, Tensor dy, Tensor w, Tensor dx, int batch) {
        ConvOperands.check(s, dy, s.inSize(), w, null, 0, dx, s.outSize(), batch);
        conv.forward(s.inChannels(), s.inHeight(), s.inWidth(), s.outChannels(), s.kernel(), s.stride(), s.pad(), batch,
                dy.segment(), w.segment(), null, false, dx.segment());
    }

    @Override
    public void convTransposeBackwardWeights(ConvShape s, ConvLayouts io, Tensor x, Tensor dy, Tensor dw, Tensor db, int batch, boolean accumulate) {
        ConvOperands.check(s, dy, s.inSize(), dw, db, s.inChannels(), x, s.outSize(), batch);
        if (batch == 0) return;
        conv.weights(s.inChannels(), s.inHeight(), s.inWidth(), s.outChannels(), s.kernel(), s.stride(), s.pad(), batch,
                dy.segment(), x.segment(), dw.segment(), db.segment(), false, accumulate);
    }

    @Override
    public void reluBackward(Tensor dy, Tensor y, int batch) {
        Elementwise.reluBackward(dy.segment(), y.segment(), (long) batch * dy.cols());
    }

    @Override
    public void sigmoid(Tensor in, Tensor out, int batch) {
        Elementwise.sigmoid(in.segment(), out.segment(), (long) batch * in.cols());
    }

    /** The pool the GEMMs run on: element-wise work hands off to the same spinning threads. */
    @Override
    public WorkerPool workers() {
        return pool;
    }

    @Override
    public void close() {
        pool.close();
    }
}
