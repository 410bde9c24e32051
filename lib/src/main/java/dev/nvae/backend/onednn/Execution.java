package dev.nvae.backend.onednn;

import dev.nvae.ffm.DnnlStatus;
import dev.nvae.ffm.dnnl.dnnl_exec_arg_t;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static dev.nvae.ffm.dnnl.dnnl_h.*;

/**
 * One primitive, created once for one shape and executed many times (oneDNN's own advice): its descriptor (and
 * the forward hint a backward descriptor was created from), the primitive, one {@link Memory} per
 * argument and the {@code dnnl_exec_arg_t} array, all built here. Running it costs a data-handle update
 * per argument, the execute and a stream wait; nothing is allocated.
 *
 * <p>Arguments are addressed by slot: the index of their DNNL_ARG_* in the constructor's list.
 */
public final class Execution implements AutoCloseable {
    private final String name;
    private final Engine engine;
    private final Scratchpad scratchpad;
    private final Owned owned = new Owned();
    private final MemorySegment primitive;
    private final Memory[] memories;            // by slot
    private final Memory scratchMemory;         // null when the primitive needs no scratchpad
    private final MemorySegment args;           // dnnl_exec_arg_t[nargs]
    private final int nargs;
    private final String implementation;

    /**
     * Takes ownership of {@code desc} and {@code hint} (null for none): they are closed with this object,
     * or right away if construction fails.
     *
     * @param argKinds DNNL_ARG_* of each slot
     */
    Execution(String name, Engine engine, Scratchpad scratchpad, PrimitiveDesc desc, PrimitiveDesc hint,
              int... argKinds) {
        this.name = name;
        this.engine = engine;
        this.scratchpad = scratchpad;
        try {
            // The hint outlives the backward descriptor made from it: oneDNN may refer to it.
            if (hint != null) owned.add(hint);
            owned.add(desc);
            implementation = desc.implementation();
            MemorySegment p = Handles.create("dnnl_primitive_create", out -> dnnl_primitive_create(out, desc.handle()));
            owned.add(() -> DnnlStatus.check("dnnl_primitive_destroy", dnnl_primitive_destroy(p)));
            primitive = p;
            memories = new Memory[argKinds.length];
            for (int i = 0; i < argKinds.length; i++) {
                memories[i] = owned.add(new Memory(engine, desc.argumentDesc(argKinds[i])));
            }
            long scratchBytes = desc.scratchpadBytes();
            scratchMemory = scratchBytes > 0 ? owned.add(new Memory(engine, desc.scratchpadDesc())) : null;
            scratchpad.ensure(scratchBytes);
            nargs = argKinds.length + (scratchMemory != null ? 1 : 0);
            // Shared: whichever thread drives the backend may run this execution.
            Arena arena = owned.add(Arena.ofShared());
            args = dnnl_exec_arg_t.allocateArray(nargs, arena);
            for (int i = 0; i < argKinds.length; i++) setArg(i, argKinds[i], memories[i]);
            if (scratchMemory != null) setArg(argKinds.length, DNNL_ARG_SCRATCHPAD(), scratchMemory);
        } catch (RuntimeException | Error e) {
            owned.closeAfter(e);
            throw e;
        }
    }

    private void setArg(int index, int kind, Memory memory) {
        MemorySegment a = dnnl_exec_arg_t.asSlice(args, index);
        dnnl_exec_arg_t.arg(a, kind);
        dnnl_exec_arg_t.memory(a, memory.handle());
    }

    /** Points slot {@code slot} at {@code data} for the next {@link #run()}. */
    public void bind(int slot, MemorySegment data) {
        memories[slot].bind(data);
    }

    /** Executes on the engine's stream and waits; the bound segments must stay alive until it returns. */
    public void run() {
        if (scratchMemory != null) scratchMemory.bind(scratchpad.segment());
        int status = dnnl_primitive_execute(primitive, engine.stream(), nargs, args);
        if (status != dnnl_success()) DnnlStatus.check("dnnl_primitive_execute (" + name + ")", status);
        engine.await();
    }

    /** What it computes and the implementation oneDNN chose, e.g. {@code "matmul 128x784x512 relu: brg_matmul:avx2"}. */
    public String describe() {
        return name + ": " + implementation;
    }

    /** The implementation oneDNN chose, e.g. {@code "brg_matmul:avx2"}. */
    public String implementation() {
        return implementation;
    }

    @Override
    public void close() {
        owned.close();
    }
}
