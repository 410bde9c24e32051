package dev.nvae.kernels;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

import static dev.nvae.tensor.Tensor.F32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Split passes against the scalar twins on one thread: same bits whatever the split, ragged lengths included. */
class ParallelElementwiseTest {
    @ParameterizedTest
    @ValueSource(ints = {1, 15, 17, 33, 1000, 4099})
    void adamMatchesTheScalarTwinBitForBit(int n) {
        SplittableRandom r = new SplittableRandom(n);
        for (boolean spin : new boolean[]{true, false}) {
            try (Arena arena = Arena.ofShared(); WorkerPool pool = new WorkerPool(3, spin)) {
                MemorySegment[] par = new MemorySegment[4], ser = new MemorySegment[4];
                for (int b = 0; b < 4; b++) {
                    par[b] = GemmTest.random(arena, n, r);
                    if (b == 3) for (long i = 0; i < n; i++) par[b].setAtIndex(F32, i, Math.abs(par[b].getAtIndex(F32, i)));
                    ser[b] = arena.allocate(n * 4L, 64);
                    ser[b].copyFrom(par[b]);
                }
                ParallelElementwise px = new ParallelElementwise(pool);
                for (int step = 0; step < 3; step++) {
                    assertTrue(px.adam(par[0], par[1], par[2], par[3], n, 0.9f, 0.999f, 1e-3f, 1.3f, 1e-8f));
                    assertTrue(ElementwiseScalar.adam(ser[0], ser[1], ser[2], ser[3], n, 0.9f, 0.999f, 1e-3f, 1.3f, 1e-8f));
                }
                for (int b = 0; b < 4; b++) {
                    for (long i = 0; i < n; i++) assertEquals(ser[b].getAtIndex(F32, i), par[b].getAtIndex(F32, i), 0f, "buffer " + b + " at " + i);
                }
            }
        }
    }

    /** With a bf16 image the update is the same, and the image holds every updated parameter rounded to bf16. */
    @ParameterizedTest
    @ValueSource(ints = {1, 15, 17, 1000, 4099, 9000})
    void adamWritesTheBf16ImageOfWhatItUpdated(int n) {
        SplittableRandom r = new SplittableRandom(n);
        try (Arena arena = Arena.ofShared(); WorkerPool pool = new WorkerPool(2)) {
            MemorySegment[] a = new MemorySegment[4], b = new MemorySegment[4];
            for (int k = 0; k < 4; k++) {
                a[k] = GemmTest.random(arena, n, r);
                if (k == 3) for (long i = 0; i < n; i++) a[k].setAtIndex(F32, i, Math.abs(a[k].getAtIndex(F32, i)));
                b[k] = arena.allocate(n * 4L, 64);
                b[k].copyFrom(a[k]);
            }
            MemorySegment image = arena.allocate(n * 2L, 64);
            ParallelElementwise px = new ParallelElementwise(pool);
            assertTrue(px.adam(a[0], a[1], a[2], a[3], n, 0.9f, 0.999f, 1e-3f, 1.3f, 1e-8f, image));
            assertTrue(px.adam(b[0], b[1], b[2], b[3], n, 0.9f, 0.999f, 1e-3f, 1.3f, 1e-8f));
            for (int k = 0; k < 4; k++) assertEquals(-1, a[k].mismatch(b[k]), "buffer " + k);
            for (long i = 0; i < n; i++) {
                assertEquals(Bf16Scalar.round(a[0].getAtIndex(F32, i)), image.getAtIndex(dev.nvae.tensor.Bf16Matrix.BF16, i), "at " + i);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 16, 31, 1000, 4099})
    void adamReportsANonFiniteGradientInAnyThreadsShare(int n) {
        try (Arena arena = Arena.ofShared(); WorkerPool pool = new WorkerPool(3)) {
            SplittableRandom r = new SplittableRandom(n);
            MemorySegment p = GemmTest.random(arena, n, r), g = GemmTest.random(arena, n, r);
            MemorySegment m = arena.allocate(n * 4L, 64), v = arena.allocate(n * 4L, 64);
            ParallelElementwise px = new ParallelElementwise(pool);
            assertTrue(px.adam(p, g, m, v, n, 0.9f, 0.999f, 1e-3f, 1.3f, 1e-8f));
            for (long at : new long[]{0, n / 2, n - 1}) {
                float keep = g.getAtIndex(F32, at);
                g.setAtIndex(F32, at, Float.NaN);
                assertFalse(px.adam(p, g, m, v, n, 0.9f, 0.999f, 1e-3f, 1.3f, 1e-8f), "NaN gradient at " + at);
                g.setAtIndex(F32, at, keep);
                // The NaN stays in the moments and parameter it reached: start those over.
                p.setAtIndex(F32, at, 0f); m.setAtIndex(F32, at, 0f); v.setAtIndex(F32, at, 0f);
                assertTrue(px.adam(p, g, m, v, n, 0.9f, 0.999f, 1e-3f, 1.3f, 1e-8f));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 16, 31, 1000, 4099})
    void allFiniteFindsABadValueInAnyThreadsShare(int n) {
        try (Arena arena = Arena.ofShared(); WorkerPool pool = new WorkerPool(3)) {
            MemorySegment x = GemmTest.random(arena, n, new SplittableRandom(n));
            ParallelElementwise px = new ParallelElementwise(pool);
            assertTrue(px.allFinite(x, n));
            for (float bad : new float[]{Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                for (long at : new long[]{0, n / 2, n - 1}) {
                    float keep = x.getAtIndex(F32, at);
                    x.setAtIndex(F32, at, bad);
                    assertFalse(px.allFinite(x, n), bad + " at " + at);
                    x.setAtIndex(F32, at, keep);
                }
            }
            assertTrue(px.allFinite(x, n));
        }
    }
}
