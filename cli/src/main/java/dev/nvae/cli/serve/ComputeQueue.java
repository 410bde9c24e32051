package dev.nvae.cli.serve;

import dev.nvae.api.InvalidRequestException;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where requests wait for the model: one platform thread per lane of the model (so a task that runs always
 * finds a free lane, and FFM and OpenMP see the same threads call after call) and a bounded queue in front of
 * them. With every thread busy and the queue full a request is refused at once with 503 — the server holds
 * at most lanes + queue requests' work, never an unbounded backlog.
 */
final class ComputeQueue implements AutoCloseable {
    private final ThreadPoolExecutor pool;
    private final int threads, capacity;

    ComputeQueue(int threads, int capacity) {
        this.threads = threads;
        this.capacity = capacity;
        AtomicInteger n = new AtomicInteger();
        // A queue of capacity 0 is a hand-off: a request runs at once or is refused.
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS,
                capacity == 0 ? new java.util.concurrent.SynchronousQueue<>() : new ArrayBlockingQueue<>(capacity),
                r -> Thread.ofPlatform().name("nvae-compute-" + n.incrementAndGet()).daemon().unstarted(r),
                new ThreadPoolExecutor.AbortPolicy());
        pool.prestartAllCoreThreads();
    }

    /** Runs {@code work} on a compute thread and returns its result; 503 when the queue is full. */
    <T> T run(Callable<T> work) {
        Future<T> f;
        try {
            f = pool.submit(work);
        } catch (RejectedExecutionException full) {
            throw new HttpError(503, "queue", pool.isShutdown() ? "the server is stopping"
                    : "the server is busy (" + threads + " requests computing, " + capacity + " waiting); try again shortly");
        }
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpError h) throw h;
            if (cause instanceof InvalidRequestException i) throw i;
            if (cause instanceof RuntimeException r) throw r;
            if (cause instanceof Error err) throw err;
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpError(503, "queue", "the server is stopping");
        }
    }

    /** Requests waiting or computing now. */
    int inFlight() {
        return pool.getActiveCount() + pool.getQueue().size();
    }

    /** Lets queued and running work finish (up to {@code seconds}), then stops the threads. */
    void shutdown(long seconds) {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(seconds, TimeUnit.SECONDS)) pool.shutdownNow();
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        shutdown(0);
    }
}
