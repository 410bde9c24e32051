package dev.nvae.data;

import dev.nvae.NvaeException;
import dev.nvae.io.IdxWriter;
import dev.nvae.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Data where some examples have no label: in memory, selected from a labelled set, and in every file layout. */
class PartialLabelsTest {
    @TempDir
    Path dir;

    /** n one-pixel examples, classes 0, 1, 2 in turn. */
    private static Dataset cycling(int n) {
        byte[] images = new byte[n], labels = new byte[n];
        for (int i = 0; i < n; i++) {
            images[i] = (byte) (i * 7);
            labels[i] = (byte) (i % 3);
        }
        return new Dataset("t", images, labels, 1, 1, List.of("a", "b", "c"));
    }

    @Test
    void missingLabelsReadAsMinusOneEverywhere() {
        BitSet missing = new BitSet();
        missing.set(1);
        missing.set(4);
        Dataset d = new Dataset("t", new byte[6], new byte[] {0, 9, 1, 2, 9, 1}, missing, 1, 1, 1, List.of("a", "b", "c"));
        assertEquals(-1, d.label(1), "the byte under a missing label is ignored, even out of range");
        assertEquals(4, d.labelledCount());
        assertFalse(d.fullyLabelled());
        assertArrayEquals(new int[] {1, 2, 1}, d.classCounts());
        int[] labels = new int[6];
        try (Arena arena = Arena.ofConfined()) {
            d.fillBatch(new int[] {0, 1, 2, 3, 4, 5}, 0, 6, arena.allocate(6 * 4), labels);
        }
        assertArrayEquals(new int[] {0, -1, 1, 2, -1, 1}, labels);
        Dataset sub = d.subset(new int[] {4, 0});
        assertEquals(-1, sub.label(0));
        assertEquals(0, sub.label(1));
        assertTrue(d.toString().contains("4 labelled"), d.toString());
        assertEquals(-1, d.withImages(new byte[6]).label(4), "other pixels, the same labels");
    }

    @Test
    void fingerprintCoversWhichExamplesHaveALabel() {
        Dataset full = cycling(12);
        assertEquals(full.fingerprint(), cycling(12).fingerprint());
        Dataset some = full.keepingLabelsOf(new int[] {0, 1, 2});
        Dataset others = full.keepingLabelsOf(new int[] {0, 1, 5});
        assertNotEquals(full.fingerprint(), some.fingerprint());
        assertNotEquals(some.fingerprint(), others.fingerprint());
        assertEquals(some.fingerprint(), full.keepingLabelsOf(new int[] {2, 1, 0}).fingerprint());
    }

    @Test
    void withoutLabelsHasTheGivenClassesAndNoLabel() {
        Dataset none = cycling(6).withoutLabels(List.of("cluster 0", "cluster 1"));
        assertEquals(0, none.labelledCount());
        assertEquals(2, none.numClasses());
        assertEquals(-1, none.label(5));
        assertArrayEquals(cycling(6).image(5), none.image(5));
    }

    @Test
    void labelsPerClassKeepsExactlyNOfEachChosenFromTheSeed() {
        Dataset all = cycling(300);
        Dataset ten = LabelSelection.perClass(all, 10, 4);
        assertArrayEquals(new int[] {10, 10, 10}, ten.classCounts());
        assertEquals(300, ten.count(), "the others stay, unlabelled");
        assertEquals(ten.fingerprint(), LabelSelection.perClass(all, 10, 4).fingerprint(), "same seed, same examples");
        assertNotEquals(ten.fingerprint(), LabelSelection.perClass(all, 10, 5).fingerprint());
        Dataset twenty = LabelSelection.perClass(all, 20, 4);
        for (int i = 0; i < 300; i++) if (ten.hasLabel(i)) assertTrue(twenty.hasLabel(i), "a larger selection contains a smaller one");
        NvaeException e = assertThrows(NvaeException.class, () -> LabelSelection.perClass(all, 101, 4));
        assertTrue(e.getMessage().startsWith("--labels-per-class 101: class 'a' has only 100 labelled examples"), e.getMessage());
    }

