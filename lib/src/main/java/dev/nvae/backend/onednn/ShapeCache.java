package dev.nvae.backend.onednn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Executions by shape key, looked up on every operation: an open-addressing table over primitive
 * {@code long} keys, so a lookup neither boxes nor allocates. Keys pack an operation code and up to three
 * dimensions ({@link #key}); 0 marks an empty slot. Entries are never evicted — a training run has a
 * handful of shapes (each layer, at the full and at the last smaller batch).
 */
final class ShapeCache implements AutoCloseable {
    static final int MAX_DIM = (1 << 20) - 1;

    private long[] keys = new long[64];
    private Execution[] values = new Execution[64];
    private final List<Execution> inOrder = new ArrayList<>();

    /** {@code op} in [1, 15], each dimension in [0, {@link #MAX_DIM}]. */
    static long key(int op, int a, int b, int c) {
        if (op < 1 || op > 15) throw new IllegalArgumentException("operation code " + op);
        checkDim(a);
        checkDim(b);
        checkDim(c);
        return ((long) op << 60) | ((long) a << 40) | ((long) b << 20) | c;
    }

    private static void checkDim(int d) {
        if (d < 0 || d > MAX_DIM) {
            throw new IllegalArgumentException("onednn backend: dimension " + d + " outside [0, " + MAX_DIM + "]");
        }
    }

    /** The execution for {@code key}, or null. */
    Execution get(long key) {
        int mask = keys.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) return values[i];
            if (k == 0) return null;
        }
    }

    void put(long key, Execution value) {
        if (key == 0) throw new IllegalArgumentException("key 0 is reserved");
        if (get(key) != null) throw new IllegalStateException("key already cached");
        if (2 * (inOrder.size() + 1) > keys.length) grow();
        insert(keys, values, key, value);
        inOrder.add(value);
    }

    int size() {
        return inOrder.size();
    }

    /** Every cached execution, in creation order. */
    List<Execution> entries() {
        return List.copyOf(inOrder);
    }

    private void grow() {
        long[] k2 = new long[keys.length * 2];
        Execution[] v2 = new Execution[k2.length];
        for (int i = 0; i < keys.length; i++) if (keys[i] != 0) insert(k2, v2, keys[i], values[i]);
        keys = k2;
        values = v2;
    }

    private static void insert(long[] keys, Execution[] values, long key, Execution value) {
        int mask = keys.length - 1;
        int i = slot(key, mask);
        while (keys[i] != 0) i = (i + 1) & mask;
        keys[i] = key;
        values[i] = value;
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;  // Fibonacci hashing spreads the packed fields
        return (int) (h >>> 32) & mask;
    }

    /** Closes every execution, newest first. */
    @Override
    public void close() {
        Owned all = new Owned();
        inOrder.forEach(all::add);
        inOrder.clear();
        Arrays.fill(keys, 0);
        Arrays.fill(values, null);
        all.close();
    }
}
