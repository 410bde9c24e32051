package dev.nvae.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Threads started once and handed work cheaply: the caller publishes a task by bumping a volatile
 * generation, runs share 0 itself, and waits until the others are done. Work is split statically by
 * worker index, which keeps every result independent of timing.
 *
 * <p>Waiting is spin, then yield, then park — on both sides. Back-to-back kernels of a training step
 * hand off within the spin phase (well under a microsecond). The later phases matter when the cores
 * are shared: a waiter that only spins burns the time slice the thread it waits for needs, and on a
 * busy machine one GEMM then takes a scheduler quantum instead of microseconds.
 */
public final class WorkerPool implements AutoCloseable {

    /** A share of work: {@code worker} in [0, workers). Implementations are reused, never allocated per call. */
    public interface Task {
        void run(int worker, int workers);
    }

    /**
     * Threads someone else owns — an OpenMP team — lent for one call at a time. A pool on such a team
     * starts no threads of its own: its work runs on the same threads as the native library's, so the
     * two never take turns on one core (a Java worker beside an OpenMP worker that spins after its
     * primitive ran the element-wise phases of a training step at a quarter of their speed).
     */
    public interface Team extends AutoCloseable {
        /**
         * Calls {@code shares.run(w)} once for every w in [0, threads) across the team, the caller's
         * thread taking part, and returns when all have returned. A share that throws must not stop the
         * others; what it threw is the pool's to report.
         */
        void runShares(int threads, Share shares);

        @Override
        void close();
    }

    /** One share of a {@link Team} call. */
    public interface Share {
        void run(int worker);
    }

    private static final int SPINS = 1 << 14;
    private static final int YIELDS = 1 << 8;
    private static final long PARK_NANOS = 200_000;

    private final int threads;
    private final int spins, yields;
    private final Thread[] workers;
    private final AtomicIntegerArray parked; // per worker thread: 1 while it is (about to be) parked
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Task task;
    private volatile int generation;
    private volatile boolean closed;
    private volatile Throwable failure;
    private volatile Thread waiter; // the caller, while it parks waiting for the last share
    private final Team team;        // null: this pool's own threads
    private final Share teamShare = this::runTeamShare;

    /** A pool for back-to-back kernels: waits spin first. */
    public WorkerPool(int threads) {
        this(threads, true);
    }

    /**
     * @param spin whether idle threads spin before they park. A pool that runs beside another thread
     *             team (oneDNN's OpenMP threads) must not spin: its idle workers would take the cores
     *             that team is computing on. Handing work to parked threads costs a wake-up (~10 µs).
     */
    public WorkerPool(int threads, boolean spin) {
        if (threads < 1) throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        this.threads = threads;
        this.team = null;
        this.spins = spin ? SPINS : 0;
        this.yields = spin ? YIELDS : 0;
        this.workers = new Thread[threads - 1];
        this.parked = new AtomicIntegerArray(Math.max(1, threads - 1));
        for (int i = 0; i < workers.length; i++) {
            int id = i + 1;
            Thread t = new Thread(() -> workerLoop(id), "nvae-worker-" + id);
            t.setDaemon(true);
            workers[i] = t;
            t.start();
        }
    }

    /** A pool of {@code threads} that runs its work on {@code team}'s threads; closing the pool closes the team. */
    public WorkerPool(int threads, Team team) {
        if (threads < 1) throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        this.threads = threads;
        this.team = team;
        this.spins = 0;
        this.yields = 0;
        this.workers = new Thread[0];
        this.parked = new AtomicIntegerArray(1);
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
        if (team != null) {
            task = t;
            try {
                team.runShares(threads, teamShare);
            } finally {
                task = null;
            }
            rethrow(failure);
            return;
        }
        task = t;
        pending.set(threads - 1);
        generation++;
        // Pairs with the worker's parked-then-recheck: either we see it parked, or it sees the new generation.
        for (int i = 0; i < workers.length; i++) {
            if (parked.get(i) != 0) LockSupport.unpark(workers[i]);
        }
        Throwable own = null;
        try {
            t.run(0, threads);
        } catch (Throwable e) {
            own = e;
        }
        awaitWorkers();
        task = null;
        rethrow(own != null ? own : failure);
    }

    /** What a share threw, to the caller as it was (a checked one wrapped); nothing when null. */
    private static void rethrow(Throwable f) {
        if (f instanceof RuntimeException re) throw re;
        if (f instanceof Error er) throw er;
        if (f != null) throw new RuntimeException(f);
    }

    private void awaitWorkers() {
        boolean interrupted = false;
        for (int round = 0; pending.get() != 0; round++) {
            if (round < spins) {
                Thread.onSpinWait();
            } else if (round < spins + yields) {
                Thread.yield();
            } else {
                // A set interrupt flag makes park return at once: the caller (a request past its deadline) spun on a core
                // until the shares were done. The flag is put aside while it waits and set again for the caller to see.
                interrupted |= Thread.interrupted();
                waiter = Thread.currentThread();
                if (pending.get() != 0) LockSupport.parkNanos(this, PARK_NANOS);
                waiter = null;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    private void workerLoop(int id) {
        int seen = 0;
        int slot = id - 1;
        while (true) {
            for (int round = 0; generation == seen && !closed; round++) {
                if (round < spins) {
                    Thread.onSpinWait();
                } else if (round < spins + yields) {
                    Thread.yield();
                } else {
                    parked.set(slot, 1);
                    if (generation == seen && !closed) LockSupport.park(this);
                    parked.set(slot, 0);
                }
            }
            if (closed) return;
            seen = generation;
            try {
                task.run(id, threads);
            } catch (Throwable e) {
                failure = e;
            } finally {
                if (pending.decrementAndGet() == 0) {
                    Thread w = waiter;
                    if (w != null) LockSupport.unpark(w);
                }
            }
        }
    }

    private void runTeamShare(int worker) {
        try {
            task.run(worker, threads);
        } catch (Throwable e) {
            failure = e;
        }
    }

    /** Start of share {@code w} of {@code n} items split into {@code parts} contiguous ranges. */
    public static int splitStart(int n, int w, int parts) {
        return (int) ((long) n * w / parts);
    }

    @Override
    public void close() {
        if (team != null) {
            if (!closed) team.close();
            closed = true;
            return;
        }
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
