package dev.nvae.cli;

import dev.nvae.NvaeException;
import dev.nvae.analysis.Augmentation;
import dev.nvae.analysis.PriorSampler;
import dev.nvae.backend.Backend;
import dev.nvae.backend.Precision;
import dev.nvae.data.Dataset;
import dev.nvae.data.Split;
import dev.nvae.model.LoadedModel;
import dev.nvae.model.ModelConfig;
import dev.nvae.train.EpochSummary;
import dev.nvae.train.TrainOptions;
import dev.nvae.train.TrainingListener;
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

@Command(name = "augment", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a classifier on real and generated data; test it on real.",
                "For each fraction r, round(r*N) of the N training examples are replaced by samples the model (an nvae "
                        + "or a cvae) generates for the same labels; an MLP classifier (the encoder's shape) is trained on "
                        + "the mix and tested on the real test split. Prints accuracy overall and per class. Where some "
                        + "examples have no label, both splits are their labelled examples.",
                "The same --seed gives every run the same real subset and initialisation, whatever the model.",
                "--precision is the generator's: at bf16 the model draws its samples on bf16 weights, while the "
                        + "classifier, the measuring instrument, is trained and tested in fp32 on a backend of its own "
                        + "(its accuracy at r = 0 does not change with the precision)."})
final class AugmentCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOption model;

    @Option(names = "--data", paramLabel = "D",
            description = "Real data: fashion-mnist, testdata or a directory. Default: the data the model was trained on.")
    String data;

    @Option(names = "--fractions", paramLabel = "R1,R2,..", split = ",", hideParamSyntax = true, description = "Fractions of generated training data. Default: 0,0.4,1.")
    double[] fractions = {0, 0.4, 1.0};

    @Option(names = "--sigma", paramLabel = "S", defaultValue = "1.0", description = "Prior scale of the generated samples. Default: ${DEFAULT-VALUE}.")
    double sigma;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "10", description = "Classifier training epochs. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "128",
            description = "Classifier mini-batch size. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--lr", paramLabel = "LR", defaultValue = "1e-3",
            description = "Classifier's Adam learning rate. Default: ${DEFAULT-VALUE}.")
    double lr;

    @Option(names = "--hidden", paramLabel = "H1,H2", split = ",", hideParamSyntax = true, description = "Classifier hidden sizes. Default: 512,256.")
    int[] hidden = {512, 256};

    @Option(names = "--limit", paramLabel = "N", description = "Use the first N training examples only.")
    Integer limit;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seeds which examples are replaced, the generated samples, and the classifier's "
                    + "initialisation and shuffling; the same seed gives the same results. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Mixin
    ComputeOptions compute;

    /**
     * The classifier's parameters, gradients and Adam's two moments, and a batch's activations, all off the heap:
     * checked before any is allocated, so that a large --hidden fails naming it.
     */
    private void requireClassifierMemory(Dataset train, int classes) {
        long d = (long) train.channels() * train.height() * train.width();
        long parameters = (d + 1) * hidden[0] + (hidden[0] + 1L) * hidden[1] + (hidden[1] + 1L) * classes;
        // The trainer's batches hold at most the training examples (the mix has as many as the real set).
        long rows = Math.min(batch, train.count());
        long activations = rows * (d + 2L * hidden[0] + 2L * hidden[1] + 2L * classes);
        MemoryChecks.requireNative(Float.BYTES * (4 * parameters + activations), String.format(Locale.ROOT,
                "--hidden %d,%d: a classifier of %,d parameters in batches of %d", hidden[0], hidden[1], parameters, rows));
    }

    /** Why augment reads labelled examples only: what DataOptions.labelled says of the rest. */
    private static final String LABELS = "the classifier learns and is tested against labels";

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (hidden.length != 2) throw new NvaeException("--hidden: expected two sizes H1,H2, got " + hidden.length);
        if (hidden[0] < 1 || hidden[1] < 1) {
            throw new NvaeException("--hidden " + hidden[0] + "," + hidden[1] + ": sizes must be positive");
        }
        if (fractions.length == 0) throw new NvaeException("--fractions: no fractions given");
        for (double r : fractions) {
            if (!(r >= 0 && r <= 1)) throw new NvaeException("--fractions: " + r + " is not a fraction in [0, 1]");
        }
        if (!PriorSampler.validSigma(sigma)) throw new NvaeException("--sigma " + sigma + " " + PriorSampler.SIGMA_RANGE);
        TrainOptions training = new TrainOptions(epochs, batch, lr, seed);
        try (BackendOpening opening = compute.openInBackground(); LoadedModel loaded = model.load()) {
            Backend backend = opening.get(loaded);
            ModelConfig c = loaded.model().config();
            Augmentation.requireGenerator(c);
            String dataSpec = DataOptions.givenOrTrainedOn(data, loaded);
            Dataset train = DataOptions.inModelShape(dataSpec, DataOptions.load(dataSpec, Split.TRAIN), c); // before a classifier is trained on it
            if (limit != null) {
                if (limit < 1) throw new NvaeException("--limit " + limit + " must be at least 1");
                train = train.first(limit);
            }
            Dataset test = DataOptions.inModelShape(dataSpec, DataOptions.load(dataSpec, Split.TEST), c);
            // The generator draws the model's class k for label k, and the table names the model's classes.
            DataOptions.requireClasses(dataSpec, train, loaded);
            DataOptions.requireClasses(dataSpec, test, loaded);
            train = DataOptions.labelled(dataSpec, train, "training", LABELS, err);
            test = DataOptions.labelled(dataSpec, test, "test", LABELS, err);
            requireClassifierMemory(train, c.numClasses());
            Augmentation.ClassifierOptions options = new Augmentation.ClassifierOptions(hidden[0], hidden[1], training);
            List<Augmentation.Result> results = new ArrayList<>();
            // The classifier trains and predicts in fp32 whatever the generator draws at: at bf16 it failed after
            // training (the model's bf16 backend held no bf16 copy of its weights), or on vector was refused then.
            try (Backend own = ComputeOptions.fp32Beside(backend)) {
                Backend classifierBackend = own != null ? own : backend;
                for (double r : fractions) {
                    err.printf(Locale.ROOT, "r = %.2f: training the classifier on %d examples, %d generated by the %s%n",
                            r, train.count(), Math.round(r * train.count()), c.model());
                    err.flush();
                    results.add(Augmentation.run(loaded.model(), backend, classifierBackend, train, test, r, sigma, options,
                            progress(err, r)));
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Map<String, Object> m = json(results, c.model(), dataSpec, test, test.classNames());
                m.put("precision", backend.precision().label());
                m.put("weights_dtype", loaded.storedDtype().label());
                out.println(Json.write(m));
            } else {
                table(out, results, c.model(), dataSpec, test, test.classNames());
                if (backend.precision() != Precision.FP32) {
                    out.printf("samples drawn at --precision %s; the classifier trained and tested in fp32%n", backend.precision().label());
                }
            }
            out.flush();
        }
        return 0;
    }

    private static TrainingListener progress(PrintWriter err, double r) {
        return new TrainingListener() {
            @Override
            public void onEpoch(EpochSummary s) {
                err.printf(Locale.ROOT, "  r = %.2f epoch %d/%d: loss %.4f, training accuracy %.4f, %.0f examples/s%n",
                        r, s.epoch(), s.epochs(), s.loss(), s.accuracy(), s.examplesPerSecond());
                err.flush();
            }
        };
    }

    private Map<String, Object> json(List<Augmentation.Result> results, String family, String data, Dataset test, List<String> classes) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("generator", family);
        m.put("data", data);
        m.put("test_examples", test.count());
        m.put("sigma", sigma);
        m.put("epochs", epochs);
        m.put("classes", classes);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Augmentation.Result r : results) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("fraction", r.fraction());
            row.put("train_examples", r.trainExamples());
            row.put("generated", r.generated());
            row.put("accuracy", r.accuracy());
            List<Double> perClass = new ArrayList<>();
            for (double a : r.perClassAccuracy()) perClass.add(Json.finiteOrNull(a));
            row.put("per_class_accuracy", perClass);
            rows.add(row);
        }
        m.put("results", rows);
        return m;
    }

    private void table(PrintWriter out, List<Augmentation.Result> results, String family, String data, Dataset test, List<String> classes) {
        out.printf(Locale.ROOT, "classifier mlp %d,%d, %d %s; generator %s (sigma %s); tested on %d real examples of %s%n",
                hidden[0], hidden[1], epochs, epochs == 1 ? "epoch" : "epochs", family, sigma, test.count(), data);
        out.printf(Locale.ROOT, "%6s %9s %9s", "r", "generated", "accuracy");
        for (String c : classes) out.printf(Locale.ROOT, " %11s", c.length() > 11 ? c.substring(0, 11) : c);
        out.println();
        for (Augmentation.Result r : results) {
            out.printf(Locale.ROOT, "%6.2f %9d %9.4f", r.fraction(), r.generated(), r.accuracy());
            for (double a : r.perClassAccuracy()) out.print(perClass(a, 11));
            out.println();
        }
        if (Arrays.stream(results.getFirst().perClassAccuracy()).anyMatch(Double::isNaN)) out.println(NO_TEST_EXAMPLE);
    }

    /** A class the test split lacks has no accuracy (NaN): the table said "NaN" as if it had been measured. */
    static final String NO_TEST_EXAMPLE = "n/a: the test split has no example of the class";

    /** A per-class figure in a column of {@code width}: n/a where the class had nothing to measure (NaN). */
    static String perClass(double v, int width) {
        return Double.isNaN(v) ? String.format(Locale.ROOT, " %" + width + "s", "n/a") : String.format(Locale.ROOT, " %" + width + ".4f", v);
    }
}
