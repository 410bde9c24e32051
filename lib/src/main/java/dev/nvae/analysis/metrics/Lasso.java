package dev.nvae.analysis.metrics;

/**
 * L1-regularised linear regression by cyclic coordinate descent (Friedman, Hastie &amp; Tibshirani 2010):
 * minimise (1/2N)‖y − Xw‖² + α‖w‖₁ on columns the caller has standardised (mean 0, variance 1), so the
 * intercept is 0 and every coordinate update is w_j ← S(ρ_j, α) with ρ_j = (1/N) X_jᵀ(r + X_j w_j) and S
 * the soft threshold. The regressor of Eastwood &amp; Williams' DCI, whose |w| are the importances.
 */
final class Lasso {
    private static final int MAX_SWEEPS = 10_000;
    private static final double TOLERANCE = 1e-10;

    private Lasso() {
    }

    /** @param x (N, L) standardised inputs, @param y (N) standardised target */
    static double[] fit(double[][] x, double[] y, double alpha) {
        int n = x.length, l = x[0].length;
        double[] w = new double[l];
        double[] r = y.clone(); // residual y − Xw
        double[] norm = new double[l];
        for (int j = 0; j < l; j++) {
            double s = 0;
            for (double[] row : x) s += row[j] * row[j];
            norm[j] = s / n;
        }
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            double change = 0;
            for (int j = 0; j < l; j++) {
                if (norm[j] == 0) continue; // a constant column cannot be used
                double rho = 0;
                for (int i = 0; i < n; i++) rho += x[i][j] * r[i];
                rho = rho / n + norm[j] * w[j];
                double updated = Math.signum(rho) * Math.max(Math.abs(rho) - alpha, 0) / norm[j];
                double delta = updated - w[j];
                if (delta != 0) {
                    for (int i = 0; i < n; i++) r[i] -= x[i][j] * delta;
                    w[j] = updated;
                    change = Math.max(change, Math.abs(delta));
                }
            }
            if (change < TOLERANCE) break;
        }
        return w;
    }

    static double meanSquaredError(double[][] x, double[] y, double[] w) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            double p = 0;
            for (int j = 0; j < w.length; j++) p += x[i][j] * w[j];
            s += (y[i] - p) * (y[i] - p);
        }
        return s / x.length;
    }
}
