package dev.nvae.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static dev.nvae.tensor.Tensor.F32;

/**
 * 2-D convolutions on the Vector API, split between a pool's threads: the three products a convolution
 * layer and a transposed-convolution layer need — {@link #forward} (a convolution, or the backward-data of
 * a transposed one), {@link #transposed} (its adjoint: a transposed convolution, or the backward-data of a
 * convolution) and {@link #weights} (the weight and bias gradients of both). Signatures, geometry and
 * layouts are those of {@link ConvolutionScalar}, the twin each method is tested against and falls back to
 * under {@code -Dnvae.simd=scalar}.
 *
 * <p>How: each product is an implicit GEMM ({@link ConvPlan} describes the forms) whose micro-kernels
 * ({@link ConvKernels}) are {@link Gemm}'s register-blocked one, reading their operands in place from a
 * padded copy of the example in a suitable layout instead of from packed im2col matrices. Forward and
 * transposed run example by example, each worker on its own examples: the example is copied into its
 * padded layout (a pass over its input, about 1/(k·k·co) of the work), its output is computed tile by
 * tile into a heap buffer and copied to the destination in one bulk copy.
 *
 * <p>Results do not depend on the thread count (the work is split by examples, output tiles or channels,
 * never inside one sum), and every sum but the bias gradient runs in {@link ConvolutionScalar}'s order,
 * so all but it agree with the twin to the last bit. One instance serves one
 * thread of control; it keeps one {@link ConvPlan} per geometry and allocates only on the first call of a
 * geometry (and of a larger batch, for {@link #weights}).
 */
public final class Convolution implements WorkerPool.Task {
    /**
     * Shapes with at most this many input channels take the spatial forms of F and T ({@link ConvPlan}):
     * a channels-last F would have only k·k·ci steps per output tile — 16 for an image's one channel —
     * against a transposed store of the whole tile, and a channels-last T would fill NR-wide column panels
     * with 1 or 3 channels (a decoder's output image), leaving 15/16 or 13/16 of each multiply-add unused.
     */
    static final int SPATIAL_MAX_CHANNELS = 4;
    /** Steps (output pixels, in whole rows) of {@link #weights} per pass over the worker's tiles: keeps a chunk of both operands in L2. */
    static final int CHUNK = 256;
    /** Examples per pass of the spatial {@link #weights}: the same, in examples. */
    static final int EXAMPLE_CHUNK = 8;

    private static final int L = ConvKernels.L, NR = ConvKernels.NR, MR = ConvKernels.MR;
    private static final VectorMask<Float>[] PREFIX = ConvKernels.PREFIX;

    private enum Phase { PACK_F, RUN_F, PACK_T, RUN_T, CONVERT_G, TILES_G }

    private final WorkerPool pool;
    private final int spatialMaxChannels;
    private final List<ConvPlan> plans = new ArrayList<>();

    // The call in flight (fields rather than a lambda so that a call allocates nothing).
    private Phase phase;
    private ConvPlan plan;
    private int batch;
    private boolean hasBias, relu, accumulate, sumOutput;
    private MemorySegment src, dst, srcI, srcO, db;

    public Convolution(WorkerPool pool) {
        this(pool, SPATIAL_MAX_CHANNELS);
    }

    /** With another threshold for the spatial forms, so tests cover both forms at any channel count. */
    Convolution(WorkerPool pool, int spatialMaxChannels) {
        this.pool = pool;
        this.spatialMaxChannels = spatialMaxChannels;
    }

