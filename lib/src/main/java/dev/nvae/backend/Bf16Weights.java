package dev.nvae.backend;

import dev.nvae.kernels.Bf16;
import dev.nvae.kernels.WorkerPool;
import dev.nvae.tensor.Bf16Matrix;
import dev.nvae.tensor.FlatParameters;
import dev.nvae.tensor.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.function.Consumer;

/**
 * bf16 copies of every tensor of a {@link FlatParameters}, in the layout one backend's bf16 products read
 * ({@link Bf16Matrix}): plain for oneDNN, paired for the vector kernels. The float32 parameters stay the
 * master values; {@link #refresh} rounds them again (to nearest even) — once for frozen weights, after
 * every optimiser step in training. Plain copies mirror the flat layout of the parameters, element for
 * element, so an optimiser can write them as it updates the weights ({@link #bf16Image()}). Owns its
 * off-heap memory (shared: worker threads read it); closed by the backend that made it.
 */
final class Bf16Weights implements WorkerPool.Task, AdoptedWeights {
    /** Each paired copy starts on a cache line, as the float32 tensors do. */
    private static final long ALIGN_ELEMENTS = 32;

    private final FlatParameters source;
    private final WorkerPool pool;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment all;       // every copy; for plain copies, the flat image of the parameters
    private final boolean plain;
    private final Tensor[] tensors;
    private final long[] addresses;        // of each float32 tensor's first element
    private final Bf16Matrix[] copies;
    private final Consumer<Bf16Weights> onClose;
    private boolean closed;

    /**
     * @param half    0 for plain row-major copies, else the pairing of {@link Bf16Matrix}'s paired layout
     * @param pool    the threads that round the copies
     * @param onClose called once when this closes (the backend forgets the copies)
     */
    Bf16Weights(FlatParameters source, int half, WorkerPool pool, Consumer<Bf16Weights> onClose) {
        this.source = source;
        this.pool = pool;
        this.onClose = onClose;
        this.plain = half == 0;
        List<FlatParameters.Layout.Entry> entries = source.layout().entries();
        tensors = new Tensor[entries.size()];
        addresses = new long[entries.size()];
        copies = new Bf16Matrix[entries.size()];
        long[] offsets = new long[entries.size()];
        int[] strides = new int[entries.size()];
        long total = 0;
        for (int i = 0; i < entries.size(); i++) {
            FlatParameters.Layout.Entry e = entries.get(i);
            strides[i] = plain ? e.cols() : Bf16Matrix.pairedStride(e.cols(), half);
            offsets[i] = plain ? e.offsetFloats() : total;
            total += ((long) e.rows() * strides[i] + ALIGN_ELEMENTS - 1) / ALIGN_ELEMENTS * ALIGN_ELEMENTS;
        }
        if (plain) total = source.layout().totalFloats();
        all = arena.allocate(Math.max(1, total) * Short.BYTES, Tensor.ALIGNMENT);
        for (int i = 0; i < entries.size(); i++) {
            FlatParameters.Layout.Entry e = entries.get(i);
            tensors[i] = source.get(e.name());
            addresses[i] = tensors[i].segment().address();
            long bytes = Bf16Matrix.byteSize(e.rows(), strides[i]);
            copies[i] = new Bf16Matrix(e.name(), all.asSlice(offsets[i] * Short.BYTES, bytes), e.rows(), e.cols(), strides[i], half);
        }
        refresh();
    }

    /** The bf16 copy of {@code w}, or null when w is not one of these parameters' tensors. Allocates nothing. */
    Bf16Matrix find(Tensor w) {
        long address = w.segment().address();
        for (int i = 0; i < addresses.length; i++) {
            if (addresses[i] == address && tensors[i].rows() == w.rows() && tensors[i].cols() == w.cols()) return copies[i];
        }
        return null;
    }

    /**
     * The name of the first tensor whose bf16 copy holds an infinity or NaN, or null. A finite float32 weight
     * above bf16's range (about 3.39e38) rounds to infinity, and the single-decode kernels, which skip zero
     * inputs, are exact only for finite weights.
     */
    String firstNonFinite() {
        for (Bf16Matrix copy : copies) {
            MemorySegment s = copy.segment();
            for (long i = 0; i < s.byteSize() / Short.BYTES; i++) {
                if ((s.getAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i) & 0x7F80) == 0x7F80) return copy.name();
            }
        }
        return null;
    }

    /** Rounds every float32 value into its copy again, split between the pool's threads. */
    void refresh() {
        if (closed) throw new IllegalStateException("bf16 weights closed");
        pool.run(this);
    }

    @Override
    public void run(int worker, int workers) {
        if (plain) {  // the whole flat buffer, padding included: one run each
            long n = source.layout().totalFloats();
            long from = n * worker / workers, to = n * (worker + 1) / workers;
            Bf16.round(source.flat(), from, to, all, from);
            return;
        }
        for (int i = 0; i < tensors.length; i++) {
            int rows = tensors[i].rows();
            int r0 = WorkerPool.splitStart(rows, worker, workers), r1 = WorkerPool.splitStart(rows, worker + 1, workers);
            if (r0 < r1) Bf16.pack(tensors[i].segment(), 0, tensors[i].cols(), copies[i], r0, r1);
        }
    }

    /** Bytes of native memory the copies of {@code layout}'s tensors take in the layout {@code half} names. */
    static long byteSize(FlatParameters.Layout layout, int half) {
        if (half == 0) return Math.max(1, layout.totalFloats()) * Short.BYTES;
        long total = 0;
        for (FlatParameters.Layout.Entry e : layout.entries()) {
            total += ((long) e.rows() * Bf16Matrix.pairedStride(e.cols(), half) + ALIGN_ELEMENTS - 1) / ALIGN_ELEMENTS * ALIGN_ELEMENTS;
        }
        return Math.max(1, total) * Short.BYTES;
    }

    /** Bytes of native memory the copies take (alignment padding included). */
    long byteSize() {
        return all.byteSize();
    }

    /** Frozen weights never change, so their copies are never remade; others are rounded again. */
    @Override
    public void changed() {
        if (!source.frozen()) refresh();
    }

    /** Plain copies of weights that change: the flat image an optimiser writes as it updates them. */
    @Override
    public MemorySegment bf16Image() {
        return plain && !source.frozen() ? all : null;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            onClose.accept(this);
        } finally {
            arena.close();
        }
    }
}
