package dev.nvae.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Threads started once and handed work cheaply: the caller publishes a task by bumping a volatile
 * generation, runs share 0 itself, and spins until the others are done. Workers spin briefly before
 * parking, so back-to-back kernels of one training step hand off in well under a microsecond.
 * Work is split statically by worker index, which keeps every result independent of timing.
 */
public final class WorkerPool implements AutoCloseable {

    /** A share of work: {@code worker} in [0, workers). Implementations are reused, never allocated per call. */
    public interface Task {
        void run(int worker, int workers);
    }

    private static final int SPIN_BEFORE_PARK = 1 << 16;

    private final int threads;
    private final Thread[] workers;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Task task;
    private volatile int generation;
    private volatile boolean closed;
    private volatile Throwable failure;

    public WorkerPool(int threads) {
        if (threads < 1) throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            int id = i + 1;
            Thread t = new Thread(() -> workerLoop(id), "nvae-worker-" + id);
            t.setDaemon(true);
            workers[i] = t;
            t.start();
        }
    }

    public int threads() {
        return threads;
    }

    /** Runs {@code t} on every thread (the caller included) and returns when all shares are done. */
    public void run(Task t) {
        if (threads == 1) {
            t.run(0, 1);
            return;
        }
        if (closed) throw new IllegalStateException("worker pool closed");
        failure = null;
        task = t;
        pending.set(threads - 1);
        generation++;
        for (Thread w : workers) LockSupport.unpark(w);
        Throwable own = null;
        try {
            t.run(0, threads);
        } catch (Throwable e) {
            own = e;
        }
        while (pending.get() != 0) Thread.onSpinWait();
        task = null;
        Throwable f = own != null ? own : failure;
        if (f instanceof RuntimeException re) throw re;
        if (f instanceof Error er) throw er;
        if (f != null) throw new RuntimeException(f);
    }

    private void workerLoop(int id) {
        int seen = 0;
        while (true) {
            int spins = 0;
            while (generation == seen && !closed) {
                if (++spins < SPIN_BEFORE_PARK) Thread.onSpinWait();
                else LockSupport.park(this);
            }
            if (closed) return;
            seen = generation;
            try {
                task.run(id, threads);
            } catch (Throwable e) {
                failure = e;
            } finally {
                pending.decrementAndGet();
            }
        }
    }

    /** Start of share {@code w} of {@code n} items split into {@code parts} contiguous ranges. */
    public static int splitStart(int n, int w, int parts) {
        return (int) ((long) n * w / parts);
    }

    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) LockSupport.unpark(w);
        for (Thread w : workers) {
            try {
                w.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
