package dev.nvae.bench;

import dev.nvae.backend.Backend;
import dev.nvae.backend.Backends;
import dev.nvae.bench.jmh.GemmOperands;
import dev.nvae.bench.jmh.MlpShapes;
import dev.nvae.bench.openblas.OpenBlas;

import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * Single-thread GFLOP/s of every mlp GEMM shape by <em>thread CPU time</em>, vector backend against
 * OpenBLAS, alternating. On a machine shared with other work, wall-clock benchmarks measure the
 * neighbours; the CPU time of one thread does not (caches and clock aside). A development probe for
 * kernel work — the figures that count come from JMH and bench/compare on a quiet machine.
 *
 * <pre>java ... dev.nvae.bench.CpuTimeGemmProbe [backend=vector] [rounds=7] [batch=128]</pre>
 */
public final class CpuTimeGemmProbe {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        String impl = args.length > 0 ? args[0] : "vector";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 128;
        OpenBlas.setThreads(1);
        double totalFlops = 0, oursTime = 0, blasTime = 0;
        System.out.printf("%-10s %9s %9s %6s%n", "shape", impl, "openblas", "ratio");
        try (Backend be = Backends.create(impl, 1); Arena arena = Arena.ofShared()) {
            java.util.List<MlpShapes> shapes = MlpShapes.all(batch);
            java.util.List<GemmOperands> buffers = new java.util.ArrayList<>();
            for (MlpShapes s : shapes) buffers.add(new GemmOperands(arena, s, batch));
            // JIT warm-up of every code path first, so the first shape is not measured in the interpreter.
            long until = System.nanoTime() + 3_000_000_000L;
            while (System.nanoTime() < until) {
                for (GemmOperands b : buffers) b.runOn(be);
            }
            for (int si = 0; si < shapes.size(); si++) {
                MlpShapes s = shapes.get(si);
                GemmOperands b = buffers.get(si);
                double ours = Double.MAX_VALUE, blas = Double.MAX_VALUE;
                int reps = (int) Math.max(3, 2e8 / s.flops());
                for (int r = 0; r < rounds; r++) {
                    ours = Math.min(ours, time(() -> b.runOn(be), reps));
                    blas = Math.min(blas, time(b::runOnOpenBlas, reps));
                }
                totalFlops += s.flops();
                oursTime += ours;
                blasTime += blas;
                System.out.printf(Locale.ROOT, "%-10s %9.1f %9.1f %5.0f%%%n", s.name(), s.flops() / ours, s.flops() / blas, 100 * blas / ours);
            }
        }
        System.out.printf(Locale.ROOT, "%-10s %9.1f %9.1f %5.0f%%  (GFLOP/s per thread by CPU time, best of %d)%n",
                "all", totalFlops / oursTime, totalFlops / blasTime, 100 * blasTime / oursTime, rounds);
    }

    /** Nanoseconds of this thread's CPU time per call. */
    private static double time(Runnable op, int reps) {
        long t0 = MX.getCurrentThreadCpuTime();
        for (int i = 0; i < reps; i++) op.run();
        return (double) (MX.getCurrentThreadCpuTime() - t0) / reps;
    }
}
