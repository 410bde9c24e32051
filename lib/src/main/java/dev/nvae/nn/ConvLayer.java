package dev.nvae.nn;

import dev.nvae.backend.Backend;
import dev.nvae.backend.ConvLayouts;
import dev.nvae.backend.ConvShape;
import dev.nvae.random.Rng;
import dev.nvae.tensor.FlatParameters;
import dev.nvae.tensor.Tensor;

/**
 * What {@link Conv2d} and {@link ConvTranspose2d} share. Both are described by one {@link ConvShape} and
 * store the same weight over it, (outChannels, weightColumns); they differ in which side of the shape is
 * their input, so in the length of their bias (the channels of their output side), and in the backend
 * operations they run.
 */
abstract sealed class ConvLayer implements Layer permits Conv2d, ConvTranspose2d {
    protected final String name;
    protected final ConvShape shape;
    protected final Tensor w, b, dw, db;
    protected final boolean relu;
    protected final ConvLayouts io;

    /** @param biasChannels the channels of the layer's output side, one bias each */
    ConvLayer(String name, ConvShape shape, FlatParameters params, FlatParameters grads, boolean relu, ConvLayouts io,
              int biasChannels) {
        this.name = name;
        this.shape = shape;
        this.w = parameter(params, name + ".w", shape.outChannels(), shape.weightColumns(), shape);
        this.b = parameter(params, name + ".b", 1, biasChannels, shape);
        this.dw = grads == null ? null : parameter(grads, name + ".w", shape.outChannels(), shape.weightColumns(), shape);
        this.db = grads == null ? null : parameter(grads, name + ".b", 1, biasChannels, shape);
        this.relu = relu;
        this.io = io;
    }

    /**
     * Adds {@code name.w}, stored (outChannels, weightColumns) with the file shape [outChannels, inChannels,
     * k, k] that both PyTorch layers give it, then {@code name.b} [biasChannels].
     */
    static void declareTensors(FlatParameters.Layout layout, String name, ConvShape s, int biasChannels) {
        layout.add(name + ".w", s.outChannels(), s.weightColumns(), new long[]{s.outChannels(), s.inChannels(), s.kernel(), s.kernel()})
                .add(name + ".b", 1, biasChannels, new long[]{biasChannels});
    }

    /** The tensor {@code name} of {@code params}, checked to be (rows, cols): a model file could hold anything. */
    private static Tensor parameter(FlatParameters params, String name, int rows, int cols, ConvShape shape) {
        Tensor t = params.get(name);
        if (t.rows() != rows || t.cols() != cols) {
            throw new IllegalArgumentException(name + " is " + t.rows() + "x" + t.cols() + "; convolution " + shape
                    + " needs " + rows + "x" + cols);
        }
        return t;
    }

    @Override
    public final String name() {
        return name;
    }

    /** Which of its activations are held in the backend's own layout. */
    public final ConvLayouts layouts() {
        return io;
    }

    /**
     * Given dy (B, out) — the gradient at this layer's output — and its forward input x and output y:
     * applies the ReLU backward in place on dy, writes dw and db (over their old values), and writes dx
     * unless it is null (the first layer has no use for the input gradient).
     */
    @Override
    public final void backward(Backend be, Tensor x, Tensor y, Tensor dy, Tensor dx, int batch) {
        if (dw == null) throw Layer.noGradients(name);
        if (relu) be.reluBackward(dy, y, batch);
        products(be, x, dy, dx, batch);
    }

    /**
     * PyTorch's default, with fan_in = weightColumns for the weights and the bias. For Conv2d that is its
     * Cin·k·k; for ConvTranspose2d it is PyTorch's quirk of taking fan_in from dimension 1 of the (Cin, Cout,
     * k, k) weight, i.e. Cout·k·k, which is the adjoint shape's weightColumns.
     */
    @Override
    public final void initialize(Rng rng) {
        double bound = 1.0 / Math.sqrt(shape.weightColumns());
        Layer.uniform(w, bound, rng);
        Layer.uniform(b, bound, rng);
    }

    /**
     * Writes dw and db over from x and dy (already through the ReLU), and dx from dy and w unless dx is null: the
     * backend's two backward operations in one call, so that it can prepare dy once for both.
     */
    abstract void products(Backend be, Tensor x, Tensor dy, Tensor dx, int batch);
}
