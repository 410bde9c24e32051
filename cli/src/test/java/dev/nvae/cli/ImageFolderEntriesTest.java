package dev.nvae.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Entries of an image folder that train used to leave out of the data, or mislabel, without a word: an image file
 * that cannot be read (a link to nothing, a FIFO), and unlabelled images in a folder spelt otherwise than unlabelled/.
 */
class ImageFolderEntriesTest {
    @TempDir
    Path dir;

    /** Two classes a and b of ten 4x4 PGMs each. */
    private Path folder() throws IOException {
        Path data = dir.resolve("data");
        for (String c : new String[]{"a", "b"}) {
            for (int i = 0; i < 10; i++) pgm(data.resolve(c).resolve(String.format("%02d.pgm", i)), c.equals("a") ? 40 : 200);
        }
        return data;
    }

    private static void pgm(Path file, int value) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] header = "P5 4 4 255\n".getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = Arrays.copyOf(header, header.length + 16);
        Arrays.fill(bytes, header.length, bytes.length, (byte) value);
        Files.write(file, bytes);
    }

    private Cli.Result train(Path data) {
        return Cli.run("train", "--data", data, "--hidden", "8,4", "--batch", 8, "--epochs", 1, "--threads", 1, "--no-progress",
                "--out", dir.resolve("out").resolve("m.safetensors"));
    }

    /**
     * An image that is a link to a file no longer there (a data set copied without the files its links name) was
     * skipped as if it were no image: the class trained on fewer examples than the folder shows.
     */
    @Test
    void anImageLinkToNothingIsRefusedNotSkipped() throws IOException {
        Path data = folder();
        Files.createDirectories(dir.resolve("out"));
        Path link = Files.createSymbolicLink(data.resolve("a").resolve("00b.pgm"), dir.resolve("gone.pgm"));
        Cli.assertRefused(train(data), dir.resolve("out"), link.toString(), "cannot read");
    }

    /** A FIFO named as an image was skipped too; it is refused without being opened (opening one blocks). */
    @Test
    void anImageThatIsAFifoIsRefusedWithoutBlocking() throws Exception {
        Path data = folder();
        Files.createDirectories(dir.resolve("out"));
        Path fifo = data.resolve("b").resolve("00.png");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Cli.assertRefused(train(data), dir.resolve("out"), fifo.toString(), "not a regular file");
    }

    /**
     * unlabeled/ (the American spelling, STL-10's) or Unlabelled/ was read as one more class of that name: the images
     * meant to have no label trained as labelled examples of a third class, and the run said "3 classes".
     */
    @Test
    void anUnlabelledFolderSpeltOtherwiseIsRefusedNotTrainedAsAClass() throws IOException {
        for (String name : new String[]{"unlabeled", "Unlabelled", "UNLABELED"}) {
            Path data = folder();
            Files.createDirectories(dir.resolve("out"));
            for (int i = 0; i < 5; i++) pgm(data.resolve(name).resolve(i + ".pgm"), 120);
            String line = Cli.assertRefused(train(data), dir.resolve("out"), data.resolve(name).toString(), "unlabelled/");
            assertTrue(line.contains("rename"), line);
            Files.walk(data).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** The folder spelt as documented is still the images without a label. */
    @Test
    void unlabelledFolderStillTrainsWithoutLabels() throws IOException {
        Path data = folder();
        for (int i = 0; i < 5; i++) pgm(data.resolve("unlabelled").resolve(i + ".pgm"), 120);
        Files.createDirectories(dir.resolve("out"));
        Cli.Result r = train(data);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("2 classes, 16 labelled"), r.err());
    }

    /**
     * sample --format png names each file after its class: a class "猫" came out as sample-00002-_.png, and a class
     * folder of 250 characters (as long as file systems allow) made every one of its samples' names too long to write.
     */
    @Test
    void samplePngNamesKeepAClassNameOfAnyScriptAndAnyLength() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue("UTF-8".equals(System.getProperty("sun.jnu.encoding")), "file names in UTF-8");
        Path data = dir.resolve("data");
        String cat = "猫", longName = "n".repeat(250);
        for (String c : new String[]{cat, longName}) {
            for (int i = 0; i < 4; i++) pgm(data.resolve(c).resolve(i + ".pgm"), c.equals(cat) ? 40 : 200);
        }
        Files.createDirectories(dir.resolve("out"));
        Cli.Result trained = train(data);
        assertEquals(0, trained.exitCode(), trained.err());
        Path pngs = dir.resolve("pngs");
        Cli.Result r = Cli.run("sample", "--model", dir.resolve("out").resolve("m.safetensors"), "--n", 1, "--format", "png", "--out", pngs);
        assertEquals(0, r.exitCode(), r.err());
        try (var names = Files.list(pngs)) {
            assertEquals(java.util.List.of("sample-00001-" + "n".repeat(200) + ".png", "sample-00002-猫.png"),
                    names.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }
}
