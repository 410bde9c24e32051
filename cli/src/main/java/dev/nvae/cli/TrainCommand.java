package dev.nvae.cli;

import dev.nvae.NvaeException;
import dev.nvae.backend.Backend;
import dev.nvae.model.ModelData;
import dev.nvae.data.DataSources;
import dev.nvae.data.Dataset;
import dev.nvae.data.Split;
import dev.nvae.model.ModelConfig;
import dev.nvae.train.Checkpoint;
import dev.nvae.train.CheckpointStore;
import dev.nvae.train.DataRef;
import dev.nvae.train.NonFinitePolicy;
import dev.nvae.train.TrainOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;

@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train an N-VAE (or a baseline: vae, beta-vae, cvae) on a training split and save it as safetensors.",
                "Prints one JSON line per epoch on stdout; progress and messages go to stderr.",
                "With --checkpoint-dir, a killed run loses at most --checkpoint-every steps;",
                "--resume DIR continues it to the same weights, bit for bit, as an uninterrupted",
                "run (same JDK, backend and --threads)."})
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "D", defaultValue = "fashion-mnist",
            description = "fashion-mnist, testdata, or a directory of IDX files (MNIST layout), NPY arrays "
                    + "(train-images.npy, train-labels.npy, ...) or class sub-folders of PNG/PGM images. Default: ${DEFAULT-VALUE}.")
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

    @Option(names = "--checkpoint-dir", paramLabel = "DIR",
            description = "Write crash-safe checkpoints (weights, Adam state, position, config) into DIR, created if needed.")
    Path checkpointDir;

    @Option(names = "--checkpoint-every", paramLabel = "N",
            description = "Steps between checkpoints; one is always written at the end. Default: once per epoch.")
    Integer checkpointEvery;

    @Option(names = "--keep", paramLabel = "N", defaultValue = "3", description = "Checkpoints to keep. Default: ${DEFAULT-VALUE}.")
    int keep;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the run checkpointed in DIR from its newest valid checkpoint, and keep checkpointing "
                    + "there. Model, data and training settings come from the checkpoint; a flag given with another value is "
                    + "refused, except --epochs (which may extend the run) and a --data that holds the same examples.")
    Path resume;

    @Option(names = "--on-nan", paramLabel = "POLICY", defaultValue = "stop",
            description = "stop: a NaN or Inf in loss, gradients or weights ends training with an error; skip: drop "
                    + "steps with a non-finite loss or gradients (the optimiser step does not advance). Default: ${DEFAULT-VALUE}.")
    String onNan;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        OutputPaths.requireWritableFile(out, "--out");
        if (log != null) OutputPaths.requireWritableFile(log, "--log");
        NonFinitePolicy policy = NonFinitePolicy.parse(onNan);
        Path checkpoints = checkpointDirectory();
        try (CheckpointStore store = checkpoints == null ? null : CheckpointStore.open(checkpoints, keep, w -> warn(err, w))) {
            Checkpoint from = null;
            if (resume != null) {
                from = store.newestValid();
                if (from == null) throw new NvaeException("--resume " + resume + ": no valid checkpoint to resume from");
                adoptSettings(from);
            } else if (store != null && !store.list().isEmpty()) {
                throw new NvaeException("--checkpoint-dir " + checkpointDir + ": already holds checkpoints of another run; "
                        + "continue it with --resume " + checkpointDir + ", or give an empty directory");
            }
            TrainOptions options = new TrainOptions(epochs, batch, lr, seed);
            if (from == null) modelFlags.check();
            Dataset train = load();
            ModelConfig config = from != null ? from.config() : modelFlags.config(train);
            try (Backend backend = compute.open()) {
                if (from != null) {
                    err.printf("resuming from %s: epoch %d, step %d%n", from.path(), from.position().epoch() + 1, from.position().step() + 1);
                }
                err.printf("training %s/%s on %s with backend %s, %d threads%n", config.model(), config.arch(), train, backend.name(), backend.threads());
                err.flush();
                TrainingProgress progress = new TrainingProgress(epochs, spec.commandLine().getOut(), err,
                        !noProgress && TrainingProgress.stderrIsTerminal(), log);
                Checkpoint resumeFrom = from;
                // The trainer sees the data as trained on (fixed-binarized for --binarize static, a pure
                // function of the raw examples), and the fingerprint must describe exactly that.
                DataRef ref = DataRef.of(data, limit, ModelData.forTraining(config, train));
                if (from != null) progress.resumeAfter(from.completed());
                TrainingRun.Result result = TrainingRun.trainAndSave(data, train, config, options, backend, progress, out, trainer -> {
                    trainer.onNonFinite(policy);
                    if (store != null) trainer.checkpoints(store, checkpointEvery == null ? 0 : checkpointEvery, ref);
                    if (resumeFrom != null) trainer.resumeFrom(resumeFrom);
                });
                if (result.skippedSteps() > 0) {
                    err.printf("skipped %d step(s) whose loss or gradients were not finite (--on-nan skip)%n", result.skippedSteps());
                }
                err.printf(Locale.ROOT, "saved %s; trained at %.0f examples/s%n", out, result.examplesPerSecond());
            }
        }
        return 0;
    }

    /** The checkpoint directory: --resume's (where the run goes on), else --checkpoint-dir, else none. */
    private Path checkpointDirectory() {
        if (checkpointEvery != null && checkpointEvery < 1) {
            throw new NvaeException("--checkpoint-every " + checkpointEvery + " must be at least 1");
        }
        if (resume != null) {
            if (checkpointDir != null && !checkpointDir.toAbsolutePath().normalize().equals(resume.toAbsolutePath().normalize())) {
                throw new NvaeException("--checkpoint-dir " + checkpointDir + " differs from --resume " + resume
                        + ": a resumed run keeps checkpointing where it was; give only --resume");
            }
            if (!Files.isDirectory(resume)) throw new NvaeException("--resume " + resume + ": no such directory");
            return resume;
        }
        if (checkpointDir == null && (checkpointEvery != null || matched("--keep"))) {
            throw new NvaeException((checkpointEvery != null ? "--checkpoint-every" : "--keep") + " needs --checkpoint-dir");
        }
        return checkpointDir;
    }

    /**
     * A resumed run is the checkpoint's run: its settings replace the defaults, and a flag the user gave
     * explicitly must agree with them, or the continuation would silently be a different run. Only
     * --epochs may differ (extending a run gives the same weights as training that long from the start),
     * and --data may point elsewhere if it holds the same examples.
     */
    private void adoptSettings(Checkpoint c) {
        ModelConfig cfg = c.config();
        TrainOptions o = c.options();
        String where = c.path().toString();
        // --data may name the same data differently (another path to it, from another directory): what
        // counts is that it loads to the checkpoint's examples, which the fingerprint check verifies.
        if (!matched("--data")) data = c.data().spec();
        limit = agree("--limit", limit, c.data().limit(), where);
        modelFlags.requireAgreement(cfg, where);
        batch = agree("--batch", batch, o.batchSize(), where);
        lr = agree("--lr", lr, o.learningRate(), where);
        seed = agree("--seed", seed, o.seed(), where);
        if (!matched("--epochs")) epochs = o.epochs();
    }

    private <T> T agree(String flag, T given, T stored, String checkpoint) {
        if (!matched(flag)) return stored;
        ModelFlags.requireEqual(flag, given, stored, checkpoint);
        return given;
    }

    private boolean matched(String flag) {
        return spec.commandLine().getParseResult().hasMatchedOption(flag);
    }

    private static void warn(PrintWriter err, String message) {
        err.println("warning: " + message);
        err.flush();
    }

    private Dataset load() {
        Dataset all = DataSources.load(data, Split.TRAIN);
        if (limit == null) return all;
        if (limit < 1) throw new NvaeException("--limit " + limit + " must be at least 1");
        return all.first(limit);
    }
}
