package dev.nvae.bench.jmh;

import dev.nvae.backend.Backend;
import dev.nvae.backend.ConvLayouts;
import dev.nvae.backend.ConvShape;
import dev.nvae.bench.openblas.OpenBlas;
import dev.nvae.tensor.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

/**
 * The buffers of one convolution product of {@link ConvShapes}, filled with small random values, and the
 * product run the way the layers run it on a backend, or as the equal-sized bare sgemm on OpenBLAS.
 */
public final class ConvOperands {
    private final ConvShapes s;
    private final int batch;
    private final Tensor in, out, w, bIn, bOut, dw, dbIn, dbOut;
    private final int[] gemm;
    private final MemorySegment ga, gb, gc;

    public ConvOperands(Arena arena, ConvShapes s, int batch) {
        this.s = s;
        this.batch = batch;
        ConvShape c = s.shape();
        in = random(arena, "in", batch, c.inSize());                     // the convolution's input side
        out = random(arena, "out", batch, c.outSize());                  // its output side
        w = random(arena, "w", c.outChannels(), c.weightColumns());
        dw = random(arena, "dw", c.outChannels(), c.weightColumns());
        bIn = random(arena, "bIn", 1, c.inChannels());
        bOut = random(arena, "bOut", 1, c.outChannels());
        dbIn = random(arena, "dbIn", 1, c.inChannels());
        dbOut = random(arena, "dbOut", 1, c.outChannels());
        gemm = s.gemm(batch);
        ga = random(arena, "A", gemm[0], gemm[2]).segment();
        gb = random(arena, "B", gemm[2], gemm[1]).segment();
        gc = random(arena, "C", gemm[0], gemm[1]).segment();
    }

    public void runOn(Backend be) {
        ConvShape c = s.shape();
        if (!s.transposed()) {
            switch (s.form()) {
                case "fwd" -> be.convForward(c, ConvLayouts.NCHW, in, w, bOut, out, batch, s.relu());
                case "dX" -> be.convBackwardData(c, ConvLayouts.NCHW, out, w, in, batch);
                default -> be.convBackwardWeights(c, ConvLayouts.NCHW, in, out, dw, dbOut, batch, false);
            }
        } else {
            switch (s.form()) {
                case "fwd" -> be.convTransposeForward(c, ConvLayouts.NCHW, out, w, bIn, in, batch, s.relu());
                case "dX" -> be.convTransposeBackwardData(c, ConvLayouts.NCHW, in, w, out, batch);
                default -> be.convTransposeBackwardWeights(c, ConvLayouts.NCHW, out, in, dw, dbIn, batch, false);
            }
        }
    }

    public void runOnOpenBlas() {
        OpenBlas.sgemm(false, false, gemm[0], gemm[1], gemm[2], 1f, ga, gemm[2], gb, gemm[1], 0f, gc, gemm[1]);
    }

    private static Tensor random(Arena arena, String name, int rows, int cols) {
        Tensor t = Tensor.allocate(arena, name, rows, cols);
        SplittableRandom r = new SplittableRandom(name.hashCode());
        for (long i = 0; i < t.size(); i++) t.setFlat(i, (float) (r.nextDouble() - 0.5) * 0.1f);
        return t;
    }
}
