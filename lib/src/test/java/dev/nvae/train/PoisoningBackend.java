package dev.nvae.train;

import dev.nvae.backend.ForwardingBackend;
import dev.nvae.backend.VectorBackend;
import dev.nvae.tensor.Tensor;

/**
 * The vector backend, except that it can be told to put a NaN into the next forward output (so the
 * step's loss is NaN) or into the next weight gradient (so the loss is finite but a gradient is not):
 * a way to make a chosen step non-finite without touching the trainer.
 */
final class PoisoningBackend extends ForwardingBackend {
    boolean poisonNextForward;
    boolean poisonNextGradient;

    PoisoningBackend() {
        super(new VectorBackend(1));
    }

    @Override
    public void linearForward(Tensor x, Tensor w, Tensor b, Tensor y, int batch, boolean relu) {
        super.linearForward(x, w, b, y, batch, relu);
        if (poisonNextForward) {
            poisonNextForward = false;
            y.set(0, 0, Float.NaN);
        }
    }

    @Override
    public void linearBackwardWeights(Tensor x, Tensor dy, Tensor dw, Tensor db, int batch, boolean accumulate) {
        super.linearBackwardWeights(x, dy, dw, db, batch, accumulate);
        if (poisonNextGradient) {
            poisonNextGradient = false;
            dw.set(0, 0, Float.POSITIVE_INFINITY);
        }
    }
}
