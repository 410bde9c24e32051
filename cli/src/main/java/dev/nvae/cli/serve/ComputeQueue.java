package dev.nvae.cli.serve;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Where requests wait for the model: at most {@code lanes + queue} requests are admitted at once — as many
 * computing as the model has lanes, the rest waiting for one in the model's own queue — and the next is refused
 * at once with 503. The server thus holds a bounded amount of work, never an unbounded backlog.
 *
 * <p>An admitted request computes on the thread that handles it (a virtual thread): no hand-off to another
 * thread and back, which on a loopback request cost as much as the request's own work.
 */
final class ComputeQueue {
    private final int lanes, queue;
    private final Semaphore admitted;
    private volatile boolean stopping;

    ComputeQueue(int lanes, int queue) {
        this.lanes = lanes;
        this.queue = queue;
        this.admitted = new Semaphore(lanes + queue);
    }

    /** Runs {@code work} on this thread if the queue has room; 503 when it is full or the server stops. */
    <T> T run(Supplier<T> work) {
        if (stopping || !admitted.tryAcquire()) {
            throw new HttpError(503, "queue", stopping ? "the server is stopping"
                    : "the server is busy (" + lanes + " requests computing, " + queue + " waiting); try again shortly");
        }
        try {
            return work.get();
        } finally {
            admitted.release();
        }
    }

    /** Requests computing or waiting for a lane now. */
    int inFlight() {
        return lanes + queue - admitted.availablePermits();
    }

    /** Admits no more work and waits up to {@code nanos} for the admitted work to finish. */
    void shutdown(long nanos) {
        stopping = true;
        try {
            if (admitted.tryAcquire(lanes + queue, Math.max(0, nanos), TimeUnit.NANOSECONDS)) admitted.release(lanes + queue);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
