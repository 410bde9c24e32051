package dev.nvae.train;

/** Means over one epoch's training examples (nats per example) and its throughput. */
public record EpochSummary(int epoch, int epochs, long examples, double loss, double rec, double klS, double klC,
                           double ce, double accuracy, double seconds, double examplesPerSecond) {
}
