package dev.nvae.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named tensors laid out in one flat segment. Parameters, gradients and both Adam moments
 * are four instances of the same {@link Layout}, so the optimiser is one loop over one segment and a
 * checkpoint is one write.
 */
public final class FlatParameters {

    /** Where each named tensor lives, in floats; every slice starts on a 64-byte boundary. */
    public static final class Layout {
        private final Map<String, Entry> entries = new LinkedHashMap<>();
        private long totalFloats;

        /**
         * A tensor of {@code rows × cols} floats at {@code offsetFloats}; {@code shape} is how files name its
         * dimensions (a bias {@code [out]}, a linear weight {@code [in, out]}, a convolution's kernel
         * {@code [out, in, kh, kw]}), always rows·cols values in the same order.
         */
        public record Entry(String name, int rows, int cols, long offsetFloats, long[] shape) {
            public long size() {
                return (long) rows * cols;
            }

            public long[] shape() {
                return shape.clone();
            }
        }

        /** A tensor stored and named as a {@code rows × cols} matrix. */
        public Layout add(String name, int rows, int cols) {
            return add(name, rows, cols, new long[]{rows, cols});
        }

        /** A tensor stored as {@code rows × cols} floats and named in files by {@code shape} (same count). */
        public Layout add(String name, int rows, int cols, long[] shape) {
            if (entries.containsKey(name)) throw new IllegalArgumentException("duplicate parameter " + name);
            long count = 1;
            for (long d : shape) count *= d;
            if (count != (long) rows * cols) {
                throw new IllegalArgumentException(name + ": shape " + java.util.Arrays.toString(shape) + " does not hold "
                        + rows + "x" + cols + " values");
            }
            entries.put(name, new Entry(name, rows, cols, totalFloats, shape.clone()));
            long padded = ((long) rows * cols + 15) / 16 * 16;
            totalFloats += padded;
            return this;
        }

        public List<Entry> entries() {
            return Collections.unmodifiableList(new ArrayList<>(entries.values()));
        }

        public Entry entry(String name) {
            Entry e = entries.get(name);
            if (e == null) throw new IllegalArgumentException("no parameter " + name);
            return e;
        }

        public long totalFloats() {
            return totalFloats;
        }

        /** Number of real (unpadded) scalars. */
        public long parameterCount() {
            long n = 0;
            for (Entry e : entries.values()) n += e.size();
            return n;
        }
    }

    private final Layout layout;
    private final MemorySegment flat;
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();
    private volatile boolean frozen;

    public FlatParameters(Arena arena, Layout layout) {
        this.layout = layout;
        this.flat = arena.allocate(Math.max(1, layout.totalFloats()) * Float.BYTES, Tensor.ALIGNMENT);
        for (Layout.Entry e : layout.entries.values()) {
            MemorySegment slice = flat.asSlice(e.offsetFloats() * Float.BYTES, e.size() * Float.BYTES);
            tensors.put(e.name(), new Tensor(e.name(), slice, e.rows(), e.cols()));
        }
    }

    public Layout layout() {
        return layout;
    }

    /** The whole flat buffer, padding included (padding stays zero). */
    public MemorySegment flat() {
        return flat;
    }

    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) throw new IllegalArgumentException("no parameter " + name);
        return t;
    }

    public Map<String, Tensor> tensors() {
        return Collections.unmodifiableMap(tensors);
    }

    /**
     * Declares the values final — the weights of a model loaded for inference. From here on {@link #zero},
     * {@link #copyFrom} and an optimiser over these parameters refuse, and whatever a backend derives from
     * them (the bf16 copies of a bf16 backend) is derived once and kept. Irreversible. The tensors stay
     * views of the same memory: code that holds one must not write it, which inference code never does.
     */
    public void freeze() {
        frozen = true;
    }

    /** Whether {@link #freeze()} was called: the values will not change again. */
    public boolean frozen() {
        return frozen;
    }

    /** @throws IllegalStateException if these parameters are frozen */
    public void requireWritable(String by) {
        if (frozen) throw new IllegalStateException(by + ": the parameters are frozen (weights loaded for inference)");
    }

    public void zero() {
        requireWritable("zero");
        flat.fill((byte) 0);
    }

    public void copyFrom(FlatParameters other) {
        requireWritable("copyFrom");
        if (other.layout.totalFloats() != layout.totalFloats()) throw new IllegalArgumentException("layout mismatch");
        MemorySegment.copy(other.flat, 0, flat, 0, flat.byteSize());
    }
}
