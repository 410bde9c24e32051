package dev.nvae.model;

import dev.nvae.random.Rng;
import dev.nvae.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The per-example code reads rows into arrays ({@link RowArrays}) and computes on them; what it computes
 * must be, bit for bit, what the same formulas give read from the tensor (training runs keep their exact
 * weights across the change).
 */
class RowArraysTest {
    @Test
    void rowsRoundTripThroughArraysWithoutTouchingTheirNeighbours() {
        try (Arena arena = Arena.ofConfined()) {
            Tensor t = Tensor.allocate(arena, "t", 3, 5);
            float[] all = new float[15];
            for (int i = 0; i < all.length; i++) all[i] = i + 0.25f;
            t.copyFrom(all);
            float[] row = new float[7]; // longer than a row: the rest is left alone
            row[5] = row[6] = -1f;
            t.readRow(1, row);
            assertArrayEquals(new float[] {5.25f, 6.25f, 7.25f, 8.25f, 9.25f, -1f, -1f}, row);
            t.writeRow(2, new float[] {1, 2, 3, 4, 5, 99});
            float[] back = t.toArray();
            for (int i = 0; i < 10; i++) assertEquals(all[i], back[i]);
            assertArrayEquals(new float[] {1, 2, 3, 4, 5}, java.util.Arrays.copyOfRange(back, 10, 15));

            RowArrays rows = RowArrays.ofThisThread();
            assertArrayEquals(new float[] {0.25f, 1.25f, 2.25f, 3.25f, 4.25f}, java.util.Arrays.copyOf(rows.heads(t, 0), 5));
            float[] zeros = rows.zeroRow(t);
            zeros[0] = 7f;
            assertEquals(0f, rows.zeroRow(t)[0], "a zero row is zeroed again on every request");
        }
    }

    @Test
    void arrayFormulasEqualTheTensorOnesBitForBit() {
        try (Arena arena = Arena.ofConfined()) {
            int cols = 13, k = 5, col = 8; // Gaussian blocks in columns 0..7, logits in 8..12
            Tensor h = Tensor.allocate(arena, "h", 2, cols);
            Tensor g = Tensor.allocate(arena, "g", 2, cols);
            Rng rng = Rng.stream(7, 1);
            float[] values = new float[2 * cols];
            for (int i = 0; i < values.length; i++) values[i] = (float) (rng.nextGaussian() * 3);
            h.copyFrom(values);
            for (int i = 0; i < 2; i++) {
                float[] row = new float[cols];
                h.readRow(i, row);
                assertEquals(Categorical.argmax(h, i, col, k), Categorical.argmax(row, col, k));
                for (int y = 0; y < k; y++) {
                    assertEquals(Categorical.crossEntropy(h, i, col, k, y), Categorical.crossEntropy(row, col, k, y));
                    float[] gRow = new float[cols];
                    Categorical.gradient(row, gRow, col, k, y, 0.7, 1f / 128);
                    Categorical.gradient(h, g, i, col, k, y, 0.7, 1f / 128);
                    for (int c = 0; c < k; c++) assertEquals(g.get(i, col + c), gRow[col + c], "class " + c);
                }
                assertEquals(Gaussian.kl(h, i, 0, 4, 4), Gaussian.kl(row, 0, 4, 4));
                float[] gRow = new float[cols];
                for (int j = 0; j < 4; j++) {
                    Gaussian.reparamGradient(row, gRow, j, 4 + j, 0.3f * j - 0.5f, 1.1f - j, 0.9, 1f / 128);
                    Gaussian.reparamGradient(h, g, i, j, 4 + j, 0.3f * j - 0.5f, 1.1f - j, 0.9, 1f / 128);
                    assertEquals(g.get(i, j), gRow[j]);
                    assertEquals(g.get(i, 4 + j), gRow[4 + j]);
                }
            }
        }
    }
}
