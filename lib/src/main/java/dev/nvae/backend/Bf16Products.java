package dev.nvae.backend;

import dev.nvae.tensor.Bf16Matrix;
import dev.nvae.tensor.Tensor;

/**
 * A backend's linear-layer products with bf16 weights: inputs rounded to bf16 (the weights already are),
 * accumulation and outputs in float32. Shapes and meaning as the {@link Backend} operations of the same
 * names, with the weight given as its bf16 copy in the layout {@link #half()} names.
 */
interface Bf16Products extends AutoCloseable {
    /** The layout of the weight copies these products read: 0 plain row-major, else paired (see {@link Bf16Matrix}). */
    int half();

    /** Whether the backward products exist here (bf16 training); without them only inference runs in bf16. */
    boolean trains();

    /** y = x·w + b, then ReLU if asked. */
    void forward(Tensor x, Bf16Matrix w, Tensor b, Tensor y, int batch, boolean relu);

    /** dx = dy·wᵀ. */
    void backwardData(Tensor dy, Bf16Matrix w, Tensor dx, int batch);

    /** dw (+)= xᵀ·dy, db (+)= Σ_rows dy; dw and db are float32. */
    void backwardWeights(Tensor x, Tensor dy, Tensor dw, Tensor db, int batch, boolean accumulate);

    /** Both backward products of one layer, dx skipped when null (see {@link Backend#linearBackward}). */
    default void backward(Tensor x, Tensor dy, Bf16Matrix w, Tensor dw, Tensor db, Tensor dx, int batch) {
        backwardWeights(x, dy, dw, db, batch, false);
        if (dx != null) backwardData(dy, w, dx, batch);
    }

    @Override
    void close();
}
