package dev.nvae.bench.jmh;

import dev.nvae.backend.Backend;
import dev.nvae.backend.Backends;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.NVae;
import dev.nvae.model.Workspace;
import dev.nvae.random.Rng;
import dev.nvae.tensor.Tensor;
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

import java.lang.foreign.Arena;
import java.util.concurrent.TimeUnit;

/**
 * Decoding prior latents to pixel probabilities — the work of {@code sample} — at batch 1 (latency),
 * 128 and 1000 (throughput). Samples/s = batch / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 3, jvmArgsPrepend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-XX:+UseParallelGC"})
public class DecodeBench {
    @Param({"vector", "onednn"})
    public String backend;

    @Param({"1", "128", "1000"})
    public int batch;

    @Param("2")
    public int threads;

    private Backend be;
    private NVae model;
    private Workspace ws;
    private Arena arena;
    private Tensor latent, probs;

    @Setup(Level.Trial)
    public void setUp() {
        be = Backends.create(backend, threads);
        if (!be.name().equals(backend)) throw new IllegalStateException(backend + " unavailable; got " + be.name());
        ModelConfig c = MlpShapes.CONFIG;
        model = new NVae(c);
        model.initialize(0);
        ws = model.workspace(batch);
        arena = Arena.ofShared();
        latent = Tensor.allocate(arena, "latent", batch, c.latentDim());
        probs = Tensor.allocate(arena, "probs", batch, c.inputDim());
        Rng rng = Rng.stream(0, 1);
        for (long i = 0; i < latent.size(); i++) latent.setFlat(i, (float) rng.nextGaussian());
        for (int i = 0; i < batch; i++) ws.labels[i] = i % c.numClasses();
        JitWarmUp.run(this::decode);
    }

    @Benchmark
    public Tensor decode() {
        model.latentsToDecoderInput(ws, latent, batch);
        model.decode(be, ws, batch);
        be.sigmoid(ws.logitsX, probs, batch);
        return probs;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ws.close();
        model.close();
        be.close();
        arena.close();
    }
}
