package dev.nvae.cli;

import dev.nvae.NvaeException;
import dev.nvae.analysis.Sampler;
import dev.nvae.backend.Backend;
import dev.nvae.model.LoadedModel;
import dev.nvae.model.ModelConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Draw new images of a class from a trained model.",
                "Ancestral sampling: z_s ~ N(0, sigma^2 I) and z_c ~ N(0, sigma^2 I), decoded for the class.",
                "Formats: png (a directory of PNGs), grid (one labelled PNG), npy (X.npy + X-labels.npy),",
                "idx (a directory in MNIST layout, readable with --data DIR --split train)."})
final class SampleCommand implements Callable<Integer> {
    private static final int SINGLE_CLASS_COLUMNS = 10;

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOption model;

    @Option(names = "--n", paramLabel = "N", required = true, description = "Samples (per class with --class all).")
    int n;

    @Option(names = "--class", paramLabel = "k|all", defaultValue = "all",
            description = "Class index or name, or all (N per class, a grid row per class). Default: ${DEFAULT-VALUE}.")
    String classChoice;

    @Option(names = "--sigma", paramLabel = "S", defaultValue = "1.0",
            description = "Prior scale; > 1 samples wider (the paper uses 1.4). Default: ${DEFAULT-VALUE}.")
    double sigma;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--format", paramLabel = "FMT", required = true, description = "png, grid, npy or idx.")
    SampleFormat format;

    @Option(names = "--out", paramLabel = "PATH", required = true, description = "Output file or directory (see above).")
    Path out;

    @Mixin
    ComputeOptions compute;

    @Override
    public Integer call() {
        if (n < 1) throw new NvaeException("--n " + n + " must be at least 1");
        format.checkOut(out);
        try (LoadedModel loaded = model.load(); Backend backend = compute.open()) {
            ModelConfig c = loaded.model().config();
            int[] labels = labels(loaded.classNames());
            float[][] images = Sampler.sample(loaded.model(), backend, labels, sigma, seed);
            int columns = classChoice.equals("all") ? n : Math.min(n, SINGLE_CLASS_COLUMNS);
            format.write(new Samples(images, labels, loaded.classNames(), c.height(), c.width(), columns), out);
            spec.commandLine().getErr().printf("wrote %d samples to %s%n", labels.length, out);
        }
        return 0;
    }

    /** N copies of the chosen class, or N of each class in turn for "all". */
    private int[] labels(List<String> classNames) {
        int k = classNames.size();
        if (classChoice.equals("all")) {
            int[] labels = new int[Math.multiplyExact(n, k)];
            for (int i = 0; i < labels.length; i++) labels[i] = i / n;
            return labels;
        }
        int chosen = parseClass(classNames);
        int[] labels = new int[n];
        Arrays.fill(labels, chosen);
        return labels;
    }

    private int parseClass(List<String> classNames) {
        int k = classNames.size();
        for (int i = 0; i < k; i++) {
            if (classNames.get(i).equalsIgnoreCase(classChoice)) return i;
        }
        int index;
        try {
            index = Integer.parseInt(classChoice.strip());
        } catch (NumberFormatException e) {
            throw new NvaeException("--class '" + classChoice + "': expected all, a class index 0.." + (k - 1)
                    + " or a class name (" + String.join(", ", classNames) + ")");
        }
        if (index < 0 || index >= k) {
            throw new NvaeException(String.format(Locale.ROOT, "--class %d is out of range: the model has %d classes, 0..%d",
                    index, k, k - 1));
        }
        return index;
    }
}
