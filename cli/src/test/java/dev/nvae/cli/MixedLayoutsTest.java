package dev.nvae.cli;

import dev.nvae.io.IdxWriter;
import dev.nvae.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A data directory holding both an IDX and an NPY data set: the IDX files were read and the NPY ones, with their own
 * labels (some -1, say: a semi-supervised variant written beside the original), ignored without a word.
 */
class MixedLayoutsTest {
    @TempDir
    Path dir;

    private static void idx(Path data, String prefix) throws IOException {
        float[] pixels = new float[20 * 16];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (i % 7) / 7f;
        IdxWriter.writeImages(data.resolve(prefix + "-images-idx3-ubyte"), pixels, 20, 4, 4);
        IdxWriter.writeLabels(data.resolve(prefix + "-labels-idx1-ubyte"), 20, i -> i % 2);
    }

    private static void npy(Path data, String split) {
        float[] pixels = new float[20 * 16];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (i % 5) / 5f;
        Npy.writeF32(data.resolve(split + "-images.npy"), pixels, 20, 16);
        int[] labels = new int[20];
        for (int i = 0; i < 20; i++) labels[i] = i % 4 == 0 ? -1 : i % 2;
        Npy.writeI64(data.resolve(split + "-labels.npy"), labels);
    }

    private static void pgm(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] header = "P5 4 4 255\n".getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = Arrays.copyOf(header, header.length + 16);
        Arrays.fill(bytes, header.length, bytes.length, (byte) 90);
        Files.write(file, bytes);
    }

    private Cli.Result train(Path data, Path out) {
        return Cli.run("train", "--data", data, "--hidden", "8,4", "--batch", 8, "--epochs", 1, "--threads", 1, "--no-progress",
                "--out", out.resolve("m.safetensors"));
    }

    @Test
    void idxAndNpyFilesInOneDirectoryAreRefusedNotOneSilentlyRead() throws IOException {
        Path out = Files.createDirectories(dir.resolve("out"));
        Path both = Files.createDirectories(dir.resolve("both"));
        idx(both, "train");
        npy(both, "train");
        Cli.assertDataRefused(train(both, out), out, both.toString(), "train-images-idx3-ubyte", "train-images.npy", "ambiguous");
        // Either split's files make the layout: a test split of the other kind is no less ambiguous.
        Path splits = Files.createDirectories(dir.resolve("splits"));
        idx(splits, "train");
        npy(splits, "test");
        Cli.assertDataRefused(train(splits, out), out, "train-images-idx3-ubyte", "test-images.npy");
        // One layout alone still reads.
        Path idxOnly = Files.createDirectories(dir.resolve("idx"));
        idx(idxOnly, "train");
        Cli.Result r = train(idxOnly, out);
        assertEquals(0, r.exitCode(), r.err());
    }

    /**
     * IDX or NPY files beside class sub-folders of images: the IDX or NPY set was read and the images ignored without a
     * word. Refused naming both; a sub-folder that holds no image (notes, an empty folder) is no image set and stays harmless.
     */
    @Test
    void idxOrNpyFilesBesideFoldersOfImagesAreRefusedNotTheImagesIgnored() throws IOException {
        Path out = Files.createDirectories(dir.resolve("out"));
        Path npyAndClasses = Files.createDirectories(dir.resolve("npy-classes"));
        npy(npyAndClasses, "train");
        npy(npyAndClasses, "test");
        for (String c : new String[]{"a", "b"}) pgm(npyAndClasses.resolve(c).resolve("0.pgm"));
        Cli.assertDataRefused(train(npyAndClasses, out), out, npyAndClasses.toString(), "NPY files (train-images.npy)",
                "sub-folders of PNG/PGM images (a/)", "ambiguous");
        // IDX beside train/ and test/ splits of class folders, one of whose images is the first found.
        Path idxAndSplits = Files.createDirectories(dir.resolve("idx-splits"));
        idx(idxAndSplits, "train");
        pgm(idxAndSplits.resolve("train").resolve("b").resolve("0.pgm"));
        Files.createDirectories(idxAndSplits.resolve("test").resolve("b"));
        Cli.assertDataRefused(train(idxAndSplits, out), out, "IDX files (train-images-idx3-ubyte)",
                "sub-folders of PNG/PGM images (" + Path.of("train", "b") + "/)");
        // Folders without images beside the NPY files read as before.
        Path npyAndNotes = Files.createDirectories(dir.resolve("npy-notes"));
        npy(npyAndNotes, "train");
        Files.writeString(Files.createDirectories(npyAndNotes.resolve("notes")).resolve("readme.txt"), "how it was made\n");
        Files.createDirectories(npyAndNotes.resolve("empty"));
        Cli.Result r = train(npyAndNotes, out);
        assertEquals(0, r.exitCode(), r.err());
    }
}
