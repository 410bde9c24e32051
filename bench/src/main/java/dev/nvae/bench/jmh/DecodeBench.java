package dev.nvae.bench.jmh;

import dev.nvae.backend.Backend;
import dev.nvae.backend.Backends;
import dev.nvae.backend.Precision;
import dev.nvae.bench.PriorDecoder;
import dev.nvae.model.LatentModel;
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

import java.util.concurrent.TimeUnit;

/**
 * Decoding prior latents to pixel probabilities — the work of {@code sample} — at batch 1 (latency),
 * 128 and 1000 (throughput), at fp32 and with bf16 weights ({@code --precision bf16}: copies made once, as
 * for a loaded model). Samples/s = batch / time.
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

    @Param({"fp32", "bf16"})
    public String precision;

    private Backend be;
    private LatentModel model;
    private PriorDecoder decoder;

    @Setup(Level.Trial)
    public void setUp() {
        be = Backends.create(backend, threads, Precision.parse(precision), Backends.Use.INFERENCE, System.err::println);
        if (!be.name().equals(backend)) throw new IllegalStateException(backend + " unavailable; got " + be.name());
        model = LatentModel.create(MlpShapes.CONFIG);
        model.initialize(0);
        model.params().freeze();  // weights for inference, as a loaded model's
        be.adoptWeights(model.params());
        decoder = new PriorDecoder(model, batch);
        decoder.fillPrior(Rng.stream(0, 1), batch);
        JitWarmUp.run(this::decode);
    }

    @Benchmark
    public Tensor decode() {
        return decoder.decodeReady(be, batch);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        decoder.close();
        model.close();
        be.close();
    }
}
