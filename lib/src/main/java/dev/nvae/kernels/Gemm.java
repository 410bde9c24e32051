package dev.nvae.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import static dev.nvae.tensor.Tensor.F32;

/**
 * SGEMM on the Vector API: {@code C(M×N) (+)= op(A)(M×K) · op(B)(K×N)}, then an optional bias row and
 * ReLU applied as the result is stored (the forward pass's epilogue).
 *
 * <p>Both operands are packed per call into heap arrays, so the inner loop touches no MemorySegment and
 * its bounds checks hoist: B into panels of NR = 2 vectors of columns (transposing when {@code transB}),
 * A into blocks of MR = 8 rows interleaved along k (transposing when {@code transA}). The 8×NR
 * micro-kernel keeps 16 independent accumulators in registers. Ragged edges are zero-padded when packed
 * — a short last row block, a narrow last panel — and stored through row guards and lane masks.
 *
 * <p>Threads split the column panels (or the row blocks when there are fewer panels than threads);
 * each output element's k-sum runs in the same order whatever the split, so results do not depend on
 * the thread count. One instance serves one thread of control (it is its own pool task).
 */
public final class Gemm implements WorkerPool.Task {
    private static final VectorSpecies<Float> S = Simd.F;
    private static final int L = S.length();
    private static final int NR = 2 * L;
    private static final int MR = 8;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    private final WorkerPool pool;
    private final float[][] packed; // per worker: (K, NR) panel of B
    private final float[][] packedA; // per worker: (M/MR, K, MR) row blocks of A
    private final float[][] tiles; // per worker: (MR, NR) accumulators on their way to C

    // The call in flight (fields rather than a lambda so a call allocates nothing).
    private boolean transA, transB, accumulate, relu;
    private int m, n, k, lda, ldb, ldc;
    private long aOff, bOff, cOff;
    private MemorySegment a, b, c, bias;

    public Gemm(WorkerPool pool) {
        this.pool = pool;
        this.packed = new float[pool.threads()][0];
        this.packedA = new float[pool.threads()][0];
        this.tiles = new float[pool.threads()][MR * NR];
    }

    public WorkerPool pool() {
        return pool;
    }

    /**
     * Offsets and leading dimensions are in floats. {@code transA}: A is stored K×M (element (i,p) at
     * p·lda+i); {@code transB}: B is stored N×K (element (p,j) at j·ldb+p). {@code bias} (N floats) and
     * {@code relu} apply after accumulation; pass null/false for a plain product.
     */
    public void multiply(boolean transA, boolean transB, int m, int n, int k,
                         MemorySegment a, long aOff, int lda,
                         MemorySegment b, long bOff, int ldb,
                         MemorySegment c, long cOff, int ldc,
                         boolean accumulate, MemorySegment bias, boolean relu) {
        if (m == 0 || n == 0) return;
        if (Simd.SCALAR) {
            GemmScalar.multiply(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, bias, relu);
            return;
        }
        int need = Math.max(1, k) * NR;
        long needA = (long) ((m + MR - 1) / MR) * MR * Math.max(1, k);
        if (needA > Integer.MAX_VALUE) throw new IllegalArgumentException("GEMM operand too large: " + m + "x" + k);
        for (int w = 0; w < packed.length; w++) {
            // Grow on the first call of a shape only; steady-state steps allocate nothing.
            if (packed[w].length < need) packed[w] = new float[need];
            if (packedA[w].length < needA) packedA[w] = new float[(int) needA];
        }
        this.transA = transA; this.transB = transB; this.m = m; this.n = n; this.k = k;
        this.a = a; this.aOff = aOff; this.lda = lda;
        this.b = b; this.bOff = bOff; this.ldb = ldb;
        this.c = c; this.cOff = cOff; this.ldc = ldc;
        this.accumulate = accumulate; this.bias = bias; this.relu = relu;
        try {
            pool.run(this);
        } finally {
            this.a = null; this.b = null; this.c = null; this.bias = null;
        }
    }

    @Override
    public void run(int worker, int workers) {
        int panels = (n + NR - 1) / NR;
        int p0, p1, r0, r1;
        if (panels >= workers || workers == 1) {
            p0 = WorkerPool.splitStart(panels, worker, workers);
            p1 = WorkerPool.splitStart(panels, worker + 1, workers);
            r0 = 0;
            r1 = m;
        } else {
            int blocks = (m + MR - 1) / MR;
            p0 = 0;
            p1 = panels;
            r0 = Math.min(m, WorkerPool.splitStart(blocks, worker, workers) * MR);
            r1 = Math.min(m, WorkerPool.splitStart(blocks, worker + 1, workers) * MR);
        }
        if (r0 >= r1 || p0 >= p1) return;
        float[] bp = packed[worker];
        float[] ap = packedA[worker];
        packA(ap, r0, r1);
        for (int panel = p0; panel < p1; panel++) {
            int j0 = panel * NR;
            int cols = Math.min(NR, n - j0);
            pack(bp, j0, cols);
            for (int i = r0, blk = 0; i < r1; i += MR, blk++) {
                kernel8(ap, blk * k * MR, bp, tiles[worker]);
                epilogue(tiles[worker], i, Math.min(MR, r1 - i), j0, cols);
            }
        }
    }

