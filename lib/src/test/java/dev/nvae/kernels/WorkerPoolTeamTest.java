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
}
