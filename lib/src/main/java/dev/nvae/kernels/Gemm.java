package dev.nvae.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Arrays;

import static dev.nvae.tensor.Tensor.F32;

/**
 * SGEMM on the Vector API: {@code C(M×N) (+)= op(A)(M×K) · op(B)(K×N)}, then an optional bias row and
 * ReLU applied as the result is stored (the forward pass's epilogue).
 *
 * <p>A call runs in two pool phases. <b>Pack</b>: op(A) into blocks of MR rows interleaved along k, op(B)
 * into panels of NR = 2 vectors of columns, both into heap arrays shared by the workers (blocks and
 * panels split between them, so nothing is packed twice), transposing where the operand is stored
 * transposed and zero-padding ragged edges. <b>Compute</b>: the MR×NR tiles of C, split between workers
 * as contiguous runs in panel-major order (balanced for tall, wide and narrow shapes alike); each tile
 * is one micro-kernel call over packed data — no MemorySegment access, so every bounds check hoists —
 * and an epilogue that stores through row guards (element by element on the ragged last panel).
 *
 * <p>Every element's k-sum runs in the same order with fused multiply-adds however the work is split,
 * so results do not depend on the thread count and equal {@link GemmScalar} bit for bit (the row path
 * skips zero inputs, which keeps this for finite weights: see {@link #rowsShare}).
 * One instance serves one thread of control (it is its own pool task).
 */
public final class Gemm implements WorkerPool.Task {
    private static final VectorSpecies<Float> S = Simd.F;
    private static final int L = S.length();
    private static final int NR = 2 * L;
    /**
     * Rows per micro-tile. The tile's 2·MR accumulators, the two B vectors and the MR broadcasts — C2
     * hoists all of a step's broadcasts to the top of the loop body — must fit the register file, or
     * an accumulator is spilled and every k step waits on a store-to-load round trip. AVX2 has 16
     * registers: 4×16 fits (8 + 2 + 4) and runs near the FMA peak; 5×16, 6×16 and 8×16 spill and run
     * at half of it (measured on Zen 3 by thread CPU time). AVX-512 has 32: 8×32 (16 + 2 + 8).
     */
    static final int DEFAULT_MR = Integer.getInteger("nvae.gemm.mr", S.vectorBitSize() >= 512 ? 8 : 4);
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    private final WorkerPool pool;
    private final int mr;                    // rows per micro-tile: 4 or 8
    private final boolean rowChunks;         // the row path's loop order
    private float[] packedA = new float[0]; // (blocks, K, MR)
    private float[] packedB = new float[0]; // (panels, K, NR)
    private final float[][] tiles;          // per worker: (MR, NR) accumulators on their way to C
    private final float[][] scratches;      // per worker: one strided row or column on its way into a pack
    private final float[][] rowAccumulators; // per worker: its columns of one row of C on the row path

    // The call in flight (fields rather than a lambda so a call allocates nothing).
    private enum Phase { PACK, TILES, ROWS }

    /**
     * Up to this many rows of C — a single decode — take the row path: no packing (repacking the
     * weights for one row would cost as much as the product), each worker streams its columns of B
     * (see {@link #rowsShare}).
     */
    static final int ROW_PATH_MAX_M = 2;

    /**
     * The row path's loop order (see {@link #rowsShare}): chunks of columns with their sums in registers
     * on AVX-512 machines, rows of B streamed into heap accumulators on narrower ones;
     * {@code -Dnvae.gemm.rowChunks=true|false} overrides it, for measuring.
     */
    static final boolean DEFAULT_ROW_CHUNKS = Boolean.parseBoolean(
            System.getProperty("nvae.gemm.rowChunks", String.valueOf(S.vectorBitSize() >= 512)));

    /** Whether a plain (untransposed) product with {@code m} rows of C takes the row path. */
    public static boolean takesRowPath(int m) {
        return m <= ROW_PATH_MAX_M;
    }

