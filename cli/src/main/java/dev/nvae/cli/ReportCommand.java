package dev.nvae.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nvae.NvaeException;
import dev.nvae.analysis.EvaluationReport;
import dev.nvae.analysis.Evaluator;
import dev.nvae.analysis.PosteriorMeans;
import dev.nvae.analysis.SampleJudge;
import dev.nvae.analysis.SampleLabels;
import dev.nvae.analysis.SampleQuality;
import dev.nvae.analysis.Sampler;
import dev.nvae.analysis.Traversal;
import dev.nvae.backend.Backend;
import dev.nvae.data.DataSources;
import dev.nvae.data.Dataset;
import dev.nvae.data.Split;
import dev.nvae.io.AtomicOutput;
import dev.nvae.io.Heatmap;
import dev.nvae.io.IoErrors;
import dev.nvae.io.ImageGrid;
import dev.nvae.model.LatentModel;
import dev.nvae.model.LoadedModel;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.ModelData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write a self-contained HTML report on a model, with its figures.",
                "One page with the PNGs it shows and a JSON of every number: the model's config and training summary, "
                        + "the training curve (from the model file), test metrics, sample grids at sigma 1 and 1.4, "
                        + "shared-factor traversals, the factor heatmap, the aggregate posterior against the prior (MMD, "
                        + "kNN KL, a scatter of posterior means) and sample quality (FD on a CNN judge's features, class "
                        + "agreement).",
                "The page needs no network: open DIR/index.html."})
final class ReportCommand implements Callable<Integer> {
    /** The paper's two prior scales. */
    private static final double[] SIGMAS = {1.0, 1.4};
    /** Test examples evaluated per batch. */
    private static final int EVAL_BATCH = 500;
    private static final int GRID_PER_CLASS = 8, TRAVERSAL_STEPS = 9, SCATTER_POINTS = 2000;

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOption model;

    @Option(names = "--data", paramLabel = "D",
            description = "fashion-mnist, testdata or a directory; its test split is measured. Default: the data the model was trained on.")
    String data;

    @Option(names = "--out", paramLabel = "DIR", required = true,
            description = "Directory for index.html, report.json and the PNGs; created if it does not exist (its parent must). "
                    + "An earlier report there is replaced as a whole, once the new one is complete (none of its files is left); "
                    + "a directory holding anything else is refused, and so are one inside the data and a new name ending in .html "
                    + "(the page is DIR/index.html).")
    Path out;

    /** The default of --iw: importance samples of iwae_nll (none for a label-free model, which iwae_nll cannot score). */
    static final int DEFAULT_IW = 50;

    @Option(names = "--iw", paramLabel = "K", description = "Importance samples of iwae_nll; 0 = off. Default: " + DEFAULT_IW
            + " (0 for a label-free model, and for a test split with examples without a label: iwae_nll needs the true class).")
    Integer iw;

    @Option(names = "--n", paramLabel = "N", defaultValue = "1000", description = "Samples per class judged at each sigma. Default: ${DEFAULT-VALUE}.")
    int n;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seeds every draw. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Mixin
    JudgeOptions judgeOptions;

    @Mixin
    ComputeOptions compute;

