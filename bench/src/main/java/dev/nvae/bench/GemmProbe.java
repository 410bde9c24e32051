package dev.nvae.bench;

import dev.nvae.kernels.Gemm;
import dev.nvae.kernels.WorkerPool;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Quick GFLOP/s probe of the three GEMM forms on the mlp's largest shape (not a JMH benchmark). */
public final class GemmProbe {
    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int m = 128, k = 784, n = 512;
        try (Arena arena = Arena.ofShared(); WorkerPool pool = new WorkerPool(threads)) {
            MemorySegment x = arena.allocate((long) m * k * 4, 64), w = arena.allocate((long) k * n * 4, 64);
            MemorySegment y = arena.allocate((long) m * n * 4, 64), dx = arena.allocate((long) m * k * 4, 64);
            MemorySegment dw = arena.allocate((long) k * n * 4, 64), bias = arena.allocate(n * 4L, 64);
            Gemm g = new Gemm(pool);
            for (int form = 0; form < 3; form++) {
                double best = 0;
                for (int rep = 0; rep < 30; rep++) {
                    long t0 = System.nanoTime();
                    int iters = 20;
                    for (int i = 0; i < iters; i++) {
                        switch (form) {
                            case 0 -> g.multiply(false, false, m, n, k, x, 0, k, w, 0, n, y, 0, n, false, bias, true);
                            case 1 -> g.multiply(false, true, m, k, n, y, 0, n, w, 0, n, dx, 0, k, false, null, false);
                            default -> g.multiply(true, false, k, n, m, x, 0, k, y, 0, n, dw, 0, n, true, null, false);
                        }
                    }
                    double gf = 2.0 * m * n * k * iters / (System.nanoTime() - t0);
                    best = Math.max(best, gf);
                }
                System.out.printf("%s: %.1f GFLOP/s%n", new String[]{"forward x.W", "backward-data dy.W^T", "backward-weights x^T.dy"}[form], best);
            }
        }
    }
}
