package dev.nvae.bench;

import dev.nvae.backend.AdoptedWeights;
import dev.nvae.backend.Backend;
import dev.nvae.data.DataSources;
import dev.nvae.data.Dataset;
import dev.nvae.data.Split;
import dev.nvae.kernels.ParallelElementwise;
import dev.nvae.model.BatchLoss;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.LatentModel;
import dev.nvae.model.Workspace;
import dev.nvae.optim.Adam;
import dev.nvae.random.Rng;
import dev.nvae.train.Trainer;

/**
 * One training step of the N-VAE (mlp or conv architecture) as {@link Trainer} runs it — batch from bytes, noise, forward, loss,
 * backward, Adam with its finiteness check (the default {@code --on-nan stop}), and at bf16 the weights'
 * copies made again — on the committed data, for the benchmarks that time it whole
 * ({@code TrainStepBench}) or by phase ({@link StepProfile}).
 */
public final class TrainingStep implements AutoCloseable {
    /** The phases of {@link #run(long[])}, in order. */
    public static final String[] PHASES = {"batch", "noise", "forward+backward", "adam + finite check (+ bf16 copies)",
            "bf16 weight copies (vector)"};

    private final Backend be;
    private final LatentModel model;
    private final Workspace ws;
    private final Adam adam;
    private final AdoptedWeights weights;
    private final ParallelElementwise parallel;
    private final Dataset data;
    private final int[] order;
    private final int batch;
    private final BatchLoss loss = new BatchLoss();
    private int position, step;

    /** The mlp N-VAE. */
    public TrainingStep(Backend be, int batch) {
        this(be, batch, ModelConfig.MLP);
    }

    /** The N-VAE on {@code arch} ({@link ModelConfig#MLP} or {@link ModelConfig#CONV}, each at its default widths). */
    public TrainingStep(Backend be, int batch, String arch) {
        this.be = be;
        this.batch = batch;
        data = DataSources.load("testdata", Split.TRAIN);
        ModelConfig config = ModelConfig.mlp(data.height(), data.width(), data.numClasses(), 8, 4, 1, 1);
        if (ModelConfig.CONV.equals(arch)) config = config.withArchitecture(arch, new int[]{256}, ModelConfig.CONV_CHANNELS);
        else if (!ModelConfig.MLP.equals(arch)) throw new IllegalArgumentException("arch " + arch + ": expected mlp or conv");
        model = LatentModel.create(config);
        model.initialize(0);
        ws = model.workspace(batch);
        adam = new Adam(model.params(), model.grads(), 1e-3);
        weights = be.adoptWeights(model.params());
        parallel = new ParallelElementwise(be.workers());
        order = new int[data.count()];
        Rng.stream(0, 0).permutation(order);
    }

    public int batch() {
        return batch;
    }

    /** One step; returns its loss. */
    public double run() {
        return run(null);
    }

    /** One step, adding each phase's nanoseconds to {@code phaseNanos} (indexed as {@link #PHASES}) when given. */
    public double run(long[] phaseNanos) {
        long t0 = System.nanoTime();
        if (position + batch > order.length) position = 0;
        data.fillBatch(order, position, batch, ws.x.segment(), ws.labels);
        position += batch;
        long t1 = System.nanoTime();
        ws.drawNoise(batch, Rng.stream(0, 0, step++));
        long t2 = System.nanoTime();
        loss.clear();
        model.forwardBackward(be, ws, batch, loss);
        long t3 = System.nanoTime();
        // As Trainer: at bf16 on oneDNN the update writes the weights' bf16 copies too; else they are remade after it.
        if (!adam.step(parallel, weights.bf16Image())) throw new IllegalStateException("non-finite gradient or parameter");
        long t4 = System.nanoTime();
        if (weights.bf16Image() == null) weights.changed();
        if (phaseNanos != null) {
            long t5 = System.nanoTime();
            phaseNanos[0] += t1 - t0;
            phaseNanos[1] += t2 - t1;
            phaseNanos[2] += t3 - t2;
            phaseNanos[3] += t4 - t3;
            phaseNanos[4] += t5 - t4;
        }
        return loss.total;
    }

    @Override
    public void close() {
        weights.close();
        adam.close();
        ws.close();
        model.close();
    }
}
