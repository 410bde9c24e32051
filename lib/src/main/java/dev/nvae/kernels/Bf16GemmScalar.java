package dev.nvae.kernels;

import dev.nvae.tensor.Bf16Matrix;

import java.lang.foreign.MemorySegment;

import static dev.nvae.tensor.Tensor.F32;

/**
 * The scalar twin of {@link Bf16Gemm}: C = A·widen(B) (+ bias) (ReLU) with A and C float32 and B bf16 in
 * either layout. Each product is summed over k in order with fused multiply-adds, then the bias added, then
 * ReLU — {@link GemmScalar}'s order, so on widened weights the two agree to the last bit.
 */
public final class Bf16GemmScalar {
    private Bf16GemmScalar() {
    }

    public static void multiply(int m, int n, int k, MemorySegment a, long aOff, int lda, Bf16Matrix b,
                                MemorySegment c, long cOff, int ldc, MemorySegment bias, boolean relu) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = 0f;
                for (int p = 0; p < k; p++) sum = Math.fma(a.getAtIndex(F32, aOff + (long) i * lda + p), b.get(p, j), sum);
                if (bias != null) sum = sum + bias.getAtIndex(F32, j);
                if (relu) sum = Math.max(sum, 0f);
                c.setAtIndex(F32, cOff + (long) i * ldc + j, sum);
            }
        }
    }
}
