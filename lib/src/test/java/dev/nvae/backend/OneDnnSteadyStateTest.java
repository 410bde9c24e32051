package dev.nvae.backend;

import dev.nvae.ffm.DnnlLibrary;
import dev.nvae.random.Rng;
import dev.nvae.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Once every shape has been seen, an operation allocates nothing on the Java heap and creates no
 * primitive; and each backend holds oneDNN to its own --threads, also when several share a process.
 */
class OneDnnSteadyStateTest {
    @BeforeAll
    static void available() {
        assumeTrue(DnnlLibrary.isAvailable(), () -> "oneDNN unavailable: " + DnnlLibrary.unavailableReason());
    }

    @Test
    void operationsAllocateNothingOnceShapesAreKnown() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Arena arena = Arena.ofShared(); OneDnnBackend be = (OneDnnBackend) Backends.create("onednn", 2)) {
            Rng rng = new Rng(3);
            Tensor x = OneDnnParityTest.gaussian(arena, "x", 16, 24, 1, rng);
            Tensor w = OneDnnParityTest.gaussian(arena, "w", 24, 8, 1, rng);
            Tensor b = OneDnnParityTest.gaussian(arena, "b", 1, 8, 1, rng);
            Tensor y = Tensor.allocate(arena, "y", 16, 8), dy = Tensor.allocate(arena, "dy", 16, 8);
            Tensor dx = Tensor.allocate(arena, "dx", 16, 24);
            Tensor dw = Tensor.allocate(arena, "dw", 24, 8), db = Tensor.allocate(arena, "db", 1, 8);
            int[] batches = {16, 5};  // a full and a ragged batch
            Runnable step = () -> {
                for (int batch : batches) {
                    be.linearForward(x, w, b, y, batch, true);
                    dy.copyFrom(y);
                    be.reluBackward(dy, y, batch);
                    be.linearBackwardWeights(x, dy, dw, db, batch);
                    be.linearBackwardData(dy, w, dx, batch);
                    be.sigmoid(y, y, batch);
                }
            };
            for (int i = 0; i < 5_000; i++) step.run();  // warm-up: creates every primitive, lets the JIT compile
            int primitives = be.primitives().size();
            // A per-call allocation shows in every round (2000 steps x at least 16 bytes); a one-off JIT
            // event on a loaded machine (a method recompiled mid-round) can add a few hundred bytes to one.
            // So: up to five rounds, and one of them must allocate nothing at all.
            java.util.List<Long> rounds = new java.util.ArrayList<>();
            for (int round = 0; round < 5 && (rounds.isEmpty() || rounds.getLast() != 0); round++) {
                long before = mx.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 2_000; i++) step.run();
                rounds.add(mx.getCurrentThreadAllocatedBytes() - before);
            }
            assertEquals(primitives, be.primitives().size(), "no primitive created in steady state");
            assertEquals(0L, rounds.getLast(), "bytes allocated by rounds of 2000 steady-state steps of 12 operations: " + rounds);
        }
    }

    @Test
    void eachBackendKeepsItsOwnTeamSize() {
        try (Arena arena = Arena.ofShared(); Backend one = Backends.create("onednn", 1); Backend two = Backends.create("onednn", 2)) {
            Tensor x = Tensor.allocate(arena, "x", 4, 4), w = Tensor.allocate(arena, "w", 4, 4);
            Tensor b = Tensor.allocate(arena, "b", 1, 4), y = Tensor.allocate(arena, "y", 4, 4);
            one.linearForward(x, w, b, y, 4, false);
            assertEquals(1, DnnlLibrary.maxThreads(), "team size after a 1-thread backend ran");
            two.linearForward(x, w, b, y, 4, false);
            assertEquals(2, DnnlLibrary.maxThreads(), "team size after a 2-thread backend ran");
            one.linearForward(x, w, b, y, 4, false);
            assertEquals(1, DnnlLibrary.maxThreads());
        }
    }
}
