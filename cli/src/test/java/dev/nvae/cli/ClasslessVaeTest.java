package dev.nvae.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvae.api.ComputeBackend;
import dev.nvae.api.Encodings;
import dev.nvae.api.Images;
import dev.nvae.api.InvalidRequestException;
import dev.nvae.api.ModelException;
import dev.nvae.api.ModelOptions;
import dev.nvae.api.NvaeModel;
import dev.nvae.api.SampleRequest;
import dev.nvae.api.Scores;
import dev.nvae.api.Training;
import dev.nvae.io.IdxWriter;
import dev.nvae.io.Npy;
import dev.nvae.model.LoadedModel;
import dev.nvae.model.ModelFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A vae or beta-vae reads no label, so it trains on images that have none — NPY images without a labels file, and
 * labels all -1 — into a model of no classes (numClasses 0, no class names). Every command that takes a model file
 * either works with it or refuses in one line naming why; a cvae and an nvae still refuse such data.
 */
class ClasslessVaeTest {
    @TempDir
    static Path shared;
    static Path images, minusOne, vae;
    static Cli.Result training;

    @TempDir
    Path dir;

    private static final int N = 60, D = 64; // flat rows of 64 values: images of 1 x 64

    @BeforeAll
    static void trainVae() throws IOException {
        images = Files.createDirectories(shared.resolve("images"));
        writeImages(images);
        minusOne = Files.createDirectories(shared.resolve("minus-one"));
        writeImages(minusOne);
        Npy.writeI64(minusOne.resolve("train-labels.npy"), N, i -> -1);
        Npy.writeI64(minusOne.resolve("test-labels.npy"), N / 2, i -> -1);
        vae = shared.resolve("vae.safetensors");
        training = Cli.run(train(images, "vae", vae));
        assertEquals(0, training.exitCode(), training.err());
        assertTrue(training.err().contains("0 classes, 0 labelled"), training.err());
    }

    /** Images only: train-images.npy and test-images.npy (float rows), no labels file, no classes.txt. */
    private static void writeImages(Path d) throws IOException {
        for (String split : List.of("train", "test")) {
            int n = split.equals("train") ? N : N / 2;
            Npy.writeF32(d.resolve(split + "-images.npy"), pixels(n), n, D);
        }
    }

    /** n images of D values in [0, 1], each row unlike the others. */
    private static float[] pixels(int n) {
        float[] pixels = new float[n * D];
        for (int i = 0; i < pixels.length; i++) pixels[i] = ((i * 31 + i / D * 7) % 11) / 10f;
        return pixels;
    }

    private static Object[] train(Path data, String model, Path out) {
        return new Object[]{"train", "--model", model, "--data", data, "--epochs", 1, "--batch", 16, "--hidden", "16,8",
                "--no-progress", "--out", out};
    }

    private static Object[] with(Object[] a, Object... b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray();
    }

    @Test
    void theModelFileRecordsNoClassesAndRoundTrips() {
        try (LoadedModel m = ModelFile.load(vae)) {
            assertEquals(0, m.model().config().numClasses());
            assertTrue(m.model().config().classless());
            assertEquals(List.of(), m.classNames());
            assertEquals(0, ((Number) m.training().get("labelled_examples")).intValue());
        }
        Path bf16 = dir.resolve("bf16.safetensors");
        Cli.Result r = Cli.run("export", "--model", vae, "--dtype", "bf16", "--out", bf16);
        assertEquals(0, r.exitCode(), r.err());
        try (LoadedModel m = ModelFile.load(bf16)) {
            assertEquals(List.of(), m.classNames());
        }
    }

    /**
     * A vae's epoch line names its terms as evaluate's table does (rec, kl); it printed an nvae's kl_c, ce and kl_y, all
     * 0. The JSON line keeps every key, as evaluate --json does for a vae.
     */
    @Test
    void theEpochLineNamesOnlyAVaesTerms() throws IOException {
        String done = training.err().lines().filter(l -> l.contains(" done in ")).findFirst().orElseThrow();
        assertTrue(done.matches("epoch 1/1 done in [0-9.]+ s  loss -?[0-9.]+ \\(rec -?[0-9.]+ kl [0-9.]+\\)  [0-9]+ ex/s"), done);
        JsonNode epoch = new ObjectMapper().readTree(training.out());
        for (String key : List.of("epoch", "loss", "rec", "kl_s", "kl_c", "ce", "accuracy", "examples_per_s")) {
            assertTrue(epoch.has(key), key + " in " + epoch);
        }
    }

