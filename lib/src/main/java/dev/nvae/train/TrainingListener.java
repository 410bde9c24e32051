package dev.nvae.train;

import dev.nvae.model.BatchLoss;

/** What the trainer reports; the CLI turns it into a progress bar and JSON log lines. */
public interface TrainingListener {
    /** After each step: running means over the epoch so far, and throughput since the epoch began. */
    default void onStep(int epoch, int step, int stepsPerEpoch, BatchLoss epochSoFar, double examplesPerSecond) {
    }

    default void onEpoch(EpochSummary summary) {
    }

    TrainingListener NONE = new TrainingListener() {
    };
}
