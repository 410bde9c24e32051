package dev.nvae.io;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * An array read by {@link Npy#read}: its file, dtype, shape and little-endian payload (C order). A file's
 * big-endian or Fortran-order array is held so too: its dtype is the little-endian one ({@code <f4} for {@code >f4}).
 */
public final class NpyArray {
    public static final String F32 = "<f4";
    public static final String I64 = "<i8";
    public static final String I32 = "<i4";
    public static final String U8 = "|u1";

    private final Path file;
    private final String dtype;
    private final long[] shape;
    private final MemorySegment payload;

    NpyArray(Path file, String dtype, long[] shape, MemorySegment payload) {
        this.file = file;
        this.dtype = dtype;
        this.shape = shape.clone();
        this.payload = payload;
    }

    static int itemSize(String dtype) {
        return switch (dtype) {
            case F32 -> 4;
            case I64 -> 8;
            case I32 -> 4;
            case U8 -> 1;
            default -> throw new IllegalArgumentException(dtype);
        };
    }

    public Path file() {
        return file;
    }

    /** One of {@link #F32}, {@link #I64}, {@link #I32}, {@link #U8}. */
    public String dtype() {
        return dtype;
    }

    public long[] shape() {
        return shape.clone();
    }

    /** Number of elements (product of the shape; at most the file size, which was checked). */
    public int numel() {
        return Math.toIntExact(payload.byteSize() / itemSize(dtype));
    }

    public float[] floats() {
        require(F32);
        float[] out = new float[numel()];
        MemorySegment.copy(payload, LittleEndian.F32, 0, out, 0, out.length);
        return out;
    }

    public long[] longs() {
        require(I64);
        long[] out = new long[numel()];
        MemorySegment.copy(payload, LittleEndian.I64, 0, out, 0, out.length);
        return out;
    }

    /** The values of an integer array ({@link #I64}, {@link #I32} or {@link #U8}, unsigned) as longs. */
    public long[] integers() {
        return switch (dtype) {
            case I64 -> longs();
            case I32 -> {
                int[] ints = new int[numel()];
                MemorySegment.copy(payload, LittleEndian.I32, 0, ints, 0, ints.length);
                yield java.util.Arrays.stream(ints).asLongStream().toArray();
            }
            case U8 -> {
                long[] out = new long[numel()];
                for (int i = 0; i < out.length; i++) out[i] = payload.get(ValueLayout.JAVA_BYTE, i) & 0xFF;
                yield out;
            }
            default -> throw new FormatException(file, "holds " + dtype + " values, expected integers (<i8, <i4 or |u1)");
        };
    }

    public byte[] bytes() {
        require(U8);
        return payload.toArray(ValueLayout.JAVA_BYTE);
    }

    private void require(String wanted) {
        if (!dtype.equals(wanted)) {
            throw new FormatException(file, "holds " + dtype + " values, expected " + wanted + " (shape " + Arrays.toString(shape) + ")");
        }
    }
}
