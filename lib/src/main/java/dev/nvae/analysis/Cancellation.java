package dev.nvae.analysis;

import java.util.concurrent.CancellationException;

/**
 * Where a long computation may stop early: between batches of examples (and of importance samples), so that a
 * caller who interrupts the computing thread — a server cutting off a request that ran past its deadline — gets
 * the thread back within one batch instead of after the whole call. Nothing here clears the interrupt flag.
 */
final class Cancellation {
    private Cancellation() {
    }

    /** @throws CancellationException if this thread has been interrupted (its flag stays set) */
    static void checkpoint() {
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException("interrupted: the computation stopped between two batches");
        }
    }
}
