package dev.nvae.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvae.io.IdxWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A test split without an example of some class: augment's per-class accuracy and quality's per-class judge accuracy
 * have nothing to measure there. The tables printed "NaN" in those cells, as if it were a result; they say n/a and why.
 */
class AbsentTestClassTest {
    @TempDir
    static Path dir;
    static Path data;

    /** Ten training images, one per class of the shared model; a test split of classes 0 and 9 alone. */
    @BeforeAll
    static void data() {
        data = dir.resolve("two-test-classes");
        data.toFile().mkdirs();
        float[] train = new float[10 * 784];
        for (int i = 0; i < train.length; i++) train[i] = (i * 37 % 101) / 100f;
        IdxWriter.writeImages(data.resolve("train-images-idx3-ubyte"), train, 10, 28, 28);
        IdxWriter.writeLabels(data.resolve("train-labels-idx1-ubyte"), 10, i -> i);
        IdxWriter.writeImages(data.resolve("t10k-images-idx3-ubyte"), java.util.Arrays.copyOf(train, 2 * 784), 2, 28, 28);
        IdxWriter.writeLabels(data.resolve("t10k-labels-idx1-ubyte"), new int[] {0, 9});
    }

    private static void saysNotApplicable(Cli.Result r) {
        assertEquals(0, r.exitCode(), r.err());
        assertFalse(r.out().contains("NaN"), r.out());
        assertTrue(r.out().contains(" n/a"), r.out());
        assertTrue(r.out().contains("n/a: the test split has no example of the class"), r.out());
    }

    @Test
    void augmentSaysNotApplicableForAClassTheTestSplitLacks() {
        saysNotApplicable(Cli.run("augment", "--model", Cli.smallModel(), "--data", data, "--epochs", 1, "--hidden", "8,8",
                "--fractions", "0", "--threads", 1));
    }

    /**
     * FD's floor, real training images against the test split, is measured on as many as the samples, or on the whole
     * training split where it has fewer: the line claimed "the same size" then, and printed "scores NaN" for one image.
     */
    @Test
    void qualitySaysHowManyRealImagesItsFloorIsMeasuredOn() {
        Path few = dir.resolve("few-training-images");
        few.toFile().mkdirs();
        float[] pixels = new float[10 * 784];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (i * 37 % 101) / 100f;
        IdxWriter.writeImages(few.resolve("t10k-images-idx3-ubyte"), pixels, 10, 28, 28);
        IdxWriter.writeLabels(few.resolve("t10k-labels-idx1-ubyte"), 10, i -> i);
        for (int images : new int[] {1, 3}) {
            IdxWriter.writeImages(few.resolve("train-images-idx3-ubyte"), java.util.Arrays.copyOf(pixels, images * 784), images, 28, 28);
            IdxWriter.writeLabels(few.resolve("train-labels-idx1-ubyte"), images, i -> 9 - i);
            Cli.Result r = Cli.run("quality", "--model", Cli.smallModel(), "--data", few, "--n", 2, "--judge-epochs", 1,
                    "--judge", dir.resolve("judge-" + images + ".safetensors"), "--threads", 1);
            assertEquals(0, r.exitCode(), r.err());
            assertFalse(r.out().contains("NaN") || r.out().contains("same size"), r.out());
            assertTrue(r.out().contains(images == 1 ? "\nreal training images score n/a: FD needs at least 2, and the training split has 1\n"
                    : "\nthe 3 real training images (all the split has; the samples are 20) score "), r.out());
        }
    }

    /**
     * A class the split has no example of has no mean KL per dimension: evaluate printed a row of 0.00 for it, which
     * reads as a class that uses none of its dimensions, and wrote zeros in the JSON (found by an audit).
     */
    @Test
    void evaluateGivesNoPerDimensionKlToAClassTheSplitLacks() throws Exception {
        Cli.Result table = Cli.run("evaluate", "--model", Cli.smallModel(), "--data", data, "--threads", 1);
        assertEquals(0, table.exitCode(), table.err());
        assertFalse(table.out().contains("NaN"), table.out());
        String[] lines = table.out().split("\n");
        long absent = Arrays.stream(lines).filter(l -> l.endsWith("  (no example in this split)")).count();
        assertEquals(8, absent, table.out());   // classes 1 to 8; the split has 0 and 9
        Cli.Result json = Cli.run("evaluate", "--model", Cli.smallModel(), "--data", data, "--threads", 1, "--json");
        assertEquals(0, json.exitCode(), json.err());
        JsonNode perClass = new ObjectMapper().readTree(json.out()).get("kl_class_per_dim");
        assertEquals(10, perClass.size(), json.out());
        for (int k = 0; k < 10; k++) {
            boolean present = k == 0 || k == 9;
            assertEquals(!present, perClass.get(k).isNull(), "class " + k + ": " + perClass);
            if (present) assertTrue(perClass.get(k).size() > 0 && perClass.get(k).get(0).isNumber(), perClass.toString());
        }
    }

    @Test
    void qualitySaysNotApplicableForAClassTheTestSplitLacks() {
        saysNotApplicable(Cli.run("quality", "--model", Cli.smallModel(), "--data", data, "--n", 2, "--judge-epochs", 1,
                "--judge", dir.resolve("judge.safetensors"), "--threads", 1));
    }
}
