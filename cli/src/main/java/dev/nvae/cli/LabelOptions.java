package dev.nvae.cli;

import dev.nvae.NvaeException;
import dev.nvae.data.Dataset;
import dev.nvae.data.LabelSelection;
import dev.nvae.data.RecordedLabels;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.ModelData;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.Locale;

/**
 * {@code train}'s options for data with few labels or none (docs/MODEL.md#6-unlabelled-examples and #7):
 * which labels of the training split to keep, how batches mix labelled and unlabelled examples, and
 * label-free training with K clusters; and the labelled part alone, the baseline of a semi-supervised run. What they choose is recorded as a string ({@link #describe}, RecordedLabels) in
 * checkpoints, so a resume selects the same labels again.
 */
final class LabelOptions {
    static final String GIVEN = "given", NONE = "none";

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--labels", paramLabel = "MODE", defaultValue = GIVEN,
            description = "given: train on the labels the data has (examples without one — NPY label -1 (uint8: 255), IDX label 255, "
                    + "images under unlabelled/ — use the unlabelled bound); none: ignore every label and find --clusters "
                    + "clusters (nvae only). Default: ${DEFAULT-VALUE}.")
    String labels;

    @Option(names = "--labels-per-class", paramLabel = "N",
            description = "nvae: keep N labels of every class, chosen from --seed; the other examples become unlabelled.")
    Integer perClass;

    @Option(names = "--labels-fraction", paramLabel = "F",
            description = "nvae: keep a fraction F in (0, 1] of every class's labels, chosen from --seed.")
    Double fraction;

    @Option(names = "--labelled-share", paramLabel = "S",
            description = "nvae, with labelled and unlabelled examples: the labelled fraction of every batch (the labelled set "
                    + "is revisited as needed). Default: 0.5.")
    Double share;

    @Option(names = "--drop-unlabelled",
            description = "Train on the labelled examples alone (after --labels-per-class or --labels-fraction): the "
                    + "baseline a semi-supervised model is compared with. Refused where every example has a label.")
    boolean dropUnlabelled;

    @Option(names = "--clusters", paramLabel = "K",
            description = "--labels none: the number of clusters, 2 to 256 and no more than the training examples. "
                    + "Default: the data's number of classes.")
    Integer clusters;

    /** Refuses combinations that mean nothing; cheap, so it runs before any data is read. */
    void check() {
        if (!GIVEN.equals(labels) && !NONE.equals(labels)) throw new NvaeException("--labels " + labels + ": expected given or none");
        if (perClass != null && fraction != null) throw new NvaeException("--labels-per-class and --labels-fraction exclude each other");
        boolean none = NONE.equals(labels);
        if (none && (perClass != null || fraction != null)) {
            throw new NvaeException((perClass != null ? "--labels-per-class" : "--labels-fraction") + " keeps some labels; --labels none keeps none");
        }
        if (clusters != null && !none) throw new NvaeException("--clusters applies to --labels none");
        if (clusters != null && clusters < 2) throw new NvaeException("--clusters " + clusters + " must be at least 2");
        // The clusters are the data's classes, whose labels are bytes: refused here, not as an internal error (or
        // an out-of-memory one, for a K whose decoder rows could never fit) once the data is read.
        if (clusters != null && clusters > Dataset.MAX_CLASSES) {
            throw new NvaeException("--clusters " + clusters + ": at most " + Dataset.MAX_CLASSES + " (clusters are classes, whose labels are bytes)");
        }
        if (perClass != null && perClass < 1) throw new NvaeException("--labels-per-class " + perClass + " must be at least 1");
        if (fraction != null && !(fraction > 0 && fraction <= 1)) {
            throw new NvaeException(String.format(Locale.ROOT, "--labels-fraction %s must be in (0, 1]", fraction));
        }
        if (share != null && !(share > 0 && share < 1)) {
            throw new NvaeException(String.format(Locale.ROOT, "--labelled-share %s must be in (0, 1)", share));
        }
        if (share != null && none) throw new NvaeException("--labelled-share applies to data with some labels; --labels none has none");
        if (dropUnlabelled && none) throw new NvaeException("--drop-unlabelled keeps the labelled examples; --labels none has none");
        if (dropUnlabelled && share != null) throw new NvaeException("--labelled-share mixes unlabelled examples in; --drop-unlabelled drops them");
    }

    boolean labelFree() {
        return NONE.equals(labels);
    }

    /** K for --labels none (ClusterCount: --clusters, or the data's number of classes); {@code where} names {@code train}. */
    int clusters(Dataset train, String where) {
        return ClusterCount.of(clusters, train, train.name(), where);
    }

    /**
     * The training split as a {@code model} run sees it: the labels kept (all, some, or none — then K clusters as its
     * classes); for a vae or beta-vae, data that names no class trains as it is, without any ({@link ModelData#classesFor}).
     * {@code where} names {@code train} in a refusal (the first --limit examples of a split are not the split).
     */
    Dataset apply(Dataset train, long seed, String model, String where) {
        check();
        Dataset out;
        if (labelFree()) out = train.withoutLabels(ModelConfig.clusterNames(clusters(train, where)));
        else if (perClass != null) out = LabelSelection.perClass(train, perClass, seed, where);
        else if (fraction != null) out = LabelSelection.fraction(train, fraction, seed);
        else out = train;
        if (dropUnlabelled) {
            if (out.labelledCount() == 0) throw new NvaeException("--drop-unlabelled: no example of " + out.name() + " has a label");
            // Like --y-kl and --balance there, a flag that would drop nothing is refused rather than recorded as another run.
            if (out.fullyLabelled()) {
                throw new NvaeException("--drop-unlabelled: all " + out.count() + " training examples of " + out.name()
                        + " have a label, so it drops none (--labels-per-class or --labels-fraction keep fewer)");
            }
            out = out.subset(java.util.stream.IntStream.range(0, out.count()).filter(out::hasLabel).toArray());
        }
        if (!labelFree()) out = ModelData.classesFor(model, out);
        // Data with no label at all names no class unless a classes.txt does: say why, and what trains on it.
        if (!labelFree() && out.labelledCount() == 0 && ModelConfig.CVAE.equals(model)) {
            throw new NvaeException("--data: " + ModelData.cvaeNeedsLabels(out));
        }
        if (!labelFree() && out.labelledCount() == 0 && out.numClasses() < 2 && !ModelConfig.readsNoLabel(model)) {
            throw new NvaeException("--data: none of the " + out.count() + " training examples of " + out.name() + " has a label, so it names "
                    + (out.numClasses() == 0 ? "no class" : "1 class") + "; --labels none trains an nvae without labels (a vae or "
                    + "beta-vae needs none)");
        }
        if (share != null && (out.fullyLabelled() || out.labelledCount() == 0)) {
            throw new NvaeException("--labelled-share applies to data that mixes labelled and unlabelled examples; these "
                    + out.count() + " have " + (out.labelledCount() == 0 ? "no label" : "every label"));
        }
        return out;
    }

    /** What {@link #apply} did, in the form a checkpoint records it (RecordedLabels). */
    String describe(Dataset applied) {
        return new RecordedLabels(perClass, fraction, labelFree() ? applied.numClasses() : null, dropUnlabelled).text();
    }

    /** On --resume: the selection recorded in the checkpoint; a flag the user gave must name the same (or is refused). */
    void adopt(String recorded, String checkpoint) {
        LabelOptions stored = recorded(recorded);
        // A switch given is on: the run it conflicts with was trained without it (null), not "with --drop-unlabelled false".
        agree("--drop-unlabelled", dropUnlabelled, stored.dropUnlabelled ? Boolean.TRUE : null, checkpoint);
        dropUnlabelled = stored.dropUnlabelled;
        agree("--labels", labels, stored.labels, checkpoint);
        agree("--labels-per-class", perClass, stored.perClass, checkpoint);
        agree("--labels-fraction", fraction, stored.fraction, checkpoint);
        agree("--clusters", clusters, stored.clusters, checkpoint);
        labels = stored.labels;
        perClass = stored.perClass;
        fraction = stored.fraction;
        clusters = stored.clusters;
    }

    private void agree(String flag, Object given, Object stored, String checkpoint) {
        if (!matched(flag) || java.util.Objects.equals(given, stored)) return;
        if (stored == null) {
            throw new NvaeException((given instanceof Boolean ? flag : flag + " " + given) + " conflicts with the checkpoint " + checkpoint + ", which was trained without "
                    + flag + "; omit " + flag + " to continue the run as it was");
        }
        ModelFlags.requireEqual(flag, given, stored, checkpoint);
    }

    /**
     * Where this run's selection and a recorded one ({@link #describe}) differ, flag by flag as the user gives them
     * ("--labels-per-class 6 here, 5 there"): {@code differ} takes the flag and either side's value, null where a
     * side did without the flag. The number of clusters is left to the model's classes, which hold it.
     */
    void differences(String recorded, Differ differ) {
        LabelOptions there = recorded(recorded);
        differ.add("--labels", labels, there.labels);
        differ.add("--labels-per-class", perClass, there.perClass);
        differ.add("--labels-fraction", fraction, there.fraction);
        differ.add("--drop-unlabelled", dropUnlabelled ? "given" : null, there.dropUnlabelled ? "given" : null);
    }

    interface Differ {
        void add(String flag, Object here, Object there);
    }

    private static LabelOptions recorded(String recorded) {
        RecordedLabels r = RecordedLabels.parse(recorded);
        LabelOptions o = new LabelOptions();
        o.labels = r.labelFree() ? NONE : GIVEN;
        o.clusters = r.clusters();
        o.perClass = r.perClass();
        o.fraction = r.fraction();
        o.dropUnlabelled = r.dropUnlabelled();
        return o;
    }

    private boolean matched(String flag) {
        return command.commandLine().getParseResult().hasMatchedOption(flag);
    }
}
