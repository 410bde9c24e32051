package dev.nvae.api;

import dev.nvae.NvaeException;
import dev.nvae.backend.Backend;
import dev.nvae.backend.Backends;
import dev.nvae.backend.Precision;
import dev.nvae.model.ModelData;
import dev.nvae.data.DataSources;
import dev.nvae.data.Dataset;
import dev.nvae.data.RecordedLabels;
import dev.nvae.data.Split;
import dev.nvae.io.ByteSizes;
import dev.nvae.io.DirectoryProbe;
import dev.nvae.io.OutputTarget;
import dev.nvae.io.Staging;
import dev.nvae.model.BatchLoss;
import dev.nvae.model.LatentModel;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.ModelFile;
import dev.nvae.tensor.MemoryLimits;
import dev.nvae.train.Checkpoint;
import dev.nvae.train.CheckpointSchedule;
import dev.nvae.train.CheckpointStore;
import dev.nvae.train.DataRef;
import dev.nvae.train.EpochSummary;
import dev.nvae.train.ResumedBackend;
import dev.nvae.train.TrainOptions;
import dev.nvae.train.TrainingFootprint;
import dev.nvae.train.Trainer;
import dev.nvae.train.TrainingRecord;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Trains a model and writes it as a model file that {@link NvaeModel#open} (and every {@code nvae} command)
 * reads — what {@code nvae train} does, with the same defaults:
 *
 * <pre>{@code
 * List<EpochReport> epochs = Training.on("fashion-mnist").epochs(10).seed(0)
 *         .checkpoints(Path.of("ckpt"), 500, 3)
 *         .listener(new TrainingListener() {
 *             public void onEpoch(EpochReport e) { System.out.println(e); }
 *         })
 *         .run(Path.of("fm.safetensors"));
 * }</pre>
 *
 * <p>The run is a function of the data, the settings and the seed: the same ones give the same file, bit for
 * bit. With {@link #checkpoints} a killed run loses at most the steps since its last checkpoint, and
 * {@link #resume} continues it to the weights an uninterrupted run ends with.
 *
 * <p>A {@code Training} is a builder for one run, used by one thread; it owns nothing until {@link #run},
 * which opens and closes its backend, model and checkpoint directory itself. A setter given a value out of its
 * range throws {@link InvalidRequestException} naming the setting; one that a resumed run's checkpoint decides
 * (its model, data and settings, or another checkpoint directory) throws {@link IllegalStateException}: the call
 * does not fit the builder's state, whatever the value.
 */
public final class Training {
    private static final System.Logger LOG = System.getLogger("dev.nvae");

    private final String data;        // null when resuming: the checkpoint names it
    private final Path resumeFrom;    // null unless resuming
    private String family = ModelConfig.NVAE;
    private String architecture = ModelConfig.MLP;
    private Integer sharedDims, classDims, latentDims;
    private Double betaC, alpha, beta;
    private Integer epochs;
    private int batchSize = 128;
    private double learningRate = 1e-3;
    private long seed;
    private Integer limit;
    private ComputeBackend backend = ComputeBackend.AUTO;
    private boolean backendSet;       // backend() was called: a resumed run computes on that, not the run's own
    private boolean threadsSet;       // threads() was called: a resumed run on oneDNN computes with those, not the run's own
    private int threads = Runtime.getRuntime().availableProcessors();
    private Path checkpointDir;
    private int checkpointEvery, keep = CheckpointSchedule.DEFAULT_KEEP;
    private TrainingListener listener = new TrainingListener() {
    };

    private Training(String data, Path resumeFrom) {
        this.data = data;
        this.resumeFrom = resumeFrom;
    }

    /**
     * A run on the training split of {@code data}: {@code fashion-mnist} (the Debian package's files),
     * {@code testdata} (the subset in nvae's repository), or a directory of IDX files, NPY arrays or class
     * sub-folders of PNG/PGM images — what {@code nvae train --data} takes. Examples the data leaves without a label
     * (IDX label 255, NPY −1, images under {@code unlabelled/}) train an nvae semi-supervised, as {@code nvae train} does.
     *
     * @param data the data source
     * @return a run with the defaults of {@code nvae train}
     */
    public static Training on(String data) {
        return new Training(Objects.requireNonNull(data, "data"), null);
    }

    /**
     * A run on the training split of the data in {@code directory}; see {@link #on(String)}. The directory is read
     * even where its path is a built-in source's name: {@code Path.of("testdata")} is {@code ./testdata}.
     *
     * @param directory IDX files, NPY arrays or class sub-folders of images
     * @return a run with the defaults of {@code nvae train}
     */
    public static Training on(Path directory) {
        String spec = Objects.requireNonNull(directory, "directory").toString();
        // A path that reads as a built-in source's name ("testdata", "fashion-mnist") would load that source instead.
        if (spec.equals("fashion-mnist") || spec.equals("testdata")) spec = "." + directory.getFileSystem().getSeparator() + spec;
        return on(spec);
    }

    /**
     * Continues the run checkpointed in {@code checkpointDir} from its newest valid checkpoint, checkpointing
     * there on the schedule the run had (its checkpoints record it; one from a build before they did goes on
     * once per epoch, keeping 3), unless {@link #checkpoints} names the same directory with another (as
     * {@code nvae train --resume DIR --checkpoint-every N --keep K} does). Model, data and settings come from
     * the checkpoint, its precision too: a run {@code nvae train --precision bf16} checkpointed goes on in bf16
     * (where the CPU cannot train in bf16, or on a backend other than oneDNN, {@link #run} refuses it as
     * {@code nvae train} does), and so does its backend, the one its checkpoint records, unless {@link #backend}
     * names another (a run that goes on on another backend, named or because the recorded one does not open here,
     * is warned on the {@code dev.nvae} logger that it will not end with the weights, bit for bit, of an
     * uninterrupted run); only {@link #epochs} (to train longer), the checkpoint schedule, the backend,
     * threads and listener may be set.
     * Setting anything else on it throws {@link IllegalStateException}.
     *
     * @param checkpointDir a directory a run with {@link #checkpoints} wrote
     * @return the continued run
     */
    public static Training resume(Path checkpointDir) {
        return new Training(null, Objects.requireNonNull(checkpointDir, "checkpointDir"));
    }

    /**
     * Sets the model family.
     *
     * @param family {@code nvae} (the default), or a baseline: {@code vae}, {@code beta-vae}, {@code cvae}
     * @return this run
     */
    public Training family(String family) {
        fresh("family");
        Objects.requireNonNull(family, "family");
        if (!ModelConfig.MODELS.contains(family)) {
            throw new InvalidRequestException("family", "'" + family + "': expected one of " + String.join(", ", ModelConfig.MODELS));
        }
        this.family = family;
        return this;
    }

    /**
     * Sets the network.
     *
     * @param architecture {@code mlp} (the default: dense 512, 256) or {@code conv} (two 4×4 stride-2 convolutions
     *                     of 32 and 64 channels and a dense 256, mirrored by the decoder; images of sides divisible by 4)
     * @return this run
     */
    public Training architecture(String architecture) {
        fresh("architecture");
        Objects.requireNonNull(architecture, "architecture");
        if (!ModelConfig.ARCHS.contains(architecture)) {
            throw new InvalidRequestException("architecture", "'" + architecture + "': expected one of " + String.join(", ", ModelConfig.ARCHS));
        }
        this.architecture = architecture;
        return this;
    }

    /**
     * An N-VAE's latent sizes.
     *
     * @param shared   dimensions shared by every class (default 8)
     * @param perClass dimensions of each class's own block (default 4)
     * @return this run
     * @throws InvalidRequestException if either is below 1
     */
    public Training latents(int shared, int perClass) {
        fresh("latents");
        atLeastOne("latents", "shared", shared);
        atLeastOne("latents", "perClass", perClass);
        this.sharedDims = shared;
        this.classDims = perClass;
        return this;
    }

    /**
     * A baseline's latent size.
     *
     * @param dims dimensions of its one latent block (default 12, the N-VAE's 8 + 4)
     * @return this run
     * @throws InvalidRequestException if {@code dims} is below 1
     */
    public Training latents(int dims) {
        fresh("latents");
        atLeastOne("latents", "dims", dims);
        this.latentDims = dims;
        return this;
    }

    /**
     * An N-VAE's loss weights.
     *
     * @param betaC weight of the class block's KL (default 1; above 1 collapses unused class dimensions)
     * @param alpha weight of the classifier's loss (default 1, or 10 when some training examples have no label, as
     *              {@code nvae train} weighs it)
     * @return this run
     * @throws InvalidRequestException if either is negative, infinite or NaN
     */
    public Training weights(double betaC, double alpha) {
        fresh("weights");
        finiteWeight("weights", "betaC", betaC);
        finiteWeight("weights", "alpha", alpha);
        this.betaC = betaC;
        this.alpha = alpha;
        return this;
    }

    /**
     * A β-VAE's KL weight.
     *
     * @param beta weight of the KL (default 4)
     * @return this run
     * @throws InvalidRequestException if {@code beta} is negative, infinite or NaN
     */
    public Training beta(double beta) {
        fresh("beta");
        finiteWeight("beta", "beta", beta);
        this.beta = beta;
        return this;
    }

    /**
     * Sets the number of epochs.
     *
     * @param epochs passes over the data (default 10; when resuming, the checkpoint's, or more)
     * @return this run
     * @throws InvalidRequestException if {@code epochs} is below 1
     */
    public Training epochs(int epochs) {
        if (epochs < 1) throw new InvalidRequestException("epochs", epochs + " must be at least 1");
        this.epochs = epochs;
        return this;
    }

    /**
     * Sets the mini-batch size.
     *
     * @param batchSize examples per step (default 128)
     * @return this run
     * @throws InvalidRequestException if {@code batchSize} is below 1
     */
    public Training batchSize(int batchSize) {
        fresh("batchSize");
        if (batchSize < 1) throw new InvalidRequestException("batchSize", batchSize + " must be at least 1");
        this.batchSize = batchSize;
        return this;
    }

    /**
     * Sets the learning rate.
     *
     * @param learningRate Adam's learning rate (default 1e-3)
     * @return this run
     * @throws InvalidRequestException if {@code learningRate} is not a positive number
     */
    public Training learningRate(double learningRate) {
        fresh("learningRate");
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new InvalidRequestException("learningRate", learningRate + " must be a positive number");
        }
        this.learningRate = learningRate;
        return this;
    }

    /**
     * Sets the seed.
     *
     * @param seed fixes initialisation, data order and noise (default 0)
     * @return this run
     */
    public Training seed(long seed) {
        fresh("seed");
        this.seed = seed;
        return this;
    }

    /**
     * Limits the training split to its first examples.
     *
     * @param examples train on the first {@code examples} of the split only
     * @return this run
     */
    public Training limit(int examples) {
        fresh("limit");
        if (examples < 1) throw new InvalidRequestException("limit", examples + " must be at least 1");
        this.limit = examples;
        return this;
    }

    /**
     * Sets the backend. A {@link #resume resumed} run computes on the backend its checkpoint records unless this is
     * called, as {@code nvae train --resume} does without {@code --backend}: another backend sums in another order, so
     * a run that goes on on another (this one, or {@link ComputeBackend#AUTO}'s where the recorded one does not open
     * here) does not end with the weights, bit for bit, of an uninterrupted run — said in a warning on the
     * {@code dev.nvae} logger.
     *
     * @param backend the backend to train on (default {@link ComputeBackend#AUTO}; for a resumed run, the one its
     *                checkpoint records, where it records one)
     * @return this run
     */
    public Training backend(ComputeBackend backend) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.backendSet = true;
        return this;
    }

    /**
     * Sets the threads.
     *
     * @param threads threads that compute (default: the available processors, or for a run resumed on oneDNN, whose sums
     *                can depend on them, the run's own); more than the processors are capped to them, with a warning on
     *                the {@code dev.nvae} logger, as {@code nvae train --threads} is
     * @return this run
     */
    public Training threads(int threads) {
        if (threads < 1) throw new InvalidRequestException("threads", threads + " must be at least 1");
        this.threads = threads;
        this.threadsSet = true;
        return this;
    }

    /**
     * Writes crash-safe checkpoints (weights, optimiser state, position, settings, data fingerprint).
     *
     * @param directory  where, created if needed; it must not hold another run's checkpoints (for a resumed run:
     *                   the directory it resumes from, whose schedule this sets)
     * @param everySteps steps between checkpoints; 0 for one per epoch. One is always written at the end
     * @param keep       how many to keep
     * @return this run
     * @throws InvalidRequestException naming {@code everySteps} or {@code keep} if it is out of range
     * @throws IllegalStateException   on a resumed run, if {@code directory} is not the one it resumes from
     */
    public Training checkpoints(Path directory, int everySteps, int keep) {
        Objects.requireNonNull(directory, "directory");
        // A resumed run checkpoints into the directory it resumes from; only its schedule may be chosen.
        if (resumeFrom != null && !directory.toAbsolutePath().normalize().equals(resumeFrom.toAbsolutePath().normalize())) {
            throw new IllegalStateException("a resumed run checkpoints into " + resumeFrom + ", not " + directory);
        }
        if (everySteps < 0) throw new InvalidRequestException("everySteps", everySteps + " must be 0 (once per epoch) or more");
        if (keep < 1) throw new InvalidRequestException("keep", keep + " must be at least 1");
        this.checkpointDir = directory;
        this.checkpointEvery = everySteps;
        this.keep = keep;
        return this;
    }

    /**
     * Sets the listener.
     *
     * @param listener told of every step, epoch and checkpoint
     * @return this run
     */
    public Training listener(TrainingListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * Trains and writes the model to {@code out} (atomically: no file is left unless training succeeded).
     *
     * @param out the model file to write
     * @return one report per epoch of the run (for a resumed run, its earlier epochs too)
     * @throws ModelException          if the data cannot be read (or has no labelled example, for an nvae), the backend
     *                                 cannot be opened, training diverges (a NaN or infinity), or the file cannot be written
     *                                 (where its directory takes no new file, said before training)
     * @throws InvalidRequestException for a setting out of range; a model and batch size that need more memory than this
     *                                 JVM may use (field {@code model}, before any is allocated); or an {@code out} that is
     *                                 {@code -}, a file of the data or a name the checkpoint directory manages, or the
     *                                 checkpoint directory's path or one above it (field {@code out})
     */
    public List<EpochReport> run(Path out) {
        Objects.requireNonNull(out, "out");
        try {
            return resumeFrom == null ? fresh(out) : resumed(out);
        } catch (NvaeException e) {
            throw new ModelException(ApiMessages.of(e.getMessage()), e);  // worded for the CLI's flags: here they are settings
        }
    }

    /**
     * Before any work, as {@code nvae train} checks {@code --out}: where the file goes must take it (a directory that
     * takes new files, tried; a device or pipe is written as a stream, a link is followed; not '-'), and it must not be a file of the
     * dataset or a name the checkpoint directory manages — training would otherwise end by destroying its own
     * input. What an interrupted run left in that directory (staged files no live process holds) is removed.
     */
    private static void checkOutput(Path out, String dataSpec, Path checkpoints) {
        if (checkpoints != null && DataSources.encloses(dataSpec, checkpoints)) {
            throw new InvalidRequestException("directory", checkpoints + " lies inside the dataset " + dataSpec
                    + "; checkpoints written there would change the input");
        }
        // The store creates its directory before the first step, so a model file at or above it could not be written at the end.
        if (checkpoints != null && checkpoints.toAbsolutePath().normalize().startsWith(out.toAbsolutePath().normalize())) {
            throw new InvalidRequestException("out", out + " is where the checkpoint directory " + checkpoints
                    + " goes; the model file could not be written there: give another name");
        }
        // To nvae's commands '-' is standard output; a library writing a model there would mix it into whatever else the
        // process prints, so it is refused rather than guessed at.
        if (OutputTarget.isStandardOutput(out)) {
            throw new InvalidRequestException("out", "'-' is standard output to nvae's commands, and a model is written to a file: "
                    + "give a file name (./- for a file named '-')");
        }
        if (!(OutputTarget.of(out) instanceof OutputTarget.RegularFile f)) return;
        // A directory that takes no new file (read-only, /proc, a full quota) would lose the run at its end.
        String refusal = DirectoryProbe.refusal(f.directory());
        if (refusal != null) throw new NvaeException(out + ": cannot write: " + refusal);
        if (DataSources.wouldChange(dataSpec, f.file())) {
            throw new InvalidRequestException("out", out + " is part of the dataset " + dataSpec + "; writing it would change the input");
        }
        if (checkpoints != null && CheckpointStore.isManaged(checkpoints, f.file())) {
            throw new InvalidRequestException("out", out + " is a name the checkpoint directory " + checkpoints
                    + " manages; it would be overwritten or pruned");
        }
        Staging.cleanUp(f.directory());
    }

    private List<EpochReport> fresh(Path out) {
        checkOutput(out, data, checkpointDir);
        Dataset train = ModelData.classesFor(family, load(data, limit));
        ModelConfig config = config(train);
        TrainOptions options = new TrainOptions(epochs == null ? 10 : epochs, batchSize, learningRate, seed);
        // Refused from a look that creates nothing, then checked again under the lock.
        if (checkpointDir != null) {
            CheckpointStore.requireNotInUse(checkpointDir);
            CheckpointStore.Scan look = CheckpointStore.look(checkpointDir);
            if (look.newest() != null || !look.damaged().isEmpty()) throw anotherRun();
        }
        try (CheckpointStore store = checkpointDir == null ? null : CheckpointStore.open(checkpointDir, keep, this::warn)) {
            if (store != null && !store.list().isEmpty()) throw anotherRun();
            return train(train, config, options, store, checkpointEvery, null, data, limit, null, out);
        }
    }

    private InvalidRequestException anotherRun() {
        return new InvalidRequestException("checkpoints", checkpointDir + " already holds checkpoints of another run; "
                + "continue it with Training.resume, or give an empty directory");
    }

    private List<EpochReport> resumed(Path out) {
        // Refused from a look that creates nothing (not even the directory), then checked again under the lock.
        CheckpointStore.requireNotInUse(resumeFrom);
        Checkpoint seen = CheckpointStore.look(resumeFrom).newest();
        if (seen == null) throw noCheckpoint();
        // The run's own schedule, unless checkpoints() chose another for this directory.
        CheckpointSchedule schedule = checkpointDir != null ? new CheckpointSchedule(checkpointEvery, keep)
                : seen.schedule().orElse(new CheckpointSchedule(0, CheckpointSchedule.DEFAULT_KEEP));
        try (CheckpointStore store = CheckpointStore.open(resumeFrom, schedule.keep(), this::warn)) {
            Checkpoint c = store.newestValid();
            if (c == null) throw noCheckpoint();
            String spec = c.data().specFromHere(); // a relative data directory found from another working directory too
            checkOutput(out, spec, resumeFrom);
            TrainOptions o = c.options();
            TrainOptions options = new TrainOptions(epochs == null ? o.epochs() : epochs, o.batchSize(), o.learningRate(), o.seed(),
                    o.labelledShare());
            // The labels the run kept (nvae train --labels-per-class, --labels-fraction, --labels none, --drop-unlabelled), chosen again.
            String labels = c.data().labels();
            Dataset kept = RecordedLabels.parse(labels).apply(load(spec, c.data().limit()), o.seed(), ModelConfig::clusterNames);
            Dataset train = c.config().labelFree() ? kept : ModelData.classesFor(c.config().model(), kept);
            return train(train, c.config(), options, store, schedule.everySteps(), c, spec, c.data().limit(), labels, out);
        }
    }

    private InvalidRequestException noCheckpoint() {
        return new InvalidRequestException("resume", resumeFrom + ": no valid checkpoint to resume from");
    }

    private List<EpochReport> train(Dataset data, ModelConfig config, TrainOptions options, CheckpointStore store, int every,
                                    Checkpoint resume, String spec, Integer limit, String labels, Path out) {
        Dataset seen = ModelData.forTraining(config, data);
        requireMemory(config, data, options.batchSize());
        // A new run trains in fp32 (this API has no precision setting); a resumed one at the precision it recorded,
        // or it would end with other weights than the run it continues.
        Precision precision = resume == null ? Precision.FP32 : resume.precision();
        int usable = ModelOptions.usableThreads(threads, "threads", LOG);
        try (Backend be = openBackend(resume, options.epochs(), usable, precision);
             LatentModel model = LatentModel.create(config)) {
            model.initialize(options.seed());
            Trainer trainer = new Trainer(model, be, seen, options, adapter());
            if (store != null) trainer.checkpoints(store, every, DataRef.of(spec, limit, labels, seen));
            if (resume != null) trainer.resumeFrom(resume);
            List<EpochSummary> summaries = trainer.run();
            // What nvae train records beside the weights, the training curve included: the same run, the same file.
            ModelFile.save(model, out, data.classNames(), TrainingRecord.of(spec, data, options, be, summaries, trainer.skippedSteps()));
            return summaries.stream().map(Training::report).toList();
        }
    }

    /**
     * What training holds off the heap (TrainingFootprint), checked before any of it is allocated: a size asking for more
     * than the JVM may hold is refused here rather than ending the JVM half-way through allocating it.
     */
    private static void requireMemory(ModelConfig config, Dataset data, int batchSize) {
        TrainingFootprint need = TrainingFootprint.of(config, data, batchSize);
        long limit = MemoryLimits.offHeap();
        if (need.bytes() > limit) {
            throw new InvalidRequestException("model", String.format(java.util.Locale.ROOT,
                    "training a model of %,d parameters in batches of %d needs %s of memory, more than the %s this JVM may use "
                            + "(-XX:MaxDirectMemorySize, by default -Xmx): give smaller latents, network or batchSize, or the JVM more",
                    need.parameters(), need.rows(), ByteSizes.text(need.bytes()), ByteSizes.text(limit)));
        }
    }

    /**
     * The backend to train on: {@link #backend}'s, or for a resumed run without it the one its checkpoint records
     * (auto's where that does not open here), and on oneDNN without {@link #threads} the run's own thread count, as
     * {@code nvae train --resume} chooses; ResumedBackend warns of others.
     */
    private Backend openBackend(Checkpoint resume, int epochs, int threads, Precision precision) {
        return ResumedBackend.open(resume, epochs, backendSet ? backend.id() : null, threadsSet,
                (name, own) -> Backends.create(name, own != null ? own : threads, precision, Backends.Use.TRAINING, this::warn), this::warn,
                ApiMessages::of,
                recorded -> java.util.Arrays.stream(ComputeBackend.values()).anyMatch(b -> b.id().equals(recorded))
                        ? "backend(ComputeBackend." + ComputeBackend.parse(recorded) + ") keeps them" : "only " + recorded + " keeps them",
                n -> "threads(" + n + ") keeps them");
    }

    private ModelConfig config(Dataset train) {
        boolean nvae = ModelConfig.NVAE.equals(family);
        // As nvae train decides from the data: an nvae needs labelled examples to learn its classes from, and
        // weighs their classifier loss by α 10 when there are unlabelled ones beside them (docs/MODEL.md#6).
        if (nvae && train.labelledCount() == 0) {
            throw new ModelException("data: none of the " + train.count() + " training examples of " + train.name() + " has a label, "
                    + "and an nvae learns its classes from labelled ones; nvae train --labels none trains it without labels, as clusters");
        }
        if (ModelConfig.CVAE.equals(family) && train.labelledCount() == 0) throw new ModelException("data: " + ModelData.cvaeNeedsLabels(train));
        double defaultAlpha = train.fullyLabelled() ? 1.0 : ModelConfig.SEMI_SUPERVISED_ALPHA;
        if (nvae && (latentDims != null || beta != null)) {
            throw new InvalidRequestException(latentDims != null ? "latents" : "beta", "an nvae has shared and per-class latents, and betaC for a weight");
        }
        if (!nvae && (sharedDims != null || betaC != null)) {
            throw new InvalidRequestException(sharedDims != null ? "latents" : "weights", "a " + family + " has one latent block and no classifier");
        }
        if (beta != null && !ModelConfig.BETA_VAE.equals(family)) throw new InvalidRequestException("beta", "applies to a beta-vae only");
        try {
            ModelConfig c = nvae
                    ? ModelConfig.mlp(train.height(), train.width(), train.numClasses(), or(sharedDims, 8), or(classDims, 4), or(betaC, 1.0),
                            or(alpha, defaultAlpha))
                    : ModelConfig.baseline(family, train.height(), train.width(), train.numClasses(), 512, 256, or(latentDims, 12),
                    ModelConfig.BETA_VAE.equals(family) ? or(beta, 4.0) : 1);
            boolean conv = ModelConfig.CONV.equals(architecture);
            return c.withChannels(train.channels())
                    .withArchitecture(architecture, conv ? new int[] {256} : new int[] {512, 256}, ModelConfig.CONV_CHANNELS);
        } catch (ModelConfig.LayerTooWide wide) {
            // Latents given so large that a layer is too wide: ModelConfig names them as the CLI's ds and dc.
            if (sharedDims == null && classDims == null && latentDims == null) throw new InvalidRequestException("model", ApiMessages.of(wide.getMessage()));
            String given = nvae ? "latents(" + or(sharedDims, 8) + ", " + or(classDims, 4) + ")" : "latents(" + or(latentDims, 12) + ")";
            throw new InvalidRequestException("latents", given + " " + wide.reason());
        } catch (NvaeException e) {
            throw new InvalidRequestException("model", ApiMessages.of(e.getMessage()));
        }
    }

    private static Dataset load(String spec, Integer limit) {
        Dataset all = DataSources.load(spec, Split.TRAIN);
        // Refused as such, as nvae train refuses it (not as data without labels, or by the trainer naming no data).
        if (all.count() == 0) throw new ModelException("data " + spec + ": the train split holds no examples");
        return limit == null ? all : all.first(limit);
    }

    /** The library's listener, telling this run's: epochs and steps from 1. */
    private dev.nvae.train.TrainingListener adapter() {
        TrainingListener l = listener;
        return new dev.nvae.train.TrainingListener() {
            @Override
            public void onStep(int epoch, int step, int stepsPerEpoch, BatchLoss epochSoFar, double examplesPerSecond) {
                l.onStep(epoch + 1, step + 1, stepsPerEpoch, epochSoFar.meanTotal(), examplesPerSecond);
            }

            @Override
            public void onEpoch(EpochSummary summary) {
                l.onEpoch(report(summary));
            }

            @Override
            public void onCheckpoint(Path file) {
                l.onCheckpoint(file);
            }
        };
    }

    private static EpochReport report(EpochSummary s) {
        return new EpochReport(s.epoch(), s.epochs(), s.examples(), s.loss(), s.rec(), s.klS(), s.klC(), s.ce(), s.accuracy(),
                s.seconds(), s.examplesPerSecond());
    }

    private void fresh(String setting) {
        if (resumeFrom != null) {
            throw new IllegalStateException(setting + " of a resumed run comes from its checkpoint; only epochs, the checkpoint schedule, backend, threads and listener may be set");
        }
    }

    /** As ModelConfig refuses it at run(), but when set, naming the setting (run() named the field "model"). */
    private static void atLeastOne(String setting, String name, int dims) {
        if (dims < 1) throw new InvalidRequestException(setting, name + " " + dims + " must be at least 1");
    }

    private static void finiteWeight(String setting, String name, double weight) {
        if (!(weight >= 0) || !Double.isFinite(weight)) {
            // The setting's own value ("beta: -1.0"), or one of its values named ("weights: betaC -1.0").
            throw new InvalidRequestException(setting, (name.equals(setting) ? "" : name + " ") + weight + " must be a finite number >= 0");
        }
    }

    private void warn(String message) {
        LOG.log(System.Logger.Level.WARNING, message);
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
