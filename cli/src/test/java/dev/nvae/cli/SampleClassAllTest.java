package dev.nvae.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code --class all} is sample's default, yet a vae or beta-vae refused it as a class request ("a vae is not
 * conditioned on a class"): the user typed the default and got an error. It now draws what no --class draws.
 */
class SampleClassAllTest {
    @TempDir
    static Path shared;
    static Path vae, nvae;

    @TempDir
    Path dir;

    @BeforeAll
    static void trainVae() {
        vae = shared.resolve("vae.safetensors");
        Cli.Result r = Cli.trainSmall(vae, "--model", "vae");
        assertEquals(0, r.exitCode(), r.err());
        nvae = shared.resolve("nvae.safetensors");
        r = Cli.trainSmall(nvae, "--hidden", "32,16");
        assertEquals(0, r.exitCode(), r.err());
    }

    /**
     * --class All (no class of the model is named so) was refused as any unknown class name, with no word of all, the
     * value the user likely meant; a vae refused it as a class request. Both now say so in one line, hinting all.
     */
    @Test
    void classAllInAnotherCaseIsRefusedWithAHint() throws IOException {
        Path out = dir.resolve("refused");
        Files.createDirectory(out);
        assertEquals("nvae: --class 'All': the model has no class named 'All' (did you mean 'all'?); expected all, a class index 0..9 "
                + "or a class name (T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag, Ankle boot)",
                Cli.assertRefused(Cli.run("sample", "--model", nvae, "--n", 3, "--class", "All", "--format", "npy",
                        "--out", out.resolve("s.npy")), out));
        assertEquals("nvae: --class 'All': a vae is not conditioned on a class (did you mean 'all'?); its samples have no label",
                Cli.assertRefused(Cli.run("sample", "--model", vae, "--n", 3, "--class", "All", "--format", "npy",
                        "--out", out.resolve("s.npy")), out));
    }

    @Test
    void classAllOnAModelWithoutClassesIsTheDefault() throws IOException {
        for (String format : new String[] {"npy", "grid"}) {
            String ext = format.equals("npy") ? ".npy" : ".png";
            Path plain = dir.resolve("plain-" + format + ext), all = dir.resolve("all-" + format + ext);
            Cli.Result a = Cli.run("sample", "--model", vae, "--n", 3, "--format", format, "--out", plain);
            assertEquals(0, a.exitCode(), a.err());
            Cli.Result b = Cli.run("sample", "--model", vae, "--n", 3, "--class", "all", "--format", format, "--out", all);
            assertEquals(0, b.exitCode(), b.err());
            assertEquals(a.err().replace(plain.toString(), "OUT"), b.err().replace(all.toString(), "OUT"));
            assertEquals(-1, Files.mismatch(plain, all), format + ": the same samples");
        }
        // A class named is still refused.
        Cli.Result one = Cli.run("sample", "--model", vae, "--n", 3, "--class", "3", "--format", "npy", "--out", dir.resolve("one.npy"));
        assertEquals(1, one.exitCode(), one.err());
        assertEquals("nvae: --class: a vae is not conditioned on a class; its samples have no label", one.err().strip().lines().reduce((x, y) -> y).orElseThrow());
    }
}
