package dev.nvae.analysis;

import dev.nvae.NvaeException;
import dev.nvae.model.ModelConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SampleLabelsTest {
    @Test
    void everyClassTakesItsTurnOfNInClassOrder() {
        SampleLabels s = SampleLabels.everyClass(3, 4);
        assertEquals(12, s.count());
        assertArrayEquals(new int[]{0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3}, s.labels(0, 12));
        assertArrayEquals(new int[]{1, 2, 2}, s.labels(5, 3), "a range holds what the whole holds there");
    }

    @Test
    void oneClassAndUnlabelled() {
        assertArrayEquals(new int[]{7, 7, 7}, SampleLabels.oneClass(3, 7).labels(0, 3));
        assertArrayEquals(new int[]{0, 0}, SampleLabels.unlabelled(2).labels(0, 2));
        assertEquals(5, SampleLabels.oneClass(5, 2).count());
    }

    @Test
    void countsBeyondAnIntAreIndexedByLong() {
        SampleLabels s = SampleLabels.everyClass(1_000_000_000L, 10);
        assertEquals(10_000_000_000L, s.count());
        assertEquals(9, s.label(9_999_999_999L));
        assertEquals(2, s.label(2_000_000_000L));
    }

    @Test
    void indicesOutsideTheRequestAndEmptyRequestsAreRefused() {
        assertThrows(IndexOutOfBoundsException.class, () -> SampleLabels.everyClass(2, 3).label(6));
        assertThrows(IndexOutOfBoundsException.class, () -> SampleLabels.everyClass(2, 3).label(-1));
        assertThrows(IllegalArgumentException.class, () -> SampleLabels.everyClass(0, 3));
        assertThrows(IllegalArgumentException.class, () -> SampleLabels.oneClass(2, -1));
        assertThrows(ArithmeticException.class, () -> SampleLabels.everyClass(Long.MAX_VALUE / 2, 3));
    }

    /** A label-free model's --class was refused as of "4 classes" and "a class name (cluster 0, ...)": its classes are clusters. */
    @Test
    void aClusterChoiceIsRefusedInTermsOfClusters() {
        List<String> clusters = ModelConfig.clusterNames(4);
        assertEquals(2, SampleLabels.classIndex("Cluster 2", clusters));
        assertEquals("--class 7 is out of range: the model has 4 clusters, 0..3",
                assertThrows(NvaeException.class, () -> SampleLabels.classIndex("7", clusters)).getMessage());
        assertEquals("--class 'Coat': expected all, a cluster index 0..3 or a cluster name (cluster 0, cluster 1, cluster 2, cluster 3)",
                assertThrows(NvaeException.class, () -> SampleLabels.classIndex("Coat", clusters)).getMessage());
        assertEquals("--class 3 is out of range: the model has 3 classes, 0..2",
                assertThrows(NvaeException.class, () -> SampleLabels.classIndex("3", List.of("a", "b", "c"))).getMessage());
    }

    /**
     * --class All was refused as any unknown name ("expected a class index ... or a class name"), with no word of all, the
     * value the user likely meant; a class named All (in any case, as every name is matched) is still that class.
     */
    @Test
    void allInAnotherCaseNamesAClassOrIsRefusedWithAHint() {
        assertEquals("--class 'All': the model has no class named 'All' (did you mean 'all'?); expected all, a class index 0..2 "
                        + "or a class name (a, b, c)",
                assertThrows(NvaeException.class, () -> SampleLabels.classIndex("All", List.of("a", "b", "c"))).getMessage());
        assertEquals("--class 'ALL': the model has no cluster named 'ALL' (did you mean 'all'?); expected all, a cluster index 0..1 "
                        + "or a cluster name (cluster 0, cluster 1)",
                assertThrows(NvaeException.class, () -> SampleLabels.classIndex("ALL", ModelConfig.clusterNames(2))).getMessage());
        assertEquals(1, SampleLabels.classIndex("All", List.of("a", "All")));
        assertEquals(1, SampleLabels.classIndex("All", List.of("a", "ALL")));
        assertEquals(3, SampleLabels.of("All", 3, List.of("a", "All"), true).count(), "the one class All, not every class");
        assertEquals(6, SampleLabels.of("all", 3, List.of("a", "All"), true).count());
        assertFalse(SampleLabels.meantAll("all"));
        assertTrue(SampleLabels.meantAll("All"));
        assertFalse(SampleLabels.meantAll("a"));
    }

    /** The refusal sample, traverse and the Spark job's generate share for a vae given --class: All gets the hint, 3 does not. */
    @Test
    void aModelWithoutClassesRefusesAClassNamingAllInAnotherCaseWithTheHint() {
        assertEquals("--class 'All': a vae is not conditioned on a class (did you mean 'all'?)", SampleLabels.notConditioned("All", "vae"));
        assertEquals("--class: a beta-vae is not conditioned on a class", SampleLabels.notConditioned("3", "beta-vae"));
    }
}
