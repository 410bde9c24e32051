package dev.nvae.nn;

import dev.nvae.backend.Backend;
import dev.nvae.backend.ConvShape;
import dev.nvae.random.Rng;
import dev.nvae.tensor.FlatParameters;
import dev.nvae.tensor.Tensor;

/**
 * A 2-D convolution layer y = conv(x, w) + b with an optional fused ReLU — PyTorch's Conv2d over NCHW
 * rows (see {@link ConvShape}): x (B, Cin·H·W), y (B, Cout·H'·W'). w is PyTorch's (Cout, Cin, k, k) stored
 * as (Cout, Cin·k·k), b (1, Cout). Parameters and gradients are slices of the model's flat buffers;
 * backward writes the gradients over, as {@link Linear} does.
 */
public final class Conv2d implements Layer {
    /** A convolution of {@code shape}, named {@code name} in files. */
    public record Spec(String name, ConvShape shape, boolean relu) implements LayerSpec {
        /** {@code name.w} [Cout, Cin, k, k] stored (Cout, Cin·k·k), {@code name.b} [Cout]. */
        @Override
        public void declare(FlatParameters.Layout layout) {
            ConvShape s = shape;
            layout.add(name + ".w", s.outChannels(), s.weightColumns(), new long[]{s.outChannels(), s.inChannels(), s.kernel(), s.kernel()})
                    .add(name + ".b", 1, s.outChannels(), new long[]{s.outChannels()});
        }

        @Override
        public Conv2d build(FlatParameters params, FlatParameters grads) {
            return new Conv2d(name, shape, params, grads, relu);
        }
    }

    private final String name;
    private final ConvShape shape;
    private final Tensor w, b, dw, db;
    private final boolean relu;

    public Conv2d(String name, ConvShape shape, FlatParameters params, FlatParameters grads, boolean relu) {
        this.name = name;
        this.shape = shape;
        this.w = ConvLayers.parameter(params, name + ".w", shape.outChannels(), shape.weightColumns(), shape);
        this.b = ConvLayers.parameter(params, name + ".b", 1, shape.outChannels(), shape);
        this.dw = grads == null ? null : ConvLayers.parameter(grads, name + ".w", shape.outChannels(), shape.weightColumns(), shape);
        this.db = grads == null ? null : ConvLayers.parameter(grads, name + ".b", 1, shape.outChannels(), shape);
        this.relu = relu;
    }

    /** Declares this layer's tensors in a parameter layout (see {@link Spec#declare}). */
    public static void declare(FlatParameters.Layout layout, String name, ConvShape shape) {
        new Spec(name, shape, false).declare(layout);
    }

    @Override
    public String name() {
        return name;
    }

    public ConvShape shape() {
        return shape;
    }

    /** Floats of one example's input: Cin·H·W. */
    @Override
    public int inputWidth() {
        return shape.inSize();
    }

    /** Floats of one example's output: Cout·H'·W'. */
    @Override
    public int outputWidth() {
        return shape.outSize();
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
        be.convForward(shape, x, w, b, y, batch, relu);
    }

    /**
     * Given dy (B, out) — the gradient at this layer's output — and its forward input x and output y:
     * applies the ReLU backward in place on dy, writes dw and db (over their old values), and writes dx
     * unless it is null (the first layer has no use for the input gradient).
     */
    @Override
    public void backward(Backend be, Tensor x, Tensor y, Tensor dy, Tensor dx, int batch) {
        if (dw == null) throw Layer.noGradients(name);
        if (relu) be.reluBackward(dy, y, batch);
        be.convBackwardWeights(shape, x, dy, dw, db, batch, false);
        if (dx != null) be.convBackwardData(shape, dy, w, dx, batch);
    }

    /** nn.Conv2d's default: fan_in = Cin·k·k for the weights and the bias. */
    @Override
    public void initialize(Rng rng) {
        double bound = 1.0 / Math.sqrt(shape.weightColumns());
        Layer.uniform(w, bound, rng);
        Layer.uniform(b, bound, rng);
    }
}
