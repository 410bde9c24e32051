package dev.nvae.train;

import dev.nvae.backend.Backend;
import dev.nvae.backend.VectorBackend;
import dev.nvae.kernels.WorkerPool;
import dev.nvae.tensor.Tensor;

/**
 * The vector backend, except that it can be told to put a NaN into the next forward output (so the
 * step's loss is NaN) or into the next weight gradient (so the loss is finite but a gradient is not):
 * a way to make a chosen step non-finite without touching the trainer.
 */
final class PoisoningBackend implements Backend {
    private final Backend inner = new VectorBackend(1);
    boolean poisonNextForward;
    boolean poisonNextGradient;

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public int threads() {
        return inner.threads();
    }

    @Override
    public void linearForward(Tensor x, Tensor w, Tensor b, Tensor y, int batch, boolean relu) {
        inner.linearForward(x, w, b, y, batch, relu);
        if (poisonNextForward) {
            poisonNextForward = false;
            y.set(0, 0, Float.NaN);
        }
    }

    @Override
    public void linearBackwardData(Tensor dy, Tensor w, Tensor dx, int batch) {
        inner.linearBackwardData(dy, w, dx, batch);
    }

    @Override
    public void linearBackwardWeights(Tensor x, Tensor dy, Tensor dw, Tensor db, int batch, boolean accumulate) {
        inner.linearBackwardWeights(x, dy, dw, db, batch, accumulate);
        if (poisonNextGradient) {
            poisonNextGradient = false;
            dw.set(0, 0, Float.POSITIVE_INFINITY);
        }
    }

    @Override
    public void reluBackward(Tensor dy, Tensor y, int batch) {
        inner.reluBackward(dy, y, batch);
    }

    @Override
    public void sigmoid(Tensor in, Tensor out, int batch) {
        inner.sigmoid(in, out, batch);
    }

    @Override
    public WorkerPool workers() {
        return inner.workers();
    }

    @Override
    public void close() {
        inner.close();
    }
}
