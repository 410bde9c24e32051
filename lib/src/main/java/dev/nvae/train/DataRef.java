package dev.nvae.train;

import dev.nvae.data.Dataset;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Which data a run trains on, as a checkpoint records it: how to load it again ({@code spec} as given
 * to {@code --data}, {@code limit} for {@code --limit}, or null; {@code labels} for the labels it kept,
 * e.g. {@code per-class:100}, {@code fraction:0.1} or {@code none}, or null for the data's own) and what it
 * must then be (count and a content fingerprint, which covers which examples have a label), so a resume on
 * different data is refused rather than silently diverging.
 *
 * @param directory where a relative {@code spec} led when the run started, as an absolute path, so that a run
 *                  resumed from another working directory finds its data; null for {@code fashion-mnist},
 *                  {@code testdata}, an absolute path, and in checkpoints written before it was recorded
 */
public record DataRef(String spec, Integer limit, String labels, int count, long fingerprint, String directory) {
    public DataRef(String spec, Integer limit, String labels, int count, long fingerprint) {
        this(spec, limit, labels, count, fingerprint, null);
    }

    public static DataRef of(String spec, Integer limit, Dataset data) {
        return of(spec, limit, null, data);
    }

    public static DataRef of(String spec, Integer limit, String labels, Dataset data) {
        return new DataRef(spec, limit, labels, data.count(), data.fingerprint(), absoluteDirectory(spec));
    }

    /** Whether {@code data} is the data this reference was made from. */
    public boolean matches(Dataset data) {
        return data.count() == count && data.fingerprint() == fingerprint;
    }

    /**
     * The --data a resumed run that was given none loads: the spec as the run gave it wherever it still leads to
     * where it led then (so the model file records the same spec as an uninterrupted run's), else that directory
     * by its absolute path. The fingerprint still decides whether what is found there is the run's data.
     */
    public String specFromHere() {
        if (directory == null) return spec;
        Path then = Path.of(directory);
        Path here = absolute(spec);
        if (then.equals(here) || (!Files.isDirectory(then) && here != null && Files.isDirectory(here))) return spec;
        return directory;
    }

    /**
     * Where a relative {@code spec} leads from the working directory, as an absolute path; null for
     * {@code fashion-mnist}, {@code testdata}, an absolute path or no path at all. Model files record it too
     * ({@link TrainingRecord#DATA_DIRECTORY_KEY}).
     */
    static String absoluteDirectory(String spec) {
        if (spec == null || spec.equals("fashion-mnist") || spec.equals("testdata")) return null;
        try {
            Path p = Path.of(spec);
            return p.isAbsolute() ? null : p.toAbsolutePath().normalize().toString();
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static Path absolute(String spec) {
        try {
            return Path.of(spec).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            return null;
        }
    }
}
