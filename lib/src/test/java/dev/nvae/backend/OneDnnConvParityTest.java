package dev.nvae.backend;

import dev.nvae.backend.onednn.ConvPrimitives;
import dev.nvae.ffm.DnnlLibrary;
import dev.nvae.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every convolution operation of the onednn backend against the vector backend, in every layout oneDNN
 * can run them in (the tensors' own, its blocked ones and channels-last, with reorders where they differ), and
 * with tensors held in the backend's own layout (NHWC), at the conv N-VAE's shapes and
 * ragged ones, with batches smaller than the tensors (rows past the batch must stay untouched) and
 * gradients both written over and accumulated.
 *
 * <p>Tolerance: as for the matmuls ({@link OneDnnParityTest}), each result may differ by float rounding
 * proportional to the sum of its terms' magnitudes — computed with the vector backend on absolute values
 * — and the bound is {@value #TOL} times that, elementwise: the two sum in different orders (oneDNN
 * splits reductions over channels and pixels differently), but a wrong index, flipped kernel or missing
 * accumulation is off by the order of the terms themselves. The largest ratio is printed per case.
 */
class OneDnnConvParityTest {
    static final double TOL = 2e-6;

    private static Backend vector;

    @BeforeAll
    static void open() {
        assumeTrue(DnnlLibrary.isAvailable(), () -> "oneDNN unavailable: " + DnnlLibrary.unavailableReason());
        vector = new VectorBackend(2);
    }

    @AfterAll
    static void close() {
        if (vector != null) vector.close();
    }

    static Stream<Arguments> cases() {
        List<ConvShape> shapes = List.of(
                new ConvShape(1, 28, 28, 32, 4, 2, 1),
                new ConvShape(32, 14, 14, 64, 4, 2, 1),
                new ConvShape(3, 9, 7, 17, 3, 2, 0),   // rounded-down output: a right padding of -1
                new ConvShape(5, 6, 6, 3, 3, 1, 1),
                new ConvShape(20, 5, 8, 33, 4, 2, 2));
        List<Arguments> out = new ArrayList<>();
        for (ConvPrimitives.Layout layout : ConvPrimitives.Layout.values()) {
            for (ConvShape s : shapes) out.add(Arguments.of(layout, s));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void everyOperationMatchesTheVectorBackend(ConvPrimitives.Layout layout, ConvShape s) {
        int cap = 5, batch = 3;
        try (Backend onednn = new OneDnnBackend(2, layout); Arena arena = Arena.ofShared()) {
            SplittableRandom rnd = new SplittableRandom(s.hashCode());
            Tensor in = random(arena, "in", cap, s.inSize(), rnd), out = random(arena, "out", cap, s.outSize(), rnd);
            Tensor w = random(arena, "w", s.outChannels(), s.weightColumns(), rnd);
            Tensor bOut = random(arena, "bOut", 1, s.outChannels(), rnd), bIn = random(arena, "bIn", 1, s.inChannels(), rnd);
            Tensor inA = abs(arena, in), outA = abs(arena, out), wA = abs(arena, w), bOutA = abs(arena, bOut), bInA = abs(arena, bIn);
            for (boolean relu : new boolean[]{false, true}) {
                compare("forward relu " + relu, arena, cap, s.outSize(), batch,
                        y -> vector.convForward(s, ConvLayouts.NCHW, in, w, bOut, y, batch, relu),
                        y -> onednn.convForward(s, ConvLayouts.NCHW, in, w, bOut, y, batch, relu),
                        y -> vector.convForward(s, ConvLayouts.NCHW, inA, wA, bOutA, y, batch, false));
                compare("transposed forward relu " + relu, arena, cap, s.inSize(), batch,
                        y -> vector.convTransposeForward(s, ConvLayouts.NCHW, out, w, bIn, y, batch, relu),
                        y -> onednn.convTransposeForward(s, ConvLayouts.NCHW, out, w, bIn, y, batch, relu),
                        y -> vector.convTransposeForward(s, ConvLayouts.NCHW, outA, wA, bInA, y, batch, false));
            }
            compare("backward data", arena, cap, s.inSize(), batch,
                    dx -> vector.convBackwardData(s, ConvLayouts.NCHW, out, w, dx, batch),
                    dx -> onednn.convBackwardData(s, ConvLayouts.NCHW, out, w, dx, batch),
                    dx -> vector.convBackwardData(s, ConvLayouts.NCHW, outA, wA, dx, batch));
            compare("transposed backward data", arena, cap, s.outSize(), batch,
                    dx -> vector.convTransposeBackwardData(s, ConvLayouts.NCHW, in, w, dx, batch),
                    dx -> onednn.convTransposeBackwardData(s, ConvLayouts.NCHW, in, w, dx, batch),
                    dx -> vector.convTransposeBackwardData(s, ConvLayouts.NCHW, inA, wA, dx, batch));
            for (boolean accumulate : new boolean[]{false, true}) {
                Tensor dw0 = random(arena, "dw0", s.outChannels(), s.weightColumns(), rnd);
                Tensor dbOut0 = random(arena, "db0", 1, s.outChannels(), rnd), dbIn0 = random(arena, "db0", 1, s.inChannels(), rnd);
                Tensor dwV = copy(arena, dw0), dwO = copy(arena, dw0), dwA = accumulate ? abs(arena, dw0) : copy(arena, dw0);
                Tensor dbV = copy(arena, dbOut0), dbO = copy(arena, dbOut0), dbA = accumulate ? abs(arena, dbOut0) : copy(arena, dbOut0);
                vector.convBackwardWeights(s, ConvLayouts.NCHW, in, out, dwV, dbV, batch, accumulate);
                onednn.convBackwardWeights(s, ConvLayouts.NCHW, in, out, dwO, dbO, batch, accumulate);
                vector.convBackwardWeights(s, ConvLayouts.NCHW, inA, outA, dwA, dbA, batch, accumulate);
                report("backward weights accumulate " + accumulate, s, layout, dwV, dwO, dwA, s.outChannels());
                report("backward bias accumulate " + accumulate, s, layout, dbV, dbO, dbA, 1);
                dwV = copy(arena, dw0); dwO = copy(arena, dw0); dwA = accumulate ? abs(arena, dw0) : copy(arena, dw0);
                dbV = copy(arena, dbIn0); dbO = copy(arena, dbIn0); dbA = accumulate ? abs(arena, dbIn0) : copy(arena, dbIn0);
                vector.convTransposeBackwardWeights(s, ConvLayouts.NCHW, out, in, dwV, dbV, batch, accumulate);
                onednn.convTransposeBackwardWeights(s, ConvLayouts.NCHW, out, in, dwO, dbO, batch, accumulate);
                vector.convTransposeBackwardWeights(s, ConvLayouts.NCHW, outA, inA, dwA, dbA, batch, accumulate);
                report("transposed backward weights accumulate " + accumulate, s, layout, dwV, dwO, dwA, s.outChannels());
                report("transposed backward bias accumulate " + accumulate, s, layout, dbV, dbO, dbA, 1);
            }
            checkNarrowOutputs(((OneDnnBackend) onednn).primitives(), s, layout, "");
        }
    }

    static Stream<Arguments> layoutCases() {
        List<ConvShape> shapes = List.of(
                new ConvShape(32, 14, 14, 64, 4, 2, 1),
                new ConvShape(1, 28, 28, 32, 4, 2, 1),
                new ConvShape(20, 5, 8, 33, 4, 2, 2));
        List<Arguments> out = new ArrayList<>();
        for (ConvPrimitives.Layout layout : ConvPrimitives.Layout.values()) {
            for (ConvShape s : shapes) {
                for (ConvLayouts io : List.of(new ConvLayouts(true, false), new ConvLayouts(false, true), new ConvLayouts(true, true))) {
                    out.add(Arguments.of(layout, s, io));
                }
            }
        }
        return out.stream();
    }

    /**
     * A tensor that {@link ConvLayouts} puts in the backend's own layout is NHWC on oneDNN: every operation
     * of both layers, given such tensors (each row an example's NHWC permutation of the NCHW one) and
     * writing such tensors, computes what the vector backend computes on NCHW, in every primitive layout.
     */
    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("layoutCases")
    void tensorsInTheBackendsOwnLayoutAreNhwc(ConvPrimitives.Layout layout, ConvShape s, ConvLayouts io) {
        int cap = 5, batch = 3;
        int ci = s.inChannels(), h = s.inHeight(), w0 = s.inWidth(), co = s.outChannels(), oh = s.outHeight(), ow = s.outWidth();
        try (Backend onednn = new OneDnnBackend(2, layout); Arena arena = Arena.ofShared()) {
            assertEquals("NHWC", onednn.convActivationLayout());
            SplittableRandom rnd = new SplittableRandom(s.hashCode() * 31L + io.hashCode());
            Tensor in = random(arena, "in", cap, s.inSize(), rnd), out = random(arena, "out", cap, s.outSize(), rnd);
            Tensor w = random(arena, "w", s.outChannels(), s.weightColumns(), rnd);
            Tensor bOut = random(arena, "bOut", 1, co, rnd), bIn = random(arena, "bIn", 1, ci, rnd);
            Tensor inA = abs(arena, in), outA = abs(arena, out), wA = abs(arena, w), bOutA = abs(arena, bOut), bInA = abs(arena, bIn);
            // The convolution's input is the shape's input side; the deconvolution's is its output side.
            Tensor convX = io.input() ? nhwc(arena, in, ci, h, w0) : in, convDy = io.output() ? nhwc(arena, out, co, oh, ow) : out;
            Tensor deconvX = io.input() ? nhwc(arena, out, co, oh, ow) : out, deconvDy = io.output() ? nhwc(arena, in, ci, h, w0) : in;
            compare("forward relu", arena, cap, s.outSize(), batch,
                    y -> vector.convForward(s, ConvLayouts.NCHW, in, w, bOut, y, batch, true),
                    nchw(arena, io.output(), co, oh, ow, y -> onednn.convForward(s, io, convX, w, bOut, y, batch, true)),
                    y -> vector.convForward(s, ConvLayouts.NCHW, inA, wA, bOutA, y, batch, false));
            compare("backward data", arena, cap, s.inSize(), batch,
                    dx -> vector.convBackwardData(s, ConvLayouts.NCHW, out, w, dx, batch),
                    nchw(arena, io.input(), ci, h, w0, dx -> onednn.convBackwardData(s, io, convDy, w, dx, batch)),
                    dx -> vector.convBackwardData(s, ConvLayouts.NCHW, outA, wA, dx, batch));
            compare("transposed forward relu", arena, cap, s.inSize(), batch,
                    y -> vector.convTransposeForward(s, ConvLayouts.NCHW, out, w, bIn, y, batch, true),
                    nchw(arena, io.output(), ci, h, w0, y -> onednn.convTransposeForward(s, io, deconvX, w, bIn, y, batch, true)),
                    y -> vector.convTransposeForward(s, ConvLayouts.NCHW, outA, wA, bInA, y, batch, false));
            compare("transposed backward data", arena, cap, s.outSize(), batch,
                    dx -> vector.convTransposeBackwardData(s, ConvLayouts.NCHW, in, w, dx, batch),
                    nchw(arena, io.input(), co, oh, ow, dx -> onednn.convTransposeBackwardData(s, io, deconvDy, w, dx, batch)),
                    dx -> vector.convTransposeBackwardData(s, ConvLayouts.NCHW, inA, wA, dx, batch));
            for (boolean accumulate : new boolean[]{false, true}) {
                Tensor dw0 = random(arena, "dw0", co, s.weightColumns(), rnd);
                Tensor db0 = random(arena, "db0", 1, co, rnd), tb0 = random(arena, "tb0", 1, ci, rnd);
                Tensor dwV = copy(arena, dw0), dwO = copy(arena, dw0), dwA = accumulate ? abs(arena, dw0) : copy(arena, dw0);
                Tensor dbV = copy(arena, db0), dbO = copy(arena, db0), dbA = accumulate ? abs(arena, db0) : copy(arena, db0);
                vector.convBackwardWeights(s, ConvLayouts.NCHW, in, out, dwV, dbV, batch, accumulate);
                onednn.convBackwardWeights(s, io, convX, convDy, dwO, dbO, batch, accumulate);
                vector.convBackwardWeights(s, ConvLayouts.NCHW, inA, outA, dwA, dbA, batch, accumulate);
                report("backward weights accumulate " + accumulate, s, layout, dwV, dwO, dwA, TOL);
                report("backward bias accumulate " + accumulate, s, layout, dbV, dbO, dbA, TOL);
                dwV = copy(arena, dw0); dwO = copy(arena, dw0); dwA = accumulate ? abs(arena, dw0) : copy(arena, dw0);
                Tensor tbV = copy(arena, tb0), tbO = copy(arena, tb0), tbA = accumulate ? abs(arena, tb0) : copy(arena, tb0);
                vector.convTransposeBackwardWeights(s, ConvLayouts.NCHW, out, in, dwV, tbV, batch, accumulate);
                onednn.convTransposeBackwardWeights(s, io, deconvX, deconvDy, dwO, tbO, batch, accumulate);
                vector.convTransposeBackwardWeights(s, ConvLayouts.NCHW, outA, inA, dwA, tbA, batch, accumulate);
                report("transposed backward weights accumulate " + accumulate, s, layout, dwV, dwO, dwA, TOL);
                report("transposed backward bias accumulate " + accumulate, s, layout, tbV, tbO, tbA, TOL);
            }
            // Both backward products in one call, dy prepared once for both: twice, with another dy the second time
            // (the shared buffer must be filled again), then backward-data alone, which now fills that buffer itself.
            for (int round = 0; round < 2; round++) {
                Tensor out2 = round == 0 ? out : random(arena, "out2", cap, s.outSize(), rnd), in2 = round == 0 ? in : random(arena, "in2", cap, s.inSize(), rnd);
                Tensor convDy2 = io.output() ? nhwc(arena, out2, co, oh, ow) : out2, deconvDy2 = io.output() ? nhwc(arena, in2, ci, h, w0) : in2;
                Tensor dwV = Tensor.allocate(arena, "dwV", co, s.weightColumns()), dwO = Tensor.allocate(arena, "dwO", co, s.weightColumns());
                Tensor dbV = Tensor.allocate(arena, "dbV", 1, co), dbO = Tensor.allocate(arena, "dbO", 1, co);
                Tensor dwA = Tensor.allocate(arena, "dwA", co, s.weightColumns()), dbA = Tensor.allocate(arena, "dbA", 1, co);
                Tensor out2A = abs(arena, out2), in2A = abs(arena, in2);
                vector.convBackwardWeights(s, ConvLayouts.NCHW, inA, out2A, dwA, dbA, batch, false);
                compare("combined backward data " + round, arena, cap, s.inSize(), batch,
                        dx -> vector.convBackward(s, ConvLayouts.NCHW, in, out2, w, dwV, dbV, dx, batch),
                        nchw(arena, io.input(), ci, h, w0, dx -> onednn.convBackward(s, io, convX, convDy2, w, dwO, dbO, dx, batch)),
                        dx -> vector.convBackwardData(s, ConvLayouts.NCHW, out2A, wA, dx, batch));
                report("combined backward weights " + round, s, layout, dwV, dwO, dwA, TOL);
                report("combined backward bias " + round, s, layout, dbV, dbO, dbA, TOL);
                Tensor tbV = Tensor.allocate(arena, "tbV", 1, ci), tbO = Tensor.allocate(arena, "tbO", 1, ci), tbA = Tensor.allocate(arena, "tbA", 1, ci);
                vector.convTransposeBackwardWeights(s, ConvLayouts.NCHW, outA, in2A, dwA, tbA, batch, false);
                compare("combined transposed backward data " + round, arena, cap, s.outSize(), batch,
                        dx -> vector.convTransposeBackward(s, ConvLayouts.NCHW, out, in2, w, dwV, tbV, dx, batch),
                        nchw(arena, io.input(), co, oh, ow, dx -> onednn.convTransposeBackward(s, io, deconvX, deconvDy2, w, dwO, tbO, dx, batch)),
                        dx -> vector.convTransposeBackwardData(s, ConvLayouts.NCHW, in2A, wA, dx, batch));
                report("combined transposed backward weights " + round, s, layout, dwV, dwO, dwA, TOL);
                report("combined transposed backward bias " + round, s, layout, tbV, tbO, tbA, TOL);
            }
            compare("backward data after sharing", arena, cap, s.inSize(), batch,
                    dx -> vector.convBackwardData(s, ConvLayouts.NCHW, out, w, dx, batch),
                    nchw(arena, io.input(), ci, h, w0, dx -> onednn.convBackwardData(s, io, convDy, w, dx, batch)),
                    dx -> vector.convBackwardData(s, ConvLayouts.NCHW, outA, wA, dx, batch));
        }
    }

    /** Each row of {@code t}, an example (c, h, w) in NCHW, permuted to NHWC. */
    static Tensor nhwc(Arena arena, Tensor t, int c, int h, int w) {
        Tensor r = Tensor.allocate(arena, t.name() + ".nhwc", t.rows(), t.cols());
        for (int row = 0; row < t.rows(); row++) {
            for (int ch = 0; ch < c; ch++) {
                for (int p = 0; p < h * w; p++) r.set(row, p * c + ch, t.get(row, ch * h * w + p));
            }
        }
        return r;
    }

    /** An operation writing NHWC rows when {@code nhwc}, read back into NCHW rows; else the operation itself. */
    static Op nchw(Arena arena, boolean nhwc, int c, int h, int w, Op op) {
        if (!nhwc) return op;
        return out -> {
            Tensor t = copy(arena, out);   // the sentinel: rows past the batch must stay NaN
            op.run(t);
            for (int row = 0; row < t.rows(); row++) {
                for (int ch = 0; ch < c; ch++) {
                    for (int p = 0; p < h * w; p++) out.set(row, ch * h * w + p, t.get(row, p * c + ch));
                }
            }
        };
    }

    /**
     * In the blocked layout, a primitive that writes the conv's input side — the deconvolution's forward,
     * the convolution's backward-data — takes the weights in their own layout when that side has fewer
     * than 16 channels (blocked weights pad it to 16 and multiply the padding: ConvPrimitives'
     * NARROW_CHANNELS), and blocked ones otherwise. Read from the cached primitives' descriptions, which
     * name each reordered argument.
     */
    static void checkNarrowOutputs(List<String> primitives, ConvShape s, ConvPrimitives.Layout layout, String prefix) {
        String weightsReordered = "reordered argument " + dev.nvae.ffm.dnnl.dnnl_h.DNNL_ARG_WEIGHTS();
        int seen = 0;
        for (String p : primitives) {
            boolean writesInputSide = p.startsWith(prefix + "forward") && p.contains("deconvolution")
                    || p.startsWith(prefix + "backward-data") && p.contains(" convolution ");
            if (!writesInputSide) continue;
            seen++;
            if (s.inChannels() < 16) assertFalse(p.contains(weightsReordered), "a narrow output's weights were reordered: " + p);
            else if (layout == ConvPrimitives.Layout.BLOCKED) assertTrue(p.contains(weightsReordered), "a wide output's weights were not blocked: " + p);
        }
        assertEquals(3, seen, primitives::toString);  // forward with and without ReLU, backward-data
    }

    interface Op {
        void run(Tensor out);
    }

    private static void compare(String what, Arena arena, int cap, int cols, int batch, Op vectorOp, Op onednnOp, Op boundOp) {
        compare(what, arena, cap, cols, batch, vectorOp, onednnOp, boundOp, TOL);
    }

    /**
     * Runs the reference, the operation under test and the bound (the reference on absolute values) into
     * NaN-filled tensors of {@code cap} rows; the rows of the batch must agree within {@code tol} times the
     * bound, the rows past it stay NaN.
     */
    static void compare(String what, Arena arena, int cap, int cols, int batch, Op vectorOp, Op onednnOp, Op boundOp, double tol) {
        Tensor v = sentinel(arena, cap, cols), o = sentinel(arena, cap, cols), bound = sentinel(arena, cap, cols);
        vectorOp.run(v);
        onednnOp.run(o);
        boundOp.run(bound);
        double worst = 0;
        for (long i = 0; i < (long) cap * cols; i++) {
            float a = v.getFlat(i), b = o.getFlat(i);
            if (i >= (long) batch * cols) {
                assertTrue(Float.isNaN(b), what + ": row past the batch written at " + i);
                continue;
            }
            double err = Math.abs(a - b), limit = tol * bound.getFlat(i) + 1e-30;
            worst = Math.max(worst, err / (bound.getFlat(i) + 1e-30));
            assertTrue(err <= limit, what + ": element " + i + " reference " + a + " tested " + b + " bound " + limit);
        }
        System.out.printf("conv %-40s max |Δ|/Σ|terms| = %.2e%n", what, worst);
    }

    private static void report(String what, ConvShape s, ConvPrimitives.Layout layout, Tensor v, Tensor o, Tensor bound, int rows) {
        report(what, s, layout, v, o, bound, TOL);
    }

    /** A whole tensor (a weight or bias gradient) against the reference within {@code tol} times the bound. */
    static void report(String what, ConvShape s, ConvPrimitives.Layout layout, Tensor v, Tensor o, Tensor bound, double tol) {
        double worst = 0;
        for (long i = 0; i < v.size(); i++) {
            double err = Math.abs(v.getFlat(i) - o.getFlat(i)), limit = tol * bound.getFlat(i) + 1e-30;
            worst = Math.max(worst, err / (bound.getFlat(i) + 1e-30));
            assertTrue(err <= limit, what + " " + s + " " + layout + ": element " + i + " reference " + v.getFlat(i)
                    + " tested " + o.getFlat(i));
        }
        System.out.printf("conv %-40s max |Δ|/Σ|terms| = %.2e%n", what, worst);
    }

    static Tensor random(Arena arena, String name, int rows, int cols, SplittableRandom rnd) {
        Tensor t = Tensor.allocate(arena, name, rows, cols);
        for (long i = 0; i < t.size(); i++) t.setFlat(i, (float) (rnd.nextDouble() * 2 - 1));
        return t;
    }

    static Tensor sentinel(Arena arena, int rows, int cols) {
        Tensor t = Tensor.allocate(arena, "out", rows, cols);
        for (long i = 0; i < t.size(); i++) t.setFlat(i, Float.NaN);
        return t;
    }

    static Tensor copy(Arena arena, Tensor from) {
        Tensor t = Tensor.allocate(arena, from.name(), from.rows(), from.cols());
        t.copyFrom(from);
        return t;
    }

    static Tensor abs(Arena arena, Tensor from) {
        Tensor t = copy(arena, from);
        for (long i = 0; i < t.size(); i++) t.setFlat(i, Math.abs(t.getFlat(i)));
        return t;
    }
}
