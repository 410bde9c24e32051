package dev.nvae.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Files numpy writes for the same values in another form than np.save's default (version 1.0, little-endian,
 * C order): version 3.0, big-endian, Fortran order. Each reads as its default form does.
 * The files are made by {@code testdata/make_npy_variants.py}.
 */
class NpyVariantsTest {
    static final float[] F4 = {-2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f};

    @TempDir
    Path dir;

    @Test
    void version3() throws IOException {
        NpyArray a = Npy.read(fixture("v3-f4.npy"));
        assertEquals(NpyArray.F32, a.dtype());
        assertArrayEquals(new long[] {2, 3}, a.shape());
        assertArrayEquals(F4, a.floats());
    }

    /** np.save picks version 3.0 for a field name outside latin-1: a structured dtype, refused in one line naming it. */
    @Test
    void structuredDtypeOfVersion3IsRefusedInOneLine() throws IOException {
        Path file = fixture("structured-v3.npy");
        FormatException e = assertThrows(FormatException.class, () -> Npy.read(file));
        assertEquals(file + ": structured dtype (a list of fields) not supported (supported: <f4, <i8, <i4, |u1)", e.getMessage());
    }

    Path fixture(String name) throws IOException {
        try (InputStream in = NpyVariantsTest.class.getResourceAsStream("npy-variants/" + name)) {
            if (in == null) throw new IllegalStateException("no fixture " + name);
            Path file = dir.resolve(name);
            Files.copy(in, file);
            return file;
        }
    }
}
