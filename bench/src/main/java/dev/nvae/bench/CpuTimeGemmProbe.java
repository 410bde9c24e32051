package dev.nvae.bench;

import dev.nvae.backend.Backend;
import dev.nvae.backend.Backends;
import dev.nvae.bench.jmh.MlpShapes;
import dev.nvae.bench.openblas.OpenBlas;
import dev.nvae.tensor.Tensor;

import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.SplittableRandom;

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
            java.util.List<Buffers> buffers = new java.util.ArrayList<>();
            for (MlpShapes s : shapes) buffers.add(new Buffers(arena, s, batch));
            // JIT warm-up of every code path first, so the first shape is not measured in the interpreter.
            long until = System.nanoTime() + 3_000_000_000L;
            while (System.nanoTime() < until) {
                for (int i = 0; i < shapes.size(); i++) buffers.get(i).backend(be, shapes.get(i));
            }
            for (int si = 0; si < shapes.size(); si++) {
                MlpShapes s = shapes.get(si);
                Buffers b = buffers.get(si);
                double ours = Double.MAX_VALUE, blas = Double.MAX_VALUE;
                int reps = (int) Math.max(3, 2e8 / s.flops());
                for (int r = 0; r < rounds; r++) {
                    ours = Math.min(ours, time(() -> b.backend(be, s), reps));
                    blas = Math.min(blas, time(() -> b.openBlas(s), reps));
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

    private static final class Buffers {
        final Tensor x, w, b, y, dy, dx, dw, db;
        final int batch;

        Buffers(Arena arena, MlpShapes s, int batch) {
            this.batch = batch;
            int in = s.in(), out = s.out();
            x = random(arena, "x", batch, in);
            w = random(arena, "w", in, out);
            b = random(arena, "b", 1, out);
            y = random(arena, "y", batch, out);
            dy = random(arena, "dy", batch, out);
            dx = random(arena, "dx", batch, in);
            dw = random(arena, "dw", in, out);
            db = random(arena, "db", 1, out);
        }

        void backend(Backend be, MlpShapes s) {
            switch (s.form()) {
                case "fwd" -> be.linearForward(x, w, b, y, batch, s.relu());
                case "dX" -> be.linearBackwardData(dy, w, dx, batch);
                default -> be.linearBackwardWeights(x, dy, dw, db, batch);
            }
        }

        void openBlas(MlpShapes s) {
            int in = s.in(), out = s.out();
            switch (s.form()) {
                case "fwd" -> OpenBlas.sgemm(false, false, batch, out, in, 1f, x.segment(), in, w.segment(), out, 0f, y.segment(), out);
                case "dX" -> OpenBlas.sgemm(false, true, batch, in, out, 1f, dy.segment(), out, w.segment(), out, 0f, dx.segment(), in);
                default -> OpenBlas.sgemm(true, false, in, out, batch, 1f, x.segment(), in, dy.segment(), out, 1f, dw.segment(), out);
            }
        }

        private static Tensor random(Arena arena, String name, int rows, int cols) {
            Tensor t = Tensor.allocate(arena, name, rows, cols);
            SplittableRandom r = new SplittableRandom(name.hashCode());
            for (long i = 0; i < t.size(); i++) t.setFlat(i, (float) (r.nextDouble() - 0.5) * 0.1f);
            return t;
        }
    }
}