    /** See {@link ConvolutionScalar#forward}. */
    public void forward(int ci, int h, int w, int co, int k, int stride, int pad, int batch,
                        MemorySegment src, MemorySegment wt, MemorySegment bias, boolean relu, MemorySegment dst) {
        if (batch == 0) return;
        if (Simd.SCALAR) {
            ConvolutionScalar.forward(ci, h, w, co, k, stride, pad, batch, src, wt, bias, relu, dst);
            return;
        }
        ConvPlan p = plan(ci, h, w, co, k, stride, pad);
        MemorySegment.copy(wt, F32, 0, p.weights, 0, p.weights.length);
        if (bias != null) MemorySegment.copy(bias, F32, 0, p.bias, 0, co);
        start(p, batch, bias != null, relu);
        this.src = src;
        this.dst = dst;
        try {
            phase = Phase.PACK_F;
            pool.run(this);
            phase = Phase.RUN_F;
            pool.run(this);
        } finally {
            this.src = null;
            this.dst = null;
        }
    }

    /** See {@link ConvolutionScalar#transposed}. */
    public void transposed(int ci, int h, int w, int co, int k, int stride, int pad, int batch,
                           MemorySegment src, MemorySegment wt, MemorySegment bias, boolean relu, MemorySegment dst) {
        if (batch == 0) return;
        if (Simd.SCALAR) {
            ConvolutionScalar.transposed(ci, h, w, co, k, stride, pad, batch, src, wt, bias, relu, dst);
            return;
        }
        ConvPlan p = plan(ci, h, w, co, k, stride, pad);
        MemorySegment.copy(wt, F32, 0, p.weights, 0, p.weights.length);
        if (bias != null) MemorySegment.copy(bias, F32, 0, p.bias, 0, ci);
        start(p, batch, bias != null, relu);
        this.src = src;
        this.dst = dst;
        try {
            phase = Phase.PACK_T;
            pool.run(this);
            phase = Phase.RUN_T;
            pool.run(this);
        } finally {
            this.src = null;
            this.dst = null;
        }
    }

    /**
     * {@link ConvolutionScalar#weights}, and, unless {@code db} is null, the bias gradient: the
     * {@link ConvolutionScalar#channelSums} of srcO when {@code biasOfOutput} (a convolution's bias) or of
     * srcI (a transposed convolution's), added to db's old values when {@code accumulate} like dw.
     */
    public void weights(int ci, int h, int w, int co, int k, int stride, int pad, int batch,
                        MemorySegment srcI, MemorySegment srcO, MemorySegment dw, MemorySegment db,
                        boolean biasOfOutput, boolean accumulate) {
        if (Simd.SCALAR || batch == 0) {
            ConvolutionScalar.weights(ci, h, w, co, k, stride, pad, batch, srcI, srcO, dw, accumulate);
            if (db != null) {
                int oh = ConvolutionScalar.outSize(h, k, stride, pad), ow = ConvolutionScalar.outSize(w, k, stride, pad);
                if (biasOfOutput) ConvolutionScalar.channelSums(srcO, batch, co, oh * ow, db, accumulate);
                else ConvolutionScalar.channelSums(srcI, batch, ci, h * w, db, accumulate);
            }
            return;
        }
        ConvPlan p = plan(ci, h, w, co, k, stride, pad);
        p.ensureBatchG(batch, biasOfOutput ? co : ci);
        if (accumulate) MemorySegment.copy(dw, F32, 0, p.gradient, 0, p.gradient.length);
        start(p, batch, false, false);
        this.srcI = srcI;
        this.srcO = srcO;
        this.db = db;
        this.sumOutput = biasOfOutput;
        this.accumulate = accumulate;
        try {
            phase = Phase.CONVERT_G;
            pool.run(this);
            phase = Phase.TILES_G;
            pool.run(this);
        } finally {
            this.srcI = null;
            this.srcO = null;
            this.db = null;
        }
        MemorySegment.copy(p.gradient, 0, dw, F32, 0, p.gradient.length);
    }

    private void start(ConvPlan p, int batch, boolean hasBias, boolean relu) {
        this.plan = p;
        this.batch = batch;
        this.hasBias = hasBias;
        this.relu = relu;
    }

