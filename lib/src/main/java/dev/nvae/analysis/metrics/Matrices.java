package dev.nvae.analysis.metrics;

/** Column statistics of (examples × variables) arrays, in double. */
final class Matrices {
    private Matrices() {
    }

    static void check(double[][] z, double[][] v) {
        if (z.length != v.length) throw new IllegalArgumentException(z.length + " latent rows for " + v.length + " factor rows");
        if (z.length < 2) throw new IllegalArgumentException("need at least 2 examples, got " + z.length);
        if (z[0].length == 0 || v[0].length == 0) throw new IllegalArgumentException("no latents or no factors");
    }

    static double[] column(double[][] a, int j) {
        double[] c = new double[a.length];
        for (int i = 0; i < a.length; i++) c[i] = a[i][j];
        return c;
    }

    static double mean(double[] x) {
        double s = 0;
        for (double v : x) s += v;
        return s / x.length;
    }

    /** Population variance (1/N). */
    static double variance(double[] x) {
        double m = mean(x), s = 0;
        for (double v : x) s += (v - m) * (v - m);
        return s / x.length;
    }

    /**
     * Whether every value equals the first: a constant column. Not "variance 0": the mean of a constant that binary
     * cannot hold (0.1) is summed with rounding, a ulp off, and the variance about it is ~1e-30, not 0.
     */
    static boolean constant(double[] x) {
        for (double v : x) if (v != x[0]) return false;
        return true;
    }

    /** Pearson correlation; 0 when either column is constant (it predicts nothing). */
    static double correlation(double[] x, double[] y) {
        if (constant(x) || constant(y)) return 0;
        double mx = mean(x), my = mean(y), sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
    }
}
