package dev.nvae.optim;

import dev.nvae.NvaeException;
import dev.nvae.kernels.ParallelElementwise;
import dev.nvae.kernels.WorkerPool;
import dev.nvae.tensor.FlatParameters;
import dev.nvae.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The optimiser against Adam written out in double precision (Kingma & Ba with bias correction, in PyTorch's order:
 * p -= lr/(1-β1^t) · m / (√v/√(1-β2^t) + ε)); the step count as a checkpoint restores it; the finite check it
 * returns; and the parallel step with its bf16 image. The kernel it calls is tested against its scalar twin in
 * ElementwiseTest; this is the optimiser's own arithmetic — step sizes, bias corrections, the step count.
 */
class AdamTest {
    private static final double LR = 0.003, B1 = 0.9, B2 = 0.999, EPS = 1e-8;
    private static final ValueLayout.OfShort BF16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private static FlatParameters.Layout layout() {
        return new FlatParameters.Layout().add("w", 3, 7).add("b", 1, 5);  // 21 and 5 floats, each padded to 16s
    }

    @Test
    void threeStepsEqualAdamWrittenOutInDouble() {
        Random r = new Random(7);
        try (Arena arena = Arena.ofConfined()) {
            FlatParameters p = new FlatParameters(arena, layout()), g = new FlatParameters(arena, layout());
            int n = (int) layout().parameterCount();
            double[] refP = new double[n], m = new double[n], v = new double[n];
            fill(p, r, refP);
            try (Adam adam = new Adam(p, g, LR, B1, B2, EPS)) {
                for (int t = 1; t <= 3; t++) {
                    double[] grad = new double[n];
                    fill(g, r, grad);
                    assertTrue(adam.step());
                    assertEquals(t, adam.stepCount());
                    for (int i = 0; i < n; i++) {
                        m[i] = B1 * m[i] + (1 - B1) * grad[i];
                        v[i] = B2 * v[i] + (1 - B2) * grad[i] * grad[i];
                        refP[i] -= LR / (1 - Math.pow(B1, t)) * m[i] / (Math.sqrt(v[i]) / Math.sqrt(1 - Math.pow(B2, t)) + EPS);
                    }
                    double[] got = values(p);
                    for (int i = 0; i < n; i++) assertEquals(refP[i], got[i], 1e-6 * Math.max(1, Math.abs(refP[i])), "step " + t + ", value " + i);
                    double[] gotM = values(adam.firstMoment()), gotV = values(adam.secondMoment());
                    for (int i = 0; i < n; i++) {
                        assertEquals(m[i], gotM[i], 1e-6, "m, step " + t);  // float sums of gradients in [-1, 1)
                        // 1 - β2 in float is 0.999f's complement, 1.3e-5 relative from the double's (as in PyTorch at float32)
                        assertEquals(v[i], gotV[i], 1e-4 * Math.abs(v[i]) + 1e-15, "v, step " + t);
                    }
                }
            }
            assertPaddingZero(p);
        }
    }

    /** A resumed run restores the moments and the step count; its next step is the uninterrupted run's, bit for bit. */
    @Test
    void aRestoredStepCountAndMomentsGiveTheUninterruptedStep() {
        try (Arena arena = Arena.ofConfined()) {
            FlatParameters p = new FlatParameters(arena, layout()), g = new FlatParameters(arena, layout());
            FlatParameters q = new FlatParameters(arena, layout());
            Random r = new Random(11);
            fill(p, r, null);
            try (Adam whole = new Adam(p, g, LR); Adam resumed = new Adam(q, g, LR)) {
                for (int t = 0; t < 2; t++) {
                    fill(g, r, null);
                    whole.step();
                }
                MemorySegment.copy(p.flat(), 0, q.flat(), 0, p.flat().byteSize());
                MemorySegment.copy(whole.firstMoment().flat(), 0, resumed.firstMoment().flat(), 0, p.flat().byteSize());
                MemorySegment.copy(whole.secondMoment().flat(), 0, resumed.secondMoment().flat(), 0, p.flat().byteSize());
                resumed.setStepCount(whole.stepCount());
                fill(g, r, null);
                whole.step();
                resumed.step();
                assertArrayEquals(values(p), values(q), "the third step's bias corrections are those of step 3, not of step 1");
            }
        }
    }

