package dev.nvae.train;

/**
 * Where a run stands between two steps: the next step to run is {@code step} (0-based) of epoch
 * {@code epoch} (0-based); {@code epoch == epochs, step == 0} is a finished run. The data order and the
 * noise of every step are derived from (seed, epoch) and (seed, epoch, step) (see {@link Trainer}), so
 * this position plus the seed is the whole random state: nothing else needs saving.
 *
 * @param adamStep the optimiser's step count (updates applied; skipped steps are not counted)
 * @param skipped  steps dropped so far under {@code --on-nan skip}
 */
public record TrainingPosition(int epoch, int step, int stepsPerEpoch, long adamStep, long skipped) {
    public TrainingPosition {
        if (epoch < 0 || step < 0 || stepsPerEpoch < 1 || step >= stepsPerEpoch || adamStep < 0 || skipped < 0) {
            throw new IllegalArgumentException("inconsistent training position " + epoch + "/" + step + "/" + stepsPerEpoch
                    + "/" + adamStep + "/" + skipped);
        }
    }

    /** Steps run (applied or skipped) since the start of training. */
    public long globalStep() {
        return (long) epoch * stepsPerEpoch + step;
    }
}
