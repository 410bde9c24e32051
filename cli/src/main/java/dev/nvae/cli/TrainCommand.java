package dev.nvae.cli;

import dev.nvae.NvaeException;
import dev.nvae.backend.Backend;
import dev.nvae.data.DataSources;
import dev.nvae.data.Dataset;
import dev.nvae.data.Split;
import dev.nvae.model.ModelConfig;
import dev.nvae.train.TrainOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train an N-VAE (or a baseline: vae, beta-vae, cvae) on a training split and save it as safetensors.",
                "Prints one JSON line per epoch on stdout; progress and messages go to stderr."})
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "D", defaultValue = "fashion-mnist",
            description = "fashion-mnist, testdata, or a directory of IDX files (MNIST layout). Default: ${DEFAULT-VALUE}.")
    String data;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "10", description = "Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "128", description = "Mini-batch size. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--lr", paramLabel = "LR", defaultValue = "1e-3", description = "Adam learning rate. Default: ${DEFAULT-VALUE}.")
    double lr;

    @Mixin
    ModelFlags modelFlags;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seeds initialisation, shuffling and noise; same seed, same weights. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Mixin
    ComputeOptions compute;

    @Option(names = "--out", paramLabel = "M.safetensors", required = true, description = "Where to save the model.")
    Path out;

    @Option(names = "--log", paramLabel = "FILE", description = "Also write the per-epoch JSON lines to this file.")
    Path log;

    @Option(names = "--limit", paramLabel = "N", description = "Train on the first N examples only.")
    Integer limit;

    @Option(names = "--no-progress", description = "Plain status lines instead of a progress bar.")
    boolean noProgress;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        OutputPaths.requireWritableFile(out, "--out");
        if (log != null) OutputPaths.requireWritableFile(log, "--log");
        TrainOptions options = new TrainOptions(epochs, batch, lr, seed);
        modelFlags.check();
        Dataset train = load();
        ModelConfig config = modelFlags.config(train);
        try (Backend backend = compute.open()) {
            err.printf("training %s/%s on %s with backend %s, %d threads%n", config.model(), config.arch(), train, backend.name(), backend.threads());
            err.flush();
            TrainingProgress progress = new TrainingProgress(epochs, spec.commandLine().getOut(), err,
                    !noProgress && TrainingProgress.stderrIsTerminal(), log);
            TrainingRun.Result result = TrainingRun.trainAndSave(data, train, config, options, backend, progress, out);
            err.printf(Locale.ROOT, "saved %s; trained at %.0f examples/s%n", out, result.examplesPerSecond());
        }
        return 0;
    }

    private Dataset load() {
        Dataset all = DataSources.load(data, Split.TRAIN);
        if (limit == null) return all;
        if (limit < 1) throw new NvaeException("--limit " + limit + " must be at least 1");
        return all.first(limit);
    }
}
