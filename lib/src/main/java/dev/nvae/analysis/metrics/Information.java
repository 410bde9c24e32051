package dev.nvae.analysis.metrics;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/** Discrete information measures (nats) from empirical counts, and the discretisations MIG uses. */
final class Information {
    private Information() {
    }

    /**
     * Equal-width histogram bins over [min, max] of {@code x}: codes 0..bins−1 (disentanglement_lib's
     * {@code _histogram_discretize}). A constant column is one bin.
     */
    static int[] histogram(double[] x, int bins) {
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        int[] codes = new int[x.length];
        if (!(max > min)) return codes;
        double width = (max - min) / bins;
        for (int i = 0; i < x.length; i++) codes[i] = Math.min(bins - 1, (int) Math.floor((x[i] - min) / width));
        return codes;
    }

    /**
     * Codes for a factor: one per distinct value when there are at most {@code bins} of them (the
     * factor is already discrete, as ground-truth factors of generated data are), else histogram bins.
     */
    static int[] categories(double[] v, int bins) {
        double[] distinct = Arrays.stream(v).distinct().sorted().toArray();
        if (distinct.length > bins) return histogram(v, bins);
        Map<Double, Integer> index = new HashMap<>();
        for (int i = 0; i < distinct.length; i++) index.put(distinct[i], i);
        int[] codes = new int[v.length];
        for (int i = 0; i < v.length; i++) codes[i] = index.get(v[i]);
        return codes;
    }

    static double entropy(int[] a) {
        int n = a.length;
        int[] counts = new int[max(a) + 1];
        for (int x : a) counts[x]++;
        double h = 0;
        for (int c : counts) if (c > 0) h -= (double) c / n * Math.log((double) c / n);
        return h;
    }

    /** I(a; b) = Σ p(a,b) log p(a,b) / (p(a) p(b)) from the joint counts. */
    static double mutualInformation(int[] a, int[] b) {
        int n = a.length;
        int na = max(a) + 1, nb = max(b) + 1;
        int[] joint = new int[na * nb], ca = new int[na], cb = new int[nb];
        for (int i = 0; i < n; i++) {
            joint[a[i] * nb + b[i]]++;
            ca[a[i]]++;
            cb[b[i]]++;
        }
        double mi = 0;
        for (int x = 0; x < na; x++) {
            for (int y = 0; y < nb; y++) {
                int c = joint[x * nb + y];
                if (c > 0) mi += (double) c / n * Math.log((double) c * n / ((double) ca[x] * cb[y]));
            }
        }
        return Math.max(0, mi); // rounding can leave −1e−17 for independent columns
    }

    private static int max(int[] a) {
        int m = 0;
        for (int x : a) m = Math.max(m, x);
        return m;
    }
}
