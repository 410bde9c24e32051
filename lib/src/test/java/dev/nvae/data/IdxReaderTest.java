package dev.nvae.data;

import dev.nvae.NvaeException;
import dev.nvae.io.FormatException;
import dev.nvae.io.IdxWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxReaderTest {
    @TempDir
    Path dir;

    // ---- reading valid files ----

    @Test
    void readsPlainFile() throws IOException {
        Path file = write("a.idx", idx(0x08, new int[] {2, 3}, new byte[] {1, 2, 3, 4, 5, (byte) 250}));
        IdxArray a = IdxReader.read(file);
        assertArrayEquals(new int[] {2, 3}, a.dims());
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, (byte) 250}, a.data());
    }

    @Test
    void detectsGzipByContentNotName() throws IOException {
        byte[] plain = idx(0x08, new int[] {4}, new byte[] {9, 8, 7, 6});
        IdxArray gz = IdxReader.read(write("labels-without-suffix", gzip(plain)));
        assertArrayEquals(new byte[] {9, 8, 7, 6}, gz.data());
        IdxArray named = IdxReader.read(write("plain-but-named.gz", plain));
        assertArrayEquals(new byte[] {9, 8, 7, 6}, named.data());
    }

    @Test
    void roundTripsIdxWriterOutput() {
        float[] pixels = new float[2 * 3 * 4];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (i * 11) / 255f;
        pixels[0] = -0.5f;      // clamped to 0
        pixels[1] = 1.7f;       // clamped to 255
        pixels[2] = 0.5f;       // 127.5 rounds to 128
        pixels[3] = Float.NaN;  // 0
        Path images = dir.resolve("imgs-idx3-ubyte");
        Path labels = dir.resolve("labels-idx1-ubyte");
        IdxWriter.writeImages(images, pixels, 2, 3, 4);
        IdxWriter.writeLabels(labels, new int[] {4, 255});

        IdxArray img = IdxReader.read(images);
        assertArrayEquals(new int[] {2, 3, 4}, img.dims());
        for (int i = 4; i < pixels.length; i++) assertEquals(i * 11, img.data()[i] & 0xFF, "pixel " + i);
        assertArrayEquals(new int[] {0, 255, 128, 0}, new int[] {img.data()[0] & 0xFF, img.data()[1] & 0xFF,
                img.data()[2] & 0xFF, img.data()[3] & 0xFF});

        Dataset d = IdxReader.readPair(images, labels, -1, null, "gen");
        assertEquals(2, d.count());
        assertEquals(3, d.height());
        assertEquals(4, d.width());
        assertEquals(5, d.numClasses(), "255 is no label, so the largest label is 4");
        assertEquals(-1, d.label(1));
        assertEquals(1, d.labelledCount());
        assertEquals(44 / 255f, d.image(0)[4]);
    }

    // ---- header and payload validation ----

    @Test
    void badMagic() throws IOException {
        Path file = write("m", new byte[] {1, 0, 8, 1, 0, 0, 0, 0});
        assertRejected(file, "bad magic 01 00 08 01: an IDX file starts with 00 00");
    }

    @Test
    void fileShorterThanMagic() throws IOException {
        assertRejected(write("short", new byte[] {0, 0}), "truncated: 2 bytes, shorter than the 4-byte IDX magic");
    }

    @Test
    void unsupportedDtypeIsNamed() throws IOException {
        assertRejected(write("i", idx(0x0C, new int[] {1}, new byte[4])),
                "dtype 0x0c (32-bit int) is not one nvae reads: IDX data may be unsigned bytes (0x08), 32-bit floats (0x0d) or 64-bit floats (0x0e)");
        assertRejected(write("q", idx(0x42, new int[] {1}, new byte[1])),
                "dtype 0x42 (unknown dtype) is not one nvae reads: IDX data may be unsigned bytes (0x08), 32-bit floats (0x0d) or 64-bit floats (0x0e)");
    }

    /**
     * Float images (32- or 64-bit, big-endian as all IDX data) read as NPY float32 images do: in [0, 1], stored to
     * 8 bits by rounding v·255, so the dataset is the one of their unsigned-byte copy; plain or gzip.
     */
    @Test
    void floatImagesReadAsTheirUnsignedBytes() throws IOException {
        byte[] u8 = {0, 1, 127, (byte) 128, (byte) 254, (byte) 255, 3, 77, 0, 9, 10, 11};
        ByteBuffer f4 = ByteBuffer.allocate(4 * u8.length), f8 = ByteBuffer.allocate(8 * u8.length);
        for (byte b : u8) {
            f4.putFloat((b & 0xFF) / 255f);
            f8.putDouble((b & 0xFF) / 255.0);
        }
        int[] dims = {2, 2, 3};
        Path labels = write("labels", idx(0x08, new int[] {2}, new byte[] {1, (byte) 255}));
        Dataset expected = IdxReader.readPair(write("u8", idx(0x08, dims, u8)), labels, -1, null, "u8");
        for (Path images : new Path[] {write("f4", idx(0x0D, dims, f4.array())), write("f8", gzip(idx(0x0E, dims, f8.array())))}) {
            IdxArray a = IdxReader.read(images);
            assertArrayEquals(dims, a.dims());
            assertArrayEquals(u8, a.data(), images.toString());
            Dataset d = IdxReader.readPair(images, labels, -1, null, "f");
            assertEquals(expected.numClasses(), d.numClasses());
            for (int i = 0; i < 2; i++) {
                assertArrayEquals(expected.image(i), d.image(i));
                assertEquals(expected.label(i), d.label(i));
            }
            assertArrayEquals(dims, IdxReader.dims(images));
        }
    }

    /** As in an NPY file, a float pixel outside [0, 1] (NaN too) is refused at its index, and float labels are refused. */
    @Test
    void floatPixelsOutsideTheUnitRangeAndFloatLabelsAreRefused() throws IOException {
        assertRejected(write("f4", idx(0x0D, new int[] {1, 1, 3}, ByteBuffer.allocate(12).putFloat(0.5f).putFloat(1.5f).putFloat(0).array())),
                "pixel value 1.5 at flat index 1 is outside [0, 1]");
        assertRejected(write("f8", idx(0x0E, new int[] {1, 2}, ByteBuffer.allocate(16).putDouble(0).putDouble(Double.NaN).array())),
                "pixel value NaN at flat index 1 is outside [0, 1]");
        assertRejected(write("tf", idx(0x0D, new int[] {2, 2}, new byte[15])), "truncated: dims 2x2 declare 16 data bytes, found 15");
        assertRejected(write("xf", idx(0x0E, new int[] {1}, new byte[9])), "trailing bytes after the 8 data bytes that dims 1 declare");
        Path images = write("imgs", idx(0x08, new int[] {2, 1, 1}, new byte[2]));
        Path labels = write("flabels", idx(0x0D, new int[] {2}, new byte[8]));
        FormatException e = assertThrows(FormatException.class, () -> IdxReader.readPair(images, labels, -1, null, "p"));
        assertEquals(labels + ": labels must be unsigned bytes (0x08), found 32-bit float (0x0d)", e.getMessage());
        // A label file of a type no IDX data may have says the same, not which types images may have.
        Path intLabels = write("ilabels", idx(0x0C, new int[] {2}, new byte[8]));
        assertEquals(intLabels + ": labels must be unsigned bytes (0x08), found 32-bit int (0x0c)",
                assertThrows(FormatException.class, () -> IdxReader.readPair(images, intLabels, -1, null, "p")).getMessage());
    }

    @Test
    void numberOfDimensionsOutOfRange() throws IOException {
        assertRejected(write("n0", new byte[] {0, 0, 8, 0}), "number of dimensions 0 is not in 1..4");
        assertRejected(write("n5", idx(0x08, new int[] {1, 1, 1, 1, 1}, new byte[1])), "number of dimensions 5 is not in 1..4");
    }

    @Test
    void truncatedDimensions() throws IOException {
        assertRejected(write("t", new byte[] {0, 0, 8, 3, 0, 0, 0, 1, 0, 0}), "truncated: the header declares 3 dimensions but ends early");
    }

    @Test
    void negativeDimension() throws IOException {
        assertRejected(write("neg", idx(0x08, new int[] {2, -1}, new byte[0])), "dimension 1 is 4294967295, more than the 2147483647 an array can hold");
    }

    @Test
    void dimensionProductOverflows() throws IOException {
        int big = Integer.MAX_VALUE;
        assertRejected(write("ovf", idx(0x08, new int[] {big, big, big, big}, new byte[0])),
                "dims 2147483647x2147483647x2147483647x2147483647 overflow a 64-bit size");
    }

    @Test
    void dimensionProductTooLargeForAnArray() throws IOException {
        assertRejected(write("huge", idx(0x08, new int[] {100000, 100000}, new byte[0])),
                "dims 100000x100000 declare 10000000000 bytes, more than one array can hold");
    }

    @Test
    void truncatedPayload() throws IOException {
        assertRejected(write("tp", idx(0x08, new int[] {2, 2, 2}, new byte[7])), "truncated: dims 2x2x2 declare 8 data bytes, found 7");
    }

    @Test
    void trailingBytes() throws IOException {
        assertRejected(write("tb", idx(0x08, new int[] {3}, new byte[4])), "trailing bytes after the 3 data bytes that dims 3 declare");
        assertRejected(write("tbgz", gzip(idx(0x08, new int[] {3}, new byte[4]))), "trailing bytes after the 3 data bytes that dims 3 declare");
    }

    @Test
    void gzipBombStopsAtTheDeclaredSize() throws IOException {
        // 10 declared bytes followed by 64 MB of zeros that compress to ~64 KB
        Path file = dir.resolve("bomb.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(idx(0x08, new int[] {10}, new byte[0]));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) out.write(zeros);
        }
        assertTrue(Files.size(file) < 1 << 20);
        assertRejected(file, "trailing bytes after the 10 data bytes that dims 10 declare");
    }

    @Test
    void garbledGzip() throws IOException {
        byte[] data = new byte[5000];
        for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 31 + i / 7);
        byte[] gz = gzip(idx(0x08, new int[] {5000}, data));
        for (int i = 20; i < 40; i++) gz[i] ^= (byte) 0x5A;
        FormatException e = assertThrows(FormatException.class, () -> IdxReader.read(write("garbled.gz", gz)));
        assertTrue(e.reason().startsWith("corrupt gzip data: "), e.getMessage());
    }

    @Test
    void gzipWithBadChecksum() throws IOException {
        byte[] gz = gzip(idx(0x08, new int[] {3}, new byte[] {1, 2, 3}));
        gz[gz.length - 8] ^= 1; // CRC32 in the trailer
        assertRejected(write("crc.gz", gz), "damaged gzip data: the CRC-32 or length in its trailer does not match what it inflates to");
    }

    @Test
    void truncatedGzip() throws IOException {
        byte[] data = new byte[5000];
        for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 31 + i / 7);
        byte[] gz = gzip(idx(0x08, new int[] {5000}, data));
        assertRejected(write("cut.gz", Arrays.copyOf(gz, gz.length / 2)), "truncated gzip stream");
    }

    @Test
    void missingFile() {
        Path file = dir.resolve("absent");
        NvaeException e = assertThrows(NvaeException.class, () -> IdxReader.read(file));
        assertEquals(file + ": cannot read: no such file or directory", e.getMessage());
    }

    // ---- readPair ----

    @Test
    void readPairBuildsTheDataset() throws IOException {
        Path images = write("i", idx(0x08, new int[] {3, 1, 2}, new byte[] {0, 1, 2, 3, 4, 5}));
        Path labels = write("l", idx(0x08, new int[] {3}, new byte[] {1, 0, 1}));
        Dataset d = IdxReader.readPair(images, labels, -1, null, "pair");
        assertEquals(List.of("0", "1"), d.classNames());
        assertEquals(3, d.count());
        assertEquals(2, d.dim());
        Dataset named = IdxReader.readPair(images, labels, 3, List.of("x", "y", "z"), "pair");
        assertEquals(3, named.numClasses());
        assertArrayEquals(new int[] {1, 2, 0}, named.classCounts());
    }

    @Test
    void countMismatchNamesBothFilesAndCounts() throws IOException {
        Path images = write("imgs", idx(0x08, new int[] {3, 1, 1}, new byte[3]));
        Path labels = write("labs", idx(0x08, new int[] {2}, new byte[2]));
        NvaeException e = assertThrows(NvaeException.class, () -> IdxReader.readPair(images, labels, 10, null, "p"));
        assertEquals(images + " holds 3 images but " + labels + " holds 2 labels; a label file holds one label per image "
                + "(255 for an image without one)", e.getMessage());
    }

    @Test
    void labelNotBelowNumClasses() throws IOException {
        Path images = write("imgs", idx(0x08, new int[] {3, 1, 1}, new byte[3]));
        Path labels = write("labs", idx(0x08, new int[] {3}, new byte[] {0, 9, 10}));
        FormatException e = assertThrows(FormatException.class, () -> IdxReader.readPair(images, labels, 10, null, "p"));
        assertEquals(labels + ": label 10 at index 2 is not below the number of classes 10", e.getMessage());
    }

    @Test
    void imagesMustBe3dAndLabels1d() throws IOException {
        Path flat = write("flat", idx(0x08, new int[] {3, 4}, new byte[12]));
        Path labels = write("labs", idx(0x08, new int[] {3}, new byte[3]));
        FormatException e = assertThrows(FormatException.class, () -> IdxReader.readPair(flat, labels, -1, null, "p"));
        assertEquals(flat + ": expected 3-D images (count x height x width), found dims 3x4", e.getMessage());

        Path images = write("imgs", idx(0x08, new int[] {3, 1, 1}, new byte[3]));
        Path labels2d = write("labs2", idx(0x08, new int[] {3, 1}, new byte[3]));
        e = assertThrows(FormatException.class, () -> IdxReader.readPair(images, labels2d, -1, null, "p"));
        assertEquals(labels2d + ": expected 1-D labels, found dims 3x1", e.getMessage());
    }

    @Test
    void emptyImagesRejected() throws IOException {
        Path images = write("imgs", idx(0x08, new int[] {3, 0, 5}, new byte[0]));
        Path labels = write("labs", idx(0x08, new int[] {3}, new byte[3]));
        FormatException e = assertThrows(FormatException.class, () -> IdxReader.readPair(images, labels, -1, null, "p"));
        assertEquals(images + ": images of size 3x0x5 are empty", e.getMessage());
    }

    /**
     * Float images of more values than one read block (8192) and than the first output buffer (65536) read every value:
     * the blocks are joined in order and the buffer grows to the declared count.
     */
    @Test
    void floatImagesOfManyBlocksReadEveryValue() throws IOException {
        int count = 7 * 10_001;
        ByteBuffer f4 = ByteBuffer.allocate(4 * count);
        for (int i = 0; i < count; i++) f4.putFloat((i * 7 % 256) / 255f);
        IdxArray a = IdxReader.read(write("big-f4", idx(0x0D, new int[] {1, 7, 10_001}, f4.array())));
        assertEquals(count, a.data().length);
        for (int i = 0; i < count; i++) {
            if ((a.data()[i] & 0xFF) != i * 7 % 256) assertEquals(i * 7 % 256, a.data()[i] & 0xFF, "value " + i);
        }
    }

    /** A float file cut short or holding a bad value past the first block says where, counting the blocks before it. */
    @Test
    void floatFileProblemsPastTheFirstBlockAreLocated() throws IOException {
        ByteBuffer f4 = ByteBuffer.allocate(4 * 10_000);
        f4.putFloat(4 * 8200, 2f);
        assertRejected(write("bad-f4", idx(0x0D, new int[] {100, 100}, f4.array())), "pixel value 2.0 at flat index 8200 is outside [0, 1]");
        assertRejected(write("cut-f4", idx(0x0D, new int[] {100, 100}, new byte[4 * 9000 + 2])),
                "truncated: dims 100x100 declare 40000 data bytes, found 36002");
        ByteBuffer f8 = ByteBuffer.allocate(8 * 3).putDouble(1.0).putDouble(0.0).putDouble(-0.001);
        assertRejected(write("neg-f8", idx(0x0E, new int[] {3}, f8.array())), "pixel value -0.001 at flat index 2 is outside [0, 1]");
    }

    /** Float values in [0, 1] are stored as v·255 rounded to the nearest byte, 0 and 1 included. */
    @Test
    void floatValuesRoundToTheNearestByte() throws IOException {
        ByteBuffer f4 = ByteBuffer.allocate(4 * 4).putFloat(0f).putFloat(1f).putFloat(0.5f / 255f + 1e-4f).putFloat(1.4f / 255f);
        assertArrayEquals(new byte[] {0, (byte) 255, 1, 1}, IdxReader.read(write("round", idx(0x0D, new int[] {4}, f4.array()))).data());
    }

    /** Without a label file every image has no label and the set has no class; with no image at all that is refused. */
    @Test
    void imagesWithoutALabelFile() throws IOException {
        Path images = write("imgs", idx(0x08, new int[] {2, 1, 2}, new byte[] {1, 2, 3, 4}));
        Dataset d = IdxReader.readPair(images, null, -1, null, "u");
        assertEquals(2, d.count());
        assertEquals(0, d.numClasses());
        assertEquals(0, d.labelledCount());
        assertEquals(-1, d.label(0));
        Dataset named = IdxReader.readPair(images, null, 2, List.of("a", "b"), "u");
        assertEquals(List.of("a", "b"), named.classNames());
        assertEquals(-1, named.label(1));
        Path none = write("none", idx(0x08, new int[] {0, 1, 2}, new byte[0]));
        FormatException e = assertThrows(FormatException.class, () -> IdxReader.readPair(none, null, -1, null, "u"));
        assertEquals(none + ": holds no labels, so the number of classes is unknown", e.getMessage());
        Path noLabels = write("nolabs", idx(0x08, new int[] {0}, new byte[0]));
        e = assertThrows(FormatException.class, () -> IdxReader.readPair(none, noLabels, -1, null, "u"));
        assertEquals(noLabels + ": holds no labels, so the number of classes is unknown", e.getMessage());
    }

    /** A label file of 255s only (no image labelled) is label-free data with no class; 255 is never a class, whatever K is. */
    @Test
    void aLabelFileOfNoLabelsOnly() throws IOException {
        Path images = write("imgs", idx(0x08, new int[] {2, 1, 1}, new byte[2]));
        Path labels = write("labs", idx(0x08, new int[] {2}, new byte[] {(byte) 255, (byte) 255}));
        Dataset d = IdxReader.readPair(images, labels, -1, null, "u");
        assertEquals(0, d.numClasses());
        assertEquals(0, d.labelledCount());
        Path mixed = write("mixed", idx(0x08, new int[] {2}, new byte[] {(byte) 255, 0}));
        Dataset one = IdxReader.readPair(images, mixed, 1, null, "u");
        assertEquals(List.of(-1, 0), List.of(one.label(0), one.label(1)));
        assertEquals(-1, IdxReader.maxLabel(new byte[] {(byte) 255}));
        assertEquals(254, IdxReader.maxLabel(new byte[] {(byte) 254, (byte) 255, 3}));
    }

    /** Class names that are not one per class are refused. */
    @Test
    void classNamesMustBeOnePerClass() throws IOException {
        Path images = write("imgs", idx(0x08, new int[] {1, 1, 1}, new byte[1]));
        Path labels = write("labs", idx(0x08, new int[] {1}, new byte[] {0}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IdxReader.readPair(images, labels, 3, List.of("a", "b"), "p"));
        assertEquals("2 class names for 3 classes", e.getMessage());
    }

    /** The largest payload one array holds (2^31 − 9 values) is taken as a size, and one more is refused before reading. */
    @Test
    void payloadSizeLimitIsInclusive() throws IOException {
        int most = Integer.MAX_VALUE - 8;
        assertRejected(write("most", idx(0x08, new int[] {most}, new byte[0])), "truncated: dims 2147483639 declare 2147483639 data bytes, found 0");
        assertRejected(write("more", idx(0x08, new int[] {most + 1}, new byte[0])),
                "dims 2147483640 declare 2147483640 bytes, more than one array can hold");
    }

    /** A directory given as the IDX file is refused as no regular file, naming it. */
    @Test
    void aDirectoryIsNoIdxFile() throws IOException {
        Path d = Files.createDirectories(dir.resolve("sub"));
        NvaeException e = assertThrows(NvaeException.class, () -> IdxReader.read(d));
        assertTrue(e.getMessage().startsWith(d.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("directory"), e.getMessage());
    }

    // ---- helpers ----

    static byte[] idx(int dtype, int[] dims, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + payload.length); // big-endian
        b.put((byte) 0).put((byte) 0).put((byte) dtype).put((byte) dims.length);
        for (int d : dims) b.putInt(d);
        return b.put(payload).array();
    }

    static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(plain);
        }
        return bytes.toByteArray();
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    private static void assertRejected(Path file, String reason) {
        FormatException e = assertThrows(FormatException.class, () -> IdxReader.read(file));
        assertEquals(file + ": " + reason, e.getMessage());
    }
}
