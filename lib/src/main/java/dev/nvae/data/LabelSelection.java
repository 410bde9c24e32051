package dev.nvae.data;

import dev.nvae.NvaeException;
import dev.nvae.random.Rng;

import java.util.List;
import java.util.Locale;

/**
 * Semi-supervised splits of a labelled training set: keep the labels of a few examples, chosen from the
 * seed, and hide the rest. Both rules walk the labelled examples in the order of one permutation drawn
 * from stream (seed, {@value #STREAM}) and keep the first ones of each class, so the same seed always keeps
 * the same examples, and a larger selection contains a smaller one.
 */
public final class LabelSelection {
    static final long STREAM = 0x1ABE1;

    private LabelSelection() {
    }

    /** {@code n} labels of every class; refuses a class that has fewer than {@code n}. */
    public static Dataset perClass(Dataset data, int n, long seed) {
        return perClass(data, n, seed, data.name());
    }

    /**
     * {@link #perClass(Dataset, int, long)}, its refusal naming the examples as {@code where} says: a part of a split
     * (the first --limit of them) has fewer of a class than the split its name names.
     */
    public static Dataset perClass(Dataset data, int n, long seed, String where) {
        if (n < 1) throw new NvaeException("--labels-per-class " + n + " must be at least 1");
        int[] counts = data.classCounts();
        for (int k = 0; k < counts.length; k++) {
            if (counts[k] < n) {
                throw new NvaeException("--labels-per-class " + n + ": class '" + data.classNames().get(k) + "' has only "
                        + counts[k] + " labelled examples in " + where);
            }
        }
        int[] quota = new int[counts.length];
        java.util.Arrays.fill(quota, n);
        return keep(data, quota, seed);
    }

    /**
     * A fraction {@code f} of every class's labels (rounded to the nearest count, at least one per class
     * that has any), so the labelled part keeps the class proportions.
     */
    public static Dataset fraction(Dataset data, double f, long seed) {
        if (!(f > 0 && f <= 1)) throw new NvaeException(String.format(Locale.ROOT, "--labels-fraction %s must be in (0, 1]", f));
        int[] counts = data.classCounts();
        int[] quota = new int[counts.length];
        for (int k = 0; k < counts.length; k++) quota[k] = counts[k] == 0 ? 0 : (int) Math.max(1, Math.round(f * counts[k]));
        return keep(data, quota, seed);
    }

    private static Dataset keep(Dataset data, int[] quota, long seed) {
        int[] order = new int[data.count()];
        Rng.stream(seed, STREAM).permutation(order);
        int total = 0;
        for (int q : quota) total += q;
        int[] kept = new int[total];
        int n = 0;
        for (int i : order) {
            int y = data.label(i);
            if (y >= 0 && quota[y] > 0) {
                quota[y]--;
                kept[n++] = i;
            }
        }
        java.util.Arrays.sort(kept);
        return data.keepingLabelsOf(kept);
    }
}
