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

    /**
     * Whether the convolution operations below exist here. Without them a model with convolution layers is
     * refused at bf16: running its convolutions in float32 would make the precision say something untrue.
     */
    default boolean convolves() {
        return false;
    }

    /*
     * Convolutions, as the Backend operations of the same names: w is the float32 kernel (its shape checked),
     * w16 its bf16 copy (what is multiplied); activations and gradients are rounded to bf16, outputs float32.
     */

    default void convForward(ConvShape s, ConvLayouts io, Tensor x, Tensor w, Bf16Matrix w16, Tensor b, Tensor y, int batch, boolean relu) {
        throw noConvolutions();
    }

    default void convBackwardData(ConvShape s, ConvLayouts io, Tensor dy, Tensor w, Bf16Matrix w16, Tensor dx, int batch) {
        throw noConvolutions();
    }

    default void convBackwardWeights(ConvShape s, ConvLayouts io, Tensor x, Tensor dy, Tensor dw, Tensor db, int batch, boolean accumulate) {
        throw noConvolutions();
    }

    default void convTransposeForward(ConvShape s, ConvLayouts io, Tensor x, Tensor w, Bf16Matrix w16, Tensor b, Tensor y, int batch,
                                      boolean relu) {
        throw noConvolutions();
    }

    default void convTransposeBackwardData(ConvShape s, ConvLayouts io, Tensor dy, Tensor w, Bf16Matrix w16, Tensor dx, int batch) {
        throw noConvolutions();
    }

    default void convTransposeBackwardWeights(ConvShape s, ConvLayouts io, Tensor x, Tensor dy, Tensor dw, Tensor db, int batch,
                                              boolean accumulate) {
        throw noConvolutions();
    }

    /** Both backward products of a convolution layer (see {@link Backend#convBackward}); w16 unused when dx is null. */
    default void convBackward(ConvShape s, ConvLayouts io, Tensor x, Tensor dy, Tensor w, Bf16Matrix w16, Tensor dw, Tensor db,
                              Tensor dx, int batch) {
        convBackwardWeights(s, io, x, dy, dw, db, batch, false);
        if (dx != null) convBackwardData(s, io, dy, w, w16, dx, batch);
    }

    /** {@link #convBackward} for the transposed convolution. */
    default void convTransposeBackward(ConvShape s, ConvLayouts io, Tensor x, Tensor dy, Tensor w, Bf16Matrix w16, Tensor dw,
                                       Tensor db, Tensor dx, int batch) {
        convTransposeBackwardWeights(s, io, x, dy, dw, db, batch, false);
        if (dx != null) convTransposeBackwardData(s, io, dy, w, w16, dx, batch);
    }

    private UnsupportedOperationException noConvolutions() {
        return new UnsupportedOperationException(getClass().getSimpleName() + " has no bf16 convolutions");
    }

    /** Both backward products of one layer, dx skipped when null (see {@link Backend#linearBackward}). */
    default void backward(Tensor x, Tensor dy, Bf16Matrix w, Tensor dw, Tensor db, Tensor dx, int batch) {
        backwardWeights(x, dy, dw, db, batch, false);
        if (dx != null) backwardData(dy, w, dx, batch);
    }

    @Override
    void close();
}
