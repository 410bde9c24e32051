package dev.nvae.model;

import dev.nvae.backend.Backend;
import dev.nvae.random.Rng;
import dev.nvae.tensor.FlatParameters;

/**
 * What the trainer ({@code dev.nvae.train.Trainer}) needs from a model: flat parameters and gradients for Adam, a workspace for a
 * batch capacity, and one forward/backward pass. The N-VAE, its baselines and the classifier of
 * {@code augment} all train through the same loop by implementing this.
 */
public interface Trainable {
    FlatParameters params();

    FlatParameters grads();

    /**
     * The config a checkpoint records and a resume compares. Models trained only in-process (the
     * classifier of {@code augment}) have none and cannot be checkpointed.
     */
    default ModelConfig config() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no model config to checkpoint");
    }

    /** Values per example the model reads (D). */
    int inputDim();

    /** Classes the model knows; the data's labels must be below this. */
    int numClasses();

    Workspace workspace(int capacity);

    /** Whether the model can train on examples without a label (label −1). */
    default boolean learnsFromUnlabelled() {
        return false;
    }

    /**
     * Whether the model reads the labels it trains on. One that does not (a VAE) takes every example equally
     * often, as it comes: batches that mix labelled and unlabelled examples in a fixed share would weigh the
     * examples that happen to carry a label it never reads above the others ({@code BatchOrder}).
     */
    default boolean readsLabels() {
        return true;
    }

    /**
     * A workspace that also takes examples without a label (label −1) when {@code unlabelled}; a model that
     * cannot learn from them refuses.
     */
    default Workspace workspace(int capacity, boolean unlabelled) {
        if (unlabelled) throw new IllegalArgumentException(getClass().getSimpleName() + " needs a label for every example");
        return workspace(capacity);
    }

    /**
     * Called once per step after the batch's inputs and labels are in {@code ws}: draws what the step
     * needs from {@code rng} — by default the reparameterisation noise, in the order every model has
     * always drawn it, so adding later draws never changes earlier ones.
     */
    default void prepareBatch(Workspace ws, int count, Rng rng) {
        ws.drawNoise(count, rng);
    }

    /**
     * Forward, loss (added to {@code out}) and backward, writing every gradient of {@link #grads()}: the
     * trainer does not zero them between steps.
     */
    void forwardBackward(Backend be, Workspace ws, int batch, BatchLoss out);
}
