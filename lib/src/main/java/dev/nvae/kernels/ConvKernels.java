package dev.nvae.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The inner loops of {@link Convolution}, all over heap arrays (no MemorySegment access, so nothing but
 * array bounds is checked in them).
 *
 * <p>The implicit-GEMM micro-kernel computes a tile of MR rows × NR = 2 vectors of columns:
 * {@code tile[j][:] = Σ_t a[rowOff[r0 + j] + stepOff[t]] · b[bo + (t − t0)·bStride : +NR]} — one broadcast of
 * a per row and two vector loads of b per step, 2·MR independent accumulators (the register blocking of
 * {@link Gemm}: MR = 8 fits AVX-512's 32 registers). Each column sum runs over t in order with fused
 * multiply-adds, the order of {@link ConvolutionScalar}, so the results agree with it to the last bit.
 * Rows past the last whole block go through {@link #row1}, one row at a time.
 */
final class ConvKernels {
    static final VectorSpecies<Float> S = Simd.F;
    static final int L = S.length();
    static final int NR = 2 * L;
    static final int MR = ConvPlan.MR;

    private ConvKernels() {
    }

    /**
     * Tile (MR, NR) of an implicit GEMM into {@code tile[to : to + MR·NR]}, rows r0..r0+7, steps t0..t1−1,
     * b read from {@code bo} on; with {@code resume} it starts from what the tile holds (a step range
     * continued from an earlier call), else from zero.
     */
    static void tile8(float[] a, int[] rowOff, int r0, int[] stepOff, int t0, int t1,
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
        for (int t = t0; t < t1; t++, bo += bStride) {
            int s = stepOff[t];
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
        c00.intoArray(tile, to); c01.intoArray(tile, to + L);
        c10.intoArray(tile, to + NR); c11.intoArray(tile, to + NR + L);
        c20.intoArray(tile, to + 2 * NR); c21.intoArray(tile, to + 2 * NR + L);
        c30.intoArray(tile, to + 3 * NR); c31.intoArray(tile, to + 3 * NR + L);
        c40.intoArray(tile, to + 4 * NR); c41.intoArray(tile, to + 4 * NR + L);
        c50.intoArray(tile, to + 5 * NR); c51.intoArray(tile, to + 5 * NR + L);
        c60.intoArray(tile, to + 6 * NR); c61.intoArray(tile, to + 6 * NR + L);
        c70.intoArray(tile, to + 7 * NR); c71.intoArray(tile, to + 7 * NR + L);
    }

    /** One row of {@link #tile8}: row {@code r} into {@code tile[o : o + NR]}. */
    static void row1(float[] a, int[] rowOff, int r, int[] stepOff, int t0, int t1,
                     float[] b, int bo, int bStride, float[] tile, int o, boolean resume) {
        int a0 = rowOff[r];
        FloatVector c0 = start(tile, o, resume), c1 = start(tile, o + L, resume);
        for (int t = t0; t < t1; t++, bo += bStride) {
            FloatVector av = FloatVector.broadcast(S, a[a0 + stepOff[t]]);
            c0 = av.fma(FloatVector.fromArray(S, b, bo), c0);
            c1 = av.fma(FloatVector.fromArray(S, b, bo + L), c1);
        }
        c0.intoArray(tile, o);
        c1.intoArray(tile, o + L);
    }

    private static FloatVector start(float[] tile, int offset, boolean resume) {
        return resume ? FloatVector.fromArray(S, tile, offset) : FloatVector.zero(S);
    }

    /**
     * Dot products for {@code rows} (1 to 4) consecutive rows and one output channel:
     * {@code out[j] = Σ_tap Σ_c a[rowOff[r0 + j] + tapOff[tap] + c] · wt[wo + tap·pitch + c]} over
     * {@code pitch} (a multiple of L) channels per tap. Four rows at a time give four independent chains
     * of multiply-adds and share each weight load.
     */
    static void dot(float[] a, int[] rowOff, int r0, int rows, int[] tapOff, int pitch, float[] wt, int wo, float[] out) {
        int taps = tapOff.length;
        int a0 = rowOff[r0], a1 = rowOff[r0 + Math.min(1, rows - 1)];
        int a2 = rowOff[r0 + Math.min(2, rows - 1)], a3 = rowOff[r0 + Math.min(3, rows - 1)];
        FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S), s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
        for (int tap = 0; tap < taps; tap++) {
            int t = tapOff[tap], wb = wo + tap * pitch;
            for (int c = 0; c < pitch; c += L) {
                FloatVector wv = FloatVector.fromArray(S, wt, wb + c);
                s0 = FloatVector.fromArray(S, a, a0 + t + c).fma(wv, s0);
                s1 = FloatVector.fromArray(S, a, a1 + t + c).fma(wv, s1);
                s2 = FloatVector.fromArray(S, a, a2 + t + c).fma(wv, s2);
                s3 = FloatVector.fromArray(S, a, a3 + t + c).fma(wv, s3);
            }
        }
        out[0] = s0.reduceLanes(VectorOperators.ADD);
        out[1] = s1.reduceLanes(VectorOperators.ADD);
        out[2] = s2.reduceLanes(VectorOperators.ADD);
        out[3] = s3.reduceLanes(VectorOperators.ADD);
    }

    /**
     * Channels-last copy of one example: {@code in} (channels, h, w) at 0 into {@code out} from
     * {@code base}, pixel (y, x) at {@code base + ((y + top)·width + x + left)·pitch}. Padding (the border
     * and channels past {@code channels}) is not touched.
     */
    static void toChannelsLast(float[] in, int channels, int h, int w, float[] out, int base, int width, int top,
                               int left, int pitch) {
        if (pitch == 1) {
            for (int y = 0; y < h; y++) System.arraycopy(in, y * w, out, base + (y + top) * width + left, w);
            return;
        }
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < h; y++) {
                int i = (c * h + y) * w, o = base + ((y + top) * width + left) * pitch + c;
                for (int x = 0; x < w; x++, o += pitch) out[o] = in[i + x];
            }
        }
    }

    /** Σ in[from : from + n]: a vector sum, then its lanes, then the tail. */
    static float sum(float[] in, int from, int n) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0, bound = S.loopBound(n);
        for (; i < bound; i += L) acc = acc.add(FloatVector.fromArray(S, in, from + i));
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) s += in[from + i];
        return s;
    }
}
