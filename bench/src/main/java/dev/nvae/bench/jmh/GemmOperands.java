package dev.nvae.bench.jmh;

import dev.nvae.backend.Backend;
import dev.nvae.bench.openblas.OpenBlas;
import dev.nvae.tensor.Tensor;

import java.lang.foreign.Arena;
import java.util.SplittableRandom;

/**
 * The buffers of one GEMM shape of the mlp (B batch, I layer input, O layer output), filled with small
 * random values, and the product run the way the model runs it on a backend — forward with its
 * bias (+ ReLU) epilogue, dW with the bias gradient — or as the bare sgemm on OpenBLAS.
 */
public final class GemmOperands {
    private final MlpShapes s;
    private final int batch;
    private final Tensor x, w, b, y, dy, dx, dw, db;

    public GemmOperands(Arena arena, MlpShapes s, int batch) {
        this.s = s;
        this.batch = batch;
        int in = s.in(), out = s.out();
        x = random(arena, "x", batch, in);       // (B, I)
        w = random(arena, "w", in, out);         // (I, O)
        b = random(arena, "b", 1, out);          // (1, O)
        y = random(arena, "y", batch, out);      // (B, O)
        dy = random(arena, "dy", batch, out);    // (B, O)
        dx = random(arena, "dx", batch, in);     // (B, I)
        dw = random(arena, "dw", in, out);       // (I, O)
        db = random(arena, "db", 1, out);        // (1, O)
    }

    public void runOn(Backend be) {
        switch (s.form()) {
            case "fwd" -> be.linearForward(x, w, b, y, batch, s.relu());
            case "dX" -> be.linearBackwardData(dy, w, dx, batch);
            default -> be.linearBackwardWeights(x, dy, dw, db, batch);
        }
    }

    public void runOnOpenBlas() {
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
