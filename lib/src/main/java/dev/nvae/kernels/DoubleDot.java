package dev.nvae.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Dot products of double arrays, for the analyses that need double sums (an MMD permutation test adds up
 * millions of kernel values whose differences are the statistic). Lanes as wide as {@link Simd#F}'s vectors;
 * {@link DoubleDotScalar} is the twin that {@code -Dnvae.simd=scalar} selects and tests compare with.
 */
public final class DoubleDot {
    static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED.withShape(Simd.F.vectorShape());

    private DoubleDot() {
    }

    /** Σ_{j in [0, len)} a[aOff + j]·b[bOff + j]; the lanes' partial sums are added at the end, so the order differs from the scalar twin's. */
    public static double dot(double[] a, int aOff, double[] b, int bOff, int len) {
        if (Simd.SCALAR) return DoubleDotScalar.dot(a, aOff, b, bOff, len);
        int lanes = D.length();
        DoubleVector s0 = DoubleVector.zero(D), s1 = s0;
        int j = 0;
        for (; j + 2 * lanes <= len; j += 2 * lanes) {
            s0 = DoubleVector.fromArray(D, a, aOff + j).fma(DoubleVector.fromArray(D, b, bOff + j), s0);
            s1 = DoubleVector.fromArray(D, a, aOff + j + lanes).fma(DoubleVector.fromArray(D, b, bOff + j + lanes), s1);
        }
        double sum = s0.add(s1).reduceLanes(VectorOperators.ADD);
        for (; j < len; j++) sum += a[aOff + j] * b[bOff + j];
        return sum;
    }
}
