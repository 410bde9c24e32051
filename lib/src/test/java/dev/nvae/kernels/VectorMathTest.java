package dev.nvae.kernels;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class VectorMathTest {
    @Test
    void vectorExpIsBitIdenticalToScalarTwinAndAccurate() {
        int lanes = Simd.F.length();
        float[] in = new float[lanes], out = new float[lanes];
        double worst = 0;
        for (float x = -90f; x <= 89f; x += 0.0137f) {
            for (int i = 0; i < lanes; i++) in[i] = x + i * 1e-3f;
            VectorMath.exp(FloatVector.fromArray(Simd.F, in, 0)).intoArray(out, 0);
            for (int i = 0; i < lanes; i++) {
                float scalar = VectorMath.exp(in[i]);
                assertEquals(Float.floatToRawIntBits(scalar), Float.floatToRawIntBits(out[i]), "exp(" + in[i] + ")");
                double ref = Math.exp(Math.min(Math.max(in[i], -87.3365447505531f), 88.3762626647949f));
                worst = Math.max(worst, Math.abs(out[i] - ref) / ref);
            }
        }
        assertEquals(0, worst, 3e-7, "max relative error");
    }

    @Test
    void vectorLog1pIsBitIdenticalToScalarTwinAndWithinTwoUlpOfMathLog1p() {
        int lanes = Simd.F.length();
        float[] in = new float[lanes], out = new float[lanes];
        double worstUlps = 0;
        // The softplus domain [0, 1], densely, then tiny arguments down to subnormals.
        java.util.List<Float> xs = new java.util.ArrayList<>();
        for (int k = 0; k <= 200_000; k++) xs.add(k / 200_000f);
        for (float x = 1e-3f; x > 0; x *= 0.37f) xs.add(x);
        for (int start = 0; start < xs.size(); start += lanes) {
            for (int i = 0; i < lanes; i++) in[i] = xs.get(Math.min(start + i, xs.size() - 1));
            VectorMath.log1p(FloatVector.fromArray(Simd.F, in, 0)).intoArray(out, 0);
            for (int i = 0; i < lanes; i++) {
                float scalar = VectorMath.log1p(in[i]);
                assertEquals(Float.floatToRawIntBits(scalar), Float.floatToRawIntBits(out[i]), "log1p(" + in[i] + ")");
                double ref = Math.log1p(in[i]);
                if (ref > 0) worstUlps = Math.max(worstUlps, Math.abs(out[i] - ref) / Math.ulp((float) ref));
                else assertEquals(0f, out[i], "log1p(0)");
            }
        }
        assertEquals(0, worstUlps, 2.0, "max error in ulps of the float result");
    }

    @Test
    void sumLanesAddsInLaneOrder() {
        int lanes = Simd.F.length();
        float[] v = new float[lanes];
        // Values whose sum depends on the order: a large lane first, then small ones that it would absorb in float.
        v[0] = 1e8f;
        for (int i = 1; i < lanes; i++) v[i] = i * 0.3f - 1e8f / lanes;
        double expected = 0;
        for (float f : v) expected += f;
        assertEquals(expected, VectorMath.sumLanes(FloatVector.fromArray(Simd.F, v, 0)), 0.0);
    }
}
