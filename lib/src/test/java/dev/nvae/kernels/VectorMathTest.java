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
}
