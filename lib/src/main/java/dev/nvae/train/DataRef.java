package dev.nvae.train;

import dev.nvae.data.Dataset;

/**
 * Which data a run trains on, as a checkpoint records it: how to load it again ({@code spec} as given
 * to {@code --data}, {@code limit} for {@code --limit}, or null) and what it must then be (count and a
 * content fingerprint), so a resume on different data is refused rather than silently diverging.
 */
public record DataRef(String spec, Integer limit, int count, long fingerprint) {
    public static DataRef of(String spec, Integer limit, Dataset data) {
        return new DataRef(spec, limit, data.count(), data.fingerprint());
    }

    /** Whether {@code data} is the data this reference was made from. */
    public boolean matches(Dataset data) {
        return data.count() == count && data.fingerprint() == fingerprint;
    }
}
