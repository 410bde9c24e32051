package dev.nvae.backend;

import dev.nvae.kernels.Bf16;
import dev.nvae.kernels.Bf16Gemm;
import dev.nvae.kernels.WorkerPool;
import dev.nvae.tensor.Bf16Matrix;
import dev.nvae.tensor.Tensor;

/**
 * bf16-weight inference on the Vector API ({@link Bf16Gemm}): runs on any CPU the vector backend runs on —
 * AVX2, AVX-512 or none — since the weights are widened to float32 in registers. Activations stay float32,
 * so the result is the float32 product with the weights rounded to bf16. Forward only: training in bf16
 * is oneDNN's (where the CPU multiplies bf16 natively).
 */
final class VectorBf16Products implements Bf16Products {
    private final Bf16Gemm gemm;

    VectorBf16Products(WorkerPool pool) {
        this.gemm = new Bf16Gemm(pool);
    }

    @Override
    public int half() {
        return Bf16.HALF;
    }

    @Override
    public boolean trains() {
        return false;
    }

    @Override
    public void forward(Tensor x, Bf16Matrix w, Tensor b, Tensor y, int batch, boolean relu) {
        gemm.multiply(batch, w.cols(), w.rows(), x.segment(), 0, x.cols(), w, y.segment(), 0, y.cols(), b.segment(), relu);
    }

    @Override
    public void backwardData(Tensor dy, Bf16Matrix w, Tensor dx, int batch) {
        throw new UnsupportedOperationException("bf16 backward products need oneDNN");
    }

    @Override
    public void backwardWeights(Tensor x, Tensor dy, Tensor dw, Tensor db, int batch, boolean accumulate) {
        throw new UnsupportedOperationException("bf16 backward products need oneDNN");
    }

    @Override
    public void close() {
    }
}
