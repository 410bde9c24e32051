package dev.nvae.analysis.metrics;

/**
 * How well clusters found without labels agree with the classes (the deep-clustering literature's three
 * figures, over the examples that have a label):
 * <ul>
 *   <li>{@code accuracy}: the fraction of examples whose cluster maps to their class under the best
 *       one-to-one mapping of clusters to classes ({@link Assignment}); with more clusters than classes the
 *       unmapped clusters count as wrong;</li>
 *   <li>{@code nmi}: mutual information of cluster and class over the arithmetic mean of their entropies
 *       (scikit-learn's default normalisation);</li>
 *   <li>{@code ari}: the Rand index adjusted for chance (Hubert &amp; Arabie 1985): 0 for random, 1 for equal
 *       partitions.</li>
 * </ul>
 * {@code sizes} are each cluster's share of all examples, labelled or not, and {@code classOf} the class
 * each cluster is mapped to (−1: none, and for a cluster that holds no labelled example of the class the
 * matching gave it — a class the split lacks, or one whose examples lie in other clusters).
 */
public record ClusterAgreement(double accuracy, double nmi, double ari, double[] sizes, int[] classOf, long labelled) {

    /**
     * @param clusters cluster of each example, 0..k−1
     * @param labels   class of each example, 0..classes−1, or −1 where it has no label
     */
    public static ClusterAgreement of(int[] clusters, int k, int[] labels, int classes) {
        if (clusters.length != labels.length) throw new IllegalArgumentException(clusters.length + " clusters for " + labels.length + " labels");
        long[][] table = new long[k][Math.max(classes, 1)];
        long[] clusterCount = new long[k];
        long n = 0;
        for (int i = 0; i < clusters.length; i++) {
            clusterCount[clusters[i]]++;
            if (labels[i] < 0) continue;
            table[clusters[i]][labels[i]]++;
            n++;
        }
        double[] sizes = new double[k];
        for (int c = 0; c < k; c++) sizes[c] = clusters.length == 0 ? 0 : (double) clusterCount[c] / clusters.length;
        if (n == 0 || classes == 0) {
            int[] none = new int[k];
            java.util.Arrays.fill(none, -1);
            return new ClusterAgreement(Double.NaN, Double.NaN, Double.NaN, sizes, none, 0);
        }
        int[] classOf = Assignment.maximise(table);
        // The assignment pairs every cluster it can, an empty one too, and a cluster with a class it holds no example
        // of (one the split lacks, or one a larger cluster took): a pairing that agrees on nothing found no class.
        for (int c = 0; c < k; c++) if (classOf[c] >= 0 && table[c][classOf[c]] == 0) classOf[c] = -1;
        long matched = 0;
        for (int c = 0; c < k; c++) if (classOf[c] >= 0) matched += table[c][classOf[c]];
        return new ClusterAgreement((double) matched / n, nmi(table, n), ari(table, n), sizes, classOf, n);
    }

    static double nmi(long[][] table, long n) {
        double[] rows = new double[table.length], cols = new double[table[0].length];
        for (int r = 0; r < table.length; r++) {
            for (int c = 0; c < cols.length; c++) {
                rows[r] += table[r][c];
                cols[c] += table[r][c];
            }
        }
        double mi = 0;
        for (int r = 0; r < table.length; r++) {
            for (int c = 0; c < cols.length; c++) {
                if (table[r][c] > 0) mi += table[r][c] / (double) n * Math.log(table[r][c] * (double) n / (rows[r] * cols[c]));
            }
        }
        double h = entropy(rows, n) + entropy(cols, n);
        return h == 0 ? 1 : Math.max(0, mi) / (h / 2);
    }

    private static double entropy(double[] counts, long n) {
        double h = 0;
        for (double c : counts) if (c > 0) h -= c / n * Math.log(c / n);
        return h;
    }

    static double ari(long[][] table, long n) {
        if (n < 2) return 1; // no pair to count: one example, one partition, matched exactly (as nmi's 1)
        double index = 0, rowPairs = 0, colPairs = 0;
        double[] cols = new double[table[0].length];
        for (long[] row : table) {
            double sum = 0;
            for (int c = 0; c < row.length; c++) {
                index += pairs(row[c]);
                sum += row[c];
                cols[c] += row[c];
            }
            rowPairs += pairs(sum);
        }
        for (double c : cols) colPairs += pairs(c);
        double expected = rowPairs * colPairs / pairs(n), max = (rowPairs + colPairs) / 2;
        return max == expected ? 1 : (index - expected) / (max - expected);
    }

    private static double pairs(double m) {
        return m * (m - 1) / 2;
    }
}
