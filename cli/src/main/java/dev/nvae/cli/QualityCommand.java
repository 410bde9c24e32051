package dev.nvae.cli;

import dev.nvae.NvaeException;
import dev.nvae.analysis.SampleJudge;
import dev.nvae.analysis.SampleQuality;
import dev.nvae.backend.Backend;
import dev.nvae.backend.Precision;
import dev.nvae.data.Dataset;
import dev.nvae.data.Split;
import dev.nvae.model.Classifier;
import dev.nvae.model.LoadedModel;
import dev.nvae.model.ModelConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "quality", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Judge a model's samples with a CNN trained on the real data.",
                "The judge is trained on the real training split (once per data set and cached, or given by --judge); where "
                        + "some examples have no label, the judge and FD use the labelled examples of both splits. "
                        + "At each prior scale sigma: FD, the Frechet distance between the CNN's penultimate-layer "
                        + "features of the real test images and of the samples (FID's formula on our own small CNN, NOT "
                        + "Inception-FID: comparable only between runs with the same judge); for a model that samples a "
                        + "given class (nvae, cvae), class agreement: the share of samples the judge puts in the class "
                        + "they were drawn for, overall and per class; and the share of samples in each class.",
                "A label-free model (train --labels none) is sampled N per cluster, whatever the number of its clusters, and "
                        + "has no class agreement: its clusters are not the data's classes (evaluate matches them: ACC, NMI, ARI)."})
