package dev.nvae.analysis;

/**
 * Figures of a model on one split, nats per example (DESIGN.md §1 "Quantities reported").
 *
 * @param klSharedPerDim S[j]: mean KL of shared dimension j over all examples
 * @param klClassPerDim  A[k][j]: mean KL of class k's dimension j over the examples of class k
 * @param iwaeNll        importance-weighted bound on −log p(x|y) with {@code iwSamples} samples; NaN when off
 */
public record EvaluationReport(String split, long examples, double negElbo, double rec, double klS, double klC,
                               double ce, double accuracy, double iwaeNll, int iwSamples,
                               double[] klSharedPerDim, double[][] klClassPerDim) {
}
