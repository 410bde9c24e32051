package dev.nvae.kernels;

import dev.nvae.tensor.Bf16Matrix;

import java.lang.foreign.MemorySegment;

import static dev.nvae.tensor.Bf16Matrix.BF16;
import static dev.nvae.tensor.Tensor.F32;

/**
 * The scalar twin of {@link Bf16}: conversions between float32 and bfloat16, one element at a time — the
 * definition the vector kernels are tested against and their {@code -Dnvae.simd=scalar} fallback.
 *
 * <p>bf16 keeps float32's sign and 8-bit exponent and the top 7 bits of its mantissa, so widening is exact
 * (the bits shifted up by 16) and narrowing rounds the 16 bits it drops: to nearest, ties to even — what
 * {@code vcvtneps2bf16}, oneDNN and PyTorch do. A NaN stays a NaN (its payload's top bits and the quiet bit
 * kept; plain truncation could turn a NaN whose payload sits in the dropped bits into an infinity), and
 * values past the largest bf16 round to infinity.
 */
public final class Bf16Scalar {
    private Bf16Scalar() {
    }

    /** float32 → bf16 bits, rounded to nearest even. */
    public static short round(float f) {
        int b = Float.floatToRawIntBits(f);
        if ((b & 0x7FFFFFFF) > 0x7F800000) return (short) ((b | 0x00400000) >>> 16);
        return (short) ((b + 0x7FFF + ((b >>> 16) & 1)) >>> 16);
    }

    /** bf16 bits → float32, exactly. */
    public static float widen(short h) {
        return Float.intBitsToFloat(h << 16);
    }

    /** dst[dstFrom + i] = round(src[from + i]) for i in [0, to − from): float32 elements in, plain bf16 out. */
    public static void round(MemorySegment src, long from, long to, MemorySegment dst, long dstFrom) {
        for (long i = from; i < to; i++) dst.setAtIndex(BF16, dstFrom + (i - from), round(src.getAtIndex(F32, i)));
    }

    /**
     * Rows [r0, r1) of a float32 matrix (row r at {@code srcOff + r·ld} floats) rounded into {@code dst}, in
     * dst's layout; the padding columns of a paired layout are written as zero.
     */
    public static void pack(MemorySegment src, long srcOff, int ld, Bf16Matrix dst, int r0, int r1) {
        for (int r = r0; r < r1; r++) {
            long row = srcOff + (long) r * ld;
            for (int c = 0; c < dst.cols(); c++) dst.segment().setAtIndex(BF16, dst.index(r, c), round(src.getAtIndex(F32, row + c)));
            for (int c = dst.cols(); c < dst.stride(); c++) dst.segment().setAtIndex(BF16, dst.index(r, c), (short) 0);
        }
    }

    /** Rows [r0, r1) of {@code src} widened into a float32 matrix (row r at {@code dstOff + r·ld} floats, cols wide). */
    public static void widen(Bf16Matrix src, int r0, int r1, MemorySegment dst, long dstOff, int ld) {
        for (int r = r0; r < r1; r++) {
            long row = dstOff + (long) r * ld;
            for (int c = 0; c < src.cols(); c++) dst.setAtIndex(F32, row + c, src.get(r, c));
        }
    }
}
