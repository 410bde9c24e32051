package dev.nvae.backend.onednn;

import dev.nvae.backend.onednn.Attributes.PostOp;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static dev.nvae.ffm.dnnl.dnnl_h.*;

/**
 * A convolution or deconvolution primitive with every operand in the layout the primitive chose: where
 * that differs from the tensor's own (NCHW or NHWC, OIHW; for one channel NCHW and NHWC are the same bytes, and
 * either passes), the operand goes through a buffer of this object in the
 * chosen layout and a reorder primitive — before execution for what the primitive reads, after it for
 * what it writes. An output that must be added to the tensor rather than written over (a gradient
 * accumulated) always goes through its buffer, and its reorder carries a sum post-op. Created once per
 * shape (see {@link ConvPrimitives}); running allocates nothing.
 *
 * <p>Slots are the indices of the constructor's argument list, as in {@link Execution}.
 */
public final class ConvExecution implements AutoCloseable {
    private final Owned owned = new Owned();
    private final Execution main;
    private final Execution[] before, after;   // per slot: reorder tensor -> buffer, buffer -> tensor, or null
    private final MemorySegment[] buffers;     // per slot: the buffer in the primitive's layout, or null
    private final MemorySegment[] chosen;      // per slot: the layout the primitive chose (its descriptor's, alive with it)
    private final String layouts;
    private String sharing = "";               // which reordered inputs come from another execution's buffer
    private final String name;
    private final int[] argKinds;

    /**
     * Takes ownership of {@code desc} and {@code hint} (null for none).
     *
     * @param argKinds DNNL_ARG_* of each slot
     * @param own      each slot's layout in the tensor it is bound to
     * @param alike    per slot, null or another description of the same bytes as {@code own} (a one-channel
     *                 tensor is alike in NCHW and NHWC): a primitive that chose it needs no reorder either
     * @param output   whether the primitive writes the slot
     * @param sum      whether the slot's result is added to the tensor (outputs only)
     */
    ConvExecution(String name, Engine engine, Scratchpad scratchpad, PrimitiveDesc desc, PrimitiveDesc hint,
                  int[] argKinds, MemoryDesc[] own, MemoryDesc[] alike, boolean[] output, boolean[] sum) {
        int n = argKinds.length;
        this.name = name;
        this.argKinds = argKinds.clone();
        before = new Execution[n];
        after = new Execution[n];
        buffers = new MemorySegment[n];
        chosen = new MemorySegment[n];
        try {
            main = owned.add(new Execution(name, engine, scratchpad, desc, hint, argKinds));
            Arena arena = owned.add(Arena.ofShared());
            StringBuilder reordered = new StringBuilder();
            for (int i = 0; i < n; i++) {
                MemorySegment md = desc.argumentDesc(argKinds[i]);
                chosen[i] = md;
                boolean same = dnnl_memory_desc_equal(md, own[i].handle()) == 1
                        || alike[i] != null && dnnl_memory_desc_equal(md, alike[i].handle()) == 1;
                if (same && !sum[i]) continue;
                if (!same) reordered.append(reordered.isEmpty() ? "" : ", ").append("reordered argument ").append(argKinds[i]);
                MemorySegment buffer = arena.allocate(Math.max(1, dnnl_memory_desc_get_size(md)), 64);
                buffers[i] = buffer;
                main.bind(i, buffer);
                if (output[i]) {
                    after[i] = owned.add(reorder(name, engine, scratchpad, md, own[i].handle(), sum[i] ? PostOp.SUM : PostOp.NONE));
                    after[i].bind(0, buffer);
                } else {
                    before[i] = owned.add(reorder(name, engine, scratchpad, own[i].handle(), md, PostOp.NONE));
                    before[i].bind(1, buffer);
                }
            }
            layouts = reordered.isEmpty() ? "tensors' own layouts" : reordered.toString();
        } catch (RuntimeException | Error e) {
            owned.closeAfter(e);
            throw e;
        }
    }

    private static Execution reorder(String name, Engine engine, Scratchpad scratchpad, MemorySegment from,
                                     MemorySegment to, PostOp postOp) {
        try (Attributes attr = new Attributes(postOp)) {
            PrimitiveDesc pd = new PrimitiveDesc("dnnl_reorder_primitive_desc_create",
                    o -> dnnl_reorder_primitive_desc_create(o, from, engine.engine(), to, engine.engine(), attr.handle()));
            return new Execution("reorder for " + name, engine, scratchpad, pd, null, DNNL_ARG_FROM(), DNNL_ARG_TO());
        }
    }

    /** Points slot {@code slot} at the tensor {@code data} for the next {@link #run()}. */
    public void bind(int slot, MemorySegment data) {
        if (before[slot] != null) before[slot].bind(0, data);
        else if (after[slot] != null) after[slot].bind(1, data);
        else main.bind(slot, data);
    }

    /** Reorders in, executes, reorders out; the bound segments must stay alive until it returns. */
    public void run() {
        runWithInputReady(-1);
    }

    /**
     * Makes this execution reorder slot {@code slot}'s tensor into {@code other}'s buffer of {@code otherSlot}, and
     * read it from there, where both reorder into the same layout — so that after {@code other} has run on a tensor,
     * {@link #runWithInputReady} can skip reordering (at bf16: rounding) the same tensor a second time. The caller
     * binds the same tensor to both slots, of primitives made for the same tensor layouts. Returns whether the two
     * share the buffer (false where either reads the tensor in place, or they chose different layouts).
     */
    public boolean shareInput(int slot, ConvExecution other, int otherSlot) {
        if (before[slot] == null || other.before[otherSlot] == null) return false;
        if (buffers[slot] == other.buffers[otherSlot]) return true;
        if (dnnl_memory_desc_equal(chosen[slot], other.chosen[otherSlot]) != 1) return false;
        buffers[slot] = other.buffers[otherSlot];
        main.bind(slot, buffers[slot]);
        before[slot].bind(1, buffers[slot]);
        sharing += ", argument " + argKinds[slot] + " read from the reorder of " + other.name;
        return true;
    }

    /** As {@link #run()}, but slot {@code ready}'s input is already in its buffer ({@link #shareInput}); −1: none is. */
    public void runWithInputReady(int ready) {
        for (int i = 0; i < before.length; i++) if (before[i] != null && i != ready) before[i].run();
        main.run();
        for (Execution r : after) if (r != null) r.run();
    }

    /** The implementation oneDNN chose for the primitive itself, e.g. {@code "brg_conv_fwd:avx10_1_512_amx"}. */
    public String implementation() {
        return main.implementation();
    }

    /** What it computes, the implementation oneDNN chose, and which operands are reordered. */
    public String describe() {
        return main.describe() + " (" + layouts + sharing + ")";
    }

    @Override
    public void close() {
        owned.close();
    }
}
