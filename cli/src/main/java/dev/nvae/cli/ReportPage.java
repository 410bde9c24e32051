package dev.nvae.cli;

import dev.nvae.analysis.AggregatePosterior;
import dev.nvae.analysis.EvaluationReport;
import dev.nvae.analysis.PriorDivergence;
import dev.nvae.analysis.SampleQuality;
import dev.nvae.analysis.metrics.ClusterAgreement;
import dev.nvae.model.LoadedModel;
import dev.nvae.model.ModelConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The HTML of {@code nvae report}: one self-contained page — its style inline, its images embedded as
 * {@code data:} URIs and every number as JSON in a {@code <script type="application/json">} — so the one
 * file can be mailed, moved or opened from {@code file://} with no network and nothing beside it. The PNGs
 * and report.json written next to it hold the same bytes, for whoever wants them on their own. A few lines
 * of script check, once the page has loaded, that every image decoded: the result is shown at the top of
 * the page and in {@code #image-check[data-ok]}, which the browser test reads.
 */
final class ReportPage {
    static final String HTML = "index.html", JSON = "report.json";
    static final String CURVE = "training-curve.png", QUALITY = "sample-quality.png", DIVERGENCE = "aggregate-posterior.png",
            SCATTER = "posterior-means.png", FACTORS = "factors.png";

    private final LoadedModel loaded;
    private final Path modelFile;
    private final String data;
    private final EvaluationReport eval;
    private final SampleQuality.Report quality;
    private final Map<String, Object> numbers;
    private final int[] traversed;
    private final Map<String, byte[]> images;
    private final List<String> dataClasses;
    private final int unlabelledTest;

    /**
     * @param images      each PNG's bytes by its file name
     * @param dataClasses the test split's classes, which a label-free model's clusters are matched to
     * @param unlabelledTest the test split's examples without a label (iwae_nll, which needs every one's, is left out)
     */
    ReportPage(LoadedModel loaded, Path modelFile, String data, EvaluationReport eval, SampleQuality.Report quality,
               Map<String, Object> numbers, int[] traversed, Map<String, byte[]> images, List<String> dataClasses, int unlabelledTest) {
        this.unlabelledTest = unlabelledTest;
        this.images = images;
        this.dataClasses = dataClasses;
        this.loaded = loaded;
        this.modelFile = modelFile;
        this.data = data;
        this.eval = eval;
        this.quality = quality;
        this.numbers = numbers;
        this.traversed = traversed;
    }

    static String samples(double sigma) {
        return String.format(Locale.ROOT, "samples-sigma-%.1f.png", sigma);
    }

    /**
     * The traversal of dimension {@code dim} of an N-VAE's shared block ({@code shared}) or of a cvae's z, or (−1) a vae's
     * traversal of every z dimension. A cvae's were named traversal-shared-J.png, for a block it has not.
     */
    static String traversal(int dim, boolean shared) {
        return dim < 0 ? "traversal-z.png" : (shared ? "traversal-shared-" : "traversal-z-") + dim + ".png";
    }

    /** The report.json key of the dimensions traversed: an N-VAE's shared ones, a baseline's z. */
    static String traversedKey(ModelConfig c) {
        return c.isNvae() ? "traversed_shared_dims" : "traversed_z_dims";
    }

    /** The training curve the model file keeps (empty for files written before it was kept). */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> curve(Map<String, Object> training) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (training.get(TrainingRun.CURVE_KEY) instanceof List<?> list) {
            for (Object o : list) if (o instanceof Map<?, ?> m) out.add((Map<String, Object>) m);
        }
        return out;
    }

    /** The page; {@code json}, the numbers as report.json holds them, is embedded in it. */
    String html(double seconds, String json) {
        ModelConfig c = loaded.model().config();
        StringBuilder h = new StringBuilder(32_000);
        String title = "nvae report: " + modelFile.getFileName();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").append(esc(title)).append("</title>\n")
                .append("<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
        h.append("<h1>").append(esc(title)).append("</h1>\n");
        // The precision computed at and how the file stores the weights: an exported bf16 file's training precision says fp32.
        h.append("<p class=\"sub\">").append(esc(c.model())).append(" (").append(esc(c.arch())).append("), measured on the test split of ")
                .append(esc(data)).append(" at precision ").append(esc(String.valueOf(numbers.get("precision"))))
                .append(", weights stored as ").append(esc(loaded.storedDtype().label())).append(", by nvae ").append(esc(String.valueOf(numbers.get("nvae_version"))))
                .append(String.format(Locale.ROOT, " in %.1f s. Every number on this page, and more, is in the JSON embedded in it (#numbers) and in <a href=\"%s\">%s</a> beside it.", seconds, JSON, JSON))
                .append("</p>\n<p id=\"image-check\" data-ok=\"pending\">checking that every image loaded…</p>\n");
        h.append("<nav>").append(link("model", "Model")).append(link("training", "Training")).append(link("metrics", "Test metrics"))
                .append(link("samples", "Samples")).append(link("quality", "Sample quality")).append(link("posterior", "Aggregate posterior"))
                .append(link("factors", "Factors")).append(link("traversals", "Traversals")).append("</nav>\n");

        section(h, "model", "Model");
        h.append("<div class=\"row\">");
        table(h, "Config", configRows(c));
        table(h, "Training", trainingRows());
        h.append("</div>\n");

        section(h, "training", "Training curve");
        if (curve(loaded.training()).isEmpty()) {
            h.append("<p>This model file was written before <code>nvae train</code> kept the per-epoch curve in it; retrain to see it here.</p>\n");
        } else {
            img(h, CURVE, "loss terms and accuracy per epoch");
        }

        section(h, "metrics", "Test metrics");
        table(h, null, metricRows(c));
        if (eval.clustering() != null) clusteringText(h);

        section(h, "samples", "Samples from the prior");
        h.append("<p>z ~ N(0, σ²I), the same noise at both scales; ")
                .append(c.labelFree() ? "one row per cluster." : c.isConditional() ? "one row per class." : "no class given.")
                .append(" The paper shows σ = 1 and the wider σ = 1.4, where samples leave the region the encoder used.</p>\n<div class=\"row\">");
        for (double s : new double[]{1.0, 1.4}) {
            h.append("<figure>");
            img(h, samples(s), "samples at sigma " + s);
            h.append("<figcaption>σ = ").append(s).append("</figcaption></figure>");
        }
        h.append("</div>\n");

        section(h, "quality", "Sample quality");
        if (quality == null) {
            h.append("<p>Left out: ").append(esc(String.valueOf(numbers.get("quality_left_out")))).append(".</p>\n");
        } else {
            qualityText(h);
            img(h, QUALITY, "class agreement per class");
        }

        section(h, "posterior", "Aggregate posterior against the prior");
        posteriorText(h);
        h.append("<div class=\"row\">");
        img(h, DIVERGENCE, "aggregate posterior divergences per block");
        img(h, SCATTER, "posterior means and prior draws");
        h.append("</div>\n");

        section(h, "factors", "Factors: KL per latent dimension");
        String group = group(c);
        if (c.isNvae()) {
            h.append("<p>Mean KL of each latent dimension over the test split (each " + group + "'s own block over the examples "
                    + (c.labelFree() ? "put in that cluster" : "of that class") + "). A dimension near 0 is unused; with β_c &gt; 1 the "
                    + "active dimensions of a " + group + " are its own factors.</p>\n");
        } else { // a baseline has one block, z: no class block, no β_c
            h.append("<p>Mean KL of each dimension of z over the test split. A dimension near 0 is unused.</p>\n");
        }
        img(h, FACTORS, "factor heatmap");

        // An nvae's traversed dimensions are of its shared block; a baseline's (a cvae's too) of its one latent, z.
        String dimension = c.isNvae() ? "shared dimension" : "z dimension";
        section(h, "traversals", c.isNvae() ? "Shared-factor traversals" : "Traversals of z");
        if (c.isConditional()) {
            h.append("<p>The " + dimension + "s the model uses most (largest KL), swept from −2.5 to 2.5 with every other latent at "
                    + "its prior mean, decoded for every " + group + ": one factor, the same effect on every " + group + ".</p>\n");
            for (int d : traversed) {
                h.append("<figure>");
                img(h, traversal(d, c.isNvae()), "traversal of " + dimension + " " + d);
                h.append("<figcaption>").append(dimension).append(' ').append(d).append("</figcaption></figure>\n");
            }
        } else {
            h.append("<p>Every latent dimension swept from −2.5 to 2.5, the others at the prior mean.</p>\n");
            img(h, traversal(-1, false), "traversal of every z dimension");
        }
        h.append("<script type=\"application/json\" id=\"numbers\">").append(scriptText(json)).append("</script>\n");
        h.append(SCRIPT).append("</body>\n</html>\n");
        return h.toString();
    }

    /** {@code json} as the text of a script element. */
    static String scriptText(String json) {
        // Not only "</": "<!--" then "<script" (a class named so) puts the script in HTML's double-escaped state, where
        // its closing tag does not close it. "<" stands only inside JSON strings, where \u003c reads back as "<".
        return json.replace("<", "\\u003c");
    }

    /**
     * What a model's latent blocks and sample rows belong to: a class, or for a label-free model a cluster, which
     * is not one of the data's classes (the page matches them to classes only in the clustering table).
     */
    private static String group(ModelConfig c) {
        return c.labelFree() ? "cluster" : "class";
    }

    private List<String[]> configRows(ModelConfig c) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"family", c.model()});
        rows.add(new String[]{"architecture", c.arch() + (c.isConv() ? " (channels " + c.convChannels() + ", dense " + c.hidden1() + ")"
                : " (hidden " + c.hidden1() + ", " + c.hidden2() + ")")});
        rows.add(new String[]{"images", c.channels() + " × " + c.height() + " × " + c.width()});
        rows.add(new String[]{c.labelFree() ? "clusters" : "classes", c.classless() ? "none (trained on images without labels)"
                : c.numClasses() + ": " + String.join(", ", loaded.classNames())});
        if (c.isNvae()) {
            rows.add(new String[]{"latent", "shared ds = " + c.ds() + ", per " + group(c) + " dc = " + c.dc()});
            rows.add(new String[]{"β_c, α", fmt(c.betaC()) + ", " + fmt(c.alpha())});
        } else {
            rows.add(new String[]{"latent", "dz = " + c.ds()});
            if (ModelConfig.BETA_VAE.equals(c.model())) rows.add(new String[]{"β", fmt(c.beta())});
        }
        rows.add(new String[]{"likelihood", c.likelihood() + (ModelConfig.BINARIZE_NONE.equals(c.binarize()) ? "" : ", binarize " + c.binarize())});
        return rows;
    }

    private List<String[]> trainingRows() {
        Map<String, Object> t = loaded.training();
        List<String[]> rows = new ArrayList<>();
        for (String key : new String[]{"data", "examples", "epochs", "batch", "lr", "seed", "backend", "final_loss", "final_accuracy", "skipped_steps"}) {
            // null: not measured (a label-free model or a VAE has no final_accuracy), which the table showed as "null"
            // Measured figures to 4 decimals, as the metrics table gives them; settings (lr) as they were given.
            boolean figure = key.startsWith("final_");
            if (t.get(key) != null) {
                rows.add(new String[]{key, t.get(key) instanceof Double d ? figure ? f4(d) : fmt(d) : String.valueOf(t.get(key))});
            }
        }
        return rows;
    }

    private List<String[]> metricRows(ModelConfig c) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"examples", String.valueOf(eval.examples()), ""});
        // A label-free model's rows say what evaluate's table says for it: its bound sums over clusters, with kl_y.
        boolean free = c.labelFree();
        rows.add(new String[]{"neg_elbo", f4(eval.negElbo()), (free ? "rec + kl_s + kl_c + kl_y, summed over clusters; " : "")
                + "nats per example; one posterior sample, β = 1"});
        rows.add(new String[]{"rec", f4(eval.rec()), "−log p(x|z" + (c.isConditional() ? ", y)" : ")") + (free ? ", expected under q(y|x)" : "")});
        rows.add(new String[]{c.isNvae() ? "kl_s" : "kl", f4(eval.klS()), c.isNvae() ? "KL of the shared latent" : "KL of the latent"});
        if (c.isNvae()) {
            rows.add(new String[]{"kl_c", f4(eval.klC()), free ? "KL of the cluster's latent, expected under q(y|x)" : "KL of the true class's latent"});
            if (eval.unlabelled() > 0) rows.add(new String[]{"kl_y", f4(eval.klY()), "KL(q(y|x) ‖ p(y)) of examples without a label"});
            if (!free) {
                rows.add(new String[]{"ce", f4(eval.ce()), "−log q(y|x)"});
                rows.add(new String[]{"accuracy", f4(eval.accuracy()), "of argmax q(y|x)"});
            }
        }
        if (eval.iwSamples() > 0) rows.add(new String[]{"iwae_nll", f4(eval.iwaeNll()), eval.iwSamples() + " importance samples"});
        else if (free) rows.add(new String[]{"iwae_nll", "—", "not estimated: it needs the true class, and a label-free model has none"});
        else if (unlabelledTest > 0) {
            rows.add(new String[]{"iwae_nll", "—", "not estimated: it needs every example's true class, and " + unlabelledTest
                    + " test examples have none"});
        }
        return rows;
    }

    /** A label-free model's clusters (argmax q(y|x)) against the test split's classes, as evaluate prints them. */
    private void clusteringText(StringBuilder h) {
        ClusterAgreement a = eval.clustering();
        List<String> clusters = loaded.classNames();
        if (a.labelled() == 0) {
            // As the command line's table: no rows of NaN scored against no labels, the sizes alone.
            h.append("<p>Clusters (argmax q(y|x)): no test example has a label to score them against; their sizes:</p>\n");
            h.append("<div class=\"row\">");
        } else {
            h.append("<p>Clusters (argmax q(y|x)) against the classes of the ").append(a.labelled())
                    .append(" labelled test examples, each cluster matched to one class by the assignment that maximises agreement.</p>\n");
            h.append("<div class=\"row\">");
            table(h, "Clustering", List.of(
                    new String[]{"acc", f4(a.accuracy()), "clustering accuracy, best one-to-one match of clusters to classes"},
                    new String[]{"nmi", f4(a.nmi()), "normalised mutual information (arithmetic mean of entropies)"},
                    new String[]{"ari", f4(a.ari()), "adjusted Rand index"}));
        }
        List<String[]> sizes = new ArrayList<>();
        for (int k = 0; k < a.sizes().length; k++) {
            sizes.add(new String[]{clusters.get(k), String.format(Locale.ROOT, "%.2f%%", 100 * a.sizes()[k]),
                    a.labelled() > 0 && a.classOf()[k] >= 0 ? dataClasses.get(a.classOf()[k]) : "—"});
        }
        tableWithHead(h, new String[]{"cluster", "share of the split", "matched class"}, sizes);
        h.append("</div>\n");
    }

    private void qualityText(StringBuilder h) {
        SampleQuality.Report q = quality;
        h.append("<p>A small CNN (two stride-2 convolutions, a 128-unit dense layer) trained by nvae on the real training split judges ")
                .append(q.conditional() || q.labelFree() ? String.valueOf(q.perClass()) : q.perClass() * q.classNames().size() + " (" + q.perClass() + " × the data's "
                        + q.classNames().size() + " classes)")
                .append(q.conditional() ? " samples of every class" : q.labelFree() ? " samples of every cluster" : " unlabelled samples")
                .append(String.format(Locale.ROOT, " at each σ; on real test images it is right %.2f%% of the time. ", 100 * q.judgeAccuracy()))
                .append("<b>FD</b> is the Fréchet distance between its penultimate-layer features of the real test images and of the samples: "
                        + "FID's formula on our own network, <b>not Inception-FID</b>, so it compares models under this judge only. "
                        + esc(capitalised(QualityCommand.realFloor(q))));
        if (!Double.isNaN(q.fdReal())) h.append(", the floor.");
        else h.append(".");
        if (q.conditional()) h.append(" <b>Class agreement</b>: the share of samples the judge puts in the class they were drawn for.");
        if (q.labelFree()) h.append(" <b>Class agreement</b>: ").append(esc(QualityCommand.NO_AGREEMENT)).append("; the chart shows which classes the judge sees in them.");
        h.append("</p>\n");
        List<String[]> rows = new ArrayList<>();
        for (SampleQuality.AtSigma s : q.results()) {
            rows.add(new String[]{"σ = " + s.sigma(), String.format(Locale.ROOT, "%.3f", s.fd()),
                    q.conditional() ? f4(s.agreement()) : q.labelFree() ? "— (clusters are not classes)" : "n/a (no class to give)"});
        }
        tableWithHead(h, new String[]{"", "FD", "class agreement"}, rows);
    }

    private void posteriorText(StringBuilder h) {
        h.append("<p>q(z) = (1/N) Σ q(z|x) over the test split, per latent block. A Gaussian fit's KL cannot see clusters "
                + "(ten separate clusters with the prior's mean and covariance score 0); from samples — one draw of q(z|x) from each of "
                + "up to 1000 examples against as many N(0, I) draws — MMD² (RBF kernel, median-distance bandwidth) with its permutation "
                + "p-value, and the 5-nearest-neighbour estimate of KL(q(z) ‖ N(0, I)), can. A small p says q(z) is not the prior.</p>\n");
        List<String[]> rows = new ArrayList<>();
        for (AggregatePosterior a : eval.aggregatePosterior()) rows.add(posteriorRow(a));
        tableWithHead(h, new String[]{"block", "examples", "Gaussian-fit KL", "MMD²", "p", "kNN KL"}, rows);
    }

    /**
     * A block's row of the aggregate-posterior table. A block with too few examples to measure (an empty or tiny
     * cluster) has NaN figures: its MMD² cell read "NaN" beside "n/a"; all three now say so, as evaluate does.
     */
    static String[] posteriorRow(AggregatePosterior a) {
        PriorDivergence d = a.divergence();
        String mmd2 = d == null ? "" : d.measured() ? String.format(Locale.ROOT, "%.5f", d.mmd2()) : "too few (" + d.samples() + ")";
        return new String[]{a.block(), String.valueOf(a.examples()), f4(a.klFull()), mmd2,
                d == null ? "" : f4(d.pValue()), d == null ? "" : f4(d.knnKl())};
    }

    // ---- HTML pieces ------------------------------------------------------------------------------------

    private static String link(String id, String text) {
        return "<a href=\"#" + id + "\">" + esc(text) + "</a>";
    }

    private static void section(StringBuilder h, String id, String title) {
        h.append("<h2 id=\"").append(id).append("\">").append(esc(title)).append("</h2>\n");
    }

    /** The PNG {@code file} embedded; data-file names its copy beside the page. */
    private void img(StringBuilder h, String file, String alt) {
        byte[] png = images.get(file);
        if (png == null) throw new IllegalStateException("the report has no image " + file);
        h.append("<img src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(png)).append("\" data-file=\"")
                .append(esc(file)).append("\" alt=\"").append(esc(alt)).append("\">");
    }

    private static void table(StringBuilder h, String caption, List<String[]> rows) {
        h.append("<table>");
        if (caption != null) h.append("<caption>").append(esc(caption)).append("</caption>");
        for (String[] r : rows) {
            h.append("<tr><th>").append(esc(r[0])).append("</th>");
            for (int i = 1; i < r.length; i++) h.append("<td>").append(esc(r[i])).append("</td>");
            h.append("</tr>");
        }
        h.append("</table>\n");
    }

    private static void tableWithHead(StringBuilder h, String[] head, List<String[]> rows) {
        h.append("<table><tr>");
        for (String s : head) h.append("<th>").append(esc(s)).append("</th>");
        h.append("</tr>");
        for (String[] r : rows) {
            h.append("<tr><th>").append(esc(r[0])).append("</th>");
            for (int i = 1; i < r.length; i++) h.append("<td>").append(esc(r[i])).append("</td>");
            h.append("</tr>");
        }
        h.append("</table>\n");
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }

    private static String f4(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "n/a";
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }

    private static final String STYLE = """
            body { font: 15px/1.45 system-ui, sans-serif; color: #222; max-width: 1560px; margin: 0 auto; padding: 0 24px 48px; }
            h1 { margin: 24px 0 4px; font-size: 26px; } h2 { margin-top: 36px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
            .sub { color: #555; margin-top: 0; } nav a { margin-right: 14px; }
            #image-check { display: inline-block; padding: 3px 10px; border-radius: 4px; background: #eee; font-size: 13px; }
            #image-check[data-ok="true"] { background: #e3f4e1; color: #185c12; } #image-check[data-ok="false"] { background: #fbe3e3; color: #8a1010; }
            .row { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
            table { border-collapse: collapse; margin: 8px 0 16px; } caption { text-align: left; font-weight: 600; padding-bottom: 4px; }
            th, td { border: 1px solid #ddd; padding: 3px 10px; text-align: left; } td { font-variant-numeric: tabular-nums; }
            img { max-width: 100%; border: 1px solid #eee; } figure { margin: 0 24px 16px 0; display: inline-block; vertical-align: top; }
            figcaption { color: #555; font-size: 13px; }
            """;

    /** Runs on load: every img must have decoded (complete, with a natural width). */
    private static final String SCRIPT = """
            <script>
            window.addEventListener('load', function () {
              var images = Array.prototype.slice.call(document.images);
              var broken = images.filter(function (i) { return !(i.complete && i.naturalWidth > 0); });
              var check = document.getElementById('image-check');
              check.dataset.ok = broken.length === 0 ? 'true' : 'false';
              check.dataset.images = String(images.length);
              check.textContent = broken.length === 0 ? 'all ' + images.length + ' images loaded'
                  : broken.length + ' of ' + images.length + ' images did not load: '
                    + broken.map(function (i) { return i.dataset.file; }).join(', ');
            });
            </script>
            """;

    private static String capitalised(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