    /** The plan of this geometry: found by comparing fields (no key object), built on the first call. */
    private ConvPlan plan(int ci, int h, int w, int co, int k, int stride, int pad) {
        for (int i = 0; i < plans.size(); i++) {
            ConvPlan p = plans.get(i);
            if (p.matches(ci, h, w, co, k, stride, pad)) return p;
        }
        boolean spatial = ci <= spatialMaxChannels;
        ConvPlan p = new ConvPlan(ci, h, w, co, k, stride, pad, pool.threads(), spatial, spatial);
        plans.add(p);
        return p;
    }

    @Override
    public void run(int worker, int workers) {
        switch (phase) {
            case PACK_F -> packF(worker, workers);
            case RUN_F -> runF(worker, workers);
            case PACK_T -> packT(worker, workers);
            case RUN_T -> runT(worker, workers);
            case CONVERT_G -> convertG(worker, workers);
            case TILES_G -> tilesG(worker, workers);
        }
    }

    // ---- F: convolution ---------------------------------------------------------------------------------

    /**
     * Channels-last: weight panels (panel, step (ky, kx, c), NR output channels). Spatial: weight blocks
     * (block, step, MR output channels). Zero past co either way.
     */
    private void packF(int worker, int workers) {
        ConvPlan p = plan;
        float[] wt = p.weights;
        int kk = p.k * p.k, steps = p.stepsF, width = p.spatialF ? MR : NR;
        float[] packed = p.spatialF ? p.packedSF : p.packedF;
        int units = p.spatialF ? p.blocksF : p.panelsF;
        for (int u = WorkerPool.splitStart(units, worker, workers); u < WorkerPool.splitStart(units, worker + 1, workers); u++) {
            for (int ky = 0; ky < p.k; ky++) {
                for (int kx = 0; kx < p.k; kx++) {
                    for (int c = 0; c < p.ci; c++) {
                        int t = (ky * p.k + kx) * p.ci + c, to = (u * steps + t) * width;
                        for (int j = 0; j < width; j++) {
                            int o = u * width + j;
                            packed[to + j] = o < p.co ? wt[o * steps + c * kk + ky * p.k + kx] : 0f;
                        }
                    }
                }
            }
        }
    }

    private void runF(int worker, int workers) {
        ConvPlan p = plan;
        float[] in = scratch(p.exampleIn, worker, p.exampleInSize());
        float[] padded = scratch(p.paddedF, worker, p.paddedFSize());
        float[] out = scratch(p.stagingF, worker, p.co * p.pixelsOut);
        float[] tile = scratch(p.tile, worker, MR * NR);
        int inSize = p.ci * p.pixelsIn, outSize = p.co * p.pixelsOut;
        for (int n = WorkerPool.splitStart(batch, worker, workers); n < WorkerPool.splitStart(batch, worker + 1, workers); n++) {
            MemorySegment.copy(src, F32, (long) n * inSize * Float.BYTES, in, 0, inSize);
            if (p.spatialF) {
                ConvKernels.toPhasePlanes(in, p.ci, p.h, p.w, p.pad, p.stride, padded, 0, p.phaseRows, p.phasePitch, p.phaseColumn);
                spatialF(padded, tile, out);
            } else {
                ConvKernels.toChannelsLast(in, p.ci, p.h, p.w, padded, 0, p.wp, p.pad, p.pad, p.ci, p.gatherIn);
                channelsLastF(padded, tile, out);
            }
            MemorySegment.copy(out, 0, dst, F32, (long) n * outSize * Float.BYTES, outSize);
        }
    }

    private void channelsLastF(float[] padded, float[] tile, float[] out) {
        ConvPlan p = plan;
        int rows = p.pixelsOut, full = rows / MR * MR;
        for (int r0 = 0; r0 < rows; r0 += MR) {
            for (int pn = 0; pn < p.panelsF; pn++) {
                int bo = pn * p.stepsF * NR;
                if (r0 < full) {
                    ConvKernels.tapTile8(padded, p.rowF, r0, p.tapF, p.ci, p.packedF, bo, tile);
                } else {
                    for (int r = r0; r < rows; r++) {
                        ConvKernels.tapRow1(padded, p.rowF, r, p.tapF, p.ci, p.packedF, bo, tile, (r - r0) * NR);
                    }
                }
                storeF(tile, r0, Math.min(MR, rows - r0), pn, out);
            }
        }
    }

