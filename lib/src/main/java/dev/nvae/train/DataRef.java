package dev.nvae.train;

import dev.nvae.data.Dataset;

/**
 * Which data a run trains on, as a checkpoint records it: how to load it again ({@code spec} as given
 * to {@code --data}, {@code limit} for {@code --limit}, or null; {@code labels} for the labels it kept,
 * e.g. {@code per-class:100}, {@code fraction:0.1} or {@code none}, or null for the data's own) and what it
 * must then be (count and a content fingerprint, which covers which examples have a label), so a resume on
 * different data is refused rather than silently diverging.
 */
public record DataRef(String spec, Integer limit, String labels, int count, long fingerprint) {
    public static DataRef of(String spec, Integer limit, Dataset data) {
        return of(spec, limit, null, data);
    }

    public static DataRef of(String spec, Integer limit, String labels, Dataset data) {
        return new DataRef(spec, limit, labels, data.count(), data.fingerprint());
    }

    /** Whether {@code data} is the data this reference was made from. */
    public boolean matches(Dataset data) {
        return data.count() == count && data.fingerprint() == fingerprint;
    }
}
