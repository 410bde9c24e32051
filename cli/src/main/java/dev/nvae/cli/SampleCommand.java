package dev.nvae.cli;

import dev.nvae.NvaeException;
import dev.nvae.analysis.PriorSampler;
import dev.nvae.analysis.SampleLabels;
import dev.nvae.analysis.Sampler;
import dev.nvae.data.DataSources;
import dev.nvae.model.LoadedModel;
import dev.nvae.model.ModelConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Draw new images of a class from a trained model.",
                "Ancestral sampling: z_s ~ N(0, sigma^2 I) and z_c ~ N(0, sigma^2 I), decoded for the class (a vae has "
                        + "no classes: its samples are unlabelled). Sample i's noise comes from (seed, i) alone.",
                "Formats (--format):",
                "  png   a directory of PNGs (new or empty: nothing is mixed in or replaced)",
                "  grid  one labelled PNG",
                "  npy   X.npy + X-labels.npy; DIR/test-images.npy + DIR/test-labels.npy:",
                "        an NPY dataset, which --data DIR reads back",
                "  idx   a directory in MNIST layout, readable with --data DIR --split train",
                "Without --format, an --out ending in .npy means npy and one ending in .png means grid.",
                "--sigma-grid 1.0,1.4,2.0 draws the same noise at each scale, side by side in one grid."})
final class SampleCommand implements Callable<Integer> {
    private static final int SINGLE_CLASS_COLUMNS = 10;

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOption model;

    @Option(names = "--n", paramLabel = "N", required = true, description = "Samples (per class with --class all).")
    int n;

    @Option(names = "--class", paramLabel = "k|all",
            description = "Class index or name, or all (N per class, a grid row per class). Default: all.")
    String classChoice;

    @Option(names = "--sigma", paramLabel = "S", defaultValue = "1.0",
            description = "Prior scale; > 1 samples wider (the paper uses 1.4). Default: ${DEFAULT-VALUE}.")
    double sigma;

