package dev.nvae.backend;

import dev.nvae.tensor.Tensor;

/**
 * The latent family's per-example work between the networks — encoder input, reparameterised sample,
 * likelihood, KL and classifier terms, the heads' gradient — done where a backend keeps its tensors, so that
 * a training step runs there from its inputs to its loss terms ({@link Backend#latentKernels()}). Results
 * equal those of the CPU code of the families (dev.nvae.model) to float rounding.
 *
 * <p>The batch's labels and the example and class of each decoder row come in a {@link BatchShape}. The loss and the heads' gradient run inside a pass ({@link Backend#beginPass(java.util.List, java.util.List)}).
 */
public interface LatentKernels {
    /** encIn = [x | onehot(label) ⊗ 1_P], P = {@link LatentLayout#encoderLabelPositions()}. */
    void encoderInput(LatentLayout l, Tensor x, BatchShape shape, Tensor encIn, int batch);

    /** decIn's first {@code rows} rows: one reparameterised posterior sample each (noise eps of its example) of its class. */
    void sample(LatentLayout l, Tensor heads, Tensor eps, BatchShape shape, Tensor decIn, int batch, int rows);

    /**
     * The per-example terms into {@code terms} (batch, 5): [−log p(x|z), KL_s, KL_c, −log q(y|x) or, unlabelled,
     * KL(q(y|x) ‖ uniform), predicted class or −1], unweighted; per decoder row of an unlabelled example its
     * rec + β_c·KL_c less that example's expectation of it into {@code rowTerms} (rows, 1); the likelihood's gradient at the decoder output, over a
     * batch of 1/invB (weighted by q(y|x) on an unlabelled example's rows), into {@code dOut}; with
     * {@code balance} non-null (1, K + 1): [KL(q̄ ‖ uniform), log(K·q̄_y)…] of the batch's unlabelled examples.
     */
    void loss(LatentLayout l, Tensor out, Tensor x, Tensor heads, BatchShape shape, Tensor dOut, float invB, Tensor terms,
              Tensor rowTerms, Tensor balance, int batch, int rows);

    /**
     * dHeads from dDecIn (the gradient at the decoder input), the weighted KL terms and the classifier, over a
     * batch of 1/invB; {@code rowTerms} and {@code balance} (null: no unlabelled examples) as {@link #loss} wrote them.
     */
    void headsGradient(LatentLayout l, Tensor heads, Tensor eps, BatchShape shape, Tensor dDecIn, Tensor rowTerms,
                       Tensor balance, Tensor dHeads, float invB, int batch);
}
