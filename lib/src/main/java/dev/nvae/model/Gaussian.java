package dev.nvae.model;

import dev.nvae.tensor.Tensor;

/**
 * The diagonal Gaussian posteriors of every family, read from columns of the heads: the reparameterised
 * sample, the KL to the prior, and the gradient through both (docs/MODEL.md#1-n-vae).
 */
final class Gaussian {
    private Gaussian() {
    }

    /** z = μ + σ·ε with σ = exp(½ log σ²), in float as every decoder input is. */
    static float sample(float mu, float logvar, float eps) {
        float sd = (float) Math.exp(0.5 * logvar);
        return mu + sd * eps;
    }

    /** KL(N(μ, diag σ²) ‖ N(0, I)) = ½ Σ (μ² + σ² − 1 − log σ²) over n columns of row i. */
    static double kl(Tensor h, int i, int mu, int logvar, int n) {
        double kl = 0;
        for (int j = 0; j < n; j++) {
            double m = h.get(i, mu + j), lv = h.get(i, logvar + j);
            kl += m * m + Math.exp(lv) - 1 - lv;
        }
        return 0.5 * kl;
    }

    /** {@link #kl(Tensor, int, int, int, int)} of a row read into an array. */
    static double kl(float[] h, int mu, int logvar, int n) {
        double kl = 0;
        for (int j = 0; j < n; j++) {
            double m = h[mu + j], lv = h[logvar + j];
            kl += m * m + Math.exp(lv) - 1 - lv;
        }
        return 0.5 * kl;
    }

    /** {@link #reparamGradient(Tensor, Tensor, int, int, int, float, float, double, float)} on rows read into arrays. */
    static void reparamGradient(float[] h, float[] g, int muCol, int lvCol, float dz, float eps, double klWeight, float invB) {
        double mu = h[muCol], lv = h[lvCol];
        double sd = Math.exp(0.5 * lv);
        g[muCol] = (float) (dz + klWeight * mu * invB);
        g[lvCol] = (float) (dz * eps * 0.5 * sd + klWeight * 0.5 * (sd * sd - 1) * invB);
    }

    /**
     * z = μ + exp(½ lv)·ε with upstream dz, plus w·KL: ∂/∂μ = dz + w·μ/B,
     * ∂/∂lv = dz·ε·½exp(½ lv) + w·½(exp(lv) − 1)/B, written into g.
     */
    static void reparamGradient(Tensor h, Tensor g, int i, int muCol, int lvCol, float dz, float eps, double klWeight,
                                float invB) {
        double mu = h.get(i, muCol), lv = h.get(i, lvCol);
        double sd = Math.exp(0.5 * lv);
        g.set(i, muCol, (float) (dz + klWeight * mu * invB));
        g.set(i, lvCol, (float) (dz * eps * 0.5 * sd + klWeight * 0.5 * (sd * sd - 1) * invB));
    }
}
