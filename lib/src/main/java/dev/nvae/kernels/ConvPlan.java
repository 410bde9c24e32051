package dev.nvae.kernels;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything {@link Convolution} precomputes for one geometry, built on the first call of that shape and
 * reused by every later one: index tables, packed weights and every worker's scratch. Geometry letters as
 * in {@link ConvolutionScalar}: input space (ci, h, w), output space (co, oh, ow), kernel k, stride s.
 *
 * <p>Each product is an implicit GEMM whose operands are read in place from a copy of one example (or the
 * batch) in a layout chosen so that the multiply-adds' operands are contiguous runs. Copies are padded with
 * a zero border wide enough that no tap ever falls outside them, so the kernels have no bounds logic; the
 * border is zero from allocation and never written, which is why each layout has its own buffer.
 * <ul>
 *   <li><b>F</b> (convolution), channels-last: rows the output pixels, columns the co output channels
 *       (vectors), steps (ky, kx, c) — for each tap a run of the ci channels of one input pixel, in a
 *       channels-last ("NHWC") copy of the input. The output tile is stored transposed (NCHW).</li>
 *   <li><b>F</b>, spatial (few input channels, where the steps above are too few to pay for that
 *       transposed store): rows the output channels, columns runs of L output pixels along a row
 *       (vectors, stored as they are), steps (ky, kx, c) reading the input split into s×s phase planes
 *       — plane (a, b) holds the pixels (a + s·i, b + s·j) of the padded input — where the pixels a tap
 *       reads for consecutive outputs of a row are consecutive.</li>
 *   <li><b>T</b> (the adjoint, a transposed convolution): the input pixels fall into s² phase classes by
 *       (iy mod s, ix mod s); within a class every pixel sees the same taps at the same offsets, so each
 *       class is an F-like product over the padded output-space tensor — no scatter, no overlapping
 *       writes. Channels-last (columns the ci channels) in general; spatial (columns runs of a class's
 *       pixels, from padded NCHW planes) when ci is small, where a column panel would be mostly padding.</li>
 *   <li><b>G</b> (weight gradient): rows (ky, kx, c), columns co, steps every output pixel of the batch,
 *       over channels-last copies of the whole batch.</li>
 * </ul>
 * Every form sums in {@link ConvolutionScalar}'s order: over (ky, kx) and then channels for F and T, over
 * (n, oy, ox) for G.
 */
final class ConvPlan {
    static final int MR = 8;
    private static final int L = ConvKernels.L, NR = ConvKernels.NR;

    final int ci, h, w, co, k, stride, pad, oh, ow;
    final int pixelsIn, pixelsOut;          // h·w, oh·ow
    final int stepsF;                       // k·k·ci, also the columns of the weights

    // F, channels-last: padded input (hp, wp, ci) per example.
    final boolean spatialF;
    final int hp, wp;
    final int panelsF;                      // column panels of co
    final int[] rowF;                       // (oh·ow): output pixel -> offset of its top-left tap
    final int[] tapF;                       // (k·k): tap (ky, kx) -> offset of its first channel from there
    final float[] packedF;                  // (panelsF, stepsF, NR)

    // F, spatial: phase planes (ci, s, s, phaseRows, phasePitch) per example.
    final int phaseRows, phasePitch, planeSize;
    final int slotsF;                       // vectors of output pixels per channel: oh·⌈ow/L⌉
    final int[] slotF;                      // slot -> offset in a phase plane of its first pixel
    final int[] slotOutF;                   // slot -> oy·ow + first ox
    final int[] slotLanesF;                 // slot -> valid lanes (L but on a row's last vector)
    final int[] stepSF;                     // (ky, kx, c) -> offset of the plane position the step reads
    final int[] phaseColumn;                // x -> (xp mod s)·planeSize + xp / s, xp = x + pad
    final int blocksF;                      // row blocks of MR output channels
    final float[] packedSF;                 // (blocksF, stepsF, MR), zero past co

    // T: padded output-space tensor (hpo, wpo) per example, channels-last with pitch co or NCHW planes.
    final boolean spatialT;
    final int top, left, hpo, wpo, planeT;
    final int panelsT;                      // column panels of ci (channels-last)
    final int[][] tapsT;                    // per class: its taps as (ky, kx) pairs, in order
    final int[][] tapOffT;                  // per class: tap -> offset (channels-last)
    final int[][] rowT;                     // per class: input pixel -> offset of it in the padded tensor (channels-last)
    final int[][] pixelT;                   // per class: input pixel -> iy·w + ix
    final float[][] packedT;                // per class: (panelsT, taps·co, NR)
    final int[][] slotT, slotOutT, slotLanesT;  // per class, spatial: as slotF, with outputs s apart
    final int[][] stepST;                   // per class, spatial: (tap, o) -> offset in the planes
    final float[][] packedST;               // per class, spatial: (ci, taps·co)

