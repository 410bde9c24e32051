package dev.nvae.bench.jmh;

import dev.nvae.backend.Backend;
import dev.nvae.backend.Backends;
import dev.nvae.data.DataSources;
import dev.nvae.data.Dataset;
import dev.nvae.data.Split;
import dev.nvae.kernels.ParallelElementwise;
import dev.nvae.model.BatchLoss;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.NVae;
import dev.nvae.model.Workspace;
import dev.nvae.optim.Adam;
import dev.nvae.random.Rng;
import dev.nvae.train.Trainer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * One whole training step of the mlp N-VAE at batch 128 — batch from bytes, noise, forward, loss,
 * backward, finiteness check, Adam — as {@link Trainer} runs it. Examples/s = 128 / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsPrepend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-XX:+UseParallelGC"})
public class TrainStepBench {
    @Param({"vector", "onednn"})
    public String backend;

    @Param("2")
    public int threads;

    @Param("128")
    public int batch;

    private Backend be;
    private NVae model;
    private Workspace ws;
    private Adam adam;
    private ParallelElementwise parallel;
    private Dataset data;
    private int[] order;
    private int position, step;
    private final BatchLoss loss = new BatchLoss();

    @Setup(Level.Trial)
    public void setUp() {
        be = Backends.create(backend, threads);
        if (!be.name().equals(backend)) throw new IllegalStateException(backend + " unavailable; got " + be.name());
        data = DataSources.load("testdata", Split.TRAIN);
        model = new NVae(ModelConfig.mlp(data.height(), data.width(), data.numClasses(), 8, 4, 1, 1));
        model.initialize(0);
        ws = model.workspace(batch);
        adam = new Adam(model.params(), model.grads(), 1e-3);
        parallel = new ParallelElementwise(be.workers());
        order = new int[data.count()];
        Rng.stream(0, 0).permutation(order);
        JitWarmUp.run(this::trainStep);
    }

    @Benchmark
    public double trainStep() {
        if (position + batch > order.length) position = 0;
        data.fillBatch(order, position, batch, ws.x.segment(), ws.labels);
        position += batch;
        Trainer.fillNoise(ws.eps, batch, Rng.stream(0, 0, step++));
        loss.clear();
        model.forwardBackward(be, ws, batch, loss);
        if (!parallel.allFinite(model.grads().flat(), model.grads().layout().totalFloats())) throw new IllegalStateException("non-finite gradient");
        adam.step(parallel);
        return loss.total;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        adam.close();
        ws.close();
        model.close();
        be.close();
    }
}
