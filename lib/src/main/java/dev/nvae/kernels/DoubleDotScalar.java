package dev.nvae.kernels;

/** Scalar twin of {@link DoubleDot}: the same sums, one term after the other. */
public final class DoubleDotScalar {
    private DoubleDotScalar() {
    }

    public static double dot(double[] a, int aOff, double[] b, int bOff, int len) {
        double s = 0;
        for (int j = 0; j < len; j++) s += a[aOff + j] * b[bOff + j];
        return s;
    }
}
