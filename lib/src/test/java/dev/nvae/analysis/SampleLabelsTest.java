package dev.nvae.analysis;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