    /** Tile rows (output pixels r0..) × panel pn's channels into the NCHW staging, with bias and ReLU. */
    private void storeF(float[] tile, int r0, int rows, int pn, float[] out) {
        ConvPlan p = plan;
        int cols = Math.min(NR, p.co - pn * NR), pixels = p.pixelsOut;
        for (int jj = 0; jj < cols; jj++) {
            int o = pn * NR + jj, at = o * pixels + r0;
            float b = p.bias[o];
            for (int j = 0; j < rows; j++) out[at + j] = epilogue(tile[j * NR + jj], b);
        }
    }

    /** Blocks of MR output channels × pairs of pixel vectors; each vector stored whole (masked on a row's end). */
    private void spatialF(float[] planes, float[] tile, float[] out) {
        ConvPlan p = plan;
        int slots = p.slotsF;
        VectorMask<Float> ragged = PREFIX[p.slotLanesF[slots - 1]];  // every row's last vector has these lanes
        for (int blk = 0; blk < p.blocksF; blk++) {
            int ao = blk * p.stepsF * MR, channels = Math.min(MR, p.co - blk * MR);
            for (int sl = 0; sl < slots; sl += 2) {
                int s1 = Math.min(sl + 1, slots - 1);
                ConvKernels.lanes8(p.packedSF, ao, p.stepSF, planes, p.slotF[sl], p.slotF[s1], tile);
                for (int j = 0; j < channels; j++) {
                    int o = blk * MR + j, at = o * p.pixelsOut;
                    storeVector(tile, j * NR, out, at + p.slotOutF[sl], p.slotLanesF[sl] == L, ragged, p.bias[o]);
                    if (s1 != sl) storeVector(tile, j * NR + L, out, at + p.slotOutF[s1], p.slotLanesF[s1] == L, ragged, p.bias[o]);
                }
            }
        }
    }

    /** The epilogue on a vector of the tile, stored to out[at : at + L], or its lanes under {@code ragged}. */
    private void storeVector(float[] tile, int from, float[] out, int at, boolean whole, VectorMask<Float> ragged, float bias) {
        FloatVector v = FloatVector.fromArray(ConvKernels.S, tile, from);
        if (hasBias) v = v.add(bias);
        if (relu) v = v.max(0f);
        if (whole) v.intoArray(out, at);
        else v.intoArray(out, at, ragged);
    }

    // ---- T: transposed convolution ------------------------------------------------------------------

    /**
     * Per phase class: channels-last, weight panels (panel, step (tap, o), NR input channels), zero past
     * ci; spatial, weight rows (c, step (tap, o)).
     */
    private void packT(int worker, int workers) {
        ConvPlan p = plan;
        float[] wt = p.weights;
        int kk = p.k * p.k, classes = p.stride * p.stride;
        for (int cls = WorkerPool.splitStart(classes, worker, workers); cls < WorkerPool.splitStart(classes, worker + 1, workers); cls++) {
            int[] taps = p.tapsT[cls];
            int tapCount = taps.length / 2, steps = tapCount * p.co;
            if (p.spatialT) {
                float[] packed = p.packedST[cls];
                for (int c = 0; c < p.ci; c++) {
                    for (int t = 0; t < tapCount; t++) {
                        int tap = taps[2 * t] * p.k + taps[2 * t + 1];
                        for (int o = 0; o < p.co; o++) packed[c * steps + t * p.co + o] = wt[(o * p.ci + c) * kk + tap];
                    }
                }
                continue;
            }
            float[] packed = p.packedT[cls];
            for (int pn = 0; pn < p.panelsT; pn++) {
                for (int t = 0; t < tapCount; t++) {
                    int tap = taps[2 * t] * p.k + taps[2 * t + 1];
                    for (int o = 0; o < p.co; o++) {
                        int to = (pn * steps + t * p.co + o) * NR;
                        for (int j = 0; j < NR; j++) {
                            int c = pn * NR + j;
                            packed[to + j] = c < p.ci ? wt[(o * p.ci + c) * kk + tap] : 0f;
                        }
                    }
                }
            }
        }
    }

