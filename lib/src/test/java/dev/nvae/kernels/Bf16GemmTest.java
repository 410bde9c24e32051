package dev.nvae.kernels;

import dev.nvae.tensor.Bf16Matrix;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

import static dev.nvae.tensor.Tensor.F32;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The bf16-weight GEMM against its scalar twin, bit for bit, at ragged sizes (n and k off every vector and
 * block multiple), non-zero offsets and padded leading dimensions, on one and two threads — and the twin
 * against the float32 {@link GemmScalar} on the widened weights, an independent definition. Tagged
 * {@code simd}: the build runs it again at 256 bits (AVX2) and scalar.
 */
@Tag("simd")
class Bf16GemmTest {
    private static WorkerPool one, two;

    @BeforeAll
    static void pools() {
        one = new WorkerPool(1);
        two = new WorkerPool(2);
    }

    @AfterAll
    static void close() {
        one.close();
        two.close();
    }

    @ParameterizedTest(name = "m={0} n={1} k={2}")
    @CsvSource({
            "1,1,1", "1,15,3", "1,16,8", "1,33,7", "2,31,9", "1,64,17", "3,65,11", "4,100,1", "1,784,512", "1,512,256",
            "1,256,58", "2,263,131", "1,300,120", "4,97,200", "5,33,7", "8,784,20", "13,106,256", "128,106,256",
            "9,31,3", "17,512,33", "3,1,5", "6,40,0", "1,40,0"})
    void vectorMatchesScalarBitForBit(int m, int n, int k) {
        SplittableRandom rnd = new SplittableRandom(m * 131L + n * 7L + k);
        int lda = k + 3, ldc = n + 5;
        long aOff = 5, cOff = 2;
        try (Arena arena = Arena.ofShared()) {  // the pool's worker reads these segments
            MemorySegment a = random(arena, aOff + (long) m * lda, rnd);
            MemorySegment w = random(arena, (long) k * n, rnd);
            MemorySegment bias = random(arena, n, rnd);
            int stride = Bf16Matrix.pairedStride(n, Bf16.HALF);
            Bf16Matrix b = new Bf16Matrix("w", arena.allocate(Bf16Matrix.byteSize(k, stride) + 10, 64).asSlice(10), k, n, stride, Bf16.HALF);
            Bf16.pack(w, 0, n, b, 0, k);
            MemorySegment widened = arena.allocate(Math.max(1L, (long) k * n) * 4, 64);
            Bf16Scalar.widen(b, 0, k, widened, 0, n);
            long cSize = cOff + (long) m * ldc;
            for (int variant = 0; variant < 4; variant++) {
                boolean biasRelu = (variant & 1) != 0;
                if (variant == 2) {  // half of the inputs zero (some −0), as out of a ReLU: the row path skips them
                    for (long i = 0; i < aOff + (long) m * lda; i++) if (rnd.nextBoolean()) a.setAtIndex(F32, i, rnd.nextBoolean() ? 0f : -0f);
                }
                MemorySegment expected = random(arena, cSize, new SplittableRandom(1));
                MemorySegment reference = arena.allocate(cSize * 4, 64);
                reference.copyFrom(expected);
                Bf16GemmScalar.multiply(m, n, k, a, aOff, lda, b, expected, cOff, ldc, biasRelu ? bias : null, biasRelu);
                GemmScalar.multiply(false, false, m, n, k, a, aOff, lda, widened, 0, n, reference, cOff, ldc,
                        false, biasRelu ? bias : null, biasRelu);
                assertEquals(-1, expected.mismatch(reference), "twin against GemmScalar on the widened weights");
                for (WorkerPool pool : new WorkerPool[]{one, two}) {
                    MemorySegment c = random(arena, cSize, new SplittableRandom(1));
                    new Bf16Gemm(pool).multiply(m, n, k, a, aOff, lda, b, c, cOff, ldc, biasRelu ? bias : null, biasRelu);
                    for (long i = 0; i < cSize; i++) {
                        // Same k order with fused multiply-adds: identical bits; padding of C untouched.
                        assertEquals(Float.floatToRawIntBits(expected.getAtIndex(F32, i)), Float.floatToRawIntBits(c.getAtIndex(F32, i)),
                                "threads=" + pool.threads() + " variant=" + variant + " at " + i);
                    }
                }
            }
        }
    }

    private static MemorySegment random(Arena arena, long n, SplittableRandom rnd) {
        MemorySegment s = arena.allocate(Math.max(1, n) * 4, 64);
        for (long i = 0; i < n; i++) s.setAtIndex(F32, i, (float) rnd.nextGaussian());
        return s;
    }
}