    // G: the whole batch, channels-last: srcI padded (n, hp, wp, ci), srcO (n, oh·ow, pitchG); spatial
    // (spatialF): srcI's phase planes (n, ci, s, s, phaseRows, phasePitch), srcO as it is (n, co, oh·ow).
    final int pitchG, panelsG;
    final int rowPitchG, rowsG;             // spatial: srcO's rows padded to whole vectors; floats of one channel
    final int[] slotOutG;                   // spatial: slot -> offset of its pixels in a channel of srcO
    final int[][] blockRowsG;               // spatial: per block of MR output channels, each row's offset in srcO
    final int[] rowG;                       // (k·k·ci): (ky, kx, c) -> offset
    final int[] weightIndex;                // (k·k·ci): (ky, kx, c) -> c·k·k + ky·k + kx, its column in dw
    int[] runG = new int[0];                // (n·oh): output row -> offset of its first pixel's top-left tap, grown with the batch
    float[] aG = new float[0], bG = new float[0];
    final float[] partialG;                 // (items, MR, NR): accumulators between step chunks
    float[] exampleSums = new float[0];     // (n, channels): per-example channel sums for the bias gradient

    // Gathers of L channels of one pixel, in the input and in the output space: c·h·w and c·oh·ow.
    final int[] gatherIn = new int[L], gatherOut = new int[L];

    // The call's weights (co, ci·k·k), bias and weight gradient, copied between their segments and the heap.
    final float[] weights, bias, gradient;

    // Per worker: one example's source copied from its segment, its padded copies, its output before the
    // copy back, one tile of accumulators.
    final float[][] exampleIn, paddedF, paddedT, stagingF, stagingT, tile;

