package dev.nvae.cli;

import dev.nvae.analysis.AggregatePosterior;
import dev.nvae.analysis.PriorDivergence;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Rows of the report page's tables, from the numbers alone. */
class ReportPageTest {
    /**
     * An empty cluster of a label-free model (or a class block of fewer than 6 examples) has no divergence figures:
     * its row read "n/a NaN n/a n/a", the MMD² cell formatted as a number.
     */
    @Test
    void aBlockTooSmallToMeasureSaysSoInsteadOfNaN() {
        double nan = Double.NaN;
        PriorDivergence none = new PriorDivergence(0, nan, nan, nan, 0, nan, 0);
        AggregatePosterior empty = new AggregatePosterior("cluster 1", 0, new double[]{nan}, new double[]{nan}, nan, nan, none);
        assertEquals(List.of("cluster 1", "0", "n/a", "too few (0)", "n/a", "n/a"), List.of(ReportPage.posteriorRow(empty)));
        PriorDivergence some = new PriorDivergence(100, 0.0123456, 1, 0.25, 200, 0.5, 5);
        AggregatePosterior shared = new AggregatePosterior("shared", 100, new double[]{0}, new double[]{1}, 0.1, 0.2, some);
        assertEquals(List.of("shared", "100", "0.2000", "0.01235", "0.2500", "0.5000"), List.of(ReportPage.posteriorRow(shared)));
    }

    /**
     * A class named {@code <!--<script x} (a folder name) put the embedded JSON's script element in HTML's
     * "double escaped" state, where the page's closing {@code </script>} does not end it: the rest of the page,
     * the image check's script with it, became part of the JSON, which no longer parsed. The JSON's text must hold
     * no {@code <} at all, and read back to the same value.
     */
    @Test
    void aClassNameOfAnHtmlCommentAndScriptTagCannotEndOrExtendTheEmbeddedJson() throws Exception {
        String json = Json.write(java.util.Map.of("classes", List.of("<!--<script x", "</script><b>", "a & b > c")));
        String embedded = ReportPage.scriptText(json);
        assertFalse(embedded.contains("<"), embedded);
        assertEquals(Json.MAPPER.readTree(json), Json.MAPPER.readTree(embedded));
    }
}
