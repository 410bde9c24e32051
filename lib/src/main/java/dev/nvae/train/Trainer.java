package dev.nvae.train;

import dev.nvae.NvaeException;
import dev.nvae.backend.AdoptedWeights;
import dev.nvae.backend.Backend;
import dev.nvae.backend.DeviceTraining;
import dev.nvae.data.Dataset;
import dev.nvae.kernels.ParallelElementwise;
import dev.nvae.model.BatchLoss;
import dev.nvae.model.Trainable;
import dev.nvae.model.Workspace;
import dev.nvae.optim.Adam;
import dev.nvae.random.Rng;
import dev.nvae.tensor.Tensor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Mini-batch training with Adam. The examples of every step come from {@link BatchOrder} (for labelled
 * data: a permutation per epoch drawn from stream (seed, e)) and the noise of step s from stream
 * (seed, e, s), so a run is a pure function of seed, data and thread count — and, because our kernels
 * never split a reduction across threads, of seed and data alone.
 */
public final class Trainer {
    private final Trainable model;
    private final Backend backend;
    private final Dataset data;
    private final TrainOptions options;
    private final TrainingListener listener;
    private final BatchOrder batches;
    private CheckpointStore checkpoints;   // null: none
    private int checkpointEvery;           // steps; 0: once per epoch
    private DataRef dataRef;
    private Checkpoint resume;             // null: start from the model's current weights
    private NonFinitePolicy onNonFinite = NonFinitePolicy.STOP;
    private long skipped;
    private int updatedEpoch, updatedStep;  // the step of the last update queued on a device, for its later check

    public Trainer(Trainable model, Backend backend, Dataset data, TrainOptions options, TrainingListener listener) {
        if (data.dim() != model.inputDim()) {
            throw new NvaeException("data has " + data.dim() + " values per example but the model expects " + model.inputDim());
        }
        if (data.numClasses() > model.numClasses()) {
            throw new NvaeException("data has " + data.numClasses() + " classes but the model has " + model.numClasses());
        }
        if (data.count() == 0) throw new NvaeException("--data: no training examples");
        if (!data.fullyLabelled() && !model.learnsFromUnlabelled()) {
            throw new NvaeException("--data: " + (data.count() - data.labelledCount()) + " of " + data.count()
                    + " training examples have no label, and this model needs a label for every example");
        }
        this.batches = new BatchOrder(data, options.batchSize(), options.share(), options.seed(), model.readsLabels());
        this.model = model;
        this.backend = backend;
        this.data = data;
        this.options = options;
        this.listener = listener;
    }

    /**
     * Writes a checkpoint to {@code store} every {@code everySteps} steps (0: at the end of every epoch)
     * and at the end of training. {@code data} is recorded so a resume can reload and verify the data.
     */
    public Trainer checkpoints(CheckpointStore store, int everySteps, DataRef data) {
        if (everySteps < 0) throw new NvaeException("--checkpoint-every " + everySteps + " must be at least 1");
        if (!data.matches(this.data)) throw new IllegalArgumentException("data reference does not describe the training data");
        this.checkpoints = store;
        this.checkpointEvery = everySteps;
        this.dataRef = data;
        return this;
    }

    /**
     * Continues the run of {@code c} instead of starting at step 0: weights, Adam moments and step
     * count, position and loss sums come from the checkpoint. Refuses a model config, batch size,
     * learning rate, seed, precision or data that differ from the checkpoint's, since the continuation would
     * then be a different run; the number of epochs may change as long as it is not already behind.
     */
    public Trainer resumeFrom(Checkpoint c) {
        Path file = c.path();
        if (!c.config().equals(model.config())) {
            throw new NvaeException(file + ": checkpoint is of another model (" + model.config().differencesFrom(c.config()) + ")");
        }
        TrainOptions o = c.options();
        if (o.batchSize() != options.batchSize() || o.learningRate() != options.learningRate() || o.seed() != options.seed()) {
            throw new NvaeException(file + ": checkpoint was trained with --batch " + o.batchSize() + " --lr " + o.learningRate()
                    + " --seed " + o.seed() + ", not --batch " + options.batchSize() + " --lr " + options.learningRate()
                    + " --seed " + options.seed());
        }
        // bf16 products round differently: continued at another precision, the run would end with other weights.
        if (c.precision() != backend.precision()) {
            throw new NvaeException(file + ": checkpoint was trained at --precision " + c.precision().label() + ", not "
                    + backend.precision().label());
        }
        if (batches.mixed() && o.share() != options.share()) {
            throw new NvaeException(file + ": checkpoint was trained with --labelled-share " + o.share() + ", not " + options.share());
        }
        if (c.position().epoch() > options.epochs()) {
            throw new NvaeException(file + ": checkpoint has already finished " + c.position().epoch() + " epochs; --epochs "
                    + options.epochs() + " is fewer");
        }
        if (!c.data().matches(data)) {
            throw new NvaeException(file + ": checkpoint was trained on other data than --data gives now (" + c.dataDiffers(data) + ")");
        }
        if (c.position().stepsPerEpoch() != stepsPerEpoch()) {
            throw new NvaeException(file + ": checkpoint has " + c.position().stepsPerEpoch() + " steps per epoch, this run "
                    + stepsPerEpoch());
        }
        this.resume = c;
        return this;
    }

