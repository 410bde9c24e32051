package dev.nvae.bench.jmh;

import dev.nvae.backend.Backend;
import dev.nvae.backend.Backends;
import dev.nvae.bench.TrainingStep;
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
 * One whole training step of the N-VAE (mlp or conv) at batch 128 ({@link TrainingStep}: as the Trainer runs it).
 * Examples/s = 128 / time.
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

    @Param({"mlp", "conv"})
    public String arch;

    @Param("2")
    public int threads;

    @Param("128")
    public int batch;

    private Backend be;
    private TrainingStep step;

    @Setup(Level.Trial)
    public void setUp() {
        be = Backends.create(backend, threads);
        if (!be.name().equals(backend)) throw new IllegalStateException(backend + " unavailable; got " + be.name());
        step = new TrainingStep(be, batch, arch);
        JitWarmUp.run(this::trainStep);
    }

    @Benchmark
    public double trainStep() {
        return step.run();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        step.close();
        be.close();
    }
}
