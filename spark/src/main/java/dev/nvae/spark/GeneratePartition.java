package dev.nvae.spark;

import dev.nvae.analysis.PriorSampler;
import dev.nvae.analysis.SampleLabels;
import dev.nvae.backend.Backend;
import dev.nvae.tensor.Tensor;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * One task of {@code generate}: its range of sample indices, decoded batch by batch as Spark pulls rows
 * (one batch of rows in memory at a time), on the model borrowed from this JVM's cache and a backend of
 * its own, both given back when the task ends.
 */
final class GeneratePartition implements FlatMapFunction<Iterator<long[]>, Row> {
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
    public Iterator<Row> call(Iterator<long[]> range) {
        if (!range.hasNext()) return Collections.emptyIterator();
        long[] r = range.next();
        TaskCompute.Opened task = compute.open(model);
        PriorSampler sampler = new PriorSampler(task.model(), PriorSampler.BATCH);
        TaskCompute.closeWithTask(sampler);
        return new Rows(new SampleLabels(perClass, classes, chosen), sampler, task.backend(), r[0], r[1]);
    }

    /** The range's rows, a batch decoded whenever the previous one is used up. */
    private final class Rows implements Iterator<Row> {
        private final SampleLabels labels;
        private final PriorSampler sampler;
        private final Backend be;
        private final long end;
        private long next;              // first index of the next batch
        private final Row[] batch = new Row[PriorSampler.BATCH];
        private int count, position;

        Rows(SampleLabels labels, PriorSampler sampler, Backend be, long from, long to) {
            this.labels = labels;
            this.sampler = sampler;
            this.be = be;
            this.next = from;
            this.end = to;
        }

        @Override
        public boolean hasNext() {
            return position < count || next < end;
        }

        @Override
        public Row next() {
            if (position == count) {
                if (next >= end) throw new NoSuchElementException();
                decodeBatch();
            }
            Row row = batch[position];
            batch[position++] = null;
            return row;
        }

        private void decodeBatch() {
            int n = PriorSampler.batchSize(next, end - next);
            int[] ys = labels.labels(next, n);
            sampler.draw(seed, next, ys, 0, n);
            Tensor means = sampler.decode(be, sigma);
            for (int i = 0; i < n; i++) {
                Integer label = classNames == null ? null : ys[i];
                String name = classNames == null ? null : classNames.get(ys[i]);
                batch[i] = RowFactory.create(next + i, label, name, images.encode(means, i, channels, height, width));
            }
            next += n;
            count = n;
            position = 0;
        }
    }
}
