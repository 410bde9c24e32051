package dev.nvae.nn;

import dev.nvae.backend.Backend;
import dev.nvae.random.Rng;
import dev.nvae.tensor.Tensor;

/**
 * One step of a network: a map from a batch of input rows to a batch of output rows, with an explicit
 * backward pass. A row holds one example; images are rows in CHW order (NCHW for the batch), so a
 * flatten or a reshape between layers is no operation at all. Parameters and their gradients are slices
 * of the model's flat buffers; activations belong to the caller ({@link dev.nvae.network.Network}).
 *
 * <p>Dimension letters in shape comments: B batch, I = {@link #inputWidth()}, O = {@link #outputWidth()}.
 */
public interface Layer {
    String name();

    /** Floats per example read. */
    int inputWidth();

    /** Floats per example written. */
    int outputWidth();

    /** x (B, I) → y (B, O); y keeps what backward needs (post-activation values). */
    void forward(Backend be, Tensor x, Tensor y, int batch);

    /**
     * Given dy (B, O), the gradient at this layer's output, and its forward input x and output y: applies
     * the activation's backward pass in place on dy, writes the parameter gradients over their old values
     * (every parameter gets one contribution per step, so nothing needs zeroing), and writes dx (B, I)
     * unless it is null (a network's first layer has no use for its input gradient).
     */
    void backward(Backend be, Tensor x, Tensor y, Tensor dy, Tensor dx, int batch);

    /**
     * PyTorch's default initialisation of this layer's weights, then its bias, drawn from {@code rng}
     * in storage order: U(−1/√fan_in, 1/√fan_in) for both, fan_in as PyTorch computes it for the layer.
     */
    void initialize(Rng rng);

    /**
     * What {@link #backward} throws on a layer built without gradient storage (for inference, with
     * {@link LayerSpec#build} given no gradients): it has nowhere to write them.
     */
    static IllegalStateException noGradients(String layer) {
        return new IllegalStateException(layer + ": built for inference, with no gradient storage; a backward pass needs "
                + "a model built to train (LatentModel.create)");
    }

    /** Fills {@code t} with U(−bound, bound) draws in storage order. */
    static void uniform(Tensor t, double bound, Rng rng) {
        for (long i = 0; i < t.size(); i++) t.setFlat(i, (float) ((2 * rng.nextDouble() - 1) * bound));
    }
}
