package dev.nvae.data;

import dev.nvae.NvaeException;
import dev.nvae.io.FormatException;
import dev.nvae.io.IdxWriter;
import dev.nvae.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class DataSourcesTest {
    @TempDir
    Path dir;

    @Test
    void testdataTrainSplit() {
        Dataset d = DataSources.load("testdata", Split.TRAIN);
        assertEquals(3000, d.count());
        assertEquals(28, d.height());
        assertEquals(28, d.width());
        assertEquals(784, d.dim());
        assertEquals(DataSources.FASHION_MNIST_CLASSES, d.classNames());
        assertEquals("Ankle boot", d.classNames().get(9));
        assertArrayEquals(new int[] {282, 321, 290, 312, 303, 300, 298, 312, 287, 295}, d.classCounts());
        assertEquals("testdata:train", d.name());
    }

    /**
     * NPY images without a labels file beside them are examples without a label (a vae's samples, data for
     * --labels none), said in a notice; the test split's labels still number the classes, and a labels file that
     * is there but not a file is refused.
     */
    @Test
    void npyImagesWithoutALabelsFileHaveNoLabel() throws IOException {
        Npy.writeF32(dir.resolve("train-images.npy"), new float[3 * 4], 3, 4);
        java.util.List<String> said = new java.util.ArrayList<>();
        Dataset d = loadSaying(Split.TRAIN, said);
        assertEquals(3, d.count());
        assertEquals(0, d.labelledCount());
        assertEquals(0, d.numClasses());
        assertEquals(List.of("--data " + dir + ": no train-labels.npy beside train-images.npy: its images have no label"), said);

        Npy.writeF32(dir.resolve("test-images.npy"), new float[2 * 4], 2, 4);
        Npy.writeI64(dir.resolve("test-labels.npy"), new int[]{0, 2});
        Dataset numbered = DataSources.load(dir.toString(), Split.TRAIN);
        assertEquals(3, numbered.numClasses(), "classes 0..2 from the test split's labels");
        assertEquals(0, numbered.labelledCount());
        assertEquals(2, DataSources.load(dir.toString(), Split.TEST).labelledCount());
        Files.createSymbolicLink(dir.resolve("train-labels.npy"), dir.resolve("gone-labels.npy")); // a link to nothing
        NvaeException dangling = assertThrows(NvaeException.class, () -> DataSources.load(dir.toString(), Split.TRAIN));
        assertEquals("--data " + dir + ": " + dir.resolve("train-labels.npy") + " is not a file", dangling.getMessage());
        Files.delete(dir.resolve("train-labels.npy"));
        Files.createDirectory(dir.resolve("train-labels.npy"));
        NvaeException e = assertThrows(NvaeException.class, () -> DataSources.load(dir.toString(), Split.TRAIN));
        assertEquals("--data " + dir + ": " + dir.resolve("train-labels.npy") + " is not a file", e.getMessage());
    }

    /**
     * IDX images without a labels file are read as NPY ones are: examples without a label, said in a notice naming the
     * file (.gz or not); the other split's labels still number the classes; a labels file that is there but no file
     * is refused. They were refused, "train-labels-idx1-ubyte (or .gz) not found".
     */
    @Test
    void idxImagesWithoutALabelsFileHaveNoLabel() throws IOException {
        writeLayout(dir, new int[] {0, 2, 1}, new int[] {4, 0}, false);
        Files.delete(dir.resolve("train-labels-idx1-ubyte"));
        java.util.List<String> said = new java.util.ArrayList<>();
        Dataset d = loadSaying(Split.TRAIN, said);
        assertEquals(3, d.count());
        assertEquals(0, d.labelledCount());
        assertEquals(List.of("0", "1", "2", "3", "4"), d.classNames(), "classes 0..4 from the test split's labels");
        assertEquals(List.of("--data " + dir + ": no train-labels-idx1-ubyte beside train-images-idx3-ubyte: its images have no label"), said);
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte"));
        Files.write(dir.resolve("t10k-images-idx3-ubyte.gz"), IdxReaderTest.gzip(Files.readAllBytes(dir.resolve("t10k-images-idx3-ubyte"))));
        Files.delete(dir.resolve("t10k-images-idx3-ubyte"));
        said.clear();
        Dataset none = loadSaying(Split.TEST, said);
        assertEquals(2, none.count());
        assertEquals(0, none.numClasses(), "no label in either split: no classes");
        assertEquals(List.of("--data " + dir + ": no t10k-labels-idx1-ubyte beside t10k-images-idx3-ubyte.gz: its images have no label"), said);
        Files.createSymbolicLink(dir.resolve("train-labels-idx1-ubyte.gz"), dir.resolve("gone")); // a link to nothing
        NvaeException dangling = assertThrows(NvaeException.class, () -> DataSources.load(dir.toString(), Split.TRAIN));
        assertEquals("--data " + dir + ": " + dir.resolve("train-labels-idx1-ubyte.gz") + " is not a file", dangling.getMessage());
    }

    @Test
    void testdataTestSplit() {
        Dataset d = DataSources.load("testdata", Split.TEST);
        assertEquals(1000, d.count());
        assertArrayEquals(new int[] {107, 105, 111, 93, 115, 87, 97, 95, 95, 95}, d.classCounts());
        // Fashion-MNIST's first test example is an ankle boot (label 9).
        assertEquals(9, d.label(0));
    }

    @Test
    void testdataFromNvaeHome() {
        Path home = repoRoot();
        String old = System.setProperty("nvae.home", home.toString());
        try {
            assertEquals(1000, DataSources.load("testdata", Split.TEST).count());
            System.setProperty("nvae.home", dir.toString());
            NvaeException e = assertThrows(NvaeException.class, () -> DataSources.load("testdata", Split.TEST));
            assertEquals("--data testdata: " + dir.resolve("testdata/fashion-mnist-subset") + " not found", e.getMessage());
        } finally {
            restore("nvae.home", old);
        }
    }

    @Test
    void fashionMnistMissingGivesTheInstallCommand() {
        Path missing = dir.resolve("nowhere");
        String old = System.setProperty("nvae.fashionMnistDir", missing.toString());
        try {
            NvaeException e = assertThrows(NvaeException.class, () -> DataSources.load("fashion-mnist", Split.TRAIN));
            assertEquals("--data fashion-mnist: " + missing + " not found; install it with: apt-get install dataset-fashion-mnist",
                    e.getMessage());
        } finally {
            restore("nvae.fashionMnistDir", old);
        }
    }

    /** The full test split from the Debian package; the committed subset is its prefix. */
    @Test
    void fashionMnistFromTheDebianPackage() {
        assumeTrue(Files.isDirectory(Path.of(DataSources.FASHION_MNIST_DIR)), "dataset-fashion-mnist not installed");
        Dataset full = DataSources.load("fashion-mnist", Split.TEST);
        assertEquals(10_000, full.count());
        assertArrayEquals(new int[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}, full.classCounts());
        Dataset subset = DataSources.load("testdata", Split.TEST);
        for (int i = 0; i < subset.count(); i += 97) {
            assertEquals(full.label(i), subset.label(i));
            assertArrayEquals(full.image(i), subset.image(i));
        }
    }

    @Test
    void directoryWithNumberedClassesAgreeingAcrossSplits() throws IOException {
        writeLayout(dir, new int[] {0, 2, 1}, new int[] {4, 0}, false);
        Dataset train = DataSources.load(dir.toString(), Split.TRAIN);
        Dataset test = DataSources.loadDirectory(dir, Split.TEST);
        assertEquals(List.of("0", "1", "2", "3", "4"), train.classNames());
        assertEquals(train.classNames(), test.classNames());
        assertEquals(3, train.count());
        assertEquals(2, test.count());
        assertEquals(4, test.label(0));
        assertEquals(2, train.height());
        assertEquals(3, train.width());
    }

    @Test
    void directoryWithGzippedFilesAndClassesTxt() throws IOException {
        writeLayout(dir, new int[] {0, 2, 1}, new int[] {1, 0}, true);
        Files.writeString(dir.resolve("classes.txt"), "cat\ndog\nbird\nfish\n\n");
        Dataset train = DataSources.loadDirectory(dir, Split.TRAIN);
        assertEquals(List.of("cat", "dog", "bird", "fish"), train.classNames());
        assertArrayEquals(new int[] {1, 1, 1, 0}, train.classCounts());
    }

    @Test
    void classesTxtWithTooFewNames() throws IOException {
        writeLayout(dir, new int[] {0, 2, 1}, new int[] {1, 0}, false);
        Path classes = Files.writeString(dir.resolve("classes.txt"), "cat\ndog\n");
        FormatException e = assertThrows(FormatException.class, () -> DataSources.loadDirectory(dir, Split.TEST));
        assertEquals(classes + ": lists 2 class names but the labels go up to 2", e.getMessage());
    }

    @Test
    void classesTxtWithABlankLine() throws IOException {
        writeLayout(dir, new int[] {0}, new int[] {0}, false);
        Path classes = Files.writeString(dir.resolve("classes.txt"), "cat\n\ndog\n");
        FormatException e = assertThrows(FormatException.class, () -> DataSources.loadDirectory(dir, Split.TRAIN));
        assertEquals(classes + ": line 2 is empty; write one class name per line", e.getMessage());
    }

    /** A path that does not exist is told so (it was told "... is not a directory"); a file given for the directory still is. */
    @Test
    void missingDirectory() throws IOException {
        Path missing = dir.resolve("absent");
        NvaeException e = assertThrows(NvaeException.class, () -> DataSources.load(missing.toString(), Split.TRAIN));
        assertEquals("--data " + missing + ": " + missing + " does not exist", e.getMessage());
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        e = assertThrows(NvaeException.class, () -> DataSources.load(file.toString(), Split.TRAIN));
        assertEquals("--data " + file + ": " + file + " is not a directory", e.getMessage());
    }

    @Test
    void missingFile() throws IOException {
        writeLayout(dir, new int[] {0}, new int[] {0}, false);
        Files.delete(dir.resolve("t10k-images-idx3-ubyte"));
        NvaeException e = assertThrows(NvaeException.class, () -> DataSources.load(dir.toString(), Split.TEST));
        assertEquals("--data " + dir + ": " + dir.resolve("t10k-images-idx3-ubyte") + " (or .gz) not found; it holds a train split alone"
                + " (--split train reads it)", e.getMessage());
    }

    /**
     * sample --format idx|npy writes one split; asked for the other, the message said only which file was missing, not
     * that the split there is could be read.
     */
    @Test
    void aDataSetOfOneSplitSaysWhichSplitItHolds() throws IOException {
        writeLayout(dir, new int[] {0}, new int[] {0}, false);
        Files.delete(dir.resolve("train-images-idx3-ubyte"));
        NvaeException e = assertThrows(NvaeException.class, () -> DataSources.load(dir.toString(), Split.TRAIN));
        assertEquals("--data " + dir + ": " + dir.resolve("train-images-idx3-ubyte") + " (or .gz) not found; it holds a test split alone,"
                + " and training reads a train split", e.getMessage());
        Path npy = Files.createDirectories(dir.resolve("npy"));
        Npy.writeF32(npy.resolve("test-images.npy"), new float[4], 1, 4);
        e = assertThrows(NvaeException.class, () -> DataSources.load(npy.toString(), Split.TRAIN));
        assertEquals("--data " + npy + ": " + npy.resolve("train-images.npy") + " not found; it holds a test split alone,"
                + " and training reads a train split", e.getMessage());
    }

    @Test
    void directoryOfNpyArrays() throws IOException {
        NpyPairReaderTest.npy(dir.resolve("train-images.npy"), "|u1", "(3, 1, 2)", new byte[] {1, 2, 3, 4, 5, 6});
        NpyPairReaderTest.npy(dir.resolve("train-labels.npy"), "<i8", "(3,)", NpyPairReaderTest.i64(0, 1, 0));
        NpyPairReaderTest.npy(dir.resolve("test-images.npy"), "|u1", "(1, 1, 2)", new byte[] {7, 8});
        NpyPairReaderTest.npy(dir.resolve("test-labels.npy"), "|u1", "(1,)", new byte[] {3});
        Dataset train = DataSources.load(dir.toString(), Split.TRAIN);
        Dataset test = DataSources.load(dir.toString(), Split.TEST);
        assertEquals(List.of("0", "1", "2", "3"), train.classNames(), "numbered up to the largest label of both splits");
        assertEquals(train.classNames(), test.classNames());
        assertEquals(3, train.count());
        assertEquals(dir + ":test", test.name());
        Files.writeString(dir.resolve("classes.txt"), "a\nb\nc\nd\n");
        assertEquals(List.of("a", "b", "c", "d"), DataSources.load(dir.toString(), Split.TRAIN).classNames());
        Files.delete(dir.resolve("test-labels.npy"));
        Dataset unlabelled = DataSources.load(dir.toString(), Split.TEST);
        assertEquals(0, unlabelled.labelledCount(), "images without their labels file have no label");
        assertEquals(List.of("a", "b", "c", "d"), unlabelled.classNames());
    }

    /**
     * testdata/rgb-shapes-npy is testdata/rgb-shapes decoded by PIL and arranged (N, 3, H, W) by numpy
     * (testdata/make_rgb_shapes_npy.py): read as NPY it is the dataset the folder is — pixels, labels, classes,
     * shape — split by split; and so is a float32 copy of it.
     */
    @Test
    void anRgbNpySetIsTheFolderItWasMadeFrom() throws IOException {
        Path root = repoRoot().resolve("testdata");
        String npy = root.resolve("rgb-shapes-npy").toString(), folder = root.resolve("rgb-shapes").toString();
        for (Split split : Split.values()) {
            Dataset a = DataSources.load(npy, split), b = DataSources.load(folder, split);
            assertSameImages(b, a);
        }
        Path floats = Files.createDirectories(dir.resolve("f32"));
        for (String split : List.of("train", "test")) {
            byte[] bytes = Npy.read(Path.of(npy, split + "-images.npy")).bytes();
            float[] v = new float[bytes.length];
            for (int i = 0; i < v.length; i++) v[i] = (bytes[i] & 0xFF) / 255f;
            NpyPairReaderTest.npy(floats.resolve(split + "-images.npy"), "<f4", "(" + bytes.length / (3 * 24 * 32) + ", 3, 24, 32)",
                    NpyPairReaderTest.f32(v));
            Files.copy(Path.of(npy, split + "-labels.npy"), floats.resolve(split + "-labels.npy"));
        }
        Files.copy(Path.of(npy, "classes.txt"), floats.resolve("classes.txt"));
        assertSameImages(DataSources.load(folder, Split.TEST), DataSources.load(floats.toString(), Split.TEST));
    }

    private static void assertSameImages(Dataset expected, Dataset actual) {
        assertEquals(List.of(3, 24, 32), List.of(actual.channels(), actual.height(), actual.width()));
        assertEquals(expected.count(), actual.count());
        assertEquals(expected.classNames(), actual.classNames());
        for (int i = 0; i < expected.count(); i++) {
            assertEquals(expected.label(i), actual.label(i), "label " + i);
            assertArrayEquals(expected.image(i), actual.image(i), "image " + i);
        }
        assertEquals(expected.fingerprint(), actual.fingerprint(), "size, channels, classes, pixels and labels");
    }

    /** The splits of an NPY set must agree in channels as they must in size: a model trained on one is tested on the other. */
    @Test
    void npySplitsOfOtherChannelsOrSizesAreRefused() throws IOException {
        NpyPairReaderTest.npy(dir.resolve("train-images.npy"), "|u1", "(1, 3, 1, 2)", new byte[6]);
        NpyPairReaderTest.npy(dir.resolve("train-labels.npy"), "<i8", "(1,)", NpyPairReaderTest.i64(0));
        Path test = NpyPairReaderTest.npy(dir.resolve("test-images.npy"), "|u1", "(1, 1, 2)", new byte[2]);
        NpyPairReaderTest.npy(dir.resolve("test-labels.npy"), "<i8", "(1,)", NpyPairReaderTest.i64(0));
        FormatException e = assertThrows(FormatException.class, () -> DataSources.load(dir.toString(), Split.TRAIN));
        assertEquals(test + ": holds images of 1 channel but " + dir.resolve("train-images.npy")
                + " holds 3; the train and test splits must have one number of channels", e.getMessage());
        Path train = dir.resolve("train-images.npy");
        e = assertThrows(FormatException.class, () -> DataSources.load(dir.toString(), Split.TEST));
        assertEquals(train + ": holds images of 3 channels but " + test + " holds 1; the train and test splits must have one number of channels",
                e.getMessage());
        NpyPairReaderTest.npy(test, "|u1", "(1, 3, 2, 1)", new byte[6]);
        e = assertThrows(FormatException.class, () -> DataSources.load(dir.toString(), Split.TRAIN));
        assertEquals(test + ": holds images of 2x1 but " + train + " holds 1x2; the train and test splits must have one image size", e.getMessage());
        // The other split's header is read as its own load reads it: a scalar array was an index out of bounds.
        NpyPairReaderTest.npy(test, "|u1", "()", new byte[1]);
        e = assertThrows(FormatException.class, () -> DataSources.load(dir.toString(), Split.TRAIN));
        assertEquals(test + ": expected images of shape (N, C, H, W), (N, H, W) or (N, D), found []", e.getMessage());
    }

    @Test
    void directoryOfClassFolders() throws IOException {
        for (String c : List.of("b", "a")) {
            Files.createDirectories(dir.resolve(c));
            for (int i = 0; i < 5; i++) Files.write(dir.resolve(c + "/" + i + ".pgm"), "P5 1 1 255\n\0".getBytes(StandardCharsets.US_ASCII));
        }
        Dataset train = DataSources.load(dir.toString(), Split.TRAIN);
        assertEquals(List.of("a", "b"), train.classNames());
        assertEquals(8, train.count());
        assertEquals(2, DataSources.load(dir.toString(), Split.TEST).count());
    }

    @Test
    void directoryWithNoKnownLayout() throws IOException {
        Files.writeString(dir.resolve("readme.txt"), "x");
        NvaeException e = assertThrows(NvaeException.class, () -> DataSources.load(dir.toString(), Split.TRAIN));
        assertEquals("--data " + dir + ": no dataset in " + dir + "; expected IDX files (train-images-idx3-ubyte[.gz] and "
                + "train-labels-idx1-ubyte[.gz]), NPY files (train-images.npy and train-labels.npy), or one sub-folder of PNG/PGM "
                + "images per class", e.getMessage());
    }

    /** {@code dir}'s split, loaded; the notices the load gave are added to {@code said}. */
    private Dataset loadSaying(Split split, List<String> said) {
        DataSources.onNotice(said::add);
        try {
            return DataSources.load(dir.toString(), split);
        } finally {
            DataSources.onNotice(message -> { });
        }
    }

    /** An MNIST-layout directory of 2x3 images whose pixels encode their index, with the given labels. */
    private static void writeLayout(Path dir, int[] trainLabels, int[] testLabels, boolean gzip) throws IOException {
        for (String prefix : List.of("train", "t10k")) {
            int[] labels = prefix.equals("train") ? trainLabels : testLabels;
            float[] pixels = new float[labels.length * 6];
            for (int i = 0; i < pixels.length; i++) pixels[i] = (i % 256) / 255f;
            Path images = dir.resolve(prefix + "-images-idx3-ubyte");
            Path labelFile = dir.resolve(prefix + "-labels-idx1-ubyte");
            IdxWriter.writeImages(images, pixels, labels.length, 2, 3);
            IdxWriter.writeLabels(labelFile, labels);
            if (gzip) {
                for (Path p : List.of(images, labelFile)) {
                    Files.write(Path.of(p + ".gz"), IdxReaderTest.gzip(Files.readAllBytes(p)));
                    Files.delete(p);
                }
            }
        }
    }

    private static Path repoRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("testdata/fashion-mnist-subset"))) return p;
        }
        throw new AssertionError("no testdata/fashion-mnist-subset above " + Path.of("").toAbsolutePath());
    }

    private static void restore(String key, String old) {
        if (old == null) System.clearProperty(key);
        else System.setProperty(key, old);
    }

    /** A folder named testdata where the command runs is not the bundled subset the name reads as: a note says so. */
    @Test
    void aFolderShadowedByTheBuiltInNameIsNoted(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path bundled = Files.createDirectories(tmp.resolve("box/testdata")), own = Files.createDirectories(tmp.resolve("work/testdata"));
        List<String> said = new java.util.ArrayList<>();
        DataSources.onNotice(said::add);
        try {
            DataSources.noteShadowed("testdata", bundled, own);
            DataSources.noteShadowed("testdata", bundled, bundled);
            DataSources.noteShadowed("testdata", bundled, tmp.resolve("work/none"));
        } finally {
            DataSources.onNotice(message -> { });
        }
        assertEquals(List.of("--data testdata is the bundled subset (" + bundled + "), not the folder " + own.toAbsolutePath()
                + " here; give --data ./testdata for that one"), said);
    }

    /** The files a dataset's readers take, and anything inside its class folders, would change the data; files beside it would not. */
    @Test
    void wouldChangeNamesTheFilesAReaderTakes() throws IOException {
        writeLayout(dir, new int[] {0}, new int[] {0}, false);
        String spec = dir.toString();
        for (String name : List.of("train-images-idx3-ubyte", "t10k-labels-idx1-ubyte.gz", "test-images.npy", "classes.txt")) {
            assertTrue(DataSources.wouldChange(spec, dir.resolve(name)), name);
        }
        assertFalse(DataSources.wouldChange(spec, dir.resolve("samples.png")), "IDX data ignores an image beside it");
        assertFalse(DataSources.wouldChange(spec, dir.resolve("notes.txt")));
        assertFalse(DataSources.wouldChange(spec, dir.getParent().resolve("train-images-idx3-ubyte")), "another directory's file");
        assertFalse(DataSources.wouldChange(spec, dir.resolve("absent/x.png")), "a parent that does not exist");
        assertFalse(DataSources.wouldChange(dir.resolve("none").toString(), dir.resolve("train-images-idx3-ubyte")), "no such dataset");
        assertFalse(DataSources.wouldChange("", dir.resolve("train-images-idx3-ubyte")), "a blank spec names no directory");
    }

    /** An image folder is changed by an image beside its class folders (it would refuse to load) and by anything in one. */
    @Test
    void wouldChangeAnImageFolderByAnyImageInOrBesideIt() throws IOException {
        Path images = Files.createDirectories(dir.resolve("set/cat"));
        Files.write(images.resolve("0.pgm"), "P5 1 1 255\n\0".getBytes(StandardCharsets.US_ASCII));
        String spec = dir.resolve("set").toString();
        assertTrue(DataSources.wouldChange(spec, dir.resolve("set/loose.png")));
        assertTrue(DataSources.wouldChange(spec, images.resolve("new.txt")), "inside a class folder");
        assertFalse(DataSources.wouldChange(spec, dir.resolve("set/readme.txt")));
        assertEquals(images.resolve("0.pgm").getParent(), DataSources.datasetIn(dir.resolve("set")));
        assertEquals(null, DataSources.colourImage(spec), "grey images only");
    }

    /** A directory to be written is enclosed by the dataset if it is the dataset's directory or below it, existing or not. */
    @Test
    void enclosesTheDatasetDirectoryAndWhatLiesBelow() throws IOException {
        writeLayout(dir, new int[] {0}, new int[] {0}, false);
        String spec = dir.toString();
        assertTrue(DataSources.encloses(spec, dir));
        assertTrue(DataSources.encloses(spec, dir.resolve("runs/a/b")), "below it, not yet made");
        assertTrue(DataSources.encloses(spec, dir.resolve("x/../runs")), "normalised");
        assertFalse(DataSources.encloses(spec, dir.getParent()));
        assertFalse(DataSources.encloses(spec, dir.resolveSibling(dir.getFileName() + "-runs/a")), "a sibling that shares a prefix");
        assertFalse(DataSources.encloses(dir.resolve("none").toString(), dir));
    }

    /** The first file of a dataset layout or sub-folder with images marks a directory as holding a dataset; other files do not. */
    @Test
    void datasetInFindsTheFirstMarkOfADataset() throws IOException {
        Files.writeString(dir.resolve("notes.txt"), "x");
        Files.createDirectories(dir.resolve("empty"));
        assertEquals(null, DataSources.datasetIn(dir));
        assertEquals(null, DataSources.datasetIn(dir.resolve("absent")));
        Path classes = Files.writeString(dir.resolve("classes.txt"), "a\n");
        assertEquals(classes, DataSources.datasetIn(dir));
        Path labels = Files.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), new byte[1]);
        assertEquals(labels, DataSources.datasetIn(dir), "in the order of the layout's files");
    }

    /** directory() names the folder a spec reads, and null for a blank spec or one that is not a directory. */
    @Test
    void directoryOfASpec() throws IOException {
        assertEquals(dir, DataSources.directory(dir.toString()));
        assertEquals(null, DataSources.directory(" "));
        assertEquals(null, DataSources.directory(Files.writeString(dir.resolve("f"), "x").toString()));
        assertEquals(null, DataSources.directory("bad\0path"));
        assertTrue(DataSources.directory("testdata").endsWith(DataSources.TESTDATA_SUBSET));
    }

    /** A UTF-8 byte order mark (Notepad's) is no part of the first class name, and white space around a name is dropped. */
    @Test
    void classesTxtWithAByteOrderMarkAndSpaces() throws IOException {
        writeLayout(dir, new int[] {0, 1}, new int[] {1}, false);
        Files.writeString(dir.resolve("classes.txt"), "\uFEFF cat \r\ndog\r\n");
        assertEquals(List.of("cat", "dog"), DataSources.loadDirectory(dir, Split.TRAIN).classNames());
    }

    /** A repeated class name, more than 256 names, no name at all or text that is not UTF-8 are refused, naming the file. */
    @Test
    void classesTxtRefusals() throws IOException {
        writeLayout(dir, new int[] {0}, new int[] {0}, false);
        Path classes = dir.resolve("classes.txt");
        Files.writeString(classes, "cat\ndog\ncat\n");
        assertEquals(classes + ": line 3 repeats the class name 'cat' of line 1; every class needs its own name",
                assertThrows(FormatException.class, () -> DataSources.loadDirectory(dir, Split.TRAIN)).getMessage());
        Files.writeString(classes, "\n\n");
        assertEquals(classes + ": lists no class names",
                assertThrows(FormatException.class, () -> DataSources.loadDirectory(dir, Split.TRAIN)).getMessage());
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 257; i++) many.append('c').append(i).append('\n');
        Files.writeString(classes, many);
        assertEquals(classes + ": lists 257 classes; at most 256 are supported",
                assertThrows(FormatException.class, () -> DataSources.loadDirectory(dir, Split.TRAIN)).getMessage());
        Files.writeString(classes, many.substring(0, many.lastIndexOf("c256")));
        assertEquals(256, DataSources.loadDirectory(dir, Split.TRAIN).numClasses(), "256 names are the most, and allowed");
        Files.write(classes, new byte[] {'a', (byte) 0xFF, '\n'});
        assertEquals(classes + ": is not UTF-8 text; write the class names in UTF-8, one per line",
                assertThrows(FormatException.class, () -> DataSources.loadDirectory(dir, Split.TRAIN)).getMessage());
    }

    /** One name for labels up to 1 says "1 class name", singular; the same check holds for an NPY set. */
    @Test
    void classesTxtWithOneNameTooFewForNpy() throws IOException {
        NpyPairReaderTest.npy(dir.resolve("train-images.npy"), "|u1", "(2, 1, 1)", new byte[2]);
        NpyPairReaderTest.npy(dir.resolve("train-labels.npy"), "<i8", "(2,)", NpyPairReaderTest.i64(0, 1));
        Path classes = Files.writeString(dir.resolve("classes.txt"), "cat\n");
        FormatException e = assertThrows(FormatException.class, () -> DataSources.loadDirectory(dir, Split.TRAIN));
        assertEquals(classes + ": lists 1 class name but the labels go up to 1", e.getMessage());
    }

    /** IDX and NPY images in one directory, or either beside a folder of images, are refused as ambiguous. */
    @Test
    void twoLayoutsInOneDirectoryAreRefused() throws IOException {
        writeLayout(dir, new int[] {0}, new int[] {0}, false);
        NpyPairReaderTest.npy(dir.resolve("test-images.npy"), "|u1", "(1, 1, 1)", new byte[1]);
        NvaeException e = assertThrows(NvaeException.class, () -> DataSources.loadDirectory(dir, Split.TRAIN));
        assertEquals("--data " + dir + ": " + dir + " holds both IDX files (train-images-idx3-ubyte) and NPY files (test-images.npy), "
                + "so which set is the data is ambiguous; move one of them to a directory of its own", e.getMessage());
        Files.delete(dir.resolve("test-images.npy"));
        Files.createDirectories(dir.resolve("notes"));
        assertEquals(1, DataSources.loadDirectory(dir, Split.TRAIN).count(), "a sub-folder without images is no second set");
        Files.write(dir.resolve("notes/a.png"), new byte[1]);
        e = assertThrows(NvaeException.class, () -> DataSources.loadDirectory(dir, Split.TRAIN));
        assertEquals("--data " + dir + ": " + dir + " holds both IDX files (train-images-idx3-ubyte) and sub-folders of PNG/PGM images "
                + "(notes/), so which set is the data is ambiguous; move one of them to a directory of its own", e.getMessage());
    }

    /** A file and its .gz copy side by side are refused: one of them would silently be the data. */
    @Test
    void plainAndGzippedCopiesAreRefused() throws IOException {
        writeLayout(dir, new int[] {0}, new int[] {0}, false);
        Files.copy(dir.resolve("t10k-labels-idx1-ubyte"), dir.resolve("t10k-labels-idx1-ubyte.gz"));
        NvaeException e = assertThrows(NvaeException.class, () -> DataSources.loadDirectory(dir, Split.TEST));
        assertEquals(dir + ": holds both t10k-labels-idx1-ubyte and t10k-labels-idx1-ubyte.gz, so which one is the data is ambiguous;"
                + " remove one of them", e.getMessage());
    }

    /** The IDX splits must hold images of one size; the other split is checked from its header. */
    @Test
    void idxSplitsOfOtherSizesAreRefused() throws IOException {
        writeLayout(dir, new int[] {0}, new int[] {0}, false);
        Path test = dir.resolve("t10k-images-idx3-ubyte");
        IdxWriter.writeImages(test, new float[6], 1, 3, 2);
        FormatException e = assertThrows(FormatException.class, () -> DataSources.loadDirectory(dir, Split.TRAIN));
        assertEquals(test + ": holds images of 3x2 but " + dir.resolve("train-images-idx3-ubyte") + " holds 2x3; the train and test "
                + "splits must have one image size", e.getMessage());
    }

    /** A blank first line of classes.txt is refused as line 1, and a classes.txt that is a folder is refused, not read. */
    @Test
    void classesTxtBlankFirstLineOrAFolder() throws IOException {
        writeLayout(dir, new int[] {0}, new int[] {0}, false);
        Path classes = Files.writeString(dir.resolve("classes.txt"), "\ncat\n");
        assertEquals(classes + ": line 1 is empty; write one class name per line",
                assertThrows(FormatException.class, () -> DataSources.loadDirectory(dir, Split.TRAIN)).getMessage());
        Files.delete(classes);
        Files.createDirectories(classes);
        NvaeException e = assertThrows(NvaeException.class, () -> DataSources.loadDirectory(dir, Split.TRAIN));
        assertTrue(e.getMessage().startsWith(classes.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("directory"), e.getMessage());
    }

    /** A test split alone in IDX beside NPY files, or NPY files beside a folder of images, are refused as two data sets. */
    @Test
    void twoLayoutsOfOtherKinds() throws IOException {
        writeLayout(dir, new int[] {0}, new int[] {0}, false);
        Files.delete(dir.resolve("train-images-idx3-ubyte"));
        NpyPairReaderTest.npy(dir.resolve("train-images.npy"), "|u1", "(1, 1, 1)", new byte[1]);
        NvaeException e = assertThrows(NvaeException.class, () -> DataSources.loadDirectory(dir, Split.TEST));
        assertTrue(e.getMessage().contains("holds both IDX files (t10k-images-idx3-ubyte) and NPY files (train-images.npy)"), e.getMessage());
        Path npy = Files.createDirectories(dir.resolve("npy"));
        NpyPairReaderTest.npy(npy.resolve("test-images.npy"), "|u1", "(1, 1, 1)", new byte[1]);
        Files.createDirectories(npy.resolve("cat"));
        Files.write(npy.resolve("cat/a.pgm"), "P5 1 1 255\n\0".getBytes(StandardCharsets.US_ASCII));
        e = assertThrows(NvaeException.class, () -> DataSources.loadDirectory(npy, Split.TEST));
        assertEquals("--data " + npy + ": " + npy + " holds both NPY files (test-images.npy) and sub-folders of PNG/PGM images (cat/), "
                + "so which set is the data is ambiguous; move one of them to a directory of its own", e.getMessage());
        assertEquals(npy.resolve("test-images.npy"), DataSources.datasetIn(npy));
        Path nested = Files.createDirectories(dir.resolve("nested/train/cat"));
        Files.write(nested.resolve("a.png"), new byte[1]);
        assertEquals(dir.resolve("nested/train"), DataSources.datasetIn(dir.resolve("nested")), "a split folder whose class folder holds an image");
    }

    /** colourImage names the first PNG stored in colour of an image folder, and nothing for grey folders or IDX/NPY data. */
    @Test
    void colourImageNamesTheFirstColourPng() throws IOException {
        Path set = Files.createDirectories(dir.resolve("set/b"));
        Files.createDirectories(dir.resolve("set/a"));
        Files.write(dir.resolve("set/a/0.pgm"), "P5 1 1 255\n\0".getBytes(StandardCharsets.US_ASCII));
        assertEquals(null, DataSources.colourImage(dir.resolve("set").toString()));
        java.awt.image.BufferedImage rgb = new java.awt.image.BufferedImage(1, 1, java.awt.image.BufferedImage.TYPE_INT_RGB);
        javax.imageio.ImageIO.write(rgb, "png", set.resolve("1.png").toFile());
        assertEquals(set.resolve("1.png"), DataSources.colourImage(dir.resolve("set").toString()));
        assertEquals(null, DataSources.colourImage(dir.resolve("none").toString()));
        writeLayout(dir.resolve("set"), new int[] {0}, new int[] {0}, false);
        assertEquals(null, DataSources.colourImage(dir.resolve("set").toString()), "IDX data is read first");
        Path npy = Files.createDirectories(dir.resolve("npy/b"));
        Files.copy(set.resolve("1.png"), npy.resolve("1.png"));
        NpyPairReaderTest.npy(dir.resolve("npy/test-images.npy"), "|u1", "(1, 1, 1)", new byte[1]);
        assertEquals(null, DataSources.colourImage(dir.resolve("npy").toString()), "NPY data is read first");
    }
}
