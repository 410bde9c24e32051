package dev.nvae.train;

import dev.nvae.NvaeException;
import dev.nvae.backend.Backend;
import dev.nvae.data.Dataset;
import dev.nvae.kernels.ParallelElementwise;
import dev.nvae.model.BatchLoss;
import dev.nvae.model.Workspace;
import dev.nvae.optim.Adam;
import dev.nvae.random.Rng;
import dev.nvae.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Mini-batch training with Adam. The data order of epoch e is a permutation drawn from stream
 * (seed, e) and the noise of step s from stream (seed, e, s), so a run is a pure function of seed,
 * data and thread count — and, because our kernels never split a reduction across threads, of seed
 * and data alone.
 */
public final class Trainer {
    private final Trainable model;
    private final Backend backend;
    private final Dataset data;
    private final TrainOptions options;
    private final TrainingListener listener;

    public Trainer(Trainable model, Backend backend, Dataset data, TrainOptions options, TrainingListener listener) {
        if (data.dim() != model.inputDim()) {
            throw new NvaeException("data has " + data.dim() + " values per example but the model expects " + model.inputDim());
        }
        if (data.numClasses() > model.numClasses()) {
            throw new NvaeException("data has " + data.numClasses() + " classes but the model has " + model.numClasses());
        }
        if (data.count() == 0) throw new NvaeException("--data: no training examples");
        this.model = model;
        this.backend = backend;
        this.data = data;
        this.options = options;
        this.listener = listener;
    }

    public List<EpochSummary> run() {
        int n = data.count();
        int batch = Math.min(options.batchSize(), n);
        int steps = (n + batch - 1) / batch;
        int[] order = new int[n];
        BatchLoss stepLoss = new BatchLoss();
        BatchLoss epochLoss = new BatchLoss();
        List<EpochSummary> summaries = new ArrayList<>();
        ParallelElementwise parallel = new ParallelElementwise(backend.workers());
        try (Workspace ws = model.workspace(batch); Adam adam = new Adam(model.params(), model.grads(), options.learningRate())) {
            for (int epoch = 0; epoch < options.epochs(); epoch++) {
                Rng.stream(options.seed(), epoch).permutation(order);
                epochLoss.clear();
                long start = System.nanoTime();
                for (int step = 0; step < steps; step++) {
                    int from = step * batch;
                    int count = Math.min(batch, n - from);
                    data.fillBatch(order, from, count, ws.x.segment(), ws.labels);
                    model.prepareBatch(ws, count, Rng.stream(options.seed(), epoch, step));
                    stepLoss.clear(); // no zeroing of the gradients: the backward pass writes every one
                    model.forwardBackward(backend, ws, count, stepLoss);
                    if (!Double.isFinite(stepLoss.total)
                            || !parallel.allFinite(model.grads().flat(), model.grads().layout().totalFloats())) {
                        throw new NvaeException("training diverged: non-finite " + (Double.isFinite(stepLoss.total) ? "gradient" : "loss")
                                + " at epoch " + (epoch + 1) + ", step " + (step + 1) + "; try a smaller --lr");
                    }
                    adam.step(parallel);
                    epochLoss.add(stepLoss);
                    double secs = (System.nanoTime() - start) / 1e9;
                    listener.onStep(epoch, step, steps, epochLoss, epochLoss.count / Math.max(secs, 1e-9));
                }
                double secs = (System.nanoTime() - start) / 1e9;
                EpochSummary s = new EpochSummary(epoch + 1, options.epochs(), epochLoss.count, epochLoss.meanTotal(),
                        epochLoss.meanRec(), epochLoss.meanKlS(), epochLoss.meanKlC(), epochLoss.meanCe(),
                        epochLoss.accuracy(), secs, epochLoss.count / secs);
                summaries.add(s);
                listener.onEpoch(s);
            }
        }
        return summaries;
    }

    /** Standard normal noise in the first {@code rows} rows. */
    public static void fillNoise(Tensor eps, int rows, Rng rng) {
        long n = (long) rows * eps.cols();
        for (long i = 0; i < n; i++) eps.setFlat(i, (float) rng.nextGaussian());
    }
}
