package dev.nvae.cli;

import dev.nvae.NvaeException;
import dev.nvae.model.ModelData;
import dev.nvae.data.DataSources;
import dev.nvae.data.Dataset;
import dev.nvae.data.Split;
import dev.nvae.model.LoadedModel;
import dev.nvae.model.ModelConfig;
import dev.nvae.train.TrainingRecord;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** {@code --data} and {@code --split} for the commands that run a trained model over a dataset. */
final class DataOptions {
    @Option(names = "--data", paramLabel = "D",
            description = "fashion-mnist, testdata, or a directory of IDX files (MNIST layout), NPY arrays "
                    + "(train-images.npy, train-labels.npy, ...) or class sub-folders of PNG/PGM images. "
                    + "Default: the data the model was trained on.")
    String data;

    @Option(names = "--split", paramLabel = "SPLIT", defaultValue = "test", description = "train or test. Default: ${DEFAULT-VALUE}.")
    String split;

    /**
     * The chosen split, checked against the model so that a mismatch fails here, naming --data, not deep in
     * a kernel; binarized (the fixed draw) for a model trained on binary data, which is what it reads.
     */
    Dataset loadFor(LoadedModel loaded) {
        Dataset set = loadAnyLabels(loaded);
        // A cvae reads every example's label: one without is refused here, not deep in its encoder.
        ModelData.requireLabels(loaded.model(), set);
        return set;
    }

    /**
     * {@link #loadFor}'s first {@code n} examples, for a command that reads only those ({@code flag}, reconstruct's
     * --n): more than the split holds is refused naming the flag, and a cvae needs a label for those n alone — an
     * example without one further on is never read, so refusing it refused data the command could use.
     */
    Dataset loadFirst(LoadedModel loaded, String flag, int n) {
        Dataset set = loadAnyLabels(loaded);
        if (n > set.count()) throw new NvaeException(flag + ": the " + split().label() + " split has only " + set.count() + " examples");
        if (!loaded.model().learnsFromUnlabelled()) {
            for (int i = 0; i < n; i++) {
                if (!set.hasLabel(i)) {
                    throw new NvaeException("--data: example " + i + " (counting from 0) of " + set.name() + " has no label, and a "
                            + loaded.model().config().model() + " needs one for each of the first " + n + " examples that " + flag + " reads");
                }
            }
        }
        return set.first(n);
    }

    /**
     * {@link #loadFor} for a command that reads one example of the split ({@code flag}, traverse's --from-example I): a
     * cvae needs that example's label alone, as {@link #loadFirst} needs the first n's.
     */
    Dataset loadForExample(LoadedModel loaded, String flag, int index) {
        Dataset set = loadAnyLabels(loaded);
        if (!loaded.model().learnsFromUnlabelled() && index >= 0 && index < set.count() && !set.hasLabel(index)) {
            throw new NvaeException("--data: example " + index + " (counting from 0) of " + set.name() + " has no label, and a "
                    + loaded.model().config().model() + " needs the label of the example that " + flag + " " + index + " reads");
        }
        return set;
    }

    /** The split as the model reads it, its classes checked, but examples without a label not refused. */
    private Dataset loadAnyLabels(LoadedModel loaded) {
        String spec = givenOrTrainedOn(data, loaded);
        ModelConfig c = loaded.model().config();
        Dataset set = inModelShape(spec, load(spec, split()), c);
        requireClasses(spec, set, loaded);
        return ModelData.forEvaluation(c, set);
    }

    /**
     * The examples of {@code set} that have a label — the set itself when every one has — for what learns or is
     * scored against labels (augment's classifier, quality's judge); a line on {@code err} says how many are left
     * out. Refused, naming --data, where none has a label: {@code why} says what needs them.
     *
     * @param split "training" or "test"
     */
    static Dataset labelled(String spec, Dataset set, String split, String why, java.io.PrintWriter err) {
        if (set.fullyLabelled()) return set;
        int without = set.count() - set.labelledCount();
        if (set.labelledCount() == 0) {
            throw new NvaeException("--data " + spec + ": none of the " + set.count() + " " + split + " examples has a label, and " + why);
        }
        err.printf(Locale.ROOT, "%d of the %d %s examples have no label; %s, using the %d labelled ones%n", without, set.count(), split,
                why, set.labelledCount());
        err.flush();
        return set.subset(java.util.stream.IntStream.range(0, set.count()).filter(set::hasLabel).toArray());
    }