    @Test
    void labelsFractionKeepsTheClassProportions() {
        Dataset tenth = LabelSelection.fraction(cycling(300), 0.1, 1);
        assertArrayEquals(new int[] {10, 10, 10}, tenth.classCounts());
        assertEquals(3, LabelSelection.fraction(cycling(30), 0.01, 1).labelledCount(), "at least one per class");
        assertThrows(NvaeException.class, () -> LabelSelection.fraction(cycling(30), 0, 1));
    }

    @Test
    void npyLabelMinusOneIsNoLabel() throws IOException {
        Npy.writeF32(dir.resolve("train-images.npy"), new float[4 * 2], 4, 2);
        Npy.writeI64(dir.resolve("train-labels.npy"), new int[] {1, -1, 0, -1});
        Dataset d = DataSources.loadDirectory(dir, Split.TRAIN);
        assertEquals(2, d.labelledCount());
        assertEquals(-1, d.label(3));
        assertEquals(2, d.numClasses());
    }

    @Test
    void dataWithoutAnyLabelHasNoClasses() throws IOException {
        Npy.writeF32(dir.resolve("train-images.npy"), new float[3 * 2], 3, 2);
        Npy.writeI64(dir.resolve("train-labels.npy"), new int[] {-1, -1, -1});
        Dataset d = DataSources.loadDirectory(dir, Split.TRAIN);
        assertEquals(0, d.numClasses());
        assertEquals(0, d.labelledCount());
    }

    @Test
    void idxLabel255IsNoLabel() throws IOException {
        IdxWriter.writeImages(dir.resolve("train-images-idx3-ubyte"), new float[5 * 4], 5, 2, 2);
        IdxWriter.writeLabels(dir.resolve("train-labels-idx1-ubyte"), new int[] {2, 255, 0, 255, 1});
        Dataset d = DataSources.loadDirectory(dir, Split.TRAIN);
        assertEquals(3, d.numClasses());
        assertEquals(3, d.labelledCount());
        assertEquals(-1, d.label(1));
    }

