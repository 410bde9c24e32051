package dev.nvae.analysis;

import dev.nvae.NvaeException;
import dev.nvae.model.ModelConfig;

import java.util.List;
import java.util.Locale;

/**
 * The class of every sample index of one sampling request — {@code n} of each class in turn (class 0's
 * samples first), {@code n} of one chosen class, or {@code n} unlabelled samples (label 0, for a model
 * without classes). A pure function of the index, like the noise ({@link Sampler#noise}), so any range of
 * indices — a Spark task's share, one request to a server — can be drawn on its own and holds exactly the
 * samples of the whole run.
 *
 * @param perClass samples per class ({@code n})
 * @param classes  how many classes take turns: K for every class, 1 otherwise
 * @param chosen   the one class, or −1 for every class in turn
 */
public record SampleLabels(long perClass, int classes, int chosen) {
    public SampleLabels {
        if (perClass < 1) throw new IllegalArgumentException("samples per class " + perClass + " must be at least 1");
        if (classes < 1) throw new IllegalArgumentException(classes + " classes");
        if (chosen >= 0 ? classes != 1 : chosen != -1) throw new IllegalArgumentException("one chosen class or every class, not both");
        Math.multiplyExact(perClass, classes);
    }

    /** n samples of each of {@code classes} classes, class 0's first. */
    public static SampleLabels everyClass(long n, int classes) {
        return new SampleLabels(n, classes, -1);
    }

    /** n samples of class {@code y}. */
    public static SampleLabels oneClass(long n, int y) {
        if (y < 0) throw new IllegalArgumentException("class " + y);
        return new SampleLabels(n, 1, y);
    }

    /** n samples of a model without classes: label 0 (what the decoder is given, and ignores). */
    public static SampleLabels unlabelled(long n) {
        return oneClass(n, 0);
    }

    /**
     * What {@code --class choice} asks for, n per class: {@code all} (or null) every class in turn, else the
     * class {@link #classIndex} names; for a model without classes (not {@code conditional}), n unlabelled.
     */
    public static SampleLabels of(String choice, long n, List<String> classNames, boolean conditional) {
        if (n < 1) throw new NvaeException("--n " + n + " must be at least 1");
        if (!conditional) return unlabelled(n);
        if (!namesOneClass(choice)) return everyClass(n, classNames.size());
        return oneClass(n, classIndex(choice, classNames));
    }

    /**
     * Whether {@code --class choice} names one class: not when left out, nor for {@code all}, its default, which a
     * model without classes (a vae) takes as it takes no {@code --class} at all, its samples unlabelled.
     */
    public static boolean namesOneClass(String choice) {
        return choice != null && !choice.equals("all");
    }

    /** What a refusal of {@code --class} adds where {@link #meantAll} says the user likely meant {@code all}. */
    public static final String DID_YOU_MEAN_ALL = " (did you mean 'all'?)";

    /**
     * Whether {@code choice} is {@code all} in another case ({@code All}, {@code ALL}): only the lower case means every
     * class, since a class may be named All (matched first, as any class name is, in any case), so such a value that
     * names no class is refused, with a hint.
     */
    public static boolean meantAll(String choice) {
        return choice != null && !choice.equals("all") && choice.strip().equalsIgnoreCase("all");
    }

    /**
     * The refusal of {@code --class choice} by a model without classes ({@code model}, a vae or beta-vae), where
     * {@link #namesOneClass}; the caller adds what to do instead. One helper, so that sample, traverse and the Spark job's
     * generate refuse alike (generate went on saying "--class:" alone, with no hint, after the other two gained one).
     */
    public static String notConditioned(String choice, String model) {
        return meantAll(choice)
                ? "--class '" + choice + "': a " + model + " is not conditioned on a class" + DID_YOU_MEAN_ALL
                : "--class: a " + model + " is not conditioned on a class";
    }

    /**
     * A {@code --class} value: a class name (as it is spelt, else in any case where that names one class) or a class
     * index.
     */
    public static int classIndex(String text, List<String> classNames) {
        int k = classNames.size();
        int exact = classNames.indexOf(text);
        if (exact >= 0) return exact;
        // Classes may differ only in case (folders A and a): taking the first such match would pick one of them silently.
        List<String> inAnyCase = classNames.stream().filter(n -> n.equalsIgnoreCase(text)).toList();
        if (inAnyCase.size() == 1) return classNames.indexOf(inAnyCase.getFirst());
        if (inAnyCase.size() > 1) {
            throw new NvaeException("--class '" + text + "': names no class as it is spelt, and classes "
                    + String.join(" and ", inAnyCase) + " in another case; write one as it is spelt, or its index");
        }
        // A label-free model's classes are its clusters, named "cluster 0".. by ModelConfig.clusterNames alone.
        String unit = k > 0 && classNames.equals(ModelConfig.clusterNames(k)) ? "cluster" : "class";
        int index;
        try {
            index = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            if (meantAll(text)) {
                throw new NvaeException("--class '" + text + "': the model has no " + unit + " named '" + text + "'" + DID_YOU_MEAN_ALL
                        + "; expected all, a " + unit + " index 0.." + (k - 1) + " or a " + unit + " name (" + String.join(", ", classNames) + ")");
            }
            throw new NvaeException("--class '" + text + "': expected all, a " + unit + " index 0.." + (k - 1)
                    + " or a " + unit + " name (" + String.join(", ", classNames) + ")");
        }
        if (index < 0 || index >= k) {
            throw new NvaeException(String.format(Locale.ROOT, "--class %d is out of range: the model has %d %s, 0..%d",
                    index, k, k == 1 ? unit : unit.equals("class") ? "classes" : "clusters", k - 1));
        }
        return index;
    }

    /** Samples in the request: indices 0 … count − 1. */
    public long count() {
        return perClass * classes;
    }

    /** The class of sample {@code index}. */
    public int label(long index) {
        if (index < 0 || index >= count()) throw new IndexOutOfBoundsException("sample " + index + " of " + count());
        return chosen >= 0 ? chosen : (int) (index / perClass);
    }

    /** The classes of samples [from, from + n). */
    public int[] labels(long from, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = label(from + i);
        return out;
    }
}
