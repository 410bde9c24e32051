package dev.nvae.backend.onednn;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The one scratch buffer every primitive of a backend uses (user scratchpad mode). Primitives run one at a
 * time on one stream, so they can share it; it is sized to the largest request and grows only when a new
 * primitive is created, never during execution. Each execution binds the current segment, so growing
 * (which frees the old buffer) leaves no primitive pointing at freed memory.
 */
public final class Scratchpad implements AutoCloseable {
    /** Page alignment: oneDNN carves aligned sub-buffers out of the scratchpad. */
    private static final long ALIGNMENT = 4096;

    private Arena arena = Arena.ofShared();
    private MemorySegment segment = arena.allocate(ALIGNMENT, ALIGNMENT);

    /** Makes the buffer at least {@code bytes} long. Call only while no primitive is executing. */
    void ensure(long bytes) {
        if (bytes <= segment.byteSize()) return;
        Arena bigger = Arena.ofShared();
        MemorySegment s = bigger.allocate(bytes, ALIGNMENT);
        arena.close();
        arena = bigger;
        segment = s;
    }

    MemorySegment segment() {
        return segment;
    }

    public long byteSize() {
        return segment.byteSize();
    }

    @Override
    public void close() {
        if (arena.scope().isAlive()) arena.close();
    }
}
