package dev.nvae.cli;

import dev.nvae.backend.Backend;
import dev.nvae.data.Dataset;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.ModelFile;
import dev.nvae.model.ModelData;
import dev.nvae.io.StoredDtype;
import dev.nvae.model.LatentModel;
import dev.nvae.train.EpochSummary;
import dev.nvae.train.TrainOptions;
import dev.nvae.train.Trainer;
import dev.nvae.train.TrainingListener;
import dev.nvae.train.TrainingRecord;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Trains a freshly initialised model and saves it with its training summary; shared by train and demo. */
final class TrainingRun {
    /** Summary key holding the --data spec, so later commands can default to the same data. */
    static final String DATA_KEY = TrainingRecord.DATA_KEY;
    /** Summary key holding the training curve (see {@link TrainingRecord}). */
    static final String CURVE_KEY = TrainingRecord.CURVE_KEY;

    private TrainingRun() {
    }

    /** The result of a run: its epochs, and its throughput over all of them. */
    record Result(List<EpochSummary> epochs, long skippedSteps) {
        EpochSummary last() {
            return epochs.getLast();
        }

        /** Over the whole run; a resumed epoch counts only the examples and time of the part run after the resume. */
        double examplesPerSecond() {
            double examples = epochs.stream().mapToDouble(e -> e.examplesPerSecond() * e.seconds()).sum();
            double seconds = epochs.stream().mapToDouble(EpochSummary::seconds).sum();
            return examples / seconds;
        }
    }

    /**
     * Trains and hands the saving of the model to {@code saving}, once training is done: it is given the writer that
     * saves the model to a path, and calls it with the path it chooses (demo: a staged file in a directory it makes
     * only then, so that a run stopped while training leaves nothing behind).
     */
    static Result trainAndSave(String dataSpec, Dataset data, ModelConfig config, TrainOptions options,
                               Backend backend, TrainingListener listener, Consumer<Consumer<Path>> saving) {
        return trainAndSave(dataSpec, data, ModelData.forTraining(config, data), config, options, backend, listener, saving,
                StoredDtype.F32, trainer -> { });
    }

    /**
     * @param seen  {@code data} as the model trains on it, {@link ModelData#forTraining} (the caller has it already)
     * @param dtype how the weights are stored in {@code out} (--save-dtype; checkpoints are always F32)
     * @param setup configures the trainer before it runs (checkpoints, resume, --on-nan); a resumed
     *              trainer overwrites the fresh initialisation with the checkpoint's weights
     */
    static Result trainAndSave(String dataSpec, Dataset data, Dataset seen, ModelConfig config, TrainOptions options,
                               Backend backend, TrainingListener listener, Path out, StoredDtype dtype,
                               Consumer<Trainer> setup) {
        return trainAndSave(dataSpec, data, seen, config, options, backend, listener, writer -> writer.accept(out), dtype, setup);
    }

    private static Result trainAndSave(String dataSpec, Dataset data, Dataset seen, ModelConfig config, TrainOptions options,
                                       Backend backend, TrainingListener listener, Consumer<Consumer<Path>> saving, StoredDtype dtype,
                                       Consumer<Trainer> setup) {
        try (LatentModel model = LatentModel.create(config)) {
            model.initialize(options.seed());
            Trainer trainer = new Trainer(model, backend, seen, options, listener);
            setup.accept(trainer);
            List<EpochSummary> epochs = trainer.run();
            Map<String, Object> summary = TrainingRecord.of(dataSpec, data, options, backend, epochs, trainer.skippedSteps());
            saving.accept(out -> ModelFile.save(model, out, data.classNames(), summary, dtype));
            return new Result(epochs, trainer.skippedSteps());
        }
    }
}
