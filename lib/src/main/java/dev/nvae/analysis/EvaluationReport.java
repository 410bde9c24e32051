package dev.nvae.analysis;

import dev.nvae.analysis.metrics.ClusterAgreement;

import java.util.List;

/**
 * Figures of a model on one split, nats per example (docs/MODEL.md#2).
 *
 * @param accuracy           of argmax q(y|x); NaN for a model without a classifier (the baselines)
 * @param klSharedPerDim     S[j]: mean KL of shared dimension j over all examples (a baseline's z)
 * @param klClassPerDim      A[k][j]: mean KL of class k's dimension j over the examples of class k, NaN where the split has
 *                           none of class k (K × 0 for baselines)
 * @param examplesPerClass   how many examples each A[k] is averaged over (for a label-free model, those q(y|x) assigns to k)
 * @param iwaeNll            importance-weighted estimate of −log p(x|y) with {@code iwSamples} samples; NaN when off
 * @param aggregatePosterior per latent block: the aggregate posterior's moments and KL of its Gaussian fit to N(0, I)
 * @param unlabelled         examples evaluated without a label (all of them for a label-free model): their
 *                           share of neg_elbo, rec and klC is the bound summed over classes, with KL(q(y|x) ‖ p(y)) in klY
 * @param klY                mean over all examples of the unlabelled examples' KL(q(y|x) ‖ p(y)) (part of neg_elbo)
 * @param clustering         a label-free model's clusters (argmax q(y|x)) against the split's labels; null otherwise
 */
public record EvaluationReport(String split, long examples, double negElbo, double rec, double klS, double klC,
                               double ce, double accuracy, double iwaeNll, int iwSamples,
                               double[] klSharedPerDim, double[][] klClassPerDim, long[] examplesPerClass,
                               List<AggregatePosterior> aggregatePosterior, long unlabelled, double klY,
                               ClusterAgreement clustering) {
    /** Whether the split has no example of class k, so that its KL per dimension is a mean of nothing. */
    public boolean noExampleOf(int k) {
        return examplesPerClass[k] == 0;
    }
}
