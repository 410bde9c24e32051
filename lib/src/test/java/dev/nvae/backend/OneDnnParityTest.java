package dev.nvae.backend;

import dev.nvae.ffm.DnnlLibrary;
import dev.nvae.random.Rng;
import dev.nvae.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every operation of the onednn backend against the vector backend on the same inputs, at random shapes:
 * odd sizes, batch 1, and a ragged last batch (fewer rows used than the tensors hold — the rows beyond
 * must stay untouched). Shapes: B used rows, C capacity (rows held), I layer input, O layer output.
 *
 * <p>Tolerance of the products: the two backends sum in different orders, so each result may differ by
 * float rounding proportional to the sum of the magnitudes of its terms. For y = x·w + b that is
 * (|x|·|w| + |b|), computed here with the vector backend on absolute values, and the bound asserted is
 * {@value #GEMM_TOL} times it, elementwise: about 17 units of float rounding (ε = 1.2e-7), room for a
 * different summation order on another ISA, yet far below what a wrong index, transposition or missing
 * accumulation produces (an error of the order of the terms themselves). On AVX2 the two backends sum in
 * the same order and most results are bit-identical; the largest ratio seen here was 2.2e-7.
 */
class OneDnnParityTest {
    /** Elementwise |onednn − vector| ≤ GEMM_TOL · (sum of |terms|). */
    static final double GEMM_TOL = 2e-6;
    /** |σ_onednn − σ_vector| ≤ SIGMOID_TOL, absolute (σ is in [0, 1]). */
    static final double SIGMOID_TOL = 1e-6;

    private static Backend onednn, vector;

    @BeforeAll
    static void open() {
        assumeTrue(DnnlLibrary.isAvailable(), () -> "oneDNN unavailable: " + DnnlLibrary.unavailableReason());
        onednn = Backends.create("onednn", 2);
        vector = new VectorBackend(2);
    }

    @AfterAll
    static void close() {
        if (onednn != null) onednn.close();
        if (vector != null) vector.close();
    }

    /** (capacity, batch, in, out). */
    static List<int[]> shapes() {
        return List.of(
                new int[]{1, 1, 1, 1},
                new int[]{1, 1, 7, 13},
                new int[]{4, 3, 5, 2},
                new int[]{9, 9, 31, 17},
                new int[]{33, 33, 129, 65},
                new int[]{128, 1, 784, 512},     // batch 1 in a full-size workspace
                new int[]{128, 96, 784, 512},    // the ragged last batch of Fashion-MNIST (60000 = 468·128 + 96)
                new int[]{128, 128, 512, 256},
                new int[]{128, 128, 256, 106},   // heads: 2·ds + 2·K·dc + K
                new int[]{128, 77, 58, 256},     // decoder input: ds + K·dc + K
                new int[]{500, 500, 512, 784});  // an evaluation batch through dec3
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void linearForwardMatches(int[] s) {
        int cap = s[0], batch = s[1], in = s[2], out = s[3];
        for (boolean relu : new boolean[]{false, true}) {
            try (Arena arena = Arena.ofShared()) {
                Rng rng = new Rng(31L * cap + batch + in + out + (relu ? 1 : 0));
                Tensor x = gaussian(arena, "x", cap, in, 1, rng);
                Tensor w = gaussian(arena, "w", in, out, 1 / Math.sqrt(in), rng);
                Tensor b = gaussian(arena, "b", 1, out, 1, rng);
                Tensor yv = sentinel(arena, "y", cap, out), yo = sentinel(arena, "y", cap, out);
                vector.linearForward(x, w, b, yv, batch, relu);
                onednn.linearForward(x, w, b, yo, batch, relu);
                Tensor bound = Tensor.allocate(arena, "bound", cap, out);
                vector.linearForward(abs(arena, x), abs(arena, w), abs(arena, b), bound, batch, false);
                assertWithinBound(yv, yo, bound, batch, "forward relu=" + relu + " " + shape(s));
                assertRowsUntouched(yo, batch, "forward " + shape(s));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void linearBackwardDataMatches(int[] s) {
        int cap = s[0], batch = s[1], in = s[2], out = s[3];
        try (Arena arena = Arena.ofShared()) {
            Rng rng = new Rng(17L * cap + batch + in + out);
            Tensor dy = gaussian(arena, "dy", cap, out, 1, rng);
            Tensor w = gaussian(arena, "w", in, out, 1 / Math.sqrt(in), rng);
            Tensor dxv = sentinel(arena, "dx", cap, in), dxo = sentinel(arena, "dx", cap, in);
            vector.linearBackwardData(dy, w, dxv, batch);
            onednn.linearBackwardData(dy, w, dxo, batch);
            Tensor bound = Tensor.allocate(arena, "bound", cap, in);
            vector.linearBackwardData(abs(arena, dy), abs(arena, w), bound, batch);
            assertWithinBound(dxv, dxo, bound, batch, "backward data " + shape(s));
            assertRowsUntouched(dxo, batch, "backward data " + shape(s));
        }
    }

    /** Two calls on non-zero starting gradients: both must add, not overwrite. */
    @ParameterizedTest
    @MethodSource("shapes")
    void linearBackwardWeightsAccumulates(int[] s) {
        int cap = s[0], batch = s[1], in = s[2], out = s[3];
        try (Arena arena = Arena.ofShared()) {
            Rng rng = new Rng(23L * cap + batch + in + out);
            Tensor x = gaussian(arena, "x", cap, in, 1, rng);
            Tensor dy = gaussian(arena, "dy", cap, out, 1, rng);
            Tensor dw0 = gaussian(arena, "dw0", in, out, 1, rng), db0 = gaussian(arena, "db0", 1, out, 1, rng);
            Tensor dwv = copy(arena, dw0), dbv = copy(arena, db0), dwo = copy(arena, dw0), dbo = copy(arena, db0);
            for (int call = 0; call < 2; call++) {
                vector.linearBackwardWeights(x, dy, dwv, dbv, batch);
                onednn.linearBackwardWeights(x, dy, dwo, dbo, batch);
            }
            // Bounds: |dw0| + 2·|x|ᵀ·|dy|, |db0| + 2·Σ_rows |dy|.
            Tensor dwBound = abs(arena, dw0), dbBound = abs(arena, db0);
            Tensor xa = abs(arena, x), dya = abs(arena, dy);
            for (int call = 0; call < 2; call++) vector.linearBackwardWeights(xa, dya, dwBound, dbBound, batch);
            assertWithinBound(dwv, dwo, dwBound, in, "dw " + shape(s));
            assertWithinBound(dbv, dbo, dbBound, 1, "db " + shape(s));
            // And the accumulation really happened: dw moved away from dw0 by about 2·xᵀ·dy.
            double moved = 0;
            for (long i = 0; i < dwo.size(); i++) moved = Math.max(moved, Math.abs(dwo.getFlat(i) - dw0.getFlat(i)));
            assertTrue(moved > 0, "dw unchanged");
        }
    }

    /** With accumulate = false the old gradients are written over: same result as from zero. */
    @ParameterizedTest
    @MethodSource("shapes")
    void linearBackwardWeightsOverwrites(int[] s) {
        int cap = s[0], batch = s[1], in = s[2], out = s[3];
        try (Arena arena = Arena.ofShared()) {
            Rng rng = new Rng(29L * cap + batch + in + out);
            Tensor x = gaussian(arena, "x", cap, in, 1, rng);
            Tensor dy = gaussian(arena, "dy", cap, out, 1, rng);
            Tensor dwv = gaussian(arena, "dwv", in, out, 1, rng), dbv = gaussian(arena, "dbv", 1, out, 1, rng);
            Tensor dwo = gaussian(arena, "dwo", in, out, 1, rng), dbo = gaussian(arena, "dbo", 1, out, 1, rng);
            vector.linearBackwardWeights(x, dy, dwv, dbv, batch, false);
            onednn.linearBackwardWeights(x, dy, dwo, dbo, batch, false);
            Tensor dwBound = Tensor.allocate(arena, "dwBound", in, out), dbBound = Tensor.allocate(arena, "dbBound", 1, out);
            vector.linearBackwardWeights(abs(arena, x), abs(arena, dy), dwBound, dbBound, batch, false);
            assertWithinBound(dwv, dwo, dwBound, in, "dw " + shape(s));
            assertWithinBound(dbv, dbo, dbBound, 1, "db " + shape(s));
            if (batch == 0) return;
            // From zero: the vector backend's overwrite equals its accumulation into zeroed buffers.
            Tensor dwz = Tensor.allocate(arena, "dwz", in, out), dbz = Tensor.allocate(arena, "dbz", 1, out);
            vector.linearBackwardWeights(x, dy, dwz, dbz, batch, true);
            for (long i = 0; i < dwz.size(); i++) assertTrue(dwz.getFlat(i) == dwv.getFlat(i), "dw element " + i);
            for (long i = 0; i < dbz.size(); i++) assertTrue(dbz.getFlat(i) == dbv.getFlat(i), "db element " + i);
        }
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void reluBackwardIsExact(int[] s) {
        int cap = s[0], batch = s[1], cols = s[3];
        try (Arena arena = Arena.ofShared()) {
            Rng rng = new Rng(41L * cap + batch + cols);
            Tensor y = gaussian(arena, "y", cap, cols, 1, rng);
            for (long i = 0; i < y.size(); i++) y.setFlat(i, Math.max(0f, y.getFlat(i))); // a ReLU's output: exact zeros
            Tensor dy = gaussian(arena, "dy", cap, cols, 1, rng);
            Tensor dyv = copy(arena, dy), dyo = copy(arena, dy);
            vector.reluBackward(dyv, y, batch);
            onednn.reluBackward(dyo, y, batch);
            // Exact, rows beyond the batch included; ±0 alike (oneDNN multiplies by 0 and keeps dy's sign).
            float[] v = dyv.toArray(), o = dyo.toArray();
            for (int i = 0; i < v.length; i++) {
                if (v[i] != o[i]) fail("relu backward " + shape(s) + ": element " + i + " vector " + v[i] + " onednn " + o[i]);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void sigmoidMatches(int[] s) {
        int cap = s[0], batch = s[1], cols = s[2];
        try (Arena arena = Arena.ofShared()) {
            Rng rng = new Rng(43L * cap + batch + cols);
            Tensor in = gaussian(arena, "in", cap, cols, 6, rng);  // well into both tails
            Tensor ov = sentinel(arena, "out", cap, cols), oo = sentinel(arena, "out", cap, cols);
            vector.sigmoid(in, ov, batch);
            onednn.sigmoid(in, oo, batch);
            double worst = 0;
            for (long i = 0; i < (long) batch * cols; i++) worst = Math.max(worst, Math.abs(ov.getFlat(i) - oo.getFlat(i)));
            System.out.printf("parity sigmoid %-33s max |Δ| = %.2e%n", shape(s), worst);
            assertTrue(worst <= SIGMOID_TOL, "sigmoid " + shape(s) + ": max |Δ| " + worst);
            assertRowsUntouched(oo, batch, "sigmoid " + shape(s));
        }
    }

    @Test
    void sigmoidInPlace() {
        try (Arena arena = Arena.ofShared()) {
            Tensor t = gaussian(arena, "t", 3, 5, 4, new Rng(5));
            Tensor expected = Tensor.allocate(arena, "e", 3, 5);
            vector.sigmoid(t, expected, 3);
            onednn.sigmoid(t, t, 3);
            for (long i = 0; i < t.size(); i++) assertEquals(expected.getFlat(i), t.getFlat(i), SIGMOID_TOL);
        }
    }

    @Test
    void primitivesAreCreatedOncePerShape() {
        try (Arena arena = Arena.ofShared(); OneDnnBackend be = (OneDnnBackend) Backends.create("onednn", 1)) {
            Rng rng = new Rng(1);
            Tensor x = gaussian(arena, "x", 8, 6, 1, rng), w = gaussian(arena, "w", 6, 4, 1, rng);
            Tensor b = gaussian(arena, "b", 1, 4, 1, rng), y = Tensor.allocate(arena, "y", 8, 4);
            for (int i = 0; i < 3; i++) be.linearForward(x, w, b, y, 8, true);
            assertEquals(1, be.primitives().size(), be.primitives().toString());
            for (int i = 0; i < 3; i++) be.linearForward(x, w, b, y, 5, true);   // the last, smaller batch
            assertEquals(2, be.primitives().size(), be.primitives().toString());
            be.linearForward(x, w, b, y, 8, false);                              // no ReLU: another primitive
            assertEquals(3, be.primitives().size());
            be.primitives().forEach(p -> System.out.println("onednn primitive " + p));
        }
    }

    @Test
    void wrongShapesAreRejectedBeforeAnyNativeCall() {
        try (Arena arena = Arena.ofShared()) {
            Tensor x = Tensor.allocate(arena, "x", 4, 6), w = Tensor.allocate(arena, "w", 5, 3);
            Tensor b = Tensor.allocate(arena, "b", 1, 3), y = Tensor.allocate(arena, "y", 4, 3);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> onednn.linearForward(x, w, b, y, 4, false));
            assertTrue(e.getMessage().startsWith("x is 4x6"), e.getMessage());
            Tensor x5 = Tensor.allocate(arena, "x", 4, 5);
            assertThrows(IllegalArgumentException.class, () -> onednn.linearForward(x5, w, b, y, 5, false));
            Tensor onHeap = new Tensor("heap", java.lang.foreign.MemorySegment.ofArray(new float[20]), 4, 5);
            e = assertThrows(IllegalArgumentException.class, () -> onednn.linearForward(onHeap, w, b, y, 4, false));
            assertEquals("heap is on the Java heap; oneDNN needs off-heap tensors", e.getMessage());
        }
    }

    @Test
    void anEmptyBatchChangesNothing() {
        try (Arena arena = Arena.ofShared()) {
            Rng rng = new Rng(9);
            Tensor x = gaussian(arena, "x", 4, 6, 1, rng), w = gaussian(arena, "w", 6, 3, 1, rng);
            Tensor dw = gaussian(arena, "dw", 6, 3, 1, rng), db = gaussian(arena, "db", 1, 3, 1, rng);
            Tensor y = sentinel(arena, "y", 4, 3);
            float[] dw0 = dw.toArray(), db0 = db.toArray();
            onednn.linearForward(x, w, db, y, 0, true);
            onednn.linearBackwardWeights(x, y, dw, db, 0);
            assertRowsUntouched(y, 0, "forward of 0 rows");
            assertArrayEquals(dw0, dw.toArray());
            assertArrayEquals(db0, db.toArray());
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------

    static void assertWithinBound(Tensor expected, Tensor actual, Tensor bound, int rows, String what) {
        long n = (long) rows * expected.cols();
        double worstRatio = 0;
        for (long i = 0; i < n; i++) {
            double d = Math.abs(expected.getFlat(i) - actual.getFlat(i));
            double allowed = GEMM_TOL * bound.getFlat(i) + Float.MIN_NORMAL;
            if (!(d <= allowed)) {
                fail(what + ": element " + i + " vector " + expected.getFlat(i) + " onednn " + actual.getFlat(i)
                        + " (|Δ| " + d + " > " + allowed + ")");
            }
            if (bound.getFlat(i) > 0) worstRatio = Math.max(worstRatio, d / bound.getFlat(i));
        }
        System.out.printf("parity %-40s max |Δ|/Σ|terms| = %.2e%n", what, worstRatio);
    }

    /** Rows at and beyond {@code batch} still hold the sentinel: nothing was written outside the batch. */
    static void assertRowsUntouched(Tensor t, int batch, String what) {
        for (long i = (long) batch * t.cols(); i < t.size(); i++) {
            assertEquals(SENTINEL, t.getFlat(i), what + ": element " + i + " beyond the batch was written");
        }
    }

    static final float SENTINEL = -12345.5f;

    static Tensor sentinel(Arena arena, String name, int rows, int cols) {
        Tensor t = Tensor.allocate(arena, name, rows, cols);
        for (long i = 0; i < t.size(); i++) t.setFlat(i, SENTINEL);
        return t;
    }

    static Tensor gaussian(Arena arena, String name, int rows, int cols, double scale, Rng rng) {
        Tensor t = Tensor.allocate(arena, name, rows, cols);
        for (long i = 0; i < t.size(); i++) t.setFlat(i, (float) (scale * rng.nextGaussian()));
        return t;
    }

    static Tensor abs(Arena arena, Tensor t) {
        Tensor a = Tensor.allocate(arena, t.name() + "|abs|", t.rows(), t.cols());
        for (long i = 0; i < t.size(); i++) a.setFlat(i, Math.abs(t.getFlat(i)));
        return a;
    }

    static Tensor copy(Arena arena, Tensor t) {
        Tensor c = Tensor.allocate(arena, t.name(), t.rows(), t.cols());
        c.copyFrom(t);
        return c;
    }

    static String shape(int[] s) {
        return "C=" + s[0] + " B=" + s[1] + " I=" + s[2] + " O=" + s[3];
    }
}
