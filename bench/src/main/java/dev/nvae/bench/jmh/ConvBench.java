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
 * Every convolution product of a conv N-VAE training step (batch 128) and of its decoder (batch 1000), on
 * each backend and, as the ceiling, OpenBLAS running the im2col GEMM of the same size bare (no im2col, no
 * col2im, no bias: it favours OpenBLAS). GFLOP/s = 2·multiply-adds / time; {@code bench/jmh} prints them
 * side by side.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 300, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 300, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 3, jvmArgsPrepend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-XX:+UseParallelGC"})
public class ConvBench {
    @Param({"vector", "onednn", "openblas"})
    public String impl;

    @Param({"enc1.fwd", "enc1.dX", "enc1.dW", "enc2.fwd", "enc2.dX", "enc2.dW",
            "dec1.fwd", "dec1.dX", "dec1.dW", "dec2.fwd", "dec2.dX", "dec2.dW"})
    public String shape;

    @Param("128")
    public int batch;

    @Param("2")
    public int threads;

    private Arena arena;
    private Backend backend;
    private ConvOperands operands;

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofShared();
        operands = new ConvOperands(arena, ConvShapes.named(shape), batch);
        if (impl.equals("openblas")) {
            OpenBlas.setThreads(threads);
        } else {
            backend = Backends.create(impl, threads);
            if (!backend.name().equals(impl)) throw new IllegalStateException(impl + " unavailable; got " + backend.name());
        }
        JitWarmUp.run(this::conv);
    }

    @Benchmark
    public void conv() {
        if (backend != null) operands.runOn(backend);
        else operands.runOnOpenBlas();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (backend != null) backend.close();
        arena.close();
    }
}
