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

    @Test
    void bigEndian() throws IOException {
        NpyArray f4 = Npy.read(fixture("be-f4.npy"));
        assertEquals(NpyArray.F32, f4.dtype());
        assertArrayEquals(new long[] {2, 3}, f4.shape());
        assertArrayEquals(F4, f4.floats());
        NpyArray i8 = Npy.read(fixture("be-i8.npy"));
        assertEquals(NpyArray.I64, i8.dtype());
        assertArrayEquals(new long[] {3, 0, 9, -1}, i8.longs());
        NpyArray i4 = Npy.read(fixture("be-i4.npy"));
        assertEquals(NpyArray.I32, i4.dtype());
        assertArrayEquals(new long[] {3, 0, 9, -1}, i4.integers());
    }

    /** A dtype not read in little-endian order is not read in big-endian order either: refused naming it as the file does. */
    @Test
    void bigEndianOfADtypeNotReadIsRefused() throws IOException {
        Path file = fixture("be-u2.npy");
        FormatException e = assertThrows(FormatException.class, () -> Npy.read(file));
        assertEquals(file + ": dtype '>u2' not supported (supported: <f4, <i8, <i4, |u1)", e.getMessage());
    }

    /** Fortran order stores the axes reversed: read back in C order, the values of np.arange(24).reshape(2, 3, 4). */
    @Test
    void fortranOrder() throws IOException {
        NpyArray u1 = Npy.read(fixture("fortran-u1.npy"));
        assertArrayEquals(new long[] {2, 3, 4}, u1.shape());
        byte[] expected = new byte[24];
        for (int i = 0; i < 24; i++) expected[i] = (byte) i;
        assertArrayEquals(expected, u1.bytes());
        NpyArray i8 = Npy.read(fixture("fortran-v3-i8.npy"));
        assertArrayEquals(new long[] {2, 3}, i8.shape());
        assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5}, i8.longs());
    }

    @Test
    void fortranOrderAndBigEndian() throws IOException {
        NpyArray f4 = Npy.read(fixture("fortran-be-f4.npy"));
        assertArrayEquals(new long[] {2, 3, 4}, f4.shape());
        float[] expected = new float[24];
        for (int i = 0; i < 24; i++) expected[i] = i / 23f;
        assertArrayEquals(expected, f4.floats());
    }

    /** The bytes of a request body are read, not rewritten: parsing them twice gives the same array. */
    @Test
    void parsingLeavesTheBytesAsTheyWere() throws IOException {
        for (String name : new String[] {"be-f4.npy", "fortran-be-f4.npy", "fortran-u1.npy"}) {
            byte[] bytes = Files.readAllBytes(fixture(name));
            byte[] before = bytes.clone();
            NpyArray first = Npy.parse(Path.of(name), bytes);
            assertArrayEquals(before, bytes, name);
            assertEquals(values(Npy.read(dir.resolve(name))), values(first), name);
            assertEquals(values(first), values(Npy.parse(Path.of(name), bytes)), name);
        }
    }

    private static String values(NpyArray a) {
        return a.dtype().equals(NpyArray.F32) ? java.util.Arrays.toString(a.floats()) : java.util.Arrays.toString(a.integers());
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
