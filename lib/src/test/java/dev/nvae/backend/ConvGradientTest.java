package dev.nvae.backend;

import dev.nvae.ffm.DnnlLibrary;
import dev.nvae.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The backward operations of convolutions and transposed convolutions against finite differences of
 * the forward ones, on every backend: for a loss L = Σ r ⊙ y with fixed random r, each gradient element
 * the backward pass gives must equal (L(θ + h) − L(θ − h)) / 2h for that element θ — inputs, weights and
 * biases. The forward passes (no ReLU) are linear, so the difference quotient is exact up to the float
 * rounding of L, and the tolerance ({@value #TOL} relative, plus a small absolute term) only covers that.
 * Also: ConvShape's sizes and the one-line errors for wrongly shaped tensors.
 */
class ConvGradientTest {
    static final double TOL = 2e-3;
    private static final float H = 0.25f;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        List<ConvShape> shapes = List.of(
                new ConvShape(1, 8, 8, 5, 4, 2, 1),
                new ConvShape(3, 7, 6, 17, 3, 2, 1),
                new ConvShape(5, 5, 7, 3, 3, 1, 2),
                new ConvShape(18, 6, 6, 2, 4, 2, 1));
        for (String backend : new String[]{"vector", "onednn"}) {
            for (ConvShape s : shapes) out.add(Arguments.of(backend, s));
        }
        return out.stream();
    }

    private static Backend open(String name) {
        if (name.equals("onednn")) {
            org.junit.jupiter.api.Assumptions.assumeTrue(DnnlLibrary.isAvailable(), "oneDNN unavailable");
            return Backends.create("onednn", 2);
        }
        return new VectorBackend(2);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void convolutionGradientsMatchFiniteDifferences(String backend, ConvShape s) {
        int batch = 2;
        try (Backend be = open(backend); Arena arena = Arena.ofShared()) {
            SplittableRandom rnd = new SplittableRandom(s.hashCode());
            Tensor x = random(arena, "x", batch, s.inSize(), rnd), w = random(arena, "w", s.outChannels(), s.weightColumns(), rnd);
            Tensor b = random(arena, "b", 1, s.outChannels(), rnd), r = random(arena, "r", batch, s.outSize(), rnd);
            Tensor y = Tensor.allocate(arena, "y", batch, s.outSize());
            Tensor dx = Tensor.allocate(arena, "dx", batch, s.inSize());
            Tensor dw = Tensor.allocate(arena, "dw", s.outChannels(), s.weightColumns()), db = Tensor.allocate(arena, "db", 1, s.outChannels());
            be.convBackwardData(s, ConvLayouts.NCHW, r, w, dx, batch);
            be.convBackwardWeights(s, ConvLayouts.NCHW, x, r, dw, db, batch, false);
            Consumer<Tensor> forward = out -> be.convForward(s, ConvLayouts.NCHW, x, w, b, out, batch, false);
            checkAgainstDifferences("dx", x, dx, y, r, forward, rnd);
            checkAgainstDifferences("dw", w, dw, y, r, forward, rnd);
            checkAgainstDifferences("db", b, db, y, r, forward, rnd);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void transposedGradientsMatchFiniteDifferences(String backend, ConvShape s) {
        int batch = 2;
        try (Backend be = open(backend); Arena arena = Arena.ofShared()) {
            SplittableRandom rnd = new SplittableRandom(s.hashCode() + 1);
            Tensor x = random(arena, "x", batch, s.outSize(), rnd), w = random(arena, "w", s.outChannels(), s.weightColumns(), rnd);
            Tensor b = random(arena, "b", 1, s.inChannels(), rnd), r = random(arena, "r", batch, s.inSize(), rnd);
            Tensor y = Tensor.allocate(arena, "y", batch, s.inSize());
            Tensor dx = Tensor.allocate(arena, "dx", batch, s.outSize());
            Tensor dw = Tensor.allocate(arena, "dw", s.outChannels(), s.weightColumns()), db = Tensor.allocate(arena, "db", 1, s.inChannels());
            be.convTransposeBackwardData(s, ConvLayouts.NCHW, r, w, dx, batch);
            be.convTransposeBackwardWeights(s, ConvLayouts.NCHW, x, r, dw, db, batch, false);
            Consumer<Tensor> forward = out -> be.convTransposeForward(s, ConvLayouts.NCHW, x, w, b, out, batch, false);
            checkAgainstDifferences("dx", x, dx, y, r, forward, rnd);
            checkAgainstDifferences("dw", w, dw, y, r, forward, rnd);
            checkAgainstDifferences("db", b, db, y, r, forward, rnd);
        }
    }

    /** Up to 24 elements of {@code param} (all when it is small): the analytic gradient against the quotient. */
    private static void checkAgainstDifferences(String what, Tensor param, Tensor grad, Tensor y, Tensor r,
                                                Consumer<Tensor> forward, SplittableRandom rnd) {
        long n = param.size();
        for (int trial = 0; trial < Math.min(24, n); trial++) {
            long i = n <= 24 ? trial : rnd.nextLong(n);
            float v = param.getFlat(i);
            float up = v + H, down = v - H;
            param.setFlat(i, up);
            forward.accept(y);
            double lUp = dot(y, r);
            param.setFlat(i, down);
            forward.accept(y);
            double lDown = dot(y, r);
            param.setFlat(i, v);
            double numeric = (lUp - lDown) / ((double) up - down);
            double analytic = grad.getFlat(i);
            assertEquals(numeric, analytic, TOL * Math.abs(numeric) + 1e-4, what + "[" + i + "]");
        }
    }

    private static double dot(Tensor a, Tensor b) {
        double s = 0;
        for (long i = 0; i < a.size(); i++) s += (double) a.getFlat(i) * b.getFlat(i);
        return s;
    }

    static Tensor random(Arena arena, String name, int rows, int cols, SplittableRandom rnd) {
        Tensor t = Tensor.allocate(arena, name, rows, cols);
        for (long i = 0; i < t.size(); i++) t.setFlat(i, (float) (rnd.nextDouble() * 2 - 1));
        return t;
    }

    @Test
    void shapesFollowPyTorch() {
        ConvShape enc = new ConvShape(1, 28, 28, 32, 4, 2, 1);
        assertEquals(14, enc.outHeight());
        assertEquals(14, enc.outWidth());
        assertEquals(32 * 14 * 14, enc.outSize());
        assertEquals(16, enc.weightColumns());
        assertEquals(new ConvShape(5, 9, 7, 17, 3, 2, 0).outHeight(), 4);  // (9 − 3)/2 + 1
        assertEquals(3, new ConvShape(5, 8, 7, 17, 3, 2, 0).outHeight());  // rounded down, as PyTorch
        // ConvTranspose2d(64, 32, 4, stride 2, padding 1) on 7x7 gives 14x14, the adjoint of 32x14x14 -> 64x7x7.
        assertEquals(new ConvShape(32, 14, 14, 64, 4, 2, 1), ConvShape.transposed(64, 7, 7, 32, 4, 2, 1));
        assertEquals(new ConvShape(1, 28, 28, 32, 4, 2, 1), ConvShape.transposed(32, 14, 14, 1, 4, 2, 1));
        assertEquals(new ConvShape(2, 9, 11, 3, 3, 2, 1), ConvShape.transposed(3, 5, 6, 2, 3, 2, 1));
    }

    @Test
    void badShapesFailWithTheirReason() {
        assertMessage("kernel must be >= 1", () -> new ConvShape(1, 4, 4, 1, 0, 1, 0));
        assertMessage("pad must be >= 0", () -> new ConvShape(1, 4, 4, 1, 3, 1, -1));
        assertMessage("pad 3 must be smaller than the kernel 3", () -> new ConvShape(1, 4, 4, 1, 3, 1, 3));
        assertMessage("smaller than the 5x5 kernel", () -> new ConvShape(1, 2, 9, 1, 5, 1, 1));
        assertMessage("inChannels must be >= 1", () -> new ConvShape(0, 4, 4, 1, 3, 1, 1));
        assertMessage("no valid output size", () -> ConvShape.transposed(1, 1, 1, 1, 2, 1, 1));
        try (Backend be = new VectorBackend(1); Arena arena = Arena.ofConfined()) {
            ConvShape s = new ConvShape(2, 5, 5, 3, 3, 1, 1);
            Tensor x = Tensor.allocate(arena, "x", 4, s.inSize()), y = Tensor.allocate(arena, "y", 4, s.outSize());
            Tensor w = Tensor.allocate(arena, "w", 3, 18), b = Tensor.allocate(arena, "b", 1, 3);
            assertMessage("w is 3x17; convolution 2x5x5 -> 3x5x5 (kernel 3, stride 1, pad 1) needs 3x18",
                    () -> be.convForward(s, ConvLayouts.NCHW, x, Tensor.allocate(arena, "w", 3, 17), b, y, 4, false));
            assertMessage("x is 4x50; convolution 2x5x5 -> 3x5x5 (kernel 3, stride 1, pad 1) needs at least 5 rows of 50 columns",
                    () -> be.convForward(s, ConvLayouts.NCHW, x, w, b, y, 5, false));
            assertMessage("x is 4x50", () -> be.convTransposeForward(s, ConvLayouts.NCHW, x, w, Tensor.allocate(arena, "b", 1, 2), y, 4, false));
            assertMessage("b is 1x3", () -> be.convTransposeForward(s, ConvLayouts.NCHW, y, w, b, x, 4, false));
        }
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
