package dev.nvae.cli.serve;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
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
 *
 * <p>An admitted request has {@code timeout} to finish, waiting for a lane included: past it, its thread is
 * interrupted, which the model answers by stopping between two batches (or by giving up the wait), and the request
 * is answered 503 (without Retry-After: the same request would take as long again). Without it one /score of many images and importance samples held a lane for minutes, and the
 * client — or a proxy in front, which gives up after a minute — was long gone when the answer came.
 */
final class ComputeQueue {
    /** How often an interrupt is repeated once the deadline has passed, until the work stops. */
    private static final long REPEAT_MILLIS = 100;

    private final int lanes, queue;
    private final Duration timeout;
    private final Semaphore admitted;
    private final ScheduledThreadPoolExecutor deadlines;
    private volatile boolean stopping;

    /** @param timeout zero: no limit */
    ComputeQueue(int lanes, int queue, Duration timeout) {
        this.lanes = lanes;
        this.queue = queue;
        this.timeout = timeout;
        this.admitted = new Semaphore(lanes + queue);
        this.deadlines = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "nvae-serve-deadlines");
            t.setDaemon(true);
            return t;
        });
        deadlines.setRemoveOnCancelPolicy(true);  // a request that finishes in time leaves nothing queued behind
    }

    /** Runs {@code work} on this thread if the queue has room; 503 when it is full, the server stops, or the work runs past the timeout. */
    <T> T run(Supplier<T> work) {
        if (stopping || !admitted.tryAcquire()) {
            throw new HttpError(503, "queue", stopping ? "the server is stopping"
                    : "the server is busy (" + lanes + " requests computing, " + queue + " waiting); try again shortly");
        }
        try {
            if (timeout.isZero()) return work.get();
            return withDeadline(work);
        } finally {
            admitted.release();
        }
    }

    private <T> T withDeadline(Supplier<T> work) {
        Deadline deadline = new Deadline(Thread.currentThread());
        // Repeated, not once: the model takes an interrupt that arrives before its call has begun for the caller's own
        // business and lets the call run; the next one, 100 ms later, lands inside it.
        ScheduledFuture<?> timer;
        try {
            timer = deadlines.scheduleAtFixedRate(deadline::pass, timeout.toNanos(), TimeUnit.MILLISECONDS.toNanos(REPEAT_MILLIS),
                    TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {  // admitted just as the server began to stop
            throw new HttpError(503, "queue", "the server is stopping");
        }
        try {
            return work.get();
        } catch (CancellationException e) {
            if (!deadline.passed()) throw e;
            throw new HttpError(503, "compute", "not done within --compute-timeout " + timeout.toSeconds() + " s (waiting for a "
                    + "lane included): the server is busy, or the request asks for much; try again, or ask for fewer images, a smaller iw or n");
        } finally {
            timer.cancel(false);
            deadline.finish();
        }
    }

    /** The interrupts of one request's deadline; once it is finished, none reaches its thread again. */
    private static final class Deadline {
        private final Thread thread;
        private boolean passed, finished;

        Deadline(Thread thread) {
            this.thread = thread;
        }

        synchronized void pass() {
            if (finished) return;
            passed = true;
            thread.interrupt();
        }

        synchronized boolean passed() {
            return passed;
        }

        /**
         * On the request's own thread: no interrupt comes after this, and one already sent is cleared — its answer is
         * still to be written, and an interrupted thread's channel write closes the channel instead.
         */
        synchronized void finish() {
            finished = true;
            if (passed) Thread.interrupted();
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
        } finally {
            deadlines.shutdownNow();
        }
    }
}
