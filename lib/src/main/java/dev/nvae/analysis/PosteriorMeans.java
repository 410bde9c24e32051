package dev.nvae.analysis;

/**
 * Posterior means of a split, given the true labels.
 *
 * @param labels (N) class of each example
 * @param shared (N, ds) μ_s(x) — a baseline's μ_z
 * @param own    (N, dc) μ_c^y(x), the example's own class latent (dc = 0 for a baseline)
 */
public record PosteriorMeans(int[] labels, float[][] shared, float[][] own) {
}
