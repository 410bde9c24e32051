package dev.nvae.train;

import dev.nvae.backend.Backend;
import dev.nvae.data.Dataset;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a model file records of the run that trained it (its training summary), written alike by {@code nvae train}
 * and the Java API's {@code Training}, so that both write the same file for the same run. Only what determines the
 * weights goes in — no timings, no thread count (the vector backend's weights do not depend on it) — so two runs with the same seed
 * write identical bytes (from the same working directory, where --data is a relative directory: see
 * {@link #DATA_DIRECTORY_KEY}). The per-epoch curve (what {@code --log} holds, less the timings) goes in too, so that a
 * report drawn from the file alone can show how training went; a resumed run's curve includes the epochs before
 * the resume.
 */
public final class TrainingRecord {
    /** The data spec as given ({@code --data}), so later commands can default to the same data. */
    public static final String DATA_KEY = "data";
    /**
     * Where a relative {@code --data} led when the run trained, as an absolute path, so that a later command run from
     * another working directory finds the data the model was trained on; {@link #DATA_KEY} stays as given, for people
     * to read. Absent for {@code fashion-mnist}, {@code testdata}, an absolute path, and in files written before it was
     * recorded. A property of the record, not a metadata key of its own (as a checkpoint's is): every build reads the
     * record as an open JSON object, and {@code nvae export} copies it whole.
     */
    public static final String DATA_DIRECTORY_KEY = "data_directory";
    /** The training curve: one entry per epoch, the loss terms and accuracy of its training examples. */
    public static final String CURVE_KEY = "curve";

    private TrainingRecord() {
    }

    /**
     * @param dataSpec the data as given to {@code --data}
     * @param data     the training examples as loaded (before {@code ModelData.forTraining}): their count and labels
     * @param epochs   every epoch of the run, a resumed run's earlier ones included
     */
    public static Map<String, Object> of(String dataSpec, Dataset data, TrainOptions options, Backend backend,
                                         List<EpochSummary> epochs, long skippedSteps) {
        EpochSummary last = epochs.getLast();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(DATA_KEY, dataSpec);
        String directory = DataRef.absoluteDirectory(dataSpec);
        if (directory != null && java.nio.file.Files.isDirectory(java.nio.file.Path.of(directory))) m.put(DATA_DIRECTORY_KEY, directory);
        m.put("examples", data.count());
        if (!data.fullyLabelled()) m.put("labelled_examples", data.labelledCount());
        m.put("epochs", options.epochs());
        m.put("batch", options.batchSize());
        m.put("lr", options.learningRate());
        m.put("seed", options.seed());
        m.put("backend", backend.name());
        m.put("precision", backend.precision().label());
        m.put("final_loss", last.loss());
        m.put("final_accuracy", finiteOrNull(last.accuracy()));
        m.put("skipped_steps", skippedSteps);
        List<Map<String, Object>> curve = new ArrayList<>();
        for (EpochSummary e : epochs) curve.add(curveLine(e));
        m.put(CURVE_KEY, curve);
        return m;
    }

    /** One epoch of the curve: its loss terms and accuracy, rounded to 4 decimals (the start of a {@code --log} line). */
    public static Map<String, Object> curveLine(EpochSummary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", s.epoch());
        m.put("loss", round(s.loss(), 4));
        m.put("rec", round(s.rec(), 4));
        m.put("kl_s", round(s.klS(), 4));
        m.put("kl_c", round(s.klC(), 4));
        m.put("ce", round(s.ce(), 4));
        m.put("accuracy", finiteOrNull(round(s.accuracy(), 4))); // null: no classifier, or no labelled example
        if (s.unlabelled() > 0) {
            m.put("kl_y", round(s.klY(), 4));
            m.put("unlabelled", s.unlabelled());
        }
        return m;
    }

    /** {@code v} rounded to {@code decimals} places; NaN and infinities as they are. */
    public static double round(double v, int decimals) {
        if (!Double.isFinite(v)) return v;
        double scale = Math.pow(10, decimals);
        return Math.round(v * scale) / scale;
    }

    /** JSON has no NaN: a quantity a model does not have (a baseline's accuracy) is written as null. */
    public static Double finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
