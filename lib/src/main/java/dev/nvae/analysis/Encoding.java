package dev.nvae.analysis;

import java.util.List;

/**
 * Posterior means and log-variances per example, one row each, with named columns.
 *
 * @param probabilities q(y|x) per example, one value per class (the N-VAE's classifier); {@code new float[n][0]}
 *                      for a model without a classifier
 */
public record Encoding(List<String> columns, float[][] rows, float[][] probabilities) {
}
