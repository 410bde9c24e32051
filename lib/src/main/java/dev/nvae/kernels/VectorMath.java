package dev.nvae.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * exp, log1p and a lane sum built from adds, multiplies, divides, FMAs, lane reads and bit moves only.
 * The Vector API's own EXP and LOG1P are SVML calls once C2 compiles a loop but Java fallbacks before
 * that, and its float {@code reduceLanes(ADD)} may add lanes in another order once compiled; the results
 * differ in the last bits — which would make training, and the losses a model file records, depend on
 * JIT timing. These operations round identically in every tier, and each scalar method is the
 * bit-identical twin of its vector method.
 *
 * <p>exp is Cephes expf: n = round(x·log2 e), r = x − n·ln 2 (in two parts), exp(r) by a degree-6
 * polynomial, scaled by 2^n assembled in the exponent bits. Relative error about 1e-7 over the clamped range.
 */
public final class VectorMath {
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    private static final float MAX_X = 88.3762626647949f, MIN_X = -87.3365447505531f;
    /** 1.5·2²³: adding it rounds to an integer and leaves that integer in the low mantissa bits. */
    private static final float ROUNDER = 12582912f;
    private static final int ROUNDER_BITS = 0x4B400000;
    private static final float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f,
            P3 = 4.1665795894e-2f, P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;

    private VectorMath() {
    }

    public static FloatVector exp(FloatVector x) {
        VectorSpecies<Float> s = x.species();
        x = x.max(MIN_X).min(MAX_X);
        FloatVector t = x.mul(LOG2E).add(ROUNDER);
        FloatVector n = t.sub(ROUNDER);
        FloatVector r = n.fma(FloatVector.broadcast(s, -LN2_HI), x);
        r = n.fma(FloatVector.broadcast(s, -LN2_LO), r);
        FloatVector p = r.fma(FloatVector.broadcast(s, P0), FloatVector.broadcast(s, P1));
        p = p.fma(r, FloatVector.broadcast(s, P2));
        p = p.fma(r, FloatVector.broadcast(s, P3));
        p = p.fma(r, FloatVector.broadcast(s, P4));
        p = p.fma(r, FloatVector.broadcast(s, P5));
        p = p.fma(r.mul(r), r).add(1f);
        IntVector bits = (IntVector) t.reinterpretAsInts();
        FloatVector scale = bits.sub(ROUNDER_BITS - 127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(scale);
    }

    public static float exp(float x) {
        x = Math.min(Math.max(x, MIN_X), MAX_X);
        float t = x * LOG2E + ROUNDER;
        float n = t - ROUNDER;
        float r = Math.fma(n, -LN2_HI, x);
        r = Math.fma(n, -LN2_LO, r);
        float p = Math.fma(r, P0, P1);
        p = Math.fma(p, r, P2);
        p = Math.fma(p, r, P3);
        p = Math.fma(p, r, P4);
        p = Math.fma(p, r, P5);
        p = Math.fma(p, r * r, r) + 1f;
        float scale = Float.intBitsToFloat((Float.floatToRawIntBits(t) - (ROUNDER_BITS - 127)) << 23);
        return p * scale;
    }

    /** 1/3, 1/5, …, 1/15: the odd-power series of atanh. */
    private static final float A3 = 1f / 3, A5 = 1f / 5, A7 = 1f / 7, A9 = 1f / 9, A11 = 1f / 11, A13 = 1f / 13, A15 = 1f / 15;

    /**
     * log(1 + x) for x in [0, 1] (the softplus term log1p(exp(−|l|))), as 2·atanh(s) with s = x / (2 + x):
     * s ≤ 1/3, so the series to s¹⁵ leaves a truncation error under 3e-9 relative; s is formed from x
     * itself, not from a rounded 1 + x, so tiny x keep their digits. Within 2 ulp of Math.log1p.
     */
    public static FloatVector log1p(FloatVector x) {
        FloatVector s = x.div(x.add(2f));
        FloatVector s2 = s.mul(s);
        FloatVector p = s2.mul(A15).add(A13);
        p = p.mul(s2).add(A11);
        p = p.mul(s2).add(A9);
        p = p.mul(s2).add(A7);
        p = p.mul(s2).add(A5);
        p = p.mul(s2).add(A3);
        FloatVector twoS = s.add(s);
        return twoS.mul(s2).mul(p).add(twoS); // the small correction last: 2s carries the leading digits
    }

    public static float log1p(float x) {
        float s = x / (x + 2f);
        float s2 = s * s;
        float p = s2 * A15 + A13;
        p = p * s2 + A11;
        p = p * s2 + A9;
        p = p * s2 + A7;
        p = p * s2 + A5;
        p = p * s2 + A3;
        float twoS = s + s;
        return twoS * s2 * p + twoS;
    }

    /** Σ of the lanes in lane order, in double: the same sum in every JIT tier. */
    public static double sumLanes(FloatVector v) {
        double sum = 0;
        for (int i = 0; i < v.length(); i++) sum += v.lane(i);
        return sum;
    }
}