    /** A uint8 NPY label file has no -1: its 255 is no label, as an IDX file's is (it was class 255, of 256). */
    @Test
    void npyUint8Label255IsNoLabelAsInIdx() throws IOException {
        int[] labels = {2, 255, 0, 255, 1};
        byte[] pixels = new byte[5 * 4], bytes = new byte[labels.length];
        float[] values = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 13);
            values[i] = (i * 13 % 256) / 255f;
        }
        for (int i = 0; i < labels.length; i++) bytes[i] = (byte) labels[i];
        Path idx = Files.createDirectories(dir.resolve("idx")), npy = Files.createDirectories(dir.resolve("npy"));
        IdxWriter.writeImages(idx.resolve("train-images-idx3-ubyte"), values, 5, 2, 2);
        IdxWriter.writeLabels(idx.resolve("train-labels-idx1-ubyte"), labels);
        NpyPairReaderTest.npy(npy.resolve("train-images.npy"), "|u1", "(5, 2, 2)", pixels);
        NpyPairReaderTest.npy(npy.resolve("train-labels.npy"), "|u1", "(5,)", bytes);
        Dataset fromIdx = DataSources.loadDirectory(idx, Split.TRAIN), fromNpy = DataSources.loadDirectory(npy, Split.TRAIN);
        assertEquals(3, fromNpy.numClasses());
        assertEquals(3, fromNpy.labelledCount());
        assertEquals(-1, fromNpy.label(3));
        assertSame(fromIdx, fromNpy);
        // Signed labels say the same with -1, and 255 stays a class there (0..255, or -1).
        NpyPairReaderTest.npy(npy.resolve("train-labels.npy"), "<i8", "(5,)", NpyPairReaderTest.i64(2, -1, 0, -1, 1));
        assertSame(fromIdx, DataSources.loadDirectory(npy, Split.TRAIN));
        NpyPairReaderTest.npy(npy.resolve("train-labels.npy"), "<i8", "(5,)", NpyPairReaderTest.i64(2, 255, 0, -1, 1));
        assertEquals(256, DataSources.loadDirectory(npy, Split.TRAIN).numClasses());
    }

    /** The same examples, labels (or none) and classes; not the fingerprint, which hashes the byte under a missing label too. */
    private static void assertSame(Dataset expected, Dataset actual) {
        assertEquals(expected.count(), actual.count());
        assertEquals(expected.classNames(), actual.classNames());
        assertEquals(List.of(expected.channels(), expected.height(), expected.width()), List.of(actual.channels(), actual.height(), actual.width()));
        for (int i = 0; i < expected.count(); i++) {
            assertEquals(expected.label(i), actual.label(i), "label " + i);
            assertArrayEquals(expected.image(i), actual.image(i), "image " + i);
        }
    }

    @Test
    void imageFolderUnlabelledSubfolderIsNoClassAndTrainingDataOnly() throws IOException {
        for (String folder : List.of("cat", "dog", "unlabelled")) pgms(dir.resolve(folder), 5);
        Dataset train = ImageFolderReader.read(dir, Split.TRAIN, "f"), test = ImageFolderReader.read(dir, Split.TEST, "f");
        assertEquals(List.of("cat", "dog"), train.classNames());
        assertEquals(8 + 5, train.count(), "four of five of each class, and every unlabelled image");
        assertEquals(8, train.labelledCount());
        assertEquals(-1, train.label(12));
        assertEquals(2, test.count());
        assertTrue(test.fullyLabelled());
        assertEquals(List.of(1, 1), IntStream.of(test.classCounts()).boxed().toList());
    }

    /**
     * train/ and test/ holding unlabelled/ alone, data without a label at all (a vae's): the test split is test/unlabelled/,
     * said in no notice; it was refused, "has no class sub-folders". Where test/ has class folders, its unlabelled/ is
     * left out of the test split as before, with a notice.
     */
    @Test
    void imageFolderOfUnlabelledImagesAloneTestsOnTestUnlabelled() throws IOException {
        pgms(dir.resolve("train/unlabelled"), 4);
        pgms(dir.resolve("test/unlabelled"), 3);
        List<String> said = new java.util.ArrayList<>();
        DataSources.onNotice(said::add);
        try {
            Dataset test = DataSources.loadDirectory(dir, Split.TEST);
            assertEquals(3, test.count());
            assertEquals(0, test.labelledCount());
            assertEquals(0, test.numClasses());
            assertEquals(4, DataSources.loadDirectory(dir, Split.TRAIN).count(), "train/unlabelled/ alone");
            assertEquals(List.of(), said);
            pgms(dir.resolve("train/cat"), 2);
            pgms(dir.resolve("test/cat"), 2);
            Dataset labelled = DataSources.loadDirectory(dir, Split.TEST);
            assertEquals(2, labelled.count(), "test/cat/ alone");
            assertTrue(labelled.fullyLabelled());
            assertEquals(1, said.size(), said.toString());
            assertTrue(said.getFirst().contains("the 3 images in " + dir.resolve("test/unlabelled") + " are left out"), said.getFirst());
        } finally {
            DataSources.onNotice(message -> { });
        }
    }

    /** n one-pixel PGM images in {@code folder}, made with its parents. */
    private static void pgms(Path folder, int n) throws IOException {
        Files.createDirectories(folder);
        for (int i = 0; i < n; i++) {
            Files.write(folder.resolve(i + ".pgm"), ("P5 1 1 255\n" + (char) (i * 10)).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        }
    }

    /** The boundaries of the selections: one label per class is allowed, so is a class's every label, and a fraction of 1 keeps them all. */
    @Test
    void selectionBoundariesAreAllowed() {
        Dataset all = cycling(12);
        assertEquals(3, LabelSelection.perClass(all, 1, 4).labelledCount());
        assertEquals(12, LabelSelection.perClass(all, 4, 4).labelledCount(), "each class has exactly 4");
        NvaeException e = assertThrows(NvaeException.class, () -> LabelSelection.perClass(all, 0, 4));
        assertEquals("--labels-per-class 0 must be at least 1", e.getMessage());
        e = assertThrows(NvaeException.class, () -> LabelSelection.perClass(all, 5, 4, "the first 12"));
        assertEquals("--labels-per-class 5: class 'a' has only 4 labelled examples in the first 12", e.getMessage());
        assertEquals(12, LabelSelection.fraction(all, 1.0, 4).labelledCount());
        e = assertThrows(NvaeException.class, () -> LabelSelection.fraction(all, 1.5, 4));
        assertEquals("--labels-fraction 1.5 must be in (0, 1]", e.getMessage());
    }
}
