package dev.nvae.backend;

/**
 * How a convolution layer's two activation tensors — its input and its output, and the gradients at them —
 * are laid out in memory: NCHW, as the rest of the network, the model files and PyTorch hold them, or the
 * backend's own layout for convolution activations ({@link Backend#convActivationLayout}).
 *
 * <p>Only a tensor that one convolution layer writes and the next one reads may be in the backend's own
 * layout, for the two layers and the ReLU between them are all that compute with it (a ReLU, element by
 * element, does not care; tests that read a network's activations see it as the backend holds it). On oneDNN that layout is NHWC, which its bf16 convolutions on AMX read and write: such a
 * tensor then needs no reorder into or out of NCHW around each primitive. Backends without a layout of
 * their own hold every tensor in NCHW and ignore these flags.
 *
 * @param input  whether the layer's input x (and dx) is held in the backend's own layout
 * @param output whether the layer's output y (and dy) is
 */
public record ConvLayouts(boolean input, boolean output) {
    /** Both tensors NCHW: a convolution layer on its own, or a backend with no layout of its own. */
    public static final ConvLayouts NCHW = new ConvLayouts(false, false);

    @Override
    public String toString() {
        return "input " + (input ? "backend's" : "NCHW") + ", output " + (output ? "backend's" : "NCHW");
    }
}
