package dev.nvae.api;

import java.nio.file.Path;

/**
 * What a {@link Training} run reports while it runs, on the thread that runs it. Every method does nothing
 * by default; a listener that throws stops the run (the checkpoints written so far stay).
 */
public interface TrainingListener {
    /**
     * After each optimisation step.
     *
     * @param epoch             the epoch, from 1
     * @param step              the step within the epoch, from 1
     * @param stepsPerEpoch     steps in an epoch
     * @param meanLoss          mean training loss over the epoch so far
     * @param examplesPerSecond throughput since the epoch began
     */
    default void onStep(int epoch, int step, int stepsPerEpoch, double meanLoss, double examplesPerSecond) {
    }

    /**
     * After each epoch.
     *
     * @param report the epoch's means and throughput
     */
    default void onEpoch(EpochReport report) {
    }

    /**
     * After a checkpoint was written, atomically.
     *
     * @param file the checkpoint
     */
    default void onCheckpoint(Path file) {
    }
}
