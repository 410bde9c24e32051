package dev.nvae.analysis.metrics;

/**
 * Separated Attribute Predictability (Kumar et al. 2018, "Variational Inference of Disentangled Latent
 * Concepts from Unlabeled Observations", §3): a score matrix S[j][k] of how well latent j alone predicts
 * factor k — for continuous (here: ordered) factors the R² of a linear regression of v_k on z_j, which for
 * one regressor is corr(z_j, v_k)² — and SAP = (1/K) Σ_k (top S[·][k] − second S[·][k]).
 */
public final class Sap {
    private Sap() {
    }

    public record Result(double score, double[] perFactor, double[][] scores) {
    }

    public static Result compute(double[][] z, double[][] v) {
        Matrices.check(z, v);
        int latents = z[0].length, factors = v[0].length;
        double[][] s = new double[latents][factors];
        double[] gap = new double[factors];
        double sum = 0;
        int counted = 0;
        for (int k = 0; k < factors; k++) {
            double[] vk = Matrices.column(v, k);
            double first = 0, second = 0;
            for (int j = 0; j < latents; j++) {
                double r = Matrices.correlation(Matrices.column(z, j), vk);
                s[j][k] = r * r;
                if (s[j][k] > first) {
                    second = first;
                    first = s[j][k];
                } else if (s[j][k] > second) {
                    second = s[j][k];
                }
            }
            boolean constant = Matrices.constant(vk);
            gap[k] = constant ? Double.NaN : first - second;
            if (!constant) {
                sum += gap[k];
                counted++;
            }
        }
        return new Result(counted == 0 ? Double.NaN : sum / counted, gap, s);
    }
}