    private void runT(int worker, int workers) {
        ConvPlan p = plan;
        float[] in = scratch(p.exampleIn, worker, p.exampleInSize());
        float[] padded = scratch(p.paddedT, worker, p.paddedTSize());
        float[] out = scratch(p.stagingT, worker, p.ci * p.pixelsIn);
        float[] tile = scratch(p.tile, worker, MR * NR);
        int inSize = p.co * p.pixelsOut, outSize = p.ci * p.pixelsIn;
        for (int n = WorkerPool.splitStart(batch, worker, workers); n < WorkerPool.splitStart(batch, worker + 1, workers); n++) {
            MemorySegment.copy(src, F32, (long) n * inSize * Float.BYTES, in, 0, inSize);
            if (p.spatialT) ConvKernels.toPlanes(in, p.co, p.oh, p.ow, padded, p.hpo, p.wpo, p.top, p.left);
            else ConvKernels.toChannelsLast(in, p.co, p.oh, p.ow, padded, 0, p.wpo, p.top, p.left, p.co, p.gatherOut);
            for (int cls = 0; cls < p.stride * p.stride; cls++) {
                if (p.spatialT) spatialClass(padded, cls, tile, out);
                else channelsLastClass(padded, cls, tile, out);
            }
            MemorySegment.copy(out, 0, dst, F32, (long) n * outSize * Float.BYTES, outSize);
        }
    }

    private void channelsLastClass(float[] padded, int cls, float[] tile, float[] out) {
        ConvPlan p = plan;
        int[] rowOff = p.rowT[cls], taps = p.tapOffT[cls], pixel = p.pixelT[cls];
        int rows = rowOff.length, full = rows / MR * MR, steps = taps.length * p.co;
        for (int r0 = 0; r0 < rows; r0 += MR) {
            for (int pn = 0; pn < p.panelsT; pn++) {
                int bo = pn * steps * NR;
                if (r0 < full) {
                    ConvKernels.tapTile8(padded, rowOff, r0, taps, p.co, p.packedT[cls], bo, tile);
                } else {
                    for (int r = r0; r < rows; r++) {
                        ConvKernels.tapRow1(padded, rowOff, r, taps, p.co, p.packedT[cls], bo, tile, (r - r0) * NR);
                    }
                }
                int cols = Math.min(NR, p.ci - pn * NR), n = Math.min(MR, rows - r0);
                for (int jj = 0; jj < cols; jj++) {
                    int c = pn * NR + jj, at = c * p.pixelsIn;
                    float b = p.bias[c];
                    for (int j = 0; j < n; j++) out[at + pixel[r0 + j]] = epilogue(tile[j * NR + jj], b);
                }
            }
        }
    }

    /** One output channel at a time × four vectors of the class's pixels; lanes stored stride apart. */
    private void spatialClass(float[] planes, int cls, float[] tile, float[] out) {
        ConvPlan p = plan;
        int[] slot = p.slotT[cls], steps = p.stepST[cls];
        int slots = slot.length, last = slots - 1;
        for (int c = 0; c < p.ci; c++) {
            int ao = c * steps.length, at = c * p.pixelsIn;
            float b = p.bias[c];
            for (int sl = 0; sl < slots; sl += 4) {
                ConvKernels.lanes1(p.packedST[cls], ao, steps, planes, slot[sl], slot[Math.min(sl + 1, last)],
                        slot[Math.min(sl + 2, last)], slot[Math.min(sl + 3, last)], tile);
                for (int v = sl; v < Math.min(sl + 4, slots); v++) {
                    int base = at + p.slotOutT[cls][v], lanes = p.slotLanesT[cls][v], from = (v - sl) * L;
                    for (int l = 0; l < lanes; l++) out[base + l * p.stride] = epilogue(tile[from + l], b);
                }
            }
        }
    }

