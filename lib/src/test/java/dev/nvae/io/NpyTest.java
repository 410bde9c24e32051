package dev.nvae.io;

import dev.nvae.NvaeException;
import dev.nvae.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NpyTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsFloat32Matrix() {
        float[] data = {0f, -1.5f, 3.25f, Float.NaN, Float.MAX_VALUE, -0f};
        Path file = dir.resolve("x.npy");
        Npy.writeF32(file, data, 2, 3);
        NpyArray a = Npy.read(file);
        assertEquals(NpyArray.F32, a.dtype());
        assertArrayEquals(new long[] {2, 3}, a.shape());
        assertEquals(6, a.numel());
        assertArrayEquals(data, a.floats());
    }

    /** Rows appended block by block make the same file as the whole array written at once. */
    @Test
    void streamedRowBlocksWriteTheSameFileAsTheWholeArray() throws IOException {
        int rows = 7, cols = 3;
        float[] data = new float[rows * cols];
        for (int i = 0; i < data.length; i++) data[i] = i * 0.5f - 3;
        Path whole = dir.resolve("whole.npy"), streamed = dir.resolve("streamed.npy");
        Npy.writeF32(whole, data, rows, cols);
        try (Arena arena = Arena.ofConfined()) {
            Tensor block = Tensor.allocate(arena, "block", 3, cols);  // reused, as the sampler reuses its batch
            Npy.writeF32(streamed, rows, cols, out -> {
                for (int from = 0; from < rows; from += 3) {
                    int n = Math.min(3, rows - from);
                    for (int i = 0; i < n; i++) for (int j = 0; j < cols; j++) block.set(i, j, data[(from + i) * cols + j]);
                    out.append(block, n);
                }
            });
        }
        assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(streamed));
    }

    /** A stream that delivers fewer (or more) rows than its header announced leaves no file. */
    @Test
    void aStreamWithTheWrongRowCountLeavesNoFile() {
        Path file = dir.resolve("short.npy");
        try (Arena arena = Arena.ofConfined()) {
            Tensor block = Tensor.allocate(arena, "block", 2, 3);
            assertThrows(IllegalStateException.class, () -> Npy.writeF32(file, 5, 3, out -> out.append(block, 2)));
            assertThrows(IllegalStateException.class, () -> Npy.writeF32(file, 3, 3, out -> {
                out.append(block, 2);
                out.append(block, 2);
            }));
            assertThrows(IllegalArgumentException.class, () -> Npy.writeF32(file, 2, 4, out -> out.append(block, 2)));
        }
        assertEquals(0, dir.toFile().list().length, "left behind: " + String.join(", ", dir.toFile().list()));
    }

    @Test
    void roundTripsTensor() {
        try (Arena arena = Arena.ofConfined()) {
            Tensor t = Tensor.allocate(arena, "z", 4, 3);
            for (int i = 0; i < t.size(); i++) t.setFlat(i, i / 7f);
            Path file = dir.resolve("z.npy");
            Npy.writeF32(file, t);
            NpyArray a = Npy.read(file);
            assertArrayEquals(new long[] {4, 3}, a.shape());
            assertArrayEquals(t.toArray(), a.floats());
        }
    }

    @Test
    void roundTripsInt64Labels() {
        Path file = dir.resolve("y.npy");
        Npy.writeI64(file, new int[] {3, 0, 9, -1, Integer.MAX_VALUE});
        NpyArray a = Npy.read(file);
        assertEquals(NpyArray.I64, a.dtype());
        assertArrayEquals(new long[] {5}, a.shape());
        assertArrayEquals(new long[] {3, 0, 9, -1, Integer.MAX_VALUE}, a.longs());
    }

    /** Byte for byte what numpy 1.x/2.x writes for np.save(f, np.arange(6, dtype='<f4').reshape(2, 3) - 2.5). */
    @Test
    void writesWhatNumpyWrites() throws IOException {
        Path file = dir.resolve("np.npy");
        Npy.writeF32(file, new float[] {-2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f}, 2, 3);
        byte[] bytes = Files.readAllBytes(file);
        assertEquals(128 + 24, bytes.length);
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
        String header = new String(bytes, 10, 118, StandardCharsets.ISO_8859_1);
        assertEquals(dict + " ".repeat(118 - dict.length() - 1) + "\n", header);
        assertArrayEquals(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 118, 0}, java.util.Arrays.copyOf(bytes, 10));
        assertEquals(-2.5f, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getFloat(128));
    }

    @Test
    void oneDimensionalShapeIsAOneTuple() throws IOException {
        Path file = dir.resolve("v.npy");
        Npy.writeI64(file, new int[] {1, 2, 3});
        String header = new String(Files.readAllBytes(file), 10, 118, StandardCharsets.ISO_8859_1);
        assertEquals("{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }", header.strip());
    }

    @Test
    void readsUnsignedBytes() throws IOException {
        Path file = npy(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (2, 2), }", new byte[] {0, (byte) 255, 7, 8});
        NpyArray a = Npy.read(file);
        assertArrayEquals(new byte[] {0, (byte) 255, 7, 8}, a.bytes());
        assertArrayEquals(new long[] {2, 2}, a.shape());
    }

    @Test
    void readsUnsignedBytesWhateverByteOrderTheHeaderGivesThem() throws IOException {
        // numpy writes '|u1'; cnpy and other writers '<u1', which numpy reads as the same uint8.
        for (String order : new String[] {"<", ">", "="}) {
            Path file = npy(1, "{'descr': '" + order + "u1', 'fortran_order': False, 'shape': (3,), }", new byte[] {0, (byte) 255, 7});
            NpyArray a = Npy.read(file, new Npy.Dtypes("labels", "uint8 (|u1)", NpyArray.U8));
            assertEquals(NpyArray.U8, a.dtype());
            assertArrayEquals(new byte[] {0, (byte) 255, 7}, a.bytes());
        }
    }

    @Test
    void readsVersion2() throws IOException {
        byte[] data = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(2.5f).array();
        Path file = npy(2, "{\"descr\": \"<f4\", \"shape\": (2,), \"fortran_order\": False}", data);
        assertArrayEquals(new float[] {1.5f, 2.5f}, Npy.read(file).floats());
    }

    /** Version 3.0 is 2.0 with a UTF-8 header: text that is not UTF-8 is refused, naming the file. */
    @Test
    void readsVersion3AndRefusesAHeaderThatIsNotUtf8() throws IOException {
        byte[] data = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(2.5f).array();
        Path file = npy(3, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", data);
        assertArrayEquals(new float[] {1.5f, 2.5f}, Npy.read(file).floats());
        byte[] bytes = Files.readAllBytes(npy(3, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", data));
        bytes[12 + 11] = (byte) 0xFF;  // inside '<f4'
        assertRejected(Files.write(dir.resolve("latin1.npy"), bytes), "NPY header of version 3.0 is not UTF-8");
    }

    @Test
    void readsZeroDimensionalScalar() throws IOException {
        byte[] data = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(7f).array();
        Path file = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (), }", data);
        NpyArray a = Npy.read(file);
        assertArrayEquals(new long[] {}, a.shape());
        assertArrayEquals(new float[] {7f}, a.floats());
    }

    @Test
    void wrongAccessorNamesBothDtypes() {
        Path file = dir.resolve("y.npy");
        Npy.writeI64(file, new int[] {1});
        FormatException e = assertThrows(FormatException.class, () -> Npy.read(file).floats());
        assertEquals(file + ": holds <i8 values, expected <f4 (shape [1])", e.getMessage());
    }

    @Test
    void writerChecksTheShape() {
        assertThrows(IllegalArgumentException.class, () -> Npy.writeF32(dir.resolve("bad.npy"), new float[5], 2, 3));
    }

    @Test
    void missingFile() {
        Path file = dir.resolve("absent.npy");
        NvaeException e = assertThrows(NvaeException.class, () -> Npy.read(file));
        assertEquals(file + ": cannot read: no such file or directory", e.getMessage());
    }

    // ---- rejections ----

    @Test
    void badMagic() throws IOException {
        Path file = Files.write(dir.resolve("m.npy"), "\u0093NUMPX\u0001\u0000\u0000\u0000".getBytes(StandardCharsets.ISO_8859_1));
        assertRejected(file, "not an NPY file (missing the \\x93NUMPY magic)");
        assertRejected(Files.write(dir.resolve("tiny.npy"), new byte[] {(byte) 0x93, 'N'}), "not an NPY file (missing the \\x93NUMPY magic)");
    }

    @Test
    void unsupportedVersion() throws IOException {
        assertRejected(npy(4, "{'descr': '<f4', 'fortran_order': False, 'shape': (0,), }", new byte[0]),
                "NPY version 4.0 not supported (1.0, 2.0 and 3.0 are)");
        assertRejected(npy(3, "{'descr': '<f4', 'fortran_order': False, 'shape': (0,), }", new byte[0], 1),
                "NPY version 3.1 not supported (1.0, 2.0 and 3.0 are)");
    }

    @Test
    void headerLongerThanTheFile() throws IOException {
        byte[] bytes = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) 200, 0, '{', '}'};
        assertRejected(Files.write(dir.resolve("h.npy"), bytes), "NPY header of 200 bytes is truncated");
    }

    @Test
    void headerLengthOverTheLimit() throws IOException {
        byte[] bytes = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0, 0, 0, 0, 0x10};
        assertRejected(Files.write(dir.resolve("h2.npy"), bytes), "NPY header length 268435456 exceeds the limit of 1048576");
    }

    @Test
    void unsupportedDtype() throws IOException {
        assertRejected(npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", new byte[8]),
                "dtype '<f8' not supported (supported: <f4, <i8, <i4, |u1)");
    }

    /** A refusal is one line whatever the header holds: a line break in a dtype or key is shown escaped. */
    @Test
    void refusalsStayOnOneLine() throws IOException {
        assertRejected(npy(1, "{'descr': '<f\n8', 'fortran_order': False, 'shape': (1,), }", new byte[8]),
                "dtype '<f\\u000a8' not supported (supported: <f4, <i8, <i4, |u1)");
        assertRejected(npy(3, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'a\u2028b': False}", new byte[4]),
                "NPY header must have exactly the keys 'descr' (string), 'fortran_order' (bool), 'shape' (tuple), found "
                        + "[descr, fortran_order, shape, a\\u2028b]");
    }

    @Test
    void fortranOrderIsReadInCOrder() throws IOException {
        // [[1, 2, 3], [4, 5, 6]] stored column by column.
        ByteBuffer data = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : new float[] {1, 4, 2, 5, 3, 6}) data.putFloat(v);
        NpyArray a = Npy.read(npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", data.array()));
        assertArrayEquals(new long[] {2, 3}, a.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, a.floats());
        // An empty axis, and one array of a single non-trivial axis, which is the same in both orders.
        assertEquals(0, Npy.read(npy(1, "{'descr': '<i8', 'fortran_order': True, 'shape': (3, 0, 2), }", new byte[0])).numel());
        NpyArray column = Npy.read(npy(1, "{'descr': '|u1', 'fortran_order': True, 'shape': (1, 3, 1), }", new byte[] {7, 8, 9}));
        assertArrayEquals(new byte[] {7, 8, 9}, column.bytes());
    }

    /** A Fortran-order array is checked as its C-order one is: the same message for a short payload. */
    @Test
    void fortranOrderTruncated() throws IOException {
        assertRejected(npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", new byte[20]),
                "truncated: shape [2, 3] of <f4 needs 24 data bytes, file has 20");
    }

    @Test
    void missingKey() throws IOException {
        assertRejected(npy(1, "{'descr': '<f4', 'shape': (2, 2), }", new byte[16]),
                "NPY header must have exactly the keys 'descr' (string), 'fortran_order' (bool), 'shape' (tuple), found [descr, shape]");
    }

    @Test
    void duplicateKey() throws IOException {
        assertRejected(npy(1, "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (1,)}", new byte[4]),
                "NPY header duplicate key 'descr'");
    }

    @Test
    void malformedDictionary() throws IOException {
        assertRejected(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), ", new byte[16]),
                "NPY header ends in the middle of the dictionary");
        assertRejected(npy(1, "{'descr': '<f4', 'fortran_order': None, 'shape': (2, 2)}", new byte[16]),
                "NPY header unexpected character 'N' at offset 34");
        assertRejected(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2)} x", new byte[16]),
                "NPY header unexpected text after the dictionary at offset 58");
    }

    @Test
    void negativeOrHugeDimension() throws IOException {
        assertRejected(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (-2,)}", new byte[0]),
                "NPY header shape has something other than a non-negative integer at offset 51");
        assertRejected(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,)}", new byte[0]),
                "NPY header shape dimension 99999999999999999999 is too large");
    }

    @Test
    void shapeOverflow() throws IOException {
        assertRejected(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4)}", new byte[0]),
                "shape [4611686018427387904, 4] overflows a 64-bit byte count");
    }

    @Test
    void truncatedPayload() throws IOException {
        assertRejected(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", new byte[20]),
                "truncated: shape [2, 3] of <f4 needs 24 data bytes, file has 20");
    }

    @Test
    void trailingBytes() throws IOException {
        assertRejected(npy(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", new byte[17]),
                "1 trailing bytes after the 16 data bytes of shape [2]");
    }

    /** An NPY file of the given version with {@code dict} as its header text (padded like numpy) and payload. */
    private Path npy(int major, String dict, byte[] payload) throws IOException {
        return npy(major, dict, payload, 0);
    }

    private Path npy(int major, String dict, byte[] payload, int minor) throws IOException {
        int lengthBytes = major == 1 ? 2 : 4;
        int preamble = 8 + lengthBytes;
        Charset charset = major >= 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
        int dictBytes = dict.getBytes(charset).length;
        int total = (preamble + dictBytes + 1 + 63) / 64 * 64;
        byte[] text = (dict + " ".repeat(total - preamble - dictBytes - 1) + "\n").getBytes(charset);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, (byte) minor});
        ByteBuffer length = ByteBuffer.allocate(lengthBytes).order(ByteOrder.LITTLE_ENDIAN);
        if (major == 1) length.putShort((short) text.length);
        else length.putInt(text.length);
        out.write(length.array());
        out.write(text);
        out.write(payload);
        return Files.write(Files.createTempFile(dir, "crafted", ".npy"), out.toByteArray());
    }

    private static void assertRejected(Path file, String reason) {
        FormatException e = assertThrows(FormatException.class, () -> Npy.read(file));
        assertEquals(file + ": " + reason, e.getMessage());
    }
}
