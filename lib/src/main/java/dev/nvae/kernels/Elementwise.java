package dev.nvae.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import static dev.nvae.tensor.Tensor.F32;

/**
 * Vector API element-wise kernels of the model. Each has a twin of the same name in
 * {@link ElementwiseScalar}: its fallback under {@code -Dnvae.simd=scalar} and its test oracle.
 * Segments are positioned at element 0; counts and indices are in floats.
 */
public final class Elementwise {
    private static final VectorSpecies<Float> S = Simd.F;
    private static final int L = S.length();
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    private Elementwise() {
    }

    private static long bytes(long i) {
        return i * Float.BYTES;
    }

    /** dY[i] = Y[i] > 0 ? dY[i] : 0 — ReLU backward, given the ReLU's output Y. */
    public static void reluBackward(MemorySegment dy, MemorySegment y, long n) {
        if (Simd.SCALAR) {
            ElementwiseScalar.reluBackward(dy, y, n);
            return;
        }
        long i = 0;
        long bound = n - n % L;
        for (; i < bound; i += L) {
            FloatVector yv = FloatVector.fromMemorySegment(S, y, bytes(i), NATIVE);
            FloatVector g = FloatVector.fromMemorySegment(S, dy, bytes(i), NATIVE);
            g.blend(0f, yv.compare(VectorOperators.LE, 0f)).intoMemorySegment(dy, bytes(i), NATIVE);
        }
        for (; i < n; i++) {
            if (!(y.getAtIndex(F32, i) > 0f)) dy.setAtIndex(F32, i, 0f);
        }
    }

    /**
     * db[j] (+)= Σ_i dY[i, j] over {@code rows} rows of width {@code cols}, added to db when
     * {@code accumulate}, else written over it; the i-sum runs in order.
     */
    public static void columnSums(MemorySegment dy, int rows, int cols, MemorySegment db, boolean accumulate) {
        if (Simd.SCALAR) {
            ElementwiseScalar.columnSums(dy, rows, cols, db, accumulate);
            return;
        }
        int j = 0;
        int bound = S.loopBound(cols);
        for (; j < bound; j += L) {
            FloatVector s = FloatVector.zero(S);
            for (int i = 0; i < rows; i++) {
                s = s.add(FloatVector.fromMemorySegment(S, dy, bytes((long) i * cols + j), NATIVE));
            }
            if (accumulate) s = FloatVector.fromMemorySegment(S, db, bytes(j), NATIVE).add(s);
            s.intoMemorySegment(db, bytes(j), NATIVE);
        }
        for (; j < cols; j++) {
            float s = 0f;
            for (int i = 0; i < rows; i++) s += dy.getAtIndex(F32, (long) i * cols + j);
            db.setAtIndex(F32, j, accumulate ? db.getAtIndex(F32, j) + s : s);
        }
    }

    /**
     * Bernoulli likelihood of one row at float offset {@code off}: returns Σ_d [softplus(l_d) − x_d·l_d]
     * (binary cross-entropy with logits) and, when {@code grad} is non-null, writes
     * grad_d = scale·(σ(l_d) − x_d). softplus(l) = max(l, 0) + log1p(exp(−|l|)) never overflows.
     * Every value is the same in every JIT tier ({@link VectorMath}); the gradient is also bit-identical to
     * the scalar twin, while the sum adds in another order (per lane, then the lanes).
     */
    public static double bceWithLogitsRow(MemorySegment logits, MemorySegment x, long off, int d, MemorySegment grad, float scale) {
        if (Simd.SCALAR) return ElementwiseScalar.bceWithLogitsRow(logits, x, off, d, grad, scale);
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        int bound = S.loopBound(d);
        for (; i < bound; i += L) {
            FloatVector l = FloatVector.fromMemorySegment(S, logits, bytes(off + i), NATIVE);
            FloatVector xv = FloatVector.fromMemorySegment(S, x, bytes(off + i), NATIVE);
            FloatVector e = VectorMath.exp(l.abs().neg()); // exp(-|l|) in (0, 1]
            FloatVector sp = l.max(0f).add(VectorMath.log1p(e));
            acc = acc.add(sp.sub(xv.mul(l)));
            if (grad != null) {
                // σ(l) = 1/(1+e) for l ≥ 0, e/(1+e) for l < 0: stable on both sides.
                FloatVector den = e.add(1f);
                FloatVector sig = FloatVector.broadcast(S, 1f).div(den)
                        .blend(e.div(den), l.compare(VectorOperators.LT, 0f));
                sig.sub(xv).mul(scale).intoMemorySegment(grad, bytes(off + i), NATIVE);
            }
        }
        double sum = VectorMath.sumLanes(acc);
        for (; i < d; i++) {
            float l = logits.getAtIndex(F32, off + i);
            float xv = x.getAtIndex(F32, off + i);
            float e = VectorMath.exp(-Math.abs(l));
            sum += Math.max(l, 0f) + VectorMath.log1p(e) - xv * l;
            if (grad != null) {
                float sig = l >= 0 ? 1f / (1f + e) : e / (1f + e);
                grad.setAtIndex(F32, off + i, (sig - xv) * scale);
            }
        }
        return sum;
    }

