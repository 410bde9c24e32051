package dev.nvae.data;

import dev.nvae.io.FormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageFolderReaderTest {
    @TempDir
    Path dir;

    /** A 2×3 PGM whose pixels are all {@code value}. */
    private Path pgm(Path file, int value) throws IOException {
        return pgm(file, 3, 2, value);
    }

    private Path pgm(Path file, int w, int h, int value) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] header = ("P5 " + w + " " + h + " 255\n").getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = java.util.Arrays.copyOf(header, header.length + w * h);
        java.util.Arrays.fill(bytes, header.length, bytes.length, (byte) value);
        return Files.write(file, bytes);
    }

    private Path png(Path file, int value) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage g = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        g.getRaster().setSamples(0, 0, 3, 2, 0, new int[] {value, value, value, value, value, value});
        ImageIO.write(g, "png", file.toFile());
        return file;
    }

    /** Pixel value of each example, in dataset order. */
    private static int[] firstPixels(Dataset d) {
        int[] out = new int[d.count()];
        for (int i = 0; i < out.length; i++) out[i] = Math.round(d.image(i)[0] * 255);
        return out;
    }

    private static int[] labels(Dataset d) {
        int[] out = new int[d.count()];
        for (int i = 0; i < out.length; i++) out[i] = d.label(i);
        return out;
    }

    @Test
    void classesAreSortedFolderNamesAndTheSplitTakesEveryFifthImageAsTest() throws IOException {
        // Created out of order on purpose; the reader sorts.
        for (int i = 6; i >= 0; i--) pgm(dir.resolve("yaleB02/img" + i + ".pgm"), 20 + i);
        png(dir.resolve("yaleB01/b.png"), 11);
        pgm(dir.resolve("yaleB01/a.PGM"), 10);
        Files.writeString(dir.resolve("yaleB01/readme.txt"), "ignored");
        pgm(dir.resolve("yaleB01/.hidden.pgm"), 99);
        pgm(dir.resolve("yaleB01/nested/deep.pgm"), 98);
        Files.writeString(dir.resolve("notes.txt"), "ignored");

        Dataset train = ImageFolderReader.read(dir, Split.TRAIN, "faces:train");
        assertEquals(List.of("yaleB01", "yaleB02"), train.classNames());
        assertEquals(2, train.height());
        assertEquals(3, train.width());
        assertArrayEquals(new int[] {10, 11, 20, 21, 22, 23, 25, 26}, firstPixels(train));
        assertArrayEquals(new int[] {0, 0, 1, 1, 1, 1, 1, 1}, labels(train));
        Dataset test = ImageFolderReader.read(dir, Split.TEST, "faces:test");
        assertEquals(train.classNames(), test.classNames());
        assertArrayEquals(new int[] {24}, firstPixels(test));
        assertArrayEquals(new int[] {1}, labels(test));
    }

    @Test
    void explicitTrainAndTestFolders() throws IOException {
        pgm(dir.resolve("train/cat/1.pgm"), 1);
        pgm(dir.resolve("train/dog/1.pgm"), 2);
        pgm(dir.resolve("train/dog/2.pgm"), 5);
        pgm(dir.resolve("test/cat/1.pgm"), 3);
        pgm(dir.resolve("test/dog/1.pgm"), 4);
        Dataset train = ImageFolderReader.read(dir, Split.TRAIN, "x");
        Dataset test = ImageFolderReader.read(dir, Split.TEST, "x");
        assertEquals(List.of("cat", "dog"), train.classNames());
        assertEquals(train.classNames(), test.classNames());
        assertArrayEquals(new int[] {0, 1, 1}, labels(train));
        assertArrayEquals(new int[] {0, 1}, labels(test));
        // An image of another size in the other split is refused, whichever split is read.
        Path odd = pgm(dir.resolve("test/cat/0.pgm"), 4, 4, 9);
        FormatException size = assertThrows(FormatException.class, () -> ImageFolderReader.read(dir, Split.TRAIN, "x"));
        assertEquals(odd, size.file());
        assertTrue(size.reason().endsWith("; the train and test splits must have one image size"), size.reason());
        Files.delete(odd);
        // A class folder in one split only (a typo, a class forgotten) would silently be a class of its own: refused.
        Files.move(dir.resolve("test/cat"), dir.resolve("test/eel"));
        FormatException e = assertThrows(FormatException.class, () -> ImageFolderReader.read(dir, Split.TRAIN, "x"));
        assertEquals("train/ and test/ have different class folders (only in train/: [cat]; only in test/: [eel]); "
                + "both splits need the same classes", e.reason());
    }

    /**
     * unlabelled/ beside train/ and test/ was no split layout: train/ and test/ were read as classes, refused for holding no
     * image of their own (and read as two classes where they did). It is the split layout, its images unlabelled training
     * images like train/unlabelled/'s, which are read first where both are there.
     */
    @Test
    void unlabelledBesideTrainAndTestIsTrainingData() throws IOException {
        pgm(dir.resolve("train/dog/1.pgm"), 2);
        pgm(dir.resolve("train/cat/2.pgm"), 1);
        pgm(dir.resolve("train/cat/1.pgm"), 0);
        pgm(dir.resolve("test/cat/1.pgm"), 3);
        pgm(dir.resolve("test/dog/1.pgm"), 4);
        pgm(dir.resolve("unlabelled/b.pgm"), 51);
        pgm(dir.resolve("unlabelled/a.pgm"), 50);
        pgm(dir.resolve("unlabelled/c.pgm"), 52);
        Dataset train = ImageFolderReader.read(dir, Split.TRAIN, "x");
        assertEquals(List.of("cat", "dog"), train.classNames());
        assertArrayEquals(new int[] {0, 1, 2, 50, 51, 52}, firstPixels(train));
        assertArrayEquals(new int[] {0, 0, 1, -1, -1, -1}, labels(train));
        assertEquals(3, train.labelledCount());
        Dataset test = ImageFolderReader.read(dir, Split.TEST, "x");
        assertEquals(train.classNames(), test.classNames());
        assertArrayEquals(new int[] {3, 4}, firstPixels(test));
        assertArrayEquals(new int[] {0, 1}, labels(test));

        // Both folders mean the same: both are read, train/unlabelled/ first, then the data folder's own.
        pgm(dir.resolve("train/unlabelled/z.pgm"), 60);
        pgm(dir.resolve("train/unlabelled/y.pgm"), 61);
        Dataset both = ImageFolderReader.read(dir, Split.TRAIN, "x");
        assertArrayEquals(new int[] {0, 1, 2, 61, 60, 50, 51, 52}, firstPixels(both));
        assertArrayEquals(new int[] {0, 0, 1, -1, -1, -1, -1, -1}, labels(both));
        assertEquals(2, ImageFolderReader.read(dir, Split.TEST, "x").count(), "unlabelled/ is no test image");

        // One stored in colour there makes the set RGB, as it does under train/unlabelled/.
        Path colour = dir.resolve("unlabelled/d.png");
        BufferedImage rgb = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        ImageIO.write(rgb, "png", colour.toFile());
        assertEquals(colour, ImageFolderReader.firstStoredInColour(dir));
        assertEquals(3, ImageFolderReader.read(dir, Split.TEST, "x").channels());
    }

    /**
     * Classes named train and test beside unlabelled/ read as classes before; as splits their images, which lie in them and
     * not in class folders, would silently go unread: refused, naming the folder.
     */
    @Test
    void splitFolderHoldingImagesButNoClassFolderIsRefused() throws IOException {
        pgm(dir.resolve("train/1.pgm"), 1);
        pgm(dir.resolve("test/1.pgm"), 2);
        pgm(dir.resolve("unlabelled/1.pgm"), 3);
        for (Split split : Split.values()) {
            FormatException e = assertThrows(FormatException.class, () -> ImageFolderReader.read(dir, split, "x"));
            assertEquals(dir.resolve("test"), e.file(), split.toString());
            assertEquals("holds 1 image but no class sub-folder: beside unlabelled/, train/ and test/ are splits, whose images "
                    + "go in class sub-folders (or unlabelled/); classes named train and test need other names", e.reason());
        }
    }

    /** An image beside the class folders (or the splits) has no class: it was left unread without a word; refused, naming it. */
    @Test
    void imagesOutsideEveryClassFolderAreRefused() throws IOException {
        pgm(dir.resolve("cat/1.pgm"), 1);
        pgm(dir.resolve("dog/1.pgm"), 2);
        Files.writeString(dir.resolve("notes.txt"), "not an image: still ignored");
        assertEquals(2, ImageFolderReader.read(dir, Split.TRAIN, "x").count());
        pgm(dir.resolve("stray.pgm"), 3);
        for (Split split : Split.values()) {
            FormatException e = assertThrows(FormatException.class, () -> ImageFolderReader.read(dir, split, "x"));
            assertEquals(dir, e.file());
            assertEquals("holds 1 image (stray.pgm) outside any class sub-folder, which would go unread: an image's "
                    + "class is the folder it is in (unlabelled/ for an image without a label)", e.reason());
        }
        Files.delete(dir.resolve("stray.pgm"));
        // With splits: train/'s own images beside its class folders, and DIR's beside train/ and test/.
        Path split = Files.createDirectories(dir.resolve("split"));
        pgm(split.resolve("train/cat/1.pgm"), 1);
        pgm(split.resolve("test/cat/1.pgm"), 2);
        for (int i = 1; i <= 4; i++) pgm(split.resolve("train/loose" + i + ".pgm"), 3);
        FormatException train = assertThrows(FormatException.class, () -> ImageFolderReader.read(split, Split.TEST, "x"));
        assertEquals(split.resolve("train"), train.file());
        assertTrue(train.reason().startsWith("holds 4 images (loose1.pgm, loose2.pgm, loose3.pgm, ...) outside any class sub-folder,"), train.reason());
        for (int i = 1; i <= 4; i++) Files.delete(split.resolve("train/loose" + i + ".pgm"));
        assertEquals(1, ImageFolderReader.read(split, Split.TEST, "x").count());
        pgm(split.resolve("top.png.pgm"), 4);
        FormatException top = assertThrows(FormatException.class, () -> ImageFolderReader.read(split, Split.TRAIN, "x"));
        assertEquals(split, top.file());
        assertTrue(top.reason().startsWith("holds 1 image (top.png.pgm) outside train/ and test/,"), top.reason());
    }

    @Test
    void mixedImageSizesNameBothFiles() throws IOException {
        Path first = pgm(dir.resolve("a/1.pgm"), 1);
        Path other = pgm(dir.resolve("b/1.pgm"), 4, 4, 1);
        FormatException e = assertThrows(FormatException.class, () -> ImageFolderReader.read(dir, Split.TRAIN, "x"));
        assertEquals(other, e.file());
        assertEquals("mixed image sizes: this image is 4x4 but " + first + " is 2x3 (height x width)", e.reason());
        // Height first, as every other message about sizes says them (it was width x height here alone).
        Files.delete(other);
        Path tall = pgm(dir.resolve("b/1.pgm"), 3, 5, 1);
        assertEquals("mixed image sizes: this image is 5x3 but " + first + " is 2x3 (height x width)",
                assertThrows(FormatException.class, () -> ImageFolderReader.read(dir, Split.TRAIN, "x")).reason());
        assertEquals(tall, assertThrows(FormatException.class, () -> ImageFolderReader.read(dir, Split.TRAIN, "x")).file());
    }

    /**
     * Reading the training split of a folder without train/ and test/ checks the sizes of the images it leaves to the
     * test split (every fifth), from their headers: one of another size was found only by evaluate, after training.
     */
    @Test
    void trainingChecksTheSizesOfTheImagesLeftToTheTestSplit() throws IOException {
        for (int i = 0; i < 4; i++) pgm(dir.resolve("a/" + i + ".pgm"), 10 + i);
        for (int i = 0; i < 5; i++) png(dir.resolve("b/" + i + ".png"), 20 + i);
        Path odd = dir.resolve("b/4.png");  // the fifth of b: a test image
        BufferedImage wide = new BufferedImage(4, 2, BufferedImage.TYPE_BYTE_GRAY);
        ImageIO.write(wide, "png", odd.toFile());
        FormatException e = assertThrows(FormatException.class, () -> ImageFolderReader.read(dir, Split.TRAIN, "x"));
        assertEquals(odd, e.file());
        assertTrue(e.reason().startsWith("mixed image sizes: this image is 2x4 but "), e.reason());
        png(odd, 24);
        assertEquals(8, ImageFolderReader.read(dir, Split.TRAIN, "x").count());
        assertEquals(1, ImageFolderReader.read(dir, Split.TEST, "x").count());
        pgm(dir.resolve("a/4.pgm"), 4, 4, 1);  // a PGM's size is checked too
        assertEquals(dir.resolve("a/4.pgm"), assertThrows(FormatException.class, () -> ImageFolderReader.read(dir, Split.TRAIN, "x")).file());
    }

    /**
     * Grey PNGs of 1, 2 and 4 bits beside 8-bit ones make a grey folder, each rescaled to 0..255; they crashed it ("a
     * 3-channel image cannot become 1 channels"): the JDK decodes them as palettes of grey levels. One RGB image makes
     * the folder colour, and then each grey image is repeated in every channel.
     */
    @Test
    void lowBitDepthGreyPngsMakeAGreyFolder() throws IOException {
        Files.createDirectories(dir.resolve("a"));
        BufferedImage binary = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_BINARY); // written as 1-bit grey
        binary.getRaster().setSamples(0, 0, 3, 2, 0, new int[] {1, 0, 1, 0, 1, 1});
        ImageIO.write(binary, "png", dir.resolve("a/1.png").toFile());
        // 3×2 of 2 bits, 1 2 3 / 0 0 0; of 4 bits, 5 5 5 / 5 5 5.
        Files.write(dir.resolve("a/2.png"), ImageFilesTest.greyPng(3, 2, 2, 0, ImageFilesTest.deflate(new byte[] {0, 0b01_10_11_00, 0, 0})));
        Files.write(dir.resolve("a/3.png"), ImageFilesTest.greyPng(3, 2, 4, 0, ImageFilesTest.deflate(new byte[] {0, 0x55, 0x50, 0, 0x55, 0x50})));
        png(dir.resolve("b/1.png"), 40);
        Dataset d = ImageFolderReader.read(dir, Split.TRAIN, "x");
        assertEquals(1, d.channels());
        assertArrayEquals(new int[] {255, 0, 255, 0, 255, 255}, pixels(d, 0));
        assertArrayEquals(new int[] {85, 170, 255, 0, 0, 0}, pixels(d, 1));
        assertArrayEquals(new int[] {85, 85, 85, 85, 85, 85}, pixels(d, 2));
        assertArrayEquals(new int[] {40, 40, 40, 40, 40, 40}, pixels(d, 3));

        BufferedImage rgb = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        ImageIO.write(rgb, "png", dir.resolve("b/2.png").toFile());
        Dataset colour = ImageFolderReader.read(dir, Split.TRAIN, "x");
        assertEquals(3, colour.channels());
        assertArrayEquals(new int[] {255, 0, 255, 0, 255, 255, 255, 0, 255, 0, 255, 255, 255, 0, 255, 0, 255, 255}, pixels(colour, 0));
    }

    /** Image {@code i}'s values, 0..255. */
    private static int[] pixels(Dataset d, int i) {
        float[] x = d.image(i);
        int[] out = new int[x.length];
        for (int j = 0; j < x.length; j++) out[j] = Math.round(x[j] * 255);
        return out;
    }

    /** unlabelled/ alone trains (a vae) but holds no test split: that was refused as "has no class sub-folders". */
    @Test
    void unlabelledAloneHasNoTestSplit() throws IOException {
        pgm(dir.resolve("unlabelled/1.pgm"), 1);
        assertEquals(1, ImageFolderReader.read(dir, Split.TRAIN, "x").count());
        FormatException onlyUnlabelled = assertThrows(FormatException.class, () -> ImageFolderReader.read(dir, Split.TEST, "x"));
        assertEquals("has no test split: its images are all under unlabelled/, the training split's (give --split train, "
                + "or put the images under train/unlabelled/ and test/unlabelled/)", onlyUnlabelled.reason());
    }

    /** train/unlabelled/ beside an empty test/ was refused as "DIR: has no class sub-folders", though DIR has unlabelled/. */
    @Test
    void anEmptyExplicitSplitIsNamed() throws IOException {
        pgm(dir.resolve("train/unlabelled/1.pgm"), 1);
        Files.createDirectories(dir.resolve("test"));
        assertEquals(1, ImageFolderReader.read(dir, Split.TRAIN, "x").count());
        FormatException noTest = assertThrows(FormatException.class, () -> ImageFolderReader.read(dir, Split.TEST, "x"));
        assertEquals(dir.resolve("test"), noTest.file());
        assertEquals("holds no test images: no class sub-folder and no unlabelled/ folder", noTest.reason());
    }

    /**
     * train/unlabelled/ with no test/ beside it: train/ is a class (a class may be named so) whose images lie one folder
     * down, and the refusal said only that it "holds no .png or .pgm images"; it now says its sub-folders went unread and
     * what the two layouts it likely meant need. Class folders under train/ get the split half alone.
     */
    @Test
    void aClassFolderOfSubFoldersSaysWhatASplitNeeds() throws IOException {
        pgm(dir.resolve("train/unlabelled/1.pgm"), 1);
        for (Split split : Split.values()) {
            FormatException e = assertThrows(FormatException.class, () -> ImageFolderReader.read(dir, split, "x"));
            assertEquals(dir.resolve("train"), e.file());
            assertEquals("class folder holds no .png or .pgm images but has sub-folders (unlabelled/), which are not read: the data "
                    + "folder is read as train/ and test/ splits only when it holds both and no other folder but unlabelled/, and unlabelled images "
                    + "without a test split go in its own unlabelled/", e.reason());
        }
        Files.delete(dir.resolve("train/unlabelled/1.pgm"));
        Files.delete(dir.resolve("train/unlabelled"));
        for (String c : List.of("a", "b", "c", "d")) pgm(dir.resolve("train/" + c + "/1.pgm"), 1);
        FormatException classes = assertThrows(FormatException.class, () -> ImageFolderReader.read(dir, Split.TRAIN, "x"));
        assertEquals("class folder holds no .png or .pgm images but has sub-folders (a/, b/, c/, ...), which are not read: the data "
                + "folder is read as train/ and test/ splits only when it holds both and no other folder but unlabelled/", classes.reason());

        // Beside test/, train/ is a split and its class folders are read.
        pgm(dir.resolve("test/a/1.pgm"), 1);
        for (String c : List.of("b", "c", "d")) pgm(dir.resolve("test/" + c + "/1.pgm"), 1);
        assertEquals(4, ImageFolderReader.read(dir, Split.TRAIN, "x").count());
    }

    /**
     * A folder given as --data whose one "class folder" is a dataset itself (a box's testdata/ holds fashion-mnist-subset/,
     * IDX files): the refusal said only that it holds no images; it now names the folder to give.
     */
    @Test
    void aClassFolderThatIsADatasetSaysToGiveIt() throws IOException {
        Path inner = Files.createDirectories(dir.resolve("fashion-mnist-subset"));
        Files.write(inner.resolve("train-images-idx3-ubyte"), new byte[16]);
        FormatException e = assertThrows(FormatException.class, () -> DataSources.loadDirectory(dir, Split.TRAIN));
        assertEquals(inner, e.file());
        assertEquals("class folder holds no .png or .pgm images but is a dataset itself (IDX or NPY files): give --data " + inner
                + ", or --data testdata for the bundled subset", e.reason());
    }

    @Test
    void rejections() throws IOException {
        FormatException none = assertThrows(FormatException.class, () -> ImageFolderReader.read(dir, Split.TRAIN, "x"));
        assertEquals("has no class sub-folders", none.reason());

        Files.createDirectories(dir.resolve("empty"));
        pgm(dir.resolve("full/1.pgm"), 1);
        FormatException empty = assertThrows(FormatException.class, () -> ImageFolderReader.read(dir, Split.TRAIN, "x"));
        assertEquals(dir.resolve("empty"), empty.file());
        assertEquals("class folder holds no .png or .pgm images", empty.reason());
        Files.delete(dir.resolve("empty"));

        FormatException noTest = assertThrows(FormatException.class, () -> ImageFolderReader.read(dir, Split.TEST, "x"));
        assertEquals("holds no test images", noTest.reason());

        Path bad = Files.write(dir.resolve("full/2.pgm"), "P5 garbage".getBytes(StandardCharsets.US_ASCII));
        FormatException broken = assertThrows(FormatException.class, () -> ImageFolderReader.read(dir, Split.TRAIN, "x"));
        assertEquals(bad, broken.file());
    }

    /**
     * Another spelling of unlabelled/ is refused by its own message wherever it is: in train/ alone or test/ alone (not as a
     * class the other split lacks, which hid the spelling), or beside the class folders.
     */
    @Test
    void aMisspeltUnlabelledFolderIsRefusedWhereverItIs() throws IOException {
        String why = "is read as a class of that name, but images without a label go in a folder named exactly unlabelled/: "
                + "rename it (to unlabelled, or for a class, to another name)";
        Path split = dir.resolve("split");
        pgm(split.resolve("train/cat/a.pgm"), 1);
        pgm(split.resolve("test/cat/a.pgm"), 2);
        pgm(split.resolve("train/unlabeled/u.pgm"), 3);
        FormatException e = assertThrows(FormatException.class, () -> ImageFolderReader.read(split, Split.TEST, "x"));
        assertEquals(split.resolve("train/unlabeled"), e.file());
        assertEquals(why, e.reason());
        Files.move(split.resolve("train/unlabeled"), split.resolve("test/Unlabelled"));
        e = assertThrows(FormatException.class, () -> ImageFolderReader.read(split, Split.TRAIN, "x"));
        assertEquals(split.resolve("test/Unlabelled"), e.file());
        assertEquals(why, e.reason());
        Path flat = dir.resolve("flat");
        pgm(flat.resolve("cat/a.pgm"), 1);
        pgm(flat.resolve("UNLABELED/a.pgm"), 1);
        e = assertThrows(FormatException.class, () -> ImageFolderReader.read(flat, Split.TRAIN, "x"));
        assertEquals(flat.resolve("UNLABELED"), e.file());
        assertEquals(why, e.reason());
    }
}
