package dev.nvae.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Few labels or none, from the command line (docs/MODEL.md#6 and #7): semi-supervised and label-free
 * training, what evaluate, cluster and the analyses report or refuse for such models, and bad input —
 * one line, exit code 1, nothing written.
 */
class UnlabelledCliTest {
    @TempDir
    static Path shared;
    static Path semi, free, vae;

    @TempDir
    Path dir;

    /** Tiny networks and one short epoch: what is checked is the plumbing, not the quality. */
    private static final Object[] SMALL = {"--hidden", "32,16", "--batch", "32"};

    @BeforeAll
    static void trainModels() {
        semi = shared.resolve("semi.safetensors");
        Cli.Result r = Cli.trainSmall(semi, concat(SMALL, "--labels-per-class", 5));
        assertEquals(0, r.exitCode(), r.err());
        assertStatusLines(r, true);
        free = shared.resolve("free.safetensors");
        r = Cli.trainSmall(free, concat(SMALL, "--labels", "none", "--clusters", 4));
        assertEquals(0, r.exitCode(), r.err());
        assertStatusLines(r, false);
        vae = shared.resolve("vae.safetensors");
        r = Cli.trainSmall(vae, concat(SMALL, "--model", "vae"));
        assertEquals(0, r.exitCode(), r.err());
        assertFalse(r.err().contains("NaN") || r.err().contains(" acc ") || r.err().contains("kl_y"), "a VAE classifies nothing: " + r.err());
    }

    /**
     * The epoch lines name the unlabelled examples' kl_y, and an accuracy and ce only where examples were classified: a
     * label-free run's lines showed "ce 0.000", a sum over labelled examples that it has none of. Its JSON lines keep ce.
     */
    private static void assertStatusLines(Cli.Result r, boolean someLabelled) {
        assertTrue(r.err().contains("done in") && r.err().contains(" kl_y ") && r.err().contains(" kl_c "), r.err());
        assertEquals(someLabelled, r.err().contains(" acc "), r.err());
        assertEquals(someLabelled, r.err().contains(" ce "), r.err());
        assertTrue(!r.out().isBlank() && r.out().lines().allMatch(line -> line.contains("\"ce\":")), r.out());
        assertFalse(r.err().contains("NaN"), r.err());
    }

    private static Object[] concat(Object[] a, Object... b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray();
    }

    private static JsonNode json(Cli.Result r) throws IOException {
        assertEquals(0, r.exitCode(), r.err());
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void semiSupervisedModelReportsAccuracyAndRemembersItsLabels() throws IOException {
        JsonNode e = json(Cli.run("evaluate", "--model", semi, "--data", "testdata", "--json"));
        assertTrue(e.get("accuracy").asDouble() > 0, e.toString());
        assertFalse(e.has("clustering"));
        try (LoadedModel m = ModelFile.load(semi)) {
            assertEquals(50, ((Number) m.training().get("labelled_examples")).intValue(), "5 labels of each of 10 classes");
            assertFalse(m.model().config().labelFree());
        }
    }

    @Test
    void labelFreeModelReportsClustersAndTheBoundOverThem() throws IOException {
        JsonNode e = json(Cli.run("evaluate", "--model", free, "--data", "testdata", "--json"));
        assertTrue(e.get("accuracy").isNull(), "no classifier accuracy for clusters: " + e.get("accuracy"));
        JsonNode c = e.get("clustering");
        assertEquals(4, c.get("cluster_sizes").size());
        double sum = 0;
        for (JsonNode s : c.get("cluster_sizes")) sum += s.asDouble();
        assertEquals(1, sum, 1e-9);
        assertTrue(c.get("accuracy").asDouble() >= 0.1 && c.get("nmi").asDouble() >= 0, c.toString());
        assertEquals(1000, e.get("unlabelled").asInt(), "every example is scored with the bound over clusters");
        assertTrue(e.get("kl_y").asDouble() >= 0);
        assertEquals("cluster 0", e.get("classes").get(0).asText());
    }

    /** A data directory of one image (an arbitrary pattern of grey levels) in each of {@code splits}. */
    private Path oneImage(String... splits) throws IOException {
        Path one = Files.createDirectories(dir.resolve("one"));
        float[] pixels = new float[784];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (i * 37 % 101) / 100f;
        for (String split : splits) Npy.writeF32(one.resolve(split + "-images.npy"), pixels, 1, 784);
        return one;
    }

    /**
     * One labelled example is one partition, matched exactly: ARI 1, as NMI's 1 (found by an audit); its pair count 0
     * made ARI 0/0, 'ari NaN' in the table and null in the JSON.
     */
    @Test
    void clustersOfASingleLabelledExampleAgreeWithItsClassByEveryMeasure() throws IOException {
        Path one = oneImage("test");
        Npy.writeI64(one.resolve("test-labels.npy"), new int[] {3});
        Cli.Result table = Cli.run("evaluate", "--model", free, "--data", one);
        assertEquals(0, table.exitCode(), table.err());
        assertFalse(table.out().contains("NaN"), table.out());
        JsonNode c = json(Cli.run("evaluate", "--model", free, "--data", one, "--json")).get("clustering");
        assertEquals(1.0, c.get("ari").asDouble(), c.toString());
        assertEquals(1.0, c.get("nmi").asDouble(), c.toString());
    }

    /**
     * A count of one reads in the singular (found by an audit): training on one image said '(1 images 1x784, ...' and
     * evaluate and factors '1 examples'.
     */
    @Test
    void aCountOfOneReadsInTheSingular() throws IOException {
        Path one = oneImage("train", "test");
        Path model = out("one.safetensors");
        Cli.Result train = Cli.run("train", "--data", one, "--model", "vae", "--epochs", 1, "--hidden", "8,8", "--out", model);
        assertEquals(0, train.exitCode(), train.err());
        assertTrue(train.err().contains(":train (1 image 1x784, 0 classes, 0 labelled)"), train.err());
        Cli.Result evaluate = Cli.run("evaluate", "--model", model, "--data", one);
        assertEquals(0, evaluate.exitCode(), evaluate.err());
        assertTrue(evaluate.out().startsWith(one + ", test split, 1 example (nats per example)"), evaluate.out());
        Cli.Result factors = Cli.run("factors", "--model", model, "--data", one);
        assertEquals(0, factors.exitCode(), factors.err());
        assertTrue(factors.out().contains(", 1 example: KL per latent dimension"), factors.out());
    }

    /** --labels none has its own defaults (docs/MODEL.md#7); the file records them, and flags still win. */
    @Test
    void labelFreeDefaultsAreRecordedAndFlagsOverrideThem() throws IOException {
        try (LoadedModel m = ModelFile.load(free)) {
            var c = m.model().config();
            assertEquals(List.of(1, 4, -0.5, 5.0), List.of(c.ds(), c.dc(), c.yKl(), c.balance()), c.toString());
        }
        Path own = out("own.safetensors");
        Cli.Result r = Cli.trainSmall(own, concat(SMALL, "--labels", "none", "--clusters", 3, "--ds", 2, "--dc", 3,
                "--y-kl", -1, "--balance", 2));
        assertEquals(0, r.exitCode(), r.err());
        try (LoadedModel m = ModelFile.load(own)) {
            var c = m.model().config();
            assertEquals(List.of(2, 3, -1.0, 2.0), List.of(c.ds(), c.dc(), c.yKl(), c.balance()), c.toString());
        }
        try (LoadedModel m = ModelFile.load(semi)) {
            var c = m.model().config();
            assertEquals(List.of(8, 4, 1.0, 0.0), List.of(c.ds(), c.dc(), c.yKl(), c.balance()), "with labels: " + c);
        }
    }

    @Test
    void kMeansBaselineGivesTheSameFigures() throws IOException {
        JsonNode c = json(Cli.run("cluster", "--model", vae, "--data", "testdata", "--restarts", 2, "--json")).get("clustering");
        assertEquals(10, c.get("cluster_sizes").size(), "default: as many clusters as classes");
        assertTrue(c.get("accuracy").asDouble() > 0.1, c.toString());
        assertTrue(c.has("nmi") && c.has("ari") && c.has("matched_class"));
    }

    @Test
    void clustersAreSampledAndTraversedLikeClasses() throws IOException {
        Path grid = dir.resolve("g.png"), one = dir.resolve("c.npy"), trav = dir.resolve("t.png");
        assertEquals(0, Cli.run("sample", "--model", free, "--n", 2, "--format", "grid", "--out", grid).exitCode());
        assertTrue(Files.size(grid) > 0);
        assertEquals(0, Cli.run("sample", "--model", free, "--n", 3, "--class", "cluster 2", "--format", "npy", "--out", one).exitCode());
        assertEquals(0, Cli.run("traverse", "--model", free, "--class", "cluster 1", "--out", trav).exitCode());
        assertEquals(0, Cli.run("traverse", "--model", free, "--shared-dim", 0, "--out", dir.resolve("s.png")).exitCode());
        // Each cluster's class in a field of its own, as evaluate --json has it; the table names it beside the cluster.
        JsonNode f = json(Cli.run("factors", "--model", free, "--data", "testdata", "--json"));
        JsonNode first = f.get("classes").get(0);
        assertEquals("cluster 0", first.get("class").asText(), f.toString());
        assertTrue(first.get("matched_class").isTextual() && !first.get("matched_class").asText().isEmpty(), f.toString());
        Cli.Result table = Cli.run("factors", "--model", free, "--data", "testdata");
        assertTrue(table.out().contains("cluster 0 = " + first.get("matched_class").asText()), table.out());
    }

    // ---- refusals and bad input: one line, exit code 1, nothing written ----

    private String fails(Cli.Result r, String... mentions) throws IOException {
        assertEquals(ErrorHandler.ERROR, r.exitCode(), r.err());
        assertEquals(1, r.errLines().size(), "one line: " + r.err());
        String line = r.errLines().getFirst();
        assertFalse(line.contains("Exception"), line);
        for (String m : mentions) assertTrue(line.contains(m), "'" + m + "' in: " + line);
        Path out = dir.resolve("out");
        if (Files.exists(out)) {
            try (Stream<Path> files = Files.list(out)) {
                assertEquals(List.of(), files.toList(), "nothing written");
            }
        }
        return line;
    }

    private Path out(String name) throws IOException {
        return Files.createDirectories(dir.resolve("out")).resolve(name);
    }

    @Test
    void analysesRefuseWhatALabelFreeModelCannotDo() throws IOException {
        fails(Cli.run("augment", "--model", free, "--data", "testdata", "--limit", 100), "label-free", "clusters");
        // evaluate said '--iw: ' where report said '--iw 5: ': both now name the flag with the value given, as other refusals do.
        fails(Cli.run("evaluate", "--model", free, "--data", "testdata", "--iw", 5), "--iw 5: " + dev.nvae.analysis.Evaluator.IWAE_LABEL_FREE
                + "; leave --iw out");
        fails(Cli.run("report", "--model", free, "--data", "testdata", "--iw", 5, "--out", out("r")),
                "--iw 5: " + dev.nvae.analysis.Evaluator.IWAE_LABEL_FREE + "; leave --iw out");
        fails(Cli.run("disentangle", "--model", free, "--data", "testdata"), "label-free", "factors");
        // It told the owner of a label-free model to 'train --labels none, then evaluate', the training it had done.
        String line = fails(Cli.run("cluster", "--model", free, "--data", "testdata"), "vae", "and this is a label-free nvae",
                "evaluate it");
        assertFalse(line.contains("train --labels none"), line);
        fails(Cli.run("cluster", "--model", semi, "--data", "testdata"), "and this is an nvae (an nvae finds", "train --labels none");
    }

    /** traverse's refusals spoke of classes to a label-free model: "the class to decode as", "is of class cluster 3". */
    @Test
    void traverseRefusalsNameClustersNotClasses() throws IOException {
        String all = fails(Cli.run("traverse", "--model", free, "--shared-dim", "all", "--out", out("t.png")));
        assertEquals("nvae: --shared-dim all: give --class K, the cluster to decode as, or --class all for each in turn", all);
        // Example 0 is in one cluster; the traversal of each other cluster is refused, naming the one it is in.
        List<String> lines = new java.util.ArrayList<>();
        for (int k = 0; k < 4; k++) {
            Cli.Result r = Cli.run("traverse", "--model", free, "--data", "testdata", "--from-example", 0, "--class", k,
                    "--out", dir.resolve(k + ".png"));
            if (r.exitCode() != 0) lines.add(fails(r, "--from-example 0 is put in cluster ", ", not cluster " + k));
        }
        assertEquals(3, lines.size(), lines.toString());
        for (String line : lines) assertFalse(line.contains("class"), line);
    }

    /** evaluate's table said "a class factor stands out" over a label-free model's cluster blocks, and a VAE's z. */
    @Test
    void evaluateTableNamesTheBlocksTheModelHas() {
        Cli.Result f = Cli.run("evaluate", "--model", free, "--data", "testdata", "--prior-samples", 0);
        assertEquals(0, f.exitCode(), f.err());
        assertTrue(f.out().contains("KL per latent dimension (a cluster's factor stands out;"), f.out());
        Cli.Result v = Cli.run("evaluate", "--model", vae, "--data", "testdata", "--prior-samples", 0);
        assertEquals(0, v.exitCode(), v.err());
        assertTrue(v.out().contains("KL per latent dimension (a factor stands out;"), v.out());
    }

    /** The factor heatmaps of factors --heatmap and report captioned a label-free model's rows "each class's own block". */
    @Test
    void factorHeatmapCaptionNamesClusters() {
        try (LoadedModel f = ModelFile.load(free); LoadedModel s = ModelFile.load(semi); LoadedModel v = ModelFile.load(vae)) {
            assertEquals("Rows: the shared block, then each cluster's own block over the examples put in it.",
                    FactorsCommand.heatmapRows(f.model().config()));
            assertEquals("Rows: the shared block, then each class's own block over its examples.", FactorsCommand.heatmapRows(s.model().config()));
            assertEquals("One latent block, z.", FactorsCommand.heatmapRows(v.model().config()));
        }
    }

    @Test
    void clusterFlagsAreChecked() throws IOException {
        fails(Cli.trainSmall(out("m.safetensors"), "--labels", "none", "--clusters", 1), "--clusters 1", "at least 2");
        fails(Cli.trainSmall(out("m.safetensors"), "--labels", "none", "--y-kl", -1.5), "--y-kl -1.5", ">= -1");
        fails(Cli.trainSmall(out("m.safetensors"), "--clusters", 3), "--clusters applies to --labels none");
        fails(Cli.trainSmall(out("m.safetensors"), "--labels", "some"), "--labels some", "given or none");
        fails(Cli.trainSmall(out("m.safetensors"), "--labels", "none", "--model", "vae"), "--labels none", "nvae");
        fails(Cli.trainSmall(out("m.safetensors"), "--labels", "none", "--labels-per-class", 3), "--labels-per-class");
        fails(Cli.trainSmall(out("m.safetensors"), "--labels-fraction", 1.5), "--labels-fraction 1.5");
        fails(Cli.trainSmall(out("m.safetensors"), "--labelled-share", 0.5), "--labelled-share", "every label");
        fails(Cli.trainSmall(out("m.safetensors"), "--model", "cvae", "--labels-per-class", 5), "--labels-per-class 5: leaves ", "without a label, and a cvae needs a label");
    }

    /**
     * K is a number of classes, whose labels are bytes, and no more than the examples (as the cluster command has it).
     * With --limit the refusal said 'the 100 examples of testdata:train', a split that holds more; it names the first
     * --limit N, as the --labels-per-class refusal does.
     */
    @Test
    void clustersAreBoundedByBytesAndByTheExamples() throws IOException {
        fails(Cli.trainSmall(out("m.safetensors"), "--labels", "none", "--clusters", 257), "--clusters 257", "at most 256");
        fails(Cli.trainSmall(out("m.safetensors"), "--labels", "none", "--clusters", 100_000_000), "--clusters 100000000", "at most 256");
        fails(Cli.run("train", "--data", "testdata", "--limit", 100, "--labels", "none", "--clusters", 200, "--epochs", 1,
                "--out", out("m.safetensors")), "--clusters 200", "more clusters than the 100 examples in the first --limit 100 of testdata:train");
        fails(Cli.run("train", "--data", "testdata", "--limit", 5, "--labels", "none", "--epochs", 1, "--out", out("m.safetensors")),
                "the data's 10 classes (the default --clusters)", "the 5 examples in the first --limit 5 of testdata:train");
    }

    /**
     * A flag that weighs or selects nothing for this run is refused, not written into the model's config: --alpha
     * without a label, --y-kl and --balance where every example has one, label selection for a model that reads none.
     */
    @Test
    void flagsThatWouldDoNothingAreRefused() throws IOException {
        fails(Cli.trainSmall(out("m.safetensors"), "--labels", "none", "--alpha", 5), "--alpha", "--labels none has none");
        fails(Cli.trainSmall(out("m.safetensors"), "--y-kl", 0.3, "--balance", 4), "--y-kl", "unlabelled examples", "all 300", "have a label");
        fails(Cli.trainSmall(out("m.safetensors"), "--balance", 4), "--balance", "all 300", "have a label");
        fails(Cli.trainSmall(out("m.safetensors"), "--labels-per-class", 20, "--drop-unlabelled", "--y-kl", 0.3), "--y-kl", "all 200");
        fails(Cli.trainSmall(out("m.safetensors"), "--model", "vae", "--labels-per-class", 10), "--labels-per-class", "nvae only", "reads no label");
        fails(Cli.trainSmall(out("m.safetensors"), "--model", "beta-vae", "--labels-fraction", 0.5), "--labels-fraction", "nvae only");
        // --drop-unlabelled where every example has a label trained as without it, yet recorded as another run
        fails(Cli.trainSmall(out("m.safetensors"), "--drop-unlabelled"), "--drop-unlabelled: all 300 training examples", "drops none");
        fails(Cli.trainSmall(out("m.safetensors"), "--labels-fraction", 1, "--drop-unlabelled"), "--drop-unlabelled: all 300");
        fails(Cli.trainSmall(out("m.safetensors"), "--model", "cvae", "--drop-unlabelled"), "--drop-unlabelled", "drops none");
    }

    /**
     * A share that rounds to no labelled (or no unlabelled) example of a batch was refused by the trainer after
     * `training nvae/mlp on ...` was printed: two lines. Now in one, before the run is announced.
     */
    @Test
    void aShareThatLeavesAKindOutOfTheBatchIsRefusedInOneLine() throws IOException {
        fails(Cli.trainSmall(out("m.safetensors"), "--labels-per-class", 3, "--labelled-share", 0.001),
                "--labelled-share 0.001 of --batch 128 leaves no labelled example");
        fails(Cli.trainSmall(out("m.safetensors"), "--labels-per-class", 3, "--labelled-share", 0.999, "--batch", 64),
                "--labelled-share 0.999 of --batch 64 leaves no unlabelled one");
        // Without --labelled-share the flag at fault is --batch: the refusal named a --labelled-share 0.5 never given.
        assertEquals("nvae: --batch 1 is too small for data with unlabelled examples: a batch mixes at least one labelled and one "
                + "unlabelled example (half and half by default, --labelled-share), so --batch 2 or more",
                fails(Cli.trainSmall(out("m.safetensors"), "--labels-per-class", 3, "--batch", 1)));
        fails(Cli.trainSmall(out("m.safetensors"), "--labels-per-class", 3, "--labelled-share", 0.5, "--batch", 1),
                "--labelled-share 0.5 of --batch 1 leaves no unlabelled one");
    }

    @Test
    void labelsPerClassLargerThanAClassHas() throws IOException {
        // testdata's first 300 examples hold 25 to 33 of each class
        // named as the first --limit of the split: the split itself has 282 or more of each class, not 'only 32'
        fails(Cli.trainSmall(out("m.safetensors"), "--labels-per-class", 40), "--labels-per-class 40",
                "has only 32 labelled examples in the first --limit 300 of testdata:train");
    }

    /** A dataset directory of 4×4 images: IDX images, and labels as given (255: no label). */
    private Path idxData(int images, int[] labels) throws IOException {
        Path data = Files.createDirectories(dir.resolve("idx"));
        IdxWriter.writeImages(data.resolve("train-images-idx3-ubyte"), new float[images * 16], images, 4, 4);
        IdxWriter.writeLabels(data.resolve("train-labels-idx1-ubyte"), labels);
        return data;
    }

    @Test
    void partialIdxLabelFileOfTheWrongLength() throws IOException {
        Path data = idxData(5, new int[]{0, 255, 1, 255});
        fails(Cli.run("train", "--data", data, "--out", out("m.safetensors")), "5 images", "4 labels", "255 for an image without one");
    }

    @Test
    void labelsOutOfRange() throws IOException {
        Path data = idxData(4, new int[]{0, 255, 1, 2});
        Files.writeString(data.resolve("classes.txt"), "a\nb\n");
        fails(Cli.run("train", "--data", data, "--out", out("m.safetensors")), "classes.txt", "2");
        Path npy = Files.createDirectories(dir.resolve("npy"));
        Npy.writeF32(npy.resolve("train-images.npy"), new float[3 * 4], 3, 4);
        Npy.writeI64(npy.resolve("train-labels.npy"), new int[]{0, -1, -3});
        fails(Cli.run("train", "--data", npy, "--out", out("m.safetensors")), "train-labels.npy", "-3", "-1 for no label");
    }

    @Test
    void partialNpyLabelFileOfTheWrongLength() throws IOException {
        Path npy = Files.createDirectories(dir.resolve("npy"));
        Npy.writeF32(npy.resolve("train-images.npy"), new float[3 * 4], 3, 4);
        Npy.writeI64(npy.resolve("train-labels.npy"), new int[]{0, -1});
        fails(Cli.run("train", "--data", npy, "--out", out("m.safetensors")), "3 images", "2 labels");
    }

    /**
     * Data whose every label is -1 trains no supervised nvae, with or without a classes.txt naming classes (it
     * trained one with 0 labelled examples): the line says --labels none trains without labels. A vae trains on it,
     * and cluster asks for --clusters K rather than refusing the --clusters 0 it was not given.
     */
    @Test
    void dataWithNoLabelTrainsNoSupervisedModelAndNeedsAClusterCount() throws IOException {
        Path npy = Files.createDirectories(dir.resolve("npy"));
        int n = 20;
        float[] pixels = new float[n * 16];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (i % 7) / 6f;
        Npy.writeF32(npy.resolve("train-images.npy"), pixels, n, 16);
        Npy.writeI64(npy.resolve("train-labels.npy"), n, i -> -1);
        Object[] small = {"train", "--data", npy, "--epochs", 1, "--batch", 8, "--hidden", "8,8", "--no-progress"};
        String refused = fails(Cli.run(concat(small, "--out", out("m.safetensors"))), "none of the 20 training examples", "has a label",
                "--labels none trains");
        assertFalse(refused.contains("0 class;"), refused);
        fails(Cli.run(concat(small, "--model", "cvae", "--out", out("m.safetensors"))), "a cvae needs one for every example");
        Files.writeString(npy.resolve("classes.txt"), "a\nb\nc\n");
        fails(Cli.run(concat(small, "--out", out("m.safetensors"))), "none of the 20 training examples", "--labels none trains it");
        Cli.Result free = Cli.run(concat(small, "--labels", "none", "--clusters", 2, "--out", dir.resolve("free.safetensors")));
        assertEquals(0, free.exitCode(), free.err());
        Cli.Result vae = Cli.run(concat(small, "--model", "vae", "--out", dir.resolve("vae.safetensors")));
        assertEquals(0, vae.exitCode(), "a vae reads no label: " + vae.err());

        // cluster's default k is the data's number of classes, which data without labels (and classes.txt) does not give
        Files.delete(npy.resolve("classes.txt"));
        String line = fails(Cli.run("cluster", "--model", dir.resolve("vae.safetensors"), "--data", npy, "--split", "train"),
                "no example has a label to count classes from", "give --clusters K");
        assertFalse(line.contains("--clusters 0"), line);
        Cli.Result k = Cli.run("cluster", "--model", dir.resolve("vae.safetensors"), "--data", npy, "--split", "train", "--clusters", 2, "--restarts", 1);
        assertEquals(0, k.exitCode(), k.err());
        // No rows of NaN scores against no labels: the sizes alone.
        assertTrue(k.out().contains("no example has a label to score the clusters against; their sizes:"), k.out());
        assertFalse(k.out().contains("NaN"), k.out());
    }

    /**
     * An image folder's unlabelled/ is training data: under test/ its images belong to no split, and a command
     * reading the test split says so in one warning line (they were dropped without a word).
     */
    @Test
    void unlabelledTestImagesAreLeftOutWithAWarning() throws IOException {
        Path images = dir.resolve("images");
        for (String folder : List.of("train/a", "train/b", "test/a", "test/b", "test/unlabelled")) {
            Files.createDirectories(images.resolve(folder));
            for (int i = 0; i < 3; i++) {
                Files.write(images.resolve(folder + "/" + i + ".pgm"), ("P5 2 2 255\n" + (char) (i * 40) + (char) (i * 20) + (char) 90 + (char) 200)
                        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
        Path model = dir.resolve("m.safetensors");
        Cli.Result trained = Cli.run("train", "--data", images, "--epochs", 1, "--hidden", "8,8", "--no-progress", "--out", model);
        assertEquals(0, trained.exitCode(), trained.err());
        assertFalse(trained.err().contains("warning"), "the train split leaves nothing out: " + trained.err());
        Cli.Result r = Cli.run("evaluate", "--model", model, "--json");
        assertEquals(0, r.exitCode(), r.err());
        List<String> warnings = r.errLines().stream().filter(l -> l.startsWith("warning: ")).toList();
        assertEquals(1, warnings.size(), r.err());
        String w = warnings.getFirst();
        assertTrue(w.contains("the 3 images in " + images.resolve("test").resolve("unlabelled")) && w.contains("left out"), w);
        assertEquals(6, new ObjectMapper().readTree(r.out()).get("examples").asInt(), "the labelled test images: " + r.out());
    }

    /**
     * unlabelled/ beside train/ and test/ made no split layout: train/ and test/ were read as classes, and train refused the
     * folder ("DIR/test: class folder holds no .png or .pgm images but has sub-folders (a/, b/)"). The splits are read, with
     * unlabelled/'s images unlabelled training images: the model's classes are a and b, and evaluate scores test/ alone.
     */
    @Test
    void unlabelledBesideTrainAndTestTrainsOnTheRealClasses() throws IOException {
        Path images = dir.resolve("images");
        for (String folder : List.of("train/a", "train/b", "test/a", "test/b", "unlabelled")) {
            Files.createDirectories(images.resolve(folder));
            int n = folder.startsWith("test") ? 2 : folder.equals("unlabelled") ? 4 : 3;
            for (int i = 0; i < n; i++) {
                Files.write(images.resolve(folder + "/" + i + ".pgm"), ("P5 2 2 255\n" + (char) (i * 40) + (char) (i * 20) + (char) 90 + (char) 200)
                        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
        Path model = out("m.safetensors");
        Cli.Result trained = Cli.run("train", "--data", images, "--epochs", 1, "--hidden", "8,8", "--no-progress", "--out", model);
        assertEquals(0, trained.exitCode(), trained.err());
        assertTrue(trained.err().contains("(10 images 2x2, 2 classes, 6 labelled)"), trained.err());
        assertTrue(trained.err().contains(" kl_y "), "the unlabelled images take the bound over classes: " + trained.err());
        try (LoadedModel m = ModelFile.load(model)) {
            assertEquals(List.of("a", "b"), m.classNames());
            assertEquals(10, ((Number) m.training().get("examples")).intValue());
            assertEquals(6, ((Number) m.training().get("labelled_examples")).intValue());
        }
        Cli.Result r = Cli.run("evaluate", "--model", model, "--data", images, "--split", "test", "--json");
        JsonNode e = json(r);
        assertEquals(4, e.get("examples").asInt(), "test/'s images, none of unlabelled/: " + r.out());
        assertFalse(r.err().contains("warning"), r.err());

        Cli.Result vaeRun = Cli.run("train", "--model", "vae", "--data", images, "--epochs", 1, "--hidden", "8,8", "--no-progress",
                "--out", out("vae.safetensors"));
        assertEquals(0, vaeRun.exitCode(), vaeRun.err());
        assertTrue(vaeRun.err().contains("(10 images 2x2"), vaeRun.err());
    }

    /** Classes named train and test beside unlabelled/ are now splits with no class folder: refused, not read as empty. */
    @Test
    void imagesInASplitFolderBesideUnlabelledAreRefused() throws IOException {
        Path images = dir.resolve("images");
        for (String folder : List.of("train", "test", "unlabelled")) {
            Files.createDirectories(images.resolve(folder));
            Files.write(images.resolve(folder + "/0.pgm"), ("P5 2 2 255\n" + (char) 0 + (char) 20 + (char) 90 + (char) 200)
                    .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        assertEquals("nvae: " + images.resolve("test") + ": holds 1 image but no class sub-folder: beside unlabelled/, train/ and "
                        + "test/ are splits, whose images go in class sub-folders (or unlabelled/); classes named train and test need other names",
                fails(Cli.run("train", "--data", images, "--epochs", 1, "--hidden", "8,8", "--no-progress", "--out", out("m.safetensors"))));
    }

    /**
     * train/unlabelled/ beside an empty test/: a vae trains on it, and evaluate --split test was refused as "DIR: has no
     * class sub-folders", sending the user to DIR, which has train/unlabelled/; the refusal names test/ and what it lacks.
     * A test/ holding an empty unlabelled/ was already refused naming that folder.
     */
    @Test
    void anEmptyTestSplitBesideTrainUnlabelledIsNamed() throws IOException {
        Path images = dir.resolve("images");
        Files.createDirectories(images.resolve("test"));
        for (int i = 0; i < 4; i++) {
            Files.createDirectories(images.resolve("train/unlabelled"));
            Files.write(images.resolve("train/unlabelled/" + i + ".pgm"), ("P5 2 2 255\n" + (char) (i * 40) + (char) 20 + (char) 90 + (char) 200)
                    .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        Path model = dir.resolve("vae.safetensors");
        Cli.Result trained = Cli.run("train", "--model", "vae", "--data", images, "--epochs", 1, "--hidden", "8,8", "--no-progress",
                "--out", model);
        assertEquals(0, trained.exitCode(), trained.err());
        assertEquals("nvae: " + images.resolve("test") + ": holds no test images: no class sub-folder and no unlabelled/ folder",
                fails(Cli.run("evaluate", "--model", model, "--data", images, "--split", "test")));
        Files.createDirectories(images.resolve("test/unlabelled"));
        assertEquals("nvae: " + images.resolve("test/unlabelled") + ": unlabelled folder holds no .png or .pgm images",
                fails(Cli.run("evaluate", "--model", model, "--data", images, "--split", "test")));
    }

    /**
     * train/unlabelled/ with no test/ beside it: train/ is read as a class, and train --model vae was refused saying only
     * "DIR/train: class folder holds no .png or .pgm images"; the line now says what the layouts it likely meant need.
     */
    @Test
    void trainUnlabelledWithoutTestSaysWhatASplitNeeds() throws IOException {
        Path images = dir.resolve("images");
        Files.createDirectories(images.resolve("train/unlabelled"));
        Files.write(images.resolve("train/unlabelled/0.pgm"), ("P5 2 2 255\n" + (char) 0 + (char) 20 + (char) 90 + (char) 200)
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        String line = fails(Cli.run("train", "--model", "vae", "--data", images, "--epochs", 1, "--hidden", "8,8", "--no-progress",
                "--out", out("vae.safetensors")));
        assertEquals("nvae: " + images.resolve("train") + ": class folder holds no .png or .pgm images but has sub-folders (unlabelled/), "
                + "which are not read: the data folder is read as train/ and test/ splits only when it holds both and no other folder but unlabelled/, "
                + "and unlabelled images without a test split go in its own unlabelled/", line);
    }

    /** Data that leaves some images unlabelled trains with the bound over classes for them, with no flag at all. */
    @Test
    void dataWithMissingLabelsTrainsAsItIs() throws IOException {
        Path npy = Files.createDirectories(dir.resolve("npy"));
        int n = 40;
        float[] pixels = new float[n * 16];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 4 == 0 ? i % 3 : -1;
            for (int j = 0; j < 16; j++) pixels[i * 16 + j] = ((i * 7 + j * 3) % 11) / 10f;
        }
        Npy.writeF32(npy.resolve("train-images.npy"), pixels, n, 16);
        Npy.writeI64(npy.resolve("train-labels.npy"), labels);
        Cli.Result r = Cli.run("train", "--data", npy, "--epochs", 1, "--batch", 8, "--hidden", "8,8", "--no-progress", "--out", dir.resolve("m.safetensors"));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("10 labelled"), r.err());
    }
}