    /**
     * Gaussian likelihood of one row at float offset {@code off}, without its constant: returns
     * ½·invVar·Σ_d (x_d − μ_d)² and, when {@code grad} is non-null, writes grad_d = scale·invVar·(μ_d − x_d).
     */
    public static double squaredErrorRow(MemorySegment mean, MemorySegment x, long off, int d, float invVar,
                                         MemorySegment grad, float scale) {
        if (Simd.SCALAR) return ElementwiseScalar.squaredErrorRow(mean, x, off, d, invVar, grad, scale);
        FloatVector acc = FloatVector.zero(S);
        float g = scale * invVar;
        int i = 0;
        int bound = S.loopBound(d);
        for (; i < bound; i += L) {
            FloatVector diff = FloatVector.fromMemorySegment(S, mean, bytes(off + i), NATIVE)
                    .sub(FloatVector.fromMemorySegment(S, x, bytes(off + i), NATIVE));
            acc = diff.fma(diff, acc);
            if (grad != null) diff.mul(g).intoMemorySegment(grad, bytes(off + i), NATIVE);
        }
        double sum = VectorMath.sumLanes(acc);
        for (; i < d; i++) {
            float diff = mean.getAtIndex(F32, off + i) - x.getAtIndex(F32, off + i);
            sum += diff * diff;
            if (grad != null) grad.setAtIndex(F32, off + i, diff * g);
        }
        return 0.5 * invVar * sum;
    }

    /** out[i] = σ(in[i]) = 1/(1+exp(−in[i])), computed stably for both signs. */
    public static void sigmoid(MemorySegment in, MemorySegment out, long n) {
        if (Simd.SCALAR) {
            ElementwiseScalar.sigmoid(in, out, n);
            return;
        }
        long i = 0;
        long bound = n - n % L;
        for (; i < bound; i += L) {
            FloatVector l = FloatVector.fromMemorySegment(S, in, bytes(i), NATIVE);
            FloatVector e = VectorMath.exp(l.abs().neg());
            FloatVector den = e.add(1f);
            FloatVector pos = FloatVector.broadcast(S, 1f).div(den);
            pos.blend(e.div(den), l.compare(VectorOperators.LT, 0f)).intoMemorySegment(out, bytes(i), NATIVE);
        }
        for (; i < n; i++) out.setAtIndex(F32, i, ElementwiseScalar.sigmoid(in.getAtIndex(F32, i)));
    }

    /**
     * One bias-corrected Adam update over a flat buffer (PyTorch's formulation):
     * m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²; p ← p − stepSize·m / (√v / √bc2 + ε),
     * with stepSize = lr / bc1 and bc = 1 − β^t precomputed by the caller.
     *
     * @return true when every updated parameter is finite. A NaN or infinite gradient always makes its
     * parameter non-finite, so this also covers the gradients — without a pass of their own.
     */
    public static boolean adam(MemorySegment p, MemorySegment g, MemorySegment m, MemorySegment v, long n,
                               float beta1, float beta2, float stepSize, float invSqrtBc2, float eps) {
        return adam(p, g, m, v, 0, n, beta1, beta2, stepSize, invSqrtBc2, eps);
    }

