package dev.nvae.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvTest {
    @TempDir
    Path dir;

    @Test
    void writesHeaderAndRows() throws IOException {
        Path file = dir.resolve("kl.csv");
        Csv.write(file, List.of("dim", "kl"), new float[][] {{0, 1.25f}, {1, -3e-7f}, {2, Float.NaN}});
        assertEquals("dim,kl\n0.0,1.25\n1.0,-3.0E-7\n2.0,NaN\n", Files.readString(file));
        float parsed = Float.parseFloat(Files.readAllLines(file).get(2).split(",")[1]);
        assertEquals(-3e-7f, parsed);
    }

    @Test
    void writesLeadingIntegerColumnsAsIntegers() throws IOException {
        Path file = dir.resolve("enc.csv");
        Csv.write(file, List.of("label", "predicted", "mu0"), new float[][] {{9, 7, 2f}, {-1, 0, -0.5f}}, 2);
        assertEquals("label,predicted,mu0\n9,7,2.0\n-1,0,-0.5\n", Files.readString(file));
    }

    @Test
    void refusesAFractionInAnIntegerColumn() {
        Path file = dir.resolve("frac.csv");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Csv.write(file, List.of("label", "mu0"), new float[][] {{1, 0}, {2.5f, 0}}, 1));
        assertEquals("row 1, column label: 2.5 is not a whole number", e.getMessage());
        assertTrue(Files.notExists(file));
    }

    @Test
    void quotesHeaderFieldsThatNeedIt() throws IOException {
        Path file = dir.resolve("q.csv");
        Csv.write(file, List.of("T-shirt/top", "a,b", "say \"hi\""), new float[0][]);
        assertEquals("T-shirt/top,\"a,b\",\"say \"\"hi\"\"\"\n", Files.readString(file));
    }

    @Test
    void rejectsRaggedRows() {
        Path file = dir.resolve("bad.csv");
        assertThrows(IllegalArgumentException.class, () -> Csv.write(file, List.of("a", "b"), new float[][] {{1, 2}, {3}}));
        assertTrue(Files.notExists(file));
    }
}
