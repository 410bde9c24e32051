package dev.nvae.train;

import dev.nvae.NvaeException;

import java.util.Locale;

/**
 * How to train: validated at the boundary so the loop can trust it.
 *
 * @param labelledShare the labelled fraction of a batch when the data mixes labelled and unlabelled examples
 *                      ({@link BatchOrder}); null: {@link BatchOrder#DEFAULT_LABELLED_SHARE} (and what
 *                      checkpoints written before it existed, all of fully labelled data, read as)
 */
public record TrainOptions(int epochs, int batchSize, double learningRate, long seed, Double labelledShare) {
    public TrainOptions {
        if (epochs < 1) throw new NvaeException("--epochs " + epochs + " must be at least 1");
        if (batchSize < 1) throw new NvaeException("--batch " + batchSize + " must be at least 1");
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new NvaeException("--lr " + learningRate + " must be a positive number");
        }
        if (labelledShare != null && !(labelledShare > 0 && labelledShare < 1)) {
            throw new NvaeException(String.format(Locale.ROOT, "--labelled-share %s must be in (0, 1)", labelledShare));
        }
    }

    public TrainOptions(int epochs, int batchSize, double learningRate, long seed) {
        this(epochs, batchSize, learningRate, seed, null);
    }

    /** The labelled share of a mixed batch. */
    public double share() {
        return labelledShare == null ? BatchOrder.DEFAULT_LABELLED_SHARE : labelledShare;
    }
}