    public Trainer onNonFinite(NonFinitePolicy policy) {
        this.onNonFinite = policy;
        return this;
    }

    /** Steps dropped under {@link NonFinitePolicy#SKIP} so far, including those before a resume. */
    public long skippedSteps() {
        return skipped;
    }

    private int stepsPerEpoch() {
        return batches.stepsPerEpoch();
    }

    public List<EpochSummary> run() {
        List<EpochSummary> summaries = new ArrayList<>();
        // The backend's hold on the weights: at bf16, their copies, made again after every update.
        try (Workspace ws = model.workspace(batches.capacity(), !data.fullyLabelled());
             Adam adam = new Adam(model.params(), model.grads(), options.learningRate());
             AdoptedWeights weights = backend.adoptWeights(model.params())) {
            int firstEpoch = 0, firstStep = 0;
            if (resume != null) {
                resume.restore(model.params(), adam);
                weights.changed();
                firstEpoch = resume.position().epoch();
                firstStep = resume.position().step();
                skipped = resume.position().skipped();
                summaries.addAll(resume.completed());
            }
            // On a backend with its own memory (cuda) the gradients, moments and updates stay there: the host's
            // parameters and moments are made current at every epoch end, before every checkpoint, and when a
            // run stops early (a divergence, a listener's exception), as the CPU backends leave them.
            try (DeviceTraining device = backend.deviceTraining(model.params(), model.grads(), adam.firstMoment(), adam.secondMoment())) {
                try {
                    epochs(ws, adam, weights, device, firstEpoch, firstStep, summaries);
                } catch (RuntimeException | Error e) {
                    if (device != null) fetchAfter(device, e);
                    throw e;
                }
            }
        }
        return summaries;
    }

    /** The epochs from {@code firstEpoch} (its steps from {@code firstStep}), appending each one's summary. */
    private void epochs(Workspace ws, Adam adam, AdoptedWeights weights, DeviceTraining device, int firstEpoch, int firstStep,
                        List<EpochSummary> summaries) {
        int steps = batches.stepsPerEpoch();
        int[] indices = new int[batches.capacity()];
        BatchLoss stepLoss = new BatchLoss();
        BatchLoss epochLoss = new BatchLoss();
        ParallelElementwise parallel = new ParallelElementwise(backend.workers());
        for (int epoch = firstEpoch; epoch < options.epochs(); epoch++) {
            int first = epoch == firstEpoch ? firstStep : 0;
            epochLoss.clear();
            if (first > 0) resume.epochLossInto(epochLoss);
            long examplesBefore = epochLoss.count; // throughput counts this process's work only
            long start = System.nanoTime();
            for (int step = first; step < steps; step++) {
                int count = batches.batch(epoch, step, indices);
                data.fillBatch(indices, 0, count, ws.x.segment(), ws.labels);
                model.prepareBatch(ws, count, Rng.stream(options.seed(), epoch, step));
                stepLoss.clear(); // no zeroing of the gradients: the backward pass writes every one
                model.forwardBackward(backend, ws, count, stepLoss);
                if (device != null) checkUpdate(device);   // the last step's update, known after this step's wait
                // Skipping must know before the update; stopping learns it from the update's own check
                // (a non-finite gradient makes its parameter non-finite), and a stopped run saves nothing more.
                String bad = !Double.isFinite(stepLoss.total) ? "loss"
                        : onNonFinite == NonFinitePolicy.SKIP && !gradientsFinite(parallel, device) ? "gradients" : null;
                if (bad == null) {
                    update(adam, weights, device, parallel, epoch, step);
                    epochLoss.add(stepLoss);
                } else if (onNonFinite == NonFinitePolicy.SKIP) {
                    skipped++;
                    listener.onSkippedStep(epoch, step, bad);
                } else {
                    throw new NonFiniteException(epoch + 1, step + 1, bad, "try a smaller --lr, or --on-nan skip");
                }
                double secs = (System.nanoTime() - start) / 1e9;
                listener.onStep(epoch, step, steps, epochLoss, (epochLoss.count - examplesBefore) / Math.max(secs, 1e-9));
                if (step + 1 < steps && checkpointDue((long) epoch * steps + step + 1)) {
                    hostCurrent(device);
                    saveCheckpoint(new TrainingPosition(epoch, step + 1, steps, adam.stepCount(), skipped), epochLoss, summaries, adam);
                }
            }
            hostCurrent(device);
            if (epochLoss.count == 0) {
                throw new NvaeException("every step of epoch " + (epoch + 1) + " was skipped for non-finite values; "
                        + "training cannot continue: try a smaller --lr");
            }
            double secs = (System.nanoTime() - start) / 1e9;
            EpochSummary s = new EpochSummary(epoch + 1, options.epochs(), epochLoss.count, epochLoss.meanTotal(),
                    epochLoss.meanRec(), epochLoss.meanKlS(), epochLoss.meanKlC(), epochLoss.meanCe(),
                    epochLoss.accuracy(), secs, (epochLoss.count - examplesBefore) / secs,
                    epochLoss.meanKlY(), epochLoss.unlabelled);
            summaries.add(s);
            listener.onEpoch(s);
            if (epoch + 1 == options.epochs() || checkpointDue((long) (epoch + 1) * steps)) {
                epochLoss.clear();
                int next = epoch + 1;
                saveCheckpoint(new TrainingPosition(next, 0, steps, adam.stepCount(), skipped), epochLoss, summaries, adam);
            }
        }
    }

