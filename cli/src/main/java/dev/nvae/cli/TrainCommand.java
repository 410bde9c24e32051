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
        description = {"Train an N-VAE on a training split and save it as safetensors.",
                "Prints one JSON line per epoch on stdout; progress and messages go to stderr."})
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "D", defaultValue = "fashion-mnist",
            description = "fashion-mnist, testdata, or a directory of IDX files (MNIST layout). Default: ${DEFAULT-VALUE}.")
    String data;

    @Option(names = "--model", paramLabel = "KIND", defaultValue = ModelConfig.NVAE, description = "Model family. Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--arch", paramLabel = "ARCH", defaultValue = ModelConfig.MLP, description = "Network architecture. Default: ${DEFAULT-VALUE}.")
    String arch;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "10", description = "Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "128", description = "Mini-batch size. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--lr", paramLabel = "LR", defaultValue = "1e-3", description = "Adam learning rate. Default: ${DEFAULT-VALUE}.")
    double lr;

    @Option(names = "--ds", paramLabel = "N", defaultValue = "8", description = "Shared latent dimensions. Default: ${DEFAULT-VALUE}.")
    int ds;

    @Option(names = "--dc", paramLabel = "N", defaultValue = "4", description = "Latent dimensions per class. Default: ${DEFAULT-VALUE}.")
    int dc;

    @Option(names = "--beta-c", paramLabel = "B", defaultValue = "1", description = "Weight of the class-latent KL. Default: ${DEFAULT-VALUE}.")
    double betaC;

    @Option(names = "--alpha", paramLabel = "A", defaultValue = "1", description = "Weight of the classifier loss. Default: ${DEFAULT-VALUE}.")
    double alpha;

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
        Dataset train = load();
        // mlp() fixes the reference hidden sizes; the constructor validates --model and --arch.
        ModelConfig mlp = ModelConfig.mlp(train.height(), train.width(), train.numClasses(), ds, dc, betaC, alpha);
        ModelConfig config = new ModelConfig(model, arch, mlp.height(), mlp.width(), mlp.numClasses(),
                mlp.hidden1(), mlp.hidden2(), ds, dc, betaC, alpha);
        try (Backend backend = compute.open()) {
            err.printf("training %s/%s on %s with backend %s, %d threads%n", model, arch, train, backend.name(), backend.threads());
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
