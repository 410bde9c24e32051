package dev.nvae.train;

import dev.nvae.NvaeException;

import java.util.Locale;

/** What training does when a step's loss or gradients are NaN or infinite ({@code --on-nan}). */
public enum NonFinitePolicy {
    /** Stop with an error naming epoch, step and quantity; the checkpoints written so far stay as they are. */
    STOP,
    /**
     * Drop the step: no update, and the optimiser's step count does not advance, so Adam's bias
     * correction is as if the step never happened. Non-finite parameters still stop training: an
     * update already applied cannot be skipped.
     */
    SKIP;

    public static NonFinitePolicy parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "stop" -> STOP;
            case "skip" -> SKIP;
            default -> throw new NvaeException("--on-nan: '" + text + "' is not a policy; use stop or skip");
        };
    }
}
