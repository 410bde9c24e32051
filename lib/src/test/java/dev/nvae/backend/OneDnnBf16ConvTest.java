package dev.nvae.backend;

import dev.nvae.backend.onednn.ConvPrimitives;
import dev.nvae.ffm.DnnlLibrary;
import dev.nvae.kernels.Bf16Scalar;
import dev.nvae.tensor.Bf16Matrix;
import dev.nvae.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.SplittableRandom;

import static dev.nvae.backend.OneDnnConvParityTest.*;
import static dev.nvae.ffm.dnnl.dnnl_h.DNNL_ARG_DST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * oneDNN's bf16 convolutions against float32 convolutions of the vector backend on the same operands
 * rounded to bf16 (Java's round-to-nearest-even, {@link Bf16Scalar}): what a bf16 primitive reads — the
 * source, the kernel, the gradient flowing back — must be exactly that rounding, and what it writes an f32
 * sum of exact products, so the two differ only by summation order. The bound is the parity test's, times
 * the sum of the terms' magnitudes; an operand left unrounded (or rounded twice, or truncated) would be off
 * by about 2⁻⁹ of a term, a hundred times more. Every operation, both layouts, the conv N-VAE's shapes and
 * ragged ones, batches smaller than the tensors, gradients written over and accumulated, tensors in the
 * backend's own layout (NHWC). A transposed convolution's weight gradient, which OneDnnBf16Products computes in
 * f32 from the unrounded operands, is held to the f32 gradient of those. Skipped, with the
 * reason, where the CPU has no bf16 instructions.
 */
class OneDnnBf16ConvTest {
    private static final double TOL = 4e-6;

    private static Backend vector;

    @BeforeAll
    static void open() {
        assumeTrue(DnnlLibrary.isAvailable(), () -> "oneDNN unavailable: " + DnnlLibrary.unavailableReason());
        String missing = Backends.missingForBf16Training("onednn");
        assumeTrue(missing == null, () -> "no bf16 products here: " + missing);
        vector = new VectorBackend(2);
    }

    @AfterAll
    static void close() {
        if (vector != null) vector.close();
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> cases() {
        return OneDnnConvParityTest.cases();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void everyOperationIsFp32OfTheRoundedOperands(ConvPrimitives.Layout layout, ConvShape s) {
        int cap = 5, batch = 3;
        try (OneDnnBackend onednn = new OneDnnBackend(2, layout); Bf16Products bf16 = onednn.bf16Products();
             Arena arena = Arena.ofShared()) {
            assertTrue(bf16.convolves());
            SplittableRandom rnd = new SplittableRandom(s.hashCode());
            Tensor in = random(arena, "in", cap, s.inSize(), rnd), out = random(arena, "out", cap, s.outSize(), rnd);
            Tensor w = random(arena, "w", s.outChannels(), s.weightColumns(), rnd);
            Bf16Matrix w16 = bf16Copy(arena, w);
            Tensor inR = rounded(arena, in), outR = rounded(arena, out), wR = rounded(arena, w);
            Tensor bOut = random(arena, "bOut", 1, s.outChannels(), rnd), bIn = random(arena, "bIn", 1, s.inChannels(), rnd);
            Tensor inA = abs(arena, inR), outA = abs(arena, outR), wA = abs(arena, wR), bOutA = abs(arena, bOut), bInA = abs(arena, bIn);
            for (boolean relu : new boolean[]{false, true}) {
                compare("forward relu " + relu, arena, cap, s.outSize(), batch,
                        y -> vector.convForward(s, ConvLayouts.NCHW, inR, wR, bOut, y, batch, relu),
                        y -> bf16.convForward(s, ConvLayouts.NCHW, in, w, w16, bOut, y, batch, relu),
                        y -> vector.convForward(s, ConvLayouts.NCHW, inA, wA, bOutA, y, batch, false));
                compare("transposed forward relu " + relu, arena, cap, s.inSize(), batch,
                        y -> vector.convTransposeForward(s, ConvLayouts.NCHW, outR, wR, bIn, y, batch, relu),
                        y -> bf16.convTransposeForward(s, ConvLayouts.NCHW, out, w, w16, bIn, y, batch, relu),
                        y -> vector.convTransposeForward(s, ConvLayouts.NCHW, outA, wA, bInA, y, batch, false));
            }
            compare("backward data", arena, cap, s.inSize(), batch,
                    dx -> vector.convBackwardData(s, ConvLayouts.NCHW, outR, wR, dx, batch),
                    dx -> bf16.convBackwardData(s, ConvLayouts.NCHW, out, w, w16, dx, batch),
                    dx -> vector.convBackwardData(s, ConvLayouts.NCHW, outA, wA, dx, batch));
            compare("transposed backward data", arena, cap, s.outSize(), batch,
                    dx -> vector.convTransposeBackwardData(s, ConvLayouts.NCHW, inR, wR, dx, batch),
                    dx -> bf16.convTransposeBackwardData(s, ConvLayouts.NCHW, in, w, w16, dx, batch),
                    dx -> vector.convTransposeBackwardData(s, ConvLayouts.NCHW, inA, wA, dx, batch));
            for (boolean accumulate : new boolean[]{false, true}) {
                Tensor dw0 = random(arena, "dw0", s.outChannels(), s.weightColumns(), rnd);
                Tensor dbOut0 = random(arena, "db0", 1, s.outChannels(), rnd), dbIn0 = random(arena, "db0", 1, s.inChannels(), rnd);
                Tensor dwV = copy(arena, dw0), dwO = copy(arena, dw0), dwA = accumulate ? abs(arena, dw0) : copy(arena, dw0);
                Tensor dbV = copy(arena, dbOut0), dbO = copy(arena, dbOut0), dbA = accumulate ? abs(arena, dbOut0) : copy(arena, dbOut0);
                vector.convBackwardWeights(s, ConvLayouts.NCHW, F32_C ? in : inR, F32_C ? out : outR, dwV, dbV, batch, accumulate);
                bf16.convBackwardWeights(s, ConvLayouts.NCHW, in, out, dwO, dbO, batch, accumulate);
                vector.convBackwardWeights(s, ConvLayouts.NCHW, inA, outA, dwA, dbA, batch, accumulate);
                check("backward weights accumulate " + accumulate, s, layout, dwV, dwO, dwA);
                check("backward bias accumulate " + accumulate, s, layout, dbV, dbO, dbA);
                dwV = copy(arena, dw0); dwO = copy(arena, dw0); dwA = accumulate ? abs(arena, dw0) : copy(arena, dw0);
                dbV = copy(arena, dbIn0); dbO = copy(arena, dbIn0); dbA = accumulate ? abs(arena, dbIn0) : copy(arena, dbIn0);
                vector.convTransposeBackwardWeights(s, ConvLayouts.NCHW, F32_T ? out : outR, F32_T ? in : inR, dwV, dbV, batch, accumulate);
                bf16.convTransposeBackwardWeights(s, ConvLayouts.NCHW, out, in, dwO, dbO, batch, accumulate);
                vector.convTransposeBackwardWeights(s, ConvLayouts.NCHW, outA, inA, dwA, dbA, batch, accumulate);
                check("transposed backward weights accumulate " + accumulate, s, layout, dwV, dwO, dwA);
                check("transposed backward bias accumulate " + accumulate, s, layout, dbV, dbO, dbA);
            }
            // Every convolution ran on the bf16 set (none on the backend's f32 one) but the weight gradients that run on
            // the f32 set where OneDnnBf16Products says so; oneDNN's choice of implementation is printed for the record.
            assertTrue(onednn.primitives().stream().noneMatch(p -> p.contains("convolution")
                            && !(F32_T && transposedWeights(p)) && !(F32_C && convolutionWeights(p))), onednn.primitives()::toString);
            assertEquals(F32_T, onednn.primitives().stream().anyMatch(OneDnnBf16ConvTest::transposedWeights), onednn.primitives()::toString);
            assertEquals(F32_C, onednn.primitives().stream().anyMatch(OneDnnBf16ConvTest::convolutionWeights), onednn.primitives()::toString);
            List<String> made = ((OneDnnBf16Products) bf16).primitives();
            // 2 forward, 1 backward-data and 2 backward-weights (written over, accumulated) ops, each for conv and deconv:
            // 2·(2 + 1 + 2), less each kind's 2 backward-weights where they run in f32.
            assertEquals(10 - (F32_T ? 2 : 0) - (F32_C ? 2 : 0), made.size(), made::toString);
            for (String p : made) {
                assertTrue(p.startsWith("bf16 "), p);
                System.out.println("  " + p);
            }
            checkNarrowOutputs(made, s, layout, "bf16 ");
        }
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> layoutCases() {
        return OneDnnConvParityTest.layoutCases();
    }

    /** Tensors held in the backend's own layout (NHWC), as in OneDnnConvParityTest, on the bf16 primitives. */
    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("layoutCases")
    void tensorsInTheBackendsOwnLayoutAreNhwc(ConvPrimitives.Layout layout, ConvShape s, ConvLayouts io) {
        int cap = 5, batch = 3;
        int ci = s.inChannels(), h = s.inHeight(), w0 = s.inWidth(), co = s.outChannels(), oh = s.outHeight(), ow = s.outWidth();
        try (OneDnnBackend onednn = new OneDnnBackend(2, layout); Bf16Products bf16 = onednn.bf16Products();
             Arena arena = Arena.ofShared()) {
            SplittableRandom rnd = new SplittableRandom(s.hashCode() * 31L + io.hashCode());
            Tensor in = random(arena, "in", cap, s.inSize(), rnd), out = random(arena, "out", cap, s.outSize(), rnd);
            Tensor w = random(arena, "w", co, s.weightColumns(), rnd);
            Bf16Matrix w16 = bf16Copy(arena, w);
            Tensor inR = rounded(arena, in), outR = rounded(arena, out), wR = rounded(arena, w);
            Tensor bOut = random(arena, "bOut", 1, co, rnd), bIn = random(arena, "bIn", 1, ci, rnd);
            Tensor inA = abs(arena, inR), outA = abs(arena, outR), wA = abs(arena, wR), bOutA = abs(arena, bOut), bInA = abs(arena, bIn);
            Tensor convX = io.input() ? nhwc(arena, in, ci, h, w0) : in, convDy = io.output() ? nhwc(arena, out, co, oh, ow) : out;
            Tensor deconvX = io.input() ? nhwc(arena, out, co, oh, ow) : out, deconvDy = io.output() ? nhwc(arena, in, ci, h, w0) : in;
            compare("forward relu", arena, cap, s.outSize(), batch,
                    y -> vector.convForward(s, ConvLayouts.NCHW, inR, wR, bOut, y, batch, true),
                    nchw(arena, io.output(), co, oh, ow, y -> bf16.convForward(s, io, convX, w, w16, bOut, y, batch, true)),
                    y -> vector.convForward(s, ConvLayouts.NCHW, inA, wA, bOutA, y, batch, false));
            compare("backward data", arena, cap, s.inSize(), batch,
                    dx -> vector.convBackwardData(s, ConvLayouts.NCHW, outR, wR, dx, batch),
                    nchw(arena, io.input(), ci, h, w0, dx -> bf16.convBackwardData(s, io, convDy, w, w16, dx, batch)),
                    dx -> vector.convBackwardData(s, ConvLayouts.NCHW, outA, wA, dx, batch));
            compare("transposed forward relu", arena, cap, s.inSize(), batch,
                    y -> vector.convTransposeForward(s, ConvLayouts.NCHW, outR, wR, bIn, y, batch, true),
                    nchw(arena, io.output(), ci, h, w0, y -> bf16.convTransposeForward(s, io, deconvX, w, w16, bIn, y, batch, true)),
                    y -> vector.convTransposeForward(s, ConvLayouts.NCHW, outA, wA, bInA, y, batch, false));
            compare("transposed backward data", arena, cap, s.outSize(), batch,
                    dx -> vector.convTransposeBackwardData(s, ConvLayouts.NCHW, inR, wR, dx, batch),
                    nchw(arena, io.input(), co, oh, ow, dx -> bf16.convTransposeBackwardData(s, io, deconvDy, w, w16, dx, batch)),
                    dx -> vector.convTransposeBackwardData(s, ConvLayouts.NCHW, inA, wA, dx, batch));
            for (boolean accumulate : new boolean[]{false, true}) {
                Tensor dw0 = random(arena, "dw0", co, s.weightColumns(), rnd);
                Tensor db0 = random(arena, "db0", 1, co, rnd), tb0 = random(arena, "tb0", 1, ci, rnd);
                Tensor dwV = copy(arena, dw0), dwO = copy(arena, dw0), dwA = accumulate ? abs(arena, dw0) : copy(arena, dw0);
                Tensor dbV = copy(arena, db0), dbO = copy(arena, db0), dbA = accumulate ? abs(arena, db0) : copy(arena, db0);
                vector.convBackwardWeights(s, ConvLayouts.NCHW, F32_C ? in : inR, F32_C ? out : outR, dwV, dbV, batch, accumulate);
                bf16.convBackwardWeights(s, io, convX, convDy, dwO, dbO, batch, accumulate);
                vector.convBackwardWeights(s, ConvLayouts.NCHW, inA, outA, dwA, dbA, batch, accumulate);
                check("backward weights accumulate " + accumulate, s, layout, dwV, dwO, dwA);
                check("backward bias accumulate " + accumulate, s, layout, dbV, dbO, dbA);
                dwV = copy(arena, dw0); dwO = copy(arena, dw0); dwA = accumulate ? abs(arena, dw0) : copy(arena, dw0);
                Tensor tbV = copy(arena, tb0), tbO = copy(arena, tb0), tbA = accumulate ? abs(arena, tb0) : copy(arena, tb0);
                vector.convTransposeBackwardWeights(s, ConvLayouts.NCHW, F32_T ? out : outR, F32_T ? in : inR, dwV, tbV, batch, accumulate);
                bf16.convTransposeBackwardWeights(s, io, deconvX, deconvDy, dwO, tbO, batch, accumulate);
                vector.convTransposeBackwardWeights(s, ConvLayouts.NCHW, outA, inA, dwA, tbA, batch, accumulate);
                check("transposed backward weights accumulate " + accumulate, s, layout, dwV, dwO, dwA);
                check("transposed backward bias accumulate " + accumulate, s, layout, tbV, tbO, tbA);
            }
            // Both backward products in one call, dy rounded once for both where the two primitives read one layout.
            Tensor dwV = Tensor.allocate(arena, "dwV", co, s.weightColumns()), dwO = Tensor.allocate(arena, "dwO", co, s.weightColumns());
            Tensor dwA = Tensor.allocate(arena, "dwA", co, s.weightColumns());
            Tensor dbV = Tensor.allocate(arena, "dbV", 1, co), dbO = Tensor.allocate(arena, "dbO", 1, co), dbA = Tensor.allocate(arena, "dbA", 1, co);
            vector.convBackwardWeights(s, ConvLayouts.NCHW, inA, outA, dwA, dbA, batch, false);
            compare("combined backward data", arena, cap, s.inSize(), batch,
                    dx -> {
                        if (!F32_C) {
                            vector.convBackward(s, ConvLayouts.NCHW, inR, outR, wR, dwV, dbV, dx, batch);
                            return;
                        }
                        vector.convBackwardWeights(s, ConvLayouts.NCHW, in, out, dwV, dbV, batch, false);
                        vector.convBackwardData(s, ConvLayouts.NCHW, outR, wR, dx, batch);
                    },
                    nchw(arena, io.input(), ci, h, w0, dx -> bf16.convBackward(s, io, convX, convDy, w, w16, dwO, dbO, dx, batch)),
                    dx -> vector.convBackwardData(s, ConvLayouts.NCHW, outA, wA, dx, batch));
            check("combined backward weights", s, layout, dwV, dwO, dwA);
            check("combined backward bias", s, layout, dbV, dbO, dbA);
            Tensor tbV = Tensor.allocate(arena, "tbV", 1, ci), tbO = Tensor.allocate(arena, "tbO", 1, ci), tbA = Tensor.allocate(arena, "tbA", 1, ci);
            vector.convTransposeBackwardWeights(s, ConvLayouts.NCHW, outA, inA, dwA, tbA, batch, false);
            compare("combined transposed backward data", arena, cap, s.outSize(), batch,
                    dx -> {
                        if (!F32_T) {
                            vector.convTransposeBackward(s, ConvLayouts.NCHW, outR, inR, wR, dwV, tbV, dx, batch);
                            return;
                        }
                        vector.convTransposeBackwardWeights(s, ConvLayouts.NCHW, out, in, dwV, tbV, batch, false);
                        vector.convTransposeBackwardData(s, ConvLayouts.NCHW, inR, wR, dx, batch);
                    },
                    nchw(arena, io.input(), co, oh, ow, dx -> bf16.convTransposeBackward(s, io, deconvX, deconvDy, w, w16, dwO, tbO, dx, batch)),
                    dx -> vector.convTransposeBackwardData(s, ConvLayouts.NCHW, inA, wA, dx, batch));
            check("combined transposed backward weights", s, layout, dwV, dwO, dwA);
            check("combined transposed backward bias", s, layout, tbV, tbO, tbA);
            // On AMX both backward primitives read dy in NHWC bf16: rounded once, by the weight gradient's reorder. Where a
            // transposed convolution's weight gradient runs in f32 its backward-data has no bf16 partner to share with, and a
            // convolution writing one channel (ci < 16: the GEMM that NARROW_CHANNELS steers it to) reads dy its own way.
            if (CpuFeatures.has("amx_bf16") && layout != ConvPrimitives.Layout.PLAIN && !F32_C && (!F32_T || ci >= 16)) {
                List<String> data = ((OneDnnBf16Products) bf16).primitives().stream()
                        .filter(p -> p.startsWith(F32_T ? "bf16 backward-data convolution" : "bf16 backward-data")).toList();
                assertTrue(data.stream().anyMatch(p -> p.contains("read from the reorder of bf16 backward-weights")), data::toString);
            }
            if (F32_T) {
                List<String> data = ((OneDnnBf16Products) bf16).primitives().stream().filter(p -> p.startsWith("bf16 backward-data deconvolution")).toList();
                assertTrue(data.stream().noneMatch(p -> p.contains("read from the reorder")), data::toString);
            }
            if (F32_C) {
                List<String> data = ((OneDnnBf16Products) bf16).primitives().stream().filter(p -> p.startsWith("bf16 backward-data convolution")).toList();
                assertTrue(data.stream().noneMatch(p -> p.contains("read from the reorder")), data::toString);
            }
            // What the backend's layout is for: on AMX the bf16 primitives write NHWC, so a tensor held NHWC
            // is written in place, with no reorder out of the primitive's layout (where oneDNN chooses:
            // plain primitives are NCHW by construction).
            if (CpuFeatures.has("amx_bf16") && layout != ConvPrimitives.Layout.PLAIN && io.output()) {
                String dstReordered = "reordered argument " + DNNL_ARG_DST();
                List<String> forwards = ((OneDnnBf16Products) bf16).primitives().stream()
                        .filter(p -> p.startsWith("bf16 forward") && (p.contains(" convolution ") ? co : ci) >= 16).toList();
                for (String p : forwards) assertFalse(p.contains(dstReordered), p);
            }
        }
    }

    private static void compare(String what, Arena arena, int cap, int cols, int batch, Op reference, Op bf16Op, Op boundOp) {
        OneDnnConvParityTest.compare("bf16 " + what, arena, cap, cols, batch, reference, bf16Op, boundOp, TOL);
    }

    private static void check(String what, ConvShape s, ConvPrimitives.Layout layout, Tensor reference, Tensor got, Tensor bound) {
        OneDnnConvParityTest.report("bf16 " + what, s, layout, reference, got, bound, TOL);
    }

    /**
     * Whether a transposed convolution's weight gradient is computed in f32 from the unrounded operands
     * (OneDnnBf16Products#TRANSPOSED_WEIGHT_GRADIENTS_IN_FP32): its reference is then the f32 gradient of those.
     */
    private static final boolean F32_T = OneDnnBf16Products.TRANSPOSED_WEIGHT_GRADIENTS_IN_FP32;

    /** The same for a convolution's weight gradient (OneDnnBf16Products#CONV_WEIGHT_GRADIENTS_IN_FP32: without AMX). */
    private static final boolean F32_C = OneDnnBf16Products.CONV_WEIGHT_GRADIENTS_IN_FP32;

    private static boolean convolutionWeights(String primitive) {
        return primitive.startsWith("backward-weights") && primitive.contains(" convolution ");
    }

    private static boolean transposedWeights(String primitive) {
        return primitive.startsWith("backward-weights") && primitive.contains(" deconvolution ");
    }

    /** A float32 copy of t with every value rounded to bf16. */
    private static Tensor rounded(Arena arena, Tensor t) {
        Tensor r = copy(arena, t);
        for (long i = 0; i < r.size(); i++) r.setFlat(i, Bf16Scalar.widen(Bf16Scalar.round(r.getFlat(i))));
        return r;
    }

    /** The plain bf16 copy of a kernel, as Bf16Weights makes it. */
    private static Bf16Matrix bf16Copy(Arena arena, Tensor w) {
        MemorySegment seg = arena.allocate(Bf16Matrix.byteSize(w.rows(), w.cols()), 64);
        for (long i = 0; i < w.size(); i++) seg.setAtIndex(Bf16Matrix.BF16, i, Bf16Scalar.round(w.getFlat(i)));
        return new Bf16Matrix(w.name(), seg, w.rows(), w.cols(), w.cols(), 0);
    }
}
