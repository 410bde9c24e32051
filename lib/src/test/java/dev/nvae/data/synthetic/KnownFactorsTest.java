package dev.nvae.data.synthetic;

import dev.nvae.NvaeException;
import dev.nvae.data.Split;
import dev.nvae.io.FormatException;
import dev.nvae.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KnownFactorsTest {
    @TempDir
    Path dir;

    private static KnownFactors three() {
        return new KnownFactors(List.of(new Factor("x", Factor.SHARED), new Factor("rot", "triangle")),
                new float[][] {{0.25f, Float.NaN}, {0.5f, 30f}, {1f, 60f}});
    }

    /** What writeNames and writeValues write, read reads back: the factors, their scopes, every value of every row, NaN too. */
    @Test
    void writtenFactorsReadBackAsWritten() {
        KnownFactors k = three();
        k.writeNames(dir.resolve(KnownFactors.NAMES_FILE));
        k.writeValues(KnownFactors.valuesFile(dir, Split.TEST));
        assertEquals(dir.resolve("t10k-factors.npy"), KnownFactors.valuesFile(dir, Split.TEST));
        assertEquals(dir.resolve("train-factors.npy"), KnownFactors.valuesFile(dir, Split.TRAIN));
        KnownFactors back = KnownFactors.read(dir, Split.TEST, "--factors");
        assertEquals(k.factors(), back.factors());
        assertEquals(3, back.values().length);
        for (int i = 0; i < 3; i++) assertArrayEquals(k.values()[i], back.values()[i], "row " + i);
        assertEquals(1, back.indexOf("rot"));
        assertEquals(0, back.indexOf("x"));
        assertThrows(IllegalArgumentException.class, () -> back.indexOf("size"));
        assertTrue(back.factors().get(0).isShared());
        assertFalse(back.factors().get(1).isShared());
    }

    /** Missing files, a malformed or repeated line, no factor at all, a column count that differs and an infinite value are refused. */
    @Test
    void refusals() throws IOException {
        NvaeException missing = assertThrows(NvaeException.class, () -> KnownFactors.read(dir, Split.TRAIN, "--factors"));
        assertEquals("--factors " + dir + ": no known factors (factors.txt and train-factors.npy); generate a data set with them by 'nvae synth'",
                missing.getMessage());
        Path names = dir.resolve(KnownFactors.NAMES_FILE);
        Path values = KnownFactors.valuesFile(dir, Split.TRAIN);
        Npy.writeF32(values, new float[] {1, 2, 3, 4}, 2, 2);
        Files.writeString(names, "a shared\n\n b  square \n");
        KnownFactors ok = KnownFactors.read(dir, Split.TRAIN, "--factors");
        assertEquals(List.of(new Factor("a", "shared"), new Factor("b", "square")), ok.factors(), "blank lines and spaces ignored");
        assertArrayEquals(new float[] {3, 4}, ok.values()[1]);
        Files.writeString(names, "a shared\nb\n");
        assertEquals("line 2: expected 'name scope', got 'b'", reason(names));
        Files.writeString(names, "a shared\n\na square\n");
        assertEquals("line 3 repeats the factor name 'a' of line 1; every factor needs its own name", reason(names));
        Files.writeString(names, "\n");
        assertEquals("lists no factors", reason(names));
        Files.writeString(names, "a shared\n");
        assertEquals("holds a <f4 array of shape [2, 2]; expected a float32 array of N x 1 factor values, one column per factor factors.txt lists",
                reason(values));
        Files.writeString(names, "a shared\nb square\n");
        Npy.writeF32(values, new float[] {1, 2, 3, Float.NEGATIVE_INFINITY}, 2, 2);
        assertEquals("row 1 gives factor b the value -Infinity; factor values are finite numbers (NaN where the example's class lacks the factor)",
                reason(values));
    }

    /** A row of another length than the factors is refused. */
    @Test
    void rowsMustHaveOneValuePerFactor() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new KnownFactors(List.of(new Factor("a", "shared")), new float[][] {{1f}, {1f, 2f}}));
        assertEquals("example 1 has 2 factor values for 1 factors", e.getMessage());
    }

    private String reason(Path expectedFile) {
        FormatException e = assertThrows(FormatException.class, () -> KnownFactors.read(dir, Split.TRAIN, "--factors"));
        assertEquals(expectedFile, e.file());
        return e.reason();
    }
}
