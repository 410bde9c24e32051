package dev.nvae.spark;

import dev.nvae.NvaeException;
import dev.nvae.analysis.Scorer;
import dev.nvae.backend.Backend;
import dev.nvae.model.ModelData;
import dev.nvae.model.LatentModel;
import dev.nvae.model.ModelConfig;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * One task of {@code encode}: its rows of (index, label, image) scored in batches of up to 1000 as Spark
 * pulls them, on the model borrowed from this JVM's cache and a backend of its own.
 */
final class EncodePartition implements FlatMapFunction<Iterator<Row>, Row> {
    static final int BATCH = 1000;

    private final Broadcast<ShippedModel> model;
    private final TaskCompute compute;
    private final ImageColumn images;
    private final String labelOption;
    private final List<String> classNames; // null: a model without a classifier
    private final boolean negElbo;
    private final int iw;
    private final long seed;

    EncodePartition(Broadcast<ShippedModel> model, TaskCompute compute, ImageColumn images, String labelOption,
                    List<String> classNames, boolean negElbo, int iw, long seed) {
        this.model = model;
        this.compute = compute;
        this.images = images;
        this.labelOption = labelOption;
        this.classNames = classNames;
        this.negElbo = negElbo;
        this.iw = iw;
        this.seed = seed;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        if (!input.hasNext()) return java.util.Collections.emptyIterator();
        TaskCompute.Opened task = compute.open(model);
        Scorer scorer = new Scorer(task.model(), BATCH, negElbo, iw);
        TaskCompute.closeWithTask(scorer);
        return new Rows(input, task.model(), scorer, task.backend());
    }

    private final class Rows implements Iterator<Row> {
        private final Iterator<Row> input;
        private final ModelConfig c;
        private final Scorer scorer;
        private final Backend be;
        private final float[] pixels;
        private final long[] indices = new long[BATCH];
        private final boolean[] known = new boolean[BATCH];
        private final Row[] batch = new Row[BATCH];
        private int count, position;

        Rows(Iterator<Row> input, LatentModel model, Scorer scorer, Backend be) {
            this.input = input;
            this.c = model.config();
            this.scorer = scorer;
            this.be = be;
            this.pixels = new float[c.inputDim()];
        }

        @Override
        public boolean hasNext() {
            return position < count || input.hasNext();
        }

        @Override
        public Row next() {
            if (position == count) {
                if (!input.hasNext()) throw new NoSuchElementException();
                scoreBatch();
            }
            Row row = batch[position];
            batch[position++] = null;
            return row;
        }

        private void scoreBatch() {
            int n = 0;
            while (n < BATCH && input.hasNext()) {
                Row r = input.next();
                long index = r.getLong(0);
                int label = -1;
                if (!r.isNullAt(1)) {
                    label = r.getInt(1);
                    boolean passedThrough = ModelConfig.readsNoLabel(c.model()); // a vae reads no class: any is carried through
                    if (label < 0 || (label >= c.numClasses() && !passedThrough)) {
                        throw new NvaeException(labelOption + ": row " + index + " holds class " + label + (passedThrough
                                ? "; a class is 0 or more (null for none)" : "; the model has classes 0.." + (c.numClasses() - 1)));
                    }
                }
                if (label < 0 && c.isConditional() && !c.hasClassifier()) {
                    throw new NvaeException(labelOption + ": row " + index + " has no class (null); a " + c.model() + " encodes with the class");
                }
                // A vae reads no class, and a label-free model is refused --iw on the driver: the rest need one for iwae_nll.
                if (label < 0 && iw > 0 && c.isConditional() && !c.labelFree()) {
                    throw new NvaeException(labelOption + ": row " + index + " has no class (null); --iw's iwae_nll needs the true class");
                }
                images.read(r.get(2), index, pixels);
                ModelData.forEvaluation(c, pixels, index);
                scorer.put(n, pixels, label, index);
                indices[n] = index;
                known[n] = label >= 0;
                n++;
            }
            scorer.score(be, n, seed);
            List<Scorer.Block> blocks = scorer.blocks();
            for (int i = 0; i < n; i++) {
                float[] e = scorer.encoding(i);
                List<Object> values = new ArrayList<>(8 + blocks.size());
                values.add(indices[i]);
                values.add(known[i] ? (int) e[0] : null);
                if (classNames != null) {
                    values.add(scorer.predicted(i));
                    values.add(scorer.probability(i));
                    values.add(classNames.get(scorer.predicted(i)));
                }
                for (int b = 0; b < blocks.size(); b++) {
                    int from = scorer.blockOffset(b);
                    values.add(Arrays.copyOfRange(e, from, from + blocks.get(b).width()));
                }
                values.add(negElbo ? scorer.negElbo(i) : null);
                if (iw > 0) values.add(scorer.iwaeNll(i));
                batch[i] = RowFactory.create(values.toArray());
            }
            count = n;
            position = 0;
        }
    }
}
