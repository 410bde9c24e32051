package dev.nvae.cli;

import dev.nvae.NvaeException;
import dev.nvae.analysis.PriorSampler;
import dev.nvae.analysis.SampleLabels;
import dev.nvae.analysis.Sampler;
import dev.nvae.backend.Backend;
import dev.nvae.model.LatentModel;
import dev.nvae.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The samples {@code sample} draws: sample i of class {@code labels.label(i)}, decoded batch by batch as a
 * format writes them ({@link #inBatches}), so that a format that streams (NPY, IDX, PNG) holds one batch
 * — and the labels of one chunk — at a time whatever the count; a grid takes them all ({@link #all}).
 * {@code classNames} is null for a model without classes (a VAE): its samples are unlabelled.
 * {@code columns}: how many a grid shows to a row. A sample is channels·height·width values, channel by channel.
 */
record Samples(LatentModel model, Backend backend, SampleLabels labels, double sigma, long seed,
               List<String> classNames, int channels, int height, int width, int columns) {
    /**
     * Samples drawn per call of the sampler: a multiple of its batch (1,000), so that the chunks are cut
     * into the batches of one whole run (each sample's noise is a function of its index alone).
     */
    private static final int CHUNK = 1_000_000;

    /** Receives the decoded samples [from, from + count) in order; {@code means} is reused for the next batch. */
    @FunctionalInterface
    interface Batches {
        void accept(long from, int count, Tensor means);
    }

    /** Refuses, naming {@code flag}, a list of prior scales that is empty or holds one out of range. */
    static void requireScales(String flag, double[] scales) {
        if (scales.length < 1) throw new NvaeException(flag + ": no scales given");
        for (double s : scales) if (!PriorSampler.validSigma(s)) throw new NvaeException(flag + ": " + s + " " + PriorSampler.SIGMA_RANGE);
    }

    long count() {
        return labels.count();
    }

    int dim() {
        return channels * height * width;
    }

    boolean labelled() {
        return classNames != null;
    }

    int label(long i) {
        return labels.label(i);
    }

    void inBatches(Batches batches) {
        for (long start = 0; start < count(); start += CHUNK) {
            long first = start;
            int n = (int) Math.min(CHUNK, count() - start);
            Sampler.sample(model, backend, labels.labels(start, n), start, new double[]{sigma}, seed,
                    (scale, from, k, means) -> batches.accept(first + from, k, means));
        }
    }

    /** Every sample as a row of channels·height·width values; only for counts a grid can show. */
    float[][] all() {
        float[][] out = new float[Math.toIntExact(count())][];
        inBatches((from, n, means) -> {
            for (int i = 0; i < n; i++) {
                float[] row = new float[dim()];
                MemorySegment.copy(means.segment(), Tensor.F32, (long) i * dim() * Float.BYTES, row, 0, dim());
                out[(int) from + i] = row;
            }
        });
        return out;
    }

    /** The labels of all samples; only for counts a grid can show. */
    int[] allLabels() {
        return labels.labels(0, Math.toIntExact(count()));
    }
}
