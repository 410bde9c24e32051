package dev.nvae.backend.onednn;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

/**
 * A row of 1.0f: the left operand of the bias-gradient product db += 1ᵀ·dy, which lets a matmul with a
 * sum post-op do the column sums. Grows (on a cache miss, never during execution) to the largest batch
 * seen; executions bind the current segment each time they run.
 */
final class OnesVector implements AutoCloseable {
    private Arena arena = Arena.ofShared();
    private MemorySegment segment = filled(arena, 128);

    void ensure(int n) {
        if ((long) n * Float.BYTES <= segment.byteSize()) return;
        Arena bigger = Arena.ofShared();
        MemorySegment s = filled(bigger, n);
        arena.close();
        arena = bigger;
        segment = s;
    }

    private static MemorySegment filled(Arena arena, int n) {
        MemorySegment s = arena.allocate((long) n * Float.BYTES, 64);
        for (int i = 0; i < n; i++) s.setAtIndex(JAVA_FLOAT, i, 1f);
        return s;
    }

    MemorySegment segment() {
        return segment;
    }

    @Override
    public void close() {
        if (arena.scope().isAlive()) arena.close();
    }
}
