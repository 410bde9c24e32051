package dev.nvae.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import static dev.nvae.tensor.Tensor.F32;

/**
 * SGEMM on the Vector API: {@code C(M×N) (+)= op(A)(M×K) · op(B)(K×N)}, then an optional bias row and
 * ReLU applied as the result is stored (the forward pass's epilogue).
 *
 * <p>B is packed per call into panels of NR = 2 vectors of columns (transposing when {@code transB}), so
 * the micro-kernel always streams contiguous B rows; A is read as broadcast scalars through row and
 * column strides, which covers {@code transA} without packing. The 8×NR micro-kernel keeps 16 independent
 * accumulators in registers; rows left over at the bottom go through a one-row kernel, and a ragged last
 * panel is zero-padded when packed and stored through a lane mask.
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

    // The call in flight (fields rather than a lambda so a call allocates nothing).
    private boolean transA, transB, accumulate, relu;
    private int m, n, k, lda, ldb, ldc;
    private long aOff, bOff, cOff;
    private MemorySegment a, b, c, bias;

    public Gemm(WorkerPool pool) {
        this.pool = pool;
        this.packed = new float[pool.threads()][0];
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
        for (int w = 0; w < packed.length; w++) {
            if (packed[w].length < need) packed[w] = new float[need]; // grows on the first step only
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
        if (r0 >= r1) return;
        float[] bp = packed[worker];
        long aRow = transA ? 1 : lda, aCol = transA ? lda : 1;
        for (int panel = p0; panel < p1; panel++) {
            int j0 = panel * NR;
            int cols = Math.min(NR, n - j0);
            pack(bp, j0, cols);
            int i = r0;
            for (; i + MR <= r1; i += MR) kernel8(bp, i, j0, cols, aRow, aCol);
            for (; i < r1; i++) kernel1(bp, i, j0, cols, aRow, aCol);
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

    private void kernel8(float[] bp, int i0, int j0, int cols, long aRow, long aCol) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        MemorySegment a = this.a;
        long base = aOff + i0 * aRow;
        for (int p = 0; p < k; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, p * NR);
            FloatVector b1 = FloatVector.fromArray(S, bp, p * NR + L);
            long ap = base + p * aCol;
            FloatVector av;
            av = FloatVector.broadcast(S, a.getAtIndex(F32, ap));
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, a.getAtIndex(F32, ap + aRow));
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, a.getAtIndex(F32, ap + 2 * aRow));
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, a.getAtIndex(F32, ap + 3 * aRow));
            c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(S, a.getAtIndex(F32, ap + 4 * aRow));
            c40 = av.fma(b0, c40); c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(S, a.getAtIndex(F32, ap + 5 * aRow));
            c50 = av.fma(b0, c50); c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(S, a.getAtIndex(F32, ap + 6 * aRow));
            c60 = av.fma(b0, c60); c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(S, a.getAtIndex(F32, ap + 7 * aRow));
            c70 = av.fma(b0, c70); c71 = av.fma(b1, c71);
        }
        store(c00, c01, i0, j0, cols);
        store(c10, c11, i0 + 1, j0, cols);
        store(c20, c21, i0 + 2, j0, cols);
        store(c30, c31, i0 + 3, j0, cols);
        store(c40, c41, i0 + 4, j0, cols);
        store(c50, c51, i0 + 5, j0, cols);
        store(c60, c61, i0 + 6, j0, cols);
        store(c70, c71, i0 + 7, j0, cols);
    }

    private void kernel1(float[] bp, int i, int j0, int cols, long aRow, long aCol) {
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S);
        long base = aOff + i * aRow;
        for (int p = 0; p < k; p++) {
            FloatVector av = FloatVector.broadcast(S, a.getAtIndex(F32, base + p * aCol));
            c0 = av.fma(FloatVector.fromArray(S, bp, p * NR), c0);
            c1 = av.fma(FloatVector.fromArray(S, bp, p * NR + L), c1);
        }
        store(c0, c1, i, j0, cols);
    }

    /** The epilogue: (+ old C) (+ bias) (ReLU), then store the row's two vectors, masked if ragged. */
    private void store(FloatVector v0, FloatVector v1, int i, int j0, int cols) {
        long off0 = (cOff + (long) i * ldc + j0) * Float.BYTES;
        long off1 = off0 + (long) L * Float.BYTES;
        if (cols == NR) {
            if (accumulate) {
                v0 = FloatVector.fromMemorySegment(S, c, off0, NATIVE).add(v0);
                v1 = FloatVector.fromMemorySegment(S, c, off1, NATIVE).add(v1);
            }
            if (bias != null) {
                v0 = v0.add(FloatVector.fromMemorySegment(S, bias, (long) j0 * Float.BYTES, NATIVE));
                v1 = v1.add(FloatVector.fromMemorySegment(S, bias, (long) (j0 + L) * Float.BYTES, NATIVE));
            }
            if (relu) {
                v0 = v0.lanewise(VectorOperators.MAX, 0f);
                v1 = v1.lanewise(VectorOperators.MAX, 0f);
            }
            v0.intoMemorySegment(c, off0, NATIVE);
            v1.intoMemorySegment(c, off1, NATIVE);
        } else {
            VectorMask<Float> m0 = S.indexInRange(0, cols);
            VectorMask<Float> m1 = S.indexInRange(L, cols);
            if (accumulate) {
                v0 = FloatVector.fromMemorySegment(S, c, off0, NATIVE, m0).add(v0);
                v1 = FloatVector.fromMemorySegment(S, c, off1, NATIVE, m1).add(v1);
            }
            if (bias != null) {
                v0 = v0.add(FloatVector.fromMemorySegment(S, bias, (long) j0 * Float.BYTES, NATIVE, m0));
                v1 = v1.add(FloatVector.fromMemorySegment(S, bias, (long) (j0 + L) * Float.BYTES, NATIVE, m1));
            }
            if (relu) {
                v0 = v0.lanewise(VectorOperators.MAX, 0f);
                v1 = v1.lanewise(VectorOperators.MAX, 0f);
            }
            v0.intoMemorySegment(c, off0, NATIVE, m0);
            v1.intoMemorySegment(c, off1, NATIVE, m1);
        }
    }
}
