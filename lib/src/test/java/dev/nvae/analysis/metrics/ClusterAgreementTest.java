package dev.nvae.analysis.metrics;

import dev.nvae.random.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Clustering accuracy, NMI and ARI against brute force and against values scikit-learn gives. */
class ClusterAgreementTest {
    @Test
    void assignmentMatchesBruteForceOnRandomMatrices() {
        Rng rng = new Rng(5);
        for (int trial = 0; trial < 300; trial++) {
            int rows = 1 + rng.nextInt(6), cols = 1 + rng.nextInt(6);
            long[][] w = new long[rows][cols];
            for (long[] row : w) for (int c = 0; c < cols; c++) row[c] = rng.nextInt(trial % 3 == 0 ? 3 : 1000);
            int[] match = Assignment.maximise(w);
            long got = 0;
            boolean[] usedCol = new boolean[cols];
            int matched = 0;
            for (int r = 0; r < rows; r++) {
                if (match[r] < 0) continue;
                assertEquals(false, usedCol[match[r]], "one-to-one");
                usedCol[match[r]] = true;
                got += w[r][match[r]];
                matched++;
            }
            assertEquals(Math.min(rows, cols), matched, "as many pairs as the smaller side");
            assertEquals(best(w, 0, new boolean[cols]), got, "trial " + trial);
        }
    }

    private static long best(long[][] w, int r, boolean[] used) {
        if (r == w.length) return 0;
        long best = best(w, r + 1, used); // row r unmatched (only optimal when rows > cols)
        for (int c = 0; c < used.length; c++) {
            if (used[c]) continue;
            used[c] = true;
            best = Math.max(best, w[r][c] + best(w, r + 1, used));
            used[c] = false;
        }
        return best;
    }

    @Test
    void relabelledClassesAgreePerfectly() {
        int[] labels = {0, 0, 1, 1, 2, 2, 2};
        int[] clusters = {2, 2, 0, 0, 1, 1, 1};
        ClusterAgreement a = ClusterAgreement.of(clusters, 3, labels, 3);
        assertEquals(1, a.accuracy());
        assertEquals(1, a.nmi(), 1e-12);
        assertEquals(1, a.ari(), 1e-12);
        assertArrayEquals(new int[]{1, 2, 0}, a.classOf());
        assertArrayEquals(new double[]{2 / 7.0, 3 / 7.0, 2 / 7.0}, a.sizes(), 1e-12);
    }

    /**
     * Classes [0,0,1,1], clusters [0,0,1,2]: the clusters refine the classes, so MI = H(class) = log 2 and
     * NMI = log 2 / ((log 2 + 1.5·log 2)/2) = 0.8; ARI = (1 − 2·1/6)/(1.5 − 1/3) = 4/7.
     */
    @Test
    void matchesScikitLearnOnASplitCluster() {
        ClusterAgreement a = ClusterAgreement.of(new int[]{0, 0, 1, 2}, 3, new int[]{0, 0, 1, 1}, 2);
        assertEquals(0.75, a.accuracy(), 1e-12, "cluster 2 maps to no class");
        assertEquals(0.8, a.nmi(), 1e-12);
        assertEquals(0.5714285714285715, a.ari(), 1e-12);
        assertEquals(-1, a.classOf()[2]);
    }

    /**
     * Contingency [[2,1],[1,2]]: pairs within cells 2, expected 6·6/15 = 2.4, so ARI = (2 − 2.4)/(6 − 2.4) = −1/9;
     * MI = ⅔ log(4/3) + ⅓ log(2/3) over H = log 2 on either side.
     */
    /**
     * A cluster that holds no labelled example maps to no class: the assignment gave every empty cluster of a
     * collapsed model a class ("cluster 0 0.00% = T-shirt/top"), read as what the cluster had found.
     */
    @Test
    void aClusterWithoutLabelledExamplesMapsToNoClass() {
        ClusterAgreement a = ClusterAgreement.of(new int[]{2, 2, 2, 2, 1}, 4, new int[]{0, 1, 2, 0, -1}, 3);
        assertArrayEquals(new int[]{-1, -1, 0, -1}, a.classOf());
        assertEquals(0.5, a.accuracy(), 1e-12);
    }

    /**
     * Three clusters, all the labelled examples of class 0: the matching still pairs clusters 1 and 2 with classes 1
     * and 2, which `cluster` printed as their classes though neither holds an example of them (found by an audit).
     */
    @Test
    void aClusterPairedWithAClassItHoldsNoExampleOfMapsToNoClass() {
        ClusterAgreement a = ClusterAgreement.of(new int[]{0, 0, 1, 2}, 3, new int[]{0, 0, 0, 0}, 3);
        assertArrayEquals(new int[]{0, -1, -1}, a.classOf());
        assertEquals(0.5, a.accuracy(), 1e-12);
    }

    /** Without a labelled example no cluster is matched: classOf is −1 throughout, as its documentation says (it was 0). */
    @Test
    void withoutLabelsNoClusterMapsToAClass() {
        ClusterAgreement a = ClusterAgreement.of(new int[]{0, 1, 1}, 2, new int[]{-1, -1, -1}, 2);
        assertArrayEquals(new int[]{-1, -1}, a.classOf());
        assertEquals(0, a.labelled());
    }

    @Test
    void chanceAgreementIsNearZeroAndCanBeNegative() {
        ClusterAgreement a = ClusterAgreement.of(new int[]{0, 1, 0, 1, 0, 1}, 2, new int[]{0, 0, 0, 1, 1, 1}, 2);
        assertEquals(-1 / 9.0, a.ari(), 1e-12);
        assertEquals((2 * Math.log(4 / 3.0) + Math.log(2 / 3.0)) / 3 / Math.log(2), a.nmi(), 1e-12);
    }

    @Test
    void examplesWithoutALabelCountInSizesOnly() {
        ClusterAgreement a = ClusterAgreement.of(new int[]{0, 0, 1, 1}, 2, new int[]{0, -1, 1, -1}, 2);
        assertEquals(2, a.labelled());
        assertEquals(1, a.accuracy());
        assertArrayEquals(new double[]{0.5, 0.5}, a.sizes(), 1e-12);
    }
}