    /**
     * Row-path products with fewer elements of B than this run on the caller alone: handing half of a
     * small one to a worker costs more than it saves. Measured on a single decode: the first decoder layer
     * (58×256, 15K elements) took 3.6 µs on two threads and 1.9 µs on one; the 131K-element layer after it
     * gains from two.
     */
    static final long ROW_PATH_SHARED_MIN = 32_768;

    private Phase phase;
    private float[] rowsA = new float[0]; // (M, K): op(A) copied to the heap for the row path
    private int[] rowsNonZero = new int[0]; // (M, K): per row of A, the indices p with A[i, p] != 0, ascending
    private final int[] rowsNonZeroCount = new int[ROW_PATH_MAX_M];
    private boolean transA, transB, accumulate, relu;
    private int m, n, k, lda, ldb, ldc, blocks, panels;
    private long aOff, bOff, cOff;
    private MemorySegment a, b, c, bias;

    public Gemm(WorkerPool pool) {
        this(pool, DEFAULT_MR, DEFAULT_ROW_CHUNKS);
    }

    /** With a given micro-tile height and row-path order, so tests exercise every kernel on any machine. */
    Gemm(WorkerPool pool, int mr, boolean rowChunks) {
        if (mr != 4 && mr != 8) throw new IllegalArgumentException("-Dnvae.gemm.mr=" + mr + ": expected 4 or 8");
        this.pool = pool;
        this.mr = mr;
        this.rowChunks = rowChunks;
        this.tiles = new float[pool.threads()][mr * NR];
        this.scratches = new float[pool.threads()][0];
        this.rowAccumulators = new float[pool.threads()][0];
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
        int kk = Math.max(1, k);
        int blockCount = (m + mr - 1) / mr, panelCount = (n + NR - 1) / NR;
        long needA = (long) blockCount * mr * kk, needB = (long) panelCount * NR * kk;
        if (needA > Integer.MAX_VALUE || needB > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("GEMM operand too large: " + m + "x" + n + "x" + k);
        }
        // Grow on the first call of a shape only; steady-state steps allocate nothing.
        boolean rowPath = m <= ROW_PATH_MAX_M && !transA && !transB && k > 0;
        if (!rowPath && packedA.length < needA) packedA = new float[(int) needA];
        if (!rowPath && packedB.length < needB) packedB = new float[(int) needB];
        if (rowPath && rowsA.length < m * k) {
            rowsA = new float[m * k];
            rowsNonZero = new int[m * k];
        }
        this.transA = transA; this.transB = transB; this.m = m; this.n = n; this.k = k;
        this.a = a; this.aOff = aOff; this.lda = lda;
        this.b = b; this.bOff = bOff; this.ldb = ldb;
        this.c = c; this.cOff = cOff; this.ldc = ldc;
        this.accumulate = accumulate; this.bias = bias; this.relu = relu;
        this.blocks = blockCount; this.panels = panelCount;
        try {
            if (rowPath) {
                for (int i = 0; i < m; i++) {
                    MemorySegment.copy(a, F32, (aOff + (long) i * lda) * Float.BYTES, rowsA, i * k, k);
                    rowsNonZeroCount[i] = nonZeroIndices(rowsA, i * k, k, rowsNonZero);
                }
                phase = Phase.ROWS;
                if ((long) k * n < ROW_PATH_SHARED_MIN) rowsShare(0, 1);  // the caller alone: see the constant
                else pool.run(this);
            } else {
                phase = Phase.PACK;
                pool.run(this);
                phase = Phase.TILES;
                pool.run(this);
            }
        } finally {
            this.a = null; this.b = null; this.c = null; this.bias = null;
        }
    }

