package dev.nvae.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * A row-major float32 matrix (rows × cols) over an off-heap segment. The segment is owned elsewhere
 * (an {@link Arena} held by a model, trainer or test); a tensor is only a view with a shape, so every
 * backend (Vector API, oneDNN, CUDA) reads the same bytes without copies.
 */
public record Tensor(String name, MemorySegment segment, int rows, int cols) {
    /** Off-heap buffers are aligned to a cache line so vector loads and oneDNN never straddle one. */
    public static final long ALIGNMENT = 64;
    public static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;

    public Tensor {
        Objects.requireNonNull(segment, "segment");
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException(name + ": negative shape " + rows + "x" + cols);
        }
        if (segment.byteSize() < (long) rows * cols * Float.BYTES) {
            throw new IllegalArgumentException(name + ": segment of " + segment.byteSize()
                    + " bytes too small for " + rows + "x" + cols + " floats");
        }
    }

    /** Allocates a zeroed, 64-byte aligned tensor owned by {@code arena}. */
    public static Tensor allocate(Arena arena, String name, int rows, int cols) {
        long bytes = Math.max(1L, (long) rows * cols) * Float.BYTES;
        return new Tensor(name, arena.allocate(bytes, ALIGNMENT), rows, cols);
    }

    public long size() {
        return (long) rows * cols;
    }

    public long byteSize() {
        return size() * Float.BYTES;
    }

    public float get(int r, int c) {
        return segment.getAtIndex(F32, (long) r * cols + c);
    }

    public void set(int r, int c, float v) {
        segment.setAtIndex(F32, (long) r * cols + c, v);
    }

    /**
     * Row {@code r} into {@code dst[0..cols)}: one bulk copy. Per-example code that reads a row many times
     * reads it from the array: every {@link #get} inlines some thirty methods of the memory-access checks,
     * and C2 spent 0.2–0.3 s compiling a method with a few dozen of them.
     */
    public void readRow(int r, float[] dst) {
        MemorySegment.copy(segment, F32, (long) r * cols * Float.BYTES, dst, 0, cols);
    }

    /** {@code src[0..cols)} into row {@code r}: one bulk copy (see {@link #readRow}). */
    public void writeRow(int r, float[] src) {
        MemorySegment.copy(src, 0, segment, F32, (long) r * cols * Float.BYTES, cols);
    }

    public float getFlat(long i) {
        return segment.getAtIndex(F32, i);
    }

    public void setFlat(long i, float v) {
        segment.setAtIndex(F32, i, v);
    }

    public void zero() {
        segment.asSlice(0, byteSize()).fill((byte) 0);
    }

    public float[] toArray() {
        float[] out = new float[Math.toIntExact(size())];
        MemorySegment.copy(segment, F32, 0, out, 0, out.length);
        return out;
    }

    public void copyFrom(float[] src) {
        if (src.length != size()) throw new IllegalArgumentException(name + ": copyFrom length " + src.length + " != " + size());
        MemorySegment.copy(src, 0, segment, F32, 0, src.length);
    }

    public void copyFrom(Tensor src) {
        if (src.rows != rows || src.cols != cols) {
            throw new IllegalArgumentException(name + ": copyFrom shape " + src.rows + "x" + src.cols + " != " + rows + "x" + cols);
        }
        MemorySegment.copy(src.segment, 0, segment, 0, byteSize());
    }

    @Override
    public String toString() {
        return "Tensor[" + name + " " + rows + "x" + cols + "]";
    }
}
