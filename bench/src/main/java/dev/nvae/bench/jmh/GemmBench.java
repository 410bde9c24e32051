package dev.nvae.bench.jmh;

import dev.nvae.backend.Backend;
import dev.nvae.backend.Backends;
import dev.nvae.bench.openblas.OpenBlas;
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
import java.util.SplittableRandom;
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
    private MlpShapes s;
    private Tensor x, w, b, y, dy, dx, dw, db;

    @Setup(Level.Trial)
    public void setUp() {
        s = MlpShapes.named(shape, batch);
        arena = Arena.ofShared();
        int in = s.in(), out = s.out();
        x = random("x", batch, in);
        w = random("w", in, out);
        b = random("b", 1, out);
        y = random("y", batch, out);
        dy = random("dy", batch, out);
        dx = random("dx", batch, in);
        dw = random("dw", in, out);
        db = random("db", 1, out);
        if (impl.equals("openblas")) {
            OpenBlas.setThreads(threads);
        } else {
            backend = Backends.create(impl, threads);
            if (!backend.name().equals(impl)) throw new IllegalStateException(impl + " unavailable; got " + backend.name());
        }
        JitWarmUp.run(this::gemm);
    }

    private Tensor random(String name, int rows, int cols) {
        Tensor t = Tensor.allocate(arena, name, rows, cols);
        SplittableRandom r = new SplittableRandom(name.hashCode());
        for (long i = 0; i < t.size(); i++) t.setFlat(i, (float) (r.nextDouble() - 0.5) * 0.1f);
        return t;
    }

    @Benchmark
    public void gemm() {
        if (backend != null) {
            switch (s.form()) {
                case "fwd" -> backend.linearForward(x, w, b, y, batch, s.relu());
                case "dX" -> backend.linearBackwardData(dy, w, dx, batch);
                default -> backend.linearBackwardWeights(x, dy, dw, db, batch);
            }
        } else {
            int in = s.in(), out = s.out();
            switch (s.form()) {
                case "fwd" -> OpenBlas.sgemm(false, false, batch, out, in, 1f, x.segment(), in, w.segment(), out, 0f, y.segment(), out);
                case "dX" -> OpenBlas.sgemm(false, true, batch, in, out, 1f, dy.segment(), out, w.segment(), out, 0f, dx.segment(), in);
                default -> OpenBlas.sgemm(true, false, in, out, batch, 1f, x.segment(), in, dy.segment(), out, 1f, dw.segment(), out);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (backend != null) backend.close();
        arena.close();
    }
}
