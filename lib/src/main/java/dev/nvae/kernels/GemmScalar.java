package dev.nvae.kernels;

import java.lang.foreign.MemorySegment;

import static dev.nvae.tensor.Tensor.F32;

/**
 * The scalar twin of {@link Gemm}: the definition it is tested against and the {@code -Dnvae.simd=scalar}
 * fallback. It sums over k in the same order with fused multiply-adds, then adds the old C, then the
 * bias, then applies ReLU — the vector kernel's order, so the two agree to the last bit.
 */
public final class GemmScalar {
    private GemmScalar() {
    }

    public static void multiply(boolean transA, boolean transB, int m, int n, int k,
                                MemorySegment a, long aOff, int lda,
                                MemorySegment b, long bOff, int ldb,
                                MemorySegment c, long cOff, int ldc,
                                boolean accumulate, MemorySegment bias, boolean relu) {
        long aRow = transA ? 1 : lda, aCol = transA ? lda : 1;
        long bRow = transB ? 1 : ldb, bCol = transB ? ldb : 1;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = 0f;
                for (int p = 0; p < k; p++) {
                    float av = a.getAtIndex(F32, aOff + i * aRow + p * aCol);
                    float bv = b.getAtIndex(F32, bOff + p * bRow + j * bCol);
                    sum = Math.fma(av, bv, sum);
                }
                long ci = cOff + (long) i * ldc + j;
                if (accumulate) sum = c.getAtIndex(F32, ci) + sum;
                if (bias != null) sum = sum + bias.getAtIndex(F32, j);
                if (relu) sum = Math.max(sum, 0f);
                c.setAtIndex(F32, ci, sum);
            }
        }
    }
}
