package dev.nvae.analysis.metrics;

/**
 * Disentanglement, Completeness and Informativeness (Eastwood &amp; Williams 2018, "A Framework for the
 * Quantitative Evaluation of Disentangled Representations"), with their Lasso regressor:
 * <ul>
 *   <li>for each factor k a Lasso regression of v_k on all latents (standardised), α chosen from
 *       {@link #ALPHAS} by validation error; the importance R[j][k] = |w_jk|;</li>
 *   <li>disentanglement D_j = 1 − H_K(P_j·), P_jk = R_jk / Σ_k R_jk (entropy in base K), and
 *       D = Σ_j ρ_j D_j with ρ_j = Σ_k R_jk / Σ R — one factor per latent gives 1;</li>
 *   <li>completeness C_k = 1 − H_L(P̃_·k), P̃_jk = R_jk / Σ_j R_jk (base L), and C = Σ_k ρ_k C_k with
 *       ρ_k = Σ_j R_jk / Σ R (disentanglement_lib's weighting) — one latent per factor gives 1;</li>
 *   <li>informativeness: the test NRMSE of each regression (error of the standardised factor; 0 is
 *       perfect, 1 is no better than its mean), and their mean.</li>
 * </ul>
 * A factor constant over the training rows has nothing to predict: its error and completeness are NaN and it is
 * left out of the mean, as MIG and SAP leave it out of theirs (its standardised values were all 0, which the
 * regression predicted exactly: an NRMSE of 0 that read as perfect and pulled the mean down).
 * The examples are split in order into train (60%), validation (20%) and test (20%).
 */
public final class Dci {
    static final double[] ALPHAS = {1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1};

    private Dci() {
    }

    public record Result(double disentanglement, double completeness, double informativeness,
                         double[] disentanglementPerLatent, double[] completenessPerFactor, double[] errorPerFactor,
                         double[][] importance) {
    }

    public static Result compute(double[][] z, double[][] v) {
        Matrices.check(z, v);
        int n = z.length, latents = z[0].length, factors = v[0].length;
        int train = (int) Math.round(n * 0.6), validation = (int) Math.round(n * 0.2);
        if (train < 2 || validation < 1 || n - train - validation < 1) {
            throw new IllegalArgumentException("DCI needs at least 5 examples for its train/validation/test split, got " + n);
        }
        double[][] zs = standardise(z, train);
        double[][] importance = new double[latents][factors];
        double[] error = new double[factors];
        boolean[] constant = new boolean[factors];
        for (int k = 0; k < factors; k++) {
            constant[k] = Matrices.constant(slice(Matrices.column(v, k), 0, train));
            double[] vk = standardise(Matrices.column(v, k), train);
            double[][] zTrain = slice(zs, 0, train), zVal = slice(zs, train, train + validation), zTest = slice(zs, train + validation, n);
            double[] yTrain = slice(vk, 0, train), yVal = slice(vk, train, train + validation), yTest = slice(vk, train + validation, n);
            double best = Double.POSITIVE_INFINITY;
            double[] w = null;
            // Largest α first, a smaller one only if strictly better: ties go to the sparser fit.
            for (int a = ALPHAS.length - 1; a >= 0; a--) {
                double[] candidate = Lasso.fit(zTrain, yTrain, ALPHAS[a]);
                double e = Lasso.meanSquaredError(zVal, yVal, candidate);
                if (e < best - 1e-12) {
                    best = e;
                    w = candidate;
                }
            }
            for (int j = 0; j < latents; j++) importance[j][k] = Math.abs(w[j]);
            error[k] = constant[k] ? Double.NaN : Math.sqrt(Lasso.meanSquaredError(zTest, yTest, w));
        }
        double total = 0;
        for (double[] row : importance) for (double r : row) total += r;
        double[] dPerLatent = new double[latents], cPerFactor = new double[factors];
        double d = 0, c = 0;
        for (int j = 0; j < latents; j++) {
            double rowSum = 0;
            for (int k = 0; k < factors; k++) rowSum += importance[j][k];
            dPerLatent[j] = rowSum > 0 ? 1 - entropy(importance[j], rowSum, factors) : 0;
            if (total > 0) d += rowSum / total * dPerLatent[j];
        }
        for (int k = 0; k < factors; k++) {
            double[] col = Matrices.column(importance, k);
            double colSum = 0;
            for (double r : col) colSum += r;
            cPerFactor[k] = constant[k] ? Double.NaN : colSum > 0 ? 1 - entropy(col, colSum, latents) : 0;
            if (total > 0 && !constant[k]) c += colSum / total * cPerFactor[k];
        }
        double errorSum = 0;
        int measured = 0;
        for (double e : error) {
            if (!Double.isNaN(e)) {
                errorSum += e;
                measured++;
            }
        }
        return new Result(d, c, measured == 0 ? Double.NaN : errorSum / measured, dPerLatent, cPerFactor, error, importance);
    }

    /** Entropy of p = weights / sum in base {@code base}; a one-outcome distribution (base 1) has none. */
    private static double entropy(double[] weights, double sum, int base) {
        if (base < 2) return 0;
        double h = 0;
        for (double w : weights) {
            double p = w / sum;
            if (p > 0) h -= p * Math.log(p);
        }
        return h / Math.log(base);
    }

    /** Columns scaled by the training rows' mean and standard deviation (a constant column becomes 0). */
    private static double[][] standardise(double[][] a, int train) {
        double[][] out = new double[a.length][a[0].length];
        for (int j = 0; j < a[0].length; j++) {
            double[] col = standardise(Matrices.column(a, j), train);
            for (int i = 0; i < a.length; i++) out[i][j] = col[i];
        }
        return out;
    }

    private static double[] standardise(double[] x, int train) {
        double[] t = slice(x, 0, train);
        double[] out = new double[x.length];
        if (Matrices.constant(t)) return out; // its rounding's variance would scale a few ulps up to ±1
        double m = Matrices.mean(t), sd = Math.sqrt(Matrices.variance(t));
        if (!(sd > 0)) return out; // values a few subnormals apart: their variance underflows
        for (int i = 0; i < x.length; i++) out[i] = (x[i] - m) / sd;
        return out;
    }

    private static double[][] slice(double[][] a, int from, int to) {
        return java.util.Arrays.copyOfRange(a, from, to);
    }

    private static double[] slice(double[] a, int from, int to) {
        return java.util.Arrays.copyOfRange(a, from, to);
    }
}
