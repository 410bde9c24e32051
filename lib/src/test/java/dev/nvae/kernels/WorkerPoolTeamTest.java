package dev.nvae.kernels;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A pool on a lent team: every share once, with the pool's thread count; failures reported; the team closed with it. */
class WorkerPoolTeamTest {
    /** Runs the shares one after another on the caller — the smallest team a pool must work on. */
    private static final class SerialTeam implements WorkerPool.Team {
        final AtomicBoolean closed = new AtomicBoolean();
        int calls;

        @Override
        public void runShares(int threads, WorkerPool.Share shares) {
            calls++;
            for (int w = threads - 1; w >= 0; w--) shares.run(w);
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    @Test
    void everyShareRunsOnceWithThePoolsThreadCount() {
        SerialTeam team = new SerialTeam();
        try (WorkerPool pool = new WorkerPool(3, team)) {
            AtomicIntegerArray seen = new AtomicIntegerArray(3);
            pool.run((worker, workers) -> {
                assertEquals(3, workers);
                seen.incrementAndGet(worker);
            });
            for (int w = 0; w < 3; w++) assertEquals(1, seen.get(w), "share " + w);
            assertEquals(1, team.calls);
            assertEquals(3, pool.threads());
        }
        assertTrue(team.closed.get(), "closing the pool closes its team");
    }

    @Test
    void aFailingShareIsThrownToTheCallerAndTheOthersStillRun() {
        SerialTeam team = new SerialTeam();
        try (WorkerPool pool = new WorkerPool(4, team)) {
            AtomicIntegerArray seen = new AtomicIntegerArray(4);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.run((worker, workers) -> {
                seen.incrementAndGet(worker);
                if (worker == 2) throw new IllegalStateException("share 2 failed");
            }));
            assertEquals("share 2 failed", e.getMessage());
            for (int w = 0; w < 4; w++) assertEquals(1, seen.get(w), "share " + w);
            // The next call starts clean.
            pool.run((worker, workers) -> { });
        }
    }

    /**
     * A caller whose interrupt flag is set (a request past its deadline, to stop at its next batch) still parks while the
     * workers finish its shares, and finds its flag set after: park returned at once with the flag set, and the caller
     * spun on a core for the whole wait (its CPU time was the wait's, here 600 ms; parked, it is a few ms).
     */
    @Test
    void anInterruptedCallerWaitsParkedAndKeepsItsFlag() {
        try (WorkerPool pool = new WorkerPool(2)) {
            java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
            Thread.currentThread().interrupt();
            long before = cpu.getCurrentThreadCpuTime();
            try {
                pool.run((worker, workers) -> {
                    if (worker == 1) {
                        long end = System.nanoTime() + 600_000_000L;
                        while (System.nanoTime() < end) java.util.concurrent.locks.LockSupport.parkNanos(end - System.nanoTime());
                    }
                });
                long used = cpu.getCurrentThreadCpuTime() - before;
                assertTrue(Thread.currentThread().isInterrupted(), "the flag is the caller's to see");
                assertTrue(used < 150_000_000L, "the caller used " + used / 1_000_000 + " ms of CPU waiting 600 ms");
            } finally {
                Thread.interrupted();
            }
        }
    }
}
