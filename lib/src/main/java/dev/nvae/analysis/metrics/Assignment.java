package dev.nvae.analysis.metrics;

import java.util.Arrays;

/**
 * The one-to-one matching of rows to columns with the largest total weight (the assignment problem),
 * by the Hungarian method in its O(n³) shortest-augmenting-path form (Kuhn 1955; Munkres 1957; the
 * potentials formulation of Jonker &amp; Volgenant). A rectangular matrix is padded with zero-weight rows or
 * columns, so with more rows than columns some rows stay unmatched (−1).
 */
public final class Assignment {
    private Assignment() {
    }

    /** match[r] = the column row r is matched to, or −1; maximises Σ_r w[r][match[r]]. */
    public static int[] maximise(long[][] w) {
        int rows = w.length, cols = rows == 0 ? 0 : w[0].length, n = Math.max(rows, cols);
        long max = 0;
        for (long[] row : w) {
            if (row.length != cols) throw new IllegalArgumentException("ragged weight matrix");
            for (long v : row) max = Math.max(max, v);
        }
        // Minimise cost = max − weight over the padded square matrix (padding costs max: weight 0).
        long[][] cost = new long[n + 1][n + 1];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) cost[r + 1][c + 1] = max - (r < rows && c < cols ? w[r][c] : 0);
        }
        long[] u = new long[n + 1], v = new long[n + 1];
        int[] p = new int[n + 1], way = new int[n + 1]; // p[c]: row matched to column c (1-based; 0 none)
        for (int r = 1; r <= n; r++) {
            p[0] = r;
            int c0 = 0;
            long[] minv = new long[n + 1];
            Arrays.fill(minv, Long.MAX_VALUE);
            boolean[] used = new boolean[n + 1];
            do {
                used[c0] = true;
                int r0 = p[c0], c1 = 0;
                long delta = Long.MAX_VALUE;
                for (int c = 1; c <= n; c++) {
                    if (used[c]) continue;
                    long cur = cost[r0][c] - u[r0] - v[c];
                    if (cur < minv[c]) {
                        minv[c] = cur;
                        way[c] = c0;
                    }
                    if (minv[c] < delta) {
                        delta = minv[c];
                        c1 = c;
                    }
                }
                for (int c = 0; c <= n; c++) {
                    if (used[c]) {
                        u[p[c]] += delta;
                        v[c] -= delta;
                    } else {
                        minv[c] -= delta;
                    }
                }
                c0 = c1;
            } while (p[c0] != 0);
            do { // augment along the path
                int c1 = way[c0];
                p[c0] = p[c1];
                c0 = c1;
            } while (c0 != 0);
        }
        int[] match = new int[rows];
        Arrays.fill(match, -1);
        for (int c = 1; c <= n; c++) {
            int r = p[c] - 1;
            if (r < rows && c - 1 < cols) match[r] = c - 1;
        }
        return match;
    }
}
