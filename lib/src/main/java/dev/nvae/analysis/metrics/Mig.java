package dev.nvae.analysis.metrics;

/**
 * Mutual Information Gap (Chen et al. 2018, "Isolating Sources of Disentanglement in VAEs", eq. 6):
 * MIG = (1/K) Σ_k (I(z_{j(k)}; v_k) − max_{j≠j(k)} I(z_j; v_k)) / H(v_k), with j(k) = argmax_j I(z_j; v_k).
 * Mutual information is estimated as disentanglement_lib does (Locatello et al. 2019): each latent's
 * posterior mean discretised into equal-width bins, factors taken as their discrete values.
 * 1 when every factor is captured by exactly one latent and no other latent knows anything of it.
 */
public final class Mig {
    public static final int DEFAULT_BINS = 20;
    /**
     * The most bins a latent is histogrammed into: a factor of many values is binned as finely, and their joint
     * histogram holds bins² counts (--bins 2000000000 encoded the whole split, then ran out of memory).
     */
    public static final int MAX_BINS = 1000;

    private Mig() {
    }

    /** Per-factor gaps and their mean; a constant factor (H = 0) has no gap and is left out of the mean (NaN). */
    public record Result(double score, double[] perFactor, double[][] mutualInformation, double[] entropy) {
    }

    /**
     * @param z (N, L) latent codes (posterior means)
     * @param v (N, K) factor values
     */
    public static Result compute(double[][] z, double[][] v, int bins) {
        Matrices.check(z, v);
        int latents = z[0].length, factors = v[0].length;
        int[][] zc = new int[latents][], vc = new int[factors][];
        for (int j = 0; j < latents; j++) zc[j] = Information.histogram(Matrices.column(z, j), bins);
        for (int k = 0; k < factors; k++) vc[k] = Information.categories(Matrices.column(v, k), bins);
        double[][] mi = new double[latents][factors];
        double[] h = new double[factors], gap = new double[factors];
        double sum = 0;
        int counted = 0;
        for (int k = 0; k < factors; k++) {
            h[k] = Information.entropy(vc[k]);
            double first = 0, second = 0;
            for (int j = 0; j < latents; j++) {
                mi[j][k] = Information.mutualInformation(zc[j], vc[k]);
                if (mi[j][k] > first) {
                    second = first;
                    first = mi[j][k];
                } else if (mi[j][k] > second) {
                    second = mi[j][k];
                }
            }
            gap[k] = h[k] > 0 ? (first - second) / h[k] : Double.NaN;
            if (h[k] > 0) {
                sum += gap[k];
                counted++;
            }
        }
        return new Result(counted == 0 ? Double.NaN : sum / counted, gap, mi, h);
    }
}
