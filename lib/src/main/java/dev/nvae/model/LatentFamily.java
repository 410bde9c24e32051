package dev.nvae.model;

import dev.nvae.backend.LatentLayout;
import dev.nvae.tensor.Tensor;

import java.lang.foreign.MemorySegment;

/**
 * What the heads of a model mean, and everything that follows from it: the encoder's input, the
 * decoder's input built from a posterior sample or from given latents, the per-example loss terms and
 * the gradient at the heads (docs/MODEL.md). A family knows nothing of the networks around it: the same
 * family runs on an {@code mlp} or a {@code conv} network.
 *
 * <p>The per-example methods work on one row and touch nothing but that row of the workspace, so the
 * model runs them on the backend's worker threads, a share of rows each.
 */
sealed interface LatentFamily permits NVaeFamily, VaeFamily {
    static LatentFamily of(ModelConfig c, Likelihood likelihood) {
        return c.isNvae() ? new NVaeFamily(c, likelihood) : new VaeFamily(c, likelihood);
    }

    /** ws.encIn from ws.x (and ws.labels); a family whose encoder reads x alone uses x itself. */
    default void encoderInput(Workspace ws, int batch) {
    }

    /**
     * One reparameterised posterior sample per example (noise ws.eps, class ws.labels) → ws.decIn; returns
     * the decoder rows written: one per example, or — for an unlabelled example (label −1) of a family with
     * classes — one per class ({@link ClassPasses}).
     */
    int posteriorToDecoderInput(Workspace ws, int batch);

    /** Decoder input from given latents (B, ds+dc): z_s = latent[i, 0:ds], z_c = latent[i, ds:], class ws.labels[i]. */
    void latentsToDecoderInput(Workspace ws, Tensor latent, int batch);

    /**
     * Example i's terms from ws.heads and ws.logitsX into ws.rec/klS/klC/ce/predicted (predicted −1 for a
     * family without a classifier); with {@code grad} non-null also its reconstruction gradient, scaled by
     * {@code scale}, into the same row of {@code grad}.
     */
    void lossRow(Workspace ws, int i, MemorySegment grad, float scale);

    /**
     * After the loss rows of a batch and before its heads' gradient: terms of the whole batch rather than
     * of one example, added to {@code out} (a training pass only). None by default.
     */
    default void batchTerms(Workspace ws, int batch, BatchLoss out) {
    }

    /**
     * Row i of ws.dHeads from ws.dDecIn (the gradient reaching the decoder input, through the
     * reparameterisation), the weighted KL terms and the classifier, for a batch of 1/invB examples.
     */
    void headsGradientRow(Workspace ws, int i, float invB);

    /**
     * The training loss's weights of KL_s, KL_c, −log q(y|x) (labelled examples) and KL(q(y|x) ‖ p(y))
     * (unlabelled ones); evaluation weights all four by 1, the bound itself.
     */
    LossWeights trainingWeights();

    boolean hasClassifier();

    /** This family's heads, decoder input and training weights in the numbers a backend's own kernels read. */
    LatentLayout deviceLayout();

    /**
     * total = rec + klS·KL_s + klC·KL_c + ce·(−log q(y|x)) for a labelled example, and
     * rec + klS·KL_s + klC·KL_c + yKl·KL(q(y|x) ‖ p(y)) for an unlabelled one (its rec and KL_c being
     * expectations over q(y|x)).
     */
    record LossWeights(double klS, double klC, double ce, double yKl) {
        static final LossWeights EVALUATION = new LossWeights(1, 1, 1, 1);
    }
}
