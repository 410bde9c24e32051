package dev.nvae.train;

import dev.nvae.model.BatchLoss;

import java.nio.file.Path;

/** What the trainer reports; the CLI turns it into a progress bar and JSON log lines. */
public interface TrainingListener {
    /** After each step: running means over the epoch so far, and throughput since the epoch began. */
    default void onStep(int epoch, int step, int stepsPerEpoch, BatchLoss epochSoFar, double examplesPerSecond) {
    }

    default void onEpoch(EpochSummary summary) {
    }

    /** A step (0-based epoch and step) was dropped under {@code --on-nan skip}; {@code quantity} is "loss" or "gradients". */
    default void onSkippedStep(int epoch, int step, String quantity) {
    }

    /** A checkpoint was written (atomically) to {@code file}. */
    default void onCheckpoint(Path file) {
    }

    TrainingListener NONE = new TrainingListener() {
    };
}
