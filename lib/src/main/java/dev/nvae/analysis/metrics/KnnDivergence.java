package dev.nvae.analysis.metrics;

/**
 * The k-nearest-neighbour estimate of KL(P ‖ Q) from samples x ~ P (n points) and y ~ Q (m points) in d
 * dimensions (Wang, Kulkarni &amp; Verdú 2009):
 * <pre>  D̂ = (d/n) Σ_i log(ν_k(i) / ρ_k(i)) + log(m / (n − 1))</pre>
 * where ρ_k(i) is the distance from x_i to its k-th nearest neighbour among the other x, and ν_k(i) to its
 * k-th nearest among the y. It needs no density model, so unlike a Gaussian fit it sees holes and clusters:
 * a multimodal P far from Q gets a large estimate even when their means and covariances agree. Consistent
 * as n, m → ∞; for finite samples it is biased by a few hundredths of a nat in low dimensions.
 */
public final class KnnDivergence {
    private KnnDivergence() {
    }

    /** D̂ in nats; x and y have at least k + 1 and k points of one dimension. Duplicate points are skipped as neighbours at distance 0. */
    public static double estimate(double[][] x, double[][] y, int k) {
        int n = x.length, m = y.length;
        if (k < 1 || n < k + 1 || m < k) {
            throw new IllegalArgumentException("k = " + k + " needs more than k points of P and at least k of Q, got " + n + " and " + m);
        }
        int d = x[0].length;
        double sum = 0;
        double[] best = new double[k];
        for (int i = 0; i < n; i++) {
            double rho = kthDistance(x[i], x, i, k, best);
            double nu = kthDistance(x[i], y, -1, k, best);
            sum += Math.log(nu / rho);
        }
        return d * sum / n + Math.log((double) m / (n - 1));
    }

    /**
     * Distance from p to its k-th nearest point of {@code set} (skipping index {@code self} and points at
     * distance 0, whose log ratio would be infinite); {@code best} is scratch of length k.
     */
    private static double kthDistance(double[] p, double[][] set, int self, int k, double[] best) {
        java.util.Arrays.fill(best, Double.POSITIVE_INFINITY); // ascending squared distances
        for (int j = 0; j < set.length; j++) {
            if (j == self) continue;
            double s = 0;
            double[] q = set[j];
            for (int c = 0; c < p.length; c++) {
                double t = p[c] - q[c];
                s += t * t;
            }
            if (s == 0 || s >= best[k - 1]) continue;
            int at = k - 1;
            while (at > 0 && best[at - 1] > s) {
                best[at] = best[at - 1];
                at--;
            }
            best[at] = s;
        }
        if (best[k - 1] == Double.POSITIVE_INFINITY) throw new IllegalArgumentException("fewer than " + k + " distinct neighbours");
        return Math.sqrt(best[k - 1]);
    }
}