    /** Rows [r0, r1) of op(A) into (block, K, MR) order, the last block zero-padded to MR rows. */
    private void packA(float[] ap, int r0, int r1) {
        for (int i0 = r0, blk = 0; i0 < r1; i0 += MR, blk++) {
            int rows = Math.min(MR, r1 - i0);
            int base = blk * k * MR;
            if (transA) {
                for (int p = 0; p < k; p++) {
                    long src = aOff + (long) p * lda + i0;
                    int dst = base + p * MR;
                    for (int r = 0; r < rows; r++) ap[dst + r] = a.getAtIndex(F32, src + r);
                    for (int r = rows; r < MR; r++) ap[dst + r] = 0f;
                }
            } else {
                for (int r = 0; r < MR; r++) {
                    if (r < rows) {
                        long src = aOff + (long) (i0 + r) * lda;
                        for (int p = 0; p < k; p++) ap[base + p * MR + r] = a.getAtIndex(F32, src + p);
                    } else {
                        for (int p = 0; p < k; p++) ap[base + p * MR + r] = 0f;
                    }
                }
            }
        }
    }

    /** Copies columns [j0, j0+cols) of op(B) into bp as (K, NR), zero-padding a ragged panel. */
    private void pack(float[] bp, int j0, int cols) {
        if (!transB) {
            for (int p = 0; p < k; p++) {
                MemorySegment.copy(b, F32, (bOff + (long) p * ldb + j0) * Float.BYTES, bp, p * NR, cols);
                if (cols < NR) java.util.Arrays.fill(bp, p * NR + cols, p * NR + NR, 0f);
            }
        } else {
            for (int jj = 0; jj < cols; jj++) {
                long src = bOff + (long) (j0 + jj) * ldb;
                for (int p = 0; p < k; p++) bp[p * NR + jj] = b.getAtIndex(F32, src + p);
            }
            if (cols < NR) {
                for (int p = 0; p < k; p++) java.util.Arrays.fill(bp, p * NR + cols, p * NR + NR, 0f);
            }
        }
    }

    /**
     * tile (MR, NR) = A block {@code aBase} · B panel. The accumulators leave through intoArray rather
     * than as arguments of an epilogue call: a call too large to inline would box all sixteen vectors.
     */
    private void kernel8(float[] ap, int aBase, float[] bp, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, p * NR);
            FloatVector b1 = FloatVector.fromArray(S, bp, p * NR + L);
            int o = aBase + p * MR;
            FloatVector av;
            av = FloatVector.broadcast(S, ap[o]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, ap[o + 1]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, ap[o + 2]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, ap[o + 3]);
            c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(S, ap[o + 4]);
            c40 = av.fma(b0, c40); c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(S, ap[o + 5]);
            c50 = av.fma(b0, c50); c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(S, ap[o + 6]);
            c60 = av.fma(b0, c60); c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(S, ap[o + 7]);
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

    /** The epilogue: (+ old C) (+ bias) (ReLU) on the tile's first {@code rows} rows, stored masked if ragged. */
    private void epilogue(float[] tile, int i0, int rows, int j0, int cols) {
        boolean full = cols == NR;
        VectorMask<Float> m0 = S.indexInRange(0, cols);
        VectorMask<Float> m1 = S.indexInRange(L, cols);
        for (int r = 0; r < rows; r++) {
            FloatVector v0 = FloatVector.fromArray(S, tile, r * NR);
            FloatVector v1 = FloatVector.fromArray(S, tile, r * NR + L);
            long off0 = (cOff + (long) (i0 + r) * ldc + j0) * Float.BYTES;
            long off1 = off0 + (long) L * Float.BYTES;
            if (full) {
                if (accumulate) {
                    v0 = FloatVector.fromMemorySegment(S, c, off0, NATIVE).add(v0);
                    v1 = FloatVector.fromMemorySegment(S, c, off1, NATIVE).add(v1);
                }
                if (bias != null) {
                    v0 = v0.add(FloatVector.fromMemorySegment(S, bias, (long) j0 * Float.BYTES, NATIVE));
                    v1 = v1.add(FloatVector.fromMemorySegment(S, bias, (long) (j0 + L) * Float.BYTES, NATIVE));
                }
                if (relu) {
                    v0 = v0.max(0f);
                    v1 = v1.max(0f);
                }
                v0.intoMemorySegment(c, off0, NATIVE);
                v1.intoMemorySegment(c, off1, NATIVE);
            } else {
                if (accumulate) {
                    v0 = FloatVector.fromMemorySegment(S, c, off0, NATIVE, m0).add(v0);
                    v1 = FloatVector.fromMemorySegment(S, c, off1, NATIVE, m1).add(v1);
                }
                if (bias != null) {
                    v0 = v0.add(FloatVector.fromMemorySegment(S, bias, (long) j0 * Float.BYTES, NATIVE, m0));
                    v1 = v1.add(FloatVector.fromMemorySegment(S, bias, (long) (j0 + L) * Float.BYTES, NATIVE, m1));
                }
                if (relu) {
                    v0 = v0.max(0f);
                    v1 = v1.max(0f);
                }
                v0.intoMemorySegment(c, off0, NATIVE, m0);
                v1.intoMemorySegment(c, off1, NATIVE, m1);
            }
        }
    }
}
