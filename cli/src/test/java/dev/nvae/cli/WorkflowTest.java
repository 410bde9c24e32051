package dev.nvae.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvae.data.DataSources;
import dev.nvae.data.Dataset;
import dev.nvae.data.Split;
import dev.nvae.io.Npy;
import dev.nvae.io.NpyArray;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The happy path, end to end: train once, then every command on the saved model. */
class WorkflowTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int K = 10;
    private static final int D = 28 * 28;

    @TempDir
    static Path dir;
    static Path model;
    static Cli.Result training;

    @BeforeAll
    static void train() {
        model = dir.resolve("m.safetensors");
        training = Cli.trainSmall(model, "--log", dir.resolve("train.jsonl"));
        assertEquals(0, training.exitCode(), training.err());
    }

    @Test
    void trainPrintsOneJsonLinePerEpochAndSavesTheModel() throws IOException {
        List<String> lines = training.out().lines().toList();
        assertEquals(1, lines.size(), training.out());
        JsonNode epoch = JSON.readTree(lines.getFirst());
        for (String key : List.of("epoch", "loss", "rec", "kl_s", "kl_c", "ce", "accuracy", "examples_per_s", "seconds")) {
            assertTrue(epoch.has(key), key + " in " + epoch);
        }
        assertEquals(1, epoch.get("epoch").asInt());
        assertEquals(lines, Files.readAllLines(dir.resolve("train.jsonl")));
        assertTrue(Files.size(model) > 1_000_000);
        assertTrue(training.err().contains("saved " + model), training.err());
        assertTrue(training.err().contains("examples/s"), training.err());
    }

    @Test
    void evaluateJson() throws IOException {
        Cli.Result r = Cli.run("evaluate", "--model", model, "--data", "testdata", "--split", "test", "--iw", "3", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode report = JSON.readTree(r.out());
        assertEquals(1000, report.get("examples").asInt());
        double negElbo = report.get("neg_elbo").asDouble();
        assertTrue(Double.isFinite(negElbo) && negElbo > 0, "neg_elbo " + negElbo);
        double accuracy = report.get("accuracy").asDouble();
        assertTrue(accuracy >= 0 && accuracy <= 1, "accuracy " + accuracy);
        assertTrue(Double.isFinite(report.get("iwae_nll").asDouble()));
        assertEquals(8, report.get("kl_shared_per_dim").size());
        assertEquals(K, report.get("kl_class_per_dim").size());
        assertEquals(4, report.get("kl_class_per_dim").get(0).size());
    }

    @Test
    void evaluateTableDefaultsToTheTrainingData() {
        Cli.Result r = Cli.run("evaluate", "--model", model);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("testdata, test split, 1000 examples"), r.out());
        for (String row : List.of("neg_elbo", "kl_s", "kl_c", "accuracy", "Ankle boot")) assertTrue(r.out().contains(row), row);
    }

    @Test
    void sampleNpyWritesImagesAndLabelsSideBySide() {
        Path out = dir.resolve("s.npy");
        Cli.Result r = Cli.run("sample", "--model", model, "--n", 3, "--format", "npy", "--out", out);
        assertEquals(0, r.exitCode(), r.err());
        NpyArray images = Npy.read(out);
        assertArrayEquals(new long[]{3 * K, D}, images.shape());
        for (float v : images.floats()) assertTrue(v >= 0 && v <= 1);
        NpyArray labels = Npy.read(dir.resolve("s-labels.npy"));
        assertArrayEquals(new long[]{3 * K}, labels.shape());
        assertEquals(K - 1, labels.longs()[3 * K - 1]);
        // Without --format, the .npy ending says npy: the same files, bit for bit.
        Path implied = dir.resolve("implied.npy");
        Cli.Result again = Cli.run("sample", "--model", model, "--n", 3, "--out", implied);
        assertEquals(0, again.exitCode(), again.err());
        assertArrayEquals(images.floats(), Npy.read(implied).floats());
        assertArrayEquals(labels.longs(), Npy.read(dir.resolve("implied-labels.npy")).longs());
        Cli.Result unnamed = Cli.run("sample", "--model", model, "--n", 3, "--out", dir.resolve("generated"));
        assertEquals(1, unnamed.exitCode());
        assertTrue(unnamed.err().contains("--format not given and --out "), unnamed.err());
        assertFalse(Files.exists(dir.resolve("generated")));
        Cli.Result one = Cli.run("sample", "--model", model, "--n", 1, "--class", 0, "--out", dir.resolve("one.npy"));
        assertEquals(0, one.exitCode(), one.err());
        assertEquals("wrote 1 sample to " + dir.resolve("one.npy"), one.err().strip());
    }

    /**
     * An output named DIR/test-images.npy gets its labels as DIR/test-labels.npy (it was test-images-labels.npy): the
     * NPY dataset layout, which the model then reads back, each flat row of 784 values one of its 28x28 images.
     */
    @Test
    void sampleNpyDropsIntoTheNpyDatasetLayoutAndTheModelReadsItBack() throws IOException {
        Path data = Files.createDirectories(dir.resolve("sampled"));
        Cli.Result r = Cli.run("sample", "--model", model, "--n", 3, "--format", "npy", "--out", data.resolve("test-images.npy"));
        assertEquals(0, r.exitCode(), r.err());
        try (Stream<Path> files = Files.list(data)) {
            assertEquals(List.of("test-images.npy", "test-labels.npy"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        Cli.Result e = Cli.run("evaluate", "--model", model, "--data", data, "--json");
        assertEquals(0, e.exitCode(), e.err());
        JsonNode report = JSON.readTree(e.out());
        assertEquals(3 * K, report.get("examples").asInt());
        assertTrue(Double.isFinite(report.get("neg_elbo").asDouble()), e.out());
    }

    @Test
    void sampleIdxIsADatasetWithTheRightLabels() {
        Path out = dir.resolve("generated");
        Cli.Result r = Cli.run("sample", "--model", model, "--n", 2, "--class", "all", "--format", "idx", "--out", out);
        assertEquals(0, r.exitCode(), r.err());
        Dataset back = DataSources.load(out.toString(), Split.TRAIN);
        assertEquals(2 * K, back.count());
        assertEquals(28, back.height());
        for (int i = 0; i < back.count(); i++) assertEquals(i / 2, back.label(i));
        assertEquals("Ankle boot", back.classNames().get(K - 1));
    }

    @Test
    void samplePngDirectoryOneFilePerSample() throws IOException {
        Path out = dir.resolve("pngs");
        Cli.Result r = Cli.run("sample", "--model", model, "--n", 4, "--class", "5", "--format", "png", "--out", out);
        assertEquals(0, r.exitCode(), r.err());
        List<Path> files;
        try (Stream<Path> s = Files.list(out)) {
            files = s.sorted().toList();
        }
        assertEquals(4, files.size());
        assertEquals("sample-00001-Sandal.png", files.getFirst().getFileName().toString());
        BufferedImage image = ImageIO.read(files.getFirst().toFile());
        assertNotNull(image);
        // The model's size, no frame (it was 32x32), and the bytes --format idx writes for the same draw.
        assertEquals(28, image.getWidth());
        assertEquals(28, image.getHeight());
        Path idx = dir.resolve("idx");
        assertEquals(0, Cli.run("sample", "--model", model, "--n", 4, "--class", "5", "--format", "idx", "--out", idx).exitCode());
        byte[] bytes = Files.readAllBytes(idx.resolve("train-images-idx3-ubyte"));
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                assertEquals(bytes[16 + y * 28 + x] & 0xFF, image.getRaster().getSample(x, y, 0), "pixel " + y + "," + x);
            }
        }
    }

    @Test
    void sampleGridByClassName() throws IOException {
        Path out = dir.resolve("grid.png");
        Cli.Result r = Cli.run("sample", "--model", model, "--n", 2, "--class", "ankle boot", "--sigma", 1.4, "--format", "grid", "--out", out);
        assertEquals(0, r.exitCode(), r.err());
        assertNotNull(ImageIO.read(out.toFile()));
    }

    @Test
    void sampleIsReproducibleForASeed() throws IOException {
        Path a = dir.resolve("a.npy"), b = dir.resolve("b.npy");
        assertEquals(0, Cli.run("sample", "--model", model, "--n", 2, "--seed", 7, "--format", "npy", "--out", a).exitCode());
        assertEquals(0, Cli.run("sample", "--model", model, "--n", 2, "--seed", 7, "--format", "npy", "--out", b).exitCode());
        assertEquals(-1, Files.mismatch(a, b));
    }

    @Test
    void reconstructWritesAGrid() throws IOException {
        Path out = dir.resolve("rec.png");
        Cli.Result r = Cli.run("reconstruct", "--model", model, "--data", "testdata", "--n", 12, "--out", out);
        assertEquals(0, r.exitCode(), r.err());
        BufferedImage image = ImageIO.read(out.toFile());
        assertNotNull(image);
        assertTrue(image.getHeight() > 4 * 28 * 2, "four rows of doubled 28-pixel images: " + image.getHeight());
    }

    @Test
    void encodeCsvHasARowPerExample() throws IOException {
        Path out = dir.resolve("z.csv");
        Cli.Result r = Cli.run("encode", "--model", model, "--data", "testdata", "--split", "test", "--out", out);
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals(1 + 1000, lines.size());
        assertTrue(lines.getFirst().startsWith("label,predicted,mu_s0,"), lines.getFirst());
        assertEquals(2 + 2 * 8 + 2 * 4, lines.getFirst().split(",").length);
        for (String line : lines.subList(1, lines.size())) {  // label and predicted class as integers, as in the data
            String[] f = line.split(",");
            assertTrue(f[0].matches("\\d") && f[1].matches("\\d"), line);
        }
    }

    @Test
    void encodeNpyHasTheSameShape() {
        Path out = dir.resolve("z.npy");
        Cli.Result r = Cli.run("encode", "--model", model, "--data", "testdata", "--split", "train", "--out", out);
        assertEquals(0, r.exitCode(), r.err());
        assertArrayEquals(new long[]{3000, 2 + 2 * 8 + 2 * 4}, Npy.read(out).shape());
        // An extension in capitals picks the format as well (reconstruct and traverse take R.PNG): it was refused.
        Path capitals = dir.resolve("Z.CSV");
        Cli.Result csv = Cli.run("encode", "--model", model, "--data", "testdata", "--split", "test", "--out", capitals);
        assertEquals(0, csv.exitCode(), csv.err());
        assertTrue(Files.exists(capitals) && !Files.exists(dir.resolve("Z.CSV.npy")));
    }

    @Test
    void sameSeedGivesIdenticalModelBytes() throws IOException {
        Path again = dir.resolve("again.safetensors");
        assertEquals(0, Cli.trainSmall(again).exitCode());
        assertEquals(-1, Files.mismatch(model, again), "model files differ");
    }

    @Test
    void helpVersionAndInfo() {
        Cli.Result help = Cli.run("--help");
        assertEquals(0, help.exitCode());
        for (String c : List.of("train", "evaluate", "sample", "reconstruct", "encode", "info", "demo")) assertTrue(help.out().contains(c), c);
        Cli.Result version = Cli.run("--version");
        assertTrue(version.out().matches("(?s)nvae \\d+\\.\\d+\\.\\d+.*"), version.out());
        Cli.Result info = Cli.run("info");
        assertEquals(0, info.exitCode(), info.err());
        assertTrue(info.out().contains("vector"), info.out());
        assertTrue(info.out().contains("processors"), info.out());
        // On Linux the cpu line carries the family and model numbers that name the micro-architecture.
        if (Files.isReadable(Path.of("/proc/cpuinfo")))
            assertTrue(info.out().matches("(?s).*\ncpu {9}.+ \\(family \\d+, model \\d+\\)\n.*"), info.out());
    }

    /** The launcher's AOT training run: the common commands in-process, nothing left behind, hidden from help. */
    @Test
    void aotTrainingRunsTheCommonCommandsAndIsHidden() throws IOException {
        long before = countTempDirs();
        Cli.Result r = Cli.run("aot-training");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(before, countTempDirs(), "temporary directory removed");
        assertFalse(Cli.run("--help").out().contains("aot-training"));
    }

    private static long countTempDirs() throws IOException {
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(f -> f.getFileName().toString().startsWith("nvae-aot-")).count();
        }
    }

    /** A count of one is singular: train said "with backend onednn, 1 threads, fp32". */
    @Test
    void trainSaysOneThread() {
        Cli.Result train = Cli.trainSmall(dir.resolve("one-thread.safetensors"), "--threads", 1, "--hidden", "16,8");
        assertEquals(0, train.exitCode(), train.err());
        assertTrue(train.err().contains(", 1 thread, fp32"), train.err());
    }

    /** synth said "wrote 1 training and 1 test shapes"; each count has its own noun. */
    @Test
    void synthCountsItsShapesEachInItsNumber() {
        Cli.Result one = Cli.run("synth", "--out", dir.resolve("one-shape"), "--train", 1, "--test", 1);
        assertEquals(0, one.exitCode(), one.err());
        assertEquals(List.of("wrote 1 training shape and 1 test shape with their factors to " + dir.resolve("one-shape")), one.errLines());
        Cli.Result more = Cli.run("synth", "--out", dir.resolve("shapes"), "--train", 3, "--test", 2);
        assertEquals(List.of("wrote 3 training shapes and 2 test shapes with their factors to " + dir.resolve("shapes")), more.errLines());
    }

    /** demo --epochs 1 --threads 1 said "demo: training 1 epoch(s) of a conv N-VAE ..., backend onednn, 1 threads". */
    @Test
    void demoSaysOneEpochAndOneThread() {
        Cli.Result d = Cli.run("demo", "--epochs", 1, "--threads", 1, "--no-progress", "--out", dir.resolve("demo"));
        assertEquals(0, d.exitCode(), d.err());
        String line = d.out().lines().filter(l -> l.startsWith("demo: training ")).findFirst().orElseThrow();
        assertTrue(line.startsWith("demo: training 1 epoch of a conv N-VAE"), line);
        assertTrue(line.endsWith(", 1 thread"), line);
    }
}