    @Option(names = "--sigma-grid", paramLabel = "S1,S2,..", split = ",", hideParamSyntax = true,
            description = "Compare prior scales: N samples per class at each scale, the same noise scaled; needs --format grid.")
    double[] sigmaGrid;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seeds the noise: sample i's comes from (seed, i), so the same seed draws the same images. "
                    + "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--format", paramLabel = "FMT",
            description = "png, grid, npy or idx. Default: npy for an --out ending in .npy, grid for one ending in .png.")
    SampleFormat format;

    @Option(names = "--out", paramLabel = "PATH", required = true, description = "Output file or directory (see above).")
    Path out;

    @Mixin
    ComputeOptions compute;

    @Override
    public Integer call() {
        if (n < 1) throw new NvaeException("--n " + n + " must be at least 1");
        if (format == null) format = SampleFormat.impliedBy(out, OutputPaths.typed(spec, "--out"));
        // png and idx write a directory, which NAME/ names; grid and npy one file (npy's labels go beside it).
        if (format == SampleFormat.GRID) OutputPaths.requireFileName(spec, "--out", "--format grid writes one PNG file");
        if (format == SampleFormat.NPY) OutputPaths.requireFileName(spec, "--out", "--format npy writes one file (its labels beside it)");
        if (sigmaGrid != null) {
            if (format != SampleFormat.GRID) throw new NvaeException("--sigma-grid draws one comparison grid: use --format grid");
            if (spec.commandLine().getParseResult().hasMatchedOption("--sigma")) {
                throw new NvaeException("--sigma and --sigma-grid both given: --sigma-grid already lists the scales");
            }
            Samples.requireScales("--sigma-grid", sigmaGrid);
        } else if (!PriorSampler.validSigma(sigma)) {
            throw new NvaeException("--sigma " + sigma + " " + PriorSampler.SIGMA_RANGE);
        }
        format.checkOut(out, OutputPaths.inputs().file("--model", model.path));
        if (format == SampleFormat.GRID) OutputFormats.require(out, "--out", OutputFormats.PNG, "--format grid");
        if (format == SampleFormat.NPY) OutputFormats.require(out, "--out", OutputFormats.NPY, "--format npy");
        if (!sample()) return QuickJit.rerun();
        return 0;
    }

    /** Draws and writes the samples; false, having done nothing, when this JVM lacks the JIT its backend needs. */
    private boolean sample() {
        try (BackendOpening opening = compute.openInBackground(); LoadedModel loaded = model.load()) {
            if (QuickJit.on()) {
                if (QuickJit.mustRerun(opening.opened(), spec.commandLine().getErr())) return false;
                compute.printHeldWarnings();
            }
            ModelConfig c = loaded.model().config();
            // No input of sample's, but writing into the data the model was trained on changes it for every later
            // command, as traverse and report refuse: npy samples named as its test split replaced that split, and a
            // png or idx directory made inside an image folder is another class of it.
            String trainedOn = DataOptions.trainedOnIfFound(loaded);
            if (trainedOn != null && (format == SampleFormat.PNG || format == SampleFormat.IDX)) {
                if (DataSources.encloses(trainedOn, out)) {
                    throw new NvaeException("--out " + out + " lies inside the dataset " + trainedOn + " (the data the model was trained on); "
                            + "samples written there would change the input: give a directory outside it");
                }
            } else if (trainedOn != null) {
                format.checkOut(out, OutputPaths.inputs().file("--model", model.path).data("the data the model was trained on", trainedOn));
            }
            if (!c.isConditional()) {
                // --class all is the default: the same as no --class, N unlabelled samples.
                if (SampleLabels.namesOneClass(classChoice)) {
                    throw new NvaeException(SampleLabels.notConditioned(classChoice, c.model()) + "; its samples have no label");
                }
                if (format == SampleFormat.IDX) throw new NvaeException("--format idx: a " + c.model() + "'s samples have no labels; use npy, png or grid");
            }
            if (format == SampleFormat.IDX && c.channels() != 1) {
                throw new NvaeException("--format idx: the model draws " + c.channels() + "-channel images and IDX holds grey ones; use npy, png or grid");
            }
            boolean all = !SampleLabels.namesOneClass(classChoice);
            List<String> names = c.isConditional() ? loaded.classNames() : null;
            SampleLabels labels = labels(loaded.classNames(), c.isConditional());
            long count = labels.count();
            int columns = all ? n : Math.min(n, SINGLE_CLASS_COLUMNS);
            String nFlag = "--n " + n;
            if (sigmaGrid != null) {
                Grids.requireFits(nFlag, Grids.rowsFor(count, columns), (long) columns * sigmaGrid.length, c.height(), c.width());
                int[] drawn = labels.labels(0, (int) count);
                float[][][] images = Sampler.sample(loaded.model(), opening.get(loaded), drawn, sigmaGrid, seed);
                Grids.sigmaComparison(out, images, sigmaGrid, drawn, all ? n : drawn.length, names, c.channels(), c.height(), c.width(), c.model());
            } else {
                Samples samples = new Samples(loaded.model(), opening.get(loaded), labels, sigma, seed, names, c.channels(), c.height(), c.width(), columns);
                format.check(samples, nFlag, out);
                format.write(samples, out);
            }
            long written = count * (sigmaGrid == null ? 1 : sigmaGrid.length);
            spec.commandLine().getErr().printf("wrote %d %s to %s%n", written, written == 1 ? "sample" : "samples", out);
        }
        return true;
    }

    /**
     * N of each class in turn for "all", N of the chosen class, or N unlabelled (0) for a vae: label i is a
     * function of i, so any count is drawn without holding the labels (the formats bound it).
     */
    private SampleLabels labels(List<String> classNames, boolean conditional) {
        return SampleLabels.of(classChoice, n, classNames, conditional);
    }
}