    /** The device's parameters and moments into host memory after {@code failure}; a second failure is added to it. */
    private static void fetchAfter(DeviceTraining device, Throwable failure) {
        try {
            device.fetch();
        } catch (RuntimeException | Error f) {
            failure.addSuppressed(f);
        }
    }

    /**
     * One Adam update from the step's gradients: queued on the device (checked after the next step's wait),
     * or made in host memory and checked at once.
     */
    private void update(Adam adam, AdoptedWeights weights, DeviceTraining device, ParallelElementwise parallel, int epoch, int step) {
        if (device != null) {
            adam.step(device);
            updatedEpoch = epoch;
            updatedStep = step;
            return;
        }
        // At bf16 on oneDNN the update also writes the weights' bf16 copies, in the same pass.
        if (!adam.step(parallel, weights.bf16Image())) {
            if (!gradientsFinite(parallel, null)) {
                throw new NonFiniteException(epoch + 1, step + 1, "gradients", "try a smaller --lr, or --on-nan skip");
            }
            // With finite gradients only an absurd learning rate gets here; the update cannot be undone.
            throw new NonFiniteException(epoch + 1, step + 1, "parameters", "try a smaller --lr");
        }
        if (weights.bf16Image() == null) weights.changed();
    }

    /** With training on a device: its parameters and moments into host memory, after the last update's check. */
    private void hostCurrent(DeviceTraining device) {
        if (device == null) return;
        device.fetch();
        checkUpdate(device);
    }

    /** Stops the run at the step whose update (queued on the device, checked later) left a value non-finite. */
    private void checkUpdate(DeviceTraining device) {
        switch (device.lastUpdate()) {
            case FINITE -> {
            }
            case NON_FINITE_GRADIENTS -> throw new NonFiniteException(updatedEpoch + 1, updatedStep + 1, "gradients",
                    "try a smaller --lr, or --on-nan skip");
            case NON_FINITE_PARAMETERS -> throw new NonFiniteException(updatedEpoch + 1, updatedStep + 1, "parameters",
                    "try a smaller --lr");
        }
    }

    /** Whether a checkpoint is due after {@code globalStep} steps; epoch ends are handled by the caller when every = 0. */
    private boolean checkpointDue(long globalStep) {
        if (checkpoints == null) return false;
        return checkpointEvery == 0 ? globalStep % stepsPerEpoch() == 0 : globalStep % checkpointEvery == 0;
    }

    private boolean gradientsFinite(ParallelElementwise parallel, DeviceTraining device) {
        if (device != null) return device.gradientsFinite();
        return parallel.allFinite(model.grads().flat(), model.grads().layout().totalFloats());
    }

    private void saveCheckpoint(TrainingPosition position, BatchLoss epochLoss, List<EpochSummary> summaries, Adam adam) {
        if (checkpoints == null) return;
        Path file = checkpoints.save(new TrainingSnapshot(model.config(), data.classNames(), options, dataRef, position,
                epochLoss, List.copyOf(summaries), new CheckpointSchedule(checkpointEvery, checkpoints.keep()), backend.precision(),
                model.params(), adam, backend.name(), backend.threads()));
        listener.onCheckpoint(file);
    }
}
