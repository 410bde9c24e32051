package dev.nvae.backend;

import dev.nvae.backend.onednn.OpenMpTeam;
import dev.nvae.ffm.DnnlLibrary;
import dev.nvae.kernels.ParallelElementwise;
import dev.nvae.kernels.WorkerPool;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static dev.nvae.tensor.Tensor.F32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The onednn backend's element-wise work on libgomp's own team: every share exactly once across the team's
 * threads, failures reported to the caller, and the same bits as a pool of Java threads.
 */
class OpenMpTeamTest {
    @BeforeAll
    static void needsOneDnn() {
        assumeTrue(DnnlLibrary.isAvailable(), () -> "oneDNN unavailable: " + DnnlLibrary.unavailableReason());
        try (Backend b = Backends.create("onednn", 1)) {
            assumeTrue(b.name().equals("onednn"), "onednn backend did not open");
        }
    }

    @Test
    void everyShareRunsOnceOnTheTeamsThreadsAndTheCallerTakesPart() {
        try (WorkerPool pool = new WorkerPool(5, new OpenMpTeam())) {
            for (int round = 0; round < 50; round++) {
                AtomicIntegerArray seen = new AtomicIntegerArray(5);
                Set<Thread> threads = ConcurrentHashMap.newKeySet();
                pool.run((worker, workers) -> {
                    assertEquals(5, workers);
                    seen.incrementAndGet(worker);
                    threads.add(Thread.currentThread());
                });
                for (int w = 0; w < 5; w++) assertEquals(1, seen.get(w), "round " + round + ", share " + w);
                assertTrue(threads.contains(Thread.currentThread()), "the caller is thread 0 of the team");
            }
        }
    }

    /**
     * A team's worker threads joined the JVM with their first upcall; closing the team must end them (libgomp's
     * pool paused), or the JVM's exit waits up to 0.3 s for them to leave native code.
     */
    @Test
    void closingTheTeamEndsTheWorkerThreadsItsUpcallsAttached() throws InterruptedException {
        Set<Thread> workers = ConcurrentHashMap.newKeySet();
        CountDownLatch closed = new CountDownLatch(1), checked = new CountDownLatch(1);
        // The team's user on a thread of its own that outlives the team, as a command's main thread does: the
        // pool libgomp pauses is the calling thread's (and a thread that ends takes its pool with it).
        Thread user = Thread.ofPlatform().start(() -> {
            try {
                try (WorkerPool pool = new WorkerPool(3, new OpenMpTeam())) {
                    for (int round = 0; round < 3; round++) pool.run((worker, n) -> workers.add(Thread.currentThread()));
                    workers.remove(Thread.currentThread());
                }
                closed.countDown();
                checked.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            assertTrue(closed.await(30, TimeUnit.SECONDS), "the team did not run and close");
            assumeTrue(!workers.isEmpty(), "libgomp ran the team on the calling thread alone");
            for (Thread t : workers) {
                t.join(10_000);
                assertFalse(t.isAlive(), t + ", a worker of the closed team, still runs");
            }
        } finally {
            checked.countDown();
            user.join();
        }
    }

    @Test
    void aFailingShareIsThrownToTheCaller() {
        try (WorkerPool pool = new WorkerPool(2, new OpenMpTeam())) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> pool.run((worker, workers) -> {
                        if (worker == 1) throw new IllegalStateException("share 1 failed");
                    }));
            assertEquals("share 1 failed", e.getMessage());
            AtomicIntegerArray seen = new AtomicIntegerArray(2);
            pool.run((worker, workers) -> seen.incrementAndGet(worker));
            assertEquals(1, seen.get(0));
            assertEquals(1, seen.get(1));
        }
    }

    @Test
    void adamOnTheTeamEqualsAdamOnJavaThreadsBitForBit() {
        int n = 3 * 4096 + 1234;
        SplittableRandom r = new SplittableRandom(5);
        try (Arena arena = Arena.ofShared(); WorkerPool team = new WorkerPool(2, new OpenMpTeam()); WorkerPool java = new WorkerPool(2)) {
            MemorySegment[] a = new MemorySegment[4], b = new MemorySegment[4];
            for (int k = 0; k < 4; k++) {
                a[k] = arena.allocate(n * 4L, 64);
                for (int i = 0; i < n; i++) a[k].setAtIndex(F32, i, (float) (k == 3 ? r.nextDouble() : r.nextDouble() - 0.5));
                b[k] = arena.allocate(n * 4L, 64);
                b[k].copyFrom(a[k]);
            }
            ParallelElementwise onTeam = new ParallelElementwise(team), onJava = new ParallelElementwise(java);
            for (int step = 0; step < 3; step++) {
                assertTrue(onTeam.adam(a[0], a[1], a[2], a[3], n, 0.9f, 0.999f, 1e-3f, 1.3f, 1e-8f));
                assertTrue(onJava.adam(b[0], b[1], b[2], b[3], n, 0.9f, 0.999f, 1e-3f, 1.3f, 1e-8f));
            }
            for (int k = 0; k < 4; k++) {
                for (int i = 0; i < n; i++) assertEquals(b[k].getAtIndex(F32, i), a[k].getAtIndex(F32, i), 0f, "buffer " + k + " at " + i);
            }
        }
    }
}
