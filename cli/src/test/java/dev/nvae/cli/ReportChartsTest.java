package dev.nvae.cli;

import dev.nvae.analysis.PosteriorMeans;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYDataset;
import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.Paint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every entry of a report chart's legend has a colour of its own, however many series the chart has. */
class ReportChartsTest {
    @Test
    void seriesColoursAreDistinctWellBeyondTen() {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 70; i++) {
            assertTrue(seen.add(SeriesColours.colour(i).getRGB() & 0xFFFFFF), "series " + i + " repeats an earlier colour");
        }
        assertEquals(new Color(31, 119, 180), SeriesColours.colour(0), "the first colour is Tableau's blue");
        assertEquals(150, SeriesColours.colour(12, 150).getAlpha());
        assertEquals(SeriesColours.colour(12).getRGB() & 0xFFFFFF, SeriesColours.colour(12, 150).getRGB() & 0xFFFFFF);
    }

    @Test
    void linesBeyondTheFirstTenAreDashed() {
        assertNull(SeriesColours.line(9, 2f).getDashArray(), "the first ten lines are solid");
        float[] second = SeriesColours.line(10, 2f).getDashArray(), third = SeriesColours.line(20, 2f).getDashArray();
        assertNotNull(second);
        assertNotNull(third);
        assertFalse(Arrays.equals(second, third), "each further ten has its own dash pattern");
    }

    /** The curve's panels share a legend: the second panel's terms once took the first panel's colours again. */
    @Test
    void trainingCurveLegendHasSixColours() {
        List<Map<String, Object>> curve = new ArrayList<>();
        for (int e = 1; e <= 3; e++) curve.add(epoch(e, 1.0 / e, 0.5 + 0.1 * e));
        assertDistinct(ReportCharts.trainingCurveChart(curve, true), 6);
    }

    /** The epoch axis spans the epochs drawn: it began at 0, an empty stretch before epoch 1; one epoch gets a unit range. */
    @Test
    void theEpochAxisSpansTheEpochsDrawn() {
        List<Map<String, Object>> curve = new ArrayList<>();
        for (int e = 1; e <= 3; e++) curve.add(epoch(e, 1.0 / e, 0.5 + 0.1 * e));
        org.jfree.data.Range range = ((XYPlot) ReportCharts.trainingCurveChart(curve, true).getPlot()).getDomainAxis().getRange();
        assertTrue(range.getLowerBound() > 0.5 && range.getLowerBound() <= 1 && range.getUpperBound() >= 3 && range.getUpperBound() < 3.5,
                range.toString());
        org.jfree.data.Range one = ((XYPlot) ReportCharts.trainingCurveChart(List.of(epoch(1, 1.0, 0.5)), true).getPlot())
                .getDomainAxis().getRange();
        assertTrue(one.contains(1) && one.getLength() >= 1 && one.getLowerBound() >= 0, one.toString());
    }

    /**
     * A label-free model's curve drew ce, a line at 0 (it classifies nothing against a label), and left out kl_y, a term of
     * its loss on every example; a partly labelled model's kl_y was left out too; a VAE's drew kl_c and ce, lines at 0,
     * and named its one KL kl_s where evaluate names it kl.
     */
    @Test
    void trainingCurveDrawsTheTermsTheModelTrainedOn() {
        List<Map<String, Object>> free = new ArrayList<>(), partly = new ArrayList<>();
        for (int e = 1; e <= 2; e++) {
            Map<String, Object> m = epoch(e, 0.0, null);
            m.put("kl_y", 0.5 / e);
            free.add(m);
            Map<String, Object> p = new LinkedHashMap<>(m);
            p.put("ce", 1.0 / e);
            p.put("accuracy", 0.5);
            partly.add(p);
        }
        assertEquals(List.of("loss", "rec", "kl_s", "kl_c", "kl_y"), legend(ReportCharts.trainingCurveChart(free, true)));
        assertEquals(List.of("loss", "rec", "kl_s", "kl_c", "ce", "kl_y", "accuracy"), legend(ReportCharts.trainingCurveChart(partly, true)));
        assertDistinct(ReportCharts.trainingCurveChart(partly, true), 7);
        // A VAE's curve has kl_c = 0 (no class block) and ce = 0 (no classifier): neither is drawn.
        List<Map<String, Object>> vae = new ArrayList<>();
        for (Map<String, Object> m : free) {
            Map<String, Object> v = new LinkedHashMap<>(m);
            v.remove("kl_y");
            v.put("kl_c", 0.0);
            vae.add(v);
        }
        // Its one KL is named kl, as evaluate names it; the legend said kl_s.
        assertEquals(List.of("loss", "rec", "kl"), legend(ReportCharts.trainingCurveChart(vae, false)));
        // A vae trained on images without labels records kl_y, always 0 (it has no q(y|x)): it drew a line at 0.
        List<Map<String, Object>> classless = new ArrayList<>();
        for (Map<String, Object> m : vae) {
            Map<String, Object> v = new LinkedHashMap<>(m);
            v.put("kl_y", 0.0);
            v.put("unlabelled", 60);
            classless.add(v);
        }
        assertEquals(List.of("loss", "rec", "kl"), legend(ReportCharts.trainingCurveChart(classless, false)));
    }

    /** One epoch of a training curve as the model file records it (the loss terms fall, the KLs grow). */
    private static Map<String, Object> epoch(int e, double ce, Double accuracy) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", e);
        m.put("loss", 300.0 - e);
        m.put("rec", 290.0 - e);
        m.put("kl_s", 5.0 + e);
        m.put("kl_c", 3.0 + e);
        m.put("ce", ce);
        m.put("accuracy", accuracy);
        return m;
    }

    private static List<String> legend(JFreeChart chart) {
        List<String> labels = new ArrayList<>();
        LegendItemCollection items = chart.getPlot().getLegendItems();
        for (int i = 0; i < items.getItemCount(); i++) labels.add(items.get(i).getLabel());
        return labels;
    }

    /** A data set with more classes than the palette has colours (Extended Yale B has 38). */
    @Test
    void scatterOfManyClassesGivesEachClassItsColour() {
        int classes = 38, n = 2 * classes;
        int[] labels = new int[n];
        float[][] shared = new float[n][2];
        List<String> names = new ArrayList<>();
        for (int k = 0; k < classes; k++) names.add("person " + k);
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
            shared[i][0] = i;
            shared[i][1] = -i;
        }
        PosteriorMeans means = new PosteriorMeans(labels, shared, new float[n][0]);
        assertDistinct(ReportCharts.latentScatterChart(means, 0, 1, names, "shared", "own class", n), classes + 1); // + the prior's grey
    }

    /**
     * The prior's draws were filled grey dots, hard to tell from Fashion-MNIST's eighth class (sneakers, Tableau's grey):
     * they are rings now, and every class's examples filled discs.
     */
    @Test
    void thePriorsDrawsAreRingsAndTheExamplesDiscs() {
        int n = 20;
        int[] labels = new int[n];
        float[][] shared = new float[n][2];
        List<String> names = new ArrayList<>();
        for (int k = 0; k < 10; k++) names.add("class " + k);
        for (int i = 0; i < n; i++) labels[i] = i % 10;
        PosteriorMeans means = new PosteriorMeans(labels, shared, new float[n][0]);
        XYPlot plot = (XYPlot) ReportCharts.latentScatterChart(means, 0, 1, names, "shared", "own class", n).getPlot();
        var r = (org.jfree.chart.renderer.xy.XYLineAndShapeRenderer) plot.getRenderer();
        assertEquals("prior N(0, I)", plot.getDataset().getSeriesKey(0));
        assertEquals(Boolean.FALSE, r.getSeriesShapesFilled(0));
        for (int k = 1; k <= 10; k++) assertEquals(Boolean.TRUE, r.getSeriesShapesFilled(k), "class " + (k - 1));
    }

    /**
     * A shared block of one dimension (a label-free model's default, ds = 1) was drawn against itself: every example
     * on the diagonal beside 2-d prior draws. Its y is now the example's own block, and for a VAE with dz = 1, which
     * has none, 0 for the examples and the prior draws alike.
     */
    @Test
    void aOneDimensionalSharedBlockIsNotDrawnAgainstItself() {
        int n = 6;
        int[] labels = {0, 1, 0, 1, 0, 1};
        float[][] shared = new float[n][1], own = new float[n][2], none = new float[n][0];
        for (int i = 0; i < n; i++) {
            shared[i][0] = i;
            own[i][0] = -10 - i;
        }
        JFreeChart chart = ReportCharts.latentScatterChart(new PosteriorMeans(labels, shared, own), 0, ReportCharts.OWN_BLOCK,
                List.of("cluster 0", "cluster 1"), "shared", "own cluster", n);
        XYPlot plot = (XYPlot) chart.getPlot();
        assertEquals("own cluster dim 0", plot.getRangeAxis().getLabel());
        XYDataset data = plot.getDataset();
        for (int s = 1; s < data.getSeriesCount(); s++) {
            for (int i = 0; i < data.getItemCount(s); i++) {
                assertEquals(-10 - data.getXValue(s, i), data.getYValue(s, i), "y of example " + data.getXValue(s, i) + " is its own block's");
            }
        }
        XYPlot stripPlot = (XYPlot) ReportCharts.latentScatterChart(new PosteriorMeans(labels, shared, none), 0, ReportCharts.OWN_BLOCK,
                null, "z", "own class", n).getPlot();
        assertFalse(stripPlot.getRangeAxis().isTickLabelsVisible(), "a strip has no y scale to read");
        XYDataset strip = stripPlot.getDataset();
        for (int s = 0; s < strip.getSeriesCount(); s++) {
            for (int i = 0; i < strip.getItemCount(s); i++) assertEquals(0, strip.getYValue(s, i), "a 1-d VAE: a strip at 0");
        }
    }

    private static void assertDistinct(JFreeChart chart, int expected) {
        LegendItemCollection items = chart.getPlot().getLegendItems();
        assertEquals(expected, items.getItemCount());
        Map<Integer, String> byColour = new LinkedHashMap<>();
        for (int i = 0; i < items.getItemCount(); i++) {
            LegendItem item = items.get(i);
            Paint p = item.getFillPaint();
            int rgb = ((Color) p).getRGB() & 0xFFFFFF;
            String earlier = byColour.put(rgb, item.getLabel());
            assertNull(earlier, "'" + item.getLabel() + "' has the colour of '" + earlier + "'");
        }
    }
}
