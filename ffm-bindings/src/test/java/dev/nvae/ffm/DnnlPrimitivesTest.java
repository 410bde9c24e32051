package dev.nvae.ffm;

import dev.nvae.ffm.dnnl.DnnlMacros;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.Random;

import static dev.nvae.ffm.dnnl.dnnl_h.*;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Every primitive the bindings cover, run through the raw bindings on segments allocated here, against a
 * scalar loop. This is what checks the parameter order of each *_primitive_desc_create. Row-major f32;
 * B batch, D input (K for matmul), H output.
 */
class DnnlPrimitivesTest {

    private static final double REL_TOL = 1e-5;

    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextGaussian());
        }
        return a;
    }

    /** |a - e| <= 1e-5 * max(1, |e|) elementwise: relative, with an absolute floor near zero. */
    private static void assertClose(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            double tol = REL_TOL * Math.max(1.0, Math.abs(expected[i]));
            assertTrue(Math.abs(expected[i] - actual[i]) <= tol,
                    "element " + i + ": expected " + expected[i] + " got " + actual[i]);
        }
    }

    @Test
    void matmulWithBiasAndReluPostOpMatchesScalar() {
        int m = 5, k = 7, n = 3;
        Random r = new Random(1);
        float[] a = random(r, m * k), b = random(r, k * n), bias = random(r, n);
        float[] expected = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double acc = bias[j];
                for (int p = 0; p < k; p++) {
                    acc += (double) a[i * k + p] * b[p * n + j];
                }
                expected[i * n + j] = (float) Math.max(0.0, acc);
            }
        }
        try (DnnlScope s = new DnnlScope()) {
            MemorySegment srcMd = s.md(dnnl_ab(), m, k);     // (M, K)
            MemorySegment weiMd = s.md(dnnl_ab(), k, n);     // (K, N)
            MemorySegment biasMd = s.md(dnnl_ab(), 1, n);    // (1, N), broadcast over M
            MemorySegment dstMd = s.md(dnnl_ab(), m, n);     // (M, N)

            MemorySegment postOps = s.postOps();
            DnnlStatus.check("dnnl_post_ops_append_eltwise",
                    dnnl_post_ops_append_eltwise(postOps, dnnl_eltwise_relu(), 0f, 0f));
            MemorySegment attr = s.attr();
            DnnlStatus.check("dnnl_primitive_attr_set_post_ops", dnnl_primitive_attr_set_post_ops(attr, postOps));
            DnnlStatus.check("dnnl_primitive_attr_set_scratchpad_mode",
                    dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user()));
            DnnlStatus.check("dnnl_primitive_attr_set_fpmath_mode",
                    dnnl_primitive_attr_set_fpmath_mode(attr, dnnl_fpmath_mode_strict()));

            MemorySegment pd = s.primitiveDesc("dnnl_matmul_primitive_desc_create",
                    out -> dnnl_matmul_primitive_desc_create(out, s.engine, srcMd, weiMd, biasMd, dstMd, attr));
            // The plain layouts we asked for are the ones chosen: no reorder needed.
            assertEquals(1, dnnl_memory_desc_equal(dnnl_primitive_desc_query_md(pd, dnnl_query_dst_md(), 0), dstMd));
            assertEquals((long) m * n * Float.BYTES, dnnl_memory_desc_get_size(dstMd));
            System.out.println("matmul implementation: " + implInfo(s, pd));

            // With a user scratchpad, the primitive gets its scratch memory from us.
            MemorySegment scratchMd = dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md(), 0);
            long scratchBytes = dnnl_memory_desc_get_size(scratchMd);
            MemorySegment scratch = s.memory(scratchMd, s.arena.allocate(Math.max(1, scratchBytes), 64));

            MemorySegment prim = s.primitive(pd);
            MemorySegment dst = s.zeros(m * n);
            s.execute(prim,
                    DNNL_ARG_SRC(), s.memory(srcMd, s.floats(a)),
                    DNNL_ARG_WEIGHTS(), s.memory(weiMd, s.floats(b)),
                    DNNL_ARG_BIAS(), s.memory(biasMd, s.floats(bias)),
                    DNNL_ARG_DST(), s.memory(dstMd, dst),
                    DNNL_ARG_SCRATCHPAD(), scratch);
            assertClose(expected, DnnlScope.toArray(dst));
        }
    }

    @Test
    void matmulWithTransposedWeightsAndBinaryAddPostOpMatchesScalar() {
        int m = 4, k = 9, n = 6;
        Random r = new Random(2);
        float[] a = random(r, m * k), bt = random(r, n * k), addend = random(r, m * n);  // bt: (N, K) in memory
        float[] expected = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double acc = addend[i * n + j];
                for (int p = 0; p < k; p++) {
                    acc += (double) a[i * k + p] * bt[j * k + p];
                }
                expected[i * n + j] = (float) acc;
            }
        }
        try (DnnlScope s = new DnnlScope()) {
            MemorySegment srcMd = s.md(dnnl_ab(), m, k);
            // Logical (K, N) weights stored as (N, K): element (p, j) at j*K + p.
            MemorySegment weiMd = s.mdStrides(new long[]{k, n}, new long[]{1, k});
            MemorySegment dstMd = s.md(dnnl_ab(), m, n);
            MemorySegment addMd = s.md(dnnl_ab(), m, n);

            MemorySegment postOps = s.postOps();
            DnnlStatus.check("dnnl_post_ops_append_binary", dnnl_post_ops_append_binary(postOps, dnnl_binary_add(), addMd));
            MemorySegment attr = s.attr();
            DnnlStatus.check("dnnl_primitive_attr_set_post_ops", dnnl_primitive_attr_set_post_ops(attr, postOps));

            MemorySegment pd = s.primitiveDesc("dnnl_matmul_primitive_desc_create",
                    out -> dnnl_matmul_primitive_desc_create(out, s.engine, srcMd, weiMd, MemorySegment.NULL, dstMd, attr));
            MemorySegment dst = s.zeros(m * n);
            s.execute(s.primitive(pd),
                    DNNL_ARG_SRC(), s.memory(srcMd, s.floats(a)),
                    DNNL_ARG_WEIGHTS(), s.memory(weiMd, s.floats(bt)),
                    DNNL_ARG_DST(), s.memory(dstMd, dst),
                    DnnlMacros.DNNL_ARG_ATTR_MULTIPLE_POST_OP(0) | DNNL_ARG_SRC_1(), s.memory(addMd, s.floats(addend)));
            assertClose(expected, DnnlScope.toArray(dst));
        }
    }

    @Test
    void matmulWithSumPostOpAccumulatesIntoDst() {
        int m = 6, k = 5, n = 7;
        Random r = new Random(8);
        float[] at = random(r, k * m), b = random(r, k * n), before = random(r, m * n);  // at: (K, M) in memory
        float[] expected = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double acc = before[i * n + j];
                for (int p = 0; p < k; p++) {
                    acc += (double) at[p * m + i] * b[p * n + j];
                }
                expected[i * n + j] = (float) acc;
            }
        }
        try (DnnlScope s = new DnnlScope()) {
            // Logical (M, K) source stored as (K, M): a weight-gradient product xᵀ·dy reads x this way.
            MemorySegment srcMd = s.mdStrides(new long[]{m, k}, new long[]{1, m});
            MemorySegment weiMd = s.md(dnnl_ab(), k, n);
            MemorySegment dstMd = s.md(dnnl_ab(), m, n);
            MemorySegment postOps = s.postOps();
            DnnlStatus.check("dnnl_post_ops_append_sum", dnnl_post_ops_append_sum(postOps, 1f, 0, dnnl_data_type_undef()));
            MemorySegment attr = s.attr();
            DnnlStatus.check("dnnl_primitive_attr_set_post_ops", dnnl_primitive_attr_set_post_ops(attr, postOps));
            MemorySegment pd = s.primitiveDesc("dnnl_matmul_primitive_desc_create",
                    out -> dnnl_matmul_primitive_desc_create(out, s.engine, srcMd, weiMd, MemorySegment.NULL, dstMd, attr));
            MemorySegment dst = s.floats(before);
            s.execute(s.primitive(pd), DNNL_ARG_SRC(), s.memory(srcMd, s.floats(at)),
                    DNNL_ARG_WEIGHTS(), s.memory(weiMd, s.floats(b)), DNNL_ARG_DST(), s.memory(dstMd, dst));
            assertClose(expected, DnnlScope.toArray(dst));
        }
    }

    @Test
    void innerProductForwardAndBothBackwardsMatchScalar() {
        int batch = 4, in = 6, out = 5;
        Random r = new Random(3);
        float[] x = random(r, batch * in), w = random(r, out * in), b = random(r, out), dy = random(r, batch * out);
        float[] y = new float[batch * out], dx = new float[batch * in], dw = new float[out * in], db = new float[out];
        for (int i = 0; i < batch; i++) {
            for (int o = 0; o < out; o++) {
                double acc = b[o];
                for (int d = 0; d < in; d++) {
                    acc += (double) x[i * in + d] * w[o * in + d];
                }
                y[i * out + o] = (float) acc;
            }
        }
        for (int i = 0; i < batch; i++) {
            for (int d = 0; d < in; d++) {
                double acc = 0;
                for (int o = 0; o < out; o++) {
                    acc += (double) dy[i * out + o] * w[o * in + d];
                }
                dx[i * in + d] = (float) acc;
            }
        }
        for (int o = 0; o < out; o++) {
            double accB = 0;
            for (int i = 0; i < batch; i++) {
                accB += dy[i * out + o];
            }
            db[o] = (float) accB;
            for (int d = 0; d < in; d++) {
                double acc = 0;
                for (int i = 0; i < batch; i++) {
                    acc += (double) dy[i * out + o] * x[i * in + d];
                }
                dw[o * in + d] = (float) acc;
            }
        }
        try (DnnlScope s = new DnnlScope()) {
            MemorySegment xMd = s.md(dnnl_nc(), batch, in);    // (B, D)
            MemorySegment wMd = s.md(dnnl_oi(), out, in);      // (H, D)
            MemorySegment bMd = s.md(dnnl_x(), out);           // (H)
            MemorySegment yMd = s.md(dnnl_nc(), batch, out);   // (B, H)

            MemorySegment fwdPd = s.primitiveDesc("dnnl_inner_product_forward_primitive_desc_create",
                    o -> dnnl_inner_product_forward_primitive_desc_create(o, s.engine, dnnl_forward_training(),
                            xMd, wMd, bMd, yMd, MemorySegment.NULL));
            MemorySegment bwdDataPd = s.primitiveDesc("dnnl_inner_product_backward_data_primitive_desc_create",
                    o -> dnnl_inner_product_backward_data_primitive_desc_create(o, s.engine, xMd, wMd, yMd, fwdPd,
                            MemorySegment.NULL));
            MemorySegment bwdWeightsPd = s.primitiveDesc("dnnl_inner_product_backward_weights_primitive_desc_create",
                    o -> dnnl_inner_product_backward_weights_primitive_desc_create(o, s.engine, xMd, wMd, bMd, yMd,
                            fwdPd, MemorySegment.NULL));

            MemorySegment xMem = s.memory(xMd, s.floats(x));
            MemorySegment wMem = s.memory(wMd, s.floats(w));
            MemorySegment yBuf = s.zeros(batch * out);
            s.execute(s.primitive(fwdPd), DNNL_ARG_SRC(), xMem, DNNL_ARG_WEIGHTS(), wMem,
                    DNNL_ARG_BIAS(), s.memory(bMd, s.floats(b)), DNNL_ARG_DST(), s.memory(yMd, yBuf));
            assertClose(y, DnnlScope.toArray(yBuf));

            MemorySegment dyMem = s.memory(yMd, s.floats(dy));
            MemorySegment dxBuf = s.zeros(batch * in);
            s.execute(s.primitive(bwdDataPd), DNNL_ARG_DIFF_DST(), dyMem, DNNL_ARG_WEIGHTS(), wMem,
                    DNNL_ARG_DIFF_SRC(), s.memory(xMd, dxBuf));
            assertClose(dx, DnnlScope.toArray(dxBuf));

            MemorySegment dwBuf = s.zeros(out * in), dbBuf = s.zeros(out);
            s.execute(s.primitive(bwdWeightsPd), DNNL_ARG_SRC(), xMem, DNNL_ARG_DIFF_DST(), dyMem,
                    DNNL_ARG_DIFF_WEIGHTS(), s.memory(wMd, dwBuf), DNNL_ARG_DIFF_BIAS(), s.memory(bMd, dbBuf));
            assertClose(dw, DnnlScope.toArray(dwBuf));
            assertClose(db, DnnlScope.toArray(dbBuf));
        }
    }

    @Test
    void eltwiseLogisticForwardAndBackwardMatchScalar() {
        int rows = 3, cols = 11;
        Random r = new Random(4);
        float[] x = random(r, rows * cols), dy = random(r, rows * cols);
        float[] y = new float[x.length], dx = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            double sig = 1.0 / (1.0 + Math.exp(-x[i]));
            y[i] = (float) sig;
            dx[i] = (float) (dy[i] * sig * (1.0 - sig));
        }
        try (DnnlScope s = new DnnlScope()) {
            MemorySegment md = s.md(dnnl_ab(), rows, cols);
            MemorySegment fwdPd = s.primitiveDesc("dnnl_eltwise_forward_primitive_desc_create",
                    o -> dnnl_eltwise_forward_primitive_desc_create(o, s.engine, dnnl_forward_training(),
                            dnnl_eltwise_logistic(), md, md, 0f, 0f, MemorySegment.NULL));
            MemorySegment bwdPd = s.primitiveDesc("dnnl_eltwise_backward_primitive_desc_create",
                    o -> dnnl_eltwise_backward_primitive_desc_create(o, s.engine, dnnl_eltwise_logistic(), md, md, md,
                            0f, 0f, fwdPd, MemorySegment.NULL));
            MemorySegment xMem = s.memory(md, s.floats(x));
            MemorySegment yBuf = s.zeros(x.length), dxBuf = s.zeros(x.length);
            s.execute(s.primitive(fwdPd), DNNL_ARG_SRC(), xMem, DNNL_ARG_DST(), s.memory(md, yBuf));
            s.execute(s.primitive(bwdPd), DNNL_ARG_SRC(), xMem, DNNL_ARG_DIFF_DST(), s.memory(md, s.floats(dy)),
                    DNNL_ARG_DIFF_SRC(), s.memory(md, dxBuf));
            assertClose(y, DnnlScope.toArray(yBuf));
            assertClose(dx, DnnlScope.toArray(dxBuf));
        }
    }

    @Test
    void softmaxForwardAndBackwardMatchScalar() {
        int rows = 3, cols = 10;
        Random r = new Random(5);
        float[] x = random(r, rows * cols), dy = random(r, rows * cols);
        float[] y = new float[x.length], dx = new float[x.length];
        for (int i = 0; i < rows; i++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0, dot = 0;
            for (int j = 0; j < cols; j++) {
                max = Math.max(max, x[i * cols + j]);
            }
            for (int j = 0; j < cols; j++) {
                sum += Math.exp(x[i * cols + j] - max);
            }
            for (int j = 0; j < cols; j++) {
                y[i * cols + j] = (float) (Math.exp(x[i * cols + j] - max) / sum);
                dot += (double) dy[i * cols + j] * y[i * cols + j];
            }
            for (int j = 0; j < cols; j++) {
                dx[i * cols + j] = (float) (y[i * cols + j] * (dy[i * cols + j] - dot));
            }
        }
        try (DnnlScope s = new DnnlScope()) {
            MemorySegment md = s.md(dnnl_ab(), rows, cols);
            MemorySegment fwdPd = s.primitiveDesc("dnnl_softmax_forward_primitive_desc_create",
                    o -> dnnl_softmax_forward_primitive_desc_create(o, s.engine, dnnl_forward_training(),
                            dnnl_softmax_accurate(), md, md, 1, MemorySegment.NULL));
            MemorySegment bwdPd = s.primitiveDesc("dnnl_softmax_backward_primitive_desc_create",
                    o -> dnnl_softmax_backward_primitive_desc_create(o, s.engine, dnnl_softmax_accurate(), md, md, md,
                            1, fwdPd, MemorySegment.NULL));
            MemorySegment yBuf = s.zeros(x.length), dxBuf = s.zeros(x.length);
            MemorySegment yMem = s.memory(md, yBuf);
            s.execute(s.primitive(fwdPd), DNNL_ARG_SRC(), s.memory(md, s.floats(x)), DNNL_ARG_DST(), yMem);
            s.execute(s.primitive(bwdPd), DNNL_ARG_DST(), yMem, DNNL_ARG_DIFF_DST(), s.memory(md, s.floats(dy)),
                    DNNL_ARG_DIFF_SRC(), s.memory(md, dxBuf));
            assertClose(y, DnnlScope.toArray(yBuf));
            assertClose(dx, DnnlScope.toArray(dxBuf));
        }
    }

    @Test
    void reorderTransposesPlainLayouts() {
        int rows = 4, cols = 6;
        float[] x = random(new Random(6), rows * cols);
        float[] expected = new float[x.length];  // (rows, cols) stored column-major: (i, j) at j*rows + i
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                expected[j * rows + i] = x[i * cols + j];
            }
        }
        try (DnnlScope s = new DnnlScope()) {
            MemorySegment srcMd = s.md(dnnl_ab(), rows, cols);
            MemorySegment dstMd = s.md(dnnl_ba(), rows, cols);
            assertEquals(0, dnnl_memory_desc_equal(srcMd, dstMd));
            MemorySegment pd = s.primitiveDesc("dnnl_reorder_primitive_desc_create",
                    o -> dnnl_reorder_primitive_desc_create(o, srcMd, s.engine, dstMd, s.engine, MemorySegment.NULL));
            MemorySegment dst = s.zeros(x.length);
            s.execute(s.primitive(pd), DNNL_ARG_FROM(), s.memory(srcMd, s.floats(x)), DNNL_ARG_TO(), s.memory(dstMd, dst));
            assertArrayEquals(expected, DnnlScope.toArray(dst));
        }
    }

    @Test
    void memoryDataHandleCanBeReplaced() {
        try (DnnlScope s = new DnnlScope()) {
            MemorySegment md = s.md(dnnl_ab(), 2, 3);
            MemorySegment mem = s.memory(md, DNNL_MEMORY_ALLOCATE());   // oneDNN allocates and owns the buffer
            MemorySegment handle = s.arena.allocate(ADDRESS);
            DnnlStatus.check("dnnl_memory_get_data_handle", dnnl_memory_get_data_handle(mem, handle));
            assertNotEquals(0L, handle.get(ADDRESS, 0).address());

            MemorySegment ours = s.floats(1, 2, 3, 4, 5, 6);
            DnnlStatus.check("dnnl_memory_set_data_handle", dnnl_memory_set_data_handle(mem, ours));
            DnnlStatus.check("dnnl_memory_get_data_handle", dnnl_memory_get_data_handle(mem, handle));
            assertEquals(ours.address(), handle.get(ADDRESS, 0).address());
        }
    }

    @Test
    void sgemmMatchesScalar() {
        int m = 3, n = 5, k = 4;
        Random r = new Random(7);
        float[] a = random(r, m * k), b = random(r, k * n);
        float[] expected = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double acc = 0;
                for (int p = 0; p < k; p++) {
                    acc += (double) a[i * k + p] * b[p * n + j];
                }
                expected[i * n + j] = (float) acc;
            }
        }
        try (DnnlScope s = new DnnlScope()) {
            MemorySegment c = s.zeros(m * n);
            // Row-major C = A * B, as in oneDNN's dnnl_sgemm (no column-major convention, unlike BLAS).
            DnnlStatus.check("dnnl_sgemm", dnnl_sgemm((byte) 'N', (byte) 'N', m, n, k, 1f, s.floats(a), k,
                    s.floats(b), n, 0f, c, n));
            assertClose(expected, DnnlScope.toArray(c));
        }
    }

    /** {@code dnnl_query_impl_info_str}: the implementation oneDNN picked, e.g. "brg_matmul:avx512_core". */
    private static String implInfo(DnnlScope s, MemorySegment pd) {
        MemorySegment out = s.arena.allocate(ADDRESS);
        DnnlStatus.check("dnnl_primitive_desc_query", dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str(), 0, out));
        return out.get(ADDRESS, 0).reinterpret(256).getString(0);
    }
}
