package dev.nvae.model;

import dev.nvae.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CategoricalTest {
    @Test
    void softmaxIsTheExponentOfLogSoftmaxAndStaysFiniteForHugeLogits() {
        try (Arena arena = Arena.ofConfined()) {
            // Row 0: ordinary logits after two leading columns; row 1: logits that overflow exp() unshifted.
            Tensor h = Tensor.allocate(arena, "h", 2, 6);
            h.copyFrom(new float[] {9, 9, 0.5f, -1f, 2f, 0f, 9, 9, 1000f, -1000f, 999f, 1000f});
            for (int row = 0; row < 2; row++) {
                float[] p = new float[4];
                Categorical.softmax(h, row, 2, p);
                double[] logQ = new double[4];
                Categorical.logSoftmax(h, row, 2, 4, logQ, 0);
                double sum = 0;
                for (int c = 0; c < 4; c++) {
                    assertTrue(Float.isFinite(p[c]), "row " + row + " class " + c);
                    assertEquals(Math.exp(logQ[c]), p[c], 1e-6, "row " + row + " class " + c);
                    sum += p[c];
                }
                assertEquals(1.0, sum, 1e-6);
                assertEquals(Categorical.argmax(h, row, 2, 4), row == 0 ? 2 : 0); // the first of the largest on a tie
            }
            // Reference for row 0 from the definition.
            double z = Math.exp(0.5) + Math.exp(-1) + Math.exp(2) + Math.exp(0);
            float[] p = new float[4];
            Categorical.softmax(h, 0, 2, p);
            assertEquals(Math.exp(2) / z, p[2], 1e-7);
        }
    }
}
