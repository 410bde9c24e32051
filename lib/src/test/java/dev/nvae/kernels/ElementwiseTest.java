package dev.nvae.kernels;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

import static dev.nvae.tensor.Tensor.F32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each vector kernel against its scalar twin at ragged lengths and non-zero offsets. */
class ElementwiseTest {
    private static final long OFF = 3; // start inside the buffer: kernels must not assume alignment

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 15, 16, 17, 33, 106, 784, 1001})
    void reluBackward(int n) {
        try (Arena arena = Arena.ofConfined()) {
            SplittableRandom r = new SplittableRandom(n);
            MemorySegment y = slice(GemmTest.random(arena, n + OFF, r)), dy = slice(GemmTest.random(arena, n + OFF, r));
            for (long i = 0; i < n; i += 5) y.setAtIndex(F32, i, 0f); // exact zeros are "off"
            MemorySegment expected = copy(arena, dy);
            ElementwiseScalar.reluBackward(expected, y, n);
            Elementwise.reluBackward(dy, y, n);
            assertSame(expected, dy, n, 0);
            for (long i = 0; i < n; i++) if (y.getAtIndex(F32, i) <= 0) assertEquals(0f, dy.getAtIndex(F32, i));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5, 16, 31, 58, 106, 513})
    void columnSums(int cols) {
        int rows = 37;
        for (boolean accumulate : new boolean[]{true, false}) {
            try (Arena arena = Arena.ofConfined()) {
                SplittableRandom r = new SplittableRandom(cols);
                MemorySegment dy = slice(GemmTest.random(arena, (long) rows * cols + OFF, r));
                MemorySegment db = slice(GemmTest.random(arena, cols + OFF, r));
                MemorySegment expected = copy(arena, db);
                MemorySegment before = copy(arena, db);
                ElementwiseScalar.columnSums(dy, rows, cols, expected, accumulate);
                for (int j = 0; j < cols; j++) {
                    double s = accumulate ? before.getAtIndex(F32, j) : 0;
                    for (int i = 0; i < rows; i++) s += dy.getAtIndex(F32, (long) i * cols + j);
                    assertEquals(s, expected.getAtIndex(F32, j), 1e-5);
                }
                Elementwise.columnSums(dy, rows, cols, db, accumulate);
                assertSame(expected, db, cols, 0);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 16, 17, 100, 784, 785})
    void bceWithLogits(int d) {
        try (Arena arena = Arena.ofConfined()) {
            SplittableRandom r = new SplittableRandom(d);
            MemorySegment logits = arena.allocate((d + OFF) * 4L, 64), x = arena.allocate((d + OFF) * 4L, 64);
            for (long i = 0; i < d + OFF; i++) {
                logits.setAtIndex(F32, i, (float) (r.nextDouble() * 40 - 20)); // both tails: no overflow allowed
                x.setAtIndex(F32, i, (float) r.nextDouble());
            }
            MemorySegment g1 = arena.allocate((d + OFF) * 4L, 64), g2 = arena.allocate((d + OFF) * 4L, 64);
            double s1 = ElementwiseScalar.bceWithLogitsRow(logits, x, OFF, d, g1, 0.25f);
            double s2 = Elementwise.bceWithLogitsRow(logits, x, OFF, d, g2, 0.25f);
            // Definition in double precision.
            double ref = 0;
            for (long i = OFF; i < OFF + d; i++) {
                double l = logits.getAtIndex(F32, i), xv = x.getAtIndex(F32, i);
                ref += Math.max(l, 0) + Math.log1p(Math.exp(-Math.abs(l))) - xv * l;
                double sig = 1 / (1 + Math.exp(-l));
                assertEquals(0.25 * (sig - xv), g2.getAtIndex(F32, i), 1e-6);
                assertEquals(g1.getAtIndex(F32, i), g2.getAtIndex(F32, i), 0f); // gradients: bit-identical
            }
            assertEquals(ref, s1, 1e-5 * Math.max(1, Math.abs(ref)));
            assertEquals(ref, s2, 1e-5 * Math.max(1, Math.abs(ref)));
            if (!Simd.SCALAR) assertEquals(laneOrderBce(logits, x, (int) OFF, d), s2, 0.0, "the sum, exactly, in every JIT tier");
        }
    }

    /** What the vector BCE row computes, spelled out: per-lane float sums, the lanes in order, then the tail. */
    private static double laneOrderBce(MemorySegment logits, MemorySegment x, int off, int d) {
        int lanes = Simd.LANES, bound = d - d % lanes;
        float[] acc = new float[lanes];
        for (int i = 0; i < bound; i++) {
            float l = logits.getAtIndex(F32, off + i), xv = x.getAtIndex(F32, off + i);
            float sp = Math.max(l, 0f) + VectorMath.log1p(VectorMath.exp(-Math.abs(l)));
            acc[i % lanes] += sp - xv * l;
        }
        double sum = 0;
        for (float a : acc) sum += a;
        for (int i = bound; i < d; i++) {
            float l = logits.getAtIndex(F32, off + i), xv = x.getAtIndex(F32, off + i);
            sum += Math.max(l, 0f) + VectorMath.log1p(VectorMath.exp(-Math.abs(l))) - xv * l;
        }
        return sum;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 16, 17, 100, 784, 785})
    void squaredError(int d) {
        try (Arena arena = Arena.ofConfined()) {
            SplittableRandom r = new SplittableRandom(d);
            MemorySegment mean = arena.allocate((d + OFF) * 4L, 64), x = arena.allocate((d + OFF) * 4L, 64);
            for (long i = 0; i < d + OFF; i++) {
                mean.setAtIndex(F32, i, (float) (r.nextDouble() * 4 - 2));
                x.setAtIndex(F32, i, (float) r.nextDouble());
            }
            MemorySegment g1 = arena.allocate((d + OFF) * 4L, 64), g2 = arena.allocate((d + OFF) * 4L, 64);
            float invVar = 1f / (0.3f * 0.3f);
            double s1 = ElementwiseScalar.squaredErrorRow(mean, x, OFF, d, invVar, g1, 0.5f);
            double s2 = Elementwise.squaredErrorRow(mean, x, OFF, d, invVar, g2, 0.5f);
            double ref = 0;
            for (long i = OFF; i < OFF + d; i++) {
                double diff = (double) mean.getAtIndex(F32, i) - x.getAtIndex(F32, i);
                ref += 0.5 * invVar * diff * diff;
                assertEquals(0.5 * invVar * diff, g2.getAtIndex(F32, i), 1e-5);
                assertEquals(g1.getAtIndex(F32, i), g2.getAtIndex(F32, i), 0f); // gradients: bit-identical
            }
            assertEquals(ref, s1, 1e-5 * Math.max(1, Math.abs(ref)));
            assertEquals(ref, s2, 1e-5 * Math.max(1, Math.abs(ref)));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 9, 16, 47, 800})
    void sigmoid(int n) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment in = slice(GemmTest.random(arena, n + OFF, new SplittableRandom(n)));
            for (long i = 0; i < n; i++) in.setAtIndex(F32, i, in.getAtIndex(F32, i) * 100);
            MemorySegment a = arena.allocate(n * 4L, 64), b = arena.allocate(n * 4L, 64);
            ElementwiseScalar.sigmoid(in, a, n);
            Elementwise.sigmoid(in, b, n);
            for (long i = 0; i < n; i++) {
                double ref = 1 / (1 + Math.exp(-in.getAtIndex(F32, i)));
                assertEquals(ref, b.getAtIndex(F32, i), 1e-6);
                assertEquals(a.getAtIndex(F32, i), b.getAtIndex(F32, i), 0f);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 15, 16, 33, 1000})
    void adamMatchesScalarBitForBit(int n) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment[] pgmv = adamOperands(arena, n);
            MemorySegment p = pgmv[0], g = pgmv[1], m = pgmv[2], v = pgmv[3];
            MemorySegment p2 = copy(arena, p), m2 = copy(arena, m), v2 = copy(arena, v);
            assertTrue(ElementwiseScalar.adam(p2, g, m2, v2, n, 0.9f, 0.999f, 0.01f, 1.3f, 1e-8f));
            assertTrue(Elementwise.adam(p, g, m, v, n, 0.9f, 0.999f, 0.01f, 1.3f, 1e-8f));
            assertSame(p2, p, n, 0);
            assertSame(m2, m, n, 0);
            assertSame(v2, v, n, 0);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 8, 17, 43})
    void adamReportsANonFiniteGradientOrUpdateAtAnyPosition(int n) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment[] pgmv = adamOperands(arena, n);
            MemorySegment p = pgmv[0], g = pgmv[1], m = pgmv[2], v = pgmv[3];
            MemorySegment p0 = copy(arena, p), m0 = copy(arena, m), v0 = copy(arena, v);
            // A NaN or infinite gradient, and a finite one whose update leaves float range (a huge step size).
            float[] badGradients = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e10f};
            for (float bad : badGradients) {
                float stepSize = bad == 1e10f ? 1e38f : 0.01f;
                for (long at = 0; at < n; at++) {
                    float keep = g.getAtIndex(F32, at);
                    g.setAtIndex(F32, at, bad);
                    for (boolean vector : new boolean[]{true, false}) {
                        p.copyFrom(p0); m.copyFrom(m0); v.copyFrom(v0);
                        boolean finite = vector ? Elementwise.adam(p, g, m, v, n, 0.9f, 0.999f, stepSize, 1.3f, 1e-8f)
                                : ElementwiseScalar.adam(p, g, m, v, n, 0.9f, 0.999f, stepSize, 1.3f, 1e-8f);
                        boolean expected = true;
                        for (long i = 0; i < n; i++) expected &= Float.isFinite(p.getAtIndex(F32, i));
                        assertFalse(expected, "the case must spoil a parameter: gradient " + bad + " at " + at);
                        assertEquals(expected, finite, (vector ? "vector" : "scalar") + ": gradient " + bad + " at " + at);
                    }
                    g.setAtIndex(F32, at, keep);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 16, 17, 43, 100})
    void allFinite(int n) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment x = slice(GemmTest.random(arena, n + OFF, new SplittableRandom(n)));
            assertTrue(Elementwise.allFinite(x, n));
            for (float bad : new float[]{Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                // Every position: the unrolled sums, the single-vector loop and the scalar tail each see one.
                for (long at = 0; at < n; at++) {
                    float old = x.getAtIndex(F32, at);
                    x.setAtIndex(F32, at, bad);
                    assertFalse(Elementwise.allFinite(x, n), "missed " + bad + " at " + at);
                    assertFalse(ElementwiseScalar.allFinite(x, n));
                    assertFalse(Elementwise.allFiniteWithoutC2(x, 0, n), "without C2: missed " + bad + " at " + at);
                    x.setAtIndex(F32, at, old);
                }
            }
        }
    }

    /**
     * The C1 path's copies (4096 floats at a time) against the scalar reference: a bad value just before, at and after
     * each chunk boundary, in a range that starts off the first element, and ranges that hold none of them.
     */
    @Test
    void allFiniteWithoutC2CopiesChunkByChunk() {
        int chunk = Elementwise.WITHOUT_C2_CHUNK, n = 2 * chunk + 37;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment x = slice(GemmTest.random(arena, n + OFF, new SplittableRandom(7)));
            assertTrue(Elementwise.allFiniteWithoutC2(x, 0, n));
            assertTrue(Elementwise.allFiniteWithoutC2(x, 5, 5), "an empty range");
            for (long at : new long[]{0, 1, chunk - 1, chunk, chunk + 1, 2L * chunk, n - 1}) {
                float old = x.getAtIndex(F32, at);
                x.setAtIndex(F32, at, Float.NaN);
                for (long from : new long[]{0, 3}) {
                    boolean expected = ElementwiseScalar.allFinite(x, from, n);
                    assertEquals(expected, Elementwise.allFiniteWithoutC2(x, from, n), "NaN at " + at + ", from " + from);
                    assertEquals(at >= from, !expected, "the case must put the NaN in the range or outside it");
                }
                assertTrue(Elementwise.allFiniteWithoutC2(x, at + 1, n), "a range after the NaN");
                x.setAtIndex(F32, at, old);
            }
        }
    }

    /** Parameters, gradients, first and second moments (≥ 0) of n random values, each starting off alignment. */
    private static MemorySegment[] adamOperands(Arena arena, int n) {
        SplittableRandom r = new SplittableRandom(n);
        MemorySegment[] pgmv = new MemorySegment[4];
        for (int b = 0; b < 4; b++) pgmv[b] = slice(GemmTest.random(arena, n + OFF, r));
        for (long i = 0; i < n; i++) pgmv[3].setAtIndex(F32, i, Math.abs(pgmv[3].getAtIndex(F32, i)));
        return pgmv;
    }

    private static MemorySegment slice(MemorySegment s) {
        return s.asSlice(OFF * 4);
    }

    private static MemorySegment copy(Arena arena, MemorySegment s) {
        MemorySegment c = arena.allocate(s.byteSize(), 64);
        c.copyFrom(s);
        return c;
    }

    private static void assertSame(MemorySegment expected, MemorySegment actual, long n, float tol) {
        for (long i = 0; i < n; i++) assertEquals(expected.getAtIndex(F32, i), actual.getAtIndex(F32, i), tol, "at " + i);
    }
}
