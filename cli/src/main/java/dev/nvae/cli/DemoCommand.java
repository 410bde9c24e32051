package dev.nvae.cli;

import dev.nvae.NvaeException;
import dev.nvae.analysis.EvaluationReport;
import dev.nvae.analysis.Evaluator;
import dev.nvae.analysis.Sampler;
import dev.nvae.backend.AdoptedWeights;
import dev.nvae.backend.Backend;
import dev.nvae.backend.Processors;
import dev.nvae.data.DataSources;
import dev.nvae.data.Dataset;
import dev.nvae.data.Split;
import dev.nvae.model.LoadedModel;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.ModelFile;
import dev.nvae.train.TrainOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train, sample, reconstruct and evaluate on Fashion-MNIST.",
                "The main job, as the README runs it first; needs no arguments. Uses the full Fashion-MNIST if the dataset-fashion-mnist package is installed, "
                        + "else the subset in testdata/; trains a small conv N-VAE, writes a per-class sample grid and "
                        + "a reconstruction grid and prints the test-split figures."})
final class DemoCommand implements Callable<Integer> {
    /**
     * What the demo trains, per data source. A shared block of the default 8 dimensions learns to carry the
     * class itself (the encoder cannot know that the decoder is told the label), so samples drawn from its
     * prior show another class than their row's: on the 3,000-example subset, shirts in the Sandal and Bag
     * rows and shoes in the Dress row, for the mlp with 2 shared dimensions as for the conv network with 8;
     * on the full set after 5 mlp epochs, a bag here and there. The conv network with a single shared
     * dimension leaves the class to the class block and the label, and every row of its σ = 1 grid shows
     * its class. At ~3,400 training examples/s on 2 cores: 40 epochs of the subset take ~35 s, 2 of the
     * full set ~40 s.
     */
    private static final int EPOCHS_FULL = 2;
    private static final int EPOCHS_SUBSET = 40;
    private static final int SHARED_DIMS = 1;
    private static final int CLASS_DIMS = 4;
    private static final int CONV_HIDDEN = 256;
    private static final int SAMPLES_PER_CLASS = 8;
    /** The prior's own scale: the grid shows what the model draws, not a flattering narrower cut of it. */
    private static final double SIGMA = 1.0;
    private static final int RECONSTRUCTIONS = 20;
    private static final int EVAL_BATCH = 500;
    private static final String MODEL_FILE = "model.safetensors";
    private static final String SAMPLES_FILE = "samples.png";
    private static final String RECONSTRUCTIONS_FILE = "reconstructions.png";

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "demo-out",
            description = "Output directory, made once training is done: the model and its two grids appear in it together. "
                    + "It must be new, empty or an earlier demo's (holding only its three files, which are replaced). "
                    + "Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--epochs", paramLabel = "N",
            description = "Epochs to train the demo's model for. Default: " + EPOCHS_FULL + " on the full set, "
                    + EPOCHS_SUBSET + " on the subset.")
    Integer epochs;

    @Option(names = "--no-progress", description = "Plain status lines instead of a progress bar.")
    boolean noProgress;

    @Mixin
    ComputeOptions compute;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // What the flags decide is refused before --out is made: --out, --epochs and the backend (--backend, --threads,
        // --precision) before the data is read.
        OutputPaths.requireWritableDirectory(this.out, "--out");
        requireNewOrEarlierDemo(this.out);
        if (epochs != null) new TrainOptions(epochs, 128, 1e-3, 0);
        try (Backend backend = compute.openForTraining()) {
            String spec = "fashion-mnist";
            Dataset train;
            String source;
            try {
                train = DataSources.load(spec, Split.TRAIN);
                source = String.format("demo: data: full Fashion-MNIST, %s%n", train);
            } catch (NvaeException unavailable) {
                spec = "testdata";
                train = DataSources.load(spec, Split.TRAIN);
                source = String.format("demo: data: the testdata/ subset, %s (full set unavailable: %s)%n", train, unavailable.getMessage());
            }
            int epochCount = epochs != null ? epochs : spec.equals("testdata") ? EPOCHS_SUBSET : EPOCHS_FULL;
            ModelConfig config = ModelConfig.mlp(train.height(), train.width(), train.numClasses(), SHARED_DIMS, CLASS_DIMS, 1, 1)
                    .withArchitecture(ModelConfig.CONV, new int[]{CONV_HIDDEN}, ModelConfig.CONV_CHANNELS);
            TrainOptions options = new TrainOptions(epochCount, 128, 1e-3, 0);
            Path modelFile = this.out.resolve(MODEL_FILE);
            Path samples = this.out.resolve(SAMPLES_FILE);
            Path reconstructions = this.out.resolve(RECONSTRUCTIONS_FILE);

            out.print(source);
            out.printf("demo: training %d %s of a %s N-VAE (%d shared, %d per-class latent dimensions), backend %s, %s%n",
                    epochCount, epochCount == 1 ? "epoch" : "epochs", config.arch(), config.ds(), config.dc(), backend.name(),
                    Processors.threads(backend.threads()));
            out.flush();
            // The three files are staged and appear together, once all are written; --out is made only once training is
            // done, so a run stopped before leaves nothing (an earlier demo's files stay as they were until then).
            try (StagedOutput staged = new StagedOutput()) {
                TrainingProgress progress = new TrainingProgress(epochCount, config.isNvae(), null, err, !noProgress && TrainingProgress.stderrIsTerminal(), null);
                Path[] saved = new Path[1];
                TrainingRun.Result result = TrainingRun.trainAndSave(spec, train, config, options, backend, progress, writer -> {
                    staged.directory(this.out, "--out");
                    staged.write(modelFile, p -> {
                        writer.accept(p);
                        saved[0] = p;
                    });
                });

                try (LoadedModel loaded = ModelFile.load(saved[0] != null ? saved[0] : modelFile);
                     AdoptedWeights weights = backend.adoptWeights(loaded.model().params())) {
                    int k = config.numClasses();
                    int[] labels = new int[k * SAMPLES_PER_CLASS];
                    for (int i = 0; i < labels.length; i++) labels[i] = i / SAMPLES_PER_CLASS;
                    float[][] images = Sampler.sample(loaded.model(), backend, labels, SIGMA, 0);
                    staged.write(samples, p -> Grids.samples(p, images, labels, loaded.classNames(), config.channels(), config.height(),
                            config.width(), SAMPLES_PER_CLASS));

                    Dataset test = DataSources.load(spec, Split.TEST);
                    float[][] outputs = Sampler.reconstruct(loaded.model(), backend, test, Math.min(RECONSTRUCTIONS, test.count()));
                    staged.write(reconstructions, p -> Grids.reconstructions(p, test, outputs));
                    EvaluationReport report = Evaluator.evaluate(loaded.model(), backend, test, EVAL_BATCH, 0, 0);
                    staged.commit();

                    out.printf(Locale.ROOT, "demo: wrote %s, %s (%d samples per class from the prior, sigma %.1f), %s%n",
                            modelFile, samples, SAMPLES_PER_CLASS, SIGMA, reconstructions);
                    out.printf(Locale.ROOT, "demo: test split, %d examples: neg_elbo %.2f (rec %.2f, kl_s %.2f, kl_c %.2f), accuracy %.4f%n",
                            report.examples(), report.negElbo(), report.rec(), report.klS(), report.klC(), report.accuracy());
                    out.printf(Locale.ROOT, "demo: training throughput %.0f examples/s%n", result.examplesPerSecond());
                }
            }
        }
        out.flush();
        return 0;
    }

    /**
     * --out must be new, empty, or what an earlier demo left: its three files and nothing else (they appear together,
     * so a demo never leaves fewer). Any other directory is refused before training: "--out ." in a folder holding the
     * user's own model.safetensors would otherwise replace it without being asked.
     */
    static void requireNewOrEarlierDemo(Path out) {
        if (!Files.isDirectory(out)) return;
        List<String> names = OutputPaths.entries(out, "--out");
        if (names.isEmpty()) return;
        boolean earlierDemo = names.equals(List.of(MODEL_FILE, RECONSTRUCTIONS_FILE, SAMPLES_FILE))
                && names.stream().allMatch(n -> Files.isRegularFile(out.resolve(n), LinkOption.NOFOLLOW_LINKS));
        if (!earlierDemo) {
            throw new NvaeException("--out " + out + " is not empty and is not an earlier demo's directory (it has "
                    + OutputPaths.some(names) + "); give a new or empty directory, or one an earlier demo wrote");
        }
    }
}
