package dev.nvae.analysis;

/**
 * How far one latent block's aggregate posterior q(z) is from the prior N(0, I), measured on samples — so
 * that, unlike the Gaussian fit's KL, it sees clusters and holes: q(z) made of well-separated class
 * clusters scores far from the prior even when its mean and covariance are N(0, I)'s.
 *
 * <p>The sample of q(z): one draw z ~ q(z|x_n) = N(μ_n, σ²_n) from each of {@code samples} examples of
 * the block, chosen by the seed when the block has more; the prior's: as many draws of N(0, I).
 *
 * @param samples      draws of each side (0: not measured, every figure NaN)
 * @param mmd2         unbiased MMD² with an RBF kernel whose bandwidth is the median pooled distance
 * @param bandwidth    that bandwidth
 * @param pValue       permutation p-value of "q(z) = N(0, I)": (1 + permutations with MMD² ≥ observed) / (1 + permutations)
 * @param permutations how many label permutations the p-value is over
 * @param knnKl        k-nearest-neighbour estimate of KL(q(z) ‖ N(0, I)), nats
 * @param k            the neighbour the kNN estimate uses
 */
public record PriorDivergence(int samples, double mmd2, double bandwidth, double pValue, int permutations,
                              double knnKl, int k) {
    /** The fewest draws a block is measured on: the kNN estimate needs k + 1 of them. */
    public static final int FEWEST = PosteriorDraws.K + 1;

    /** The permutations and the neighbour a measured block's figures use (an unmeasured one has 0 of each). */
    public static final int PERMUTATIONS = PosteriorDraws.PERMUTATIONS, NEIGHBOUR = PosteriorDraws.K;

    /** A block with too few examples to measure (fewer than {@link #FEWEST}): every figure NaN. */
    static PriorDivergence none(int samples) {
        return new PriorDivergence(samples, Double.NaN, Double.NaN, Double.NaN, 0, Double.NaN, 0);
    }

    /** False for a block with too few examples to measure. */
    public boolean measured() {
        return samples >= FEWEST;
    }
}
