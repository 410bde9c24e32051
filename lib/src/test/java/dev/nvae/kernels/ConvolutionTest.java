package dev.nvae.kernels;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.SplittableRandom;

import static dev.nvae.tensor.Tensor.F32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The vector convolutions against their scalar twin: ragged channel counts (not multiples of the vector
 * width), odd and non-square images, strides 1 to 3, pads 0 to 2, kernels 1 to 4 (strides above the
 * kernel leave phase classes of the transposed form without taps), batches smaller than the tensors
 * (the rows past the batch must stay untouched), operands at unaligned offsets, 1, 2 and 3 threads, and
 * both forms (channels-last and spatial) of forward and transposed.
 *
 * <p>Exact where the sums run in the twin's order (all but two); within {@value #TOL} of the sum of the
 * terms' magnitudes for the bias gradient and the spatial weight gradient, whose vector sums add their
 * lanes at the end.
 */
class ConvolutionTest {
    /** |fast − scalar| ≤ TOL · Σ|terms| for the sums that run in another order: a few float roundings. */
    static final double TOL = 1e-6;
    /** Floats before each operand: its segment starts at an unaligned address. */
    private static final long OFFSET = 3;

    private static WorkerPool[] pools;

    @BeforeAll
    static void open() {
        pools = new WorkerPool[]{new WorkerPool(1), new WorkerPool(2), new WorkerPool(3)};
    }

    @AfterAll
    static void close() {
        for (WorkerPool p : pools) p.close();
    }

    /** (ci, h, w, co, k, stride, pad, batch, capacity). */
    static List<int[]> geometries() {
        return List.of(
                new int[]{1, 28, 28, 32, 4, 2, 1, 2, 3},     // the conv N-VAE's first layer (and last, transposed)
                new int[]{32, 14, 14, 64, 4, 2, 1, 2, 2},    // its second (and the decoder's first transposed)
                new int[]{3, 7, 9, 5, 3, 1, 1, 3, 4},
                new int[]{5, 9, 7, 17, 3, 2, 0, 2, 2},
                new int[]{2, 11, 10, 33, 4, 2, 2, 1, 2},
                new int[]{7, 6, 5, 3, 4, 2, 1, 3, 3},
                new int[]{17, 8, 8, 9, 4, 2, 1, 2, 3},
                new int[]{4, 13, 13, 40, 3, 2, 1, 1, 1},
                new int[]{1, 5, 5, 1, 3, 1, 2, 2, 2},
                new int[]{1, 1, 1, 1, 1, 1, 0, 1, 1},
                new int[]{3, 4, 4, 2, 1, 2, 0, 2, 2},        // k 1, stride 2: three of four classes have no tap
                new int[]{6, 5, 8, 19, 2, 3, 1, 2, 2},       // stride 3 > kernel 2
                new int[]{20, 6, 7, 31, 3, 1, 0, 2, 3});
    }

