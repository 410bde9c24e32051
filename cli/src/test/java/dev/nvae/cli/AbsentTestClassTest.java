package dev.nvae.cli;

import dev.nvae.io.IdxWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

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

    @Test
    void qualitySaysNotApplicableForAClassTheTestSplitLacks() {
        saysNotApplicable(Cli.run("quality", "--model", Cli.smallModel(), "--data", data, "--n", 2, "--judge-epochs", 1,
                "--judge", dir.resolve("judge.safetensors"), "--threads", 1));
    }
}
