package dev.nvae.kernels;

import java.lang.foreign.MemorySegment;

import static dev.nvae.tensor.Tensor.F32;

/** Plain-loop twins of {@link Elementwise}: the definitions the vector kernels are tested against. */
public final class ElementwiseScalar {
    private ElementwiseScalar() {
    }

    public static void reluBackward(MemorySegment dy, MemorySegment y, long n) {
        for (long i = 0; i < n; i++) {
            if (!(y.getAtIndex(F32, i) > 0f)) dy.setAtIndex(F32, i, 0f);
        }
    }

    public static void columnSums(MemorySegment dy, int rows, int cols, MemorySegment db, boolean accumulate) {
        for (int j = 0; j < cols; j++) {
            float s = 0f;
            for (int i = 0; i < rows; i++) s += dy.getAtIndex(F32, (long) i * cols + j);
            db.setAtIndex(F32, j, accumulate ? db.getAtIndex(F32, j) + s : s);
        }
    }

    public static double bceWithLogitsRow(MemorySegment logits, MemorySegment x, long off, int d, MemorySegment grad, float scale) {
        double sum = 0;
        for (long i = off; i < off + d; i++) {
            float l = logits.getAtIndex(F32, i);
            float xv = x.getAtIndex(F32, i);
            float e = VectorMath.exp(-Math.abs(l));
            sum += Math.max(l, 0f) + VectorMath.log1p(e) - xv * l;
            if (grad != null) {
                float sig = l >= 0 ? 1f / (1f + e) : e / (1f + e);
                grad.setAtIndex(F32, i, (sig - xv) * scale);
            }
        }
        return sum;
    }

    public static double squaredErrorRow(MemorySegment mean, MemorySegment x, long off, int d, float invVar,
                                         MemorySegment grad, float scale) {
        double sum = 0;
        float g = scale * invVar;
        for (long i = off; i < off + d; i++) {
            float diff = mean.getAtIndex(F32, i) - x.getAtIndex(F32, i);
            sum += diff * diff;
            if (grad != null) grad.setAtIndex(F32, i, diff * g);
        }
        return 0.5 * invVar * sum;
    }

    public static float sigmoid(float l) {
        float e = VectorMath.exp(-Math.abs(l));
        return l >= 0 ? 1f / (1f + e) : e / (1f + e);
    }

    public static void sigmoid(MemorySegment in, MemorySegment out, long n) {
        for (long i = 0; i < n; i++) out.setAtIndex(F32, i, sigmoid(in.getAtIndex(F32, i)));
    }

    public static boolean adam(MemorySegment p, MemorySegment g, MemorySegment m, MemorySegment v, long n,
                               float beta1, float beta2, float stepSize, float invSqrtBc2, float eps) {
        return adam(p, g, m, v, 0, n, beta1, beta2, stepSize, invSqrtBc2, eps);
    }

    public static boolean adam(MemorySegment p, MemorySegment g, MemorySegment m, MemorySegment v, long from, long to,
                               float beta1, float beta2, float stepSize, float invSqrtBc2, float eps) {
        float omb1 = 1f - beta1, omb2 = 1f - beta2;
        boolean finite = true;
        for (long i = from; i < to; i++) {
            float gv = g.getAtIndex(F32, i);
            float mv = m.getAtIndex(F32, i) * beta1 + gv * omb1;
            float vv = v.getAtIndex(F32, i) * beta2 + gv * gv * omb2;
            float den = (float) Math.sqrt(vv) * invSqrtBc2 + eps;
            float pv = p.getAtIndex(F32, i) - mv * stepSize / den;
            m.setAtIndex(F32, i, mv);
            v.setAtIndex(F32, i, vv);
            p.setAtIndex(F32, i, pv);
            finite &= Float.isFinite(pv);
        }
        return finite;
    }

    public static boolean allFinite(MemorySegment x, long n) {
        return allFinite(x, 0, n);
    }

    public static boolean allFinite(MemorySegment x, long from, long to) {
        for (long i = from; i < to; i++) if (!Float.isFinite(x.getAtIndex(F32, i))) return false;
        return true;
    }
}
