package dev.nvae.backend.onednn;

import dev.nvae.ffm.DnnlStatus;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.function.ToIntFunction;

import static java.lang.foreign.ValueLayout.ADDRESS;

/**
 * The create half of every oneDNN object: call a {@code dnnl_*_create(T *out, ...)} with a fresh
 * out-parameter, check the status ({@link DnnlStatus}) and return the handle. The out-parameter lives in a
 * confined arena for the duration of the call only; creation happens on cache misses, never per step.
 */
final class Handles {
    private Handles() {
    }

    static MemorySegment create(String call, ToIntFunction<MemorySegment> create) {
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment out = scratch.allocate(ADDRESS);
            DnnlStatus.check(call, create.applyAsInt(out));
            MemorySegment handle = out.get(ADDRESS, 0);
            if (handle.equals(MemorySegment.NULL)) throw new IllegalStateException(call + " returned a null handle");
            return handle;
        }
    }
}
