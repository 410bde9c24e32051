package dev.nvae.cli;

import dev.nvae.analysis.AggregatePosterior;
import dev.nvae.analysis.PosteriorMeans;
import dev.nvae.analysis.SampleQuality;
import dev.nvae.io.AtomicOutput;
import dev.nvae.random.Rng;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainCategoryPlot;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.geom.Ellipse2D;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** The report's charts, drawn with JFreeChart and written as PNG. */
final class ReportCharts {
    static {
        System.setProperty("java.awt.headless", "true"); // no display on a server
    }

    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 14);

    private ReportCharts() {
    }

    /**
     * Loss terms and accuracy per epoch, from the model file's curve: the loss and its reconstruction
     * term; the KL terms and the classifier's cross-entropy; the training accuracy (an N-VAE's).
     * {@code classBlocks}: whether the model has class (cluster) latents, an N-VAE; a baseline's kl_c, always 0,
     * was drawn as a line at 0, and its one KL is drawn as kl.
     */
    static void trainingCurve(Path file, List<Map<String, Object>> curve, boolean classBlocks) {
        write(file, trainingCurveChart(curve, classBlocks), 760, 620);
    }

    /**
     * The panels share one legend, so each panel's series take the colours after the previous panel's:
     * every loss term keeps a colour of its own.
     */
    static JFreeChart trainingCurveChart(List<Map<String, Object>> curve, boolean classBlocks) {
        NumberAxis epochs = integerAxis("epoch");
        // Epochs are counted from 1: an axis from 0 left an empty first stretch; one epoch alone is a point, not a
        // range the axis can zoom into without bound.
        epochs.setAutoRangeIncludesZero(false);
        epochs.setAutoRangeMinimumSize(1.0);
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(epochs);
        plot.setGap(12);
        // A model of one latent block (vae, beta-vae, cvae) records its KL under kl_s, but evaluate, the report's table
        // and the epoch lines name it kl: the legend once said kl_s beside a table saying kl.
        UnaryOperator<String> name = key -> !classBlocks && key.equals("kl_s") ? "kl" : key;
        plot.add(linePlot(curve, "nats per example", 0, name, "loss", "rec"), 2);
        // The terms the model trained on: ce where examples were classified against a label (an accuracy was
        // measured; a label-free model and a VAE have none, and their ce was drawn as a line at 0), kl_y where some
        // examples had no label (it was left out, a term of the loss that no line showed) and the model has a q(y|x) to
        // give it: a vae trained on images without labels records a kl_y of 0, a term it does not have.
        boolean classified = curve.stream().anyMatch(e -> e.get("accuracy") instanceof Number);
        List<String> terms = new ArrayList<>(classBlocks ? List.of("kl_s", "kl_c") : List.of("kl_s"));
        if (classified) terms.add("ce");
        if (classBlocks && curve.stream().anyMatch(e -> e.get("kl_y") instanceof Number)) terms.add("kl_y");
        plot.add(linePlot(curve, "nats per example", 2, name, terms.toArray(String[]::new)), 2);
        if (classified) plot.add(linePlot(curve, "accuracy", 2 + terms.size(), name, "accuracy"), 1);
        return new JFreeChart("Training curve (means over each epoch's training examples)", TITLE, plot, true);
    }

    /** {@code name}: the legend's name of the curve's key. */
    private static XYPlot linePlot(List<Map<String, Object>> curve, String axis, int firstSeries, UnaryOperator<String> name,
                                   String... keys) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (String key : keys) {
            XYSeries s = new XYSeries(name.apply(key));
            for (Map<String, Object> e : curve) {
                if (e.get("epoch") instanceof Number ep && e.get(key) instanceof Number v) s.add(ep.doubleValue(), v.doubleValue());
            }
            data.addSeries(s);
        }
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < keys.length; i++) {
            r.setSeriesPaint(i, SeriesColours.colour(firstSeries + i));
            r.setSeriesStroke(i, SeriesColours.line(firstSeries + i, 2f));
            r.setSeriesShape(i, new Ellipse2D.Double(-3, -3, 6, 6));
        }
        NumberAxis y = new NumberAxis(axis);
        y.setAutoRangeIncludesZero(false);
        XYPlot p = new XYPlot(data, null, y, r);
        style(p);
        return p;
    }

    /**
     * Per latent block: the kNN estimate of KL(q(z) ‖ N(0, I)) beside the KL of q(z)'s Gaussian fit (the
     * fit is blind to clusters), and MMD² below them.
     */
    static void priorDivergence(Path file, List<AggregatePosterior> blocks) {
        DefaultCategoryDataset kl = new DefaultCategoryDataset(), mmd = new DefaultCategoryDataset();
        for (AggregatePosterior a : blocks) {
            if (a.divergence() == null) continue;
            kl.addValue(finite(a.divergence().knnKl()), "kNN KL (samples)", a.block());
            kl.addValue(finite(a.klFull()), "KL of the Gaussian fit", a.block());
            mmd.addValue(finite(a.divergence().mmd2()), "MMD² (RBF, median bandwidth)", a.block());
        }
        CategoryAxis blocksAxis = new CategoryAxis("latent block");
        blocksAxis.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        CombinedDomainCategoryPlot plot = new CombinedDomainCategoryPlot(blocksAxis);
        plot.setGap(12); // the default 5 pixels set the upper panel's 0.0 against the lower panel's top tick label
        plot.add(barPlot(kl, "nats", 0), 3);
        plot.add(barPlot(mmd, "MMD²", 2), 2);
        write(file, new JFreeChart("Aggregate posterior q(z) against the prior N(0, I)", TITLE, plot, true), 760, 560);
    }

    /**
     * {@code dimY} for a shared block of one dimension: y is dimension 0 of the example's own class (cluster) block,
     * or, for a model with no such block (a VAE with dz = 1), 0 — a strip of the one dimension — for the examples
     * and the prior draws alike. Drawn against itself, the one dimension put every example on the diagonal.
     */
    static final int OWN_BLOCK = -1;

    /**
     * The shared block's posterior means of the split's examples on two of its dimensions ({@code dimY} may be
     * {@link #OWN_BLOCK}, named {@code ownBlock}), one colour per class, over as many draws of the prior N(0, I)
     * as grey rings: clusters and holes show here as they are.
     */
    static void latentScatter(Path file, PosteriorMeans means, int dimX, int dimY, List<String> classNames, String block,
                              String ownBlock, int cap) {
        write(file, latentScatterChart(means, dimX, dimY, classNames, block, ownBlock, cap), 640, 600);
    }

    /** One colour per class for any number of classes (a face data set has dozens). */
    static JFreeChart latentScatterChart(PosteriorMeans means, int dimX, int dimY, List<String> classNames, String block,
                                         String ownBlock, int cap) {
        int n = Math.min(cap, means.labels().length);
        boolean own = dimY == OWN_BLOCK, strip = own && (means.own().length == 0 || means.own()[0].length == 0);
        int[] order = new int[means.labels().length];
        Rng.stream(0, 0x5CA7).permutation(order);
        XYSeriesCollection data = new XYSeriesCollection();
        XYSeries prior = new XYSeries("prior N(0, I)");
        Rng rng = Rng.stream(0, 0x5CA8);
        for (int i = 0; i < n; i++) prior.add(rng.nextGaussian(), strip ? 0 : rng.nextGaussian());
        data.addSeries(prior);
        boolean byClass = classNames != null;
        XYSeries[] series = new XYSeries[byClass ? classNames.size() : 1];
        for (int k = 0; k < series.length; k++) {
            series[k] = new XYSeries(byClass ? classNames.get(k) : "examples");
            data.addSeries(series[k]);
        }
        for (int i = 0; i < n; i++) {
            int e = order[i];
            double y = strip ? 0 : own ? means.own()[e][0] : means.shared()[e][dimY];
            series[byClass ? means.labels()[e] : 0].add(means.shared()[e][dimX], y);
        }
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
        // The prior's draws are rings, the examples discs: a filled grey prior was hard to tell from the eighth
        // class's grey (Fashion-MNIST's sneakers), which then seemed to spread over the whole prior.
        r.setSeriesPaint(0, new Color(0, 0, 0, 70));
        r.setSeriesShape(0, new Ellipse2D.Double(-1.5, -1.5, 3, 3));
        r.setSeriesShapesFilled(0, false);
        for (int k = 0; k < series.length; k++) {
            r.setSeriesShapesFilled(k + 1, true);
            r.setSeriesPaint(k + 1, SeriesColours.colour(k, 150));
            r.setSeriesShape(k + 1, new Ellipse2D.Double(-2, -2, 4, 4));
        }
        NumberAxis yAxis = new NumberAxis(strip ? "" : own ? ownBlock + " dim 0" : block + " dim " + dimY);
        if (strip) { // every y is 0: no scale to read (auto-range labelled it in units of 1e-9)
            yAxis.setRange(-1, 1);
            yAxis.setTickLabelsVisible(false);
        }
        XYPlot p = new XYPlot(data, new NumberAxis(block + " dim " + dimX), yAxis, r);
        style(p);
        return new JFreeChart("Posterior means μ(x) of " + n + " test examples, prior draws as grey rings", TITLE, p, true);
    }

    /**
     * Per class, at each σ: the class agreement of the samples drawn for it (the judge's test accuracy on
     * real images beside it, its ceiling) — or, for a model that cannot be given a class, the share of
     * samples the judge puts in it.
     */
    static void sampleQuality(Path file, SampleQuality.Report r) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        List<String> names = r.classNames();
        for (int k = 0; k < names.size(); k++) {
            if (r.conditional()) data.addValue(finite(r.judgePerClass()[k]), "judge on real test images", names.get(k));
            for (SampleQuality.AtSigma s : r.results()) {
                double v = r.conditional() ? s.perClassAgreement()[k] : s.predictedShare()[k];
                data.addValue(finite(v), (r.conditional() ? "agreement, σ = " : "share of samples, σ = ") + s.sigma(), names.get(k));
            }
        }
        CategoryAxis classes = new CategoryAxis("class");
        classes.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        CategoryPlot p = barPlot(data, r.conditional() ? "fraction" : "share", r.conditional() ? 7 : 0);
        p.setDomainAxis(classes);
        String title = r.conditional() ? "Class agreement of samples drawn for each class" : "Which class the judge sees in the samples";
        write(file, new JFreeChart(title, TITLE, p, true), 760, 460);
    }

    private static CategoryPlot barPlot(DefaultCategoryDataset data, String axis, int firstColour) {
        BarRenderer r = new BarRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setItemMargin(0.05);
        for (int i = 0; i < data.getRowCount(); i++) r.setSeriesPaint(i, SeriesColours.colour(firstColour + i));
        CategoryPlot p = new CategoryPlot(data, null, new NumberAxis(axis), r);
        p.setBackgroundPaint(Color.WHITE);
        p.setRangeGridlinePaint(new Color(210, 210, 210));
        return p;
    }

    private static void style(XYPlot p) {
        Paint grid = new Color(210, 210, 210);
        p.setBackgroundPaint(Color.WHITE);
        p.setDomainGridlinePaint(grid);
        p.setRangeGridlinePaint(grid);
    }

    private static NumberAxis integerAxis(String label) {
        NumberAxis a = new NumberAxis(label);
        a.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        return a;
    }

    /** A bar for a figure that could not be measured is left out (null), not drawn as 0. */
    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static void write(Path file, JFreeChart chart, int width, int height) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        AtomicOutput.write(file, out -> ChartUtils.writeChartAsPNG(out, chart, width, height));
    }
}
