package dev.nvae.kernels;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything {@link Convolution} precomputes for one geometry, built on the first call of that shape and
 * reused by every later one: the index tables that turn each convolution into an implicit GEMM over
 * channels-last copies of its operands, the packed weights, and every worker's scratch. Geometry letters
 * as in {@link ConvolutionScalar}: input space (ci, h, w), output space (co, oh, ow), kernel k.
 *
 * <p>Channels-last ("NHWC") copies put the channels of one pixel next to each other, so a kernel tap
 * (ky, kx) over all channels is one contiguous run and every multiply-add of an implicit GEMM reads
 * {@code a[row + step]}: a row offset (an output pixel, or a weight position) plus a step offset (a tap
 * and channel, or an output pixel). Padded copies have a zero border wide enough that no tap is ever
 * outside them, so the kernels have no bounds logic; the border is written once (zero at allocation)
 * and never again, which is why each layout has its own buffer.
 *
 * <p>Three implicit GEMMs (rows × columns, summed over steps):
 * <ul>
 *   <li><b>F</b> (convolution): rows the co·oh·ow output pixels of one example, columns co, steps
 *       (ky, kx, c) over the padded input; weights packed as (panel, step, NR).</li>
 *   <li><b>T</b> (its adjoint, the transposed convolution): the input pixels split into stride² phase
 *       classes by (iy mod stride, ix mod stride); within a class every pixel sees the same taps, so each
 *       class is an F-like GEMM over the padded output-space tensor, with no scatter and no overlapping
 *       writes. With few input channels (a decoder's last layer: 1 or 3), whose column panel would be
 *       mostly padding, each pixel is instead a dot product over (tap, channel) vectors.</li>
 *   <li><b>G</b> (weight gradient): rows (ky, kx, c), columns co, steps every output pixel of the batch.</li>
 * </ul>
 */
final class ConvPlan {
    static final int MR = 8;

    final int ci, h, w, co, k, stride, pad, oh, ow;
    final int pixelsIn, pixelsOut;          // h·w, oh·ow

    // F: padded input (hp, wp, ci) per example.
    final int hp, wp;
    final int stepsF;                       // k·k·ci
    final int panelsF;                      // column panels of co
    final int[] rowF;                       // (oh·ow): output pixel -> offset of its top-left tap
    final int[] stepF;                      // (k·k·ci): (ky, kx, c) -> offset from it
    final float[] packedF;                  // (panelsF, stepsF, NR)

    // T: padded output-space tensor (hpo, wpo, pitchT) per example, one GEMM (or dot product) per class.
    final boolean dotT;
    final int top, left, hpo, wpo, pitchT;
    final int panelsT;                      // column panels of ci (GEMM form)
    final int[][] rowT;                     // per class: input pixel -> offset in the padded tensor
    final int[][] pixelT;                   // per class: input pixel -> iy·w + ix
    final int[][] tapsT;                    // per class: its taps as (ky, kx) pairs, in order
    final int[][] stepT;                    // per class: (tap, c) -> offset (GEMM form) or tap -> offset (dot form)
    final float[][] packedT;                // per class: (panelsT, steps, NR), or (ci, taps, pitchT) for the dot form

    // G: the whole batch, channels-last: srcI padded (n, hp, wp, ci), srcO (n, oh·ow, pitchG).
    final int pitchG, panelsG;
    final int[] rowG;                       // (k·k·ci): (ky, kx, c) -> offset
    final int[] weightIndex;                // (k·k·ci): (ky, kx, c) -> c·k·k + ky·k + kx, its column in dw
    int[] stepG = new int[0];               // (n·oh·ow): output pixel -> offset of its top-left tap, grown with the batch
    float[] aG = new float[0], bG = new float[0];
    float[] partialG;                       // (items, MR, NR): accumulators between step chunks
    float[] exampleSums = new float[0];     // (n, channels): per-example channel sums for the bias gradient

    // The call's weights (co, ci·k·k), bias and weight gradient, copied between their segments and the heap.
    final float[] weights, bias, gradient;

    // Per worker: one example's source copied from its segment, its channels-last copies, its output
    // before the copy back, one tile of accumulators.
    final float[][] exampleIn, paddedF, paddedT, stagingF, stagingT, tile;

    ConvPlan(int ci, int h, int w, int co, int k, int stride, int pad, int workers, boolean dotT) {
        this.ci = ci; this.h = h; this.w = w; this.co = co; this.k = k; this.stride = stride; this.pad = pad;
        this.oh = ConvolutionScalar.outSize(h, k, stride, pad);
        this.ow = ConvolutionScalar.outSize(w, k, stride, pad);
        this.pixelsIn = h * w;
        this.pixelsOut = oh * ow;
        int nr = ConvKernels.NR;

        hp = h + 2 * pad;
        wp = w + 2 * pad;
        stepsF = k * k * ci;
        panelsF = (co + nr - 1) / nr;
        rowF = new int[pixelsOut];
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) rowF[oy * ow + ox] = (oy * stride * wp + ox * stride) * ci;
        }
        stepF = new int[stepsF];
        for (int ky = 0; ky < k; ky++) {
            for (int kx = 0; kx < k; kx++) {
                for (int c = 0; c < ci; c++) stepF[(ky * k + kx) * ci + c] = (ky * wp + kx) * ci + c;
            }
        }
        packedF = new float[Math.multiplyExact(panelsF * nr, Math.max(1, stepsF))];

        this.dotT = dotT;
        // How far the taps of every class reach outside the output image: the padding of the T tensor.
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
        pitchT = dotT ? roundUp(co, ConvKernels.L) : co;
        panelsT = (ci + nr - 1) / nr;
        int classes = stride * stride;
        rowT = new int[classes][];
        pixelT = new int[classes][];
        tapsT = new int[classes][];
        stepT = new int[classes][];
        packedT = new float[classes][];
        for (int py = 0; py < stride; py++) {
            for (int px = 0; px < stride; px++) {
                int cls = py * stride + px, ny = classCount(h, py), nx = classCount(w, px);
                rowT[cls] = new int[ny * nx];
                pixelT[cls] = new int[ny * nx];
                for (int qy = 0; qy < ny; qy++) {
                    for (int qx = 0; qx < nx; qx++) {
                        rowT[cls][qy * nx + qx] = ((qy + top) * wpo + qx + left) * pitchT;
                        pixelT[cls][qy * nx + qx] = (py + stride * qy) * w + px + stride * qx;
                    }
                }
                List<int[]> taps = classTaps(py, px);
                tapsT[cls] = new int[2 * taps.size()];
                for (int t = 0; t < taps.size(); t++) {
                    tapsT[cls][2 * t] = taps.get(t)[0];
                    tapsT[cls][2 * t + 1] = taps.get(t)[1];
                }
                int[] steps = new int[dotT ? taps.size() : taps.size() * co];
                for (int t = 0; t < taps.size(); t++) {
                    int dy = Math.floorDiv(py + pad - taps.get(t)[0], stride), dx = Math.floorDiv(px + pad - taps.get(t)[1], stride);
                    int off = (dy * wpo + dx) * pitchT;
                    if (dotT) steps[t] = off;
                    else for (int c = 0; c < co; c++) steps[t * co + c] = off + c;
                }
                stepT[cls] = steps;
                packedT[cls] = new float[dotT ? Math.max(1, ci * taps.size() * pitchT)
                        : Math.multiplyExact(panelsT * nr, Math.max(1, steps.length))];
            }
        }

        pitchG = roundUp(co, nr);
        panelsG = pitchG / nr;
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
        partialG = new float[itemsG() * MR * nr];

        exampleIn = new float[workers][];
        paddedF = new float[workers][];
        paddedT = new float[workers][];
        stagingF = new float[workers][];
        stagingT = new float[workers][];
        tile = new float[workers][];
        weights = new float[co * stepsF];
        gradient = new float[co * stepsF];
        bias = new float[Math.max(ci, co)];
    }

    /** Grows the whole-batch buffers of G to {@code batch} examples (the first call at a larger batch only). */
    void ensureBatchG(int batch, int sumChannels) {
        int steps = Math.multiplyExact(batch, pixelsOut);
        if (stepG.length < steps) {
            stepG = new int[steps];
            int example = hp * wp * ci;
            for (int n = 0; n < batch; n++) {
                for (int r = 0; r < pixelsOut; r++) stepG[n * pixelsOut + r] = n * example + rowF[r];
            }
        }
        int a = Math.multiplyExact(batch, Math.multiplyExact(hp * wp, ci));
        if (aG.length < a) aG = new float[a];
        int b = Math.multiplyExact(steps, pitchG);
        if (bG.length < b) bG = new float[b];
        int sums = Math.multiplyExact(batch, sumChannels);
        if (exampleSums.length < sums) exampleSums = new float[sums];
    }

    boolean matches(int ci, int h, int w, int co, int k, int stride, int pad) {
        return this.ci == ci && this.h == h && this.w == w && this.co == co && this.k == k && this.stride == stride
                && this.pad == pad;
    }

    /** Pixels p, p + stride, p + 2·stride, ... below {@code size}: the length of phase class p on one axis. */
    int classCount(int size, int p) {
        return p < size ? (size - 1 - p) / stride + 1 : 0;
    }

    /**
     * The taps (ky, kx) that reach the input pixels of class (py, px), in (ky, kx) order: ky with
     * py + pad − ky a multiple of the stride (then oy = qy + (py + pad − ky)/stride), likewise kx.
     */
    List<int[]> classTaps(int py, int px) {
        List<int[]> taps = new ArrayList<>();
        for (int ky = 0; ky < k; ky++) {
            if (Math.floorMod(py + pad - ky, stride) != 0) continue;
            for (int kx = 0; kx < k; kx++) {
                if (Math.floorMod(px + pad - kx, stride) == 0) taps.add(new int[]{ky, kx});
            }
        }
        return taps;
    }

    /** Work items of G: row blocks of MR (the last one ragged) × column panels. */
    int itemsG() {
        return (stepsF + MR - 1) / MR * panelsG;
    }

    static int roundUp(int n, int multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }
}