    @Test
    void labelsAllMinusOneAndABetaVaeTrainToo() throws IOException {
        Path m = dir.resolve("m.safetensors");
        Cli.Result r = Cli.run(train(minusOne, "vae", m));
        assertEquals(0, r.exitCode(), r.err());
        Cli.Result b = Cli.run(train(images, "beta-vae", dir.resolve("b.safetensors")));
        assertEquals(0, b.exitCode(), b.err());
        try (LoadedModel loaded = ModelFile.load(dir.resolve("b.safetensors"))) {
            assertEquals(0, loaded.model().config().numClasses());
        }
        JsonNode e = json(Cli.run("evaluate", "--model", m, "--data", minusOne, "--json"));
        assertEquals(N / 2, e.get("unlabelled").asInt());
    }

    @Test
    void aCvaeAndAnNvaeStillRefuseDataWithoutLabels() throws IOException {
        String cvae = fails(Cli.run(train(images, "cvae", out("c.safetensors"))), "none of the " + N + " training examples",
                "a cvae needs one for every example");
        assertTrue(cvae.contains("a vae or beta-vae trains without labels"), cvae);
        fails(Cli.run(train(minusOne, "cvae", out("c.safetensors"))), "a cvae needs one for every example");
        String nvae = fails(Cli.run(train(images, "nvae", out("n.safetensors"))), "names no class", "--labels none trains an nvae");
        assertTrue(nvae.contains("a vae or beta-vae needs none"), nvae);
        ModelException api = assertThrows(ModelException.class, () -> Training.on(images).family("cvae").epochs(1)
                .backend(ComputeBackend.VECTOR).threads(1).run(dir.resolve("api-cvae.safetensors")));
        assertTrue(api.getMessage().startsWith("data: none of the " + N + " training examples") && api.getMessage().contains("a cvae needs one"),
                api.getMessage());
    }

