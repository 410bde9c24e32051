package dev.nvae.analysis;

import java.util.List;

/**
 * Figures of a model on one split, nats per example (docs/MODEL.md#2).
 *
 * @param accuracy           of argmax q(y|x); NaN for a model without a classifier (the baselines)
 * @param klSharedPerDim     S[j]: mean KL of shared dimension j over all examples (a baseline's z)
 * @param klClassPerDim      A[k][j]: mean KL of class k's dimension j over the examples of class k (K × 0 for baselines)
 * @param iwaeNll            importance-weighted estimate of −log p(x|y) with {@code iwSamples} samples; NaN when off
 * @param aggregatePosterior per latent block: the aggregate posterior's moments and KL of its Gaussian fit to N(0, I)
 */
public record EvaluationReport(String split, long examples, double negElbo, double rec, double klS, double klC,
                               double ce, double accuracy, double iwaeNll, int iwSamples,
                               double[] klSharedPerDim, double[][] klClassPerDim,
                               List<AggregatePosterior> aggregatePosterior) {
}