final class QualityCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOption model;

    @Option(names = "--data", paramLabel = "D",
            description = "The real data: fashion-mnist, testdata or a directory. Default: the data the model was trained on.")
    String data;

    @Option(names = "--n", paramLabel = "N", defaultValue = "1000", description = "Samples per class at each sigma (per cluster of a label-free model; a vae or beta-vae draws N "
            + "times the data's number of classes, unlabelled). Default: ${DEFAULT-VALUE}.")
    int n;

    @Option(names = "--sigmas", paramLabel = "SIGMAS", split = ",", hideParamSyntax = true,
            description = "Prior scales, comma-separated (S1,S2,...); the same noise at each. Default: 1,1.4 (the paper's).")
    double[] sigmas = {1.0, 1.4};

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seeds the samples. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Mixin
    JudgeOptions judgeOptions;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Mixin
    ComputeOptions compute;

    @Override
    public Integer call() {
        if (n < 1) throw new NvaeException("--n " + n + " must be at least 1");
        Samples.requireScales("--sigmas", sigmas);
        OutputPaths.Inputs inputs = OutputPaths.inputs().file("--model", model.path);
        if (data != null) inputs.data("--data", data);
        judgeOptions.check(inputs);
        PrintWriter err = spec.commandLine().getErr();
        try (BackendOpening opening = compute.openInBackground(); LoadedModel loaded = model.load()) {
            String dataSpec = dataSpec(data, loaded);
            if (data == null) judgeOptions.check(inputs.data("the data the model was trained on", dataSpec));
            Backend backend = opening.get(loaded);
            // Checked before a judge is trained on it; the splits have one shape (their reader checks that).
            ModelConfig config = loaded.model().config();
            Dataset train = DataOptions.inModelShape(dataSpec, DataOptions.load(dataSpec, Split.TRAIN), config);
            Dataset test = DataOptions.inModelShape(dataSpec, DataOptions.load(dataSpec, Split.TEST), config);
            DataOptions.requireClasses(dataSpec, train, loaded);
            DataOptions.requireClasses(dataSpec, test, loaded);
            train = DataOptions.labelled(dataSpec, train, "training", JUDGE_LABELS, err);
            test = DataOptions.labelled(dataSpec, test, "test", JUDGE_LABELS, err);
            requireJudgeable(dataSpec, train, loaded.model().config());
            requireSamplesFit(n, loaded.model().config(), train, test, sigmas.length);
            SampleQuality.Report r;
            try (Backend own = ComputeOptions.fp32Beside(backend)) {
                Backend judgeBackend = own != null ? own : backend;
                try (SampleJudge judge = judgeOptions.obtain(judgeBackend, train, test, err)) {
                    r = SampleQuality.measure(loaded.model(), backend, judge, judgeBackend, train, test, n, sigmas, seed);
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Map<String, Object> m = json(r, loaded.model().config().model(), dataSpec);
                m.put("precision", backend.precision().label());
                m.put("weights_dtype", loaded.storedDtype().label());
                out.println(Json.write(m));
            } else {
                table(out, r, loaded.model().config().model(), dataSpec);
                if (backend.precision() != Precision.FP32) {
                    out.printf("samples drawn at --precision %s; the judge computed in fp32%n", backend.precision().label());
                }
            }
            out.flush();
        }
        return 0;
    }

    /** Why the judge reads labelled examples only: what DataOptions.labelled says of the rest. */
    static final String JUDGE_LABELS = "the judge, a classifier of the data's classes, learns and is measured against labels";

    /** Heap bytes per judged image: its 128 features (an array: 16 bytes of header, a reference) and its predicted class. */
    private static final long JUDGED_BYTES = 16 + 8 + (long) Float.BYTES * Classifier.CONV_FEATURES + Integer.BYTES;

    /**
     * The judge is a classifier of the data's classes and scores a conditional model's samples class by class,
     * so the two must have as many classes: refused here, before a judge is trained (it was refused after). Not
     * a label-free model: its clusters are not scored as classes, so their number need not be the data's.
     */
    static void requireJudgeable(String spec, Dataset train, ModelConfig c) {
        String size = unjudgeableSize(train);
        if (size != null) throw new NvaeException("--data " + spec + ": " + size);
        if (c.isConditional() && !c.labelFree() && train.numClasses() != c.numClasses()) {
            throw new NvaeException("--data " + spec + ": " + train.numClasses() + " classes but the model has " + c.numClasses()
                    + "; the judge, a classifier of the data's classes, scores its samples class by class");
        }
    }

    /** Why the judge cannot take the data's images (Classifier.conv's rule, found before a judge is trained), or null. */
    static String unjudgeableSize(Dataset d) {
        return d.height() % 4 == 0 && d.width() % 4 == 0 ? null : "images are " + d.height() + "x" + d.width()
                + ", and the sample judge, a CNN of two stride-2 convolutions, needs sides divisible by 4";
    }

    /**
     * Refuses, before anything is judged or drawn, an {@code --n} (samples per class, at each of {@code sigmas}
     * scales) that {@link SampleQuality} cannot hold: n·K labels are one array, and every sample's judged
     * features are kept on the heap at each scale (with those of the real test images and of as many real
     * training images). K is {@link SampleQuality#groups}: the data's classes, or a label-free model's clusters.
     */
    static void requireSamplesFit(int n, ModelConfig c, Dataset train, Dataset test, int sigmas) {
        int k = SampleQuality.groups(c, train.numClasses());
        long most = (Integer.MAX_VALUE - 8) / k;
        if (n > most) {
            throw new NvaeException("--n " + n + ": at most " + most + " samples per class (" + k + (c.labelFree() ? " clusters" : " classes") + ": all samples' labels are one "
                    + "array of at most " + (Integer.MAX_VALUE - 8) + ")");
        }
        long total = (long) n * k;
        long bytes = total * (Integer.BYTES + sigmas * JUDGED_BYTES) + (Math.min(total, train.count()) + test.count()) * JUDGED_BYTES;
        MemoryChecks.requireHeap(bytes, "--n " + n + ": judging " + total + " samples at " + sigmas + (sigmas == 1 ? " scale" : " scales"));
    }

    static String dataSpec(String given, LoadedModel loaded) {
        return DataOptions.givenOrTrainedOn(given, loaded);
    }

    /** Why a label-free model's samples have no class agreement: said wherever it would have been. */
    static final String NO_AGREEMENT = "none for a label-free model: its samples are drawn for its clusters, which are not the data's "
            + "classes (evaluate matches clusters to classes: ACC, NMI, ARI)";

    static Map<String, Object> json(SampleQuality.Report r, String family, String data) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", family);
        m.put("data", data);
        m.put("feature_space", "penultimate layer of nvae's own judge CNN (not Inception: FD values are not FIDs)");
        m.put("judge_test_accuracy", r.judgeAccuracy());
        m.put("judge_test_accuracy_per_class", nullable(r.judgePerClass()));
        m.put("fd_real", Json.finiteOrNull(r.fdReal()));
        m.put("fd_real_images", r.realImages());
        // --n counts a class's samples (a label-free model's: a cluster's, its classes). A model without classes (vae,
        // beta-vae) has none to count per: it drew n times the data's classes, unlabelled, and says so.
        if (r.conditional() || r.labelFree()) m.put("samples_per_class", r.perClass());
        else m.put("unlabelled_samples", unlabelled(r));
        m.put("conditional", r.conditional());
        if (r.labelFree()) {
            m.put("label_free", true);
            m.put("clusters", r.clusters());
            m.put("class_agreement_note", NO_AGREEMENT);
        }
        m.put("classes", r.classNames());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (SampleQuality.AtSigma s : r.results()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("sigma", s.sigma());
            row.put("samples", s.samples());
            row.put("fd", s.fd());
            row.put("class_agreement", Json.finiteOrNull(s.agreement()));
            if (r.conditional()) row.put("class_agreement_per_class", nullable(s.perClassAgreement()));
            row.put("predicted_share", s.predictedShare());
            rows.add(row);
        }
        m.put("results", rows);
        return m;
    }

    private static List<Double> nullable(double[] v) {
        List<Double> out = new ArrayList<>();
        for (double x : v) out.add(Json.finiteOrNull(x));
        return out;
    }

    /**
     * What real training images score, the floor of FD. It read "a real training subset of the same size scores NaN" where
     * the split had one image, and claimed the same size where it had fewer images than the samples.
     */
    static String realFloor(SampleQuality.Report r) {
        if (Double.isNaN(r.fdReal())) {
            return "real training images score n/a: FD needs at least 2, and the training split has " + r.realImages();
        }
        int samples = r.results().getFirst().samples();
        String subset = r.realImages() >= samples ? "a real training subset of the same size scores"
                : "the " + r.realImages() + " real training images (all the split has; the samples are " + samples + ") score";
        return String.format(Locale.ROOT, "%s %.3f", subset, r.fdReal());
    }

    /** What a model without classes drew at each sigma: --n times the data's (the judge's) classes. */
    private static long unlabelled(SampleQuality.Report r) {
        return (long) r.perClass() * r.classNames().size();
    }

    /** How a model without classes counts what it draws: --n for each of the data's (the judge's) classes. */
    static String timesTheClasses(int n, int classes) {
        return "--n " + n + " times the data's " + classes + " classes";
    }

    static void table(PrintWriter out, SampleQuality.Report r, String family, String data) {
        // A model without classes (vae, beta-vae) draws n for each of the judge's classes, unlabelled: not "n per class".
        String drawn = r.labelFree() ? r.perClass() + " per cluster, " + r.clusters().size() + " clusters,"
                : r.conditional() ? r.perClass() + " per class"
                : unlabelled(r) + " unlabelled, " + timesTheClasses(r.perClass(), r.classNames().size()) + ",";
        out.printf(Locale.ROOT, "samples of the %s (%s at each sigma) judged by a CNN trained on %s (test accuracy %.4f)%n",
                family, drawn, data, r.judgeAccuracy());
        out.println("FD: Frechet distance of the judge's penultimate features to the real test images' (not Inception-FID);");
        out.println(realFloor(r));
        if (r.labelFree()) out.println("class agreement: " + NO_AGREEMENT);
        out.printf(Locale.ROOT, "%6s %10s %10s%n", "sigma", "FD", r.conditional() ? "agreement" : "");
        for (SampleQuality.AtSigma s : r.results()) {
            out.printf(Locale.ROOT, "%6.2f %10.3f %10s%n", s.sigma(), s.fd(), r.conditional() ? String.format(Locale.ROOT, "%.4f", s.agreement()) : "");
        }
        out.println();
        int width = Math.max(12, r.classNames().stream().mapToInt(String::length).max().orElse(0));
        out.println(r.conditional() ? "Per class: the judge's test accuracy, the class agreement of samples drawn for the class at each sigma,"
                + " and the share of samples put in it" : "Per class: the judge's test accuracy, and the share of samples it puts in the class at each sigma");
        out.printf(Locale.ROOT, "%-" + width + "s %8s", "class", "judge");
        for (SampleQuality.AtSigma s : r.results()) {
            if (r.conditional()) out.printf(Locale.ROOT, " %10s", "agree " + s.sigma());
            out.printf(Locale.ROOT, " %10s", "share " + s.sigma());
        }
        out.println();
        for (int k = 0; k < r.classNames().size(); k++) {
            out.printf(Locale.ROOT, "%-" + width + "s%s", r.classNames().get(k), AugmentCommand.perClass(r.judgePerClass()[k], 8));
            for (SampleQuality.AtSigma s : r.results()) {
                if (r.conditional()) out.printf(Locale.ROOT, " %10.4f", s.perClassAgreement()[k]);
                out.printf(Locale.ROOT, " %10.4f", s.predictedShare()[k]);
            }
            out.println();
        }
        if (Arrays.stream(r.judgePerClass()).anyMatch(Double::isNaN)) out.println(AugmentCommand.NO_TEST_EXAMPLE);
    }
}