    /**
     * IDX images without their labels file train a vae as NPY ones do, with the same warning; a cvae and a supervised
     * nvae refuse them alike.
     * They were refused: "train-labels-idx1-ubyte (or .gz) not found".
     */
    @Test
    void idxImagesWithoutALabelsFileTrainAVae() throws IOException {
        Path idx = Files.createDirectories(dir.resolve("idx"));
        for (String prefix : List.of("train", "t10k")) {
            int n = prefix.equals("train") ? N : N / 2;
            IdxWriter.writeImages(idx.resolve(prefix + "-images-idx3-ubyte"), pixels(n), n, 8, 8); // D = 64 = 8 x 8
        }
        Path m = dir.resolve("idx.safetensors");
        Cli.Result r = Cli.run(train(idx, "vae", m));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("warning: --data " + idx + ": no train-labels-idx1-ubyte beside train-images-idx3-ubyte: "
                + "its images have no label"), r.err());
        assertTrue(r.err().contains("0 classes, 0 labelled"), r.err());
        assertEquals(N / 2, json(Cli.run("evaluate", "--model", m, "--data", idx, "--json")).get("unlabelled").asInt());
        fails(Cli.run(train(idx, "cvae", out("c.safetensors"))), "none of the " + N + " training examples", "a cvae needs one for every example");
        fails(Cli.run(train(idx, "nvae", out("n.safetensors"))), "names no class", "--labels none trains an nvae");
    }

    /**
     * --labels none is an nvae's alone: a vae given it on images without labels was told to give --clusters K, and
     * then, given that, that --labels none applies to an nvae only; a cvae given it was told its examples have no label.
     */
    @Test
    void labelsNoneIsRefusedForABaselineBeforeTheDataIsRead() throws IOException {
        for (String family : List.of("vae", "beta-vae")) {
            String line = fails(Cli.run(with(train(images, family, out("v.safetensors")), "--labels", "none")),
                    "--labels none applies to --model nvae only (a " + family + " reads no label anyway; cluster its latents with 'nvae cluster')");
            assertFalse(line.contains("--clusters"), line);
        }
        Path labelled = Files.createDirectories(dir.resolve("labelled"));
        writeImages(labelled);
        Npy.writeI64(labelled.resolve("train-labels.npy"), N, i -> (int) (i % 2));
        fails(Cli.run(with(train(labelled, "cvae", out("c.safetensors")), "--labels", "none")),
                "--labels none applies to --model nvae only (a cvae encodes and decodes with every example's label)");
    }

    @Test
    void theTrainingApiTrainsAVaeWithoutLabels() {
        Path out = dir.resolve("api.safetensors");
        Training.on(images).family("vae").epochs(1).batchSize(16).backend(ComputeBackend.VECTOR).threads(1).run(out);
        try (LoadedModel m = ModelFile.load(out)) {
            assertEquals(0, m.model().config().numClasses());
        }
    }

    @Test
    void evaluateEncodeReconstructAndFactorsWork() throws IOException {
        JsonNode e = json(Cli.run("evaluate", "--model", vae, "--data", images, "--json"));
        assertEquals(N / 2, e.get("examples").asInt());
        assertTrue(e.get("neg_elbo").asDouble() > 0, e.toString());
        assertEquals(0, e.get("classes").size());
        // The aggregate posterior is drawn from examples without a label too (it measured 0 samples).
        assertEquals(N / 2, e.get("aggregate_posterior").get(0).get("prior_divergence").get("samples").asInt(), e.toString());
        // iwae_nll of a vae estimates −log p(x): it needs no label.
        JsonNode iw = json(Cli.run("evaluate", "--model", vae, "--data", images, "--iw", 5, "--json"));
        assertTrue(iw.get("iwae_nll").asDouble() > 0, iw.toString());
        JsonNode train = json(Cli.run("evaluate", "--model", vae, "--data", images, "--split", "train", "--json"));
        assertEquals(N, train.get("examples").asInt());
        // Labelled data too: a vae of no classes reads none of its labels.
        Path labelled = Files.createDirectories(dir.resolve("labelled"));
        writeImages(labelled);
        Npy.writeI64(labelled.resolve("train-labels.npy"), N, i -> (int) (i % 3));
        Npy.writeI64(labelled.resolve("test-labels.npy"), N / 2, i -> (int) (i % 3));
        assertEquals(N / 2, json(Cli.run("evaluate", "--model", vae, "--data", labelled, "--json")).get("examples").asInt());
        assertEquals(0, Cli.run("factors", "--model", vae, "--data", labelled).exitCode());
        Cli.Result scored = Cli.run("cluster", "--model", vae, "--data", labelled, "--restarts", 1);
        assertEquals(0, scored.exitCode(), scored.err());
        assertTrue(scored.out().contains("nmi"), scored.out());

        Cli.Result enc = Cli.run("encode", "--model", vae, "--data", images, "--out", dir.resolve("e.csv"));
        assertEquals(0, enc.exitCode(), enc.err());
        assertTrue(Files.readAllLines(dir.resolve("e.csv")).get(1).startsWith("-1"), "no label");
        assertEquals(0, Cli.run("reconstruct", "--model", vae, "--data", images, "--n", 4, "--out", dir.resolve("r.png")).exitCode());
        Cli.Result f = Cli.run("factors", "--model", vae, "--data", images);
        assertEquals(0, f.exitCode(), f.err());
        Cli.Result k = Cli.run("cluster", "--model", vae, "--data", images, "--clusters", 2, "--restarts", 1);
        assertEquals(0, k.exitCode(), k.err());
        assertTrue(k.out().contains("no example has a label to score the clusters against; their sizes:"), k.out());
    }

    @Test
    void sampleAndTraverseDrawUnlabelledImages() throws IOException {
        for (String format : List.of("png", "grid", "npy")) {
            Path out = dir.resolve(format + (format.equals("npy") ? ".npy" : ".png"));
            Cli.Result r = Cli.run("sample", "--model", vae, "--n", 5, "--format", format, "--out", out);
            assertEquals(0, r.exitCode(), format + ": " + r.err());
        }
        Cli.Result all = Cli.run("sample", "--model", vae, "--n", 3, "--class", "all", "--format", "grid", "--sigma-grid", "0.5,1",
                "--out", dir.resolve("sg.png"));
        assertEquals(0, all.exitCode(), all.err());
        for (Object[] t : List.of(new Object[]{"--shared-dim", "all"}, new Object[]{"--shared-dim", 2}, new Object[]{"--z-dim", 2},
                new Object[]{"--shared-dim", 2, "--from-example", 3, "--data", images})) {
            Cli.Result r = Cli.run(with(with(new Object[]{"traverse", "--model", vae, "--out", dir.resolve("t.png")}), t));
            assertEquals(0, r.exitCode(), r.err());
        }
    }

    @Test
    void reportLeavesOutSampleQualityAndSaysWhy() throws IOException {
        Path out = dir.resolve("report");
        Cli.Result r = Cli.run("report", "--model", vae, "--data", images, "--out", out);
        assertEquals(0, r.exitCode(), r.err());
        String why = "none of the " + N + " training examples of " + images + " has a label, and " + QualityCommand.JUDGE_LABELS;
        assertTrue(r.err().contains("sample quality left out: " + why), r.err());
        JsonNode json = new ObjectMapper().readTree(out.resolve(ReportPage.JSON).toFile());
        assertEquals(why, json.get("quality_left_out").asText());
        assertTrue(json.get("evaluation").get("iwae_nll").asDouble() > 0, "a vae's iwae_nll needs no label: " + json.get("evaluation"));
        assertFalse(Files.exists(out.resolve(ReportPage.QUALITY)));
        String html = Files.readString(out.resolve(ReportPage.HTML));
        assertTrue(html.contains("Left out: none of the " + N + " training examples"));
        // The config table names no classes as such, not as "0: " and an empty list.
        assertTrue(html.contains("<tr><th>classes</th><td>none (trained on images without labels)</td>"), html.substring(0, 3000));
        assertTrue(Files.exists(out.resolve(ReportPage.samples(1.0))) && Files.exists(out.resolve(ReportPage.traversal(-1, false))));
    }

    @Test
    void whatNeedsClassesOrLabelsIsRefusedInOneLine() throws IOException {
        fails(Cli.run("sample", "--model", vae, "--n", 2, "--class", 0, "--format", "png", "--out", out("s.png")),
                "--class: a vae is not conditioned on a class; its samples have no label");
        fails(Cli.run("sample", "--model", vae, "--n", 2, "--format", "idx", "--out", out("s")),
                "--format idx: a vae's samples have no labels; use npy, png or grid");
        fails(Cli.run("traverse", "--model", vae, "--class", 0, "--out", out("t.png")),
                "--class: a vae is not conditioned on a class; use --z-dim J or --z-dim all");
        // --z-dim, a vae's word for its one latent (another name of --shared-dim), and its refusals say z.
        fails(Cli.run("traverse", "--model", vae, "--z-dim", 99, "--out", out("t.png")), "--z-dim 99 is out of range: the latent z has dimensions 0..");
        fails(Cli.run("cluster", "--model", vae, "--data", images), "no example has a label to count classes from", "give --clusters K");
        fails(Cli.run("augment", "--model", vae, "--data", images), "--model: a vae cannot generate labelled examples");
        fails(Cli.run("quality", "--model", vae, "--data", images), "none of the " + N + " training examples has a label", "the judge");
        fails(Cli.run("disentangle", "--model", vae, "--data", images), "no known factors");
    }

    @Test
    void theJavaApiSamplesEncodesAndScores() {
        try (NvaeModel m = NvaeModel.open(vae, ModelOptions.defaults().withBackend(ComputeBackend.VECTOR).withThreads(1))) {
            assertEquals(List.of(), m.info().classNames());
            float[] drawn = m.sample(SampleRequest.of(0, 3));
            assertEquals(3 * D, drawn.length);
            Images x = Images.ofFloats(drawn, 3, 1, D);
            Encodings e = m.encode(x);
            assertEquals(3, e.count());
            InvalidRequestException labelled = assertThrows(InvalidRequestException.class, () -> m.encode(x.withLabels(0, 0, 0)));
            assertTrue(labelled.getMessage().endsWith("this vae was trained without labels and has no classes; give its images no labels"),
                    labelled.getMessage());
            Scores s = m.score(x, 0, 0);
            assertTrue(s.negElbo() > 0, s.toString());
            assertTrue(m.score(x, 5, 0).iwaeNll() > 0, "a vae's iwae_nll needs no label");
            assertEquals(3 * D, m.reconstruct(x).length);
        }
    }

    /** A class named to a vae of no classes (serve's ?class=, the API's classIndex) says it has none, not "one of  or 0..-1". */
    @Test
    void aClassNamedToItSaysItHasNone() {
        try (NvaeModel m = NvaeModel.open(vae, ModelOptions.defaults().withBackend(ComputeBackend.VECTOR).withThreads(1))) {
            for (String name : List.of("0", "cat")) {
                InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> m.classIndex(name));
                assertEquals("class", e.field());
                assertEquals("class: this vae was trained without labels and has no classes", e.getMessage());
                assertFalse(e.getMessage().contains("0..-1"), e.getMessage());
            }
        }
    }

    /**
     * Resumed on the same images given labels (or a labelled run on them without), the data differs, and the
     * refusal says how: labels on one side and none on the other, not an empty list of names and a classes.txt.
     */
    @Test
    void aResumeOnTheImagesWithLabelsSaysTheyDifferInLabels() throws IOException {
        Path labelled = Files.createDirectories(dir.resolve("labelled"));
        writeImages(labelled);
        Npy.writeI64(labelled.resolve("train-labels.npy"), N, i -> (int) (i % 2));
        Npy.writeI64(labelled.resolve("test-labels.npy"), N / 2, i -> (int) (i % 2));
        Path ck = dir.resolve("ck"), ckLabelled = dir.resolve("ck-labelled");
        for (Object[] run : List.of(with(train(images, "vae", dir.resolve("a.safetensors")), "--checkpoint-dir", ck),
                with(train(labelled, "vae", dir.resolve("b.safetensors")), "--checkpoint-dir", ckLabelled))) {
            Cli.Result r = Cli.run(run);
            assertEquals(0, r.exitCode(), r.err());
        }
        String line = fails(Cli.run("train", "--resume", ck, "--data", labelled, "--epochs", 2, "--out", out("c.safetensors")),
                "holds other examples than the run in " + ck, "the run trained on examples without labels (a model of no classes), and these "
                        + "have labels of classes 0, 1");
        assertFalse(line.contains("classes.txt"), line);
        line = fails(Cli.run("train", "--resume", ckLabelled, "--data", images, "--epochs", 2, "--out", out("c.safetensors")),
                "holds other examples than the run in " + ckLabelled, "the run trained on labels of classes 0, 1, and these examples have none");
        assertFalse(line.contains("classes.txt"), line);
    }

    private static JsonNode json(Cli.Result r) throws IOException {
        assertEquals(0, r.exitCode(), r.err());
        return new ObjectMapper().readTree(r.out());
    }

    /**
     * Exit code 1, the reason in one line (after, for data without a labels file, the warning that says so), nothing
     * written to out/; the line, for more checks.
     */
    private String fails(Cli.Result r, String... mentions) throws IOException {
        assertEquals(ErrorHandler.ERROR, r.exitCode(), r.err());
        List<String> lines = r.errLines().stream().filter(l -> !l.startsWith("warning: ") || !l.contains("its images have no label")).toList();
        assertEquals(1, lines.size(), "one line: " + r.err());
        String line = lines.getFirst();
        for (String m : mentions) assertTrue(line.contains(m), "'" + m + "' in: " + line);
        Path out = dir.resolve("out");
        if (Files.exists(out)) {
            try (Stream<Path> files = Files.list(out)) {
                assertEquals(List.of(), files.toList());
            }
        }
        return line;
    }

    private Path out(String name) throws IOException {
        return Files.createDirectories(dir.resolve("out")).resolve(name);
    }
}