    @Override
    public void run(int worker, int workers) {
        if (phase == Phase.ROWS) {
            rowsShare(worker, workers);
            return;
        }
        if (phase == Phase.PACK) {
            float[] scratch = scratch(worker);
            packA(WorkerPool.splitStart(blocks, worker, workers), WorkerPool.splitStart(blocks, worker + 1, workers), scratch);
            int p0 = WorkerPool.splitStart(panels, worker, workers), p1 = WorkerPool.splitStart(panels, worker + 1, workers);
            for (int panel = p0; panel < p1; panel++) packB(panel, scratch);
            return;
        }
        int tileCount = blocks * panels;
        int t0 = WorkerPool.splitStart(tileCount, worker, workers), t1 = WorkerPool.splitStart(tileCount, worker + 1, workers);
        float[] tile = tiles[worker];
        int kk = Math.max(1, k);
        for (int t = t0; t < t1; t++) {
            int panel = t / blocks, blk = t % blocks;
            if (mr == 4) kernel4(blk * kk * mr, panel * kk * NR, tile);
            else kernel8(blk * kk * mr, panel * kk * NR, tile);
            int i0 = blk * mr, j0 = panel * NR;
            epilogue(tile, i0, Math.min(mr, m - i0), j0, Math.min(NR, n - j0));
        }
    }

    /** This worker's scratch, grown (on the first call of a shape only) to hold a row of K or M floats. */
    private float[] scratch(int worker) {
        int need = Math.max(k, m);
        if (scratches[worker].length < need) scratches[worker] = new float[need];
        return scratches[worker];
    }

    /**
     * Row path: this worker's share of the columns of C — whole vectors, split evenly; the last worker
     * also takes the n mod L columns past them — for every row of C. The split is the same on every call,
     * so each core keeps re-reading the same part of the weights.
     *
     * <p>Two loop orders, by the machine ({@link #DEFAULT_ROW_CHUNKS}):
     * <ul>
     *   <li><b>Chunks</b> (AVX-512): eight vectors of columns at a time, their sums in registers, all of k
     *       inside. No accumulator goes through memory, and each k step is eight independent multiply-adds.
     *       Where a core's share of the weights mostly stays in its L2 (1 MB per Zen 4 core) this wins:
     *       a single decode of the mlp model took 12.3–12.5 µs against 13.6–15.6 streamed (fixed latent;
     *       13.3 against 14.2–15.6 with a new latent per call; Zen 4, two threads, three alternating runs).</li>
     *   <li><b>Streams</b> (AVX2 and narrower): k outside and columns inside: eight rows of B at a time,
     *       each read as one contiguous run of this worker's columns, folded into accumulators kept in a
     *       heap array (an L1-resident row of C). B is streamed once, front to back, in long sequential runs
     *       the hardware prefetcher follows, which is what matters when it comes from L3 (Zen 3: 512 KB of
     *       L2 per core); the column-chunk order it replaced there walked all of B once per 64 columns at a
     *       stride of a whole row, losing the prefetcher at each page (one thread 70 → 47 µs).</li>
     * </ul>
     *
     * <p>Rows of B whose input is zero are not read at all: a decoder's hidden layers come out of a ReLU,
     * and at batch 1 the bytes of B are the whole cost. A skipped term is fma(±0, w, s) = s + (±0), which
     * is s itself for every finite w unless s is −0; the sums start at +0 and reach −0 only through a
     * negative value that rounds to zero (below 2^−149), which takes products of inputs and weights around
     * 1e−31 or less, far from anything a trained layer computes. So each sum still equals, to the last bit,
     * the one that runs over p = 0, 1, ..., k−1 with one fused multiply-add per step, the order of the
     * tile path and of {@link GemmScalar}. Weights must be finite — a NaN weight under a zero input would
     * be seen by one and not the other — and model files with non-finite weights are refused when loaded.
     * A 1-epoch Fashion-MNIST model's decoder has 78%, 42% and 21% zeros in the inputs of its three
     * layers (a 10-epoch one 78%, 47%, 52%); skipping them took its single decode from 19.1–23.2 µs to
     * 13.3–16.9 (Zen 4, streamed, before the chunks).
     */
    private void rowsShare(int worker, int workers) {
        int vectors = n / L;
        int j0 = WorkerPool.splitStart(vectors, worker, workers) * L, j1 = WorkerPool.splitStart(vectors, worker + 1, workers) * L;
        boolean last = worker == workers - 1;
        float[] acc = rowAccumulators(worker, j1 - j0);
        for (int i = 0; i < m; i++) {
            if (j1 > j0) {
                if (rowChunks) rowChunks(i, j0, j1, acc);
                else rowStreams(i, j0, j1, acc);
            }
            if (last) for (int j = vectors * L; j < n; j++) rowScalar(i, j);
        }
    }

