package dev.nvae.backend.onednn;

import dev.nvae.ffm.DnnlStatus;

import java.lang.foreign.MemorySegment;

import static dev.nvae.ffm.dnnl.dnnl_h.*;

/** A CPU engine and one in-order stream on it: every primitive of a backend executes on this stream. */
public final class Engine implements AutoCloseable {
    private final MemorySegment engine;
    private final MemorySegment stream;
    private boolean closed;

    public Engine() {
        engine = Handles.create("dnnl_engine_create", out -> dnnl_engine_create(out, dnnl_cpu(), 0));
        MemorySegment s;
        try {
            s = Handles.create("dnnl_stream_create", out -> dnnl_stream_create(out, engine, dnnl_stream_in_order()));
        } catch (RuntimeException e) {
            DnnlStatus.check("dnnl_engine_destroy", dnnl_engine_destroy(engine));
            throw e;
        }
        stream = s;
    }

    MemorySegment engine() {
        return engine;
    }

    MemorySegment stream() {
        return stream;
    }

    /**
     * {@code dnnl_stream_wait}: the CPU stream runs primitives synchronously on the calling thread
     * (OpenMP runtime), but the API only promises results after a wait, so every operation ends with one.
     */
    void await() {
        DnnlStatus.check("dnnl_stream_wait", dnnl_stream_wait(stream));
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            DnnlStatus.check("dnnl_stream_destroy", dnnl_stream_destroy(stream));
        } finally {
            DnnlStatus.check("dnnl_engine_destroy", dnnl_engine_destroy(engine));
        }
    }
}
