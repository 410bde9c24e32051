package dev.nvae.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvae.analysis.FactorReport;
import dev.nvae.io.IdxWriter;
import dev.nvae.model.LoadedModel;
import dev.nvae.model.ModelFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The analyses on data whose splits leave some labels out (IDX label 255), and on data that names the model's
 * classes in another order: what each command does with the examples that have no label, or refuses in one line
 * before any work, as evaluate does — never an internal error after a judge or a classifier was trained.
 */
class PartlyLabelledDataTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SIZE = 12, TRAIN = 60, TEST = 30;

    @TempDir
    static Path shared;
    /** labelled: every label; holes: every third example of either split without one; reordered: classes c, b, a. */
    static Path labelled, holes, reordered, two, nvae, cvae;

    @TempDir
    Path dir;

    @BeforeAll
    static void dataAndModels() throws IOException {
        labelled = data("labelled", i -> i % 3, "a\nb\nc\n");
        holes = data("holes", i -> i % 3 == 2 ? 255 : i % 3, "a\nb\nc\n");
        reordered = data("reordered", i -> i % 3, "c\nb\na\n");
        two = data("two", i -> i % 2, "a\nb\n");
        nvae = shared.resolve("nvae.safetensors");
        cvae = shared.resolve("cvae.safetensors");
        for (Path m : new Path[]{nvae, cvae}) {
            Cli.Result r = Cli.run("train", "--data", labelled, "--model", m == nvae ? "nvae" : "cvae", "--hidden", "16,8", "--batch", 20,
                    "--epochs", 1, "--threads", 1, "--no-progress", "--out", m);
            assertEquals(0, r.exitCode(), r.err());
        }
    }

    /** Three classes of 12x12 images (a bright band whose place is the class), labels as {@code label} gives them (255: none). */
    private static Path data(String name, IntUnaryOperator label, String classes) throws IOException {
        Path d = Files.createDirectories(shared.resolve(name));
        for (String split : new String[]{"train", "t10k"}) {
            int n = split.equals("train") ? TRAIN : TEST;
            float[] pixels = new float[n * SIZE * SIZE];
            for (int i = 0; i < n; i++) {
                int k = i % 3;
                for (int y = 0; y < SIZE; y++) {
                    for (int x = 0; x < SIZE; x++) {
                        boolean on = y / 4 == k;
                        pixels[(i * SIZE + y) * SIZE + x] = on ? 0.6f + 0.4f * ((i * 7 + x) % 5) / 4f : 0.05f * ((x + i) % 3);
                    }
                }
            }
            IdxWriter.writeImages(d.resolve(split + "-images-idx3-ubyte"), pixels, n, SIZE, SIZE);
            IdxWriter.writeLabels(d.resolve(split + "-labels-idx1-ubyte"), n, label);
        }
        Files.writeString(d.resolve("classes.txt"), classes);
        return d;
    }

    /**
     * A cvae reads every example's label (its encoder and decoder take it): the commands that run it over a split
     * with examples that have none refused them with an internal error (IllegalArgumentException); now in one line
     * naming --data, as evaluate refuses them.
     */
    @Test
    void aCvaeRefusesExamplesWithoutALabelInOneLine() throws IOException {
        Path out = dir.resolve("out");
        Object[][] commands = {
                {"factors", "--model", cvae, "--data", holes},
                {"encode", "--model", cvae, "--data", holes, "--out", out.resolve("e.npy")},
                {"evaluate", "--model", cvae, "--data", holes},
                {"report", "--model", cvae, "--data", holes, "--n", 2, "--judge", out.resolve("j.safetensors"), "--out", out.resolve("r")},
        };
        for (Object[] args : commands) {
            Files.createDirectories(out);
            String line = Cli.assertRefused(Cli.run(args), out, "--data: 10 examples of " + holes, "have no label", "a cvae needs one for every example");
            assertFalse(line.contains("internal error"), line);
        }
        // An nvae reads them (its classifier gives their class), and a cvae the fully labelled split.
        assertEquals(0, Cli.run("reconstruct", "--model", nvae, "--data", holes, "--n", 4, "--out", dir.resolve("n.png")).exitCode());
        assertEquals(0, Cli.run("reconstruct", "--model", cvae, "--data", labelled, "--n", 4, "--out", dir.resolve("c.png")).exitCode());
    }

    /**
     * reconstruct reads only the split's first --n examples, but with a cvae it refused the split when any example had
     * no label ('--data: 10 examples of ... have no label'), those it never reads too; it refuses only an example it
     * reads, naming it.
     */
    @Test
    void aCvaeReconstructsTheFirstExamplesWhereTheyHaveLabels() throws IOException {
        Path grid = dir.resolve("c.png");
        Cli.Result r = Cli.run("reconstruct", "--model", cvae, "--data", holes, "--n", 2, "--out", grid);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Files.size(grid) > 0);
        Path out = Files.createDirectories(dir.resolve("out"));
        Cli.assertRefused(Cli.run("reconstruct", "--model", cvae, "--data", holes, "--n", 4, "--out", out.resolve("r.png")), out,
                "--data: example 2 (counting from 0) of " + holes + ":test has no label", "a cvae needs one for each of the first 4 examples that --n 4 reads");
        // traverse --from-example reads one example: the same split was refused for its other examples' missing labels.
        Cli.Result t = Cli.run("traverse", "--model", cvae, "--data", holes, "--class", "a", "--from-example", 0, "--out", dir.resolve("t.png"));
        assertEquals(0, t.exitCode(), t.err());
        Cli.assertRefused(Cli.run("traverse", "--model", cvae, "--data", holes, "--class", "a", "--from-example", 2, "--out", out.resolve("t.png")),
                out, "--data: example 2 (counting from 0) of " + holes + ":test has no label",
                "a cvae needs the label of the example that --from-example 2 reads");
    }

    /**
     * A cvae trained with --labels-per-class or --labels-fraction that leaves examples without a label is refused naming
     * that flag (found by an audit): the line blamed --data ('--data: 57 of 60 training examples have no label'), whose
     * examples all have one.
     */
    @Test
    void aCvaeRefusesLabelSelectionThatLeavesExamplesUnlabelledNamingTheFlag() throws IOException {
        Path out = dir.resolve("out");
        for (Object[] flag : new Object[][] {{"--labels-per-class", 1}, {"--labels-fraction", 0.5}}) {
            Files.createDirectories(out);
            String line = Cli.assertRefused(Cli.run("train", "--model", "cvae", "--data", labelled, flag[0], flag[1], "--epochs", 1,
                    "--hidden", "16,8", "--no-progress", "--out", out.resolve("c.safetensors")), out, "nvae: " + flag[0] + " " + flag[1]
                    + ": leaves ", " of 60 training examples without a label, and a cvae needs a label for every example");
            assertFalse(line.contains("--data"), line);
        }
    }

    /**
     * traverse --from-example I --class K refuses an example of another class; for an example without a label it said
     * "is of class X", the class the classifier gives it, as if the data said so.
     */
    @Test
    void traverseFromAnExampleWithoutALabelSaysItsClassIsThePredictedOne() throws IOException {
        List<String> refusals = new ArrayList<>();
        for (String k : List.of("a", "b", "c")) {
            Cli.Result r = Cli.run("traverse", "--model", nvae, "--data", holes, "--from-example", 2, "--class", k,
                    "--out", dir.resolve(k + ".png"));
            if (r.exitCode() != 0) {
                refusals.add(Cli.assertRefused(r, dir.resolve("none"), "--from-example 2 has no label and is classified as ", ", not " + k));
            }
        }
        assertEquals(2, refusals.size(), refusals.toString());
        Cli.assertRefused(Cli.run("traverse", "--model", nvae, "--data", holes, "--from-example", 0, "--class", "b", "--out", dir.resolve("x.png")),
                dir.resolve("none"), "--from-example 0 is of class a, not b");
    }

    /**
     * augment's classifier and quality's judge learn and are scored against labels: on splits where some examples
     * have none they use the labelled ones. augment failed on an internal error (ArrayIndexOutOfBoundsException)
     * once the classifier was trained, and with unlabelled training examples after saying it trained, with a line
     * on "this model", its classifier; quality likewise, after training and caching a judge.
     */
    @Test
    void augmentAndQualityUseTheLabelledExamples() throws IOException {
        Cli.Result a = Cli.run("augment", "--model", nvae, "--data", holes, "--fractions", "0,1", "--epochs", 1, "--hidden", "8,8",
                "--threads", 1, "--json");
        assertEquals(0, a.exitCode(), a.err());
        JsonNode j = JSON.readTree(a.out());
        assertEquals(TEST * 2 / 3, j.get("test_examples").asInt(), "tested on the labelled test examples");
        for (JsonNode row : j.get("results")) {
            assertEquals(TRAIN * 2 / 3, row.get("train_examples").asInt(), "trained on the labelled ones");
            double acc = row.get("accuracy").asDouble();
            assertTrue(acc >= 0 && acc <= 1, row.toString());
        }
        assertTrue(a.err().contains("20 of the 60 training examples have no label"), a.err());

        Path judge = dir.resolve("judge.safetensors");
        Cli.Result q = Cli.run("quality", "--model", nvae, "--data", holes, "--n", 2, "--judge", judge, "--judge-epochs", 1,
                "--threads", 1, "--json");
        assertEquals(0, q.exitCode(), q.err());
        JsonNode k = JSON.readTree(q.out());
        assertTrue(k.get("judge_test_accuracy").asDouble() >= 0 && Double.isFinite(k.get("results").get(0).get("fd").asDouble()), k.toString());
        assertTrue(q.err().contains("on 40 real images of"), "the judge learns from the labelled training images: " + q.err());

        // No label at all: nothing to learn classes from, said before any work.
        Path none = data("none", i -> 255, "a\nb\nc\n");
        Path out = dir.resolve("out");
        Cli.assertDataRefused(Cli.run("augment", "--model", nvae, "--data", none, "--epochs", 1, "--hidden", "8,8"), out,
                "none of the 60 training examples has a label");
        Cli.assertDataRefused(Cli.run("quality", "--model", nvae, "--data", none, "--n", 2, "--judge", dir.resolve("j2.safetensors")),
                out, "none of the 60 training examples has a label", "the judge");
        assertFalse(Files.exists(dir.resolve("j2.safetensors")));
    }

    /**
     * iwae_nll needs every test example's label: at its defaults report on a test split with unlabelled examples
     * failed on '--iw', a flag the user never gave, once it had begun evaluating. Its default is 0 for such data and
     * the page says why iwae_nll is missing; --iw given is refused before any work, as for a label-free model.
     */
    /**
     * Data of the model's first classes is data augment reads (its columns are the data's classes), but at a fraction
     * above 0 the mix refused it after the r = 0 classifier had trained: '--data two:train: 2 classes of 1x12x12
     * images, but the generator makes 3 classes of 1x12x12', exit 1. The generator draws the data's classes, its own first.
     */
    @Test
    void augmentGeneratesTheDataClassesWhereTheDataHasFewerThanTheModel() throws IOException {
        for (Path model : new Path[]{nvae, cvae}) {
            Cli.Result r = Cli.run("augment", "--model", model, "--data", two, "--fractions", "0,1", "--epochs", 1, "--hidden", "8,8",
                    "--threads", 1, "--json");
            assertEquals(0, r.exitCode(), r.err());
            JsonNode results = JSON.readTree(r.out()).get("results");
            assertEquals(2, results.size());
            assertEquals(TRAIN, results.get(1).get("generated").asInt(), "at r = 1 every training example is generated");
            assertEquals(2, results.get(1).get("per_class_accuracy").size());
        }
    }

    /**
     * A class with no example in the split has no mean KL: the table says '(no examples in this split)' and the heatmap
     * leaves its row empty, but --json wrote "kl_per_dim":[0.0,0.0,...], the figures of a class whose every dimension
     * collapsed to the prior.
     */
    @Test
    void factorsJsonGivesNoKlForAClassWithoutExamples() throws IOException {
        Cli.Result r = Cli.run("factors", "--model", nvae, "--data", two, "--threads", 1, "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode classes = JSON.readTree(r.out()).get("classes");
        assertEquals("c", classes.get(2).get("class").asText());
        assertEquals(0, classes.get(2).get("examples").asInt());
        assertTrue(classes.get(2).get("kl_per_dim").isNull(), classes.toString());
        assertEquals(0, classes.get(2).get("active").size());
        assertTrue(classes.get(0).get("kl_per_dim").get(0).isNumber(), classes.toString());
        Cli.Result table = Cli.run("factors", "--model", nvae, "--data", two, "--threads", 1);
        assertTrue(table.out().contains("(no examples in this split)"), table.out());
    }

    /**
     * factors puts an N-VAE's examples without a label in the class it predicts for them, but the table read as if a row
     * were the class's labelled examples: '(no examples in this split)' for a class with no labelled example and none
     * predicted. It says how rows are made, and an empty row that no example is labelled or predicted as the class.
     */
    @Test
    void factorsTableSaysExamplesWithoutALabelAreInTheirPredictedClass() {
        Cli.Result r = Cli.run("factors", "--model", nvae, "--data", holes, "--threads", 1);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("\nclass rows: a class's labelled examples and, of the 10 without a label, those the model predicts it for\n"),
                r.out());
        try (LoadedModel m = ModelFile.load(nvae)) {
            FactorReport empty = new FactorReport("holes:test", 30, 0.1, List.of("a", "b", "c"), new double[]{0.5},
                    new double[][]{{0.5}, {0.5}, {0}}, new long[]{20, 10, 0});
            StringWriter table = new StringWriter();
            FactorsCommand.table(new PrintWriter(table), empty, m.model(), "holes, test split", 10);
            assertTrue(table.toString().contains("(no examples in this split, labelled or predicted)"), table.toString());
            table = new StringWriter();
            FactorsCommand.table(new PrintWriter(table), empty, m.model(), "two, test split", 0);
            assertFalse(table.toString().contains("predict"), table.toString());
            assertTrue(table.toString().contains("(no examples in this split)"), table.toString());
        }
    }

    /**
     * cluster takes a vae or beta-vae only, and says so first: for a cvae on a split with examples without a label it
     * said '--data: 10 examples of D:test have no label, and a cvae needs one for every example', and for an nvae on data
     * of other classes that they are not the model's, sending the user to fix data the command would then refuse to use.
     */
    @Test
    void clusterRefusesAModelItDoesNotClusterBeforeCheckingTheData() throws IOException {
        assertEquals("nvae: --model: k-means clusters the latent means of a vae or beta-vae, and this is a cvae (its encoder reads the label)",
                Cli.assertRefused(Cli.run("cluster", "--model", cvae, "--data", holes, "--threads", 1), dir.resolve("out")));
        String line = Cli.assertRefused(Cli.run("cluster", "--model", nvae, "--data", reordered, "--threads", 1), dir.resolve("out"));
        assertTrue(line.startsWith("nvae: --model: k-means clusters the latent means of a vae or beta-vae, and this is an nvae"), line);
    }

    @Test
    void aReportOnATestSplitWithUnlabelledExamplesLeavesIwaeOut() throws IOException {
        Path judge = dir.resolve("judge.safetensors"), out = dir.resolve("report");
        Cli.assertRefused(Cli.run("report", "--model", nvae, "--data", holes, "--iw", 3, "--n", 2, "--judge", judge, "--judge-epochs", 1,
                "--threads", 1, "--out", out), out, "--iw 3", "10 of ", "have none", "leave --iw out");
        assertFalse(Files.exists(judge), "refused before a judge was trained");
        // evaluate named the flag without its value ('--iw: iwae_nll needs ...'), as report does not.
        Cli.assertRefused(Cli.run("evaluate", "--model", nvae, "--data", holes, "--iw", 3, "--threads", 1), out,
                "--iw 3: iwae_nll needs every example's label, and 10 of ");
        Cli.Result r = Cli.run("report", "--model", nvae, "--data", holes, "--n", 2, "--judge", judge, "--judge-epochs", 1,
                "--threads", 1, "--out", out);
        assertEquals(0, r.exitCode(), r.err());
        JsonNode e = JSON.readTree(out.resolve("report.json").toFile()).get("evaluation");
        assertFalse(e.has("iwae_nll"), e.toString());
        assertEquals(10, e.get("unlabelled").asInt(), e.toString());
        String page = Files.readString(out.resolve("index.html"));
        assertTrue(page.contains("not estimated: it needs every example") && page.contains("and 10 test examples have none"),
                "the page says why iwae_nll is missing");
    }

    /**
     * evaluate's table leaves ce and accuracy out for a split where no example has a label (found by an audit): it printed
     * 'ce 0.0000' and 'accuracy NaN', figures of no example; its JSON keeps "ce": 0 and "accuracy": null.
     */
    @Test
    void evaluateOfASplitWithoutAnyLabelPrintsNoClassifierFigures() throws IOException {
        Path none = data("none", i -> 255, "a\nb\nc\n");
        Cli.Result r = Cli.run("evaluate", "--model", nvae, "--data", none, "--threads", 1);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("30 of them unlabelled"), r.out());
        assertFalse(r.out().contains("  ce ") || r.out().contains("  accuracy "), r.out());
        Cli.Result holesTable = Cli.run("evaluate", "--model", nvae, "--data", holes, "--threads", 1);
        assertTrue(holesTable.out().contains("  accuracy "), "a split with some labels keeps them: " + holesTable.out());
        JsonNode j = JSON.readTree(Cli.run("evaluate", "--model", nvae, "--data", none, "--threads", 1, "--json").out());
        assertTrue(j.get("accuracy").isNull(), j.toString());
    }

    /**
     * A vae has no q(y|x), so its evaluate --json on a split with examples without a label leaves kl_y out, as its table
     * does (found by an audit): it wrote "kl_y": 0.0 beside "unlabelled", a KL of class probabilities the vae lacks.
     */
    @Test
    void aVaesJsonHasNoKlYForExamplesWithoutALabel() throws IOException {
        Path vae = dir.resolve("vae.safetensors");
        Cli.Result t = Cli.run("train", "--data", labelled, "--model", "vae", "--hidden", "16,8", "--batch", 20, "--epochs", 1,
                "--threads", 1, "--no-progress", "--out", vae);
        assertEquals(0, t.exitCode(), t.err());
        JsonNode j = JSON.readTree(Cli.run("evaluate", "--model", vae, "--data", holes, "--threads", 1, "--json").out());
        assertEquals(10, j.get("unlabelled").asInt(), j.toString());
        assertFalse(j.has("kl_y"), j.toString());
        JsonNode n = JSON.readTree(Cli.run("evaluate", "--model", nvae, "--data", holes, "--threads", 1, "--json").out());
        assertTrue(n.has("kl_y"), "an nvae's bound has the term: " + n);
    }

    /**
     * A vae reads no label, so the labels the data leaves out must not change what it learns. Its batches were
     * mixed by label as an nvae's are (half labelled, the labelled examples revisited), so on data with some
     * labels missing it took more steps an epoch and weighed the labelled examples above the others; now it
     * ends with the weights it has on the same images fully labelled.
     */
    @Test
    void aVaeLearnsTheSameWhicheverLabelsTheDataLeavesOut() {
        for (String family : new String[]{"vae", "beta-vae"}) {
            Path full = dir.resolve(family + "-full.safetensors"), part = dir.resolve(family + "-part.safetensors");
            for (Path[] run : new Path[][]{{labelled, full}, {holes, part}}) {
                Cli.Result r = Cli.run("train", "--data", run[0], "--model", family, "--hidden", "16,8", "--batch", 20,
                        "--epochs", 2, "--threads", 1, "--no-progress", "--out", run[1]);
                assertEquals(0, r.exitCode(), r.err());
            }
            Weights.assertIdentical(full, part);
        }
    }

    /**
     * Data that names the model's classes in another order (label 0 is c, not a) is refused by augment, quality and
     * report as evaluate refuses it: augment drew the model's class a for data labelled c and printed the model's
     * class names over the data's columns; quality and report judged samples of a against the judge's class c.
     */
    @Test
    void dataWhoseLabelsAreOtherClassesIsRefusedByEveryAnalysis() throws IOException {
        Path out = dir.resolve("out"), judge = dir.resolve("judge.safetensors");
        String why = "classes c, b, a are not the model's (a, b, c): label 0 is c in the data but a to the model";
        Cli.assertDataRefused(Cli.run("evaluate", "--model", nvae, "--data", reordered), out, why);
        Cli.assertDataRefused(Cli.run("augment", "--model", nvae, "--data", reordered, "--fractions", "0,1", "--epochs", 1,
                "--hidden", "8,8", "--threads", 1), out, why);
        Cli.assertDataRefused(Cli.run("quality", "--model", nvae, "--data", reordered, "--n", 2, "--judge", judge, "--judge-epochs", 1,
                "--threads", 1), out, why);
        Cli.assertDataRefused(Cli.run("report", "--model", cvae, "--data", reordered, "--n", 2, "--judge", judge, "--judge-epochs", 1,
                "--threads", 1, "--out", out), out, why);
        assertFalse(Files.exists(judge), "no judge trained");

        // The model's first classes are data it reads: the per-class columns are the data's classes (they were the model's).
        Cli.Result r = Cli.run("augment", "--model", nvae, "--data", two, "--fractions", 0, "--epochs", 1, "--hidden", "8,8",
                "--threads", 1, "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = JSON.readTree(r.out());
        assertEquals("[\"a\",\"b\"]", j.get("classes").toString());
        assertEquals(2, j.get("results").get(0).get("per_class_accuracy").size());
    }
}