    /** C[i, j0:j1] (whole vectors) in chunks of eight vectors, their sums in registers; {@code acc} carries them to the epilogue. */
    private void rowChunks(int i, int j0, int j1, float[] acc) {
        float[] ar = rowsA;
        int[] nz = rowsNonZero;
        int base = i * k, count = rowsNonZeroCount[i];
        long stride = (long) ldb * Float.BYTES, v = (long) L * Float.BYTES;
        int j = j0;
        for (; j + 8 * L <= j1; j += 8 * L) {
            long col = (bOff + j) * (long) Float.BYTES;
            FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
            for (int q = 0; q < count; q++) {
                int p = nz[base + q];
                FloatVector x = FloatVector.broadcast(S, ar[base + p]);
                long o = col + p * stride;
                s0 = x.fma(FloatVector.fromMemorySegment(S, b, o, NATIVE), s0);
                s1 = x.fma(FloatVector.fromMemorySegment(S, b, o + v, NATIVE), s1);
                s2 = x.fma(FloatVector.fromMemorySegment(S, b, o + 2 * v, NATIVE), s2);
                s3 = x.fma(FloatVector.fromMemorySegment(S, b, o + 3 * v, NATIVE), s3);
                s4 = x.fma(FloatVector.fromMemorySegment(S, b, o + 4 * v, NATIVE), s4);
                s5 = x.fma(FloatVector.fromMemorySegment(S, b, o + 5 * v, NATIVE), s5);
                s6 = x.fma(FloatVector.fromMemorySegment(S, b, o + 6 * v, NATIVE), s6);
                s7 = x.fma(FloatVector.fromMemorySegment(S, b, o + 7 * v, NATIVE), s7);
            }
            int at = j - j0;
            s0.intoArray(acc, at); s1.intoArray(acc, at + L); s2.intoArray(acc, at + 2 * L); s3.intoArray(acc, at + 3 * L);
            s4.intoArray(acc, at + 4 * L); s5.intoArray(acc, at + 5 * L); s6.intoArray(acc, at + 6 * L); s7.intoArray(acc, at + 7 * L);
        }
        for (; j < j1; j += L) {
            long col = (bOff + j) * (long) Float.BYTES;
            FloatVector s0 = FloatVector.zero(S);
            for (int q = 0; q < count; q++) {
                int p = nz[base + q];
                s0 = FloatVector.broadcast(S, ar[base + p]).fma(FloatVector.fromMemorySegment(S, b, col + p * stride, NATIVE), s0);
            }
            s0.intoArray(acc, j - j0);
        }
        for (int at = 0; at < j1 - j0; at += L) storeRowVector(FloatVector.fromArray(S, acc, at), i, j0 + at);
    }