    /** @param spatial whether F and T take their spatial forms (see {@link Convolution}) */
    ConvPlan(int ci, int h, int w, int co, int k, int stride, int pad, int workers, boolean spatialF, boolean spatialT) {
        this.ci = ci; this.h = h; this.w = w; this.co = co; this.k = k; this.stride = stride; this.pad = pad;
        this.oh = ConvolutionScalar.outSize(h, k, stride, pad);
        this.ow = ConvolutionScalar.outSize(w, k, stride, pad);
        this.pixelsIn = h * w;
        this.pixelsOut = oh * ow;
        this.stepsF = k * k * ci;
        this.spatialF = spatialF;
        this.spatialT = spatialT;

        // F, channels-last.
        hp = h + 2 * pad;
        wp = w + 2 * pad;
        panelsF = (co + NR - 1) / NR;
        rowF = new int[pixelsOut];
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) rowF[oy * ow + ox] = (oy * stride * wp + ox * stride) * ci;
        }
        tapF = new int[k * k];
        for (int ky = 0; ky < k; ky++) {
            for (int kx = 0; kx < k; kx++) tapF[ky * k + kx] = (ky * wp + kx) * ci;
        }
        packedF = spatialF ? new float[0] : new float[Math.multiplyExact(panelsF * NR, stepsF)];

        // F, spatial.
        phaseRows = (hp + stride - 1) / stride;
        phasePitch = (wp + stride - 1) / stride;
        planeSize = phaseRows * phasePitch;
        int groups = (ow + L - 1) / L;
        slotsF = oh * groups;
        slotF = new int[slotsF];
        slotOutF = new int[slotsF];
        slotLanesF = new int[slotsF];
        for (int oy = 0; oy < oh; oy++) {
            for (int g = 0; g < groups; g++) {
                slotF[oy * groups + g] = oy * phasePitch + g * L;
                slotOutF[oy * groups + g] = oy * ow + g * L;
                slotLanesF[oy * groups + g] = Math.min(L, ow - g * L);
            }
        }
        stepSF = new int[stepsF];
        for (int ky = 0; ky < k; ky++) {
            for (int kx = 0; kx < k; kx++) {
                for (int c = 0; c < ci; c++) {
                    int plane = (c * stride + ky % stride) * stride + kx % stride;
                    stepSF[(ky * k + kx) * ci + c] = plane * planeSize + ky / stride * phasePitch + kx / stride;
                }
            }
        }
        phaseColumn = new int[w];
        for (int x = 0; x < w; x++) phaseColumn[x] = (x + pad) % stride * planeSize + (x + pad) / stride;
        blocksF = (co + MR - 1) / MR;
        packedSF = spatialF ? new float[Math.multiplyExact(blocksF * MR, stepsF)] : new float[0];

        // T: how far the taps of every class reach outside the output image gives the padding.
        int minY = 0, maxY = oh - 1, minX = 0, maxX = ow - 1;
        for (int p = 0; p < stride; p++) {
            for (int tap = 0; tap < k; tap++) {
                if (Math.floorMod(p + pad - tap, stride) != 0) continue;
                int d = Math.floorDiv(p + pad - tap, stride);
                if (p < h) {
                    minY = Math.min(minY, d);
                    maxY = Math.max(maxY, classCount(h, p) - 1 + d);
                }
                if (p < w) {
                    minX = Math.min(minX, d);
                    maxX = Math.max(maxX, classCount(w, p) - 1 + d);
                }
            }
        }
        top = -minY;
        left = -minX;
        hpo = maxY - minY + 1;
        wpo = maxX - minX + 1;
        planeT = hpo * wpo;
        panelsT = (ci + NR - 1) / NR;
        int classes = stride * stride;
        tapsT = new int[classes][];
        tapOffT = new int[classes][];
        rowT = new int[classes][];
        pixelT = new int[classes][];
        packedT = new float[classes][];
        slotT = new int[classes][];
        slotOutT = new int[classes][];
        slotLanesT = new int[classes][];
        stepST = new int[classes][];
        packedST = new float[classes][];
        for (int py = 0; py < stride; py++) {
            for (int px = 0; px < stride; px++) {
                int cls = py * stride + px, ny = classCount(h, py), nx = classCount(w, px);
                rowT[cls] = new int[ny * nx];
                pixelT[cls] = new int[ny * nx];
                for (int qy = 0; qy < ny; qy++) {
                    for (int qx = 0; qx < nx; qx++) {
                        rowT[cls][qy * nx + qx] = ((qy + top) * wpo + qx + left) * co;
                        pixelT[cls][qy * nx + qx] = (py + stride * qy) * w + px + stride * qx;
                    }
                }
                List<int[]> taps = classTaps(py, px);
                int n = taps.size();
                tapsT[cls] = new int[2 * n];
                tapOffT[cls] = new int[n];
                stepST[cls] = new int[n * co];
                for (int t = 0; t < n; t++) {
                    tapsT[cls][2 * t] = taps.get(t)[0];
                    tapsT[cls][2 * t + 1] = taps.get(t)[1];
                    int dy = Math.floorDiv(py + pad - taps.get(t)[0], stride), dx = Math.floorDiv(px + pad - taps.get(t)[1], stride);
                    tapOffT[cls][t] = (dy * wpo + dx) * co;
                    for (int o = 0; o < co; o++) stepST[cls][t * co + o] = o * planeT + dy * wpo + dx;
                }
                packedT[cls] = spatialT ? new float[0] : new float[Math.multiplyExact(panelsT * NR, n * co)];
                packedST[cls] = spatialT ? new float[Math.multiplyExact(ci, n * co)] : new float[0];
                int g = (nx + L - 1) / L;
                slotT[cls] = new int[ny * g];
                slotOutT[cls] = new int[ny * g];
                slotLanesT[cls] = new int[ny * g];
                for (int qy = 0; qy < ny; qy++) {
                    for (int j = 0; j < g; j++) {
                        slotT[cls][qy * g + j] = (qy + top) * wpo + left + j * L;
                        slotOutT[cls][qy * g + j] = (py + stride * qy) * w + px + stride * j * L;
                        slotLanesT[cls][qy * g + j] = Math.min(L, nx - j * L);
                    }
                }
            }
        }

        // G.
        pitchG = roundUp(co, NR);
        panelsG = pitchG / NR;
        rowG = new int[stepsF];
        weightIndex = new int[stepsF];
        for (int ky = 0; ky < k; ky++) {
            for (int kx = 0; kx < k; kx++) {
                for (int c = 0; c < ci; c++) {
                    rowG[(ky * k + kx) * ci + c] = (ky * wp + kx) * ci + c;
                    weightIndex[(ky * k + kx) * ci + c] = (c * k + ky) * k + kx;
                }
            }
        }
        rowPitchG = groups * L;
        rowsG = oh * rowPitchG;
        slotOutG = new int[slotsF];
        for (int oy = 0; oy < oh; oy++) {
            for (int g = 0; g < groups; g++) slotOutG[oy * groups + g] = oy * rowPitchG + g * L;
        }
        blockRowsG = new int[blocksF][MR];
        for (int blk = 0; blk < blocksF; blk++) {
            for (int j = 0; j < MR; j++) blockRowsG[blk][j] = Math.min(j, co - blk * MR - 1) * rowsG;  // past co: repeat the last
        }
        partialG = new float[itemsG() * MR * NR];

        for (int c = 0; c < L; c++) {
            gatherIn[c] = c * pixelsIn;
            gatherOut[c] = c * pixelsOut;
        }
        weights = new float[co * stepsF];
        gradient = new float[co * stepsF];
        bias = new float[Math.max(ci, co)];
        exampleIn = new float[workers][];
        paddedF = new float[workers][];
        paddedT = new float[workers][];
        stagingF = new float[workers][];
        stagingT = new float[workers][];
        tile = new float[workers][];
    }

    boolean matches(int ci, int h, int w, int co, int k, int stride, int pad) {
        return this.ci == ci && this.h == h && this.w == w && this.co == co && this.k == k && this.stride == stride
                && this.pad == pad;
    }

    /** Floats of a worker's copy of one example's source: the larger side, and a vector of slack for row copies. */
    int exampleInSize() {
        return Math.max(ci * pixelsIn, co * pixelsOut) + L;
    }

    /** Floats of F's padded copy of one example: channels-last, or phase planes with a vector of slack. */
    int paddedFSize() {
        return spatialF ? ci * stride * stride * planeSize + L : hp * wp * ci;
    }

    /** Floats of T's padded copy of one example: channels-last, or NCHW planes with a vector of slack. */
    int paddedTSize() {
        return spatialT ? co * planeT + L : planeT * co;
    }

    /** Pixels p, p + s, p + 2s, ... below {@code size}: the length of phase class p on one axis. */
    int classCount(int size, int p) {
        return p < size ? (size - 1 - p) / stride + 1 : 0;
    }

    /**
     * The taps (ky, kx) that reach the input pixels of class (py, px), in (ky, kx) order: ky with
     * py + pad − ky a multiple of the stride (then oy = qy + (py + pad − ky)/s), likewise kx.
     */
    private List<int[]> classTaps(int py, int px) {
        List<int[]> taps = new ArrayList<>();
        for (int ky = 0; ky < k; ky++) {
            if (Math.floorMod(py + pad - ky, stride) != 0) continue;
            for (int kx = 0; kx < k; kx++) {
                if (Math.floorMod(px + pad - kx, stride) == 0) taps.add(new int[]{ky, kx});
            }
        }
        return taps;
    }

    /** Work items of G: row blocks of MR (the last one ragged) × column panels, or (spatial) channel blocks × step pairs. */
    int itemsG() {
        return spatialF ? blocksF * ((stepsF + 1) / 2) : (stepsF + MR - 1) / MR * panelsG;
    }

    /** Floats of one example's srcI copy in G. */
    int exampleG() {
        return spatialF ? ci * stride * stride * planeSize : hp * wp * ci;
    }

    /** Grows the whole-batch buffers of G to {@code batch} examples (the first call at a larger batch only). */
    void ensureBatchG(int batch, int sumChannels) {
        int sums = Math.multiplyExact(batch, sumChannels);
        if (exampleSums.length < sums) exampleSums = new float[sums];
        if (spatialF) {
            // A vector of slack past the last example: the last pixel vector of a row may read beyond it.
            int a = Math.addExact(Math.multiplyExact(batch, exampleG()), L), b = Math.multiplyExact(batch, co * rowsG);
            if (aG.length < a) aG = new float[a];
            if (bG.length < b) bG = new float[b];
            return;
        }
        int steps = Math.multiplyExact(batch, pixelsOut), runs = Math.multiplyExact(batch, oh);
        if (runG.length < runs) {
            runG = new int[runs];
            int example = hp * wp * ci;
            for (int n = 0; n < batch; n++) {
                for (int oy = 0; oy < oh; oy++) runG[n * oh + oy] = n * example + oy * stride * wp * ci;
            }
        }
        int a = Math.multiplyExact(batch, Math.multiplyExact(hp * wp, ci));
        if (aG.length < a) aG = new float[a];
        int b = Math.multiplyExact(steps, pitchG);
        if (bG.length < b) bG = new float[b];
    }

    static int roundUp(int n, int multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }
}