    private float epilogue(float sum, float bias) {
        float v = hasBias ? sum + bias : sum;
        return relu ? Math.max(v, 0f) : v;
    }

    // ---- G: weight and bias gradients ----------------------------------------------------------------

    /**
     * Copies of both operands for the whole batch — channels-last, or for the spatial form srcI's phase
     * planes and srcO as it is — and each example's channel sums for db.
     */
    private void convertG(int worker, int workers) {
        ConvPlan p = plan;
        float[] in = scratch(p.exampleIn, worker, p.exampleInSize());
        int sizeI = p.ci * p.pixelsIn, sizeO = p.co * p.pixelsOut, exampleI = p.exampleG();
        for (int n = WorkerPool.splitStart(batch, worker, workers); n < WorkerPool.splitStart(batch, worker + 1, workers); n++) {
            MemorySegment.copy(srcI, F32, (long) n * sizeI * Float.BYTES, in, 0, sizeI);
            if (p.spatialF) ConvKernels.toPhasePlanes(in, p.ci, p.h, p.w, p.pad, p.stride, p.aG, n * exampleI, p.phaseRows, p.phasePitch, p.phaseColumn);
            else ConvKernels.toChannelsLast(in, p.ci, p.h, p.w, p.aG, n * exampleI, p.wp, p.pad, p.pad, p.ci, p.gatherIn);
            if (db != null && !sumOutput) {
                for (int c = 0; c < p.ci; c++) p.exampleSums[n * p.ci + c] = ConvKernels.sum(in, c * p.pixelsIn, p.pixelsIn);
            }
            MemorySegment.copy(srcO, F32, (long) n * sizeO * Float.BYTES, in, 0, sizeO);
            if (p.spatialF) ConvKernels.toPaddedRows(in, p.co * p.oh, p.ow, p.bG, n * p.co * p.rowsG, p.rowPitchG);
            else ConvKernels.toChannelsLast(in, p.co, p.oh, p.ow, p.bG, n * p.pixelsOut * p.pitchG, p.ow, 0, 0, p.pitchG, p.gatherOut);
            if (db != null && sumOutput) {
                for (int c = 0; c < p.co; c++) p.exampleSums[n * p.co + c] = ConvKernels.sum(in, c * p.pixelsOut, p.pixelsOut);
            }
        }
    }

    /**
     * This worker's tiles of dw (row blocks of (ky, kx, c) × panels of co), over every output pixel of the
     * batch in chunks of {@link #CHUNK} steps, the partial sums parked in {@code partialG} in between;
     * then its share of the bias channels, summed over the examples in order.
     */
    private void tilesG(int worker, int workers) {
        ConvPlan p = plan;
        int items = p.itemsG(), i0 = WorkerPool.splitStart(items, worker, workers), i1 = WorkerPool.splitStart(items, worker + 1, workers);
        if (p.spatialF) spatialG(i0, i1);
        else channelsLastG(i0, i1);
        if (db != null) {
            int channels = sumOutput ? p.co : p.ci;
            for (int c = WorkerPool.splitStart(channels, worker, workers); c < WorkerPool.splitStart(channels, worker + 1, workers); c++) {
                float s = 0f;
                for (int n = 0; n < batch; n++) s += p.exampleSums[n * channels + c];
                db.setAtIndex(F32, c, accumulate ? db.getAtIndex(F32, c) + s : s);
            }
        }
    }