    /** C[i, j0:j1] (whole vectors) through the heap accumulators {@code acc[0 : j1-j0]}, B streamed by rows. */
    private void rowStreams(int i, int j0, int j1, float[] acc) {
        float[] ar = rowsA;
        int[] nz = rowsNonZero;
        int base = i * k, count = rowsNonZeroCount[i], width = j1 - j0;
        Arrays.fill(acc, 0, width, 0f);
        long row0 = (bOff + j0) * (long) Float.BYTES, stride = (long) ldb * Float.BYTES;
        int q = 0;
        for (; q + 8 <= count; q += 8) {
            int p0 = nz[base + q], p1 = nz[base + q + 1], p2 = nz[base + q + 2], p3 = nz[base + q + 3];
            int p4 = nz[base + q + 4], p5 = nz[base + q + 5], p6 = nz[base + q + 6], p7 = nz[base + q + 7];
            FloatVector x0 = FloatVector.broadcast(S, ar[base + p0]), x1 = FloatVector.broadcast(S, ar[base + p1]);
            FloatVector x2 = FloatVector.broadcast(S, ar[base + p2]), x3 = FloatVector.broadcast(S, ar[base + p3]);
            FloatVector x4 = FloatVector.broadcast(S, ar[base + p4]), x5 = FloatVector.broadcast(S, ar[base + p5]);
            FloatVector x6 = FloatVector.broadcast(S, ar[base + p6]), x7 = FloatVector.broadcast(S, ar[base + p7]);
            long o0 = row0 + p0 * stride, o1 = row0 + p1 * stride, o2 = row0 + p2 * stride, o3 = row0 + p3 * stride;
            long o4 = row0 + p4 * stride, o5 = row0 + p5 * stride, o6 = row0 + p6 * stride, o7 = row0 + p7 * stride;
            for (int j = 0; j < width; j += L) {
                long jb = (long) j * Float.BYTES;
                FloatVector sum = FloatVector.fromArray(S, acc, j);
                sum = x0.fma(FloatVector.fromMemorySegment(S, b, o0 + jb, NATIVE), sum);
                sum = x1.fma(FloatVector.fromMemorySegment(S, b, o1 + jb, NATIVE), sum);
                sum = x2.fma(FloatVector.fromMemorySegment(S, b, o2 + jb, NATIVE), sum);
                sum = x3.fma(FloatVector.fromMemorySegment(S, b, o3 + jb, NATIVE), sum);
                sum = x4.fma(FloatVector.fromMemorySegment(S, b, o4 + jb, NATIVE), sum);
                sum = x5.fma(FloatVector.fromMemorySegment(S, b, o5 + jb, NATIVE), sum);
                sum = x6.fma(FloatVector.fromMemorySegment(S, b, o6 + jb, NATIVE), sum);
                sum = x7.fma(FloatVector.fromMemorySegment(S, b, o7 + jb, NATIVE), sum);
                sum.intoArray(acc, j);
            }
        }
        for (; q < count; q++) {
            int p = nz[base + q];
            FloatVector x = FloatVector.broadcast(S, ar[base + p]);
            long r = row0 + p * stride;
            for (int j = 0; j < width; j += L) {
                x.fma(FloatVector.fromMemorySegment(S, b, r + (long) j * Float.BYTES, NATIVE), FloatVector.fromArray(S, acc, j))
                        .intoArray(acc, j);
            }
        }
        for (int j = 0; j < width; j += L) storeRowVector(FloatVector.fromArray(S, acc, j), i, j0 + j);
    }

    /** Writes the indices p (ascending) with {@code a[base + p] != 0} to {@code out[base ...]}; returns their count. */
    static int nonZeroIndices(float[] a, int base, int k, int[] out) {
        int count = 0;
        for (int p = 0; p < k; p++) {
            out[base + count] = p;
            count += a[base + p] != 0f ? 1 : 0;
        }
        return count;
    }

    /** C[i, j] for a column past the last whole vector, over the same nonzero inputs as the vectors. */
    private void rowScalar(int i, int j) {
        float[] ar = rowsA;
        int[] nz = rowsNonZero;
        int base = i * k, count = rowsNonZeroCount[i];
        float sum = 0f;
        for (int q = 0; q < count; q++) {
            int p = nz[base + q];
            sum = Math.fma(ar[base + p], b.getAtIndex(F32, bOff + (long) p * ldb + j), sum);
        }
        storeScalar(sum, i, j);
    }

    /** This worker's row-path accumulators, grown (on the first call of a shape only) to {@code width} floats. */
    private float[] rowAccumulators(int worker, int width) {
        if (rowAccumulators[worker].length < width) rowAccumulators[worker] = new float[width];
        return rowAccumulators[worker];
    }

