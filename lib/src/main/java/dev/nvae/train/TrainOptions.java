package dev.nvae.train;

import dev.nvae.NvaeException;

/** How to train: validated at the boundary so the loop can trust it. */
public record TrainOptions(int epochs, int batchSize, double learningRate, long seed) {
    public TrainOptions {
        if (epochs < 1) throw new NvaeException("--epochs " + epochs + " must be at least 1");
        if (batchSize < 1) throw new NvaeException("--batch " + batchSize + " must be at least 1");
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new NvaeException("--lr " + learningRate + " must be a positive number");
        }
    }
}
