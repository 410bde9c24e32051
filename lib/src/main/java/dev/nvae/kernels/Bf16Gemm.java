package dev.nvae.kernels;

import dev.nvae.tensor.Bf16Matrix;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Arrays;

import static dev.nvae.tensor.Tensor.F32;

/**
 * The forward product of a layer whose weights are held in bf16: {@code C(M×N) = A(M×K) · B(K×N) + bias},
 * then ReLU if asked, with A and C float32 and B a paired {@link Bf16Matrix} ({@link Bf16#HALF}-column
 * halves). B is widened to float32 in registers and every product accumulates in float32.
 *
 * <p>Two paths, by the number of rows:
 * <ul>
 *   <li><b>Rows</b> (M ≤ {@link #ROW_PATH_MAX_M}: a single decode, a few samples) — bound by the bytes of
 *       B, which bf16 halves. Each worker owns a fixed run of column blocks of every layer and streams its
 *       part of B front to back, one 32-bit load per block and k step giving two float vectors (a shift and
 *       a mask), folded into accumulators in an L1-resident heap row. The split is the same on every call,
 *       so each core keeps re-reading the same half of the weights: in bf16 the decoder's 1.1 MB is two
 *       halves that each fit one core's L2, where the float32 2.2 MB fits neither.</li>
 *   <li><b>Tiles</b> (more rows) — bound by multiply-adds, the same in either precision: B is widened once
 *       into a float32 scratch (in parallel, by rows of B) and {@link Gemm} multiplies.</li>
 * </ul>
 * Both sum every element over k = 0, 1, ..., K−1 with fused multiply-adds, then add the bias, then clamp:
 * {@link Bf16GemmScalar}'s order, so all three agree to the last bit and results do not depend on the
 * thread count. One instance serves one thread of control; a call allocates nothing once a shape has been seen.
 */
