package dev.nvae.tensor;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The bf16 matrix view's shape rules: the paired stride and what the constructor takes and refuses. */
class Bf16MatrixTest {
    @Test
    void thePairedStrideIsTheColumnsRoundedUpToWholeBlocksOfTwoHalves() {
        assertEquals(32, Bf16Matrix.pairedStride(32, 16));
        assertEquals(32, Bf16Matrix.pairedStride(1, 16));
        assertEquals(64, Bf16Matrix.pairedStride(33, 16));
        assertEquals(8, Bf16Matrix.pairedStride(8, 4));
        assertEquals(16, Bf16Matrix.pairedStride(9, 4));
        assertEquals(0, Bf16Matrix.pairedStride(0, 16));
    }

    @Test
    void aStrideOfExactlyTheColumnsIsTakenAndOneBelowOrAnUnderSizedSegmentIsRefused() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(Bf16Matrix.byteSize(3, 32));
            assertEquals(32, new Bf16Matrix("m", s, 3, 32, 32, 16).stride());
            assertEquals(3, new Bf16Matrix("m", s, 3, 20, 32, 16).rows());
            assertThrows(IllegalArgumentException.class, () -> new Bf16Matrix("m", s, 3, 33, 32, 0));
            assertThrows(IllegalArgumentException.class, () -> new Bf16Matrix("m", s, 3, 24, 24, 16), "24 is no whole number of 32-column blocks");
            assertThrows(IllegalArgumentException.class, () -> new Bf16Matrix("m", s, 4, 32, 32, 16), "4 rows need 256 bytes");
            assertEquals(192, Bf16Matrix.byteSize(3, 32));
        }
    }
}
