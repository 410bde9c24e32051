package dev.nvae.kernels;

import dev.nvae.tensor.Bf16Matrix;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import static dev.nvae.tensor.Bf16Matrix.BF16;
import static dev.nvae.tensor.Tensor.F32;
import static jdk.incubator.vector.VectorOperators.AND;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LSHR;

/**
 * float32 ↔ bfloat16 on the Vector API, with {@link Bf16Scalar} as the twin every tail calls and every test
 * checks against (round to nearest even, NaN kept; see there). Three kernels:
 * <ul>
 *   <li>{@link #round}: a run of floats to plain bf16 (the copies oneDNN and model files read);</li>
 *   <li>{@link #pack}: a float32 matrix into a {@link Bf16Matrix} — for the paired layout with
 *       {@link #HALF}-column halves, two float vectors become one vector of 32-bit lanes, no narrowing;</li>
 *   <li>{@link #widen}: a paired bf16 matrix back to float32 (a shift and a mask per lane).</li>
 * </ul>
 */
public final class Bf16 {
    private static final VectorSpecies<Float> F = Simd.F;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    /** As many 16-bit lanes as F has floats: the narrowed half of a float vector. */
    private static final VectorSpecies<Short> H = VectorSpecies.of(short.class, VectorShape.forBitSize(F.vectorBitSize() / 2));
    private static final int L = F.length();
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    /** The pairing of the vector kernels: blocks of 2·HALF columns, one float vector per half. */
    public static final int HALF = L;

    private Bf16() {
    }

    /** float32 bits → bf16 in the upper 16 bits of each lane (the lower 16 are left as they come). */
    static IntVector roundBits(IntVector b) {
        IntVector rounded = b.add(b.lanewise(LSHR, 16).lanewise(AND, 1)).add(0x7FFF);
        VectorMask<Integer> nan = b.lanewise(AND, 0x7FFFFFFF).compare(VectorOperators.GT, 0x7F800000);
        return rounded.blend(b.lanewise(VectorOperators.OR, 0x00400000), nan);
    }

    /** The low bf16 of each 32-bit lane, widened to float32: {@code lane << 16}. */
    static FloatVector low(IntVector lanes) {
        return lanes.lanewise(LSHL, 16).reinterpretAsFloats();
    }

    /** The high bf16 of each 32-bit lane, widened to float32: {@code lane & 0xFFFF0000}. */
    static FloatVector high(IntVector lanes) {
        return lanes.lanewise(AND, 0xFFFF0000).reinterpretAsFloats();
    }

    /** dst[dstFrom + i] = round(src[from + i]) for i in [0, to − from), plain bf16 out. */
    public static void round(MemorySegment src, long from, long to, MemorySegment dst, long dstFrom) {
        if (Simd.SCALAR) {
            Bf16Scalar.round(src, from, to, dst, dstFrom);
            return;
        }
        long i = from, bound = from + (to - from) / L * L;
        for (; i < bound; i += L) {
            IntVector b = FloatVector.fromMemorySegment(F, src, i * Float.BYTES, NATIVE).reinterpretAsInts();
            ShortVector h = (ShortVector) roundBits(b).lanewise(LSHR, 16).convertShape(VectorOperators.I2S, H, 0);
            h.intoMemorySegment(dst, (dstFrom + (i - from)) * Short.BYTES, LE);
        }
        Bf16Scalar.round(src, i, to, dst, dstFrom + (i - from));
    }

    /**
     * Rows [r0, r1) of a float32 matrix (row r at {@code srcOff + r·ld} floats) rounded into {@code dst} in
     * its layout, padding zero. Vector for plain layouts and for pairs of {@link #HALF} columns.
     */
    public static void pack(MemorySegment src, long srcOff, int ld, Bf16Matrix dst, int r0, int r1) {
        if (Simd.SCALAR || (dst.paired() && dst.half() != HALF)) {
            Bf16Scalar.pack(src, srcOff, ld, dst, r0, r1);
            return;
        }
        int cols = dst.cols(), block = 2 * L, whole = cols / block * block;
        for (int r = r0; r < r1; r++) {
            long row = srcOff + (long) r * ld;
            if (!dst.paired()) {
                round(src, row, row + cols, dst.segment(), (long) r * dst.stride());
                continue;
            }
            long out = (long) r * dst.stride() * Short.BYTES;
            for (int c = 0; c < whole; c += block) {
                IntVector a = FloatVector.fromMemorySegment(F, src, (row + c) * Float.BYTES, NATIVE).reinterpretAsInts();
                IntVector b = FloatVector.fromMemorySegment(F, src, (row + c + L) * Float.BYTES, NATIVE).reinterpretAsInts();
                IntVector pair = roundBits(a).lanewise(LSHR, 16).or(roundBits(b).lanewise(AND, 0xFFFF0000));
                pair.intoMemorySegment(dst.segment(), out + (long) c * Short.BYTES, LE);
            }
            if (whole < dst.stride()) packTail(src, row, dst, r, whole);
        }
    }

    /** The last, partial block of row r (columns from {@code c0}) and the zero padding after it, by the twin's rule. */
    private static void packTail(MemorySegment src, long row, Bf16Matrix dst, int r, int c0) {
        for (int c = c0; c < dst.stride(); c++) {
            short v = c < dst.cols() ? Bf16Scalar.round(src.getAtIndex(F32, row + c)) : 0;
            dst.segment().setAtIndex(BF16, dst.index(r, c), v);
        }
    }

    /** Rows [r0, r1) of {@code src} widened into a float32 matrix (row r at {@code dstOff + r·ld} floats). */
    public static void widen(Bf16Matrix src, int r0, int r1, MemorySegment dst, long dstOff, int ld) {
        if (Simd.SCALAR || src.half() != HALF) {
            Bf16Scalar.widen(src, r0, r1, dst, dstOff, ld);
            return;
        }
        int cols = src.cols(), block = 2 * L, whole = cols / block * block;
        for (int r = r0; r < r1; r++) {
            long in = (long) r * src.stride() * Short.BYTES, out = dstOff + (long) r * ld;
            for (int c = 0; c < whole; c += block) {
                IntVector pair = IntVector.fromMemorySegment(I, src.segment(), in + (long) c * Short.BYTES, LE);
                low(pair).intoMemorySegment(dst, (out + c) * Float.BYTES, NATIVE);
                high(pair).intoMemorySegment(dst, (out + c + L) * Float.BYTES, NATIVE);
            }
            for (int c = whole; c < cols; c++) dst.setAtIndex(F32, out + c, src.get(r, c));
        }
    }
}
