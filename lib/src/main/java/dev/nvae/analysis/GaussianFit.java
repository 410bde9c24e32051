package dev.nvae.analysis;

import dev.nvae.tensor.Tensor;

/**
 * The Gaussian fit of an aggregate posterior q(z) = (1/N) Σ_n N(μ_n, diag σ²_n), accumulated one example
 * at a time: mean m = (1/N) Σ μ_n and covariance Σ = (1/N) Σ (diag σ²_n + μ_n μ_nᵀ) − m mᵀ (the moments
 * of the mixture, not just of the means). Then KL(N(m, Σ) ‖ N(0, I)) = ½ (tr Σ + mᵀm − d − log det Σ),
 * for the full Σ and for its diagonal. Sums are in double; adding an example allocates nothing.
 */
final class GaussianFit {
    private final String name;
    private final int d;
    private final double[] mu, var;        // (d) the example being added
    private final double[] sumMu, sumVar;  // (d)
    private final double[] sumOuter;       // (d, d) Σ μμᵀ, row-major
    private long n;

    GaussianFit(String name, int d) {
        this.name = name;
        this.d = d;
        mu = new double[d];
        var = new double[d];
        sumMu = new double[d];
        sumVar = new double[d];
        sumOuter = new double[d * d];
    }

    /** Sets dims [offset, offset+count) of the current example from row {@code row} of the heads. */
    void set(Tensor heads, int row, int muCol, int logvarCol, int count, int offset) {
        for (int j = 0; j < count; j++) {
            mu[offset + j] = heads.get(row, muCol + j);
            var[offset + j] = Math.exp(heads.get(row, logvarCol + j));
        }
    }

    /** Adds the current example (every dim set since the last commit). */
    void commit() {
        for (int a = 0; a < d; a++) {
            sumMu[a] += mu[a];
            sumVar[a] += var[a];
            for (int b = 0; b < d; b++) sumOuter[a * d + b] += mu[a] * mu[b];
        }
        n++;
    }

    AggregatePosterior result() {
        double[] mean = new double[d];
        double[] cov = new double[d * d];
        if (n == 0) {
            java.util.Arrays.fill(mean, Double.NaN);
            double[] nan = mean.clone();
            return new AggregatePosterior(name, 0, mean, nan, Double.NaN, Double.NaN);
        }
        for (int a = 0; a < d; a++) mean[a] = sumMu[a] / n;
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                cov[a * d + b] = sumOuter[a * d + b] / n - mean[a] * mean[b] + (a == b ? sumVar[a] / n : 0);
            }
        }
        double[] variance = new double[d];
        double klDiag = 0, trace = 0, meanSq = 0;
        for (int a = 0; a < d; a++) {
            variance[a] = cov[a * d + a];
            klDiag += 0.5 * (variance[a] + mean[a] * mean[a] - 1 - Math.log(variance[a]));
            trace += variance[a];
            meanSq += mean[a] * mean[a];
        }
        double klFull = 0.5 * (trace + meanSq - d - logDet(cov, d));
        return new AggregatePosterior(name, n, mean, variance, klDiag, klFull);
    }

    /** log det of a symmetric positive-definite matrix by Cholesky; NaN if it is not positive definite. */
    static double logDet(double[] a, int d) {
        double[] l = new double[d * d];
        double logDet = 0;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i * d + j];
                for (int k = 0; k < j; k++) s -= l[i * d + k] * l[j * d + k];
                if (i == j) {
                    if (!(s > 0)) return Double.NaN;
                    l[i * d + i] = Math.sqrt(s);
                    logDet += Math.log(s);
                } else {
                    l[i * d + j] = s / l[j * d + j];
                }
            }
        }
        return logDet;
    }
}
