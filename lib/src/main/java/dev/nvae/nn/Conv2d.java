package dev.nvae.nn;

import dev.nvae.backend.Backend;
import dev.nvae.backend.ConvShape;
import dev.nvae.tensor.FlatParameters;
import dev.nvae.tensor.Tensor;

/**
 * A 2-D convolution layer y = conv(x, w) + b with an optional fused ReLU — PyTorch's Conv2d over NCHW
 * rows (see {@link ConvShape}): x (B, Cin·H·W), y (B, Cout·H'·W'). w is PyTorch's (Cout, Cin, k, k) stored
 * as (Cout, Cin·k·k), b (1, Cout). Parameters and gradients are slices of the model's flat buffers;
 * backward writes the gradients over, as {@link Linear} does.
 */
public final class Conv2d {
    private final String name;
    private final ConvShape shape;
    private final Tensor w, b, dw, db;
    private final boolean relu;

    public Conv2d(String name, ConvShape shape, FlatParameters params, FlatParameters grads, boolean relu) {
        this.name = name;
        this.shape = shape;
        this.w = ConvLayers.parameter(params, name + ".w", shape.outChannels(), shape.weightColumns(), shape);
        this.b = ConvLayers.parameter(params, name + ".b", 1, shape.outChannels(), shape);
        this.dw = ConvLayers.parameter(grads, name + ".w", shape.outChannels(), shape.weightColumns(), shape);
        this.db = ConvLayers.parameter(grads, name + ".b", 1, shape.outChannels(), shape);
        this.relu = relu;
    }

    /** Declares this layer's tensors in a parameter layout: {@code name.w} (Cout, Cin·k·k), {@code name.b} (1, Cout). */
    public static void declare(FlatParameters.Layout layout, String name, ConvShape shape) {
        layout.add(name + ".w", shape.outChannels(), shape.weightColumns()).add(name + ".b", 1, shape.outChannels());
    }

    public String name() {
        return name;
    }

    public ConvShape shape() {
        return shape;
    }

    /** Floats of one example's input: Cin·H·W. */
    public int in() {
        return shape.inSize();
    }

    /** Floats of one example's output: Cout·H'·W'. */
    public int out() {
        return shape.outSize();
    }

    public Tensor weight() {
        return w;
    }

    public Tensor bias() {
        return b;
    }

    /** x (B, in) → y (B, out); y keeps what backward needs (the post-ReLU activations). */
    public void forward(Backend be, Tensor x, Tensor y, int batch) {
        be.convForward(shape, x, w, b, y, batch, relu);
    }

    /**
     * Given dy (B, out) — the gradient at this layer's output — and its forward input x and output y:
     * applies the ReLU backward in place on dy, writes dw and db (over their old values), and writes dx
     * unless it is null (the first layer has no use for the input gradient).
     */
    public void backward(Backend be, Tensor x, Tensor y, Tensor dy, Tensor dx, int batch) {
        if (relu) be.reluBackward(dy, y, batch);
        be.convBackwardWeights(shape, x, dy, dw, db, batch, false);
        if (dx != null) be.convBackwardData(shape, dy, w, dx, batch);
    }
}
