package dev.nvae.nn;

import dev.nvae.backend.Backend;
import dev.nvae.backend.ConvShape;
import dev.nvae.random.Rng;
import dev.nvae.tensor.FlatParameters;
import dev.nvae.tensor.Tensor;

/**
 * A 2-D transposed convolution layer y = convᵀ(x, w) + b with an optional fused ReLU — PyTorch's
 * ConvTranspose2d over NCHW rows, from Cin × H × W to Cout × H' × W' with H' = (H − 1)·stride − 2·pad + k.
 * It is described by the convolution it is the adjoint of ({@link ConvShape#transposed}): x (B, Cin·H·W)
 * is that shape's output side, y (B, Cout·H'·W') its input side. w is PyTorch's (Cin, Cout, k, k) stored
 * as (Cin, Cout·k·k), b (1, Cout). Backward writes the gradients over, as {@link Linear} does.
 */
public final class ConvTranspose2d implements Layer {
    /** A transposed convolution, the adjoint of {@code shape} ({@link ConvShape#transposed}), named {@code name} in files. */
    public record Spec(String name, ConvShape shape, boolean relu) implements LayerSpec {
        /** {@code name.w} [Cin, Cout, k, k] (ConvTranspose2d's) stored (Cin, Cout·k·k), {@code name.b} [Cout]. */
        @Override
        public void declare(FlatParameters.Layout layout) {
            ConvShape s = shape;
            layout.add(name + ".w", s.outChannels(), s.weightColumns(), new long[]{s.outChannels(), s.inChannels(), s.kernel(), s.kernel()})
                    .add(name + ".b", 1, s.inChannels(), new long[]{s.inChannels()});
        }

        @Override
        public ConvTranspose2d build(FlatParameters params, FlatParameters grads) {
            return new ConvTranspose2d(name, shape, params, grads, relu);
        }
    }

    private final String name;
    private final ConvShape shape;
    private final Tensor w, b, dw, db;
    private final boolean relu;

    /** @param shape the adjoint convolution, e.g. {@code ConvShape.transposed(64, 7, 7, 32, 4, 2, 1)} for 64x7x7 → 32x14x14 */
    public ConvTranspose2d(String name, ConvShape shape, FlatParameters params, FlatParameters grads, boolean relu) {
        this.name = name;
        this.shape = shape;
        this.w = ConvLayers.parameter(params, name + ".w", shape.outChannels(), shape.weightColumns(), shape);
        this.b = ConvLayers.parameter(params, name + ".b", 1, shape.inChannels(), shape);
        this.dw = grads == null ? null : ConvLayers.parameter(grads, name + ".w", shape.outChannels(), shape.weightColumns(), shape);
        this.db = grads == null ? null : ConvLayers.parameter(grads, name + ".b", 1, shape.inChannels(), shape);
        this.relu = relu;
    }

    /** Declares this layer's tensors: {@code name.w} (Cin, Cout·k·k), {@code name.b} (1, Cout), in the layer's own terms. */
    public static void declare(FlatParameters.Layout layout, String name, ConvShape shape) {
        new Spec(name, shape, false).declare(layout);
    }

    @Override
    public String name() {
        return name;
    }

    /** The convolution this layer is the adjoint of. */
    public ConvShape shape() {
        return shape;
    }

    /** Floats of one example's input: Cin·H·W (the adjoint shape's output side). */
    @Override
    public int inputWidth() {
        return shape.outSize();
    }

    /** Floats of one example's output: Cout·H'·W' (the adjoint shape's input side). */
    @Override
    public int outputWidth() {
        return shape.inSize();
    }

    public Tensor weight() {
        return w;
    }

    public Tensor bias() {
        return b;
    }

    /** x (B, in) → y (B, out); y keeps what backward needs (the post-ReLU activations). */
    @Override
    public void forward(Backend be, Tensor x, Tensor y, int batch) {
        be.convTransposeForward(shape, x, w, b, y, batch, relu);
    }

    /** As {@link Conv2d#backward}: ReLU backward in place on dy, dw and db written over, dx unless null. */
    @Override
    public void backward(Backend be, Tensor x, Tensor y, Tensor dy, Tensor dx, int batch) {
        if (dw == null) throw Layer.noGradients(name);
        if (relu) be.reluBackward(dy, y, batch);
        be.convTransposeBackwardWeights(shape, x, dy, dw, db, batch, false);
        if (dx != null) be.convTransposeBackwardData(shape, dy, w, dx, batch);
    }

    /**
     * nn.ConvTranspose2d's default, including its quirk: PyTorch computes fan_in from dimension 1 of the
     * (Cin, Cout, k, k) weight, so fan_in = Cout·k·k, for the weights and the bias.
     */
    @Override
    public void initialize(Rng rng) {
        double bound = 1.0 / Math.sqrt((double) shape.inChannels() * shape.kernel() * shape.kernel());
        Layer.uniform(w, bound, rng);
        Layer.uniform(b, bound, rng);
    }
}