    /**
     * Refuses, naming --data, data whose classes are not the model's: more of them, or for a model that reads
     * labels, another class under one of its labels. Called by every command that reads data with a model (those
     * that load both splits, augment, quality and report, for each).
     */
    static void requireClasses(String spec, Dataset set, LoadedModel loaded) {
        ModelConfig c = loaded.model().config();
        if (c.lacksClassesOf(set.numClasses())) {
            throw new NvaeException("--data " + spec + ": " + set.numClasses() + " classes but the model has " + c.numClasses());
        }
        // An N-VAE trained with labels and a conditional VAE read label k as their own class k (its latent block,
        // its decoder input, the class its accuracy is scored against); a VAE or beta-VAE reads no label.
        if (!c.labelFree() && c.isConditional()) {
            String mismatch = classMismatch(set.classNames(), loaded.classNames());
            if (mismatch != null) {
                throw new NvaeException("--data " + spec + ": classes " + names(set.classNames()) + " are not the model's ("
                        + names(loaded.classNames()) + "): " + mismatch);
            }
        }
    }

    /**
     * The split, refused in one line naming --data if it holds no examples: an empty one gave evaluate a table
     * of NaN with exit 0, augment NaN accuracies, and quality a judge cached with no test examples, which every
     * later run then refused.
     */
    static Dataset load(String spec, Split split) {
        Dataset set = DataSources.load(spec, split);
        if (set.count() == 0) throw new NvaeException("--data " + spec + ": the " + split.name().toLowerCase(Locale.ROOT) + " split holds no examples");
        return set;
    }

    /**
     * The data as the model's images, or a refusal naming --data, before any work, of images of another shape —
     * size or channels: a model reads C·H·W values an image, so three grey images of its size would be read as one
     * colour image, and a colour image as three grey ones (or overrun a buffer). Flat rows (1 × D, an (N, D) array)
     * of exactly the model's D = C·H·W values are its images, each row already CHW — what {@code sample --format
     * npy} writes — and are read as such, a reshape of the same bytes, so that a model reads its own samples back;
     * and a model of flat rows (trained on such an array) reads images of its D values as rows, the same reshape.
     * The commands that read data with a model call this once the data is loaded, and use what it returns.
     */
    static Dataset inModelShape(String spec, Dataset set, ModelConfig c) {
        boolean otherSize = set.height() != c.height() || set.width() != c.width(), otherChannels = set.channels() != c.channels();
        if (!otherSize && !otherChannels) return set;
        boolean flat = set.channels() == 1 && set.height() == 1, modelFlat = c.channels() == 1 && c.height() == 1;
        if (flat && set.width() == c.inputDim()) return set.reshaped(c.channels(), c.height(), c.width());
        // And the other way: a model trained on flat rows ((N, D) NPY, as sample --format npy writes images) reads
        // images of its D values as rows, each image CHW already: the same bytes.
        if (modelFlat && set.dim() == c.inputDim()) return set.reshaped(1, 1, c.inputDim());
        String why;
        if (!otherChannels) {
            why = "images are " + set.height() + "x" + set.width() + " but the model was trained on " + c.height() + "x" + c.width();
        } else if (!otherSize) {
            why = "images have " + channels(set.channels()) + " but the model was trained on " + kind(c.channels());
        } else {
            why = "images are " + set.height() + "x" + set.width() + " with " + channels(set.channels()) + " but the model was trained on "
                    + c.height() + "x" + c.width() + " with " + kind(c.channels());
        }
        // Rows of another length than the model's: say which length would be read, or flat data looks refused for nothing.
        if (flat && !modelFlat) {
            why += "; flat rows are read as its images when they hold its " + c.inputDim() + " values (" + c.channels() + "x" + c.height()
                    + "x" + c.width() + ")";
        }
        // A folder of images is colour if any one of its PNGs is: say which, or a folder of grey images looks refused for nothing.
        Path colour = otherChannels && set.channels() > 1 ? DataSources.colourImage(spec) : null;
        if (colour != null) why += "; " + colour + " is stored in colour, which makes the whole folder RGB";
        throw new NvaeException("--data " + spec + ": " + why);
    }

    /** "3 channels (colour)", "1 channel (grey)". */
    private static String channels(int n) {
        return n + (n == 1 ? " channel" : " channels") + kindName(n);
    }

    /** "3 (colour)", "1 (grey)". */
    private static String kind(int n) {
        return n + kindName(n);
    }

    private static String kindName(int n) {
        return n == 1 ? " (grey)" : n == 3 ? " (colour)" : "";
    }

