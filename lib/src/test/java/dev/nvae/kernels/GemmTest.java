package dev.nvae.kernels;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static dev.nvae.tensor.Tensor.F32;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The vector SGEMM against its scalar twin: ragged sizes, non-zero offsets, padded leading dims, all forms. */
class GemmTest {
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

    static Stream<Arguments> shapes() {
        int[][] mnk = {
                {1, 1, 1}, {1, 33, 7}, {7, 15, 5}, {8, 32, 64}, {9, 31, 3}, {17, 106, 33},
                {1, 784, 512}, {2, 130, 58}, {1, 64, 3}, {2, 65, 9}, {1, 200, 1}, {3, 70, 11},
                {13, 58, 256}, {128, 106, 256}, {58, 256, 128}, {3, 100, 1}, {128, 784, 20}, {40, 1, 9},
                // Row-path products large enough to be shared by two workers (Gemm.ROW_PATH_SHARED_MIN), ragged in n and k.
                {2, 263, 131}, {1, 300, 120},
        };
        List<Arguments> out = new ArrayList<>();
        for (int[] s : mnk) {
            for (int form = 0; form < 4; form++) {
                out.add(Arguments.of(s[0], s[1], s[2], (form & 1) != 0, (form & 2) != 0));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "m={0} n={1} k={2} transA={3} transB={4}")
    @MethodSource("shapes")
    void vectorMatchesScalarBitForBit(int m, int n, int k, boolean transA, boolean transB) {
        SplittableRandom rnd = new SplittableRandom(m * 131L + n * 7L + k);
        int pad = 3; // leading dimensions larger than the logical width
        int lda = (transA ? m : k) + pad, ldb = (transB ? k : n) + pad, ldc = n + pad;
        long aOff = 5, bOff = 11, cOff = 2;
        // Shared: the pool's worker thread reads these segments (a confined arena would throw).
        try (Arena arena = Arena.ofShared()) {
            MemorySegment a = random(arena, aOff + (long) (transA ? k : m) * lda, rnd);
            MemorySegment b = random(arena, bOff + (long) (transB ? n : k) * ldb, rnd);
            MemorySegment bias = random(arena, n, rnd);
            long cSize = cOff + (long) m * ldc;
            for (int variant = 0; variant < 3; variant++) {
                boolean acc = variant == 1;
                boolean withBiasRelu = variant == 2;
                MemorySegment c0 = random(arena, cSize, new SplittableRandom(variant));
                MemorySegment expected = arena.allocate(cSize * 4, 64);
                expected.copyFrom(c0);
                GemmScalar.multiply(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, expected, cOff, ldc,
                        acc, withBiasRelu ? bias : null, withBiasRelu);
                for (WorkerPool pool : new WorkerPool[]{one, two}) for (int mr : new int[]{4, 8}) for (boolean chunks : new boolean[]{false, true}) {
                    MemorySegment c = arena.allocate(cSize * 4, 64);
                    c.copyFrom(c0);
                    new Gemm(pool, mr, chunks).multiply(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc,
                            acc, withBiasRelu ? bias : null, withBiasRelu);
                    for (long i = 0; i < cSize; i++) {
                        // Same k order with fused multiply-adds: identical bits, padding untouched.
                        assertEquals(expected.getAtIndex(F32, i), c.getAtIndex(F32, i), 0f,
                                "element " + i + " variant " + variant + " threads " + pool.threads() + " mr " + mr + " chunks " + chunks);
                    }
                }
            }
        }
    }

    /**
     * The row path skips the rows of B under a zero input (a ReLU's output): the same bits as the scalar
     * twin, which does not, for inputs half zeros (some −0), all zeros, and none; with −0 and huge weights;
     * in both loop orders.
     */
    @ParameterizedTest(name = "m={0} n={1} k={2}")
    @MethodSource("shapes")
    void rowPathSkipsZeroInputsWithTheSameBits(int m, int n, int k, boolean transA, boolean transB) {
        if (m > Gemm.ROW_PATH_MAX_M || transA || transB) return;  // the row path's products only
        SplittableRandom rnd = new SplittableRandom(m * 31L + n * 17L + k);
        int lda = k + 2, ldb = n + 1, ldc = n + 3;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment b = random(arena, (long) k * ldb, rnd), bias = random(arena, n, rnd);
            for (long i = 0; i < (long) k * ldb; i += 7) b.setAtIndex(F32, i, -0f);
            if (k * ldb > 3) b.setAtIndex(F32, 3, 3e38f);
            for (int density = 0; density < 3; density++) {  // no zeros, half zeros, all zeros
                MemorySegment a = random(arena, (long) m * lda, rnd);
                for (long i = 0; i < (long) m * lda; i++) {
                    boolean zero = density == 2 || (density == 1 && rnd.nextBoolean());
                    if (zero) a.setAtIndex(F32, i, rnd.nextBoolean() ? 0f : -0f);
                }
                for (boolean withBiasRelu : new boolean[]{false, true}) {
                    MemorySegment expected = arena.allocate((long) m * ldc * 4, 64);
                    GemmScalar.multiply(false, false, m, n, k, a, 0, lda, b, 0, ldb, expected, 0, ldc,
                            false, withBiasRelu ? bias : null, withBiasRelu);
                    for (WorkerPool pool : new WorkerPool[]{one, two}) for (boolean chunks : new boolean[]{false, true}) {
                        MemorySegment c = arena.allocate((long) m * ldc * 4, 64);
                        new Gemm(pool, Gemm.DEFAULT_MR, chunks).multiply(false, false, m, n, k, a, 0, lda, b, 0, ldb, c, 0, ldc,
                                false, withBiasRelu ? bias : null, withBiasRelu);
                        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) {
                            long at = (long) i * ldc + j;
                            assertEquals(Float.floatToRawIntBits(expected.getAtIndex(F32, at)), Float.floatToRawIntBits(c.getAtIndex(F32, at)),
                                    "row " + i + " column " + j + " density " + density + " threads " + pool.threads() + " chunks " + chunks);
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "m={0} n={1} k={2}")
    @MethodSource("shapes")
    void scalarTwinMatchesDoublePrecisionDefinition(int m, int n, int k, boolean transA, boolean transB) {
        if (transA || transB) return; // the forms differ only in indexing, covered above
        SplittableRandom rnd = new SplittableRandom(42);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = random(arena, (long) m * k, rnd), b = random(arena, (long) k * n, rnd);
            MemorySegment c = arena.allocate((long) m * n * 4, 64);
            GemmScalar.multiply(false, false, m, n, k, a, 0, k, b, 0, n, c, 0, n, false, null, false);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) s += (double) a.getAtIndex(F32, (long) i * k + p) * b.getAtIndex(F32, (long) p * n + j);
                    assertEquals(s, c.getAtIndex(F32, (long) i * n + j), 1e-5 * Math.max(1, Math.abs(s)) + 1e-5 * k);
                }
            }
        }
    }

    static MemorySegment random(Arena arena, long n, SplittableRandom rnd) {
        MemorySegment s = arena.allocate(Math.max(1, n) * 4, 64);
        for (long i = 0; i < n; i++) s.setAtIndex(F32, i, (float) (rnd.nextDouble() * 2 - 1));
        return s;
    }
}
