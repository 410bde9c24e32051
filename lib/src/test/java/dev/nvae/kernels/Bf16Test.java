package dev.nvae.kernels;

import dev.nvae.tensor.Bf16Matrix;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

import static dev.nvae.tensor.Bf16Matrix.BF16;
import static dev.nvae.tensor.Tensor.F32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bf16 rounding against its definition, and the vector conversions against their scalar twin at ragged
 * lengths, offsets and both layouts. Tagged {@code simd}: the build runs it again at 256 bits and scalar.
 */
@Tag("simd")
class Bf16Test {
    /** Round to nearest even, checked against a definition by BigDecimal-free integer arithmetic on the bits. */
    @Test
    void roundsToNearestEven() {
        // Exactly representable values stay.
        assertEquals(0x3F80, Bf16Scalar.round(1f) & 0xFFFF);
        assertEquals(0xBF80, Bf16Scalar.round(-1f) & 0xFFFF);
        // 1 + 2^-8 is the tie between 1 and 1 + 2^-7: even (1) wins; 1 + 3·2^-8 ties up to 1 + 2^-6.
        assertEquals(0x3F80, Bf16Scalar.round(Float.intBitsToFloat(0x3F808000)) & 0xFFFF);
        assertEquals(0x3F82, Bf16Scalar.round(Float.intBitsToFloat(0x3F818000)) & 0xFFFF);
        // Just above a tie rounds up, just below down.
        assertEquals(0x3F81, Bf16Scalar.round(Float.intBitsToFloat(0x3F808001)) & 0xFFFF);
        assertEquals(0x3F80, Bf16Scalar.round(Float.intBitsToFloat(0x3F807FFF)) & 0xFFFF);
        // Past the largest bf16 (0x7F7F) to infinity, of either sign; infinities stay.
        assertEquals(0x7F80, Bf16Scalar.round(Float.MAX_VALUE) & 0xFFFF);
        assertEquals(0xFF80, Bf16Scalar.round(-Float.MAX_VALUE) & 0xFFFF);
        assertEquals(0x7F80, Bf16Scalar.round(Float.POSITIVE_INFINITY) & 0xFFFF);
        // Subnormals round like any other value; signed zeros keep their sign.
        assertEquals(0x0002, Bf16Scalar.round(Float.intBitsToFloat(0x00018000)) & 0xFFFF);
        assertEquals(0x8000, Bf16Scalar.round(-0f) & 0xFFFF);
    }

    @Test
    void nanStaysNan() {
        // A NaN whose payload lies only in the 16 bits that are dropped: truncation would make it infinity.
        for (int bits : new int[]{0x7F800001, 0xFF800001, 0x7FC00000, 0x7F80FFFF, 0xFFFFFFFF}) {
            float widened = Bf16Scalar.widen(Bf16Scalar.round(Float.intBitsToFloat(bits)));
            assertTrue(Float.isNaN(widened), Integer.toHexString(bits));
            assertEquals(bits < 0, (Float.floatToRawIntBits(widened) & 0x80000000) != 0, "sign of " + Integer.toHexString(bits));
        }
    }

