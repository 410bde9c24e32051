package dev.nvae.backend;

import dev.nvae.tensor.Tensor;

/**
 * The operations a layer needs, implemented once per backend over the same off-heap tensors
 * (STYLE.md 9). Every operation works on the first {@code batch} rows of its batch-shaped tensors,
 * so one set of buffers serves full batches and the last, smaller one.
 */
public interface Backend extends AutoCloseable {
    /** "vector", "onednn", ... — what {@code --backend} accepts. */
    String name();

    int threads();

    /** y = x·w + b, then ReLU if asked. x (batch, in), w (in, out), b (1, out), y (batch, out). */
    void linearForward(Tensor x, Tensor w, Tensor b, Tensor y, int batch, boolean relu);

    /** dx = dy·wᵀ. dy (batch, out), w (in, out), dx (batch, in). */
    void linearBackwardData(Tensor dy, Tensor w, Tensor dx, int batch);

    /** dw += xᵀ·dy; db += Σ_rows dy. */
    void linearBackwardWeights(Tensor x, Tensor dy, Tensor dw, Tensor db, int batch);

    /** dy ← dy ⊙ [y > 0], y being the ReLU's output. */
    void reluBackward(Tensor dy, Tensor y, int batch);

    /** out = σ(in) on the first batch rows. */
    void sigmoid(Tensor in, Tensor out, int batch);

    @Override
    void close();
}
