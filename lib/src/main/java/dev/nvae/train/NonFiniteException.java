package dev.nvae.train;

import dev.nvae.NvaeException;

/** Training met a NaN or infinity; says where (1-based epoch and step) and in what. */
public final class NonFiniteException extends NvaeException {
    private final int epoch;
    private final int step;
    private final String quantity;

    /**
     * @param epoch    1-based
     * @param step     1-based, within the epoch
     * @param quantity "loss", "gradients" or "parameters"
     */
    public NonFiniteException(int epoch, int step, String quantity, String advice) {
        super("training diverged: non-finite " + quantity + " at epoch " + epoch + ", step " + step + "; " + advice);
        this.epoch = epoch;
        this.step = step;
        this.quantity = quantity;
    }

    public int epoch() {
        return epoch;
    }

    public int step() {
        return step;
    }

    public String quantity() {
        return quantity;
    }
}
