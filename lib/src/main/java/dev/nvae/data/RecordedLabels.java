package dev.nvae.data;

import dev.nvae.NvaeException;

import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * Which labels of the training split a run kept, in the one form checkpoints record it (a {@code DataRef}'s labels),
 * so that a resumed run — {@code nvae train --resume} or the API's {@code Training.resume} — selects the same ones
 * again: {@code null}, the data's own labels; {@code per-class:N} or {@code fraction:F}, those labels chosen from the
 * run's seed; {@code none:K}, no label and K clusters as classes; any of these (the data's own labels written as
 * {@code given}) followed by {@code ,drop-unlabelled}, the labelled examples alone.
 *
 * @param perClass       labels kept per class, or null
 * @param fraction       share of every class's labels kept, or null
 * @param clusters       K of a label-free run, or null
 * @param dropUnlabelled whether the examples left without a label were dropped
 */
public record RecordedLabels(Integer perClass, Double fraction, Integer clusters, boolean dropUnlabelled) {
    private static final String GIVEN = "given", DROP = ",drop-unlabelled", PER_CLASS = "per-class:", FRACTION = "fraction:",
            NONE = "none:";

    /** The data's own labels, every example kept. */
    public static final RecordedLabels GIVEN_LABELS = new RecordedLabels(null, null, null, false);

    public RecordedLabels {
        int chosen = (perClass != null ? 1 : 0) + (fraction != null ? 1 : 0) + (clusters != null ? 1 : 0);
        if (chosen > 1) throw new IllegalArgumentException("one of perClass, fraction and clusters at most");
    }

    /** Whether the run trained without labels, as clusters. */
    public boolean labelFree() {
        return clusters != null;
    }

    /** The recorded form; null for the data's own labels, every example kept. */
    public String text() {
        String kept = clusters != null ? NONE + clusters : perClass != null ? PER_CLASS + perClass : fraction != null ? FRACTION + fraction : null;
        return dropUnlabelled ? (kept == null ? GIVEN : kept) + DROP : kept;
    }

    /** Reads {@link #text()}'s form; one that is not is damage, refused naming it. */
    public static RecordedLabels parse(String recorded) {
        String kept = recorded;
        boolean drop = kept != null && kept.endsWith(DROP);
        if (drop) kept = kept.substring(0, kept.length() - DROP.length());
        try {
            if (kept == null || kept.equals(GIVEN)) return new RecordedLabels(null, null, null, drop);
            if (kept.startsWith(PER_CLASS)) return new RecordedLabels(Integer.parseInt(kept.substring(PER_CLASS.length())), null, null, drop);
            if (kept.startsWith(FRACTION)) return new RecordedLabels(null, Double.parseDouble(kept.substring(FRACTION.length())), null, drop);
            if (kept.startsWith(NONE)) return new RecordedLabels(null, null, Integer.parseInt(kept.substring(NONE.length())), drop);
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new NvaeException("checkpoint records an unknown label selection '" + recorded + "'");
    }

    /** The training examples as the run saw them; {@code clusterNames} names a label-free run's K classes. */
    public Dataset apply(Dataset data, long seed, IntFunction<List<String>> clusterNames) {
        Dataset out = clusters != null ? data.withoutLabels(clusterNames.apply(clusters))
                : perClass != null ? LabelSelection.perClass(data, perClass, seed)
                : fraction != null ? LabelSelection.fraction(data, fraction, seed) : data;
        return dropUnlabelled ? out.subset(IntStream.range(0, out.count()).filter(out::hasLabel).toArray()) : out;
    }
}