    @ParameterizedTest(name = "{index}")
    @MethodSource("geometries")
    void forwardMatchesScalarBitForBitInBothForms(int[] g) {
        Geometry s = new Geometry(g);
        try (Arena arena = Arena.ofShared()) {
            SplittableRandom rnd = new SplittableRandom(s.hashCode());
            MemorySegment x = random(arena, (long) s.cap * s.inSize(), rnd), wt = random(arena, s.weights(), rnd);
            MemorySegment b = random(arena, s.co, rnd);
            for (boolean relu : new boolean[]{false, true}) {
                for (MemorySegment bias : new MemorySegment[]{b, null}) {
                    MemorySegment expected = sentinel(arena, (long) s.cap * s.outSize());
                    ConvolutionScalar.forward(s.ci, s.h, s.w, s.co, s.k, s.stride, s.pad, s.batch, x, wt, bias, relu, expected);
                    for (WorkerPool pool : pools) {
                        for (int spatialMax : new int[]{0, Integer.MAX_VALUE}) {
                            MemorySegment y = sentinel(arena, (long) s.cap * s.outSize());
                            new Convolution(pool, spatialMax).forward(s.ci, s.h, s.w, s.co, s.k, s.stride, s.pad, s.batch, x, wt, bias, relu, y);
                            assertSame(expected, y, s + " relu " + relu + " bias " + (bias != null) + " threads " + pool.threads()
                                    + (spatialMax == 0 ? " channels-last" : " spatial"));
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{index}")
    @MethodSource("geometries")
    void transposedMatchesScalarBitForBitInBothForms(int[] g) {
        Geometry s = new Geometry(g);
        try (Arena arena = Arena.ofShared()) {
            SplittableRandom rnd = new SplittableRandom(s.hashCode() + 1);
            MemorySegment x = random(arena, (long) s.cap * s.outSize(), rnd), wt = random(arena, s.weights(), rnd);
            MemorySegment b = random(arena, s.ci, rnd);
            for (boolean relu : new boolean[]{false, true}) {
                MemorySegment expected = sentinel(arena, (long) s.cap * s.inSize());
                ConvolutionScalar.transposed(s.ci, s.h, s.w, s.co, s.k, s.stride, s.pad, s.batch, x, wt, b, relu, expected);
                for (WorkerPool pool : pools) {
                    for (int spatialMax : new int[]{0, Integer.MAX_VALUE}) {
                        MemorySegment y = sentinel(arena, (long) s.cap * s.inSize());
                        new Convolution(pool, spatialMax).transposed(s.ci, s.h, s.w, s.co, s.k, s.stride, s.pad, s.batch, x, wt, b, relu, y);
                        assertSame(expected, y, s + " relu " + relu + " threads " + pool.threads()
                                + (spatialMax == 0 ? " channels-last" : " spatial"));
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{index}")
    @MethodSource("geometries")
    void weightsMatchScalar(int[] g) {
        Geometry s = new Geometry(g);
        try (Arena arena = Arena.ofShared()) {
            SplittableRandom rnd = new SplittableRandom(s.hashCode() + 2);
            MemorySegment xi = random(arena, (long) s.cap * s.inSize(), rnd), xo = random(arena, (long) s.cap * s.outSize(), rnd);
            MemorySegment dw0 = random(arena, s.weights(), rnd), db0 = random(arena, Math.max(s.ci, s.co), rnd);
            for (boolean accumulate : new boolean[]{false, true}) {
                for (boolean ofOutput : new boolean[]{true, false}) {
                    int channels = ofOutput ? s.co : s.ci;
                    MemorySegment dwExpected = copy(arena, dw0), dbExpected = copy(arena, db0);
                    ConvolutionScalar.weights(s.ci, s.h, s.w, s.co, s.k, s.stride, s.pad, s.batch, xi, xo, dwExpected, accumulate);
                    if (ofOutput) ConvolutionScalar.channelSums(xo, s.batch, s.co, s.oh * s.ow, dbExpected, accumulate);
                    else ConvolutionScalar.channelSums(xi, s.batch, s.ci, s.h * s.w, dbExpected, accumulate);
                    MemorySegment dbMagnitude = accumulate ? abs(arena, db0) : sentinel(arena, Math.max(s.ci, s.co));
                    if (ofOutput) ConvolutionScalar.channelSums(abs(arena, xo), s.batch, s.co, s.oh * s.ow, dbMagnitude, accumulate);
                    else ConvolutionScalar.channelSums(abs(arena, xi), s.batch, s.ci, s.h * s.w, dbMagnitude, accumulate);
                    MemorySegment dwMagnitude = accumulate ? abs(arena, dw0) : copy(arena, dw0);
                    ConvolutionScalar.weights(s.ci, s.h, s.w, s.co, s.k, s.stride, s.pad, s.batch, abs(arena, xi), abs(arena, xo),
                            dwMagnitude, accumulate);
                    for (WorkerPool pool : pools) for (int spatialMax : new int[]{0, Integer.MAX_VALUE}) {
                        MemorySegment dw = copy(arena, dw0), db = copy(arena, db0);
                        new Convolution(pool, spatialMax).weights(s.ci, s.h, s.w, s.co, s.k, s.stride, s.pad, s.batch, xi, xo, dw, db,
                                ofOutput, accumulate);
                        String what = s + " accumulate " + accumulate + " threads " + pool.threads()
                                + (spatialMax == 0 ? " channels-last" : " spatial");
                        if (spatialMax == 0) assertSame(dwExpected, dw, what + " dw");
                        else assertClose(dwExpected, dw, dwMagnitude, what + " dw");
                        assertClose(dbExpected.asSlice(0, channels * 4L), db.asSlice(0, channels * 4L),
                                dbMagnitude.asSlice(0, channels * 4L), what + " db of " + (ofOutput ? "output" : "input"));
                        assertSame(db0.asSlice(channels * 4L), db.asSlice(channels * 4L), what + " past db");
                    }
                }
            }
        }
    }

    /**
     * Training must not depend on JIT timing: the weight and bias gradients of a call before C2 has compiled the
     * kernels and of calls after it are the same bits. reduceLanes(ADD), which the lane sums used, adds lanes in
     * another order once compiled, so a run through the launcher, the API or plain java trained other weights.
     */
    @Test
    void weightGradientsAreTheSameInEveryJitTier() {
        Geometry s = new Geometry(new int[]{32, 14, 14, 64, 4, 2, 1, 2, 2});
        try (Arena arena = Arena.ofShared()) {
            SplittableRandom rnd = new SplittableRandom(17);
            MemorySegment xi = random(arena, (long) s.cap * s.inSize(), rnd), xo = random(arena, (long) s.cap * s.outSize(), rnd);
            MemorySegment dw = arena.allocate(4L * s.weights()), db = arena.allocate(4L * s.co);
            Convolution conv = new Convolution(pools[0], Integer.MAX_VALUE);
            conv.weights(s.ci, s.h, s.w, s.co, s.k, s.stride, s.pad, s.batch, xi, xo, dw, db, true, false);
            MemorySegment firstDw = copy(arena, dw), firstDb = copy(arena, db);
            float[] sums = new float[1000];
            for (int i = 0; i < sums.length; i++) sums[i] = (float) rnd.nextGaussian() * (i % 7 == 0 ? 1e4f : 1f);
            float firstSum = ConvKernels.sum(sums, 3, 997);
            for (int call = 0; call < 2_000; call++) {
                conv.weights(s.ci, s.h, s.w, s.co, s.k, s.stride, s.pad, s.batch, xi, xo, dw, db, true, false);
                if (call % 100 == 99) {
                    assertSame(firstDw, dw, "dw at call " + call);
                    assertSame(firstDb, db, "db at call " + call);
                }
                for (int i = 0; i < 20; i++) {
                    float sum = ConvKernels.sum(sums, 3, 997);
                    if (Float.floatToRawIntBits(sum) != Float.floatToRawIntBits(firstSum)) {
                        throw new AssertionError("ConvKernels.sum at call " + call + ": " + sum + " after " + firstSum);
                    }
                }
            }
        }
    }

    /** The lane sum is a fixed tree, upper half folded onto lower: its scalar twin here, bit for bit, on sums that depend on order. */
    @Test
    void sumLanesFoldsHalvesInAFixedOrder() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int trial = 0; trial < 1000; trial++) {
            float[] v = new float[ConvKernels.L];
            for (int i = 0; i < v.length; i++) v[i] = (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(9)));
            float[] a = v.clone();
            for (int h = a.length / 2; h >= 1; h /= 2) for (int i = 0; i < h; i++) a[i] += a[i + h];
            float got = ConvKernels.sumLanes(jdk.incubator.vector.FloatVector.fromArray(ConvKernels.S, v, 0));
            assertEquals(Float.floatToRawIntBits(a[0]), Float.floatToRawIntBits(got), "trial " + trial + ": " + a[0] + " against " + got);
        }
    }

    @Test
    void oneInstanceServesSeveralShapesAndBatches() {
        // Plans are kept per geometry; a smaller batch after a larger one reuses the larger buffers.
        try (Arena arena = Arena.ofShared()) {
            for (int spatialMax : new int[]{0, Integer.MAX_VALUE}) {
                Convolution conv = new Convolution(pools[1], spatialMax);
                SplittableRandom rnd = new SplittableRandom(7);
                for (int[] g : List.of(new int[]{3, 9, 9, 20, 3, 2, 1, 4, 4}, new int[]{20, 5, 5, 3, 3, 2, 1, 4, 4},
                        new int[]{3, 9, 9, 20, 3, 2, 1, 1, 4}, new int[]{3, 9, 9, 20, 3, 2, 1, 3, 4})) {
                    Geometry s = new Geometry(g);
                    MemorySegment xi = random(arena, (long) s.cap * s.inSize(), rnd), xo = random(arena, (long) s.cap * s.outSize(), rnd);
                    MemorySegment dw = sentinel(arena, s.weights()), expected = sentinel(arena, s.weights());
                    MemorySegment magnitude = sentinel(arena, s.weights());
                    ConvolutionScalar.weights(s.ci, s.h, s.w, s.co, s.k, s.stride, s.pad, s.batch, xi, xo, expected, false);
                    ConvolutionScalar.weights(s.ci, s.h, s.w, s.co, s.k, s.stride, s.pad, s.batch, abs(arena, xi), abs(arena, xo),
                            magnitude, false);
                    conv.weights(s.ci, s.h, s.w, s.co, s.k, s.stride, s.pad, s.batch, xi, xo, dw, null, true, false);
                    if (spatialMax == 0) assertSame(expected, dw, s.toString());
                    else assertClose(expected, dw, magnitude, s + " spatial");
                }
            }
        }
    }

    @Test
    void scalarForwardMatchesTheDefinitionInDoublePrecision() {
        // The oracle itself, against an independent reading of the definition: out-of-image taps skipped.
        Geometry s = new Geometry(new int[]{3, 7, 6, 4, 3, 2, 1, 2, 2});
        try (Arena arena = Arena.ofConfined()) {
            SplittableRandom rnd = new SplittableRandom(3);
            MemorySegment x = random(arena, (long) s.batch * s.inSize(), rnd), wt = random(arena, s.weights(), rnd);
            MemorySegment y = sentinel(arena, (long) s.batch * s.outSize()), t = sentinel(arena, (long) s.batch * s.inSize());
            ConvolutionScalar.forward(s.ci, s.h, s.w, s.co, s.k, s.stride, s.pad, s.batch, x, wt, null, false, y);
            // <conv(x), r> = <x, convᵀ(r)> with r = y itself: the transposed twin is the forward one's adjoint.
            ConvolutionScalar.transposed(s.ci, s.h, s.w, s.co, s.k, s.stride, s.pad, s.batch, y, wt, null, false, t);
            double yy = 0, xt = 0;
            for (int n = 0; n < s.batch; n++) {
                for (int o = 0; o < s.co; o++) {
                    for (int oy = 0; oy < s.oh; oy++) {
                        for (int ox = 0; ox < s.ow; ox++) {
                            double sum = 0;
                            for (int c = 0; c < s.ci; c++) {
                                for (int ky = 0; ky < s.k; ky++) {
                                    for (int kx = 0; kx < s.k; kx++) {
                                        int iy = oy * s.stride - s.pad + ky, ix = ox * s.stride - s.pad + kx;
                                        if (iy < 0 || iy >= s.h || ix < 0 || ix >= s.w) continue;
                                        sum += (double) x.getAtIndex(F32, (long) n * s.inSize() + (c * s.h + iy) * s.w + ix)
                                                * wt.getAtIndex(F32, ((o * s.ci + c) * s.k + ky) * s.k + kx);
                                    }
                                }
                            }
                            float got = y.getAtIndex(F32, (long) n * s.outSize() + (o * s.oh + oy) * s.ow + ox);
                            assertEquals(sum, got, 1e-5);
                            yy += (double) got * got;
                        }
                    }
                }
            }
            for (long i = 0; i < (long) s.batch * s.inSize(); i++) xt += (double) x.getAtIndex(F32, i) * t.getAtIndex(F32, i);
            assertEquals(yy, xt, 1e-4 * yy);
        }
    }

    /** The test's geometry, with the sizes derived from it. */
    record Geometry(int ci, int h, int w, int co, int k, int stride, int pad, int batch, int cap, int oh, int ow) {
        Geometry(int[] g) {
            this(g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7], g[8],
                    (g[1] + 2 * g[6] - g[4]) / g[5] + 1, (g[2] + 2 * g[6] - g[4]) / g[5] + 1);
        }

        int inSize() {
            return ci * h * w;
        }

        int outSize() {
            return co * oh * ow;
        }

        long weights() {
            return (long) co * ci * k * k;
        }

        @Override
        public String toString() {
            return ci + "x" + h + "x" + w + " -> " + co + "x" + oh + "x" + ow + " k" + k + " s" + stride + " p" + pad
                    + " batch " + batch + "/" + cap;
        }
    }

    static void assertSame(MemorySegment expected, MemorySegment actual, String what) {
        long n = expected.byteSize() / 4;
        for (long i = 0; i < n; i++) {
            float e = expected.getAtIndex(F32, i), a = actual.getAtIndex(F32, i);
            assertTrue(e == a || (Float.isNaN(e) && Float.isNaN(a)), what + ": element " + i + " expected " + e + " got " + a);
        }
    }

    static void assertClose(MemorySegment expected, MemorySegment actual, MemorySegment magnitude, String what) {
        long n = expected.byteSize() / 4;
        for (long i = 0; i < n; i++) {
            float e = expected.getAtIndex(F32, i), a = actual.getAtIndex(F32, i);
            if (Float.isNaN(e)) {
                assertTrue(Float.isNaN(a), what + ": element " + i + " expected the sentinel");
                continue;
            }
            double bound = TOL * Math.abs(magnitude.getAtIndex(F32, i)) + 1e-30;
            assertTrue(Math.abs(e - a) <= bound, what + ": element " + i + " expected " + e + " got " + a + " (bound " + bound + ")");
        }
    }

    /** Uniform in [−1, 1), {@link #OFFSET} floats into its own allocation. */
    static MemorySegment random(Arena arena, long n, SplittableRandom rnd) {
        MemorySegment s = arena.allocate((n + OFFSET) * 4, 64).asSlice(OFFSET * 4);
        for (long i = 0; i < n; i++) s.setAtIndex(F32, i, (float) (rnd.nextDouble() * 2 - 1));
        return s;
    }

    /** NaN everywhere: what a kernel does not write stays NaN, what it reads by mistake spreads NaN. */
    static MemorySegment sentinel(Arena arena, long n) {
        MemorySegment s = arena.allocate((n + OFFSET) * 4, 64).asSlice(OFFSET * 4);
        for (long i = 0; i < n; i++) s.setAtIndex(F32, i, Float.NaN);
        return s;
    }

    static MemorySegment copy(Arena arena, MemorySegment from) {
        MemorySegment s = arena.allocate(from.byteSize() + OFFSET * 4, 64).asSlice(OFFSET * 4);
        s.copyFrom(from);
        return s;
    }

    static MemorySegment abs(Arena arena, MemorySegment from) {
        MemorySegment s = copy(arena, from);
        for (long i = 0; i < s.byteSize() / 4; i++) s.setAtIndex(F32, i, Math.abs(s.getAtIndex(F32, i)));
        return s;
    }
}