    /** The epilogue for one whole vector of row i at column j. */
    private void storeRowVector(FloatVector v, int i, int j) {
        long off = (cOff + (long) i * ldc + j) * Float.BYTES;
        if (accumulate) v = FloatVector.fromMemorySegment(S, c, off, NATIVE).add(v);
        if (bias != null) v = v.add(FloatVector.fromMemorySegment(S, bias, (long) j * Float.BYTES, NATIVE));
        if (relu) v = v.max(0f);
        v.intoMemorySegment(c, off, NATIVE);
    }

    /** The epilogue for one element: the same operations in the same order as the vector path. */
    private void storeScalar(float sum, int i, int j) {
        long ci = cOff + (long) i * ldc + j;
        float v = sum;
        if (accumulate) v = c.getAtIndex(F32, ci) + v;
        if (bias != null) v = v + bias.getAtIndex(F32, j);
        if (relu) v = Math.max(v, 0f);
        c.setAtIndex(F32, ci, v);
    }

    /**
     * Row blocks [b0, b1) of op(A), each as (K, mr), zero-padded past row M. Strided reads go through
     * a bulk copy into this worker's heap scratch first: element-wise MemorySegment reads cost a bounds
     * and liveness check each, plain array reads none once C2 has hoisted them.
     */
    private void packA(int b0, int b1, float[] scratch) {
        if (b0 >= b1) return;
        float[] ap = packedA;
        int kk = Math.max(1, k);
        if (k == 0) {
            for (int blk = b0; blk < b1; blk++) Arrays.fill(ap, blk * mr, blk * mr + mr, 0f);
            return;
        }
        if (transA) {
            // Stored K×M: row p of the storage holds the p-th value of every row of op(A).
            int r0 = b0 * mr, r1 = Math.min(m, b1 * mr), width = r1 - r0;
            for (int p = 0; p < k; p++) {
                MemorySegment.copy(a, F32, (aOff + (long) p * lda + r0) * Float.BYTES, scratch, 0, width);
                for (int blk = b0; blk < b1; blk++) {
                    int dst = blk * kk * mr + p * mr, from = (blk - b0) * mr;
                    int rows = Math.min(mr, width - from);
                    for (int r = 0; r < rows; r++) ap[dst + r] = scratch[from + r];
                    for (int r = rows; r < mr; r++) ap[dst + r] = 0f;
                }
            }
        } else {
            for (int blk = b0; blk < b1; blk++) {
                int i0 = blk * mr, rows = Math.min(mr, m - i0), base = blk * kk * mr;
                for (int r = 0; r < mr; r++) {
                    if (r < rows) {
                        MemorySegment.copy(a, F32, (aOff + (long) (i0 + r) * lda) * Float.BYTES, scratch, 0, k);
                        for (int p = 0; p < k; p++) ap[base + p * mr + r] = scratch[p];
                    } else {
                        for (int p = 0; p < k; p++) ap[base + p * mr + r] = 0f;
                    }
                }
            }
        }
    }

    /** Columns [panel·NR, panel·NR + NR) of op(B) as (K, NR), zero-padded past column N. */
    private void packB(int panel, float[] scratch) {
        float[] bp = packedB;
        int j0 = panel * NR, cols = Math.min(NR, n - j0);
        int base = panel * Math.max(1, k) * NR;
        if (k == 0) {
            Arrays.fill(bp, base, base + NR, 0f);
            return;
        }
        if (!transB) {
            if (cols == NR) {
                for (int p = 0; p < k; p++) {
                    long src = (bOff + (long) p * ldb + j0) * Float.BYTES;
                    FloatVector.fromMemorySegment(S, b, src, NATIVE).intoArray(bp, base + p * NR);
                    FloatVector.fromMemorySegment(S, b, src + (long) L * Float.BYTES, NATIVE).intoArray(bp, base + p * NR + L);
                }
            } else {
                for (int p = 0; p < k; p++) {
                    MemorySegment.copy(b, F32, (bOff + (long) p * ldb + j0) * Float.BYTES, bp, base + p * NR, cols);
                    Arrays.fill(bp, base + p * NR + cols, base + p * NR + NR, 0f);
                }
            }
        } else {
            // Stored N×K: each of the panel's columns is a contiguous row of the storage.
            for (int jj = 0; jj < cols; jj++) {
                MemorySegment.copy(b, F32, (bOff + (long) (j0 + jj) * ldb) * Float.BYTES, scratch, 0, k);
                for (int p = 0; p < k; p++) bp[base + p * NR + jj] = scratch[p];
            }
            if (cols < NR) {
                for (int p = 0; p < k; p++) Arrays.fill(bp, base + p * NR + cols, base + p * NR + NR, 0f);
            }
        }
    }

