package dev.nvae.ffm;

import dev.nvae.ffm.dnnl.dnnl_exec_arg_t;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.ToIntFunction;

import static dev.nvae.ffm.dnnl.dnnl_h.*;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Test-only helper over the raw bindings (lib has the real wrappers): a CPU engine and stream, a confined
 * arena for buffers, and every native object created through it destroyed by {@link #close()} in reverse
 * order, each destroy status checked.
 */
final class DnnlScope implements AutoCloseable {

    final Arena arena = Arena.ofConfined();
    private final Deque<Runnable> destroyers = new ArrayDeque<>();
    final MemorySegment engine;
    final MemorySegment stream;

    DnnlScope() {
        DnnlLibrary.requireAvailable();
        engine = create("dnnl_engine_create", out -> dnnl_engine_create(out, dnnl_cpu(), 0),
                "dnnl_engine_destroy", h -> dnnl_engine_destroy(h));
        stream = create("dnnl_stream_create", out -> dnnl_stream_create(out, engine, dnnl_stream_default_flags()),
                "dnnl_stream_destroy", h -> dnnl_stream_destroy(h));
    }

    /**
     * Calls {@code create} with a fresh {@code T*} out-parameter, checks the status, registers the matching
     * destroy, and returns the handle.
     */
    MemorySegment create(String createCall, ToIntFunction<MemorySegment> create,
                         String destroyCall, ToIntFunction<MemorySegment> destroy) {
        MemorySegment out = arena.allocate(ADDRESS);
        DnnlStatus.check(createCall, create.applyAsInt(out));
        MemorySegment handle = out.get(ADDRESS, 0);
        destroyers.push(() -> DnnlStatus.check(destroyCall, destroy.applyAsInt(handle)));
        return handle;
    }

    MemorySegment dims(long... dims) {
        MemorySegment d = arena.allocate(dnnl_dims_t);
        MemorySegment.copy(dims, 0, d, JAVA_LONG, 0, dims.length);
        return d;
    }

    /** An f32 memory descriptor with a format tag. */
    MemorySegment md(int tag, long... dims) {
        MemorySegment d = dims(dims);
        return create("dnnl_memory_desc_create_with_tag",
                out -> dnnl_memory_desc_create_with_tag(out, dims.length, d, dnnl_f32(), tag),
                "dnnl_memory_desc_destroy", h -> dnnl_memory_desc_destroy(h));
    }

    /** An f32 memory descriptor with explicit strides (in elements). */
    MemorySegment mdStrides(long[] dims, long[] strides) {
        MemorySegment d = dims(dims);
        MemorySegment s = dims(strides);
        return create("dnnl_memory_desc_create_with_strides",
                out -> dnnl_memory_desc_create_with_strides(out, dims.length, d, dnnl_f32(), s),
                "dnnl_memory_desc_destroy", h -> dnnl_memory_desc_destroy(h));
    }

    /** A memory object over {@code data} (not owned by oneDNN). */
    MemorySegment memory(MemorySegment md, MemorySegment data) {
        return create("dnnl_memory_create", out -> dnnl_memory_create(out, md, engine, data),
                "dnnl_memory_destroy", h -> dnnl_memory_destroy(h));
    }

    /** A 64-byte aligned float buffer holding {@code values}. */
    MemorySegment floats(float... values) {
        MemorySegment s = arena.allocate((long) values.length * Float.BYTES, 64);
        MemorySegment.copy(values, 0, s, JAVA_FLOAT, 0, values.length);
        return s;
    }

    /** A zeroed 64-byte aligned float buffer. */
    MemorySegment zeros(int n) {
        return arena.allocate((long) n * Float.BYTES, 64);
    }

    static float[] toArray(MemorySegment s) {
        return s.toArray(JAVA_FLOAT);
    }

    MemorySegment primitiveDesc(String call, ToIntFunction<MemorySegment> create) {
        return create(call, create, "dnnl_primitive_desc_destroy", h -> dnnl_primitive_desc_destroy(h));
    }

    MemorySegment primitive(MemorySegment pd) {
        return create("dnnl_primitive_create", out -> dnnl_primitive_create(out, pd),
                "dnnl_primitive_destroy", h -> dnnl_primitive_destroy(h));
    }

    MemorySegment attr() {
        return create("dnnl_primitive_attr_create", out -> dnnl_primitive_attr_create(out),
                "dnnl_primitive_attr_destroy", h -> dnnl_primitive_attr_destroy(h));
    }

    MemorySegment postOps() {
        return create("dnnl_post_ops_create", out -> dnnl_post_ops_create(out),
                "dnnl_post_ops_destroy", h -> dnnl_post_ops_destroy(h));
    }

    /** Executes {@code primitive} with (argument number, memory) pairs and waits for the stream. */
    void execute(MemorySegment primitive, Object... argAndMemory) {
        int nargs = argAndMemory.length / 2;
        MemorySegment args = dnnl_exec_arg_t.allocateArray(nargs, arena);
        for (int i = 0; i < nargs; i++) {
            MemorySegment a = dnnl_exec_arg_t.asSlice(args, i);
            dnnl_exec_arg_t.arg(a, (Integer) argAndMemory[2 * i]);
            dnnl_exec_arg_t.memory(a, (MemorySegment) argAndMemory[2 * i + 1]);
        }
        DnnlStatus.check("dnnl_primitive_execute", dnnl_primitive_execute(primitive, stream, nargs, args));
        DnnlStatus.check("dnnl_stream_wait", dnnl_stream_wait(stream));
    }

    @Override
    public void close() {
        try {
            while (!destroyers.isEmpty()) {
                destroyers.pop().run();
            }
        } finally {
            arena.close();
        }
    }
}
