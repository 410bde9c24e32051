package dev.nvae.api;

/**
 * Means over one epoch's training examples, in nats per example, and its throughput.
 *
 * @param epoch             the epoch, from 1
 * @param epochs            epochs in the run
 * @param examples          examples trained on in the epoch
 * @param loss              the training objective (with the run's loss weights)
 * @param reconstruction    −log p(x | y, z)
 * @param klShared          KL of the shared (a baseline's only) latent block
 * @param klClass           KL of the true class's own block (0 for a baseline)
 * @param crossEntropy      −log q(y | x) (0 without a classifier)
 * @param accuracy          share of examples classified right; NaN without a classifier
 * @param seconds           wall time of the epoch
 * @param examplesPerSecond throughput of the epoch
 */
public record EpochReport(int epoch, int epochs, long examples, double loss, double reconstruction, double klShared,
                          double klClass, double crossEntropy, double accuracy, double seconds, double examplesPerSecond) {
}
