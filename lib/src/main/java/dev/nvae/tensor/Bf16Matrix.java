package dev.nvae.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * A rows × cols matrix of bfloat16 values (the upper 16 bits of an IEEE float32) over an off-heap segment,
 * in one of two layouts:
 * <ul>
 *   <li><b>plain</b> ({@code half == 0}): row-major, element (r, c) at r·stride + c — what oneDNN and
 *       safetensors files read;</li>
 *   <li><b>paired</b> ({@code half > 0}): each row is cut into blocks of 2·half columns, and within a block
 *       column c and column c + half sit side by side (positions 2c and 2c + 1). Read as 32-bit lanes, a block
 *       is then {@code half} lanes whose low halves are columns 0..half−1 and high halves columns
 *       half..2·half−1, so two fp32 vectors come out of one load with a shift ({@code lane << 16}) and a mask
 *       ({@code lane & 0xFFFF0000}) — the widening the vector bf16 GEMM does in registers. The stride is a
 *       whole number of blocks; columns past {@code cols} are zero.</li>
 * </ul>
 * A view only, like {@link Tensor}: the segment is owned elsewhere.
 */
public record Bf16Matrix(String name, MemorySegment segment, int rows, int cols, int stride, int half) {
    /** Little-endian 16-bit elements: a paired block read as 32-bit lanes puts the lower column in the low half. */
    public static final ValueLayout.OfShort BF16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public Bf16Matrix {
        Objects.requireNonNull(segment, "segment");
        if (rows < 0 || cols < 0 || half < 0 || stride < cols) {
            throw new IllegalArgumentException(name + ": bad bf16 shape " + rows + "x" + cols + " stride " + stride + " half " + half);
        }
        if (half > 0 && stride % (2 * half) != 0) {
            throw new IllegalArgumentException(name + ": stride " + stride + " is not a whole number of " + 2 * half + "-column blocks");
        }
        if (segment.byteSize() < byteSize(rows, stride)) {
            throw new IllegalArgumentException(name + ": segment of " + segment.byteSize() + " bytes too small for "
                    + rows + " rows of stride " + stride);
        }
    }

    /** Bytes of a matrix with this many rows of {@code stride} elements. */
    public static long byteSize(int rows, int stride) {
        return (long) rows * stride * Short.BYTES;
    }

    /** The stride of a paired layout: cols rounded up to whole blocks of 2·half. */
    public static int pairedStride(int cols, int half) {
        int block = 2 * half;
        return (cols + block - 1) / block * block;
    }

    public boolean paired() {
        return half > 0;
    }

    /** Element index (in 16-bit units) of (r, c) in this layout. */
    public long index(int r, int c) {
        long row = (long) r * stride;
        if (half == 0) return row + c;
        int block = 2 * half, b = c / block, o = c - b * block;
        return row + (long) b * block + (o < half ? 2 * o : 2 * (o - half) + 1);
    }

    /** The raw 16 bits of (r, c). */
    public short bits(int r, int c) {
        return segment.getAtIndex(BF16, index(r, c));
    }

    /** (r, c) widened to float32 (exact). */
    public float get(int r, int c) {
        return Float.intBitsToFloat(bits(r, c) << 16);
    }

    @Override
    public String toString() {
        return "Bf16Matrix[" + name + " " + rows + "x" + cols + (half == 0 ? "" : " paired " + half) + "]";
    }
}
