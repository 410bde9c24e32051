package dev.nvae.spark;

import dev.nvae.analysis.PriorSampler;
import dev.nvae.analysis.SampleLabels;
import dev.nvae.backend.Backend;
import dev.nvae.tensor.Tensor;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.unsafe.types.UTF8String;

import java.util.List;

/**
 * The tasks of {@code generate}: each reads its {@link Range} of sample indices, decoded batch by batch as
 * Spark pulls rows (one batch of rows in memory at a time), on the model borrowed from this JVM's cache
 * and a backend of its own, both given back when the task ends. Rows are Spark's own
 * ({@link GenericInternalRow}: index, label, class, image bytes), read by the writer as they are.
 */
final class GeneratePartition implements PartitionReaderFactory {
    /** Sample indices [from, to): whole batches of {@link PriorSampler#BATCH}, as {@link SampleRanges} cuts them. */
    record Range(long from, long to) implements InputPartition {
    }

    private final Broadcast<ShippedModel> model;
    private final TaskCompute compute;
    private final long perClass;
    private final int classes, chosen;
    private final List<String> classNames; // null: unlabelled samples
    private final double sigma;
    private final long seed;
    private final Images images;
    private final int channels, height, width;

    GeneratePartition(Broadcast<ShippedModel> model, TaskCompute compute, long perClass, int classes, int chosen,
                      List<String> classNames, double sigma, long seed, Images images, int channels, int height, int width) {
        this.model = model;
        this.compute = compute;
        this.perClass = perClass;
        this.classes = classes;
        this.chosen = chosen;
        this.classNames = classNames;
        this.sigma = sigma;
        this.seed = seed;
        this.images = images;
        this.channels = channels;
        this.height = height;
        this.width = width;
    }

    @Override
    public PartitionReader<InternalRow> createReader(InputPartition partition) {
        Range r = (Range) partition;
        TaskCompute.Opened task = compute.open(model);
        PriorSampler sampler = new PriorSampler(task.model(), PriorSampler.BATCH);
        TaskCompute.closeWithTask(sampler);
        UTF8String[] names = null;
        if (classNames != null) {
            names = new UTF8String[classNames.size()];
            for (int k = 0; k < names.length; k++) names[k] = UTF8String.fromString(classNames.get(k));
        }
        return new Rows(new SampleLabels(perClass, classes, chosen), sampler, task.backend(), names, r.from(), r.to());
    }

    /** The range's rows, a batch decoded whenever the previous one is used up. */
    private final class Rows implements PartitionReader<InternalRow> {
        private final SampleLabels labels;
        private final PriorSampler sampler;
        private final Backend be;
        private final UTF8String[] names; // null: unlabelled samples
        private final long end;
        private long next;              // first index of the next batch
        private final InternalRow[] batch = new InternalRow[PriorSampler.BATCH];
        private int count, position = -1;

        Rows(SampleLabels labels, PriorSampler sampler, Backend be, UTF8String[] names, long from, long to) {
            this.labels = labels;
            this.sampler = sampler;
            this.be = be;
            this.names = names;
            this.next = from;
            this.end = to;
        }

        @Override
        public boolean next() {
            if (position >= 0) batch[position] = null;
            if (++position < count) return true;
            if (next >= end) return false;
            decodeBatch();
            return true;
        }

        @Override
        public InternalRow get() {
            return batch[position];
        }

        @Override
        public void close() {
            // the sampler, backend and model go back when the task ends (TaskCompute), however it ends
        }

        private void decodeBatch() {
            int n = PriorSampler.batchSize(next, end - next);
            int[] ys = labels.labels(next, n);
            sampler.draw(seed, next, ys, 0, n);
            Tensor means = sampler.decode(be, sigma);
            for (int i = 0; i < n; i++) {
                Integer label = names == null ? null : ys[i];
                UTF8String name = names == null ? null : names[ys[i]];
                batch[i] = new GenericInternalRow(new Object[]{next + i, label, name, images.encode(means, i, channels, height, width)});
            }
            next += n;
            count = n;
            position = 0;
        }
    }
}
