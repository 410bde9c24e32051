package dev.nvae.analysis;

/**
 * One latent block's aggregate posterior over a split (docs/MODEL.md#4, use 5): per-dimension mean and
 * variance of q(z) = (1/N) Σ q(z|x_n), and the KL from its Gaussian fit to the prior N(0, I) — with the
 * diagonal of the fit's covariance and with the full covariance (which also charges correlations). A fit
 * cannot see multimodality (ten clusters with N(0, I)'s moments score 0), so the sample-based
 * {@link PriorDivergence} stands beside it.
 *
 * @param block    "shared", "class &lt;name&gt;" (that class's latent over that class's examples; for a label-free model "cluster k"), "joint"
 *                 ([z_s | z_c^y], each example's whole latent) or "z" (a baseline's only block)
 * @param examples   how many examples the block's fit is over
 * @param divergence the sample-based distances of q(z) to N(0, I), which see clusters and holes; null when not measured
 */
public record AggregatePosterior(String block, long examples, double[] mean, double[] variance,
                                 double klDiagonal, double klFull, PriorDivergence divergence) {
    /** The Gaussian fit alone. */
    public AggregatePosterior(String block, long examples, double[] mean, double[] variance, double klDiagonal, double klFull) {
        this(block, examples, mean, variance, klDiagonal, klFull, null);
    }

    AggregatePosterior withDivergence(PriorDivergence d) {
        return new AggregatePosterior(block, examples, mean, variance, klDiagonal, klFull, d);
    }
}
