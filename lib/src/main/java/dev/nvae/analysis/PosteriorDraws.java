package dev.nvae.analysis;

import dev.nvae.NvaeException;
import dev.nvae.analysis.metrics.KnnDivergence;
import dev.nvae.analysis.metrics.Mmd;
import dev.nvae.random.Rng;

import java.util.Arrays;

/**
 * Samples of one latent block's aggregate posterior q(z) = (1/N) Σ_n q(z|x_n), collected as the encoder
 * runs over a split, and their distance to the prior ({@link PriorDivergence}).
 *
 * <p>Example n contributes one draw z = μ_n + σ_n ε_n, with ε_n the example's own noise (a stream of
 * (seed, example index) shared by every block, so the joint block's draw is the shared and class draws side
 * by side). Drawing an example uniformly and then z from its posterior is sampling q(z); at the end at most
 * {@code cap} of the draws — a seeded choice of examples when there are more — are compared with as many
 * N(0, I) draws. The cap bounds the cost: MMD keeps the kernel of the 2·cap pooled points' pairs and a copy in memory (32 MB
 * at the default 1000, per block being compared: {@link PriorComparisons} compares several at once where the heap allows),
 * and each batch of permutations reads the kernel once.
 */
final class PosteriorDraws {
    /** Draws per side when the caller does not choose: enough for p-values of 0.005 on clear cases, seconds per block. */
    static final int DEFAULT_CAP = 1000;
    /** Permutations of the MMD test: the smallest p-value it can give is 1/201. */
    static final int PERMUTATIONS = 200;
    /** The neighbour of the kNN estimate: k = 5 trades its variance against its bias at a few thousand points. */
    static final int K = 5;
    private static final long CHOICE = 0xD7A3, PRIOR = 0x9A10, TEST = 0x3E57;

    private final int d;
    private float[] draws = new float[0]; // (n, d) row-major, grown by doubling
    private int n;

    PosteriorDraws(int d) {
        this.d = d;
    }

    /** Starts the next example's draw; {@link #set} fills its dims, {@link #commit} keeps it. */
    void begin() {
        if ((n + 1) * d > draws.length) draws = Arrays.copyOf(draws, Math.max(64 * d, 2 * draws.length));
    }

    /**
     * Dim {@code offset + j} of example {@code example}'s draw: μ + exp(log σ² / 2) · ε. Finite heads can still give a
     * draw beyond float's range (a log-variance near 177 and a large ε): refused, naming the example, rather than
     * compared as a point at infinity.
     */
    void set(int offset, int j, double mu, double logvar, double eps, long example) {
        float z = (float) (mu + Math.exp(0.5 * logvar) * eps);
        if (!Float.isFinite(z)) {
            throw new NvaeException("example " + example + "'s posterior draw for the comparison with N(0, I) is " + z + " (mean " + mu
                    + ", log-variance " + logvar + "): its aggregate posterior cannot be measured; --prior-samples 0 leaves that out");
        }
        draws[n * d + offset + j] = z;
    }

    void commit() {
        n++;
    }

    /** Draw {@code row} (in the order committed), all of its dims. */
    float[] draw(int row) {
        return Arrays.copyOfRange(draws, row * d, (row + 1) * d);
    }

    int count() {
        return n;
    }

    /** MMD and kNN KL of at most {@code cap} draws against as many N(0, I) draws; block number {@code block} picks the streams. */
    PriorDivergence divergence(int cap, long seed, int block) {
        int m = Math.min(cap, n);
        if (m < K + 1) return PriorDivergence.none(m);
        int[] order = new int[n];
        Rng.stream(seed, CHOICE, block).permutation(order);
        double[][] q = new double[m][d], p = new double[m][d];
        for (int i = 0; i < m; i++) {
            int row = n > m ? order[i] : i;
            for (int j = 0; j < d; j++) q[i][j] = draws[row * d + j];
        }
        Rng prior = Rng.stream(seed, PRIOR, block);
        for (double[] z : p) for (int j = 0; j < d; j++) z[j] = prior.nextGaussian();
        Mmd mmd = Mmd.test(q, p, PERMUTATIONS, Rng.stream(seed, TEST, block).nextLong());
        double knn;
        try {
            knn = KnnDivergence.estimate(q, p, K);
        } catch (IllegalArgumentException collapsed) {
            knn = Double.NaN; // fewer than k distinct draws: a block whose posterior is a point has no kNN estimate
        }
        return new PriorDivergence(m, mmd.mmd2(), mmd.bandwidth(), mmd.pValue(), mmd.permutations(), knn, K);
    }
}
