package dev.nvae.analysis.metrics;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AssignmentTest {
    /** The best total over every one-to-one matching, by trying them all (rows or columns up to 7). */
    private static long bruteForce(long[][] w, int row, boolean[] taken) {
        if (row == w.length) return 0;
        int cols = w[0].length;
        long best = Long.MIN_VALUE;
        int free = 0;
        for (boolean t : taken) if (!t) free++;
        // A row may stay unmatched only where there are more rows left than free columns.
        if (w.length - row > free) best = bruteForce(w, row + 1, taken);
        for (int c = 0; c < cols; c++) {
            if (taken[c]) continue;
            taken[c] = true;
            best = Math.max(best, w[row][c] + bruteForce(w, row + 1, taken));
            taken[c] = false;
        }
        return best;
    }

    /** The matching's total, after checking it is one-to-one and matches min(rows, cols) rows. */
    private static long total(long[][] w, int[] match) {
        int cols = w.length == 0 ? 0 : w[0].length;
        boolean[] used = new boolean[cols];
        long sum = 0;
        int matched = 0;
        for (int r = 0; r < w.length; r++) {
            if (match[r] < 0) continue;
            assertTrue(match[r] < cols && !used[match[r]], "column " + match[r] + " twice or out of range");
            used[match[r]] = true;
            sum += w[r][match[r]];
            matched++;
        }
        assertEquals(Math.min(w.length, cols), matched, "every row matched where there are columns for it");
        return sum;
    }

    @Test
    void matchesTheBestOfAllMatchingsOnSquareAndRectangularMatrices() {
        Random random = new Random(11);
        for (int trial = 0; trial < 300; trial++) {
            int rows = 1 + random.nextInt(7), cols = 1 + random.nextInt(7);
            int range = trial % 3 == 0 ? 3 : 1000; // small ranges make ties
            long[][] w = new long[rows][cols];
            for (long[] row : w) for (int c = 0; c < cols; c++) row[c] = random.nextInt(range);
            assertEquals(bruteForce(w, 0, new boolean[cols]), total(w, Assignment.maximise(w)), rows + "x" + cols + " trial " + trial);
        }
    }

    /** Many more rows than columns (clusters against classes): the same optimum as the transposed problem. */
    @Test
    void tallMatricesAgreeWithTheirTranspose() {
        Random random = new Random(5);
        long[][] w = new long[2000][3];
        for (long[] row : w) for (int c = 0; c < 3; c++) row[c] = random.nextInt(1_000_000);
        long[][] t = new long[3][2000];
        for (int r = 0; r < 2000; r++) for (int c = 0; c < 3; c++) t[c][r] = w[r][c];
        long tall = total(w, Assignment.maximise(w)), wide = total(t, Assignment.maximise(t));
        assertEquals(wide, tall);
        long greedyUpperBound = 0; // each column's largest weight: the optimum can be no higher
        for (int c = 0; c < 3; c++) {
            long best = 0;
            for (long[] row : w) best = Math.max(best, row[c]);
            greedyUpperBound += best;
        }
        assertTrue(tall <= greedyUpperBound);
        assertTrue(tall > greedyUpperBound - 3_000, "2000 random rows hold near-maximal weights in 3 distinct rows: " + tall);
    }

    @Test
    void emptyAndRaggedMatrices() {
        assertEquals(0, Assignment.maximise(new long[0][]).length);
        int[] none = Assignment.maximise(new long[2][0]);
        assertEquals(-1, none[0]);
        assertEquals(-1, none[1]);
        assertThrows(IllegalArgumentException.class, () -> Assignment.maximise(new long[][]{{1, 2}, {3}}));
    }
}
