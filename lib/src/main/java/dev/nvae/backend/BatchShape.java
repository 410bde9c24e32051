package dev.nvae.backend;

import dev.nvae.tensor.Tensor;

import java.lang.foreign.Arena;

/**
 * What {@link LatentKernels} need to know of a batch beyond its tensors, as whole numbers held exactly in
 * floats, all in one row so that a step sends it in one copy: [labels (B) | first rows (B + 1) | row table
 * (R × 2)]. {@code label(i)} is example i's class, or −1 without one; row r of the decoder decodes example
 * {@code rowExample(r)} as class {@code rowClass(r)} — one row per labelled example, one per class for an
 * unlabelled example of the N-VAE, whose bound sums over them; {@code first(i)} is example i's first row,
 * {@code first(batch)} the number of rows. B = capacity, R = rowCapacity.
 */
public final class BatchShape {
    private final Tensor values;
    private final int capacity;

    public BatchShape(Arena arena, int capacity, int rowCapacity) {
        this.capacity = capacity;
        this.values = Tensor.allocate(arena, "batchShape", 1, Math.addExact(2 * capacity + 1, Math.multiplyExact(2, rowCapacity)));
    }

    /** The one row that travels. */
    public Tensor values() {
        return values;
    }

    public void label(int i, int y) {
        values.set(0, i, y);
    }

    public void first(int i, int row) {
        values.set(0, capacity + i, row);
    }

    public int first(int i) {
        return (int) values.get(0, capacity + i);
    }

    public void row(int r, int example, int cls) {
        values.set(0, 2 * capacity + 1 + 2 * r, example);
        values.set(0, 2 * capacity + 2 + 2 * r, cls);
    }

    /** Where the labels, first rows and row table start in {@link #values()}, in floats. */
    public long labelsAt() {
        return 0;
    }

    public long firstAt() {
        return capacity;
    }

    public long rowsAt() {
        return 2L * capacity + 1;
    }
}
