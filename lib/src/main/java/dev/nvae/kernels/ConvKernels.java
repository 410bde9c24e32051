package dev.nvae.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The inner loops of {@link Convolution} (layouts and forms: {@link ConvPlan}), all over heap arrays (no
 * MemorySegment access, so nothing but array bounds is checked in them).
 *
 * <p>The implicit-GEMM micro-kernels compute a tile of MR rows × NR = 2 vectors of columns:
 * {@code tile[j][:] = Σ_t a[row offset of j + step offset of t] · b[step t's row : +NR]} — one broadcast of
 * a per row and two vector loads of b per step, 2·MR independent accumulators (the register blocking of
 * {@link Gemm}: MR = 8 fits AVX-512's 32 registers); the kernels differ in how steps are laid out. The
 * spatial ones swap the roles: broadcast weights, vectors of pixels. Each sum runs over the steps in
 * order with fused multiply-adds, the order of {@link ConvolutionScalar}, so the results agree with it
 * to the last bit (but for {@link #gradLanes}, whose lanes are added at the end). Rows past the last
 * whole block go through a one-row variant.
 */
final class ConvKernels {
    static final VectorSpecies<Float> S = Simd.F;
    static final int L = S.length();
    static final int NR = 2 * L;
    static final int MR = ConvPlan.MR;
    /** PREFIX[n]: the first n lanes, for the last vector of a row of pixels. */
    @SuppressWarnings("unchecked")
    static final VectorMask<Float>[] PREFIX = new VectorMask[L + 1];

    static {
        for (int n = 0; n <= L; n++) PREFIX[n] = S.indexInRange(0, n);
    }

    private ConvKernels() {
    }

    /**
     * The weight gradient's channels-last tile (MR, NR) into {@code tile[to : to + MR·NR]}: rows r0..r0+7
     * at {@code a[rowOff[r0 + j] + ...]}, steps the output pixels of output rows (runs) run0..run1−1 — run
     * r's pixels at {@code a[... + runBase[r] + x·aStride]}, x < {@code runLength} — and b's rows from
     * {@code bo} on, {@code bStride} apart; zero-started or resumed. Each run is a counted loop over a
     * linear index, so the JIT hoists the bounds checks of the eight broadcasts out of it.
     */
    static void runTile8(float[] a, int[] rowOff, int r0, int[] runBase, int run0, int run1, int runLength, int aStride,
                         float[] b, int bo, int bStride, float[] tile, int to, boolean resume) {
        int a0 = rowOff[r0], a1 = rowOff[r0 + 1], a2 = rowOff[r0 + 2], a3 = rowOff[r0 + 3];
        int a4 = rowOff[r0 + 4], a5 = rowOff[r0 + 5], a6 = rowOff[r0 + 6], a7 = rowOff[r0 + 7];
        FloatVector c00 = start(tile, to, resume), c01 = start(tile, to + L, resume);
        FloatVector c10 = start(tile, to + NR, resume), c11 = start(tile, to + NR + L, resume);
        FloatVector c20 = start(tile, to + 2 * NR, resume), c21 = start(tile, to + 2 * NR + L, resume);
        FloatVector c30 = start(tile, to + 3 * NR, resume), c31 = start(tile, to + 3 * NR + L, resume);
        FloatVector c40 = start(tile, to + 4 * NR, resume), c41 = start(tile, to + 4 * NR + L, resume);
        FloatVector c50 = start(tile, to + 5 * NR, resume), c51 = start(tile, to + 5 * NR + L, resume);
        FloatVector c60 = start(tile, to + 6 * NR, resume), c61 = start(tile, to + 6 * NR + L, resume);
        FloatVector c70 = start(tile, to + 7 * NR, resume), c71 = start(tile, to + 7 * NR + L, resume);
        for (int run = run0; run < run1; run++) {
            int base = runBase[run];
            for (int x = 0; x < runLength; x++, bo += bStride) {
                int s = base + x * aStride;
                FloatVector b0 = FloatVector.fromArray(S, b, bo), b1 = FloatVector.fromArray(S, b, bo + L);
                FloatVector av;
                av = FloatVector.broadcast(S, a[a0 + s]);
                c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
                av = FloatVector.broadcast(S, a[a1 + s]);
                c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
                av = FloatVector.broadcast(S, a[a2 + s]);
                c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
                av = FloatVector.broadcast(S, a[a3 + s]);
                c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
                av = FloatVector.broadcast(S, a[a4 + s]);
                c40 = av.fma(b0, c40); c41 = av.fma(b1, c41);
                av = FloatVector.broadcast(S, a[a5 + s]);
                c50 = av.fma(b0, c50); c51 = av.fma(b1, c51);
                av = FloatVector.broadcast(S, a[a6 + s]);
                c60 = av.fma(b0, c60); c61 = av.fma(b1, c61);
                av = FloatVector.broadcast(S, a[a7 + s]);
                c70 = av.fma(b0, c70); c71 = av.fma(b1, c71);
            }
        }
        c00.intoArray(tile, to); c01.intoArray(tile, to + L);
        c10.intoArray(tile, to + NR); c11.intoArray(tile, to + NR + L);
        c20.intoArray(tile, to + 2 * NR); c21.intoArray(tile, to + 2 * NR + L);
        c30.intoArray(tile, to + 3 * NR); c31.intoArray(tile, to + 3 * NR + L);
        c40.intoArray(tile, to + 4 * NR); c41.intoArray(tile, to + 4 * NR + L);
        c50.intoArray(tile, to + 5 * NR); c51.intoArray(tile, to + 5 * NR + L);
        c60.intoArray(tile, to + 6 * NR); c61.intoArray(tile, to + 6 * NR + L);
        c70.intoArray(tile, to + 7 * NR); c71.intoArray(tile, to + 7 * NR + L);
    }

    /** One row of {@link #runTile8}: row {@code r} into {@code tile[o : o + NR]}. */
    static void runRow1(float[] a, int[] rowOff, int r, int[] runBase, int run0, int run1, int runLength, int aStride,
                        float[] b, int bo, int bStride, float[] tile, int o, boolean resume) {
        int a0 = rowOff[r];
        FloatVector c0 = start(tile, o, resume), c1 = start(tile, o + L, resume);
        for (int run = run0; run < run1; run++) {
            int base = a0 + runBase[run];
            for (int x = 0; x < runLength; x++, bo += bStride) {
                FloatVector av = FloatVector.broadcast(S, a[base + x * aStride]);
                c0 = av.fma(FloatVector.fromArray(S, b, bo), c0);
                c1 = av.fma(FloatVector.fromArray(S, b, bo + L), c1);
            }
        }
        c0.intoArray(tile, o);
        c1.intoArray(tile, o + L);
    }

    static FloatVector start(float[] tile, int offset, boolean resume) {
        return resume ? FloatVector.fromArray(S, tile, offset) : FloatVector.zero(S);
    }

    /**
     * {@link #tile8} with structured steps: for each tap its {@code channels} consecutive values, the
     * steps of F and T in the channels-last layout. The inner loop then walks contiguous runs of a, so the
     * JIT needs no step table and can hoist the bounds checks out of it.
     */
    static void tapTile8(float[] a, int[] rowOff, int r0, int[] tapOff, int channels, float[] b, int bo, float[] tile) {
        int a0 = rowOff[r0], a1 = rowOff[r0 + 1], a2 = rowOff[r0 + 2], a3 = rowOff[r0 + 3];
        int a4 = rowOff[r0 + 4], a5 = rowOff[r0 + 5], a6 = rowOff[r0 + 6], a7 = rowOff[r0 + 7];
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S), c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S), c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        for (int tap = 0; tap < tapOff.length; tap++) {
            int t = tapOff[tap];
            for (int c = t; c < t + channels; c++, bo += NR) {
                FloatVector b0 = FloatVector.fromArray(S, b, bo), b1 = FloatVector.fromArray(S, b, bo + L);
                FloatVector av;
                av = FloatVector.broadcast(S, a[a0 + c]);
                c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
                av = FloatVector.broadcast(S, a[a1 + c]);
                c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
                av = FloatVector.broadcast(S, a[a2 + c]);
                c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
                av = FloatVector.broadcast(S, a[a3 + c]);
                c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
                av = FloatVector.broadcast(S, a[a4 + c]);
                c40 = av.fma(b0, c40); c41 = av.fma(b1, c41);
                av = FloatVector.broadcast(S, a[a5 + c]);
                c50 = av.fma(b0, c50); c51 = av.fma(b1, c51);
                av = FloatVector.broadcast(S, a[a6 + c]);
                c60 = av.fma(b0, c60); c61 = av.fma(b1, c61);
                av = FloatVector.broadcast(S, a[a7 + c]);
                c70 = av.fma(b0, c70); c71 = av.fma(b1, c71);
            }
        }
        c00.intoArray(tile, 0); c01.intoArray(tile, L);
        c10.intoArray(tile, NR); c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR); c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR); c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR); c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR); c51.intoArray(tile, 5 * NR + L);
        c60.intoArray(tile, 6 * NR); c61.intoArray(tile, 6 * NR + L);
        c70.intoArray(tile, 7 * NR); c71.intoArray(tile, 7 * NR + L);
    }

    /** One row of {@link #tapTile8}: row {@code r} into {@code tile[o : o + NR]}. */
    static void tapRow1(float[] a, int[] rowOff, int r, int[] tapOff, int channels, float[] b, int bo, float[] tile, int o) {
        int a0 = rowOff[r];
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S);
        for (int tap = 0; tap < tapOff.length; tap++) {
            int t = a0 + tapOff[tap];
            for (int c = t; c < t + channels; c++, bo += NR) {
                FloatVector av = FloatVector.broadcast(S, a[c]);
                c0 = av.fma(FloatVector.fromArray(S, b, bo), c0);
                c1 = av.fma(FloatVector.fromArray(S, b, bo + L), c1);
            }
        }
        c0.intoArray(tile, o);
        c1.intoArray(tile, o + L);
    }

    /**
     * The spatial form's tile: MR rows (output channels, their weights packed as (step, MR) from
     * {@code ao}) × two vectors of L output pixels, the first read at {@code bo0 + bStep[t]}, the second
     * at {@code bo1 + bStep[t]} — two runs of pixels, each contiguous in the phase planes or padded planes.
     * Tile row j holds the two vectors at {@code tile[j·NR]} and {@code tile[j·NR + L]}.
     */
    static void lanes8(float[] a, int ao, int[] bStep, float[] b, int bo0, int bo1, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S), c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S), c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        for (int t = 0; t < bStep.length; t++, ao += MR) {
            int s = bStep[t];
            FloatVector b0 = FloatVector.fromArray(S, b, bo0 + s), b1 = FloatVector.fromArray(S, b, bo1 + s);
            FloatVector av;
            av = FloatVector.broadcast(S, a[ao]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, a[ao + 1]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, a[ao + 2]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, a[ao + 3]);
            c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(S, a[ao + 4]);
            c40 = av.fma(b0, c40); c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(S, a[ao + 5]);
            c50 = av.fma(b0, c50); c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(S, a[ao + 6]);
            c60 = av.fma(b0, c60); c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(S, a[ao + 7]);
            c70 = av.fma(b0, c70); c71 = av.fma(b1, c71);
        }
        c00.intoArray(tile, 0); c01.intoArray(tile, L);
        c10.intoArray(tile, NR); c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR); c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR); c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR); c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR); c51.intoArray(tile, 5 * NR + L);
        c60.intoArray(tile, 6 * NR); c61.intoArray(tile, 6 * NR + L);
        c70.intoArray(tile, 7 * NR); c71.intoArray(tile, 7 * NR + L);
    }

    /**
     * The spatial form for one output channel (weights a[ao + t]) and four vectors of pixels at
     * {@code bo[0..3] + bStep[t]}, into {@code tile[0 : 4·L]}: four independent chains of multiply-adds
     * sharing each broadcast weight — a decoder's one- or three-channel output image.
     */
    static void lanes1(float[] a, int ao, int[] bStep, float[] b, int bo0, int bo1, int bo2, int bo3, float[] tile) {
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
        for (int t = 0; t < bStep.length; t++) {
            int s = bStep[t];
            FloatVector av = FloatVector.broadcast(S, a[ao + t]);
            c0 = av.fma(FloatVector.fromArray(S, b, bo0 + s), c0);
            c1 = av.fma(FloatVector.fromArray(S, b, bo1 + s), c1);
            c2 = av.fma(FloatVector.fromArray(S, b, bo2 + s), c2);
            c3 = av.fma(FloatVector.fromArray(S, b, bo3 + s), c3);
        }
        c0.intoArray(tile, 0);
        c1.intoArray(tile, L);
        c2.intoArray(tile, 2 * L);
        c3.intoArray(tile, 3 * L);
    }

    /**
     * The weight gradient's spatial tile: 8 output channels (rows of srcO at {@code oRows[j]} from each
     * example's {@code oBase + n·oExample}) × 2 steps (runs of the phase planes at {@code b0}, {@code b1}
     * from {@code n·bExample}), over examples n0..n1−1 and every pixel vector (slot): 16 vectors of
     * per-lane partial sums in {@code acc[to : to + 16·L]}, zero-started or resumed. srcO comes in rows
     * padded to whole vectors with zeros ({@link #toPaddedRows}), so lanes past a row's end add nothing
     * (the phase planes' lanes there hold the next pixels).
     */
    static void gradLanes(float[] o, int oBase, int oExample, int[] oRows, float[] b, int b0, int b1, int bExample,
                          int n0, int n1, int[] slotOut, int[] slotIn, float[] acc, int to, boolean resume) {
        int r0 = oRows[0], r1 = oRows[1], r2 = oRows[2], r3 = oRows[3], r4 = oRows[4], r5 = oRows[5], r6 = oRows[6], r7 = oRows[7];
        FloatVector c00 = start(acc, to, resume), c01 = start(acc, to + L, resume), c10 = start(acc, to + 2 * L, resume);
        FloatVector c11 = start(acc, to + 3 * L, resume), c20 = start(acc, to + 4 * L, resume), c21 = start(acc, to + 5 * L, resume);
        FloatVector c30 = start(acc, to + 6 * L, resume), c31 = start(acc, to + 7 * L, resume), c40 = start(acc, to + 8 * L, resume);
        FloatVector c41 = start(acc, to + 9 * L, resume), c50 = start(acc, to + 10 * L, resume), c51 = start(acc, to + 11 * L, resume);
        FloatVector c60 = start(acc, to + 12 * L, resume), c61 = start(acc, to + 13 * L, resume), c70 = start(acc, to + 14 * L, resume);
        FloatVector c71 = start(acc, to + 15 * L, resume);
        for (int n = n0; n < n1; n++) {
            int on = oBase + n * oExample, bn = n * bExample;
            for (int s = 0; s < slotOut.length; s++) {
                int ao = on + slotOut[s], bo = bn + slotIn[s];
                FloatVector v0 = FloatVector.fromArray(S, b, b0 + bo), v1 = FloatVector.fromArray(S, b, b1 + bo);
                FloatVector a;
                a = FloatVector.fromArray(S, o, ao + r0); c00 = a.fma(v0, c00); c01 = a.fma(v1, c01);
                a = FloatVector.fromArray(S, o, ao + r1); c10 = a.fma(v0, c10); c11 = a.fma(v1, c11);
                a = FloatVector.fromArray(S, o, ao + r2); c20 = a.fma(v0, c20); c21 = a.fma(v1, c21);
                a = FloatVector.fromArray(S, o, ao + r3); c30 = a.fma(v0, c30); c31 = a.fma(v1, c31);
                a = FloatVector.fromArray(S, o, ao + r4); c40 = a.fma(v0, c40); c41 = a.fma(v1, c41);
                a = FloatVector.fromArray(S, o, ao + r5); c50 = a.fma(v0, c50); c51 = a.fma(v1, c51);
                a = FloatVector.fromArray(S, o, ao + r6); c60 = a.fma(v0, c60); c61 = a.fma(v1, c61);
                a = FloatVector.fromArray(S, o, ao + r7); c70 = a.fma(v0, c70); c71 = a.fma(v1, c71);
            }
        }
        c00.intoArray(acc, to); c01.intoArray(acc, to + L); c10.intoArray(acc, to + 2 * L); c11.intoArray(acc, to + 3 * L);
        c20.intoArray(acc, to + 4 * L); c21.intoArray(acc, to + 5 * L); c30.intoArray(acc, to + 6 * L); c31.intoArray(acc, to + 7 * L);
        c40.intoArray(acc, to + 8 * L); c41.intoArray(acc, to + 9 * L); c50.intoArray(acc, to + 10 * L); c51.intoArray(acc, to + 11 * L);
        c60.intoArray(acc, to + 12 * L); c61.intoArray(acc, to + 13 * L); c70.intoArray(acc, to + 14 * L); c71.intoArray(acc, to + 15 * L);
    }


    /**
     * Channels-last copy of one example: {@code in} (channels, h, w) at 0 into {@code out} from
     * {@code base}, pixel (y, x) at {@code base + ((y + top)·width + x + left)·pitch}; L channels of a pixel
     * at a time by a gather ({@code channelStride} = 0, h·w, 2·h·w, ...), the rest one by one. Padding
     * (the border and channels past {@code channels}) is not touched.
     */
    static void toChannelsLast(float[] in, int channels, int h, int w, float[] out, int base, int width, int top,
                               int left, int pitch, int[] channelStride) {
        if (pitch == 1) {
            for (int y = 0; y < h; y++) System.arraycopy(in, y * w, out, base + (y + top) * width + left, w);
            return;
        }
        int hw = h * w, full = channels / L * L;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x, o = base + ((y + top) * width + left + x) * pitch;
                int c = 0;
                for (; c < full; c += L) FloatVector.fromArray(S, in, i + c * hw, channelStride, 0).intoArray(out, o + c);
                for (; c < channels; c++) out[o + c] = in[i + c * hw];
            }
        }
    }

    /**
     * NCHW planes with a zero border: {@code in} (channels, h, w) into planes of (rows, width) from
     * {@code top, left}. Rows are copied a vector at a time; the lanes a row's last vector writes past its
     * end are set back to zero, in row order, so the border stays zero and later rows overwrite the rest.
     * {@code in} and {@code out} need a vector of slack past their last row.
     */
    static void toPlanes(float[] in, int channels, int h, int w, float[] out, int rows, int width, int top, int left) {
        int end = (w + L - 1) / L * L;
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < h; y++) {
                int i = (c * h + y) * w, o = (c * rows + y + top) * width + left;
                for (int x = 0; x < w; x += L) FloatVector.fromArray(S, in, i + x).intoArray(out, o + x);
                for (int x = w; x < end; x++) out[o + x] = 0f;
            }
        }
    }

    /**
     * Phase planes of the padded input: pixel (y, x) of channel c, at (yp, xp) = (y + pad, x + pad) once
     * padded, goes to plane (c, yp mod s, xp mod s), position (yp / s, xp / s); planes of (rows, pitch)
     * from {@code base}. {@code column[x]} = (xp mod s)·rows·pitch + xp / s, precomputed.
     */
    static void toPhasePlanes(float[] in, int channels, int h, int w, int pad, int stride, float[] out, int base, int rows,
                              int pitch, int[] column) {
        int plane = rows * pitch;
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < h; y++) {
                int yp = y + pad, i = (c * h + y) * w;
                int rowBase = base + (c * stride + yp % stride) * stride * plane + yp / stride * pitch;
                for (int x = 0; x < w; x++) out[rowBase + column[x]] = in[i + x];
            }
        }
    }

    /**
     * {@code rows} rows of {@code width} floats from {@code in} into rows of {@code pitch} (a multiple of
     * L) from {@code base}, the lanes past each row's end zero: whole vectors copied (the last one reads
     * into the next row; {@code in} needs a vector of slack), then those lanes zeroed.
     */
    static void toPaddedRows(float[] in, int rows, int width, float[] out, int base, int pitch) {
        int end = (width + L - 1) / L * L;
        for (int r = 0; r < rows; r++) {
            int i = r * width, o = base + r * pitch;
            for (int x = 0; x < width; x += L) FloatVector.fromArray(S, in, i + x).intoArray(out, o + x);
            for (int x = width; x < end; x++) out[o + x] = 0f;
        }
    }

    /** Σ in[from : from + n]: a vector sum, then its lanes ({@link #sumLanes}), then the tail. */
    static float sum(float[] in, int from, int n) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0, bound = S.loopBound(n);
        for (; i < bound; i += L) acc = acc.add(FloatVector.fromArray(S, in, from + i));
        float s = sumLanes(acc);
        for (; i < n; i++) s += in[from + i];
        return s;
    }

    /** Lane i ← lane i + h (mod L), for h = L/2, L/4, ..., 1: the folds of {@link #sumLanes}. */
    private static final VectorShuffle<Float>[] FOLDS = folds();

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] folds() {
        VectorShuffle<Float>[] folds = new VectorShuffle[Integer.numberOfTrailingZeros(L)];
        for (int f = 0, h = L / 2; h >= 1; f++, h /= 2) {
            int half = h;
            folds[f] = VectorShuffle.fromOp(S, i -> (i + half) % L);
        }
        return folds;
    }

    /**
     * Σ of v's lanes as a fixed tree — fold the upper half onto the lower, then its upper half, ... — each step a
     * lane-wise float add, so every JIT tier adds the same pairs in the same order. reduceLanes(ADD) does not
     * promise that: compiled by C2 it adds in another order than its Java fallback, and the conv layers' weight and
     * bias gradients then depended on JIT timing. As fast as reduceLanes once compiled (log2 L shuffles and adds),
     * where a lane-by-lane sum is L dependent adds.
     */
    static float sumLanes(FloatVector v) {
        for (VectorShuffle<Float> fold : FOLDS) v = v.add(v.rearrange(fold));
        return v.lane(0);
    }
}