    /**
     * Why data of classes {@code data} cannot be read by a model of classes {@code model} (its label k taken as
     * the model's class k), or null if it can: where both sides name their classes, the data's class k must be
     * the model's class k — the data may hold the model's first classes only. Classes named by their number
     * ("0", "1", ...: IDX or NPY data without a classes.txt, and models trained on it) say nothing of what they
     * are, so only their count is checked (by the caller).
     */
    static String classMismatch(List<String> data, List<String> model) {
        if (numbered(data) || numbered(model)) return null;
        for (int k = 0; k < data.size(); k++) {
            if (k >= model.size()) return "the model has no class " + k + " (" + data.get(k) + ")";
            if (!data.get(k).equals(model.get(k))) {
                return "label " + k + " is " + data.get(k) + " in the data but " + model.get(k) + " to the model";
            }
        }
        return null;
    }

    /** Whether each class is named by its own number, "0", "1", ...: the names of classes nobody named. */
    private static boolean numbered(List<String> names) {
        for (int k = 0; k < names.size(); k++) if (!names.get(k).equals(Integer.toString(k))) return false;
        return true;
    }

    /** The names, comma-separated; the first few of a long list. */
    private static String names(List<String> names) {
        int shown = Math.min(names.size(), MAX_NAMES_SHOWN);
        String list = String.join(", ", names.subList(0, shown));
        return shown == names.size() ? list : list + ", ... (" + names.size() + " in all)";
    }

    private static final int MAX_NAMES_SHOWN = 12;

    /** {@code inputs} with --data, if given, among them: known before the model is read. */
    OutputPaths.Inputs asInput(OutputPaths.Inputs inputs) {
        return data == null ? inputs : inputs.data("--data", data);
    }

    /** Once the model is read, the data it names when --data is not given is an input too: checks {@code out} against it. */
    void checkOutput(Path out, String flag, OutputPaths.Inputs inputs, LoadedModel loaded) {
        if (data == null) OutputPaths.file(out, flag, inputs.data("the data the model was trained on", spec(loaded)), null, null);
    }

    /** --data, or else the data named in the model's training summary (as found: see {@link #givenOrTrainedOn}). */
    String spec(LoadedModel loaded) {
        if (data != null) return data;
        String recorded = recorded(loaded), directory = recordedDirectory(loaded);
        return !isDirectory(recorded) && isDirectory(directory) ? directory : recorded;
    }

    /**
     * {@code given} (--data), or else the data the model was trained on, for a command about to read it. train records
     * --data as it was given, and where that is a relative directory, also where it led (its absolute path), so that
     * a command run from another working directory finds the data: the name as given where it is a directory from
     * here, else the directory it led to. Where neither is, the refusal says where the name came from and what to do
     * (the bare refusal named --data, a flag the user never gave). Files written before the directory was recorded
     * have the name alone.
     */
    static String givenOrTrainedOn(String given, LoadedModel loaded) {
        if (given != null) return given;
        String spec = recorded(loaded);
        if (spec.equals("fashion-mnist") || spec.equals("testdata") || isDirectory(spec)) return spec;
        String directory = recordedDirectory(loaded);
        if (isDirectory(directory)) return directory;
        String where = directory == null || directory.equals(absolute(spec)) ? absolute(spec)
                : absolute(spec) + ", nor where it led when the model was trained, " + directory;
        throw new NvaeException("no --data given, and the data the model was trained on, " + spec + ", is not a directory from here ("
                + where + "; train records --data as it was given): give --data");
    }

    /**
     * The data the model was trained on, as {@link #givenOrTrainedOn} finds it, or null where it is not found from here:
     * for a command that reads no data but must not write into it (sample).
     */
    static String trainedOnIfFound(LoadedModel loaded) {
        try {
            return givenOrTrainedOn(null, loaded);
        } catch (NvaeException e) {
            return null;
        }
    }

    private static String recorded(LoadedModel loaded) {
        return loaded.training().get(TrainingRun.DATA_KEY) instanceof String s ? s : "fashion-mnist";
    }

    /** Where a relative --data led when the model was trained, or null (a name, an absolute path, an older file). */
    private static String recordedDirectory(LoadedModel loaded) {
        return loaded.training().get(TrainingRecord.DATA_DIRECTORY_KEY) instanceof String s ? s : null;
    }

    private static boolean isDirectory(String spec) {
        try {
            return spec != null && Files.isDirectory(Path.of(spec));
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    private static String absolute(String spec) {
        try {
            return Path.of(spec).toAbsolutePath().toString();
        } catch (java.nio.file.InvalidPathException e) {
            return spec;
        }
    }

    Split split() {
        return Split.parse(split);
    }
}
