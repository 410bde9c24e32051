package dev.nvae.cli;

import dev.nvae.NvaeException;
import dev.nvae.backend.Backend;
import dev.nvae.backend.CpuFeatures;
import dev.nvae.backend.Precision;
import dev.nvae.backend.Processors;
import dev.nvae.model.ModelData;
import dev.nvae.data.DataSources;
import dev.nvae.data.Dataset;
import dev.nvae.data.Split;
import dev.nvae.io.SafeTensors;
import dev.nvae.io.StoredDtype;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.ModelFile;
import dev.nvae.train.BatchOrder;
import dev.nvae.train.ResumedBackend;
import dev.nvae.train.Checkpoint;
import dev.nvae.train.CheckpointSchedule;
import dev.nvae.train.CheckpointStore;
import dev.nvae.train.DataRef;
import dev.nvae.train.NonFinitePolicy;
import dev.nvae.train.TrainOptions;
import dev.nvae.train.TrainingFootprint;
import dev.nvae.io.OutputTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;

@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train an N-VAE or a baseline model and save it as safetensors.",
                "Trains on the training split of --data: an N-VAE, or a baseline (vae, beta-vae, cvae) by --model. "
                        + "An N-VAE learns from examples without a label too (--labels-per-class, --labels-fraction, or "
                        + "data that leaves some unlabelled), and finds clusters with none (--labels none --clusters K).",
                "Prints one JSON line per epoch on stdout; progress and messages go to stderr.",
                "With --checkpoint-dir, a killed run loses at most --checkpoint-every steps; --resume DIR continues it "
                        + "to the same weights, bit for bit, as an uninterrupted run (same JDK, backend and --threads)."})
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "D", defaultValue = "fashion-mnist",
            description = "Training data: fashion-mnist, testdata, or a directory of IDX files (MNIST layout), NPY arrays "
                    + "(train-images.npy, train-labels.npy, ...) or class sub-folders of PNG/PGM images. Default: ${DEFAULT-VALUE}.")
    String data;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "10",
            description = "Passes over the training examples (with mixed labelled and unlabelled batches, over the part "
                    + "that takes more steps). Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "128", description = "Mini-batch size. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--lr", paramLabel = "LR", defaultValue = "1e-3", description = "Adam learning rate. Default: ${DEFAULT-VALUE}.")
    double lr;

    @Mixin
    ModelFlags modelFlags;

    @Mixin
    LabelOptions labelOptions;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seeds initialisation, shuffling and noise; same seed, same weights. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Mixin
    ComputeOptions compute;

    @Option(names = "--out", paramLabel = "M.safetensors", required = true, description = "Where to save the model.")
    Path out;

    @Option(names = "--save-dtype", paramLabel = "T", defaultValue = "fp32",
            description = "How --out stores the weights: fp32, or bf16 (half the size, rounded to nearest even; for "
                    + "inference — checkpoints stay fp32, and training resumes only from them). Default: ${DEFAULT-VALUE}.")
    String saveDtype;

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
            description = "Steps between checkpoints; one is always written at the end. Default: once per epoch "
                    + "(with --resume: as the resumed run had it).")
    Integer checkpointEvery;

    @Option(names = "--keep", paramLabel = "N", defaultValue = "3",
            description = "Checkpoints to keep. Default: ${DEFAULT-VALUE} (with --resume: as the resumed run had it).")
    int keep;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the run checkpointed in DIR from its newest valid checkpoint, and keep checkpointing "
                    + "there. Model, data, training settings (--precision too), the checkpoint schedule and the backend come "
                    + "from the checkpoint, and so do the threads on oneDNN (whose sums can depend on them); a flag given with "
                    + "another value is refused, except --epochs (which may extend the run), --checkpoint-every and --keep (a new "
                    + "schedule), a --data that holds the same examples, and --backend and --threads (which may give other "
                    + "weights, with a warning).")
    Path resume;

    @Option(names = "--on-nan", paramLabel = "POLICY", defaultValue = "stop",
            description = "stop: a NaN or Inf in loss, gradients or weights ends training with an error; skip: drop "
                    + "steps with a non-finite loss or gradients (the optimiser step does not advance). Default: ${DEFAULT-VALUE}.")
    String onNan;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        OutputPaths.requireFileName(spec, "--out", "train writes the model to one file");
        OutputPaths.requireFileName(spec, "--log", "the log is one file");
        NonFinitePolicy policy = NonFinitePolicy.parse(onNan);
        StoredDtype dtype = StoredDtype.parse("--save-dtype", saveDtype);
        compute.precision();  // a bad --precision fails before any data is read
        Path checkpoints = checkpointDirectory();
        checkOutputs(checkpoints);
        // Whatever can refuse the run is decided from a look at the directory that reads and creates nothing;
        // only an accepted run creates the directory and its lock file, so a refused one leaves it as it was.
        if (checkpoints != null) naming(checkpoints, () -> {
            CheckpointStore.requireNotInUse(checkpoints);
            return null;
        });
        Start start = start(checkpoints, checkpoints == null ? null : CheckpointStore.look(checkpoints));
        requireResources(start);
        try (CheckpointStore store = checkpoints == null ? null : naming(checkpoints, () -> CheckpointStore.open(checkpoints, keep, w -> warn(err, w)))) {
            if (store != null) {
                Interruption.noteOnInterrupt(() -> store.list().isEmpty() ? null
                        : "the checkpoints in " + checkpoints + " are kept: nvae train --resume " + checkpoints + " goes on");
                // Under the lock: what the look saw, unless a run ended in between and changed the directory.
                CheckpointStore.Scan scan = store.scan();
                if (!scan.sameFiles(start.scan())) {
                    start = start(checkpoints, scan);
                    requireResources(start);
                }
                store.prepare(scan);
            }
            Checkpoint from = start.from();
            Dataset train = start.train();
            Dataset seen = start.seen();
            ModelConfig config = start.config();
            String resuming = start.resuming();
            TrainOptions options = options();
            try (Backend backend = openBackend(from, err)) {
                if (from != null) {
                    String where = from.position().epoch() == epochs ? "all " + epochs + (epochs == 1 ? " epoch" : " epochs") + " done"
                            : "epoch " + (from.position().epoch() + 1) + ", step " + (from.position().step() + 1);
                    err.printf("resuming from %s: %s%s; checkpoints %s%n", from.path(), where, resuming == null ? "" : resuming,
                            new CheckpointSchedule(checkpointEvery == null ? 0 : checkpointEvery, keep).describe());
                }
                err.printf("training %s/%s on %s with backend %s, %s, %s%n", config.model(), config.arch(), train,
                        backend.name(), Processors.threads(backend.threads()), backend.precision().label());
                warnOfUnseenClasses(err, train, config);
                err.flush();
                TrainingProgress progress = new TrainingProgress(epochs, config.isNvae(), spec.commandLine().getOut(), err,
                        !noProgress && TrainingProgress.stderrIsTerminal(), log);
                // Rewritten after every epoch: a signal leaves the epochs so far, which the line says, not "written in full".
                if (log != null && OutputTarget.of(log) instanceof OutputTarget.RegularFile) Interruption.growing(log, progress::logHolds);
                Checkpoint resumeFrom = from;
                // The trainer sees the data as trained on (fixed-binarized for --binarize static, a pure
                // function of the raw examples), and the fingerprint must describe exactly that.
                DataRef ref = DataRef.of(data, limit, labelOptions.describe(train), seen);
                if (from != null) progress.resumeAfter(from.completed());
                TrainingRun.Result result = TrainingRun.trainAndSave(data, train, seen, config, options, backend, progress, out, dtype, trainer -> {
                    trainer.onNonFinite(policy);
                    if (store != null) trainer.checkpoints(store, checkpointEvery == null ? 0 : checkpointEvery, ref);
                    if (resumeFrom != null) trainer.resumeFrom(resumeFrom);
                });
                if (result.skippedSteps() > 0) {
                    err.printf("skipped %d step(s) whose loss or gradients were not finite (--on-nan skip)%n", result.skippedSteps());
                }
                if (from != null && from.position().epoch() == epochs) {
                    progress.logFinishedRun();
                    // Nothing was trained: the rate would be the checkpoint's last epoch's, printed as this run's.
                    err.printf(Locale.ROOT, "saved %s: the run had finished its %d %s; nothing more was trained (--epochs N to go on)%n",
                            out, epochs, epochs == 1 ? "epoch" : "epochs");
                } else {
                    err.printf(Locale.ROOT, "saved %s; trained at %.0f examples/s%n", out, result.examplesPerSecond());
                }
            }
        }
        return 0;
    }

    /**
     * How the run starts: from which checkpoint (null: from scratch), on what data, with what model. {@code seen}
     * is the data as the model trains on it ({@link ModelData#forTraining}), prepared once: with --binarize static it
     * is a binarized copy of the whole split, which the checks, the checkpoints' fingerprint and the trainer share.
     */
    private record Start(CheckpointStore.Scan scan, Checkpoint from, Dataset train, Dataset seen, ModelConfig config, String resuming) {
    }

    /**
     * Accepts or refuses the run given what {@code scan} found in the checkpoint directory (null: none):
     * --resume needs a valid checkpoint, whose settings it adopts; --checkpoint-dir takes an empty directory,
     * or one of the same run (same settings and data), which goes on from its newest checkpoint.
     */
    private Start start(Path checkpoints, CheckpointStore.Scan scan) {
        if (resume != null) {
            Checkpoint from = scan.newest();
            if (from == null) throw new NvaeException("--resume " + resume + ": no valid checkpoint to resume from" + firstReason(scan));
            adoptSettings(from);
            checkOutputs(checkpoints); // --data may have come from the checkpoint
            // Refused here, in one line, rather than by the trainer after the run was announced.
            if (epochs < from.position().epoch()) {
                throw new NvaeException("--epochs " + epochs + ": the run in " + resume + " has finished " + from.position().epoch()
                        + " epochs already; give --epochs " + from.position().epoch() + " or more");
            }
            Dataset train = load(from.config().model());
            Dataset seen = ModelData.forTraining(from.config(), train);
            if (!from.data().matches(seen)) {
                throw new NvaeException("--data " + data + " holds other examples than the run in " + resume + " (" + from.dataDiffers(seen) + ")");
            }
            return new Start(scan, from, train, seen, from.config(), null);
        }
        modelFlags.check(labelOptions.labelFree());
        labelOptions.check();
        Dataset train = load(modelFlags.model);
        ModelConfig config = modelFlags.config(train, labelOptions.labelFree());
        Dataset seen = ModelData.forTraining(config, train);
        if (scan != null && scan.newest() != null) {
            // The same command started again (a supervisor's restart, a spot instance back): the
            // same run, which goes on from where it was; anything else is another run's directory.
            Checkpoint from = scan.newest();
            List<String> differences = differences(from, config, seen);
            if (!differences.isEmpty()) {
                throw new NvaeException("--checkpoint-dir " + checkpointDir + " holds checkpoints of another run ("
                        + String.join("; ", differences) + "): continue that run with --resume " + checkpointDir
                        + ", or give an empty directory");
            }
            return new Start(scan, from, train, seen, config, " (the same run: its settings and data match)");
        }
        if (scan != null && !scan.damaged().isEmpty()) {
            throw new NvaeException("--checkpoint-dir " + checkpointDir + " holds checkpoints, but none is valid"
                    + firstReason(scan) + "; give an empty directory");
        }
        return new Start(scan, null, train, seen, config, null);
    }

    /**
     * A mixed batch holds at least one labelled and one unlabelled example. Where the share is the default, the
     * refusal is --batch's: the user gave no --labelled-share to blame.
     */
    private void requireRoomForBothKinds() {
        try {
            BatchOrder.labelledPerBatch(batch, options().share());
        } catch (NvaeException e) {
            if (labelOptions.share != null) throw e;
            throw new NvaeException("--batch " + batch + " is too small for data with unlabelled examples: a batch mixes at least one "
                    + "labelled and one unlabelled example (half and half by default, --labelled-share), so --batch 2 or more");
        }
    }

    /** What the machine must offer the run; refused before the backend opens and the run is announced. */
    private void requireResources(Start start) {
        if (TrainingFootprint.mixesBatches(start.config(), start.train())) requireRoomForBothKinds();
        requireMemory(start.config(), start.train());
    }

    /** Training's memory off the heap (TrainingFootprint), checked before any of it is allocated. */
    private void requireMemory(ModelConfig c, Dataset train) {
        TrainingFootprint need = TrainingFootprint.of(c, train, batch);
        MemoryChecks.requireNative(need.bytes(), String.format(Locale.ROOT,
                "%s: training a model of %,d parameters in batches of %d", sizeFlags(c), need.parameters(), need.rows()));
    }

    /** Every flag that sizes the model, since any of them may be the one that asks too much. */
    private static String sizeFlags(ModelConfig c) {
        String flags = (c.isConv() ? "--channels " + ModelFlags.shown(c.convChannels()) + " " : "") + "--hidden " + hidden(c);
        return flags + (c.isNvae() ? " --ds " + c.ds() + " --dc " + c.dc() : " --dz " + c.ds());
    }

    /**
     * --out and --log: never the data or a file the checkpoint store manages, never each other, and not
     * standard output, which carries the epochs' JSON lines.
     */
    private void checkOutputs(Path checkpoints) {
        OutputPaths.Inputs inputs = OutputPaths.inputs().data("--data", data);
        if (checkpoints != null) inputs.checkpoints(resume != null ? "--resume" : "--checkpoint-dir", checkpoints);
        // A checkpoint directory in the data would change it: in an image folder it is another class, and the run
        // could not be resumed (nor the data read) any more.
        if (checkpoints != null && DataSources.encloses(data, checkpoints)) {
            throw new NvaeException((resume != null ? "--resume " : "--checkpoint-dir ") + checkpoints + " lies inside the dataset "
                    + data + " (--data); checkpoints written there would change the input: give a directory outside it");
        }
        requireNotAboveCheckpoints("--out", out, checkpoints);
        requireNotAboveCheckpoints("--log", log, checkpoints);
        String stdout = "the JSON line of each epoch";
        OutputTarget model = OutputPaths.file(out, "--out", inputs, stdout, null);
        OutputFormats.require(out, "--out", OutputFormats.SAFETENSORS, "train");
        if (log == null) return;
        OutputTarget logged = OutputPaths.file(log, "--log", inputs, stdout, null);
        OutputFormats.require(log, "--log", OutputFormats.JSON, "train --log");
        if (model instanceof OutputTarget.RegularFile m && logged instanceof OutputTarget.RegularFile l && sameFile(m.file(), l.file())) {
            throw new NvaeException("--log " + log + " is the same file as --out " + out + ": give each its own name");
        }
    }

    /**
     * The store makes the checkpoint directory before the first step, so a file to be written at its path or
     * above it could not be written at the end: the run trained, then failed on 'is a directory'.
     */
    private void requireNotAboveCheckpoints(String flag, Path file, Path checkpoints) {
        if (file == null || checkpoints == null || file.toString().equals("-")) return;
        if (checkpoints.toAbsolutePath().normalize().startsWith(file.toAbsolutePath().normalize())) {
            throw new NvaeException(flag + " " + file + " is where the checkpoint directory " + checkpoints + " goes ("
                    + (resume != null ? "--resume" : "--checkpoint-dir") + "): give the file another name");
        }
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return a.equals(b) || (Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /**
     * What makes this command's run another than the checkpoint's, flag by flag ("--lr 0.01 here, 0.001
     * there"); empty when they are the same run. --epochs may differ (a longer run goes on through the
     * same first epochs), and --data may name the same examples another way.
     */
    private List<String> differences(Checkpoint c, ModelConfig config, Dataset trained) {
        List<String> d = new ArrayList<>();
        ModelConfig s = c.config();
        TrainOptions o = c.options();
        differ(d, "--model", config.model(), s.model());
        differ(d, "--arch", config.arch(), s.arch());
        differ(d, "--hidden", hidden(config), hidden(s));
        differ(d, "--channels", config.convChannels(), s.convChannels());
        differ(d, config.isNvae() ? "--ds" : "--dz", config.ds(), s.ds());
        differ(d, "--dc", config.dc(), s.dc());
        differ(d, "--beta-c", config.betaC(), s.betaC());
        differ(d, "--alpha", config.alpha(), s.alpha());
        differ(d, "--beta", config.beta(), s.beta());
        differ(d, "--likelihood", config.likelihood(), s.likelihood());
        differ(d, "--sigma-x", config.sigmaX(), s.sigmaX());
        differ(d, "--binarize", config.binarize(), s.binarize());
        differ(d, "--y-kl", config.yKl(), s.yKl());
        differ(d, "--balance", config.balance(), s.balance());
        // A label-free run's classes are its clusters, named in the data it trains on: other --clusters, other names.
        boolean otherClusters = config.labelFree() && s.labelFree() && config.numClasses() != s.numClasses();
        if (otherClusters) differ(d, "--clusters", config.numClasses(), s.numClasses());
        differ(d, "--batch", batch, o.batchSize());
        differ(d, "--lr", lr, o.learningRate());
        differ(d, "--seed", seed, o.seed());
        differ(d, "--precision", compute.precision().label(), c.precision().label());
        differ(d, "--limit", limit, c.data().limit());
        labelOptions.differences(c.data().labels(), (flag, here, there) -> differ(d, flag, here, there));
        differ(d, "--labelled-share", options().share(), o.share());
        if (otherClusters) {
            return d; // the data's fingerprint differs by the clusters' names alone
        } else if (!c.data().matches(trained)) {
            d.add("--data " + data + ": " + c.dataDiffers(trained));
        } else if (config.height() != s.height() || config.width() != s.width() || config.numClasses() != s.numClasses()) {
            d.add("--data " + data + ": other image size or classes");
        }
        // Whatever else the model's settings hold (a setting added later and not listed above) still tells the
        // runs apart, by the setting's name, rather than passing for the same run and failing in the trainer.
        if (d.isEmpty() && !config.equals(s)) d.add("the model's " + config.differencesFrom(s));
        return d;
    }

    private static String hidden(ModelConfig c) {
        return c.hidden2() == 0 ? String.valueOf(c.hidden1()) : c.hidden1() + "," + c.hidden2();
    }

    private static void differ(List<String> d, String flag, Object here, Object there) {
        if (!Objects.equals(here, there)) {
            d.add(flag + " " + (here == null ? "not given" : ModelFlags.shown(here)) + " here, "
                    + (there == null ? "not given" : ModelFlags.shown(there)) + " there");
        }
    }

    private static String firstReason(CheckpointStore.Scan scan) {
        return scan.reasons().isEmpty() ? "" : " (" + scan.reasons().getFirst() + ")";
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
            if (!Files.isDirectory(resume)) {
                throw new NvaeException("--resume " + resume + (!Files.exists(resume) ? ": no such directory"
                        : isModelFile(resume) ? " is a model file, not a checkpoint directory: a run goes on only from the checkpoints "
                                + "that train --checkpoint-dir DIR writes (a model file holds no Adam moments or position)"
                        : " is not a directory: give the checkpoint directory, not a file in it"));
            }
            requireKeep();
            OutputPaths.requireDirectory(resume, "--resume");
            return resume;
        }
        if (checkpointDir == null && (checkpointEvery != null || matched("--keep"))) {
            throw new NvaeException((checkpointEvery != null ? "--checkpoint-every" : "--keep") + " needs --checkpoint-dir");
        }
        if (checkpointDir != null) {
            requireKeep();
            OutputPaths.requireDirectory(checkpointDir, "--checkpoint-dir");
        }
        return checkpointDir;
    }

    private void requireKeep() {
        if (keep < 1) throw new NvaeException("--keep " + keep + " must be at least 1");
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
        // A relative --data is found where the run found it, also from another working directory.
        if (!matched("--data")) data = c.data().specFromHere();
        limit = agree("--limit", limit, c.data().limit(), where);
        labelOptions.adopt(c.data().labels(), where);
        // A run that took the default share was trained with 0.5, whether or not --labelled-share 0.5 is given now.
        if (matched("--labelled-share") && labelOptions.share != o.share()) {
            throw ModelFlags.conflict("--labelled-share", labelOptions.share, o.labelledShare() == null
                    ? "without --labelled-share (the default, " + BatchOrder.DEFAULT_LABELLED_SHARE + ")"
                    : "with --labelled-share " + o.labelledShare(), where);
        }
        if (!matched("--labelled-share")) labelOptions.share = o.labelledShare();
        modelFlags.requireAgreement(cfg, where);
        batch = agree("--batch", batch, o.batchSize(), where);
        lr = agree("--lr", lr, o.learningRate(), where);
        seed = agree("--seed", seed, o.seed(), where);
        // A bf16 run's checkpoints hold float32 weights like an fp32 run's: the run goes on at the precision it
        // recorded (it went on in fp32, the default, to other weights than the run's own).
        compute.precision = agree("--precision", compute.precision().label(), c.precision().label(), where);
        // Said here, not by the backend: its advice (train at --precision fp32) is what --resume then refuses.
        if (compute.precision() == Precision.BF16 && !CpuFeatures.hasBf16()) {
            throw new NvaeException("--resume " + resume + ": the run trains in bf16 (its checkpoints say so), and this CPU has neither "
                    + String.join(" nor ", CpuFeatures.BF16_FLAGS) + " (see nvae info): go on with it where bf16 training runs, "
                    + "or start a new run at --precision fp32");
        }
        if (!matched("--epochs")) epochs = o.epochs();
        // The schedule goes on as the run set it (a resume must not prune to the default --keep), unless given here.
        c.schedule().ifPresent(schedule -> {
            if (checkpointEvery == null) checkpointEvery = schedule.everySteps() == 0 ? null : schedule.everySteps();
            if (!matched("--keep")) keep = schedule.keep();
        });
    }

    /**
     * What the checkpoint store says of {@code dir} ("DIR: another training run is using this checkpoint directory"),
     * naming the flag that gave it, as every refusal does.
     */
    private <T> T naming(Path dir, java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (NvaeException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith(dir + ":")) throw e;
            throw new NvaeException((resume != null ? "--resume " : "--checkpoint-dir ") + e.getMessage(), e);
        }
    }

    /**
     * The backend to train on: --backend, or on --resume without it the run's own, and on oneDNN without --threads the
     * run's own thread count (ResumedBackend says why, and warns of others).
     */
    private Backend openBackend(Checkpoint from, PrintWriter err) {
        // A run that had finished its epochs computes nothing more: ResumedBackend opens its own backend then.
        return ResumedBackend.open(from, epochs, matched("--backend") ? compute.backend : null, matched("--threads"), (name, threads) -> {
            compute.backend = name;
            if (threads != null) compute.threads = threads;
            return compute.openForTraining();
        }, w -> warn(err, w), reason -> reason, recorded -> "--backend " + recorded + " keeps them", n -> "--threads " + n + " keeps them");
    }

    private <T> T agree(String flag, T given, T stored, String checkpoint) {
        if (!matched(flag)) return stored;
        ModelFlags.requireEqual(flag, given, stored, checkpoint);
        return given;
    }

    private boolean matched(String flag) {
        return spec.commandLine().getParseResult().hasMatchedOption(flag);
    }

    /** Whether the file is a model file (of either dtype) that 'nvae train' or 'nvae export' wrote, not a checkpoint. */
    private static boolean isModelFile(Path file) {
        try {
            return ModelFile.FORMAT.equals(SafeTensors.read(file).metadata().get("format"));
        } catch (NvaeException unreadable) {
            return false;
        }
    }

    /**
     * A class with no labelled training example (named by classes.txt, or a label only the test split holds) gets a
     * latent block and a decoder input that training never touches: its samples are noise and q(y|x) never picks it.
     */
    private void warnOfUnseenClasses(PrintWriter err, Dataset train, ModelConfig config) {
        if (!config.isConditional() || config.labelFree() || train.labelledCount() == 0) return;
        int[] counts = train.classCounts();
        List<String> unseen = new ArrayList<>();
        for (int k = 0; k < counts.length; k++) if (counts[k] == 0) unseen.add(train.classNames().get(k));
        if (unseen.isEmpty()) return;
        boolean one = unseen.size() == 1;
        // The first few by name: a stray label of 255 in an int64 file listed 253 classes on one line.
        String shown = unseen.size() <= UNSEEN_SHOWN ? String.join(", ", unseen)
                : String.join(", ", unseen.subList(0, UNSEEN_SHOWN)) + " and " + (unseen.size() - UNSEEN_SHOWN) + " more";
        // 255 is "no label" in uint8 label files only; in int64 and int32 ones it is a class, and -1 is "no label".
        boolean stray255 = counts.length == 256 && counts[255] > 0 && unseen.size() > 128;
        warn(err, (one ? "class " : "classes ") + shown + " of --data " + data + (one ? " has" : " have")
                + " no labelled example in the training split" + (limit == null ? "" : "'s first --limit " + limit)
                + ": the model learns nothing of " + (one ? "it" : "them") + "; " + (one ? "its" : "their") + " samples are noise"
                + (config.hasClassifier() ? " and q(y|x) never predicts " + (one ? "it" : "them") : "")
                + (stray255 ? " (" + counts[255] + (counts[255] == 1 ? " example is" : " examples are") + " labelled 255: if that means \"no label\", write -1 in an int64 or int32"
                        + " label file; 255 means it in a uint8 one only)" : ""));
    }

    /** How many classes without an example the warning names before it counts the rest. */
    private static final int UNSEEN_SHOWN = 10;

    private static void warn(PrintWriter err, String message) {
        err.println("warning: " + message);
        err.flush();
    }

    /** The training split as a {@code model} run sees it: the first --limit examples, with the labels it keeps (LabelOptions). */
    private Dataset load(String model) {
        // An empty split is refused before the run is announced, naming the data (the trainer's own check named neither).
        Dataset all = DataOptions.load(data, Split.TRAIN);
        if (limit != null && limit < 1) throw new NvaeException("--limit " + limit + " must be at least 1");
        Dataset train = labelOptions.apply(limit == null ? all : all.first(limit), seed, model,
                limit == null || limit >= all.count() ? all.name() : "the first --limit " + limit + " of " + all.name());
        // With --labels none its classes are the --clusters, at least 2; a vae or beta-vae may have none (0).
        if (train.numClasses() < 2 && !(train.numClasses() == 0 && ModelConfig.readsNoLabel(model))) {
            throw new NvaeException("--data " + data + ": the training split has " + train.numClasses() + " class; a model needs at least 2 "
                    + "(the labels, or classes.txt, say how many there are)");
        }
        return train;
    }

    private TrainOptions options() {
        return new TrainOptions(epochs, batch, lr, seed, labelOptions.share);
    }
}