    /** {@link #adam} on elements [from, to) only (a thread's share). */
    public static boolean adam(MemorySegment p, MemorySegment g, MemorySegment m, MemorySegment v, long from, long to,
                               float beta1, float beta2, float stepSize, float invSqrtBc2, float eps) {
        if (Simd.SCALAR) return ElementwiseScalar.adam(p, g, m, v, from, to, beta1, beta2, stepSize, invSqrtBc2, eps);
        float omb1 = 1f - beta1, omb2 = 1f - beta2;
        long n = to;
        long i = from;
        long bound = from + (to - from) - (to - from) % L;
        // p·0 is 0 for a finite p and NaN otherwise (see allFinite); the update is bound by memory, so the
        // check rides along at no cost.
        FloatVector finite = FloatVector.zero(S);
        for (; i < bound; i += L) {
            long o = bytes(i);
            FloatVector gv = FloatVector.fromMemorySegment(S, g, o, NATIVE);
            FloatVector mv = FloatVector.fromMemorySegment(S, m, o, NATIVE).mul(beta1).add(gv.mul(omb1));
            FloatVector vv = FloatVector.fromMemorySegment(S, v, o, NATIVE).mul(beta2).add(gv.mul(gv).mul(omb2));
            FloatVector den = vv.lanewise(VectorOperators.SQRT).mul(invSqrtBc2).add(eps);
            FloatVector pv = FloatVector.fromMemorySegment(S, p, o, NATIVE).sub(mv.mul(stepSize).div(den));
            mv.intoMemorySegment(m, o, NATIVE);
            vv.intoMemorySegment(v, o, NATIVE);
            pv.intoMemorySegment(p, o, NATIVE);
            finite = finite.add(pv.mul(0f));
        }
        boolean ok = !Float.isNaN(finite.reduceLanes(VectorOperators.ADD));
        if (i < n) ok &= ElementwiseScalar.adam(p, g, m, v, i, n, beta1, beta2, stepSize, invSqrtBc2, eps);
        return ok;
    }

    /** True when every one of the n floats is finite (no NaN, no ±Inf). */
    public static boolean allFinite(MemorySegment x, long n) {
        return allFinite(x, 0, n);
    }

    /**
     * {@link #allFinite} on elements [from, to). In a JVM without C2 ({@link Simd#C1_ONLY}) {@link #allFiniteWithoutC2}
     * answers: {@code sample}'s check of every decoded image ran here with boxed vectors, and 10⁶ samples on oneDNN took
     * 42–48 s instead of 9.
     */
    public static boolean allFinite(MemorySegment x, long from, long to) {
        if (Simd.SCALAR) return ElementwiseScalar.allFinite(x, from, to);
        if (Simd.C1_ONLY) return allFiniteWithoutC2(x, from, to);
        long n = to;
        long i = from;
        // x·0 is 0 for finite x and NaN for NaN/Inf; NaN survives the sums. Four independent sums: one
        // would chain every add on the last (3-cycle latency per vector), and this pass over all gradients
        // runs every training step — with four it is bound by memory bandwidth instead.
        long bound4 = from + (to - from) - (to - from) % (4L * L);
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
        for (; i < bound4; i += 4L * L) {
            a0 = a0.add(FloatVector.fromMemorySegment(S, x, bytes(i), NATIVE).mul(0f));
            a1 = a1.add(FloatVector.fromMemorySegment(S, x, bytes(i + L), NATIVE).mul(0f));
            a2 = a2.add(FloatVector.fromMemorySegment(S, x, bytes(i + 2L * L), NATIVE).mul(0f));
            a3 = a3.add(FloatVector.fromMemorySegment(S, x, bytes(i + 3L * L), NATIVE).mul(0f));
        }
        long bound = from + (to - from) - (to - from) % L;
        for (; i < bound; i += L) a0 = a0.add(FloatVector.fromMemorySegment(S, x, bytes(i), NATIVE).mul(0f));
        if (Float.isNaN(a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD))) return false;
        for (; i < n; i++) if (!Float.isFinite(x.getAtIndex(F32, i))) return false;
        return true;
    }

    /** Floats {@link #allFiniteWithoutC2} copies at a time: 16 KB, a few per decoded batch. */
    static final int WITHOUT_C2_CHUNK = 4096;

    /**
     * {@link #allFinite} for C1: the floats copied in bulk into a heap array ({@link MemorySegment#copy}, one native
     * copy) and tested there, since C1 compiles a segment's element reads to calls through its checks (the scalar
     * twin, reading the segment element by element, still took most of the Java time of a sample run) and an array
     * loop to plain loads.
     * The array is the call's own: one per call, which a command makes once per batch of decoded images.
     */
    static boolean allFiniteWithoutC2(MemorySegment x, long from, long to) {
        if (to <= from) return true;
        float[] chunk = new float[(int) Math.min(WITHOUT_C2_CHUNK, to - from)];
        for (long i = from; i < to; i += chunk.length) {
            int len = (int) Math.min(chunk.length, to - i);
            MemorySegment.copy(x, F32, bytes(i), chunk, 0, len);
            for (int j = 0; j < len; j++) if (!Float.isFinite(chunk[j])) return false;
        }
        return true;
    }
}
