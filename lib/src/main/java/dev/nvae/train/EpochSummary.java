package dev.nvae.train;

/**
 * Means over one epoch's training examples (nats per example) and its throughput.
 *
 * @param ce         mean over all examples of the labelled examples' −log q(y|x)
 * @param accuracy   over the labelled examples (NaN: none, or no classifier)
 * @param klY        mean over all examples of the unlabelled examples' KL(q(y|x) ‖ p(y)) (docs/MODEL.md#6)
 * @param unlabelled examples of the epoch without a label (0 in checkpoints written before they existed)
 */
public record EpochSummary(int epoch, int epochs, long examples, double loss, double rec, double klS, double klC,
                           double ce, double accuracy, double seconds, double examplesPerSecond, double klY,
                           long unlabelled) {
}