public final class Bf16Gemm implements WorkerPool.Task {
    private static final VectorSpecies<Float> S = Simd.F;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, S.vectorShape());
    private static final int L = S.length();
    private static final int BLOCK = 2 * L;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    /** Up to this many rows stream B (see the class comment); from there on B is widened once and tiled. */
    static final int ROW_PATH_MAX_M = 4;
    /** Row-path products with fewer elements of B run on the caller alone, as in {@link Gemm}: a handoff costs more. */
    static final long ROW_PATH_SHARED_MIN = 32_768;

    private enum Phase { ROWS, WIDEN }

    private final WorkerPool pool;
    private final Gemm gemm;
    private final float[][] rowAccumulators; // per worker: its columns of one row of C
    private float[] rowsA = new float[0];    // (M, K): A copied to the heap for the row path
    /** (K, N) floats: B widened for the tile path. Heap, byte[]-backed: the only heap memory vector loads accept. */
    private MemorySegment widened = MemorySegment.ofArray(new byte[0]);

    // The call in flight (fields rather than a lambda so a call allocates nothing).
    private Phase phase;
    private int m, n, k, ldc;
    private long cOff;
    private Bf16Matrix b;
    private MemorySegment c, bias;
    private boolean relu;

    public Bf16Gemm(WorkerPool pool) {
        this.pool = pool;
        this.gemm = new Gemm(pool);
        this.rowAccumulators = new float[pool.threads()][0];
    }

    /** A leading dimension (floats) and offset for A and C, as in {@link Gemm#multiply}; B is k × n. */
    public void multiply(int m, int n, int k, MemorySegment a, long aOff, int lda, Bf16Matrix b,
                         MemorySegment c, long cOff, int ldc, MemorySegment bias, boolean relu) {
        if (b.rows() != k || b.cols() != n) {
            throw new IllegalArgumentException(b + " is not the " + k + "x" + n + " operand of this product");
        }
        if (m == 0 || n == 0) return;
        if (Simd.SCALAR) {
            Bf16GemmScalar.multiply(m, n, k, a, aOff, lda, b, c, cOff, ldc, bias, relu);
            return;
        }
        if (b.half() != Bf16.HALF) throw new IllegalArgumentException(b + ": the vector kernel reads pairs of " + Bf16.HALF + " columns");
        this.m = m; this.n = n; this.k = k; this.b = b;
        this.c = c; this.cOff = cOff; this.ldc = ldc; this.bias = bias; this.relu = relu;
        try {
            if (m <= ROW_PATH_MAX_M && k > 0) {
                if (rowsA.length < m * k) rowsA = new float[m * k];
                for (int i = 0; i < m; i++) MemorySegment.copy(a, F32, (aOff + (long) i * lda) * Float.BYTES, rowsA, i * k, k);
                phase = Phase.ROWS;
                if ((long) k * n < ROW_PATH_SHARED_MIN) run(0, 1);
                else pool.run(this);
            } else {
                long need = (long) Math.max(1, k) * n * Float.BYTES;
                if (need > Integer.MAX_VALUE) throw new IllegalArgumentException("bf16 GEMM operand too large: " + k + "x" + n);
                if (widened.byteSize() < need) widened = MemorySegment.ofArray(new byte[(int) need]);
                phase = Phase.WIDEN;
                pool.run(this);
                gemm.multiply(false, false, m, n, k, a, aOff, lda, widened, 0, n, c, cOff, ldc, false, bias, relu);
            }
        } finally {
            this.b = null; this.c = null; this.bias = null;
        }
    }

    @Override
    public void run(int worker, int workers) {
        if (phase == Phase.WIDEN) {
            Bf16.widen(b, WorkerPool.splitStart(k, worker, workers), WorkerPool.splitStart(k, worker + 1, workers),
                    widened, 0, n);
            return;
        }
        int blocks = (n + BLOCK - 1) / BLOCK;
        int b0 = WorkerPool.splitStart(blocks, worker, workers), b1 = WorkerPool.splitStart(blocks, worker + 1, workers);
        if (b0 == b1) return;
        int width = (b1 - b0) * BLOCK;
        if (rowAccumulators[worker].length < width) rowAccumulators[worker] = new float[width];
        float[] acc = rowAccumulators[worker];
        for (int i = 0; i < m; i++) {
            rowBlocks(i, b0, width, acc);
            store(i, b0 * BLOCK, Math.min(n, b1 * BLOCK), acc);
        }
    }

    /**
     * Row i of C over the {@code width} columns from block b0, into {@code acc}: four rows of B per pass,
     * each block one 32-bit load widened into two float vectors. Four, not the eight of {@link Gemm}'s row
     * path: with the widening, eight made the method exceed C2's node budget, which then stopped inlining
     * the vector operations and boxed every vector (measured: 10x slower than float32).
     */
    private void rowBlocks(int i, int b0, int width, float[] acc) {
        float[] ar = rowsA;
        int ao = i * k;
        Arrays.fill(acc, 0, width, 0f);
        MemorySegment w = b.segment();
        long row = (long) b.stride() * Short.BYTES;
        long first = (long) b0 * BLOCK * Short.BYTES;
        int p = 0;
        for (; p + 4 <= k; p += 4) {
            FloatVector x0 = FloatVector.broadcast(S, ar[ao + p]), x1 = FloatVector.broadcast(S, ar[ao + p + 1]);
            FloatVector x2 = FloatVector.broadcast(S, ar[ao + p + 2]), x3 = FloatVector.broadcast(S, ar[ao + p + 3]);
            long r0 = first + p * row;
            for (int j = 0; j < width; j += BLOCK) {
                long o = r0 + (long) j * Short.BYTES;
                FloatVector lo = FloatVector.fromArray(S, acc, j), hi = FloatVector.fromArray(S, acc, j + L);
                IntVector v0 = IntVector.fromMemorySegment(I, w, o, LE);
                IntVector v1 = IntVector.fromMemorySegment(I, w, o + row, LE);
                IntVector v2 = IntVector.fromMemorySegment(I, w, o + 2 * row, LE);
                IntVector v3 = IntVector.fromMemorySegment(I, w, o + 3 * row, LE);
                lo = x0.fma(Bf16.low(v0), lo);
                hi = x0.fma(Bf16.high(v0), hi);
                lo = x1.fma(Bf16.low(v1), lo);
                hi = x1.fma(Bf16.high(v1), hi);
                lo = x2.fma(Bf16.low(v2), lo);
                hi = x2.fma(Bf16.high(v2), hi);
                lo = x3.fma(Bf16.low(v3), lo);
                hi = x3.fma(Bf16.high(v3), hi);
                lo.intoArray(acc, j);
                hi.intoArray(acc, j + L);
            }
        }
        for (; p < k; p++) {
            FloatVector x = FloatVector.broadcast(S, ar[ao + p]);
            long r = first + p * row;
            for (int j = 0; j < width; j += BLOCK) {
                IntVector v = IntVector.fromMemorySegment(I, w, r + (long) j * Short.BYTES, LE);
                x.fma(Bf16.low(v), FloatVector.fromArray(S, acc, j)).intoArray(acc, j);
                x.fma(Bf16.high(v), FloatVector.fromArray(S, acc, j + L)).intoArray(acc, j + L);
            }
        }
    }

    /** Row i of C, columns [j0, j1), from {@code acc} (acc[0] is column j0): + bias, ReLU, stored. */
    private void store(int i, int j0, int j1, float[] acc) {
        long row = cOff + (long) i * ldc;
        int j = j0;
        for (; j + L <= j1; j += L) {
            FloatVector v = FloatVector.fromArray(S, acc, j - j0);
            if (bias != null) v = v.add(FloatVector.fromMemorySegment(S, bias, (long) j * Float.BYTES, NATIVE));
            if (relu) v = v.max(0f);
            v.intoMemorySegment(c, (row + j) * Float.BYTES, NATIVE);
        }
        for (; j < j1; j++) {
            float v = acc[j - j0];
            if (bias != null) v = v + bias.getAtIndex(F32, j);
            if (relu) v = Math.max(v, 0f);
            c.setAtIndex(F32, row + j, v);
        }
    }
}
