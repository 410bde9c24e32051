package dev.nvae.cli;

import dev.nvae.io.Npy;
import dev.nvae.io.NpyArray;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code traverse --class all}, as {@code sample --class all}: each class in turn, one block of rows per class in
 * the one grid (and its NPY) the user named, each block what {@code --class K} writes for that class. A vae has
 * no classes and takes it as no --class.
 */
class TraverseClassAllTest {
    private static final int K = 10, D = 28 * 28, STEPS = 3;

    @TempDir
    static Path shared;
    static Path nvae, vae, cvae;

    @TempDir
    Path dir;

    private static Path train(String family, Object... extra) {
        Path out = shared.resolve(family + ".safetensors");
        List<Object> args = new ArrayList<>(List.of("--model", family, "--hidden", "32,16", "--threads", "1"));
        args.addAll(List.of(extra));
        Cli.Result r = Cli.trainSmall(out, args.toArray());
        assertEquals(0, r.exitCode(), r.err());
        return out;
    }

    @BeforeAll
    static void trainModels() {
        nvae = train("nvae", "--ds", "3", "--dc", "2");
        vae = train("vae", "--dz", "3");
        cvae = train("cvae", "--dz", "3");
    }

    /** The NPY of {@code traverse --model model args --steps 3 --out NAME.png}. */
    private NpyArray traverse(Path model, String name, Object... args) {
        List<Object> argv = new ArrayList<>(List.of("traverse", "--model", model, "--steps", STEPS, "--threads", "1"));
        argv.addAll(List.of(args));
        argv.addAll(List.of("--out", dir.resolve(name + ".png")));
        Cli.Result r = Cli.run(argv.toArray());
        assertEquals(0, r.exitCode(), r.err());
        return Npy.read(dir.resolve(name + ".npy"));
    }

    /** The rows of {@code all} are those of {@code perClass(k)} for k = 0, 1, ... in turn. */
    private void assertBlocks(NpyArray all, IntFunction<NpyArray> perClass) {
        float[] x = all.floats();
        int at = 0;
        for (int k = 0; k < K; k++) {
            float[] block = perClass.apply(k).floats();
            assertArrayEquals(block, Arrays.copyOfRange(x, at, at + block.length), "class " + k + "'s block");
            at += block.length;
        }
        assertEquals(x.length, at);
    }

    @Test
    void everyClassOwnDimensionsOfAnNvaeInOneGrid() {
        NpyArray all = traverse(nvae, "all", "--class", "all");
        assertArrayEquals(new long[]{K * 2 * STEPS, D}, all.shape());
        assertBlocks(all, k -> traverse(nvae, "c" + k, "--class", k));
        // Every shared dimension, as each class in turn.
        NpyArray shared = traverse(nvae, "s-all", "--shared-dim", "all", "--class", "all");
        assertArrayEquals(new long[]{K * 3 * STEPS, D}, shared.shape());
        assertBlocks(shared, k -> traverse(nvae, "s" + k, "--shared-dim", "all", "--class", k));
        // One shared dimension is already decoded for every class.
        assertArrayEquals(traverse(nvae, "j", "--shared-dim", 1).floats(), traverse(nvae, "j-all", "--shared-dim", 1, "--class", "all").floats());
    }

    @Test
    void everyClassOfACvae() {
        NpyArray all = traverse(cvae, "all", "--class", "all");
        assertArrayEquals(new long[]{K * 3 * STEPS, D}, all.shape());
        assertBlocks(all, k -> traverse(cvae, "c" + k, "--class", k));
    }

    @Test
    void aVaeTakesClassAllAsNoClass() throws IOException {
        float[] every = traverse(vae, "every", "--shared-dim", "all").floats();
        assertArrayEquals(every, traverse(vae, "all", "--class", "all").floats());
        assertArrayEquals(every, traverse(vae, "both", "--shared-dim", "all", "--class", "all").floats());
        assertArrayEquals(traverse(vae, "j", "--shared-dim", 2).floats(), traverse(vae, "j-all", "--shared-dim", 2, "--class", "all").floats());
        Path out = dir.resolve("refused");
        Files.createDirectory(out);
        Cli.assertRefused(Cli.run("traverse", "--model", vae, "--class", 3, "--out", out.resolve("t.png")), out,
                "--class", "not conditioned on a class");
    }

    /** --class All, no class's name, was refused as any unknown class name (a vae's as a class request), not hinting all. */
    @Test
    void classAllInAnotherCaseIsRefusedWithAHint() throws IOException {
        Path out = dir.resolve("refused");
        Files.createDirectory(out);
        assertEquals("nvae: --class 'All': the model has no class named 'All' (did you mean 'all'?); expected all, a class index 0..9 "
                + "or a class name (T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag, Ankle boot)",
                Cli.assertRefused(Cli.run("traverse", "--model", nvae, "--class", "All", "--out", out.resolve("t.png")), out));
        assertEquals("nvae: --class 'All': a vae is not conditioned on a class (did you mean 'all'?); use --z-dim J or --z-dim all",
                Cli.assertRefused(Cli.run("traverse", "--model", vae, "--class", "All", "--out", out.resolve("t.png")), out));
    }

    @Test
    void anExampleHasOnlyItsOwnClassLatent() throws IOException {
        Path out = dir.resolve("refused");
        Files.createDirectory(out);
        Cli.assertRefused(Cli.run("traverse", "--model", nvae, "--class", "all", "--from-example", 0,
                "--data", "testdata", "--threads", "1", "--out", out.resolve("t.png")), out, "--from-example 0", "--class all", "--class ");
    }

    /** Neither flag: the refusal names --class all too, the one a vae (which refuses --class K) can also take. */
    @Test
    void neitherFlagNamesEveryChoice() throws IOException {
        Path out = dir.resolve("none");
        Files.createDirectory(out);
        Cli.assertRefused(Cli.run("traverse", "--model", vae, "--threads", "1", "--out", out.resolve("t.png")), out,
                "give --shared-dim J, --shared-dim all, --class K or --class all");
    }
}
