package dev.nvae.backend;

import dev.nvae.tensor.Tensor;

/**
 * The latent family's per-example work between the networks — encoder input, reparameterised sample,
 * likelihood and KL terms, the heads' gradient — done where a backend keeps its tensors, so that a training
 * step runs there from its inputs to its loss terms ({@link Backend#latentKernels()}). Labels come as a
 * (batch, 1) tensor of class numbers; every example is labelled. Results equal those of the CPU code of the
 * families (dev.nvae.model) to float rounding.
 */
public interface LatentKernels {
    /** encIn = [x | onehot(label) ⊗ 1_P], P = {@link LatentLayout#encoderLabelPositions()}. */
    void encoderInput(LatentLayout l, Tensor x, Tensor labels, Tensor encIn, int batch);

    /** decIn from one reparameterised posterior sample per example (noise eps) of its labelled class. */
    void sample(LatentLayout l, Tensor heads, Tensor eps, Tensor labels, Tensor decIn, int batch);

    /**
     * The per-example terms into {@code terms} (batch, 5): [−log p(x|z), KL_s, KL_c, −log q(y|x), predicted
     * class or −1], unweighted; and the likelihood's gradient at the decoder output, times {@code scale},
     * into {@code dOut}.
     */
    void loss(LatentLayout l, Tensor out, Tensor x, Tensor heads, Tensor labels, Tensor dOut, float scale, Tensor terms,
              int batch);

    /** dHeads from dDecIn (the gradient at the decoder input) and the weighted KL and cross-entropy, over a batch of 1/invB. */
    void headsGradient(LatentLayout l, Tensor heads, Tensor eps, Tensor labels, Tensor dDecIn, Tensor dHeads, float invB,
                       int batch);
}
