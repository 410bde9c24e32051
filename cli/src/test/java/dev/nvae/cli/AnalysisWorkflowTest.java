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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The analysis commands end to end on tiny models (64/32 hidden units, 300 examples, one epoch): every
 * command runs on every family it applies to and writes what it promises. Whether the analyses find the
 * right things is tested in lib (FactorDetectionTest and the metric tests).
 */
class AnalysisWorkflowTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int K = 10, D = 28 * 28;

    @TempDir
    static Path dir;
    static Path nvae, vae, cvae, shapes, shapesModel;

    /** A tiny model of the given family on the Fashion-MNIST subset. */
    private static Path train(String family, Object... extra) {
        Path out = dir.resolve(family + ".safetensors");
        List<Object> args = new java.util.ArrayList<>(List.of("train", "--data", "testdata", "--limit", "300", "--epochs", "1",
                "--hidden", "64,32", "--no-progress", "--threads", "1", "--model", family, "--out", out));
        args.addAll(List.of(extra));
        Cli.Result r = Cli.run(args.toArray());
        assertEquals(0, r.exitCode(), r.err());
        return out;
    }

    @BeforeAll
    static void trainModels() {
        nvae = train("nvae", "--beta-c", "2");
        vae = train("vae", "--dz", "5");
        cvae = train("cvae");
        shapes = dir.resolve("shapes");
        Cli.Result s = Cli.run("synth", "--out", shapes, "--train", 90, "--test", 30);
        assertEquals(0, s.exitCode(), s.err());
        shapesModel = dir.resolve("shapes.safetensors");
        Cli.Result t = Cli.run("train", "--data", shapes, "--epochs", "1", "--hidden", "32,16", "--ds", "3", "--dc", "2",
                "--no-progress", "--threads", "1", "--out", shapesModel);
        assertEquals(0, t.exitCode(), t.err());
    }

    @Test
    void helpListsTheAnalysisCommands() {
        Cli.Result help = Cli.run("--help");
        for (String c : List.of("factors", "traverse", "disentangle", "augment", "synth")) assertTrue(help.out().contains(c), c);
    }

    @Test
    void factorsPrintsATableJsonAndAHeatmap() throws IOException {
        Path png = dir.resolve("factors.png");
        Cli.Result table = Cli.run("factors", "--model", nvae, "--threads", "1", "--heatmap", png);
        assertEquals(0, table.exitCode(), table.err());
        assertTrue(table.out().contains("shared") && table.out().contains("Ankle boot") && table.out().contains("active"), table.out());
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image);
        assertTrue(image.getHeight() > 11 * 30, "a row per block: " + image.getHeight());
        Cli.Result json = Cli.run("factors", "--model", nvae, "--threads", "1", "--json", "--threshold", "0");
        JsonNode j = JSON.readTree(json.out());
        assertEquals(8, j.get("shared").get("kl_per_dim").size());
        assertEquals(K, j.get("classes").size());
        assertEquals(4, j.get("classes").get(0).get("kl_per_dim").size());
        assertEquals(4, j.get("classes").get(0).get("active").size(), "threshold 0: every dimension with any KL is active");
        JsonNode v = JSON.readTree(Cli.run("factors", "--model", vae, "--threads", "1", "--json").out());
        assertEquals(5, v.get("z").get("kl_per_dim").size());
        assertFalse(v.has("classes"));
    }

    /**
     * A vae or cvae has one latent block, z: its table and heatmap show that row alone, as its JSON and the report's
     * heatmap do. They listed every class under it, each "0 of 0" active dimensions, and empty heatmap rows.
     */
    @Test
    void factorsOfABaselineShowItsOneBlock() throws IOException {
        for (Path baseline : List.of(vae, cvae)) {
            Path png = dir.resolve("baseline-factors.png");
            Cli.Result r = Cli.run("factors", "--model", baseline, "--threads", "1", "--heatmap", png);
            assertEquals(0, r.exitCode(), r.err());
            List<String> lines = r.out().lines().toList();
            assertEquals(3, lines.size(), "a title, the dimensions, z: " + r.out());
            assertTrue(lines.get(2).startsWith("z "), lines.get(2));
            assertFalse(r.out().contains("Ankle boot") || r.out().contains("0 of 0"), r.out());
            assertTrue(ImageIO.read(png.toFile()).getHeight() < 11 * 30, "one row, not one per class");
        }
    }

    @Test
    void traverseSharedDimensionForEveryClassWithItsNpy() throws IOException {
        Path png = dir.resolve("t.png");
        Cli.Result r = Cli.run("traverse", "--model", nvae, "--shared-dim", 2, "--steps", 7, "--range", "-2,2", "--threads", "1", "--out", png);
        assertEquals(0, r.exitCode(), r.err());
        assertNotNull(ImageIO.read(png.toFile()));
        NpyArray images = Npy.read(dir.resolve("t.npy"));
        assertArrayEquals(new long[]{K * 7, D}, images.shape());
        // Row by row: the middle column of each row is the same latent (0) decoded as that row's class.
        float[] x = images.floats();
        assertFalse(java.util.Arrays.equals(java.util.Arrays.copyOfRange(x, 3 * D, 4 * D), java.util.Arrays.copyOfRange(x, 10 * D, 11 * D)),
                "classes decode differently");
    }

    @Test
    void traverseAClassLatentAndEverySharedDimensionOfAClass() {
        Path a = dir.resolve("c.png"), b = dir.resolve("all.png");
        assertEquals(0, Cli.run("traverse", "--model", nvae, "--class", "Sandal", "--threads", "1", "--out", a).exitCode());
        assertArrayEquals(new long[]{4 * 9, D}, Npy.read(dir.resolve("c.npy")).shape());
        assertEquals(0, Cli.run("traverse", "--model", nvae, "--shared-dim", "all", "--class", 5, "--from-example", 3,
                "--data", "testdata", "--threads", "1", "--out", b).exitCode());
        assertArrayEquals(new long[]{8 * 9, D}, Npy.read(dir.resolve("all.npy")).shape());
        Path v = dir.resolve("v.png");
        assertEquals(0, Cli.run("traverse", "--model", vae, "--shared-dim", "all", "--threads", "1", "--out", v).exitCode());
        assertArrayEquals(new long[]{5 * 9, D}, Npy.read(dir.resolve("v.npy")).shape());
        Path png = dir.resolve("png-only.png");
        assertEquals(0, Cli.run("traverse", "--model", vae, "--shared-dim", 0, "--no-npy", "--threads", "1", "--out", png).exitCode());
        assertTrue(Files.exists(png) && !Files.exists(dir.resolve("png-only.npy")));
        Path c = dir.resolve("cv.png");
        assertEquals(0, Cli.run("traverse", "--model", cvae, "--class", 1, "--threads", "1", "--out", c).exitCode());
        assertArrayEquals(new long[]{12 * 9, D}, Npy.read(dir.resolve("cv.npy")).shape());
    }

    @Test
    void sampleSigmaGridPutsTheScalesSideBySide() throws IOException {
        Path png = dir.resolve("sigma.png");
        Cli.Result r = Cli.run("sample", "--model", nvae, "--n", 3, "--sigma-grid", "1.0,1.4,2.0", "--format", "grid",
                "--threads", "1", "--out", png);
        assertEquals(0, r.exitCode(), r.err());
        BufferedImage image = ImageIO.read(png.toFile());
        assertTrue(image.getWidth() > 9 * 56, "nine columns: " + image.getWidth());
        assertTrue(image.getHeight() > 10 * 56, "ten rows: " + image.getHeight());
    }

    @Test
    void aVaeSamplesWithoutLabels() throws IOException {
        Path out = dir.resolve("vae-samples.npy");
        Cli.Result r = Cli.run("sample", "--model", vae, "--n", 4, "--format", "npy", "--threads", "1", "--out", out);
        assertEquals(0, r.exitCode(), r.err());
        assertArrayEquals(new long[]{4, D}, Npy.read(out).shape());
        assertFalse(Files.exists(dir.resolve("vae-samples-labels.npy")), "a VAE's samples have no labels");
        // Labels left beside the name from an earlier run would be read as these samples' own: refused, nothing written.
        Path data = Files.createDirectories(dir.resolve("vae-data"));
        Npy.writeI64(data.resolve("train-labels.npy"), new int[] {0, 1, 2, 3});
        Path images = data.resolve("train-images.npy");
        Cli.Result stale = Cli.run("sample", "--model", vae, "--n", 4, "--format", "npy", "--threads", "1", "--out", images);
        assertEquals(1, stale.exitCode(), stale.err());
        assertEquals(List.of("nvae: --out " + images + ": " + data.resolve("train-labels.npy") + " is beside it and a vae's samples have "
                + "no labels, so it would be read as theirs; remove it or give another name"), stale.errLines());
        assertFalse(Files.exists(images));
        Path grid = dir.resolve("vae-sigma.png");
        assertEquals(0, Cli.run("sample", "--model", vae, "--n", 4, "--sigma-grid", "1,1.4", "--format", "grid", "--out", grid).exitCode());
    }

    @Test
    void evaluateReportsTheAggregatePosteriorPerBlock() throws IOException {
        JsonNode n = JSON.readTree(Cli.run("evaluate", "--model", nvae, "--json", "--iw", 3, "--threads", "1").out());
        JsonNode blocks = n.get("aggregate_posterior");
        assertEquals(1 + K + 1, blocks.size(), "shared, each class, joint");
        assertEquals("shared", blocks.get(0).get("block").asText());
        assertEquals("class T-shirt/top", blocks.get(1).get("block").asText());
        assertEquals("joint", blocks.get(K + 1).get("block").asText());
        assertEquals(12, blocks.get(K + 1).get("mean").size());
        assertTrue(blocks.get(0).get("kl_full").asDouble() >= 0);
        JsonNode v = JSON.readTree(Cli.run("evaluate", "--model", vae, "--json", "--iw", 3, "--threads", "1").out());
        assertTrue(v.get("accuracy").isNull(), "a VAE has no classifier");
        assertEquals(1, v.get("aggregate_posterior").size());
        assertEquals("z", v.get("aggregate_posterior").get(0).get("block").asText());
        assertTrue(Double.isFinite(v.get("iwae_nll").asDouble()));
        Cli.Result table = Cli.run("evaluate", "--model", cvae, "--threads", "1");
        assertTrue(table.out().contains("Aggregate posterior") && table.out().contains("KL full"), table.out());
    }

    @Test
    void encodeABaseline() throws IOException {
        Path out = dir.resolve("z.csv");
        assertEquals(0, Cli.run("encode", "--model", cvae, "--data", "testdata", "--out", out).exitCode());
        String header = Files.readAllLines(out).getFirst();
        assertTrue(header.startsWith("label,mu_z0,"), header);
        assertEquals(1 + 2 * 12, header.split(",").length);
    }

    @Test
    void augmentReportsAccuracyPerFractionAndClassTheSameForEveryGeneratorAtZero() throws IOException {
        Object[] common = {"--data", "testdata", "--limit", 200, "--epochs", 1, "--hidden", "32,16", "--fractions", "0,0.4,1",
                "--threads", "1", "--json"};
        JsonNode n = augment(nvae, common), c = augment(cvae, common);
        assertEquals(3, n.get("results").size());
        JsonNode half = n.get("results").get(1);
        assertEquals(80, half.get("generated").asInt());
        assertEquals(K, half.get("per_class_accuracy").size());
        double a = n.get("results").get(0).get("accuracy").asDouble();
        assertTrue(a > 0 && a <= 1, "accuracy " + a);
        assertEquals(a, c.get("results").get(0).get("accuracy").asDouble(), 0, "r = 0 uses no generated data");
    }

    /**
     * --precision bf16 is the generator's: it draws at bf16 while the classifier trains and predicts in fp32 on a
     * backend of its own. It failed after training the classifier (no bf16 copy of its weights for predict), and on
     * the vector backend was refused as bf16 training once the first classifier began.
     */
    @Test
    void augmentAtBf16DrawsAtBf16AndTrainsTheClassifierInFp32() throws IOException {
        Object[] fp32 = {"--data", "testdata", "--limit", 200, "--epochs", 1, "--hidden", "32,16", "--fractions", "0,0.4",
                "--threads", "1", "--json"};
        for (String backend : List.of("vector", "auto")) {
            JsonNode n = augment(nvae, with(fp32, "--precision", "bf16", "--backend", backend));
            assertEquals("bf16", n.get("precision").asText(), backend);
            JsonNode reference = augment(nvae, with(fp32, "--backend", backend));
            assertEquals("fp32", reference.get("precision").asText());
            assertEquals(reference.get("results").get(0).toString(), n.get("results").get(0).toString(),
                    backend + ": at r = 0 nothing is generated, and the classifier computes in fp32 either way");
            assertEquals(80, n.get("results").get(1).get("generated").asInt(), backend);
        }
        Cli.Result table = Cli.run("augment", "--model", nvae, "--data", "testdata", "--limit", 100, "--epochs", 1, "--hidden", "8,8",
                "--fractions", "0.5", "--threads", "1", "--precision", "bf16", "--backend", "vector");
        assertEquals(0, table.exitCode(), table.err());
        assertTrue(table.out().endsWith("samples drawn at --precision bf16; the classifier trained and tested in fp32\n"), table.out());
        assertTrue(table.out().startsWith("classifier mlp 8,8, 1 epoch; generator "), "one epoch, in the singular: " + table.out());
    }

    private static Object[] with(Object[] first, Object... more) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(first), java.util.Arrays.stream(more)).toArray();
    }

    private static JsonNode augment(Path model, Object[] common) throws IOException {
        List<Object> args = new java.util.ArrayList<>(List.of("augment", "--model", model));
        args.addAll(List.of(common));
        Cli.Result r = Cli.run(args.toArray());
        assertEquals(0, r.exitCode(), r.err());
        return JSON.readTree(r.out());
    }

    @Test
    void synthWritesADataSetWithFactorsThatDisentangleReads() throws IOException {
        assertEquals(List.of("triangle", "ellipse", "square"), Files.readAllLines(shapes.resolve("classes.txt")));
        assertArrayEquals(new long[]{90, 5}, Npy.read(shapes.resolve("train-factors.npy")).shape());
        Cli.Result r = Cli.run("disentangle", "--model", shapesModel, "--threads", "1", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode groups = JSON.readTree(r.out()).get("groups");
        assertEquals(3, groups.size(), "shared, triangle, ellipse (the square has no factor of its own)");
        assertEquals("shared", groups.get(0).get("group").asText());
        assertEquals(List.of("pos_x", "pos_y", "scale"), JSON.convertValue(groups.get(0).get("factors"), List.class));
        assertEquals("rotation", groups.get(1).get("factors").get(3).asText());
        assertEquals(5, groups.get(1).get("latents").size(), "mu_s0..2 and the triangle's mu_c0..1");
        for (String key : List.of("mig", "sap", "dci_disentanglement", "dci_completeness", "dci_informativeness_nrmse")) {
            assertTrue(groups.get(0).has(key), key);
        }
        Cli.Result table = Cli.run("disentangle", "--model", shapesModel, "--threads", "1");
        assertTrue(table.out().contains("MIG") && table.out().contains("class ellipse"), table.out());
        // Bins are bounded before the split is encoded: 2^31-1 of them ran out of memory once it had been.
        for (int bins : new int[]{1, 1001, Integer.MAX_VALUE}) {
            Cli.Result refused = Cli.run("disentangle", "--model", shapesModel, "--threads", "1", "--bins", bins);
            assertEquals(1, refused.exitCode(), refused.err());
            assertEquals("nvae: --bins " + bins + " must be from 2 to 1000", refused.err().strip());
        }
        assertEquals(0, Cli.run("disentangle", "--model", shapesModel, "--threads", "1", "--bins", 1000).exitCode());
    }

    /**
     * A factor constant over a group has no MIG or SAP gap (NaN, left out of the group's mean); --json wrote it as the
     * string "NaN" in the per-factor arrays, where every other number is a number, and JSON's own missing value is null.
     */
    @Test
    void disentangleJsonWritesTheScoresOfAConstantFactorAsNull() throws IOException {
        Path constant = constantPosX();
        Cli.Result r = Cli.run("disentangle", "--model", shapesModel, "--data", constant, "--threads", "1", "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertFalse(r.out().contains("NaN"), r.out());
        JsonNode shared = JSON.readTree(r.out()).get("groups").get(0);
        assertTrue(shared.get("mig_per_factor").get(0).isNull(), shared.toString());
        assertTrue(shared.get("sap_per_factor").get(0).isNull(), shared.toString());
        assertTrue(shared.get("mig_per_factor").get(1).isNumber(), shared.toString());
        assertTrue(shared.get("mig").isNumber(), "the group's MIG is the mean over the factors that vary");
    }

    /**
     * The table printed a constant factor's MIG and SAP as "NaN", and its DCI completeness and NRMSE as 0.000 (the
     * regression predicted its standardised values, all 0, exactly): a perfect score, which also pulled the group's
     * informativeness down. It says n/a and why, and the group's NRMSE is the mean over the factors that vary.
     */
    @Test
    void disentangleTableSaysAConstantFactorHasNothingToMeasure() throws IOException {
        Path constant = constantPosX();
        Cli.Result r = Cli.run("disentangle", "--model", shapesModel, "--data", constant, "--threads", "1");
        assertEquals(0, r.exitCode(), r.err());
        assertFalse(r.out().contains("NaN"), r.out());
        String posX = r.out().lines().filter(l -> l.strip().startsWith("pos_x")).findFirst().orElseThrow();
        assertTrue(posX.contains("n/a") && posX.contains("constant over these examples: nothing to measure"), posX);
        List<String> shared = r.out().lines().takeWhile(l -> !l.startsWith("class ")).toList();
        double group = Double.parseDouble(shared.stream().filter(l -> l.contains("informativeness (NRMSE)")).findFirst()
                .orElseThrow().replaceAll(".*\\(NRMSE\\) ", ""));
        double sum = 0;
        for (String factor : List.of("pos_y", "scale")) {
            String row = shared.stream().filter(l -> l.strip().startsWith(factor + " ")).findFirst().orElseThrow();
            sum += Double.parseDouble(row.strip().split("\\s+")[4]);
        }
        assertEquals(sum / 2, group, 0.002, "the mean of the errors of the factors that vary: " + String.join("\n", shared));
    }

    /**
     * A class with a factor of its own but fewer examples in the split than a group is scored on was left out of the
     * table and the JSON without a word, as if it had no factor of its own. Both name it and its count.
     */
    @Test
    void disentangleNamesAClassGroupWithTooFewExamplesToScore() throws IOException {
        Path tiny = dir.resolve("tiny-shapes");
        assertEquals(0, Cli.run("synth", "--out", tiny, "--train", 5, "--test", 5).exitCode());
        Cli.Result table = Cli.run("disentangle", "--model", shapesModel, "--data", tiny, "--threads", "1");
        assertEquals(0, table.exitCode(), table.err());
        assertTrue(table.out().contains("\nclass triangle: 2 examples, too few to score (a group needs at least 5)\n"), table.out());
        assertTrue(table.out().contains("\nclass ellipse: 2 examples, too few to score (a group needs at least 5)\n"), table.out());
        JsonNode json = JSON.readTree(Cli.run("disentangle", "--model", shapesModel, "--data", tiny, "--threads", "1", "--json").out());
        assertEquals(1, json.get("groups").size(), json.toString());
        assertEquals("[{\"group\":\"class triangle\",\"examples\":2},{\"group\":\"class ellipse\",\"examples\":2}]",
                json.get("too_few_examples").toString());
    }

    /** A copy of the shapes data whose test split holds pos_x, a shared factor, at one value. */
    private Path constantPosX() throws IOException {
        Path constant = dir.resolve("constant-pos-x");
        if (Files.isDirectory(constant)) return constant;
        Files.createDirectories(constant);
        try (var files = Files.list(shapes)) {
            for (Path f : files.toList()) Files.copy(f, constant.resolve(f.getFileName()));
        }
        NpyArray factors = Npy.read(constant.resolve("t10k-factors.npy"));
        int rows = (int) factors.shape()[0], cols = (int) factors.shape()[1];
        float[] values = factors.floats();
        for (int i = 0; i < rows; i++) values[i * cols] = 0.5f;
        Npy.writeF32(constant.resolve("t10k-factors.npy"), values, rows, cols);
        return constant;
    }

    /** traverse refused --out T.PNG ('expected a file name ending in .png'); the NPY beside it is T.npy. */
    @Test
    void traverseTakesAPngNameInAnyCase() {
        Path png = dir.resolve("Upper.PNG");
        Cli.Result r = Cli.run("traverse", "--model", nvae, "--shared-dim", 0, "--steps", 3, "--threads", 1, "--out", png);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Files.isRegularFile(png));
        assertTrue(Files.isRegularFile(dir.resolve("Upper.npy")));
    }

    @Test
    void likelihoodAndBinarizationOptionsTrainAndEvaluate() throws IOException {
        Path gaussian = dir.resolve("g.safetensors");
        Cli.Result gt = Cli.run("train", "--model", "vae", "--data", "testdata", "--limit", "300", "--epochs", "1", "--hidden", "64,32",
                "--no-progress", "--threads", "1", "--likelihood", "gaussian", "--sigma-x", "0.2", "--out", gaussian);
        assertEquals(0, gt.exitCode(), gt.err());
        JsonNode g = JSON.readTree(Cli.run("evaluate", "--model", dir.resolve("g.safetensors"), "--json", "--threads", "1").out());
        assertTrue(Double.isFinite(g.get("neg_elbo").asDouble()));
        for (String mode : List.of("static", "dynamic")) {
            Path m = dir.resolve(mode + ".safetensors");
            Cli.Result t = Cli.run("train", "--data", "testdata", "--limit", "300", "--epochs", "1", "--hidden", "64,32",
                    "--no-progress", "--threads", "1", "--binarize", mode, "--out", m);
            assertEquals(0, t.exitCode(), t.err());
            JsonNode e = JSON.readTree(Cli.run("evaluate", "--model", m, "--json", "--iw", 4, "--threads", "1").out());
            // On binary data every term is a proper log-density: the IWAE bound is below the ELBO's.
            assertTrue(e.get("iwae_nll").asDouble() <= e.get("neg_elbo").asDouble() + 1, e.toString());
        }
        assertTrue(Files.exists(gaussian));
    }
}