    private void channelsLastG(int i0, int i1) {
        ConvPlan p = plan;
        int runs = batch * p.oh, rows = p.stepsF, chunk = Math.max(1, CHUNK / p.ow), aStride = p.stride * p.ci;
        float[] partial = p.partialG;
        for (int run0 = 0; run0 < runs; run0 += chunk) {
            int run1 = Math.min(runs, run0 + chunk);
            boolean resume = run0 > 0;
            for (int item = i0; item < i1; item++) {
                int r0 = item / p.panelsG * MR, pn = item % p.panelsG, bo = run0 * p.ow * p.pitchG + pn * NR, to = item * MR * NR;
                if (r0 + MR <= rows) {
                    ConvKernels.runTile8(p.aG, p.rowG, r0, p.runG, run0, run1, p.ow, aStride, p.bG, bo, p.pitchG, partial, to, resume);
                } else {
                    for (int r = r0; r < rows; r++) {
                        ConvKernels.runRow1(p.aG, p.rowG, r, p.runG, run0, run1, p.ow, aStride, p.bG, bo, p.pitchG, partial,
                                to + (r - r0) * NR, resume);
                    }
                }
            }
        }
        float[] dw = p.gradient;
        for (int item = i0; item < i1; item++) {
            int r0 = item / p.panelsG * MR, pn = item % p.panelsG, to = item * MR * NR;
            int n = Math.min(MR, rows - r0), cols = Math.min(NR, p.co - pn * NR);
            for (int j = 0; j < n; j++) {
                int column = p.weightIndex[r0 + j];
                for (int jj = 0; jj < cols; jj++) {
                    int at = (pn * NR + jj) * rows + column;
                    float v = partial[to + j * NR + jj];
                    dw[at] = accumulate ? dw[at] + v : v;
                }
            }
        }
    }

    /**
     * Spatial form: items are (block of MR output channels, pair of steps); each sums over the batch in
     * chunks of {@link #EXAMPLE_CHUNK} examples (which stay in L2 while every item of this worker reads
     * them), its 16 vectors of lane sums parked in {@code partialG} in between, then adds up their lanes.
     */
    private void spatialG(int i0, int i1) {
        ConvPlan p = plan;
        int pairs = (p.stepsF + 1) / 2, exampleI = p.exampleG();
        float[] partial = p.partialG, dw = p.gradient;
        for (int n0 = 0; n0 < batch; n0 += EXAMPLE_CHUNK) {
            int n1 = Math.min(batch, n0 + EXAMPLE_CHUNK);
            for (int item = i0; item < i1; item++) {
                int blk = item / pairs, t0 = item % pairs * 2, t1 = Math.min(t0 + 1, p.stepsF - 1);
                ConvKernels.gradLanes(p.bG, blk * MR * p.rowsG, p.co * p.rowsG, p.blockRowsG[blk], p.aG, p.stepSF[t0],
                        p.stepSF[t1], exampleI, n0, n1, p.slotOutG, p.slotF, partial, item * MR * NR, n0 > 0);
            }
        }
        for (int item = i0; item < i1; item++) {
            int blk = item / pairs, t0 = item % pairs * 2, t1 = Math.min(t0 + 1, p.stepsF - 1);
            int channels = Math.min(MR, p.co - blk * MR);
            for (int j = 0; j < channels; j++) {
                for (int q = 0; q < (t1 > t0 ? 2 : 1); q++) {
                    // The same sum in every JIT tier (reduceLanes(ADD) is not): see ConvKernels.sumLanes.
                    float v = ConvKernels.sumLanes(FloatVector.fromArray(ConvKernels.S, partial, item * MR * NR + (2 * j + q) * L));
                    int at = (blk * MR + j) * p.stepsF + p.weightIndex[q == 0 ? t0 : t1];
                    dw[at] = accumulate ? dw[at] + v : v;
                }
            }
        }
    }

    /** Worker {@code worker}'s buffer of {@code size} floats, allocated on its first use in this plan. */
    private static float[] scratch(float[][] perWorker, int worker, int size) {
        float[] s = perWorker[worker];
        if (s == null) perWorker[worker] = s = new float[Math.max(1, size)];
        return s;
    }
}
