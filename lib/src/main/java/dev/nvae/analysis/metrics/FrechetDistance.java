package dev.nvae.analysis.metrics;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The Fréchet (2-Wasserstein) distance between the Gaussians fitted to two sets of feature vectors — the
 * formula of FID (Heusel et al. 2017):
 * <pre>  FD = ‖μ₁ − μ₂‖² + tr(Σ₁ + Σ₂ − 2 (Σ₁ Σ₂)^{1/2})</pre>
 * with the unbiased (N − 1) covariances, as numpy's {@code cov} and the reference FID code compute them.
 * The trace of the square root is taken as Σᵢ √λᵢ over the eigenvalues of the symmetric positive
 * semi-definite Σ₁^{1/2} Σ₂ Σ₁^{1/2}, which has the eigenvalues of Σ₁ Σ₂ — so no non-symmetric square
 * root is needed. Eigenvalues that rounding leaves slightly negative count as 0. Symmetric eigensolver:
 * EJML's.
 *
 * <p>FD depends on the feature space: the number is only comparable between sample sets measured with the
 * same features (FID is this formula on one particular Inception network's features).
 */
public final class FrechetDistance {
    private FrechetDistance() {
    }

    /** Mean and unbiased covariance of a set of feature vectors. */
    public record Moments(double[] mean, double[][] covariance, long count) {
    }

    /** Moments of n ≥ 2 rows of d features. */
    public static Moments moments(float[][] rows) {
        int n = rows.length;
        if (n < 2) throw new IllegalArgumentException("the covariance needs at least 2 feature vectors, got " + n);
        int d = rows[0].length;
        double[] mean = new double[d];
        for (float[] r : rows) {
            if (r.length != d) throw new IllegalArgumentException("feature vectors of " + r.length + " and " + d + " values");
            for (int j = 0; j < d; j++) mean[j] += r[j];
        }
        for (int j = 0; j < d; j++) mean[j] /= n;
        double[][] cov = new double[d][d];
        double[] c = new double[d];
        for (float[] r : rows) {
            for (int j = 0; j < d; j++) c[j] = r[j] - mean[j];
            for (int a = 0; a < d; a++) {
                double ca = c[a];
                double[] row = cov[a];
                for (int b = a; b < d; b++) row[b] += ca * c[b];
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                cov[a][b] /= n - 1;
                cov[b][a] = cov[a][b];
            }
        }
        return new Moments(mean, cov, n);
    }

    /** FD between two feature sets. */
    public static double between(float[][] x, float[][] y) {
        return between(moments(x), moments(y));
    }

    /** FD between the Gaussians of two sets' moments. */
    public static double between(Moments p, Moments q) {
        int d = p.mean().length;
        if (q.mean().length != d) throw new IllegalArgumentException("features of " + d + " and " + q.mean().length + " values");
        double meanTerm = 0, trace = 0;
        for (int j = 0; j < d; j++) {
            double t = p.mean()[j] - q.mean()[j];
            meanTerm += t * t;
            trace += p.covariance()[j][j] + q.covariance()[j][j];
        }
        DMatrixRMaj root = sqrtPsd(new DMatrixRMaj(p.covariance()));
        DMatrixRMaj s2 = new DMatrixRMaj(q.covariance());
        DMatrixRMaj tmp = new DMatrixRMaj(d, d), m = new DMatrixRMaj(d, d);
        CommonOps_DDRM.mult(root, s2, tmp);
        CommonOps_DDRM.mult(tmp, root, m);
        symmetrize(m);
        double traceRoot = 0;
        for (double lambda : eigenvalues(m)) traceRoot += Math.sqrt(Math.max(lambda, 0));
        return meanTerm + trace - 2 * traceRoot;
    }

    /** The symmetric square root V diag(√max(λ, 0)) Vᵀ of a symmetric positive semi-definite matrix. */
    static DMatrixRMaj sqrtPsd(DMatrixRMaj a) {
        int d = a.numRows;
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
        if (!eig.decompose(a.copy())) throw new ArithmeticException("eigendecomposition of a " + d + "x" + d + " covariance failed");
        DMatrixRMaj out = new DMatrixRMaj(d, d);
        for (int i = 0; i < d; i++) {
            double root = Math.sqrt(Math.max(eig.getEigenvalue(i).getReal(), 0));
            DMatrixRMaj v = eig.getEigenVector(i);
            for (int r = 0; r < d; r++) {
                double vr = v.get(r, 0) * root;
                for (int c = 0; c < d; c++) out.add(r, c, vr * v.get(c, 0));
            }
        }
        return out;
    }

    private static double[] eigenvalues(DMatrixRMaj a) {
        int d = a.numRows;
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, false, true);
        if (!eig.decompose(a)) throw new ArithmeticException("eigendecomposition of a " + d + "x" + d + " matrix failed");
        double[] out = new double[d];
        for (int i = 0; i < d; i++) out[i] = eig.getEigenvalue(i).getReal();
        return out;
    }

    private static void symmetrize(DMatrixRMaj m) {
        for (int r = 0; r < m.numRows; r++) {
            for (int c = r + 1; c < m.numCols; c++) {
                double v = 0.5 * (m.get(r, c) + m.get(c, r));
                m.set(r, c, v);
                m.set(c, r, v);
            }
        }
    }
}
