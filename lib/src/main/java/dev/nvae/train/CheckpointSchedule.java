package dev.nvae.train;

import dev.nvae.NvaeException;

import java.util.Locale;

/**
 * When a run writes checkpoints and how many it keeps, recorded in each checkpoint so that a resumed run
 * goes on as the run it continues did: resuming with no schedule given must not prune a directory told to
 * keep ten down to the default three, nor fall back from every 100 steps to once an epoch.
 *
 * @param everySteps steps between checkpoints; 0: once at the end of every epoch
 * @param keep       how many of the newest checkpoints are kept
 */
public record CheckpointSchedule(int everySteps, int keep) {
    public static final int DEFAULT_KEEP = 3;

    public CheckpointSchedule {
        if (everySteps < 0) throw new NvaeException("--checkpoint-every " + everySteps + " must be at least 1");
        if (keep < 1) throw new NvaeException("--keep " + keep + " must be at least 1");
    }

    /** As a person reads it: "every 100 steps, keeping 10" or "once an epoch, keeping 3". */
    public String describe() {
        return String.format(Locale.ROOT, "%s, keeping %d", everySteps == 0 ? "once an epoch" : everySteps == 1 ? "every step" : "every " + everySteps + " steps", keep);
    }
}
