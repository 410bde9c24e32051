package dev.nvae.backend.onednn;

import dev.nvae.ffm.DnnlStatus;

import java.lang.foreign.MemorySegment;

import static dev.nvae.ffm.dnnl.dnnl_h.*;

/**
 * A {@code dnnl_memory_t} that never owns data: it is created with no buffer and pointed at a tensor's
 * off-heap segment before each execution ({@code dnnl_memory_set_data_handle}), so oneDNN reads and writes
 * the very bytes the other backends use, without copies.
 */
final class Memory implements AutoCloseable {
    private final MemorySegment handle;
    private boolean closed;

    /** @param desc the layout, as the primitive descriptor reports it (copied by oneDNN) */
    Memory(Engine engine, MemorySegment desc) {
        handle = Handles.create("dnnl_memory_create",
                out -> dnnl_memory_create(out, desc, engine.engine(), DNNL_MEMORY_NONE()));
    }

    MemorySegment handle() {
        return handle;
    }

    /** Points this memory at {@code data}; the caller keeps {@code data} alive until the execution ends. */
    void bind(MemorySegment data) {
        int status = dnnl_memory_set_data_handle(handle, data);
        if (status != dnnl_success()) DnnlStatus.check("dnnl_memory_set_data_handle", status);
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        DnnlStatus.check("dnnl_memory_destroy", dnnl_memory_destroy(handle));
    }
}
