package dev.nvae.data;

import dev.nvae.NvaeException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The form checkpoints record a run's label selection in, written by nvae train and read again by either resume. */
class RecordedLabelsTest {
    @Test
    void everyFormReadsBackAsWritten() {
        for (RecordedLabels r : List.of(
                new RecordedLabels(5, null, null, false), new RecordedLabels(5, null, null, true),
                new RecordedLabels(null, 0.25, null, false), new RecordedLabels(null, 0.25, null, true),
                new RecordedLabels(null, null, 10, false), new RecordedLabels(null, null, null, true))) {
            assertEquals(r, RecordedLabels.parse(r.text()), r.text());
        }
        // These strings are in checkpoints already written: the form cannot change.
        assertEquals("per-class:5", new RecordedLabels(5, null, null, false).text());
        assertEquals("fraction:0.25,drop-unlabelled", new RecordedLabels(null, 0.25, null, true).text());
        assertEquals("none:10", new RecordedLabels(null, null, 10, false).text());
        assertEquals("given,drop-unlabelled", new RecordedLabels(null, null, null, true).text());
        assertNull(RecordedLabels.GIVEN_LABELS.text());
        assertEquals(RecordedLabels.GIVEN_LABELS, RecordedLabels.parse(null));
        assertEquals(RecordedLabels.GIVEN_LABELS, RecordedLabels.parse("given"));
    }

    @Test
    void anythingElseIsDamageNamedAsSuch() {
        for (String bad : List.of("", "none", "none:x", "per-class:", "fraction:half", "everything", "per-class:5,drop")) {
            NvaeException e = assertThrows(NvaeException.class, () -> RecordedLabels.parse(bad), bad);
            assertTrue(e.getMessage().contains("unknown label selection '" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void appliedItSelectsWhatTheRunSaw() {
        Dataset data = DataSources.load("testdata", Split.TRAIN).first(400);
        Dataset perClass = RecordedLabels.parse("per-class:3,drop-unlabelled").apply(data, 7, k -> List.of());
        assertEquals(3 * data.numClasses(), perClass.count());
        assertEquals(LabelSelection.perClass(data, 3, 7).labelledCount(), perClass.labelledCount());
        Dataset none = RecordedLabels.parse("none:4").apply(data, 7, k -> List.of("a", "b", "c", "d"));
        assertEquals(0, none.labelledCount());
        assertEquals(4, none.numClasses());
    }
}
