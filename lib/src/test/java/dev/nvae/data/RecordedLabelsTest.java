package dev.nvae.data;

import dev.nvae.NvaeException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
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

    /** At most one of per-class, fraction and clusters is recorded; only clusters make a label-free run. */
    @Test
    void oneSelectionAtMost() {
        assertThrows(IllegalArgumentException.class, () -> new RecordedLabels(1, 0.5, null, false));
        assertThrows(IllegalArgumentException.class, () -> new RecordedLabels(null, 0.5, 3, false));
        assertThrows(IllegalArgumentException.class, () -> new RecordedLabels(1, null, 3, true));
        assertTrue(new RecordedLabels(null, null, 3, false).labelFree());
        assertFalse(new RecordedLabels(2, null, null, false).labelFree());
        assertFalse(RecordedLabels.GIVEN_LABELS.labelFree());
    }

    /** A recorded fraction selects the labels LabelSelection.fraction does, and without drop-unlabelled keeps every example. */
    @Test
    void aFractionIsAppliedAsRecorded() {
        Dataset data = DataSources.load("testdata", Split.TRAIN).first(300);
        Dataset kept = RecordedLabels.parse("fraction:0.1").apply(data, 7, k -> List.of());
        assertEquals(data.count(), kept.count());
        assertEquals(LabelSelection.fraction(data, 0.1, 7).fingerprint(), kept.fingerprint());
        assertEquals(data.fingerprint(), RecordedLabels.GIVEN_LABELS.apply(data, 7, k -> List.of()).fingerprint());
    }
}