    @Override
    public Integer call() {
        long start = System.nanoTime();
        if (iw != null && iw < 0) throw new NvaeException("--iw " + iw + " must be >= 0");
        if (n < 1) throw new NvaeException("--n " + n + " must be at least 1");
        judgeOptions.requireFileName();
        refuseAPageName(out);
        OutputPaths.requireWritableDirectory(out, "--out");
        OutputPaths.Inputs inputs = OutputPaths.inputs().file("--model", model.path);
        if (data != null) inputs.data("--data", data);
        // The directory is the report's, replaced as a whole: a judge kept there would be lost with an earlier report, or
        // make every later run into it refused as holding a file no report writes.
        if (judgeOptions.judge != null && resolved(judgeOptions.judge).startsWith(resolved(out))) {
            throw new NvaeException("--judge " + judgeOptions.judge + " lies inside --out " + out
                    + ", the report's directory, which a report replaces as a whole: give a judge path outside it");
        }
        judgeOptions.check(inputs);
        PrintWriter err = spec.commandLine().getErr();
        try (BackendOpening opening = compute.openInBackground(); LoadedModel loaded = model.load()) {
            LatentModel m = loaded.model();
            ModelConfig c = m.config();
            String dataSpec = QualityCommand.dataSpec(data, loaded);
            if (data == null) inputs.data("the data the model was trained on", dataSpec);
            // A directory still to be made holds no input, but made inside the data it becomes part of it: in an image
            // folder another class of PNGs, which the next read refuses. Refused as train refuses checkpoints there.
            if (DataSources.encloses(dataSpec, out)) {
                throw new NvaeException("--out " + out + " lies inside the dataset " + dataSpec + " ("
                        + (data != null ? "--data" : "the data the model was trained on")
                        + "); a report written there would change the input: give a directory outside it");
            }
            judgeOptions.check(inputs);
            if (judgeOptions.judge != null) inputs.file("--judge", judgeOptions.judge);
            if (Files.isDirectory(out)) { // a directory still to be made holds no input
                for (String name : outputNames(c)) {
                    OutputPaths.file(out.resolve(name), "--out", inputs, null, "a report is several files in a directory");
                }
            }
            List<Path> earlier = earlierReport(out);
            Backend be = opening.get(loaded);
            Dataset train = DataOptions.inModelShape(dataSpec, DataOptions.load(dataSpec, Split.TRAIN), c);
            Dataset test = DataOptions.inModelShape(dataSpec, DataOptions.load(dataSpec, Split.TEST), c);
            DataOptions.requireClasses(dataSpec, train, loaded);
            DataOptions.requireClasses(dataSpec, test, loaded);
            ModelData.requireLabels(m, test); // a cvae reads every test example's label: refused before any work, as evaluate refuses it
            // Not given, iwae_nll is left out for a label-free model and for a test split with unlabelled examples (the evaluator
            // refuses it, naming --iw) and said so on the page.
            int unlabelled = test.count() - test.labelledCount();
            // A vae's or beta-vae's iwae_nll, of −log p(x), reads no label: examples without one are estimated too.
            boolean iwNeedsLabels = c.isConditional() && unlabelled > 0;
            int iw = this.iw != null ? this.iw : c.labelFree() || iwNeedsLabels ? 0 : DEFAULT_IW;
            if (iw > 0 && c.labelFree()) { // given: refused before anything is computed, as evaluate --iw refuses it
                throw new NvaeException("--iw " + iw + ": " + Evaluator.IWAE_LABEL_FREE + "; leave --iw out (its default is 0 for such a model)");
            }
            if (iw > 0 && iwNeedsLabels) {
                throw new NvaeException("--iw " + iw + ": iwae_nll estimates -log p(x|y) given the true class, and " + unlabelled + " of "
                        + test.name() + " have none; leave --iw out (its default is 0 for such data)");
            }
            if (iw > 0) EvaluateCommand.requireWeightsFit(iw, Math.min(EVAL_BATCH, test.count()), "--iw");
            // The judge learns and is measured on the labelled examples; the model is evaluated on the whole test split.
            // Data with none (a vae's, trained without labels), or images of sides the judge's CNN cannot take, trains no
            // judge: the page leaves sample quality out and says why, rather than the whole report being refused. A --judge
            // given asks for it: refused as quality refuses it.
            String noQuality = judgeOptions.judge != null ? null : noLabelToJudge(dataSpec, train, test);
            if (noQuality == null && judgeOptions.judge == null) noQuality = QualityCommand.unjudgeableSize(train);
            Dataset judged = null;
            if (noQuality == null) {
                train = DataOptions.labelled(dataSpec, train, "training", QualityCommand.JUDGE_LABELS, err);
                judged = DataOptions.labelled(dataSpec, test, "test", QualityCommand.JUDGE_LABELS, err);
                QualityCommand.requireJudgeable(dataSpec, train, c);
                QualityCommand.requireSamplesFit(n, c, train, judged, SIGMAS.length);
            }
            List<String> classes = loaded.classNames();
            Map<String, Object> numbers = new LinkedHashMap<>();
            numbers.put("model_file", model.path.toString());
            numbers.put("data", dataSpec);
            numbers.put("nvae_version", VersionProvider.version());
            numbers.put("config", configJson(c));
            numbers.put("classes", classes);
            numbers.put("training", loaded.training());
            numbers.put("precision", be.precision().label());
            numbers.put("weights_dtype", loaded.storedDtype().label()); // an exported bf16 file's training.precision is still its training's

            step(err, "evaluating on the test split (" + test.count() + (test.count() == 1 ? " example" : " examples") + (iw > 0 ? ", iwae_nll with " + iw + " samples" : "") + ")");
            // The aggregate posterior's MMD against N(0, I), as evaluate's default --prior-samples: a kernel of (2N)² / 2 doubles and a copy.
            int draws = (int) Math.min(Evaluator.DEFAULT_PRIOR_SAMPLES, test.count());
            MemoryChecks.requireHeap(dev.nvae.analysis.metrics.Mmd.heapBytes(2 * draws),
                    "the report's comparison of " + draws + " posterior draws with as many of N(0, I)");
            EvaluationReport eval;
            try (PassProgress progress = new PassProgress("evaluating", test.count(), err, TrainingProgress.stderrIsTerminal())) {
                eval = Evaluator.evaluate(m, be, test, EVAL_BATCH, seed, iw, Evaluator.DEFAULT_PRIOR_SAMPLES, progress);
            }
            numbers.put("evaluation", EvaluationOutput.json(eval, c.model(), dataSpec, Split.TEST.label(), classes, test.classNames()));

            SampleQuality.Report quality = null;
            if (noQuality != null) {
                step(err, "sample quality left out: " + noQuality);
                numbers.put("quality_left_out", noQuality);
            } else {
                try (Backend own = ComputeOptions.fp32Beside(be)) {
                    Backend judgeBackend = own != null ? own : be;
                    try (SampleJudge judge = judgeOptions.obtain(judgeBackend, train, judged, err)) {
                        int k = judge.info().classNames().size(); // a vae draws --n for each of them
                        step(err, "judging " + (c.isConditional() || c.labelFree() ? n + " samples per " + (c.labelFree() ? "cluster" : "class")
                                : (long) n * k + " unlabelled samples (" + QualityCommand.timesTheClasses(n, k) + ")") + " at sigma 1 and 1.4");
                        quality = SampleQuality.measure(m, be, judge, judgeBackend, train, judged, n, SIGMAS, seed);
                    }
                }
                numbers.put("quality", QualityCommand.json(quality, c.model(), dataSpec));
            }
            SampleQuality.Report judgedQuality = quality;

            step(err, "drawing the figures");
            PosteriorMeans means = Sampler.posteriorMeans(m, be, ModelData.forEvaluation(c, test));
            int[] traversed = traversedDims(eval.klSharedPerDim(), c);
            // What the figures hold: a vae's one traversal sweeps every z dimension (it said the two of most KL).
            numbers.put(ReportPage.traversedKey(c), c.isConditional() ? traversed : IntStream.range(0, c.ds()).toArray());
            try (StagedOutput staged = new StagedOutput()) {
                staged.directory(out, "--out");
                staged.replacing(earlier);
                Map<String, byte[]> images = new LinkedHashMap<>();
                List<Map<String, Object>> curve = ReportPage.curve(loaded.training());
                if (!curve.isEmpty()) image(staged, images, ReportPage.CURVE, f -> ReportCharts.trainingCurve(f, curve, c.isNvae()));
                sampleGrids(staged, images, m, be, classes);
                if (judgedQuality != null) image(staged, images, ReportPage.QUALITY, f -> ReportCharts.sampleQuality(f, judgedQuality));
                image(staged, images, ReportPage.DIVERGENCE, f -> ReportCharts.priorDivergence(f, eval.aggregatePosterior()));
                int[] scatter = traversedDims(eval.klSharedPerDim(), c.ds() >= 2 ? 2 : 1, c);
                int scatterY = scatter.length > 1 ? scatter[1] : ReportCharts.OWN_BLOCK;
                image(staged, images, ReportPage.SCATTER, f -> ReportCharts.latentScatter(f, means, scatter[0], scatterY,
                        c.isConditional() ? classes : null, c.isNvae() ? "shared" : "z", c.labelFree() ? "own cluster" : "own class",
                        SCATTER_POINTS));
                image(staged, images, ReportPage.FACTORS, f -> factorHeatmap(f, eval, c, classes, dataSpec));
                traversals(staged, images, m, be, classes, traversed);
                numbers.put("images", List.copyOf(images.keySet()));
                double seconds = (System.nanoTime() - start) / 1e9;
                numbers.put("seconds", Json.round(seconds, 1));
                String json = Json.write(numbers);
                byte[] jsonBytes = json.getBytes(StandardCharsets.UTF_8);
                staged.write(out.resolve(ReportPage.JSON), f -> AtomicOutput.write(f, o -> o.write(jsonBytes)));
                ReportPage page = new ReportPage(loaded, model.path, dataSpec, eval, judgedQuality, numbers, traversed, images, test.classNames(),
                        unlabelled);
                byte[] html = page.html(seconds, json).getBytes(StandardCharsets.UTF_8);
                staged.write(out.resolve(ReportPage.HTML), f -> AtomicOutput.write(f, o -> o.write(html)));
                staged.commit();
                err.printf(Locale.ROOT, "wrote %s (%d images and %s) in %.1f s%n", out.resolve(ReportPage.HTML), images.size(), ReportPage.JSON, seconds);
                err.flush();
            }
        }
        return 0;
    }

