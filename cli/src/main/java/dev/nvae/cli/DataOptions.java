package dev.nvae.cli;

import dev.nvae.NvaeException;
import dev.nvae.model.ModelData;
import dev.nvae.data.DataSources;
import dev.nvae.data.Dataset;
import dev.nvae.data.Split;
import dev.nvae.model.LoadedModel;
import dev.nvae.model.ModelConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;

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
        String spec = spec(loaded);
        Dataset set = DataSources.load(spec, split());
        ModelConfig c = loaded.model().config();
        if (set.height() != c.height() || set.width() != c.width()) {
            throw new NvaeException("--data " + spec + ": images are " + set.height() + "x" + set.width()
                    + " but the model was trained on " + c.height() + "x" + c.width());
        }
        // A label-free model's classes are clusters: any number of data classes may be compared with them.
        if (!c.labelFree() && set.numClasses() > c.numClasses()) {
            throw new NvaeException("--data " + spec + ": " + set.numClasses() + " classes but the model has " + c.numClasses());
        }
        return ModelData.forEvaluation(c, set);
    }

    /** {@code inputs} with --data, if given, among them: known before the model is read. */
    OutputPaths.Inputs asInput(OutputPaths.Inputs inputs) {
        return data == null ? inputs : inputs.data("--data", data);
    }

    /** Once the model is read, the data it names when --data is not given is an input too: checks {@code out} against it. */
    void checkOutput(Path out, String flag, OutputPaths.Inputs inputs, LoadedModel loaded) {
        if (data == null) OutputPaths.file(out, flag, inputs.data("the data the model was trained on", spec(loaded)), null, null);
    }

    /** --data, or else the data named in the model's training summary. */
    String spec(LoadedModel loaded) {
        if (data != null) return data;
        return loaded.training().get(TrainingRun.DATA_KEY) instanceof String s ? s : "fashion-mnist";
    }

    Split split() {
        return Split.parse(split);
    }
}
