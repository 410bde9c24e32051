package dev.nvae.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvae.io.Npy;
import dev.nvae.io.NpyArray;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --arch conv} on images that are neither 28×28 nor grey: the committed RGB set (24×32, three
 * classes, testdata/rgb-shapes) trains, evaluates, samples and traverses, and its grids are colour PNGs;
 * a folder of sides not divisible by 4 and a conv file with a kernel of the wrong shape are refused in one line.
 */
class ConvImagesTest {
    private static final Path RGB = committed("testdata/rgb-shapes");
    private static final Path RGB_NPY = committed("testdata/rgb-shapes-npy");
    private static final int C = 3, H = 24, W = 32;

    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void train() {
        model = dir.resolve("rgb.safetensors");
        Cli.Result r = Cli.run("train", "--data", RGB, "--arch", "conv", "--hidden", "32", "--channels", "8,16", "--epochs", "2",
                "--batch", "30", "--no-progress", "--out", model);
        assertEquals(0, r.exitCode(), r.err());
    }

    @Test
    void evaluatesOnTheRgbTestSplit() {
        Cli.Result r = Cli.run("evaluate", "--model", model, "--data", RGB, "--split", "test", "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("\"examples\":60"), r.out());
    }

    /**
     * The same set stored as NPY, (N, 3, 24, 32) (testdata/rgb-shapes-npy, made from the folder by numpy): the model
     * scores it exactly as it scores the folder, and --arch conv trains on it and evaluates it.
     */
    @Test
    void theSetAsNpyArraysIsTheSameDataToAConvModel() throws IOException {
        Cli.Result folder = Cli.run("evaluate", "--model", model, "--data", RGB, "--json", "--threads", "1");
        Cli.Result npy = Cli.run("evaluate", "--model", model, "--data", RGB_NPY, "--json", "--threads", "1");
        assertEquals(0, npy.exitCode(), npy.err());
        assertEquals(folder.out().replace(RGB.toString(), "DATA"), npy.out().replace(RGB_NPY.toString(), "DATA"));

        Path trained = dir.resolve("rgb-npy.safetensors");
        Cli.Result r = Cli.run("train", "--data", RGB_NPY, "--arch", "conv", "--hidden", "16", "--channels", "4,8", "--epochs", "1",
                "--batch", "60", "--no-progress", "--out", trained);
        assertEquals(0, r.exitCode(), r.err());
        Cli.Result e = Cli.run("evaluate", "--model", trained, "--json");
        assertEquals(0, e.exitCode(), e.err());
        JsonNode report = new ObjectMapper().readTree(e.out());
        assertEquals(60, report.get("examples").asInt());
        assertTrue(Double.isFinite(report.get("neg_elbo").asDouble()), e.out());
    }

    @Test
    void sampleGridIsAColourPngOfTheImageSize() throws IOException {
        Path grid = dir.resolve("grid.png");
        Cli.Result r = Cli.run("sample", "--model", model, "--n", "4", "--format", "grid", "--out", grid);
        assertEquals(0, r.exitCode(), r.err());
        BufferedImage img = ImageIO.read(grid.toFile());
        assertEquals(3, img.getColorModel().getNumColorComponents());
        // Three rows (one per class) of 24-pixel images doubled, with 2-pixel gaps.
        assertEquals(2 + 3 * (2 * H + 2), img.getHeight());
        assertTrue(hasColour(img), "some pixel has R, G and B apart");
    }

    @Test
    void sampleNpyRowsHoldEveryChannel() throws IOException {
        Path npy = dir.resolve("s.npy");
        Cli.Result r = Cli.run("sample", "--model", model, "--n", "2", "--format", "npy", "--out", npy);
        assertEquals(0, r.exitCode(), r.err());
        NpyArray a = Npy.read(npy);
        assertArrayEquals(new long[] {6, (long) C * H * W}, a.shape());
    }

    @Test
    void idxRefusesColourSamples() {
        Path out = dir.resolve("idx-out");
        Cli.Result r = Cli.run("sample", "--model", model, "--n", "2", "--format", "idx", "--out", out);
        assertEquals(1, r.exitCode());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains("--format idx") && r.err().contains("3-channel"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void traversalRendersInColour() throws IOException {
        Path out = dir.resolve("t.png");
        Cli.Result r = Cli.run("traverse", "--model", model, "--shared-dim", "0", "--steps", "5", "--no-npy", "--out", out);
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(3, ImageIO.read(out.toFile()).getColorModel().getNumColorComponents());
    }

    @Test
    void sidesNotDivisibleByFourAreRefusedNamingTheFlag() throws IOException {
        Path data = dir.resolve("odd");
        for (String cls : new String[] {"a", "b"}) {
            Files.createDirectories(data.resolve(cls));
            for (int i = 0; i < 5; i++) {
                ImageIO.write(new BufferedImage(10, 6, BufferedImage.TYPE_BYTE_GRAY), "png", data.resolve(cls).resolve(i + ".png").toFile());
            }
        }
        Path out = dir.resolve("odd.safetensors");
        Cli.Result r = Cli.run("train", "--data", data, "--arch", "conv", "--epochs", "1", "--no-progress", "--out", out);
        assertEquals(1, r.exitCode());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains("--arch conv") && r.err().contains("divisible by 4"), r.err());
        assertFalse(Files.exists(out));
        // The flag's value as it was given (it came back as a Java list, "[8]").
        Cli.Result one = Cli.run("train", "--data", RGB, "--arch", "conv", "--channels", "8", "--epochs", "1", "--out", out);
        assertEquals("nvae: --channels 8: --arch conv needs two positive channel widths C1,C2", one.errLines().getLast());
        assertFalse(Files.exists(out));
    }

    @Test
    void aKernelOfTheWrongShapeIsRefusedNamingTheFileAndTensor() throws IOException {
        // Same element count, so only the declared shape is wrong: [8,3,4,4] becomes [8,3,2,8].
        byte[] bytes = Files.readAllBytes(model);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("\"enc.conv1.w\"");
        assertTrue(at > 0, "enc.conv1.w in the header");
        int shape = text.indexOf("[8,3,4,4]", at);
        assertTrue(shape > at, "the kernel's shape in the header");
        byte[] patched = bytes.clone();
        System.arraycopy("[8,3,2,8]".getBytes(StandardCharsets.ISO_8859_1), 0, patched, shape, 9);
        Path bad = dir.resolve("bad-kernel.safetensors");
        Files.write(bad, patched);
        Cli.Result r = Cli.run("evaluate", "--model", bad, "--data", RGB, "--split", "test");
        assertEquals(1, r.exitCode());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains(bad.toString()) && r.err().contains("enc.conv1.w"), r.err());
    }

    /** A committed path, found from the module's directory (where the tests run) or the checkout's. */
    private static Path committed(String path) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve(path))) return p.resolve(path);
        }
        throw new AssertionError(path + " not found above " + Path.of("").toAbsolutePath());
    }

    private static boolean hasColour(BufferedImage img) {
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y), r = (rgb >> 16) & 0xFF, g = (rgb >> 8) & 0xFF, b = rgb & 0xFF;
                if (r != g || g != b) return true; // a grey rendering has R = G = B everywhere
            }
        }
        return false;
    }
}