    /** Why no judge can be trained or measured on the data (a split with no labelled example), or null where one can. */
    private static String noLabelToJudge(String spec, Dataset train, Dataset test) {
        Dataset none = train.labelledCount() == 0 ? train : test.labelledCount() == 0 ? test : null;
        return none == null ? null : "none of the " + none.count() + " " + (none == train ? "training" : "test") + " examples of " + spec
                + " has a label, and " + QualityCommand.JUDGE_LABELS;
    }

    /**
     * The model's settings in report.json: snake_case as every other key there (and as the flags, --beta-c, --sigma-x),
     * and a baseline's latent named dz as train --help and the page name it, without the N-VAE's dc, alpha and beta_c.
     * They were the record's own camelCase names (numClasses, betaC), and a vae's z was "ds" beside "dc": 0.
     */
    static Map<String, Object> configJson(ModelConfig c) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = Json.MAPPER.copy().setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE)
                .convertValue(c, java.util.LinkedHashMap.class);
        if (!c.isNvae()) {
            Map<String, Object> renamed = new java.util.LinkedHashMap<>();
            m.forEach((k, v) -> {
                if (k.equals("ds")) renamed.put("dz", v);
                else if (!k.equals("dc") && !k.equals("alpha") && !k.equals("beta_c")) renamed.put(k, v);
            });
            return renamed;
        }
        return m;
    }

    /** The names of the files a report writes: its page, its JSON and its PNGs. */
    private static final Pattern REPORT_FILE = Pattern.compile("index\\.html|report\\.json|(?:training-curve|sample-quality|"
            + "aggregate-posterior|posterior-means|factors|samples-sigma-\\d+\\.\\d|traversal-z|traversal-z-\\d+|traversal-shared-\\d+)\\.png");

    /**
     * A report is a directory (its page, report.json and the PNGs): {@code --out report.html} made a directory of that
     * name, which a user who meant a file would not look for. Refused unless it is already a directory (an earlier
     * report written there).
     */
    static void refuseAPageName(Path out) {
        String name = out.getFileName() == null ? "" : out.getFileName().toString().toLowerCase(Locale.ROOT);
        if ((name.endsWith(".html") || name.endsWith(".htm")) && !Files.isDirectory(out)) {
            throw new NvaeException("--out " + out + ": a report is a directory (DIR/" + ReportPage.HTML + " beside "
                    + ReportPage.JSON + " and its PNGs), not an HTML file: give a directory name");
        }
    }

    /** {@code path} with its existing part's links resolved, so that another name of a directory is seen as that directory. */
    private static Path resolved(Path path) {
        Path existing = path.toAbsolutePath().normalize();
        Path rest = Path.of("");
        while (existing.getParent() != null && !Files.exists(existing)) {
            rest = existing.getFileName().resolve(rest);
            existing = existing.getParent();
        }
        try {
            return existing.toRealPath().resolve(rest).normalize();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }

    /**
     * The files of an earlier report in {@code out}, which the new one replaces as a whole (none for a new or
     * empty directory). An earlier report is known by its report.json, which only a report writes; a directory
     * holding anything else — a user's files, a data set, another report's directory with files of its owner
     * beside it — is refused: writing the report there would replace some of them or mix with them.
     */
    static List<Path> earlierReport(Path out) {
        if (!Files.isDirectory(out)) return List.of();
        List<String> names = OutputPaths.entries(out, "--out");
        if (names.isEmpty()) return List.of();
        if (!isReportJson(out.resolve(ReportPage.JSON))) {
            throw new NvaeException("--out " + out + " is not empty and holds no nvae report (it has " + OutputPaths.some(names)
                    + "); give a new or empty directory, or one an earlier report wrote");
        }
        List<String> foreign = names.stream().filter(name -> !REPORT_FILE.matcher(name).matches()
                || !Files.isRegularFile(out.resolve(name), LinkOption.NOFOLLOW_LINKS)).toList();
        if (!foreign.isEmpty()) {
            throw new NvaeException("--out " + out + " holds an earlier report and files no report writes (" + OutputPaths.some(foreign)
                    + "); move them away or give a new or empty directory");
        }
        return names.stream().map(out::resolve).toList();
    }

    /** Whether {@code file} is a report's JSON: an object with the nvae version and the list of images. */
    private static boolean isReportJson(Path file) {
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) > 64L << 20) return false;
            JsonNode j = Json.MAPPER.readTree(file.toFile());
            return j != null && j.isObject() && j.path("nvae_version").isTextual() && j.path("images").isArray() && j.has("model_file");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Every name the report may write in its directory (which traversals are drawn is known only after evaluating). */
    private static List<String> outputNames(ModelConfig c) {
        List<String> names = new ArrayList<>(List.of(ReportPage.HTML, ReportPage.JSON, ReportPage.CURVE, ReportPage.QUALITY,
                ReportPage.DIVERGENCE, ReportPage.SCATTER, ReportPage.FACTORS, ReportPage.traversal(-1, false)));
        for (double s : SIGMAS) names.add(ReportPage.samples(s));
        for (int j = 0; j < c.ds(); j++) names.add(ReportPage.traversal(j, c.isNvae()));
        return names;
    }

    private static void step(PrintWriter err, String what) {
        err.println(what);
        err.flush();
    }

    private interface ImageWriter {
        void write(Path file);
    }

    /** Writes the PNG {@code name} into the output and keeps its bytes, which the page embeds. */
    private void image(StagedOutput staged, Map<String, byte[]> images, String name, ImageWriter writer) {
        staged.write(out.resolve(name), f -> {
            writer.write(f);
            try {
                images.put(name, Files.readAllBytes(f));
            } catch (IOException e) {
                throw new NvaeException(f + ": cannot read back: " + IoErrors.reason(e), e);
            }
        });
    }

    /** 8 samples of every class (or 8·K unlabelled) at σ = 1 and at σ = 1.4, the same noise in both. */
    private void sampleGrids(StagedOutput staged, Map<String, byte[]> images, LatentModel m, Backend be, List<String> classes) {
        ModelConfig c = m.config();
        int k = c.decodableLabels(); // a vae of no classes: one row
        int[] labels = (c.isConditional() ? SampleLabels.everyClass(GRID_PER_CLASS, k) : SampleLabels.unlabelled((long) GRID_PER_CLASS * k))
                .labels(0, GRID_PER_CLASS * k);
        float[][][] samples = Sampler.sample(m, be, labels, SIGMAS, seed);
        for (int s = 0; s < SIGMAS.length; s++) {
            float[][] grid = samples[s];
            image(staged, images, ReportPage.samples(SIGMAS[s]), f -> Grids.samples(f, grid, labels, c.isConditional() ? classes : null,
                    c.channels(), c.height(), c.width(), GRID_PER_CLASS));
        }
    }

    /** Each traversed shared dimension decoded for every class (a VAE: its one row), from −2.5 to 2.5. */
    private void traversals(StagedOutput staged, Map<String, byte[]> images, LatentModel m, Backend be, List<String> classes, int[] dims) {
        ModelConfig c = m.config();
        double[] values = Traversal.steps(-2.5, 2.5, TRAVERSAL_STEPS);
        List<String> colLabels = Traversal.columnLabels(values);
        if (!c.isConditional()) {
            List<Traversal.Row> rows = Traversal.allShared(c, 0);
            float[][] grid = Traversal.decode(m, be, rows, Traversal.Base.priorMean(c), values);
            image(staged, images, ReportPage.traversal(-1, false), f -> ImageGrid.writeGrid(f, grid, c.channels(), c.height(), c.width(), rows.size(), values.length,
                    rows.stream().map(Traversal.Row::label).toList(), colLabels, 2));
            return;
        }
        for (int dim : dims) {
            List<Traversal.Row> rows = Traversal.sharedAcrossClasses(c, classes, dim);
            float[][] grid = Traversal.decode(m, be, rows, Traversal.Base.priorMean(c), values);
            image(staged, images, ReportPage.traversal(dim, c.isNvae()), f -> ImageGrid.writeGrid(f, grid, c.channels(), c.height(), c.width(), rows.size(), values.length,
                    rows.stream().map(Traversal.Row::label).toList(), colLabels, 2));
        }
    }

    /** The two shared dimensions the model uses most (largest mean KL), or one for a 1-dimensional block. */
    private static int[] traversedDims(double[] klShared, ModelConfig c) {
        return traversedDims(klShared, Math.min(2, c.ds()), c);
    }

    private static int[] traversedDims(double[] klShared, int count, ModelConfig c) {
        return IntStream.range(0, c.ds()).boxed().sorted(Comparator.comparingDouble(j -> -klShared[j])).limit(count)
                .mapToInt(Integer::intValue).toArray();
    }

    private static void factorHeatmap(Path file, EvaluationReport r, ModelConfig c, List<String> classes, String data) {
        List<String> rows = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        rows.add(c.isNvae() ? "shared" : "z");
        values.add(r.klSharedPerDim());
        for (int k = 0; c.isNvae() && k < r.klClassPerDim().length; k++) {
            rows.add(classes.get(k));
            // A class the test split lacks has no mean KL: an empty row, as factors --heatmap draws it.
            values.add(r.noExampleOf(k) ? new double[0] : r.klClassPerDim()[k]);
        }
        int dims = values.stream().mapToInt(v -> v.length).max().orElse(0);
        List<String> cols = new ArrayList<>();
        for (int j = 0; j < dims; j++) cols.add("dim " + j);
        Heatmap.write(file, "KL per latent dimension (nats), test split", rows, cols, values.toArray(double[][]::new), 0.1,
                data + "; outlined: above 0.1 nats. " + FactorsCommand.heatmapRows(c));
    }
}
