package dev.nvae.kernels;

import dev.nvae.tensor.Bf16Matrix;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import static dev.nvae.tensor.Tensor.F32;

/**
 * The forward product of a layer whose weights are held in bf16: {@code C(M×N) = A(M×K) · B(K×N) + bias},
 * then ReLU if asked, with A and C float32 and B a paired {@link Bf16Matrix} ({@link Bf16#HALF}-column
 * halves). B is widened to float32 in registers and every product accumulates in float32.
 *
 * <p>Two paths, by the number of rows:
 * <ul>
 *   <li><b>Rows</b> (M ≤ {@link #ROW_PATH_MAX_M}: a single decode, a few samples) — bound by the bytes of
 *       B, which bf16 halves. Each worker owns a fixed run of column blocks of every layer, so each core
 *       keeps re-reading the same part of the weights: in bf16 the decoder's 1.1 MB is two halves that each
 *       fit one core's L2, where the float32 2.2 MB fits neither. With B in L2 the order that wins is the
 *       one that keeps the sums in registers: four blocks (eight vectors of columns) at a time, all of k
 *       inside, one 32-bit load per block and k step widened into two float vectors (a shift and a mask).
 *       Eight independent sums hide the multiply-add latency.</li>
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
    /** Column blocks per row-path chunk: 2 vectors each, eight sums in registers. */
    private static final int CHUNK = 4;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    /** Up to this many rows stream B (see the class comment); from there on B is widened once and tiled. */
    static final int ROW_PATH_MAX_M = 4;

    /** Whether a product with {@code m} rows of C takes the row path. */
    public static boolean takesRowPath(int m) {
        return m <= ROW_PATH_MAX_M;
    }
    /** Row-path products with fewer elements of B run on the caller alone, as in {@link Gemm}: a handoff costs more. */
    static final long ROW_PATH_SHARED_MIN = 32_768;

    private enum Phase { ROWS, WIDEN }

    private final WorkerPool pool;
    private final Gemm gemm;
    private final float[][] tiles;           // per worker: a row path chunk's sums on their way to C
    private float[] rowsA = new float[0];    // (M, K): A copied to the heap for the row path
    private int[] rowsNonZero = new int[0];  // (M, K): per row of A, the indices p with A[i, p] != 0, ascending
    private final int[] rowsNonZeroCount = new int[ROW_PATH_MAX_M];
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
        this.tiles = new float[pool.threads()][CHUNK * BLOCK];
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
                if (rowsA.length < m * k) {
                    rowsA = new float[m * k];
                    rowsNonZero = new int[m * k];
                }
                for (int i = 0; i < m; i++) {
                    MemorySegment.copy(a, F32, (aOff + (long) i * lda) * Float.BYTES, rowsA, i * k, k);
                    rowsNonZeroCount[i] = Gemm.nonZeroIndices(rowsA, i * k, k, rowsNonZero);
                }
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
        float[] tile = tiles[worker];
        for (int i = 0; i < m; i++) {
            int blk = b0;
            for (; blk + CHUNK <= b1; blk += CHUNK) {
                chunk(i, blk, tile);
                store(i, blk * BLOCK, Math.min(n, (blk + CHUNK) * BLOCK), tile);
            }
            for (; blk < b1; blk++) {
                block(i, blk, tile);
                store(i, blk * BLOCK, Math.min(n, (blk + 1) * BLOCK), tile);
            }
        }
    }

    /**
     * Row i of C over the {@link #CHUNK} blocks from {@code blk}, into {@code tile}: all of k, eight sums in
     * registers, each a chain of fused multiply-adds in k order. The sums leave through intoArray rather
     * than as arguments of an epilogue call, which (not inlined) would box them.
     */
    private void chunk(int i, int blk, float[] tile) {
        float[] ar = rowsA;
        int[] nz = rowsNonZero;
        int ao = i * k, count = rowsNonZeroCount[i];
        MemorySegment w = b.segment();
        long row = (long) b.stride() * Short.BYTES;
        long o0 = (long) blk * BLOCK * Short.BYTES, step = (long) BLOCK * Short.BYTES;
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
        for (int q = 0; q < count; q++) {
            int p = nz[ao + q];
            long o = o0 + p * row;
            FloatVector x = FloatVector.broadcast(S, ar[ao + p]);
            IntVector v0 = IntVector.fromMemorySegment(I, w, o, LE);
            IntVector v1 = IntVector.fromMemorySegment(I, w, o + step, LE);
            IntVector v2 = IntVector.fromMemorySegment(I, w, o + 2 * step, LE);
            IntVector v3 = IntVector.fromMemorySegment(I, w, o + 3 * step, LE);
            s0 = x.fma(Bf16.low(v0), s0);
            s1 = x.fma(Bf16.high(v0), s1);
            s2 = x.fma(Bf16.low(v1), s2);
            s3 = x.fma(Bf16.high(v1), s3);
            s4 = x.fma(Bf16.low(v2), s4);
            s5 = x.fma(Bf16.high(v2), s5);
            s6 = x.fma(Bf16.low(v3), s6);
            s7 = x.fma(Bf16.high(v3), s7);
        }
        s0.intoArray(tile, 0);
        s1.intoArray(tile, L);
        s2.intoArray(tile, 2 * L);
        s3.intoArray(tile, 3 * L);
        s4.intoArray(tile, 4 * L);
        s5.intoArray(tile, 5 * L);
        s6.intoArray(tile, 6 * L);
        s7.intoArray(tile, 7 * L);
    }

    /** Row i of C over the one block {@code blk}, into {@code tile}: the chunk's loop for a leftover block. */
    private void block(int i, int blk, float[] tile) {
        float[] ar = rowsA;
        int[] nz = rowsNonZero;
        int ao = i * k, count = rowsNonZeroCount[i];
        MemorySegment w = b.segment();
        long row = (long) b.stride() * Short.BYTES;
        long o0 = (long) blk * BLOCK * Short.BYTES;
        FloatVector s0 = FloatVector.zero(S), s1 = s0;
        for (int q = 0; q < count; q++) {
            int p = nz[ao + q];
            FloatVector x = FloatVector.broadcast(S, ar[ao + p]);
            IntVector v = IntVector.fromMemorySegment(I, w, o0 + p * row, LE);
            s0 = x.fma(Bf16.low(v), s0);
            s1 = x.fma(Bf16.high(v), s1);
        }
        s0.intoArray(tile, 0);
        s1.intoArray(tile, L);
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