    @Test
    void roundingIsNearestOverManyValues() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int t = 0; t < 200_000; t++) {
            float f = Float.intBitsToFloat(rnd.nextInt());
            if (Float.isNaN(f) || Float.isInfinite(f)) continue;
            float r = Bf16Scalar.widen(Bf16Scalar.round(f));
            int b = Float.floatToRawIntBits(f) & 0xFFFF0000;
            float down = Float.intBitsToFloat(b), up = Float.intBitsToFloat(b + 0x10000);
            // r is whichever of the two neighbours (truncation and the next bf16 away from zero) is nearer;
            // past the largest bf16 the next one is infinity, which IEEE rounding places at 2^128.
            double upAt = Float.isInfinite(up) ? Math.copySign(Math.pow(2, 128), up) : up;
            double dd = Math.abs((double) f - down), du = Math.abs((double) f - upAt);
            float expected = dd < du ? down : du < dd ? up : (((b >>> 16) & 1) == 0 ? down : up);
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(r), "f=" + f);
        }
    }

    @ParameterizedTest(name = "n={0} from={1}")
    @CsvSource({"0,0", "1,0", "7,3", "16,0", "17,5", "33,1", "64,0", "100,7", "1001,13"})
    void vectorRoundMatchesScalar(int n, int from) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = specials(arena, from + n, n * 31L + from);
            MemorySegment expected = arena.allocate((n + 2L) * 2), got = arena.allocate((n + 2L) * 2);
            Bf16Scalar.round(src, from, from + n, expected, 1);
            Bf16.round(src, from, from + n, got, 1);
            assertEquals(-1, expected.mismatch(got));
        }
    }

    @ParameterizedTest(name = "{0}x{1} half={2}")
    @CsvSource({"1,1,16", "3,31,16", "2,32,16", "5,33,16", "4,784,16", "3,13,8", "2,16,8", "2,47,8", "3,9,4", "4,20,0", "1,5,0"})
    void vectorPackAndWidenMatchScalar(int rows, int cols, int half) {
        int ld = cols + 3;
        long srcOff = 5;
        int stride = half == 0 ? cols + 2 : Bf16Matrix.pairedStride(cols, half);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = specials(arena, srcOff + (long) rows * ld, rows * 7L + cols);
            // Both matrices start 6 bytes into their segments: a slice at an offset, as a flat buffer's tensors are.
            Bf16Matrix expected = new Bf16Matrix("e", arena.allocate(Bf16Matrix.byteSize(rows, stride) + 6).asSlice(6), rows, cols, stride, half);
            Bf16Matrix got = new Bf16Matrix("g", arena.allocate(Bf16Matrix.byteSize(rows, stride) + 6).asSlice(6), rows, cols, stride, half);
            got.segment().fill((byte) 0x55);  // padding must be written, not left as found
            expected.segment().fill((byte) 0x55);
            Bf16Scalar.pack(src, srcOff, ld, expected, 0, rows);
            Bf16.pack(src, srcOff, ld, got, 0, rows);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    assertEquals(Bf16Scalar.round(src.getAtIndex(F32, srcOff + (long) r * ld + c)), got.bits(r, c), "(" + r + "," + c + ")");
                }
            }
            if (half > 0) assertEquals(-1, expected.segment().mismatch(got.segment()), "paired layout incl. zero padding");
            MemorySegment back = arena.allocate((long) rows * ld * 4), backScalar = arena.allocate((long) rows * ld * 4);
            Bf16.widen(got, 0, rows, back, 0, ld);
            Bf16Scalar.widen(got, 0, rows, backScalar, 0, ld);
            assertEquals(-1, back.mismatch(backScalar));
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    assertEquals(Float.floatToRawIntBits(Bf16Scalar.widen(got.bits(r, c))),
                            Float.floatToRawIntBits(back.getAtIndex(F32, (long) r * ld + c)));
                }
            }
        }
    }

    /** Random floats of every magnitude, with NaNs, infinities, ties and signed zeros among them. */
    static MemorySegment specials(Arena arena, long n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        MemorySegment s = arena.allocate(Math.max(1, n) * 4, 64);
        int[] special = {0x7FC00000, 0x7F800001, 0xFF800000, 0x7F800000, 0x80000000, 0, 0x3F808000, 0x3F818000, 0x7F7FFFFF, 0x00018000};
        for (long i = 0; i < n; i++) {
            int kind = rnd.nextInt(8);
            float f = kind == 0 ? Float.intBitsToFloat(special[rnd.nextInt(special.length)])
                    : kind == 1 ? Float.intBitsToFloat(rnd.nextInt()) : (float) rnd.nextGaussian();
            s.setAtIndex(F32, i, f);
        }
        return s;
    }

    @Test
    void bf16LayoutIsLittleEndianShorts() {
        assertEquals(java.nio.ByteOrder.LITTLE_ENDIAN, BF16.order());
    }
}
