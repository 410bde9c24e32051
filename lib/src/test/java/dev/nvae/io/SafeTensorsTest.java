package dev.nvae.io;

import dev.nvae.NvaeException;
import dev.nvae.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafeTensorsTest {
    @TempDir
    Path dir;

    // ---- writing and reading back ----

    @Test
    void roundTripsTensorsArraysAndMetadata() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            Tensor w = Tensor.allocate(arena, "enc.w", 3, 5);
            for (int i = 0; i < w.size(); i++) w.setFlat(i, i * 0.5f - 3.25f);
            w.set(2, 4, Float.NEGATIVE_INFINITY);
            float[] bias = {1.5f, -2f, Float.MIN_VALUE, 7};
            NamedArray b = new NamedArray("enc.b", new long[] {4}, MemorySegment.ofArray(bias));
            NamedArray scalar = new NamedArray("step", new long[] {}, MemorySegment.ofArray(new float[] {42f}));
            NamedArray empty = new NamedArray("empty", new long[] {0, 3}, MemorySegment.ofArray(new float[0]));
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("config", "{\"ds\": 8}");
            meta.put("epoch", "10");
            Path file = dir.resolve("m.safetensors");
            SafeTensors.writeArrays(file, List.of(NamedArray.of(w), b, empty, scalar), meta);

            SafeTensorsFile f = SafeTensors.read(file);
            assertEquals(meta, f.metadata());
            assertEquals(List.of("enc.w", "enc.b", "empty", "step"), f.names());
            assertArrayEquals(new long[] {3, 5}, f.shape("enc.w"));
            assertArrayEquals(new long[] {4}, f.shape("enc.b"));
            assertArrayEquals(new long[] {}, f.shape("step"));
            assertEquals("F32", f.dtype("enc.w"));
            assertArrayEquals(w.toArray(), f.floats("enc.w"));
            assertArrayEquals(bias, f.floats("enc.b"));
            assertArrayEquals(new float[] {42f}, f.floats("step"));
            assertArrayEquals(new float[0], f.floats("empty"));

            Tensor copy = Tensor.allocate(arena, "copy", 3, 5);
            f.copyInto("enc.w", copy);
            assertArrayEquals(w.toArray(), copy.toArray());
            Tensor bias2 = Tensor.allocate(arena, "b", 1, 4);
            f.copyInto("enc.b", bias2);
            assertArrayEquals(bias, bias2.toArray());
        }
    }

    @Test
    void fileLayoutIsTheSafetensorsFormat() throws IOException {
        Path file = dir.resolve("layout.safetensors");
        NamedArray a = new NamedArray("a", new long[] {2}, MemorySegment.ofArray(new float[] {1f, -2f}));
        SafeTensors.writeArrays(file, List.of(a), Map.of("k", "v"));
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = le.getLong(0);
        assertEquals(0, headerLength % 8, "data section 8-byte aligned");
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        assertEquals("{\"__metadata__\":{\"k\":\"v\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}",
                header.stripTrailing());
        assertEquals(8 + headerLength + 8, bytes.length);
        assertEquals(1f, le.getFloat(8 + (int) headerLength));
        assertEquals(-2f, le.getFloat(12 + (int) headerLength));
    }

    @Test
    void writerRejectsDuplicateNamesAndLeavesNoFile() {
        MemorySegment one = MemorySegment.ofArray(new float[] {1});
        Path file = dir.resolve("dup.safetensors");
        List<NamedArray> arrays = List.of(new NamedArray("x", new long[] {1}, one), new NamedArray("x", new long[] {1}, one));
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.writeArrays(file, arrays, Map.of()));
        assertFalse(Files.exists(file));
    }

    @Test
    void namedArrayRejectsReservedNameAndShortSegment() {
        MemorySegment two = MemorySegment.ofArray(new float[2]);
        assertThrows(IllegalArgumentException.class, () -> new NamedArray("__metadata__", new long[] {2}, two));
        assertThrows(IllegalArgumentException.class, () -> new NamedArray("a", new long[] {3}, two));
        assertThrows(IllegalArgumentException.class, () -> new NamedArray("a", new long[] {-1}, two));
    }

    // ---- reading: lookups on a valid file ----

    @Test
    void readingValuesOfAnotherDtypeNamesTensorAndDtype() throws IOException {
        Path file = crafted("{\"ids\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8);
        SafeTensorsFile f = SafeTensors.read(file);
        assertEquals("I32", f.dtype("ids"));
        assertReason("tensor 'ids' has dtype I32; only F32 values can be read", () -> f.floats("ids"), file);
    }

    @Test
    void everyDtypeOfTheReferenceReadsAndIsNamedWhenItsValuesCannot() throws IOException {
        // huggingface/safetensors' Dtype, with its size in bits: F4 and F6 pack several values to a byte.
        Map<String, Integer> bits = Map.ofEntries(Map.entry("BOOL", 8), Map.entry("F4", 4), Map.entry("F6_E2M3", 6),
                Map.entry("F6_E3M2", 6), Map.entry("U8", 8), Map.entry("I8", 8), Map.entry("F8_E5M2", 8),
                Map.entry("F8_E4M3", 8), Map.entry("F8_E8M0", 8), Map.entry("F8_E4M3FNUZ", 8), Map.entry("F8_E5M2FNUZ", 8),
                Map.entry("I16", 16), Map.entry("U16", 16), Map.entry("F16", 16), Map.entry("BF16", 16), Map.entry("I32", 32),
                Map.entry("U32", 32), Map.entry("F32", 32), Map.entry("C64", 64), Map.entry("F64", 64), Map.entry("I64", 64),
                Map.entry("U64", 64));
        for (Map.Entry<String, Integer> d : bits.entrySet()) {
            int bytes = 4 * d.getValue() / 8;
            Path file = crafted("{\"t\":{\"dtype\":\"" + d.getKey() + "\",\"shape\":[2,2],\"data_offsets\":[0," + bytes + "]}}", bytes);
            SafeTensorsFile f = SafeTensors.read(file);
            assertEquals(d.getKey(), f.dtype("t"));
            if (!d.getKey().equals("F32")) {
                assertReason("tensor 't' has dtype " + d.getKey() + "; only F32 values can be read", () -> f.floats("t"), file);
            }
        }
        assertRejected(crafted("{\"t\":{\"dtype\":\"F4\",\"shape\":[3],\"data_offsets\":[0,2]}}", 2),
                "tensor 't': shape [3] of F4 is 12 bits, not a whole number of bytes");
    }

    @Test
    void copyIntoChecksTheShape() throws IOException {
        Path file = crafted("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
                + "\"v\":{\"dtype\":\"F32\",\"shape\":[6],\"data_offsets\":[24,48]}}", 48);
        SafeTensorsFile f = SafeTensors.read(file);
        try (Arena arena = Arena.ofConfined()) {
            Tensor transposed = Tensor.allocate(arena, "t", 3, 2);
            assertReason("tensor 'w' has shape [2, 3], expected [3, 2]", () -> f.copyInto("w", transposed), file);
            f.copyInto("v", transposed); // 1-D: only the element count must match
            Tensor small = Tensor.allocate(arena, "s", 1, 5);
            assertReason("tensor 'v' has shape [6], expected [1, 5]", () -> f.copyInto("v", small), file);
        }
    }

    @Test
    void unknownTensorName() throws IOException {
        Path file = crafted("{}", 0);
        SafeTensorsFile f = SafeTensors.read(file);
        assertTrue(f.names().isEmpty());
        assertReason("no tensor 'w'", () -> f.floats("w"), file);
    }

    @Test
    void missingFile() {
        Path file = dir.resolve("absent.safetensors");
        NvaeException e = assertThrows(NvaeException.class, () -> SafeTensors.read(file));
        assertEquals(file + ": cannot read: no such file or directory", e.getMessage());
    }

    // ---- reading: every validation ----

    @Test
    void fileShorterThanTheLengthField() throws IOException {
        Path file = Files.write(dir.resolve("short"), new byte[5]);
        assertRejected(file, "file of 5 bytes is shorter than the 8-byte header length");
    }

    /** procfs gives its files a size of 0 though they have content: "a file of 0 bytes" was said of /proc/self/status. */
    @Test
    void aFileWhoseSizeTheSystemUnderstatesIsNotCalledEmpty() {
        Path status = Path.of("/proc/self/status");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(status), "needs Linux's /proc");
        assertRejected(status, "is not a safetensors model file: it is a /proc file, whose size the system gives as 0 bytes");
    }

    /** Another kind of file given as a model is named as what it is, not by its first bytes read as a header length. */
    @Test
    void otherFileFormatsAreNamed() throws IOException {
        Path npy = dir.resolve("x.npy");
        Npy.writeF32(npy, new float[6], 2, 3);
        assertRejected(npy, "is not a safetensors model file: it begins as an NPY array");
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13};
        assertRejected(Files.write(dir.resolve("x.png"), png), "is not a safetensors model file: it begins as a PNG image");
        byte[] zip = {'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0};
        assertRejected(Files.write(dir.resolve("x.pt"), zip), "is not a safetensors model file: it begins as a zip archive (a PyTorch checkpoint, an NPZ?)");
        byte[] idx = {0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 1, 7, 9};
        assertRejected(Files.write(dir.resolve("x-idx3-ubyte"), idx), "is not a safetensors model file: it begins as an IDX file");
        // A README given as --model said "header length 723502159419547683 exceeds the limit of 100000000 bytes".
        assertRejected(Files.writeString(dir.resolve("README.md"), "# nvae \u2014 N-VAE on CPUs\n"), "is not a safetensors model file: it begins as text");
        assertRejected(Files.writeString(dir.resolve("m.json"), "{\"nvae.config\": {}}"), "is not a safetensors model file: it begins as text");
        byte[] pickle = {(byte) 0x80, 2, (byte) 0x8a, 10, 'l', (byte) 0xfc, (byte) 0x9c, 'F', (byte) 0xf9, ' ', 'j', (byte) 0xa8};
        assertRejected(Files.write(dir.resolve("old.pt"), pickle),
                "is not a safetensors model file: it begins as a Python pickle (a PyTorch checkpoint of the old format?)");
        // A Spark job's Parquet input or output given as --model said "header length 13840969120814874960 exceeds the limit".
        byte[] parquet = {'P', 'A', 'R', '1', 0x15, 0x04, 0x15, (byte) 0xa0, 0x1f, 0x15};
        assertRejected(Files.write(dir.resolve("part-0.parquet"), parquet), "is not a safetensors model file: it begins as a Parquet file");
    }

    @Test
    void headerLengthOverTheLimit() throws IOException {
        Path file = withHeaderLength(100_000_001L, new byte[16]);
        assertRejected(file, "header length 100000001 exceeds the limit of 100000000 bytes");
    }

    @Test
    void headerLengthWithTheTopBitSet() throws IOException {
        Path file = withHeaderLength(-1L, new byte[16]);
        assertRejected(file, "header length 18446744073709551615 exceeds the limit of 100000000 bytes");
    }

    @Test
    void headerLengthBeyondTheFile() throws IOException {
        Path file = withHeaderLength(100, "{}".getBytes(StandardCharsets.UTF_8));
        assertRejected(file, "header length 100 exceeds the 2 bytes that follow it (file truncated?)");
    }

    @Test
    void headerNotUtf8() throws IOException {
        byte[] header = {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'};
        assertRejected(withHeaderLength(header.length, header), "header is not valid UTF-8");
    }

    @Test
    void headerNotJson() throws IOException {
        assertRejectedStartsWith(crafted("{\"a\": ", 0), "header is not valid JSON: ");
    }

    @Test
    void headerWithTrailingGarbage() throws IOException {
        assertRejectedStartsWith(crafted("{} {}", 0), "header is not valid JSON: ");
    }

    @Test
    void headerNotAnObject() throws IOException {
        assertRejected(crafted("[1, 2]", 0), "header is not a JSON object");
        assertRejected(crafted(" \"a\"", 0), "header is not a JSON object");
    }

    @Test
    void headerWithLeadingWhitespaceReadsAsTheReferenceReaderReadsIt() throws IOException {
        // huggingface/safetensors #686: writers may pad the header in front (to page-align the data), so readers
        // take JSON whitespace on both sides of the object.
        byte[] json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        rest.write(new byte[] {'\t', '\n', '\r', ' '});
        rest.write(json);
        rest.write(' ');
        rest.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-2f).array());
        SafeTensorsFile f = SafeTensors.read(withHeaderLength(json.length + 5, rest.toByteArray()));
        assertEquals(List.of("a"), f.names());
        assertArrayEquals(new float[] {1.5f, -2f}, f.floats("a"));
        assertEquals(0, SafeTensors.read(crafted(" \n{}", 0)).names().size());
    }

    @Test
    void emptyHeader() throws IOException {
        assertRejected(withHeaderLength(0, new byte[0]), "header holds no JSON object");
        assertRejected(withHeaderLength(8, "        ".getBytes(StandardCharsets.UTF_8)), "header holds no JSON object");
    }

    @Test
    void nullMetadataIsNoMetadataAsTheReferenceReaderHasIt() throws IOException {
        assertEquals(Map.of(), SafeTensors.read(crafted("{\"__metadata__\":null}", 0)).metadata());
    }

    @Test
    void dataChecksumOfTheWriterMatchesTheFileAndSeesAFlippedBit() throws IOException {
        float[] values = {1f, -2f, 3.5f, Float.NaN, 0f};
        List<NamedArray> arrays = List.of(new NamedArray("a", new long[] {2}, MemorySegment.ofArray(new float[] {1f, -2f})),
                new NamedArray("b", new long[] {5}, MemorySegment.ofArray(values)));
        Path file = dir.resolve("crc.safetensors");
        SafeTensors.writeArrays(file, arrays, Map.of());
        long expected = SafeTensors.dataCrc32c(arrays);
        assertEquals(expected, SafeTensors.read(file).dataCrc32c());
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 3] ^= 0x10;
        Files.write(file, bytes);
        assertFalse(expected == SafeTensors.read(file).dataCrc32c(), "a flipped data bit changes the checksum");
    }

    @Test
    void duplicateKeys() throws IOException {
        Path file = crafted("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8);
        assertRejected(file, "header has a duplicate key: 'a'");
    }

    @Test
    void duplicateKeysInsideAnEntry() throws IOException {
        Path file = crafted("{\"a\":{\"dtype\":\"F32\",\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4);
        assertRejected(file, "header has a duplicate key: 'dtype'");
    }

    @Test
    void entryNotAnObject() throws IOException {
        assertRejected(crafted("{\"a\": 3}", 0), "tensor 'a': entry is not a JSON object");
    }

    @Test
    void dtypeMissingOrNotAString() throws IOException {
        assertRejected(crafted("{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "tensor 'a': dtype is missing or not a string");
        assertRejected(crafted("{\"a\":{\"dtype\":4,\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "tensor 'a': dtype is missing or not a string");
    }

    @Test
    void unknownDtype() throws IOException {
        assertRejected(crafted("{\"a\":{\"dtype\":\"F31\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "tensor 'a': unknown dtype 'F31'");
    }

    @Test
    void shapeMalformed() throws IOException {
        String reason = "tensor 'a': shape is missing or not an array of non-negative integers";
        assertRejected(crafted("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4), reason);
        assertRejected(crafted("{\"a\":{\"dtype\":\"F32\",\"shape\":\"1\",\"data_offsets\":[0,4]}}", 4), reason);
        assertRejected(crafted("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4), reason);
        assertRejected(crafted("{\"a\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", 4), reason);
        assertRejected(crafted("{\"a\":{\"dtype\":\"F32\",\"shape\":[99999999999999999999],\"data_offsets\":[0,4]}}", 4), reason);
    }

    @Test
    void dataOffsetsMalformed() throws IOException {
        String reason = "tensor 'a': data_offsets is missing or not two non-negative integers";
        assertRejected(crafted("{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4), reason);
        assertRejected(crafted("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", 4), reason);
        assertRejected(crafted("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[\"0\",4]}}", 4), reason);
        assertRejected(crafted("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}", 4), reason);
    }

    @Test
    void dataOffsetsEndBeforeTheyBegin() throws IOException {
        assertRejected(crafted("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]}}", 8),
                "tensor 'a': data_offsets [8, 4] end before they begin");
    }

    @Test
    void sizeOverflow() throws IOException {
        assertRejected(crafted("{\"a\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,2],\"data_offsets\":[0,4]}}", 4),
                "tensor 'a': shape [4611686018427387904, 2] of F32 overflows a 64-bit byte count");
        // numel fits, numel * 4 bytes does not
        assertRejected(crafted("{\"a\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904],\"data_offsets\":[0,4]}}", 4),
                "tensor 'a': shape [4611686018427387904] of F32 overflows a 64-bit byte count");
    }

    @Test
    void offsetsDisagreeWithShape() throws IOException {
        assertRejected(crafted("{\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,12]}}", 12),
                "tensor 'a': data_offsets [0, 12] span 12 bytes but F32 [2, 2] needs 16");
    }

    @Test
    void overlappingOffsets() throws IOException {
        Path file = crafted("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[8,24]}}", 24);
        assertRejected(file, "tensor 'b' data_offsets [8, 24] overlap tensor 'a' [0, 16]");
    }

    @Test
    void gapBetweenTensors() throws IOException {
        Path file = crafted("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", 12);
        assertRejected(file, "data bytes 4..8 before tensor 'b' belong to no tensor of the header (is a tensor missing from it?)");
    }

    @Test
    void firstTensorNotAtZero() throws IOException {
        assertRejected(crafted("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8),
                "data bytes 0..4 before tensor 'a' belong to no tensor of the header (is a tensor missing from it?)");
    }

    @Test
    void truncatedData() throws IOException {
        assertRejected(crafted("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 10),
                "tensors need 16 data bytes but the file holds 10 (truncated)");
    }

    @Test
    void trailingBytes() throws IOException {
        assertRejected(crafted("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 5),
                "data bytes 4..5 belong to no tensor of the header (is a tensor missing from it?)");
    }

    @Test
    void metadataNotAnObject() throws IOException {
        assertRejected(crafted("{\"__metadata__\": [\"a\"]}", 0), "__metadata__ is not a JSON object");
    }

    @Test
    void metadataValueNotAString() throws IOException {
        assertRejected(crafted("{\"__metadata__\": {\"epoch\": 3}}", 0), "__metadata__ value of 'epoch' is not a string");
    }

    // ---- helpers ----

    /** A file with the given JSON header (space-padded to 8) followed by {@code dataBytes} bytes of data. */
    private Path crafted(String json, int dataBytes) throws IOException {
        byte[] text = json.getBytes(StandardCharsets.UTF_8);
        byte[] header = new byte[(text.length + 7) & ~7];
        java.util.Arrays.fill(header, (byte) ' ');
        System.arraycopy(text, 0, header, 0, text.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(header);
        out.write(new byte[dataBytes]);
        return withHeaderLength(header.length, out.toByteArray());
    }

    private Path withHeaderLength(long headerLength, byte[] rest) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(8 + rest.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(headerLength).put(rest);
        return Files.write(Files.createTempFile(dir, "crafted", ".safetensors"), buffer.array());
    }

    private static void assertRejected(Path file, String reason) {
        FormatException e = assertThrows(FormatException.class, () -> SafeTensors.read(file));
        assertEquals(reason, e.reason());
        assertEquals(file + ": " + reason, e.getMessage());
    }

    private static void assertRejectedStartsWith(Path file, String prefix) {
        FormatException e = assertThrows(FormatException.class, () -> SafeTensors.read(file));
        assertTrue(e.reason().startsWith(prefix), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one-line message: " + e.getMessage());
    }

    private static void assertReason(String reason, org.junit.jupiter.api.function.Executable call, Path file) {
        FormatException e = assertThrows(FormatException.class, call);
        assertEquals(file + ": " + reason, e.getMessage());
    }
}
