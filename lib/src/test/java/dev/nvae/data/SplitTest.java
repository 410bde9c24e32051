package dev.nvae.data;

import dev.nvae.NvaeException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SplitTest {
    @Test
    void parsesBothSplits() {
        assertEquals(Split.TRAIN, Split.parse("train"));
        assertEquals(Split.TEST, Split.parse("test"));
        assertEquals(Split.TEST, Split.parse("TEST"));
        assertEquals("train", Split.TRAIN.label());
    }

    @Test
    void rejectionNamesTheFlag() {
        NvaeException e = assertThrows(NvaeException.class, () -> Split.parse("validation"));
        assertEquals("--split: 'validation' is not a split; use train or test", e.getMessage());
    }
}
