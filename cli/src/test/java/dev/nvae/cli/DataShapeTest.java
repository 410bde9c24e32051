package dev.nvae.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvae.io.Npy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A model run on images of another shape than its own — another size, or as many pixels a plane in another number
 * of channels — by every command that reads data with a model: one line naming --data and both shapes, exit code 1,
 * nothing written, before any work. A colour model took three grey images of its size for one colour image (exit 0,
 * garbage), and a grey model on colour images overran a buffer.
 */
class DataShapeTest {
    private static final Path RGB = committed("testdata/rgb-shapes");

    @TempDir
    static Path shared;
    /** Conv models of the RGB set (24×32, 3 channels) and of its grey copy (24×32, 1 channel). */
    static Path colour, grey;
    /** testdata/rgb-shapes in grey; the same with one PNG in colour, which makes the folder RGB. */
    static Path greyShapes, mixed;
    static Path mixedColourFile;

    @TempDir
    Path dir;

    @BeforeAll
    static void fixtures() throws IOException {
        greyShapes = greyCopy(RGB, shared.resolve("grey-shapes"));
        mixed = greyCopy(RGB, shared.resolve("mixed"));
        mixedColourFile = mixed.resolve("train/square/003.png");
        Files.copy(RGB.resolve("train/square/003.png"), mixedColourFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        colour = train(RGB, shared.resolve("colour.safetensors"));
        grey = train(greyShapes, shared.resolve("grey.safetensors"));
    }

    private static Path train(Path data, Path out) {
        Cli.Result r = Cli.run("train", "--data", data, "--arch", "conv", "--hidden", "16", "--channels", "4,8", "--epochs", "1",
                "--batch", "60", "--no-progress", "--threads", "1", "--out", out);
        assertEquals(0, r.exitCode(), r.err());
        return out;
    }

    /** Every image of {@code from} (test/ and train/ class folders) as an 8-bit grey PNG under {@code to}. */
    private static Path greyCopy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".png")).toList()) {
                BufferedImage in = ImageIO.read(f.toFile());
                BufferedImage g = new BufferedImage(in.getWidth(), in.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
                g.getGraphics().drawImage(in, 0, 0, null);
                Path out = to.resolve(from.relativize(f).toString());
                Files.createDirectories(out.getParent());
                ImageIO.write(g, "png", out.toFile());
            }
        }
        return to;
    }

    /** The failure contract (one line naming --data and the reason, exit 1, nothing on stdout or in out/). */
    private String refused(Cli.Result r, String... mentions) throws IOException {
        return Cli.assertDataRefused(r, dir.resolve("out"), mentions);
    }

    private Path out(String name) throws IOException {
        return Files.createDirectories(dir.resolve("out")).resolve(name);
    }

    /** Every command that reads data with a model, on {@code data}: each must refuse with {@code reason}. */
    private void everyCommandRefuses(Path model, Path data, String reason) throws IOException {
        String named = "--data " + data + ": " + reason;
        refused(Cli.run("evaluate", "--model", model, "--data", data, "--threads", 1), named);
        refused(Cli.run("evaluate", "--model", model, "--data", data, "--json", "--threads", 1), named);
        refused(Cli.run("encode", "--model", model, "--data", data, "--out", out("e.npy")), named);
        refused(Cli.run("reconstruct", "--model", model, "--data", data, "--n", 2, "--out", out("r.png")), named);
        refused(Cli.run("factors", "--model", model, "--data", data), named);
        refused(Cli.run("factors", "--model", model, "--data", data, "--heatmap", out("h.png")), named);
        refused(Cli.run("traverse", "--model", model, "--data", data, "--from-example", 0, "--shared-dim", 0, "--out", out("t.png")), named);
        refused(Cli.run("disentangle", "--model", model, "--data", data), named);
        refused(Cli.run("augment", "--model", model, "--data", data, "--epochs", 1, "--fractions", "0.5", "--hidden", "8,8"), named);
        // quality and report would train a judge and write it (here into out/) before measuring anything.
        refused(Cli.run("quality", "--model", model, "--data", data, "--n", 2, "--judge-epochs", 1, "--judge", out("j.safetensors")), named);
        refused(Cli.run("report", "--model", model, "--data", data, "--n", 2, "--judge-epochs", 1, "--judge", out("j.safetensors"),
                "--out", out("report")), named);
    }

    @Test
    void aColourModelRefusesGreyImagesOfItsSize() throws IOException {
        everyCommandRefuses(colour, greyShapes, "images have 1 channel (grey) but the model was trained on 3 (colour)");
    }

    @Test
    void aGreyModelRefusesColourImagesOfItsSize() throws IOException {
        everyCommandRefuses(grey, RGB, "images have 3 channels (colour) but the model was trained on 1 (grey); ");
    }

    /** Fashion-MNIST's shape (28×28 grey) and a folder of 28×28 colour PNGs: these overran a buffer ("dst of 25088 bytes"). */
    @Test
    void aFashionModelRefusesColourImagesOfItsSize() throws IOException {
        Path rgb28 = dir.resolve("rgb28");
        for (String k : List.of("0", "1")) { // numbered classes, which any model accepts
            Files.createDirectories(rgb28.resolve(k));
            for (int i = 0; i < 5; i++) {
                BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
                img.setRGB(i, i, 0x336699);
                ImageIO.write(img, "png", rgb28.resolve(k).resolve(i + ".png").toFile());
            }
        }
        Path fashion = Cli.smallModel();
        String named = "--data " + rgb28 + ": images have 3 channels (colour) but the model was trained on 1 (grey)";
        refused(Cli.run("evaluate", "--model", fashion, "--data", rgb28), named);
        refused(Cli.run("encode", "--model", fashion, "--data", rgb28, "--out", out("e.npy")), named);
        refused(Cli.run("reconstruct", "--model", fashion, "--data", rgb28, "--n", 2, "--out", out("r.png")), named);
    }

    /**
     * A folder of grey images with one PNG in colour reads as RGB, as a whole: a grey model refuses it, naming
     * that file, so that the refusal of a folder that looks grey says why. Without it, the folder runs.
     */
    @Test
    void aGreyModelReadsAGreyFolderAndRefusesOneWithAColourImageNamingIt() throws IOException {
        Cli.Result ok = Cli.run("evaluate", "--model", grey, "--data", greyShapes, "--json", "--threads", 1);
        assertEquals(0, ok.exitCode(), ok.err());
        assertTrue(ok.out().contains("\"examples\":60"), ok.out());
        Path e = out("e.npy");
        assertEquals(0, Cli.run("encode", "--model", grey, "--data", greyShapes, "--out", e).exitCode());
        assertTrue(Files.size(e) > 0);
        Files.delete(e);
        refused(Cli.run("evaluate", "--model", grey, "--data", mixed),
                "--data " + mixed + ": images have 3 channels (colour) but the model was trained on 1 (grey); "
                        + mixedColourFile + " is stored in colour, which makes the whole folder RGB");
    }

    /** Size alone keeps its message; size and channels both are named together. */
    @Test
    void otherSizesAreNamedWithTheChannelsWhenThoseDifferToo() throws IOException {
        Path fashion = Cli.smallModel();
        refused(Cli.run("evaluate", "--model", fashion, "--data", greyShapes),
                "--data " + greyShapes + ": images are 24x32 but the model was trained on 28x28");
        refused(Cli.run("evaluate", "--model", fashion, "--data", RGB),
                "--data " + RGB + ": images are 24x32 with 3 channels (colour) but the model was trained on 28x28 with 1 (grey); ");
        refused(Cli.run("evaluate", "--model", colour, "--data", "testdata"),
                "--data testdata: images are 28x28 with 1 channel (grey) but the model was trained on 24x32 with 3 (colour)");
    }

    /**
     * A model's own samples read back: {@code sample --format npy} writes flat rows of C·H·W values, and every command
     * that reads data with a model reads a row of exactly its C·H·W values as one of its images — a reshape, each row
     * already CHW — so it scores them as it scores the same values stored (N, C, H, W). Was refused as "images are
     * 1x2304 but the model was trained on 24x32 with 3 (colour)".
     */
    @Test
    void flatRowsOfTheModelsValuesAreReadAsItsImages() throws IOException {
        Path samples = samplesAsDataset(colour, dir.resolve("samples"));
        Cli.Result e = Cli.run("evaluate", "--model", colour, "--data", samples, "--json", "--threads", 1);
        assertEquals(0, e.exitCode(), e.err());
        JsonNode report = new ObjectMapper().readTree(e.out());
        assertEquals(12, report.get("examples").asInt(), e.out());
        assertTrue(Double.isFinite(report.get("neg_elbo").asDouble()), e.out());

        Path images = Files.createDirectories(dir.resolve("as-images"));
        for (String split : List.of("train", "test")) {
            float[] rows = Npy.read(samples.resolve(split + "-images.npy")).floats();
            Files.write(images.resolve(split + "-images.npy"), f32(rows, rows.length / (3 * 24 * 32), 3, 24, 32));
            Files.copy(samples.resolve(split + "-labels.npy"), images.resolve(split + "-labels.npy"));
        }
        Cli.Result same = Cli.run("evaluate", "--model", colour, "--data", images, "--json", "--threads", 1);
        assertEquals(e.out().replace(samples.toString(), "DATA"), same.out().replace(images.toString(), "DATA"));

        Path out = Files.createDirectories(dir.resolve("written")); // not out/, which a refusal must leave empty
        List<Object[]> commands = List.of(
                new Object[] {"encode", "--out", out.resolve("e.npy")},
                new Object[] {"reconstruct", "--n", 2, "--out", out.resolve("r.png")},
                new Object[] {"factors"},
                new Object[] {"traverse", "--from-example", 0, "--shared-dim", 0, "--out", out.resolve("t.png")},
                new Object[] {"augment", "--epochs", 1, "--fractions", "0.5", "--hidden", "8,8"},
                new Object[] {"quality", "--n", 2, "--judge-epochs", 1, "--judge", out.resolve("j.safetensors")},
                new Object[] {"report", "--n", 2, "--iw", 2, "--judge", out.resolve("j.safetensors"), "--out", out.resolve("report")});
        for (Object[] command : commands) {
            List<Object> args = new java.util.ArrayList<>(List.of(command));
            args.addAll(1, List.of("--model", colour, "--data", samples, "--threads", 1));
            Cli.Result r = Cli.run(args.toArray());
            assertEquals(0, r.exitCode(), command[0] + ": " + r.err());
        }
        // disentangle reads the data's factors too, which samples have none of: past the shape, that is what it refuses.
        refused(Cli.run("disentangle", "--model", colour, "--data", samples), "--data " + samples + ": no known factors");
    }

    /** Rows of another length than the model's C·H·W are refused as before; the line says which length would be read. */
    @Test
    void flatRowsOfAnotherLengthAreRefused() throws IOException {
        Path samples = samplesAsDataset(colour, dir.resolve("samples"));
        everyCommandRefuses(grey, samples, "images are 1x2304 but the model was trained on 24x32; "
                + "flat rows are read as its images when they hold its 768 values (1x24x32)");
        refused(Cli.run("evaluate", "--model", Cli.smallModel(), "--data", samples), "--data " + samples
                + ": images are 1x2304 but the model was trained on 28x28; flat rows are read as its images when they hold its 784 values (1x28x28)");
    }

    /**
     * The other way round: a model trained on flat rows — an (N, 784) NPY array, the shape {@code sample --format npy}
     * writes images in, as a VAE trained on images without labels for {@code cluster} may be — reads images of its
     * C·H·W values as its rows (each image already CHW: the same bytes), and scores them as it scores the same values
     * stored as rows. Was refused as "images are 28x28 but the model was trained on 1x784".
     */
    @Test
    void aModelOfFlatRowsReadsImagesOfItsValuesAsRows() throws IOException {
        Path rows = Files.createDirectories(dir.resolve("rows"));
        for (dev.nvae.data.Split split : dev.nvae.data.Split.values()) {
            dev.nvae.data.Dataset set = dev.nvae.data.DataSources.load("testdata", split);
            int n = set.count(), d = set.dim();
            float[] values = new float[n * d];
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                System.arraycopy(set.image(i), 0, values, i * d, d);
                labels[i] = set.label(i);
            }
            String prefix = split == dev.nvae.data.Split.TRAIN ? "train" : "test";
            Npy.writeF32(rows.resolve(prefix + "-images.npy"), values, n, d);
            Npy.writeI64(rows.resolve(prefix + "-labels.npy"), labels);
        }
        Path vae = dir.resolve("vae.safetensors");
        Cli.Result t = Cli.run("train", "--model", "vae", "--data", rows, "--limit", 300, "--hidden", "32,16", "--epochs", 1,
                "--no-progress", "--threads", 1, "--out", vae);
        assertEquals(0, t.exitCode(), t.err());

        Cli.Result asRows = Cli.run("evaluate", "--model", vae, "--data", rows, "--json", "--threads", 1);
        assertEquals(0, asRows.exitCode(), asRows.err());
        Cli.Result asImages = Cli.run("evaluate", "--model", vae, "--data", "testdata", "--json", "--threads", 1);
        assertEquals(0, asImages.exitCode(), asImages.err());
        assertEquals(asRows.out().replace(rows.toString(), "DATA"), asImages.out().replace("testdata", "DATA"));

        Cli.Result c = Cli.run("cluster", "--model", vae, "--data", "testdata", "--restarts", 2, "--threads", 1);
        assertEquals(0, c.exitCode(), c.err());
        Path out = Files.createDirectories(dir.resolve("written"));
        Cli.Result e = Cli.run("encode", "--model", vae, "--data", "testdata", "--threads", 1, "--out", out.resolve("e.npy"));
        assertEquals(0, e.exitCode(), e.err());
    }

    /** {@code model}'s samples, four per class for each split, as an NPY dataset directory of flat rows. */
    private static Path samplesAsDataset(Path model, Path to) throws IOException {
        Files.createDirectories(to);
        for (String split : List.of("train", "test")) {
            Path s = to.resolve(split + ".npy");
            Cli.Result r = Cli.run("sample", "--model", model, "--n", 4, "--seed", split.length(), "--format", "npy", "--out", s);
            assertEquals(0, r.exitCode(), r.err());
            Files.move(s, to.resolve(split + "-images.npy")); // its labels are already split-labels.npy
        }
        return to;
    }

    /** A float32 NPY of any shape, as np.save writes it (the library's writer makes (rows, cols) arrays only). */
    private static byte[] f32(float[] values, long... shape) {
        String dims = String.join(", ", java.util.Arrays.stream(shape).mapToObj(Long::toString).toList());
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
        String header = dict + " ".repeat((64 - (10 + dict.length() + 1) % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.US_ASCII));
        for (float v : values) b.putFloat(v);
        return b.array();
    }

    /** A committed path, found from the module's directory (where the tests run) or the checkout's. */
    private static Path committed(String path) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve(path))) return p.resolve(path);
        }
        throw new AssertionError(path + " not found above " + Path.of("").toAbsolutePath());
    }
}
