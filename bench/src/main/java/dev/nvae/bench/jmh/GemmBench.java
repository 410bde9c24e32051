package dev.nvae.bench.jmh;

import dev.nvae.backend.Backend;
import dev.nvae.backend.Backends;
import dev.nvae.bench.openblas.OpenBlas;
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
 * Every GEMM of an mlp training step at batch 128, on each backend and on OpenBLAS (the ceiling), in
 * one run. The backends run what the model runs — forward with its bias (+ ReLU) epilogue, dW with
 * accumulation and the bias column sums — OpenBLAS the bare sgemm, which slightly favours OpenBLAS.
 * GFLOP/s = {@link MlpShapes#flops()} / time; {@code bench/jmh-table} prints them side by side.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 300, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 300, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 3, jvmArgsPrepend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-XX:+UseParallelGC"})
public class GemmBench {
    @Param({"vector", "onednn", "openblas"})
    public String impl;

    @Param({"enc1.fwd", "enc1.dW", "enc2.fwd", "enc2.dX", "enc2.dW", "heads.fwd", "heads.dX", "heads.dW",
            "dec1.fwd", "dec1.dX", "dec1.dW", "dec2.fwd", "dec2.dX", "dec2.dW", "dec3.fwd", "dec3.dX", "dec3.dW"})
    public String shape;

    @Param("128")
    public int batch;

    @Param("2")
    public int threads;

    private Arena arena;
    private Backend backend;
    private GemmOperands operands;

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofShared();
        operands = new GemmOperands(arena, MlpShapes.named(shape, batch), batch);
        if (impl.equals("openblas")) {
            OpenBlas.setThreads(threads);
        } else {
            backend = Backends.create(impl, threads);
            if (!backend.name().equals(impl)) throw new IllegalStateException(impl + " unavailable; got " + backend.name());
        }
        JitWarmUp.run(this::gemm);
    }

    @Benchmark
    public void gemm() {
        if (backend != null) operands.runOn(backend);
        else operands.runOnOpenBlas();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (backend != null) backend.close();
        arena.close();
    }
}
