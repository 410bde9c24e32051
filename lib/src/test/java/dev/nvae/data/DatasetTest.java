package dev.nvae.data;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DatasetTest {
    // 4 images of 2x3 pixels; labels 2, 0, 1, 2 out of 3 classes
    private static final byte[] PIXELS = {
            0, 1, 2, 3, 4, 5,
            (byte) 255, (byte) 128, 127, 51, 17, 3,
            10, 20, 30, 40, 50, 60,
            (byte) 200, (byte) 201, (byte) 202, (byte) 203, (byte) 204, (byte) 205};
    private static final byte[] LABELS = {2, 0, 1, 2};

    private static Dataset dataset() {
        return new Dataset("tiny", PIXELS.clone(), LABELS.clone(), 2, 3, List.of("a", "b", "c"));
    }

    /** Flat rows read as images: the same values in the same order, under the new shape; another count is refused. */
    @Test
    void reshapedKeepsEveryValueAndLabel() {
        Dataset flat = new Dataset("flat", PIXELS.clone(), LABELS.clone(), 1, 1, 6, List.of("a", "b", "c"));
        Dataset images = flat.reshaped(3, 1, 2);
        assertEquals(List.of(3, 1, 2), List.of(images.channels(), images.height(), images.width()));
        for (int i = 0; i < flat.count(); i++) {
            assertArrayEquals(flat.image(i), images.image(i));
            assertEquals(flat.label(i), images.label(i));
        }
        assertEquals(new Dataset("x", PIXELS.clone(), LABELS.clone(), 3, 1, 2, List.of("a", "b", "c")).fingerprint(), images.fingerprint(),
                "the dataset those images stored as such are");
        assertThrows(IllegalArgumentException.class, () -> flat.reshaped(1, 2, 2));
    }

    @Test
    void shapeAndLabels() {
        Dataset d = dataset();
        assertEquals(4, d.count());
        assertEquals(6, d.dim());
        assertEquals(2, d.height());
        assertEquals(3, d.width());
        assertEquals(3, d.numClasses());
        assertEquals(List.of("a", "b", "c"), d.classNames());
        assertEquals(1, d.label(2));
        assertArrayEquals(new int[] {1, 1, 2}, d.classCounts());
        assertEquals("tiny", d.name());
    }

    @Test
    void fillBatchWritesPixelOver255AndLabels() {
        Dataset d = dataset();
        int[] order = {3, 1, 0, 2};
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dst = arena.allocate(4 * 6 * Float.BYTES);
            dst.fill((byte) 0x7f); // sentinel for the row that must not be written
            int[] labels = {-1, -1, -1, -1};
            d.fillBatch(order, 1, 3, dst, labels);
            for (int r = 0; r < 3; r++) {
                int example = order[1 + r];
                for (int c = 0; c < 6; c++) {
                    float expected = (PIXELS[example * 6 + c] & 0xFF) / 255f;
                    assertEquals(expected, dst.getAtIndex(ValueLayout.JAVA_FLOAT, r * 6L + c), "row " + r + " col " + c);
                }
            }
            assertEquals(1f, dst.getAtIndex(ValueLayout.JAVA_FLOAT, 0)); // row 0 is example 1, whose pixel 0 is 255
            assertEquals(128 / 255f, dst.getAtIndex(ValueLayout.JAVA_FLOAT, 1));
            assertArrayEquals(new int[] {0, 2, 1, -1}, labels);
            assertEquals((byte) 0x7f, dst.get(ValueLayout.JAVA_BYTE, 3 * 6 * Float.BYTES));
        }
    }

    @Test
    void fillBatchAllocatesNothing() {
        Dataset d = dataset();
        int[] order = {0, 1, 2, 3};
        int[] labels = new int[4];
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dst = arena.allocate(4 * 6 * Float.BYTES);
            for (int i = 0; i < 20_000; i++) d.fillBatch(order, 0, 4, dst, labels); // warm up, JIT
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 1000; i++) d.fillBatch(order, 0, 4, dst, labels);
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertEquals(0, allocated, "bytes allocated by 1000 fillBatch calls");
        }
    }

    @Test
    void fillBatchRejectsBadArguments() {
        Dataset d = dataset();
        MemorySegment small = MemorySegment.ofArray(new float[6]);
        assertThrows(IllegalArgumentException.class, () -> d.fillBatch(new int[] {0, 1}, 0, 2, small, new int[2]));
        MemorySegment big = MemorySegment.ofArray(new float[12]);
        assertThrows(IllegalArgumentException.class, () -> d.fillBatch(new int[] {0, 1}, 0, 2, big, new int[1]));
        assertThrows(IndexOutOfBoundsException.class, () -> d.fillBatch(new int[] {0, 1}, 1, 2, big, new int[2]));
        assertThrows(IndexOutOfBoundsException.class, () -> d.fillBatch(new int[] {0, 4}, 0, 2, big, new int[2]));
    }

    @Test
    void image() {
        float[] img = dataset().image(1);
        assertEquals(6, img.length);
        assertEquals(1f, img[0]);
        assertEquals(3 / 255f, img[5]);
    }

    @Test
    void firstAndSubset() {
        Dataset d = dataset();
        Dataset first = d.first(2);
        assertEquals(2, first.count());
        assertArrayEquals(new int[] {1, 0, 1}, first.classCounts());
        assertArrayEquals(d.image(1), first.image(1));
        assertEquals(4, d.first(100).count());

        Dataset sub = d.subset(new int[] {3, 3, 1});
        assertEquals(3, sub.count());
        assertEquals(2, sub.label(0));
        assertEquals(0, sub.label(2));
        assertArrayEquals(d.image(3), sub.image(1));
        assertArrayEquals(d.image(1), sub.image(2));
        assertEquals(d.classNames(), sub.classNames());
        assertThrows(IndexOutOfBoundsException.class, () -> d.subset(new int[] {4}));
        assertThrows(IllegalArgumentException.class, () -> d.first(-1));
    }

    @Test
    void constructorValidates() {
        List<String> names = List.of("a", "b", "c");
        assertThrows(IllegalArgumentException.class, () -> new Dataset("x", new byte[5], new byte[1], 2, 3, names));
        assertThrows(IllegalArgumentException.class, () -> new Dataset("x", new byte[6], new byte[] {3}, 2, 3, names));
        assertThrows(IllegalArgumentException.class, () -> new Dataset("x", new byte[0], new byte[0], 0, 3, names));
        assertThrows(IllegalArgumentException.class, () -> new Dataset("x", new byte[0], new byte[0], 2, 3, List.of()));
    }

    /** The fingerprint changes with every part a checkpoint must match: size, channels, class names, pixels, labels, which lack one. */
    @Test
    void fingerprintCoversEveryPartOfTheData() {
        Dataset d = dataset();
        long f = d.fingerprint();
        assertEquals(f, dataset().fingerprint());
        byte[] pixels = PIXELS.clone();
        pixels[5]++;
        byte[] labels = LABELS.clone();
        labels[0] = 1;
        java.util.BitSet missing = new java.util.BitSet();
        missing.set(1);
        List<Dataset> others = List.of(
                new Dataset("tiny", PIXELS.clone(), LABELS.clone(), 3, 2, List.of("a", "b", "c")),
                d.reshaped(1, 2, 3).reshaped(1, 1, 6),
                new Dataset("tiny", PIXELS.clone(), LABELS.clone(), 2, 3, List.of("a", "b", "x")),
                new Dataset("tiny", pixels, LABELS.clone(), 2, 3, List.of("a", "b", "c")),
                new Dataset("tiny", PIXELS.clone(), labels, 2, 3, List.of("a", "b", "c")),
                new Dataset("tiny", PIXELS.clone(), LABELS.clone(), missing, 1, 2, 3, List.of("a", "b", "c")),
                new Dataset("tiny", java.util.Arrays.copyOf(PIXELS, 12), new byte[] {2, 0}, 2, 3, List.of("a", "b", "c")));
        for (Dataset o : others) assertNotEquals(f, o.fingerprint(), o.toString());
        Dataset rgb = new Dataset("c", java.util.Arrays.copyOf(PIXELS, 12), new byte[] {2, 0}, 2, 1, 3, List.of("a", "b", "c"));
        Dataset grey = new Dataset("c", java.util.Arrays.copyOf(PIXELS, 12), new byte[] {2, 0}, 1, 2, 3, List.of("a", "b", "c"));
        assertNotEquals(grey.fingerprint(), rgb.fingerprint(), "channels count, not only the pixel count");
    }

    /** The one-line description names the count, size, channels (if not grey), classes and labelled count, singular where one. */
    @Test
    void toStringDescribesTheSet() {
        assertEquals("tiny (4 images 2x3, 3 classes)", dataset().toString());
        assertEquals("tiny (1 image 2x3, 3 classes)", dataset().first(1).toString());
        assertEquals("tiny (2 images 3x1x2, 3 classes, 1 labelled)", new Dataset("tiny", java.util.Arrays.copyOf(PIXELS, 12), new byte[] {0, 1},
                bits(1), 3, 1, 2, List.of("a", "b", "c")).toString());
        assertEquals("one (1 image 1x1, 1 class)", new Dataset("one", new byte[1], new byte[1], 1, 1, List.of("a")).toString());
    }

    /** first(0) is an empty set, not a refusal; an image of no height or width, or of no channel, is refused. */
    @Test
    void emptyBoundaries() {
        assertEquals(0, dataset().first(0).count());
        List<String> names = List.of("a");
        assertThrows(IllegalArgumentException.class, () -> new Dataset("x", new byte[0], new byte[1], 1, 0, 3, names));
        assertThrows(IllegalArgumentException.class, () -> new Dataset("x", new byte[0], new byte[1], 1, 3, 0, names));
        assertThrows(IllegalArgumentException.class, () -> new Dataset("x", new byte[0], new byte[1], 0, 1, 1, names));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Dataset("x", new byte[2], new byte[2], bits(2), 1, 1, 1, names));
        assertEquals("x: example 2 marked unlabelled, of 2", e.getMessage());
    }

    /** A reshape to any shape of the same number of values is taken, in any order of the factors; another number is refused. */
    @Test
    void reshapedChecksTheProductOfTheNewShape() {
        Dataset d = dataset();
        assertEquals(List.of(1, 2, 3), List.of(d.reshaped(1, 2, 3).channels(), d.reshaped(1, 2, 3).height(), d.reshaped(1, 2, 3).width()));
        assertEquals(6, d.reshaped(3, 1, 2).dim());
        assertThrows(IllegalArgumentException.class, () -> d.reshaped(2, 2, 2));
    }

    /** A float in [0, 1] reads back as its byte v·255 rounded, over 255, as a file's pixel does. */
    @Test
    void storedAs8BitsRoundsToTheNearestByte() {
        assertEquals(0f, Dataset.storedAs8Bits(0f));
        assertEquals(1f, Dataset.storedAs8Bits(1f));
        assertEquals(128 / 255f, Dataset.storedAs8Bits(0.5f));
        assertEquals(1 / 255f, Dataset.storedAs8Bits(0.6f / 255f));
    }

    private static java.util.BitSet bits(int... set) {
        java.util.BitSet b = new java.util.BitSet();
        for (int i : set) b.set(i);
        return b;
    }
}
