package dev.nvae.data;

import dev.nvae.NvaeException;
import dev.nvae.io.FormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NpyPairReaderTest {
    @TempDir
    Path dir;

    /** An NPY v1 file as numpy writes it. */
    static Path npy(Path file, String descr, String shape, byte[] data) throws IOException {
        return npy(file, descr, false, shape, data);
    }

    static Path npy(Path file, String descr, boolean fortran, String shape, byte[] data) throws IOException {
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + shape + ", }";
        int total = (10 + dict.length() + 1 + 63) / 64 * 64;
        String header = dict + " ".repeat(total - 10 - dict.length() - 1) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), 0});
        out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(data);
        Files.createDirectories(file.getParent());
        return Files.write(file, out.toByteArray());
    }

    static byte[] i64(long... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) b.putLong(x);
        return b.array();
    }

    static byte[] i32(int... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) b.putInt(x);
        return b.array();
    }

    static byte[] f32(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) b.putFloat(x);
        return b.array();
    }

    @Test
    void uint8ImagesWithInt64Labels() throws IOException {
        Path x = npy(dir.resolve("x.npy"), "|u1", "(2, 2, 3)", new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, (byte) 255});
        Path y = npy(dir.resolve("y.npy"), "<i8", "(2,)", i64(2, 0));
        Dataset d = NpyPairReader.read(x, y, null, -1, "n");
        assertEquals(2, d.count());
        assertEquals(2, d.height());
        assertEquals(3, d.width());
        assertEquals(List.of("0", "1", "2"), d.classNames());
        assertEquals(2, d.label(0));
        assertEquals(1f, d.image(1)[5]);
    }

    @Test
    void float32RowsWithInt32Labels() throws IOException {
        Path x = npy(dir.resolve("x.npy"), "<f4", "(2, 2)", f32(0f, 1f, 0.5f, 0.2f));
        Path y = npy(dir.resolve("y.npy"), "<i4", "(2,)", i32(1, 1));
        Dataset d = NpyPairReader.read(x, y, List.of("a", "b"), -1, "n");
        assertEquals(1, d.height());
        assertEquals(2, d.width());
        assertArrayEquals(new float[] {128 / 255f, 51 / 255f}, d.image(1));
        assertEquals(List.of("a", "b"), d.classNames());
    }

    /** (N, C, H, W), channels first as np.save writes an array of that shape: each image is CHW, as nvae holds it. */
    @Test
    void imagesOfThreeChannelsOrOneAsChannelsFirst() throws IOException {
        Path rgb = npy(dir.resolve("rgb.npy"), "|u1", "(2, 3, 1, 2)", new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        Path y = npy(dir.resolve("y.npy"), "<i8", "(2,)", i64(0, 1));
        Dataset d = NpyPairReader.read(rgb, y, null, -1, "n");
        assertEquals(3, d.channels());
        assertEquals(1, d.height());
        assertEquals(2, d.width());
        assertArrayEquals(new float[] {7 / 255f, 8 / 255f, 9 / 255f, 10 / 255f, 11 / 255f, 12 / 255f}, d.image(1));
        Path f32 = npy(dir.resolve("f.npy"), "<f4", "(2, 3, 1, 1)", f32(0f, 0.5f, 1f, 1f, 0.2f, 0f));
        Dataset f = NpyPairReader.read(f32, y, null, -1, "n");
        assertEquals(3, f.channels());
        assertArrayEquals(new float[] {1f, 51 / 255f, 0f}, f.image(1));
        Path grey = npy(dir.resolve("g.npy"), "|u1", "(2, 1, 2, 3)", new byte[12]);
        Dataset g = NpyPairReader.read(grey, y, null, -1, "n");
        assertEquals(List.of(1, 2, 3), List.of(g.channels(), g.height(), g.width()), "(N, 1, H, W) is (N, H, W)");
    }

    @Test
    void rejections() throws IOException {
        Path x = npy(dir.resolve("x.npy"), "|u1", "(2, 1, 1)", new byte[2]);
        Path three = npy(dir.resolve("three.npy"), "<i8", "(3,)", i64(0, 1, 2));
        NvaeException count = assertThrows(NvaeException.class, () -> NpyPairReader.read(x, three, null, -1, "n"));
        assertEquals(x + " holds 2 images but " + three + " holds 3 labels", count.getMessage());

        Path negative = npy(dir.resolve("neg.npy"), "<i8", "(2,)", i64(0, -2));
        assertReason(negative, "label -2 at index 1 is not in 0..255 (or -1 for no label)", () -> NpyPairReader.read(x, negative, null, -1, "n"));
        Path range = npy(dir.resolve("r.npy"), "<i8", "(2,)", i64(0, 5));
        assertReason(range, "label 5 at index 1 is not below the number of classes 3", () -> NpyPairReader.read(x, range, null, 3, "n"));
        Path floatLabels = npy(dir.resolve("fl.npy"), "<f4", "(2,)", f32(0, 1));
        assertReason(floatLabels, "labels must be integers (<i8, <i4 or |u1), found <f4", () -> NpyPairReader.read(x, floatLabels, null, -1, "n"));
        Path matrix = npy(dir.resolve("m.npy"), "<i8", "(1, 2)", i64(0, 1));
        assertReason(matrix, "expected labels of shape (N,), found [1, 2]", () -> NpyPairReader.read(x, matrix, null, -1, "n"));

        Path y = npy(dir.resolve("y.npy"), "<i8", "(2,)", i64(0, 1));
        Path outside = npy(dir.resolve("o.npy"), "<f4", "(2, 1)", f32(0.5f, Float.NaN));
        assertReason(outside, "pixel value NaN at flat index 1 is outside [0, 1]" + NpyPairReader.OUTSIDE, () -> NpyPairReader.read(outside, y, null, -1, "n"));
        Path flat = npy(dir.resolve("flat.npy"), "|u1", "(2,)", new byte[2]);
        assertReason(flat, "expected images of shape (N, C, H, W), (N, H, W) or (N, D), found [2]", () -> NpyPairReader.read(flat, y, null, -1, "n"));
        // The image-folder reader makes grey or RGB sets, and nothing else reads or writes other channel counts.
        Path two = npy(dir.resolve("two.npy"), "|u1", "(2, 2, 1, 1)", new byte[4]);
        assertReason(two, "holds images of 2 channels (shape [2, 2, 1, 1]); a dataset's images have 1 channel (grey) or 3 (RGB), "
                + "channels first: an array of images (N, H, W, 1) is stored as a.transpose(0, 3, 1, 2)",
                () -> NpyPairReader.read(two, y, null, -1, "n"));
        Path five = npy(dir.resolve("five.npy"), "|u1", "(2, 5, 1, 1, 1)", new byte[10]);
        assertReason(five, "expected images of shape (N, C, H, W), (N, H, W) or (N, D), found [2, 5, 1, 1, 1]",
                () -> NpyPairReader.read(five, y, null, -1, "n"));
        Path ints = npy(dir.resolve("ints.npy"), "<i8", "(2, 1)", i64(0, 1));
        assertReason(ints, "images must be uint8 (|u1) or float32 (<f4), found <i8", () -> NpyPairReader.read(ints, y, null, -1, "n"));
        Path empty = npy(dir.resolve("e.npy"), "|u1", "(0, 8589934597, 3)", new byte[0]);
        assertReason(empty, "dimension 8589934597 of shape [0, 8589934597, 3] is too large", () -> NpyPairReader.read(empty, y, null, -1, "n"));
    }

    private static void assertReason(Path file, String reason, org.junit.jupiter.api.function.Executable call) {
        FormatException e = assertThrows(FormatException.class, call);
        assertEquals(file, e.file());
        assertEquals(reason, e.reason());
    }

    /**
     * Images and labels stored big-endian and in Fortran order are a dataset as their little-endian C-order
     * copies are, by the same rules: floats in [0, 1] rounded v·255, a float outside refused at its C-order index.
     */
    @Test
    void bigEndianFortranOrderImagesAndLabelsReadAsTheirDefaultForm() throws IOException {
        // Two 2x3 images: image n's pixel (y, x) is (n * 6 + y * 3 + x) / 11, stored with the first axis fastest.
        ByteBuffer fortran = ByteBuffer.allocate(4 * 12);  // big-endian
        float[] c = new float[12];
        for (int i = 0; i < 12; i++) c[i] = i / 11f;
        for (int x = 0; x < 3; x++) for (int y = 0; y < 2; y++) for (int n = 0; n < 2; n++) fortran.putFloat(c[n * 6 + y * 3 + x]);
        ByteBuffer labels = ByteBuffer.allocate(8).putInt(1).putInt(-1);  // big-endian
        Path x = npy(dir.resolve("be/x.npy"), ">f4", true, "(2, 2, 3)", fortran.array());
        Path y = npy(dir.resolve("be/y.npy"), ">i4", "(2,)", labels.array());
        Dataset read = NpyPairReader.read(x, y, null, 3, "be");
        Dataset expected = NpyPairReader.read(npy(dir.resolve("le/x.npy"), "<f4", "(2, 2, 3)", f32(c)),
                npy(dir.resolve("le/y.npy"), "<i4", "(2,)", i32(1, -1)), null, 3, "le");
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(expected.image(i), read.image(i));
            assertEquals(expected.label(i), read.label(i));
        }
        c[7] = 1.5f;  // image 1, pixel (0, 1): stored at x 1, y 0, n 1
        fortran.putFloat(4 * (1 * 4 + 0 * 2 + 1), 1.5f);
        Path out = npy(dir.resolve("be/out.npy"), ">f4", true, "(2, 2, 3)", fortran.array());
        FormatException e = assertThrows(FormatException.class, () -> NpyPairReader.read(out, y, null, 3, "be"));
        assertEquals(out + ": pixel value 1.5 at flat index 7 is outside [0, 1]" + NpyPairReader.OUTSIDE, e.getMessage());
        Path floatLabels = npy(dir.resolve("be/fy.npy"), ">f4", "(2,)", new byte[8]);
        e = assertThrows(FormatException.class, () -> NpyPairReader.read(x, floatLabels, null, 3, "be"));
        assertEquals(floatLabels + ": labels must be integers (<i8, <i4 or |u1), found >f4", e.getMessage());
    }

    /**
     * Label ranges: int64/int32 labels take 0..255 and -1 (no label), so 255 is a class there; a uint8 label file's 255 is
     * no label, as in IDX; 256 and below -1 are refused.
     */
    @Test
    void labelRangesByDtype() throws IOException {
        Path x = npy(dir.resolve("x.npy"), "|u1", "(3, 1, 1)", new byte[3]);
        Path wide = npy(dir.resolve("wide.npy"), "<i8", "(3,)", i64(255, -1, 0));
        Dataset d = NpyPairReader.read(x, wide, null, -1, "w");
        assertEquals(256, d.numClasses());
        assertEquals(List.of(255, -1, 0), List.of(d.label(0), d.label(1), d.label(2)));
        Path u8 = npy(dir.resolve("u8.npy"), "|u1", "(3,)", new byte[] {(byte) 255, 2, (byte) 254});
        Dataset b = NpyPairReader.read(x, u8, null, -1, "b");
        assertEquals(255, b.numClasses());
        assertEquals(List.of(-1, 2, 254), List.of(b.label(0), b.label(1), b.label(2)));
        assertEquals(254, NpyPairReader.maxLabel(u8));
        Path big = npy(dir.resolve("big.npy"), "<i4", "(3,)", i32(0, 256, 1));
        assertReason(big, "label 256 at index 1 is not in 0..255 (or -1 for no label)", () -> NpyPairReader.read(x, big, null, -1, "n"));
        Path at = npy(dir.resolve("at.npy"), "<i8", "(3,)", i64(0, 1, 2));
        assertReason(at, "label 2 at index 2 is not below the number of classes 2", () -> NpyPairReader.read(x, at, null, 2, "n"));
        assertEquals(List.of("p", "q", "r"), NpyPairReader.read(x, at, List.of("p", "q", "r"), -1, "n").classNames());
    }

    /** Without a labels file no image has a label; an empty set of images or labels has no classes to number, and is refused. */
    @Test
    void noLabelsAndNoClasses() throws IOException {
        Path x = npy(dir.resolve("x.npy"), "|u1", "(2, 3)", new byte[] {1, 2, 3, 4, 5, 6});
        Dataset d = NpyPairReader.read(x, null, null, -1, "u");
        assertEquals(0, d.numClasses());
        assertEquals(0, d.labelledCount());
        assertEquals(List.of(1, 1, 3), List.of(d.channels(), d.height(), d.width()), "(N, D) is N images of 1 x D");
        Path allNone = npy(dir.resolve("none.npy"), "<i8", "(2,)", i64(-1, -1));
        assertEquals(0, NpyPairReader.read(x, allNone, null, -1, "u").numClasses());
        Path empty = npy(dir.resolve("e.npy"), "|u1", "(0, 3)", new byte[0]);
        assertReason(empty, "holds no labels, so the number of classes is unknown", () -> NpyPairReader.read(empty, null, null, -1, "u"));
        Path noLabels = npy(dir.resolve("el.npy"), "<i8", "(0,)", new byte[0]);
        assertReason(noLabels, "holds no labels, so the number of classes is unknown", () -> NpyPairReader.read(empty, noLabels, null, -1, "u"));
        assertEquals(-1, NpyPairReader.maxLabel(noLabels));
    }

    /** A 4-D array of 3 in its last axis is hinted as channels last; one whose last axis is no channel count gets no hint. */
    @Test
    void channelsLastHintOnlyWhereTheLastAxisCouldBeChannels() throws IOException {
        Path y = npy(dir.resolve("y.npy"), "<i8", "(1,)", i64(0));
        Path rgbLast = npy(dir.resolve("hwc.npy"), "|u1", "(1, 4, 2, 3)", new byte[24]);
        assertReason(rgbLast, "holds images of 4 channels (shape [1, 4, 2, 3]); a dataset's images have 1 channel (grey) or 3 (RGB), "
                + "channels first: an array of images (N, H, W, 3) is stored as a.transpose(0, 3, 1, 2)", () -> NpyPairReader.read(rgbLast, y, null, -1, "n"));
        Path odd = npy(dir.resolve("odd.npy"), "|u1", "(1, 2, 2, 2)", new byte[8]);
        assertReason(odd, "holds images of 2 channels (shape [1, 2, 2, 2]); a dataset's images have 1 channel (grey) or 3 (RGB)",
                () -> NpyPairReader.read(odd, y, null, -1, "n"));
    }

    /** An image dimension of 0 is an empty image, refused; the largest dimension an array can hold is taken, one more is not. */
    @Test
    void imageShapeBounds() {
        Path f = dir.resolve("s.npy");
        FormatException e = assertThrows(FormatException.class, () -> NpyPairReader.imageShape(f, new long[] {2, 0, 3}));
        assertEquals("images of shape [2, 0, 3] are empty", e.reason());
        e = assertThrows(FormatException.class, () -> NpyPairReader.imageShape(f, new long[] {2, 1, 0, 3}));
        assertEquals("images of shape [2, 1, 0, 3] are empty", e.reason());
        e = assertThrows(FormatException.class, () -> NpyPairReader.imageShape(f, new long[] {2, 0}));
        assertEquals("images of shape [2, 0] are empty", e.reason());
        assertEquals(new NpyPairReader.ImageShape(1, 1, Integer.MAX_VALUE - 8), NpyPairReader.imageShape(f, new long[] {0, Integer.MAX_VALUE - 8}));
        assertEquals(new NpyPairReader.ImageShape(3, 5, 7), NpyPairReader.imageShape(f, new long[] {0, 3, 5, 7}));
        e = assertThrows(FormatException.class, () -> NpyPairReader.imageShape(f, new long[] {0, Integer.MAX_VALUE - 7}));
        assertEquals("dimension 2147483640 of shape [0, 2147483640] is too large", e.reason());
    }

    /** Float pixels are stored as v·255 rounded to the nearest byte, 0 and 1 included. */
    @Test
    void floatPixelsRoundToTheNearestByte() throws IOException {
        Path x = npy(dir.resolve("x.npy"), "<f4", "(1, 4)", f32(0f, 1f, 0.5f / 255f + 1e-4f, 1.4f / 255f));
        assertArrayEquals(new float[] {0f, 1f, 1 / 255f, 1 / 255f}, NpyPairReader.read(x, null, null, -1, "r").image(0));
    }

    /** numClasses 0 is taken as given, not as "count them": labelled images are then refused. */
    @Test
    void zeroClassesGivenRefusesLabelledImages() throws IOException {
        Path x = npy(dir.resolve("x.npy"), "|u1", "(1, 1)", new byte[1]);
        Path y = npy(dir.resolve("y.npy"), "<i8", "(1,)", i64(0));
        assertReason(y, "holds no labels, so the number of classes is unknown", () -> NpyPairReader.read(x, y, null, 0, "z"));
    }
}