    /**
     * tile (4, NR) = A block at {@code aBase} · B panel at {@code bBase}: eight accumulators, for
     * 16-register ISAs. The accumulators leave through intoArray rather than as arguments of an
     * epilogue call: a call too large to inline would box them all.
     */
    private void kernel4(int aBase, int bBase, float[] tile) {
        float[] ap = packedA, bp = packedB;
        int kk = Math.max(1, k);
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int p = 0; p < kk; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bBase + p * NR);
            FloatVector b1 = FloatVector.fromArray(S, bp, bBase + p * NR + L);
            int o = aBase + p * 4;
            FloatVector av;
            av = FloatVector.broadcast(S, ap[o]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, ap[o + 1]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, ap[o + 2]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, ap[o + 3]);
            c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
        }
        c00.intoArray(tile, 0); c01.intoArray(tile, L);
        c10.intoArray(tile, NR); c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR); c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR); c31.intoArray(tile, 3 * NR + L);
    }

    /** tile (8, NR) = A block · B panel: sixteen accumulators, for 32-register ISAs (AVX-512). */
    private void kernel8(int aBase, int bBase, float[] tile) {
        float[] ap = packedA, bp = packedB;
        int kk = Math.max(1, k);
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        for (int p = 0; p < kk; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bBase + p * NR);
            FloatVector b1 = FloatVector.fromArray(S, bp, bBase + p * NR + L);
            int o = aBase + p * 8;
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

    /**
     * The epilogue: (+ old C) (+ bias) (ReLU) on the tile's first {@code rows} rows. A ragged tile (the
     * last panel) is stored element by element: masked vector loads and stores have no AVX2 intrinsic
     * for floats in JDK 25 and ran as Java loops, 4% of a training step. Vector values are never null
     * here: C2 (JDK 25) crashed on a vector local that was null on one path.
     */
    private void epilogue(float[] tile, int i0, int rows, int j0, int cols) {
        if (cols < NR) {
            for (int r = 0; r < rows; r++) {
                for (int jj = 0; jj < cols; jj++) storeScalar(tile[r * NR + jj], i0 + r, j0 + jj);
            }
            return;
        }
        // Written out rather than two storeRowVector calls: passing the vectors to a second method (if C2
        // does not inline it) boxes them, and measured 61% of OpenBLAS instead of 80% on a single thread.
        long biasOff = (long) j0 * Float.BYTES;
        for (int r = 0; r < rows; r++) {
            FloatVector v0 = FloatVector.fromArray(S, tile, r * NR);
            FloatVector v1 = FloatVector.fromArray(S, tile, r * NR + L);
            long off0 = (cOff + (long) (i0 + r) * ldc + j0) * Float.BYTES;
            long off1 = off0 + (long) L * Float.BYTES;
            if (accumulate) {
                v0 = FloatVector.fromMemorySegment(S, c, off0, NATIVE).add(v0);
                v1 = FloatVector.fromMemorySegment(S, c, off1, NATIVE).add(v1);
            }
            if (bias != null) {
                v0 = v0.add(FloatVector.fromMemorySegment(S, bias, biasOff, NATIVE));
                v1 = v1.add(FloatVector.fromMemorySegment(S, bias, biasOff + (long) L * Float.BYTES, NATIVE));
            }
            if (relu) {
                v0 = v0.max(0f);
                v1 = v1.max(0f);
            }
            v0.intoMemorySegment(c, off0, NATIVE);
            v1.intoMemorySegment(c, off1, NATIVE);
        }
    }
}