    @Test
    void aNonFiniteGradientIsReported() {
        try (Arena arena = Arena.ofConfined()) {
            FlatParameters p = new FlatParameters(arena, layout()), g = new FlatParameters(arena, layout());
            fill(p, new Random(3), null);
            fill(g, new Random(4), null);
            try (Adam adam = new Adam(p, g, LR)) {
                assertTrue(adam.step());
                g.get("b").setFlat(4, Float.NaN);
                assertFalse(adam.step(), "a NaN gradient");
                fill(g, new Random(5), null);
                g.get("w").setFlat(0, Float.POSITIVE_INFINITY);
                assertFalse(adam.step(), "an infinite gradient");
            }
        }
    }

    /** Split over threads it is the same update, and the bf16 image holds each new parameter rounded to nearest even. */
    @Test
    void theParallelStepIsTheSameUpdateAndWritesTheBf16Image() {
        try (Arena arena = Arena.ofShared(); WorkerPool pool = new WorkerPool(2)) {  // shared: the pool's threads write
            FlatParameters p = new FlatParameters(arena, layout()), q = new FlatParameters(arena, layout());
            FlatParameters g = new FlatParameters(arena, layout());
            MemorySegment image = arena.allocate(layout().totalFloats() * Short.BYTES, 64);
            fill(p, new Random(9), null);
            MemorySegment.copy(p.flat(), 0, q.flat(), 0, p.flat().byteSize());
            ParallelElementwise parallel = new ParallelElementwise(pool);
            try (Adam one = new Adam(p, g, LR); Adam split = new Adam(q, g, LR)) {
                Random r = new Random(10);
                for (int t = 0; t < 3; t++) {
                    fill(g, r, null);
                    assertTrue(one.step());
                    assertTrue(split.step(parallel, image));
                    assertArrayEquals(values(p), values(q), "step " + t);
                }
            }
            for (FlatParameters.Layout.Entry e : layout().entries()) {
                for (long i = 0; i < e.size(); i++) {
                    float x = q.flat().getAtIndex(ValueLayout.JAVA_FLOAT, e.offsetFloats() + i);
                    assertEquals(roundToBf16(x), image.getAtIndex(BF16, e.offsetFloats() + i), e.name() + "[" + i + "] = " + x);
                }
            }
        }
    }

    @Test
    void aLearningRateThatIsNotPositiveIsRefused() {
        try (Arena arena = Arena.ofConfined()) {
            FlatParameters p = new FlatParameters(arena, layout()), g = new FlatParameters(arena, layout());
            assertEquals("--lr 0.0 must be a positive number", assertThrows(NvaeException.class, () -> new Adam(p, g, 0)).getMessage());
            assertThrows(NvaeException.class, () -> new Adam(p, g, Double.NaN));
            assertThrows(NvaeException.class, () -> new Adam(p, g, Double.POSITIVE_INFINITY));
        }
    }

    /** bf16 by round-to-nearest-even on the float's bits, written out here rather than taken from the kernels. */
    private static short roundToBf16(float x) {
        int bits = Float.floatToRawIntBits(x);
        return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
    }

    /** Fills every tensor with values in [-1, 1) (the padding stays zero), recording them in {@code into} when given. */
    private static void fill(FlatParameters f, Random r, double[] into) {
        int k = 0;
        for (Tensor t : f.tensors().values()) {
            for (long i = 0; i < t.size(); i++) {
                float x = (float) (2 * r.nextDouble() - 1);
                t.setFlat(i, x);
                if (into != null) into[k] = x;
                k++;
            }
        }
    }

    private static double[] values(FlatParameters f) {
        double[] out = new double[(int) f.layout().parameterCount()];
        int k = 0;
        for (Tensor t : f.tensors().values()) for (long i = 0; i < t.size(); i++) out[k++] = t.getFlat(i);
        return out;
    }

    private static void assertPaddingZero(FlatParameters f) {
        long used = 0;
        for (FlatParameters.Layout.Entry e : f.layout().entries()) {
            for (long i = e.offsetFloats() + e.size(); i < (e.offsetFloats() + e.size() + 15) / 16 * 16; i++) {
                assertEquals(0f, f.flat().getAtIndex(ValueLayout.JAVA_FLOAT, i), e.name() + " padding " + i);
            }
            used += e.size();
        }
        assertEquals(f.layout().parameterCount(), used);
    }
}
