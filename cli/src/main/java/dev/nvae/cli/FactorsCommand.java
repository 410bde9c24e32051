package dev.nvae.cli;

import dev.nvae.analysis.FactorReport;
import dev.nvae.analysis.Factors;
import dev.nvae.backend.Backend;
import dev.nvae.data.Dataset;
import dev.nvae.model.LatentModel;
import dev.nvae.model.LoadedModel;
import dev.nvae.model.ModelConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "factors", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Find the factors of variation a model uses, from its latents' KL.",
                "The KL of each latent dimension is the detector. S[j]: KL of shared dimension j over all examples; "
                        + "A[k][j]: KL of class k's dimension j over the examples of class k. Dimensions above "
                        + "--threshold are active. Train with --beta-c > 1 so that a class's unused dimensions collapse "
                        + "to the prior and the active ones are its own factors.",
                "Prints a table (or JSON with --json); --heatmap also draws it (blocks x dimensions)."})
final class FactorsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOption model;

    @Mixin
    DataOptions data;

    @Option(names = "--threshold", paramLabel = "NATS", defaultValue = "" + Factors.DEFAULT_THRESHOLD,
            description = "A dimension with mean KL above this is active. Default: ${DEFAULT-VALUE}.")
    double threshold;

    @Option(names = "--heatmap", paramLabel = "F.png", description = "Also write the table as a labelled heatmap PNG.")
    Path heatmap;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "500", description = "Examples per batch. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Mixin
    ComputeOptions compute;

    @Override
    public Integer call() {
        OutputPaths.requireFileName(spec, "--heatmap", "the heatmap is one PNG file");
        OutputPaths.Inputs inputs = OutputPaths.inputs().file("--model", model.path);
        if (heatmap != null) OutputPaths.file(heatmap, "--heatmap", data.asInput(inputs), json ? "the JSON report" : "the table", null);
        OutputFormats.require(heatmap, "--heatmap", OutputFormats.PNG, "factors --heatmap");
        try (BackendOpening opening = compute.openInBackground(); LoadedModel loaded = model.load()) {
            if (heatmap != null) data.checkOutput(heatmap, "--heatmap", inputs, loaded);
            Backend backend = opening.get(loaded);
            Dataset set = data.loadFor(loaded);
            FactorReport r = Factors.detect(loaded.model(), loaded.classNames(), backend, set, batch, threshold);
            String where = data.spec(loaded) + ", " + data.split().label() + " split";
            if (heatmap != null) writeHeatmap(r, loaded.model(), where);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(Json.write(json(r, loaded.model(), data.spec(loaded), data.split().label())));
            } else {
                table(out, r, loaded.model(), where, set.count() - set.labelledCount());
            }
            out.flush();
        }
        return 0;
    }

    static String sharedLabel(LatentModel m) {
        return m.config().isNvae() ? "shared" : "z";
    }

    static Map<String, Object> json(FactorReport r, LatentModel m, String data, String split) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("model", m.config().model());
        j.put("data", data);
        j.put("split", split);
        j.put("examples", r.examples());
        j.put("threshold", r.threshold());
        Map<String, Object> shared = new LinkedHashMap<>();
        shared.put("kl_per_dim", r.shared());
        shared.put("active", r.activeShared());
        j.put(sharedLabel(m), shared);
        if (m.config().isNvae()) {
            List<Map<String, Object>> classes = new ArrayList<>();
            for (int k = 0; k < r.perClass().length; k++) {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("class", r.classNames().get(k));
                // A cluster's class is a field of its own (cluster --json's and evaluate's word), not "cluster 2 = Trouser".
                if (!r.matchedClasses().isEmpty()) c.put("matched_class", r.matchedClasses().get(k));
                c.put("examples", r.examplesPerClass()[k]);
                // No example, no mean: the table and the heatmap leave the row out, and 0.0 would read as a collapsed block.
                c.put("kl_per_dim", r.examplesPerClass()[k] == 0 ? null : r.perClass()[k]);
                c.put("active", r.activeInClass(k));
                classes.add(c);
            }
            j.put("classes", classes);
        }
        return j;
    }

    /** @param unlabelled the split's examples without a label, which an N-VAE puts in the class it predicts for them */
    static void table(PrintWriter out, FactorReport r, LatentModel m, String where, int unlabelled) {
        out.printf(Locale.ROOT, "%s, %d %s: KL per latent dimension (nats); * marks active (> %s)%n",
                where, r.examples(), r.examples() == 1 ? "example" : "examples", r.threshold());
        // A class's row is not its labelled examples alone: read as if it were, a row of none would say the split has none.
        boolean predicted = m.config().isNvae() && !m.config().labelFree() && unlabelled > 0;
        if (predicted) {
            out.printf(Locale.ROOT, "class rows: a class's labelled examples and, of the %d without a label, those the model predicts it for%n",
                    unlabelled);
        }
        List<String> labels = rowLabels(r, m);
        int width = Math.max(8, labels.stream().mapToInt(String::length).max().orElse(0));
        int dims = Math.max(r.shared().length, r.perClass().length == 0 ? 0 : r.perClass()[0].length);
        out.printf(Locale.ROOT, "%-" + width + "s", "");
        for (int j = 0; j < dims; j++) out.printf(Locale.ROOT, " %8d", j);
        out.printf("   active%n");
        row(out, width, dims, labels.getFirst(), r.shared(), r.activeShared(), r.threshold());
        for (int k = 0; k < labels.size() - 1; k++) {
            if (r.examplesPerClass()[k] == 0) {
                out.printf(Locale.ROOT, "%-" + width + "s  (no examples in this split%s)%n", labels.get(k + 1),
                        predicted ? ", labelled or predicted" : "");
            } else {
                row(out, width, dims, labels.get(k + 1), r.perClass()[k], r.activeInClass(k), r.threshold());
            }
        }
    }

    /** The shared block (a baseline's z), then an N-VAE's class blocks: a baseline has no latent of a class's own. */
    private static List<String> rowLabels(FactorReport r, LatentModel m) {
        List<String> labels = new ArrayList<>();
        labels.add(sharedLabel(m));
        for (int k = 0; m.config().isNvae() && k < r.perClass().length; k++) labels.add(r.rowName(k));
        return labels;
    }

    private static void row(PrintWriter out, int width, int dims, String label, double[] kl, List<Integer> active, double threshold) {
        out.printf(Locale.ROOT, "%-" + width + "s", label);
        for (int j = 0; j < dims; j++) {
            if (j < kl.length) {
                out.printf(Locale.ROOT, " %7.3f%s", kl[j], kl[j] > threshold ? "*" : " ");
            } else {
                out.print("         ");
            }
        }
        out.printf(Locale.ROOT, "   %d of %d%s%n", active.size(), kl.length,
                active.isEmpty() ? "" : ": " + String.join(" ", active.stream().map(String::valueOf).toList()));
    }

    private void writeHeatmap(FactorReport r, LatentModel m, String where) {
        List<String> rows = new ArrayList<>(rowLabels(r, m));
        double[][] values = new double[rows.size()][];
        values[0] = r.shared();
        for (int k = 0; k < rows.size() - 1; k++) {
            values[k + 1] = r.examplesPerClass()[k] == 0 ? new double[0] : r.perClass()[k];
            // A blank row says nothing of why; the table says "(no examples in this split)".
            if (r.examplesPerClass()[k] == 0) rows.set(k + 1, rows.get(k + 1) + " (no examples)");
        }
        int dims = 0;
        for (double[] v : values) dims = Math.max(dims, v.length);
        List<String> cols = new ArrayList<>();
        for (int j = 0; j < dims; j++) cols.add("dim " + j);
        String title = "KL per latent dimension (nats): " + m.config().model()
                + (m.config().isNvae() ? ", beta_c " + fmt(m.config().betaC()) : "");
        String caption = String.format(Locale.ROOT, "%s; outlined: active (> %s nats). %s", where, fmt(r.threshold()), heatmapRows(m.config()));
        dev.nvae.io.Heatmap.write(heatmap, title, rows, cols, values, r.threshold(), caption);
    }

    /** What a factor heatmap's rows are, for its caption: a label-free model's blocks are its clusters, not classes. */
    static String heatmapRows(ModelConfig c) {
        if (!c.isNvae()) return "One latent block, z.";
        return c.labelFree() ? "Rows: the shared block, then each cluster's own block over the examples put in it."
                : "Rows: the shared block, then each class's own block over its examples.";
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
