package dev.nvae.spark;

import dev.nvae.analysis.PriorSampler;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts sample indices 0 … count−1 into contiguous ranges, one per partition, at whole batches
 * ({@link PriorSampler#BATCH}): each task then decodes the very batches {@code nvae sample} decodes.
 */
final class SampleRanges {
    private SampleRanges() {
    }

    /** At most {@code partitions} ranges [from, to) of nearly equal numbers of batches; never an empty one. */
    static List<long[]> split(long count, int partitions) {
        if (partitions < 1) throw new IllegalArgumentException("partitions " + partitions);
        long batches = Math.ceilDiv(count, PriorSampler.BATCH);
        int parts = (int) Math.min(partitions, batches);
        List<long[]> ranges = new ArrayList<>(parts);
        for (int p = 0; p < parts; p++) {
            long from = batches * p / parts * PriorSampler.BATCH, to = Math.min(count, batches * (p + 1) / parts * PriorSampler.BATCH);
            ranges.add(new long[]{from, to});
        }
        return ranges;
    }
}
