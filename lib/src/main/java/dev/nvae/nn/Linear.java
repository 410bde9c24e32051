package dev.nvae.nn;

import dev.nvae.backend.Backend;
import dev.nvae.random.Rng;
import dev.nvae.tensor.FlatParameters;
import dev.nvae.tensor.Tensor;

/**
 * A fully connected layer y = x·w + b with an optional fused ReLU. w is (in, out) so the forward pass
 * is a plain A·B product; a model file stores it that way ({@code nn.Linear.weight} in PyTorch is its
 * transpose).
 */
public final class Linear implements Layer {
    /** A linear layer of {@code in} → {@code out} values per example. */
    public record Spec(String name, int in, int out, boolean relu) implements LayerSpec {
        public Spec {
            if (in < 1 || out < 1) throw new IllegalArgumentException(name + ": linear layer " + in + " -> " + out);
        }

        @Override
        public void declare(FlatParameters.Layout layout) {
            layout.add(name + ".w", in, out).add(name + ".b", 1, out, new long[]{out});
        }

        @Override
        public Linear build(FlatParameters params, FlatParameters grads) {
            return new Linear(name, params, grads, relu);
        }
    }

    private final String name;
    private final Tensor w, b, dw, db; // w, dw (in, out); b, db (1, out)
    private final boolean relu;

    /** @param grads null for a layer that only runs forward (see {@link LayerSpec#build}) */
    public Linear(String name, FlatParameters params, FlatParameters grads, boolean relu) {
        this.name = name;
        this.w = params.get(name + ".w");
        this.b = params.get(name + ".b");
        this.dw = grads == null ? null : grads.get(name + ".w");
        this.db = grads == null ? null : grads.get(name + ".b");
        this.relu = relu;
    }

    /** Declares this layer's tensors in a parameter layout. */
    public static void declare(FlatParameters.Layout layout, String name, int in, int out) {
        new Spec(name, in, out, false).declare(layout);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int inputWidth() {
        return w.rows();
    }

    @Override
    public int outputWidth() {
        return w.cols();
    }

    @Override
    public void forward(Backend be, Tensor x, Tensor y, int batch) {
        be.linearForward(x, w, b, y, batch, relu);
    }

    @Override
    public void backward(Backend be, Tensor x, Tensor y, Tensor dy, Tensor dx, int batch) {
        if (dw == null) throw Layer.noGradients(name);
        if (relu) be.reluBackward(dy, y, batch);
        be.linearBackward(x, dy, w, dw, db, dx, batch);
    }

    /** nn.Linear's default: fan_in = in for the weights and the bias. */
    @Override
    public void initialize(Rng rng) {
        double bound = 1.0 / Math.sqrt(w.rows());
        Layer.uniform(w, bound, rng);
        Layer.uniform(b, bound, rng);
    }
}
