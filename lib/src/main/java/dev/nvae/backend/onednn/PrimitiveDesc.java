package dev.nvae.backend.onednn;

import dev.nvae.ffm.DnnlStatus;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.function.ToIntFunction;

import static dev.nvae.ffm.dnnl.dnnl_h.*;
import static java.lang.foreign.ValueLayout.ADDRESS;

/** A {@code dnnl_primitive_desc_t}: what a primitive will compute, which implementation oneDNN chose, which layouts. */
final class PrimitiveDesc implements AutoCloseable {
    private final MemorySegment handle;
    private boolean closed;

    /** @param call the {@code dnnl_*_primitive_desc_create} being called, for the error message */
    PrimitiveDesc(String call, ToIntFunction<MemorySegment> create) {
        handle = Handles.create(call, create);
    }

    MemorySegment handle() {
        return handle;
    }

    /**
     * The memory descriptor the primitive expects for execution argument {@code arg} (a DNNL_ARG_*), owned
     * by this descriptor. Memory objects are created from it, so their layout is the one the primitive chose.
     */
    MemorySegment argumentDesc(int arg) {
        MemorySegment md = dnnl_primitive_desc_query_md(handle, dnnl_query_exec_arg_md(), arg);
        if (md.equals(MemorySegment.NULL)) {
            throw new IllegalStateException("primitive " + implementation() + " has no argument " + arg);
        }
        return md;
    }

    /**
     * Checks that the primitive reads argument {@code arg} in the layout {@code ours} describes — the
     * tensor's own. We pass fully specified layouts, which oneDNN honours or refuses; this makes sure,
     * since nvae never reorders (a different layout would mean reading the bytes in the wrong order).
     */
    void requireLayout(int arg, MemoryDesc ours) {
        if (dnnl_memory_desc_equal(argumentDesc(arg), ours.handle()) != 1) {
            throw new IllegalStateException(implementation() + " chose another layout for argument " + arg
                    + " than the tensor's own; nvae does not reorder");
        }
    }

    /** Bytes of user scratchpad the primitive needs per execution (0 for none). */
    long scratchpadBytes() {
        MemorySegment md = dnnl_primitive_desc_query_md(handle, dnnl_query_scratchpad_md(), 0);
        return md.equals(MemorySegment.NULL) ? 0 : dnnl_memory_desc_get_size(md);
    }

    MemorySegment scratchpadDesc() {
        return dnnl_primitive_desc_query_md(handle, dnnl_query_scratchpad_md(), 0);
    }

    /** The implementation oneDNN dispatched to, e.g. {@code "brg_matmul:avx2"}. */
    String implementation() {
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment out = scratch.allocate(ADDRESS);
            DnnlStatus.check("dnnl_primitive_desc_query",
                    dnnl_primitive_desc_query(handle, dnnl_query_impl_info_str(), 0, out));
            return out.get(ADDRESS, 0).reinterpret(256).getString(0);
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        DnnlStatus.check("dnnl_primitive_desc_destroy", dnnl_primitive_desc_destroy(handle));
    }
}
