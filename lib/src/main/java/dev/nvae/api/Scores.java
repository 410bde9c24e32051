package dev.nvae.api;

/**
 * How well a model explains some images, in nats per image (means over the images).
 *
 * @param count             images scored
 * @param negElbo           the negative evidence lower bound with the true class: reconstruction + klShared + klClass;
 *                          for images scored without labels (by an nvae, or a label-free model) the bound summed over
 *                          the classes or clusters (docs/MODEL.md §6, §7): reconstruction + klShared + klClass + klY
 * @param reconstruction    −log p(x | y, z) at one posterior sample
 * @param klShared          KL of the shared (a baseline's only) latent block to its prior
 * @param klClass           KL of the true class's own latent block to its prior (0 for a baseline); for images
 *                          scored without labels the class's (cluster's) block, expected under q(y | x), as reconstruction is
 * @param unlabelled        images scored without a label: every image of a label-free model, and every image given
 *                          without labels to an nvae; else none
 * @param klY               KL(q(y | x) ‖ p(y)) of the images scored without a label (part of negElbo; 0 when none)
 * @param crossEntropy      −log q(y | x) of the true class (0 for a model without a classifier, or without labels)
 * @param accuracy          the share of images whose predicted class is the true one; NaN without a classifier or labels
 * @param iwaeNll           the importance-weighted estimate of −log p(x | y) with {@code importanceSamples}
 *                          samples: tighter than negElbo; NaN when not asked for (never for images without labels)
 * @param importanceSamples samples per image of the iwaeNll estimate (0: not computed)
 */
public record Scores(int count, double negElbo, double reconstruction, double klShared, double klClass, int unlabelled,
                     double klY, double crossEntropy, double accuracy, double iwaeNll, int importanceSamples) {
}
