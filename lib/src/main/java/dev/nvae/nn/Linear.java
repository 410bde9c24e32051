package dev.nvae.nn;

import dev.nvae.backend.Backend;
import dev.nvae.tensor.FlatParameters;
import dev.nvae.tensor.Tensor;

/**
 * A fully connected layer y = x·w + b with an optional fused ReLU. w is (in, out) so the forward pass
 * is a plain A·B product. Parameters and gradients are slices of the model's flat buffers; backward
 * writes the gradients over (each parameter of our models gets one contribution per step, so there is
 * no zeroing pass over the whole gradient buffer every step).
 */
public final class Linear {
    private final String name;
    private final Tensor w, b, dw, db;
    private final boolean relu;

    public Linear(String name, FlatParameters params, FlatParameters grads, boolean relu) {
        this.name = name;
        this.w = params.get(name + ".w");
        this.b = params.get(name + ".b");
        this.dw = grads.get(name + ".w");
        this.db = grads.get(name + ".b");
        this.relu = relu;
    }

    /** Declares this layer's tensors in a parameter layout. */
    public static void declare(FlatParameters.Layout layout, String name, int in, int out) {
        layout.add(name + ".w", in, out).add(name + ".b", 1, out);
    }

    public String name() {
        return name;
    }

    public int in() {
        return w.rows();
    }

    public int out() {
        return w.cols();
    }

    public Tensor weight() {
        return w;
    }

    public Tensor bias() {
        return b;
    }

    /** x (B, in) → y (B, out); y keeps what backward needs (the post-ReLU activations). */
    public void forward(Backend be, Tensor x, Tensor y, int batch) {
        be.linearForward(x, w, b, y, batch, relu);
    }

    /**
     * Given dy (B, out) — the gradient at this layer's output — and its forward input x and output y:
     * applies the ReLU backward in place on dy, writes dw and db (over their old values), and writes dx
     * unless it is null (the first layer has no use for the input gradient).
     */
    public void backward(Backend be, Tensor x, Tensor y, Tensor dy, Tensor dx, int batch) {
        if (relu) be.reluBackward(dy, y, batch);
        be.linearBackwardWeights(x, dy, dw, db, batch, false);
        if (dx != null) be.linearBackwardData(dy, w, dx, batch);
    }
}
