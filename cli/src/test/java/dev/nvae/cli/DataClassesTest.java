package dev.nvae.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvae.NvaeException;
import dev.nvae.analysis.SampleLabels;
import dev.nvae.data.DataSources;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A model run on data whose classes are not its own (--data of the commands that read a split): an N-VAE or a
 * conditional VAE reads label k as its own class k, so where both sides name their classes the data's class k
 * must be the model's class k, and otherwise the command refuses — one line naming --data, exit code 1,
 * nothing written. Label-free models (whose classes are clusters) and models that read no label still run.
 */
class DataClassesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;
    /** An N-VAE of the 10 Fashion-MNIST classes; 3-class synthetic shapes (triangle, ellipse, square). */
    static Path fashion, shapes;

    @TempDir
    Path dir;

    @BeforeAll
    static void fixtures() {
        fashion = Cli.smallModel();
        shapes = shared.resolve("shapes");
        Cli.Result s = Cli.run("synth", "--out", shapes, "--train", 30, "--test", 12);
        assertEquals(0, s.exitCode(), s.err());
    }

    /** The failure contract (one line naming --data and the reason, exit 1, nothing on stdout or in out/). */
    private String refused(Cli.Result r, String... mentions) throws IOException {
        return Cli.assertDataRefused(r, dir.resolve("out"), mentions);
    }

    private Path out(String name) throws IOException {
        return Files.createDirectories(dir.resolve("out")).resolve(name);
    }

    /** The shapes' test split as IDX files with classes.txt replaced (null: none, so the classes are "0", "1", "2"). */
    private Path shapesNamed(String classes) throws IOException {
        Path copy = Files.createDirectories(dir.resolve("named"));
        for (String f : List.of("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")) Files.copy(shapes.resolve(f), copy.resolve(f));
        if (classes != null) Files.writeString(copy.resolve("classes.txt"), classes);
        return copy;
    }

    private static final String MISMATCH = "classes triangle, ellipse, square are not the model's (T-shirt/top, Trouser, ";

    @Test
    void evaluateRefusesDataOfOtherClasses() throws IOException {
        String line = refused(Cli.run("evaluate", "--model", fashion, "--data", shapes), "--data " + shapes, MISMATCH,
                "label 0 is triangle in the data but T-shirt/top to the model");
        assertTrue(line.contains("Ankle boot)"), "all ten of the model's classes: " + line);
        refused(Cli.run("evaluate", "--model", fashion, "--data", shapes, "--json"), MISMATCH);
    }

    /**
     * NPY train and test splits under {@code name} of {@code n} 4x4 images each (the same arbitrary grey levels),
     * example i labelled i % trainClasses in the training split and i % testClasses in the test split.
     */
    private Path npySplits(String name, int n, int trainClasses, int testClasses) throws IOException {
        Path npy = Files.createDirectories(dir.resolve(name));
        float[] pixels = new float[n * 16];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (i * 37 % 101) / 100f;
        int[] trainLabels = new int[n], testLabels = new int[n];
        for (int i = 0; i < n; i++) {
            trainLabels[i] = i % trainClasses;
            testLabels[i] = i % testClasses;
        }
        dev.nvae.io.Npy.writeF32(npy.resolve("train-images.npy"), pixels, n, 16);
        dev.nvae.io.Npy.writeI64(npy.resolve("train-labels.npy"), trainLabels);
        dev.nvae.io.Npy.writeF32(npy.resolve("test-images.npy"), pixels, n, 16);
        dev.nvae.io.Npy.writeI64(npy.resolve("test-labels.npy"), testLabels);
        return npy;
    }

    /**
     * A class no training example is labelled with (here: only the test split has label 2) trains nothing of its own;
     * the run goes on (classes.txt may name a class on purpose) but says so, once, naming the class and --data.
     */
    @Test
    void trainingWarnsOfAClassWithoutATrainingExample() throws IOException {
        Path npy = npySplits("npy", 40, 2, 3);
        Cli.Result t = Cli.run("train", "--data", npy, "--epochs", 1, "--out", out("m.safetensors"), "--no-progress");
        assertEquals(0, t.exitCode(), t.err());
        String warning = "warning: class 2 of --data " + npy + " has no labelled example in the training split: the model learns "
                + "nothing of it; its samples are noise and q(y|x) never predicts it";
        assertEquals(1, t.err().lines().filter(warning::equals).count(), t.err());
        Files.delete(npy.resolve("test-labels.npy"));
        Files.delete(npy.resolve("test-images.npy"));
        Cli.Result quiet = Cli.run("train", "--data", npy, "--epochs", 1, "--out", out("m2.safetensors"), "--no-progress");
        assertEquals(0, quiet.exitCode(), quiet.err());
        assertFalse(quiet.err().contains("warning"), quiet.err());
    }

    /**
     * One label of 255 in an int64 file (meant as "no label", which is 255 in uint8 files only) makes 256 classes: the
     * warning named all 253 empty ones on one line and not the likely cause; it names ten, counts the rest, and says it.
     */
    @Test
    void aStrayLabel255IsNamedAsTheLikelyCause() throws IOException {
        Path npy = npySplits("stray", 40, 2, 2);
        int[] labels = new int[40];
        for (int i = 0; i < 40; i++) labels[i] = i % 2;
        labels[3] = 255;
        dev.nvae.io.Npy.writeI64(npy.resolve("train-labels.npy"), labels);
        Cli.Result t = Cli.run("train", "--data", npy, "--epochs", 1, "--hidden", "16,8", "--out", out("s.safetensors"), "--no-progress");
        assertEquals(0, t.exitCode(), t.err());
        String warning = t.err().lines().filter(l -> l.startsWith("warning: classes ")).findFirst().orElseThrow();
        assertTrue(warning.startsWith("warning: classes 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 243 more of --data " + npy), warning);
        assertTrue(warning.endsWith("(1 example is labelled 255: if that means \"no label\", write -1 in an int64 or int32 label file;"
                + " 255 means it in a uint8 one only)"), warning);
    }

    /** The shapes' 12 test images hold 4 of each class: too few for a class block's kNN estimate, which says so instead of NaN. */
    @Test
    void evaluateSaysWhichBlocksHaveTooFewExamplesToMeasure() throws IOException {
        Path model = out("shapes.safetensors");
        Cli.Result t = Cli.run("train", "--data", shapes, "--epochs", 1, "--out", model, "--no-progress");
        assertEquals(0, t.exitCode(), t.err());
        Cli.Result e = Cli.run("evaluate", "--model", model, "--data", shapes);
        assertEquals(0, e.exitCode(), e.err());
        assertFalse(e.out().contains("NaN"), e.out());
        assertTrue(e.out().matches("(?s).*\\n  class triangle +4  too few to measure \\(at least 6\\)\\n.*"), e.out());
        assertTrue(e.out().matches("(?s).*\\n  shared +12 +-?\\d+\\.\\d{5} .*"), "the shared block is measured: " + e.out());
        // With every block too small (--prior-samples 5), the header still names the settings a block would be
        // measured with: it printed "(0 permutations)" and "the 0-nearest-neighbour estimate" (found by an audit).
        Cli.Result few = Cli.run("evaluate", "--model", model, "--data", shapes, "--prior-samples", 5);
        assertEquals(0, few.exitCode(), few.err());
        assertTrue(few.out().contains("permutation p-value (200 permutations)") && few.out().contains("the 5-nearest-neighbour estimate"),
                few.out());
        assertFalse(few.out().contains("(0 permutations)") || few.out().contains("0-nearest"), few.out());
    }

    /**
     * A class without an example in the split evaluated has an empty aggregate-posterior block: the table says so and
     * the JSON gives it no mean or variance (found by an audit); the table printed rows of NaN and the JSON the strings
     * "NaN", where its other figures of nothing are null.
     */
    @Test
    void evaluateSaysAClassWithoutAnExampleInTheSplitHasNoAggregatePosterior() throws IOException {
        Path npy = npySplits("missing", 30, 3, 2);
        Path model = out("missing.safetensors");
        Cli.Result t = Cli.run("train", "--data", npy, "--epochs", 1, "--hidden", "8,8", "--out", model, "--no-progress");
        assertEquals(0, t.exitCode(), t.err());
        Cli.Result e = Cli.run("evaluate", "--model", model, "--data", npy);
        assertEquals(0, e.exitCode(), e.err());
        assertFalse(e.out().contains("NaN"), e.out());
        assertTrue(e.out().matches("(?s).*\\n  class 2 +0  no example\\n.*"), e.out());
        Cli.Result j = Cli.run("evaluate", "--model", model, "--data", npy, "--json");
        assertEquals(0, j.exitCode(), j.err());
        assertFalse(j.out().contains("NaN"), j.out());
        JsonNode block = JSON.readTree(j.out()).get("aggregate_posterior").get(3);
        assertEquals("class 2", block.get("block").asText());
        assertTrue(block.get("mean").isNull() && block.get("variance").isNull(), block.toString());
    }

    @Test
    void encodeRefusesDataOfOtherClassesAndWritesNothing() throws IOException {
        refused(Cli.run("encode", "--model", fashion, "--data", shapes, "--out", out("e.npy")), MISMATCH);
        refused(Cli.run("encode", "--model", fashion, "--data", shapes, "--out", out("e.csv")), MISMATCH);
    }

    @Test
    void everyCommandThatReadsLabelsRefusesDataOfOtherClasses() throws IOException {
        refused(Cli.run("reconstruct", "--model", fashion, "--data", shapes, "--n", 4, "--out", out("r.png")), MISMATCH);
        refused(Cli.run("disentangle", "--model", fashion, "--data", shapes), MISMATCH);
        refused(Cli.run("traverse", "--model", fashion, "--data", shapes, "--from-example", 0, "--shared-dim", 0,
                "--out", out("t.png")), MISMATCH);
        refused(Cli.run("factors", "--model", fashion, "--data", shapes), MISMATCH);
        refused(Cli.run("factors", "--model", fashion, "--data", shapes, "--heatmap", out("h.png")), MISMATCH);
    }

    /** The data's classes must be the model's in order: the same names in another order are refused too. */
    @Test
    void sameNamesInAnotherOrderAreRefusedAndTheModelsFirstClassesAccepted() throws IOException {
        Path swapped = shapesNamed("Trouser\nT-shirt/top\nPullover\n");
        refused(Cli.run("evaluate", "--model", fashion, "--data", swapped), "--data " + swapped,
                "classes Trouser, T-shirt/top, Pullover are not the model's", "label 0 is Trouser in the data but T-shirt/top");
        Files.writeString(swapped.resolve("classes.txt"), "T-shirt/top\nTrouser\nPullover\n");
        Cli.Result r = Cli.run("evaluate", "--model", fashion, "--data", swapped, "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(12, JSON.readTree(r.out()).get("examples").asInt());
    }

    /**
     * factors names its rows by the model's classes: data with fewer classes, unnamed (IDX without classes.txt,
     * so "0", "1", "2", which the model accepts), crashed it ("Index 3 out of bounds for length 3").
     */
    @Test
    void factorsNamesItsRowsByTheModelsClasses() throws IOException {
        Path numbered = shapesNamed(null);
        Cli.Result table = Cli.run("factors", "--model", fashion, "--data", numbered, "--threads", "1");
        assertEquals(0, table.exitCode(), table.err());
        List<String> rows = table.out().lines().skip(3).map(l -> l.split(" {2,}")[0].strip()).toList();
        assertEquals(DataSources.FASHION_MNIST_CLASSES, rows, table.out());
        Cli.Result json = Cli.run("factors", "--model", fashion, "--data", numbered, "--threads", "1", "--json");
        assertEquals(0, json.exitCode(), json.err());
        List<String> classes = new ArrayList<>();
        for (JsonNode c : JSON.readTree(json.out()).get("classes")) classes.add(c.get("class").asText());
        assertEquals(DataSources.FASHION_MNIST_CLASSES, classes);
    }

    /** The model's own data (the default --data, and named) still runs. */
    @Test
    void theModelsOwnDataRuns() throws IOException {
        for (Object[] data : List.of(new Object[0], new Object[]{"--data", "testdata"})) {
            List<Object> args = new ArrayList<>(List.of("evaluate", "--model", fashion, "--json", "--threads", "1"));
            args.addAll(List.of(data));
            Cli.Result r = Cli.run(args.toArray());
            assertEquals(0, r.exitCode(), r.err());
            assertEquals(DataSources.FASHION_MNIST_CLASSES.size(), JSON.readTree(r.out()).get("classes").size());
        }
        Path e = out("e.npy");
        assertEquals(0, Cli.run("encode", "--model", fashion, "--data", "testdata", "--out", e).exitCode());
        assertTrue(Files.size(e) > 0);
    }

    /** A label-free model's classes are clusters, matched to whatever classes the data has; a VAE reads no label. */
    @Test
    void labelFreeModelsAndVaesReadDataOfOtherClasses() throws IOException {
        Path free = shared.resolve("free.safetensors");
        Cli.Result t = Cli.trainSmall(free, "--labels", "none", "--clusters", 3, "--hidden", "32,16", "--batch", 32, "--threads", 1);
        assertEquals(0, t.exitCode(), t.err());
        Cli.Result r = Cli.run("evaluate", "--model", free, "--data", shapes, "--json", "--threads", 1);
        assertEquals(0, r.exitCode(), r.err());
        for (JsonNode m : JSON.readTree(r.out()).get("clustering").get("matched_class")) {
            assertTrue(m.isNull() || List.of("triangle", "ellipse", "square").contains(m.asText()), r.out());
        }
        Cli.Result f = Cli.run("factors", "--model", free, "--data", shapes, "--threads", 1);
        assertEquals(0, f.exitCode(), f.err());
        assertTrue(f.out().contains("cluster 0"), f.out());

        Path vae = shared.resolve("vae.safetensors");
        t = Cli.trainSmall(vae, "--model", "vae", "--hidden", "32,16", "--threads", 1);
        assertEquals(0, t.exitCode(), t.err());
        r = Cli.run("evaluate", "--model", vae, "--data", shapes, "--json", "--threads", 1);
        assertEquals(0, r.exitCode(), r.err());
        Path e = out("v.npy");
        assertEquals(0, Cli.run("encode", "--model", vae, "--data", shapes, "--out", e).exitCode());
        assertTrue(Files.size(e) > 0);
    }

    /** An NPY set of 40 4x4 images labelled 0 and 1, its classes named by {@code classes} (classes.txt's bytes). */
    private Path npyNamed(String name, byte[] classes) throws IOException {
        Path npy = Files.createDirectories(dir.resolve(name));
        float[] pixels = new float[40 * 16];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (i * 37 % 101) / 100f;
        int[] labels = new int[40];
        for (int i = 0; i < 40; i++) labels[i] = i % 2;
        dev.nvae.io.Npy.writeF32(npy.resolve("train-images.npy"), pixels, 40, 16);
        dev.nvae.io.Npy.writeI64(npy.resolve("train-labels.npy"), labels);
        Files.write(npy.resolve("classes.txt"), classes);
        return npy;
    }

    /**
     * A classes.txt saved with a UTF-8 byte order mark (as Windows Notepad saves it) names its first class without it
     * (found by an audit): the mark was kept, so the class was '\ufeffa' and --class a was refused listing 'a'.
     */
    @Test
    void aClassesFileWithAByteOrderMarkNamesItsFirstClassWithoutIt() throws IOException {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] names = "a\nb\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] classes = new byte[bom.length + names.length];
        System.arraycopy(bom, 0, classes, 0, bom.length);
        System.arraycopy(names, 0, classes, bom.length, names.length);
        Path npy = npyNamed("bom", classes);
        Path model = out("bom.safetensors");
        Cli.Result t = Cli.run("train", "--data", npy, "--epochs", 1, "--hidden", "8,8", "--out", model, "--no-progress");
        assertEquals(0, t.exitCode(), t.err());
        Cli.Result e = Cli.run("evaluate", "--model", model, "--data", npy, "--split", "train", "--json");
        assertEquals(0, e.exitCode(), e.err());
        assertEquals("[\"a\",\"b\"]", JSON.readTree(e.out()).get("classes").toString());
        Cli.Result s = Cli.run("sample", "--model", model, "--class", "a", "--n", 1, "--out", out("a.png"));
        assertEquals(0, s.exitCode(), s.err());
    }

    /** A classes.txt of one name too few is told so in the singular (found by an audit: 'lists 1 class names'). */
    @Test
    void aClassesFileOfOneNameTooFewSaysSoInTheSingular() throws IOException {
        Path data = shapesNamed("triangle\n");
        assertEquals("nvae: " + data.resolve("classes.txt") + ": lists 1 class name but the labels go up to 2",
                Cli.assertRefused(Cli.run("evaluate", "--model", fashion, "--data", data), dir.resolve("out")));
    }

    /**
     * Class names match --class in any case, but one spelt exactly as given is that class, and a name that matches
     * several only in another case is refused naming them (found by an audit): classes A and a sampled class A for
     * --class a, silently, and Cat and CAT took Cat for --class cat.
     */
    @Test
    void aClassNameMatchesItsOwnSpellingFirstAndSeveralInAnotherCaseAreRefused() throws IOException {
        Path npy = npyNamed("cased", "A\na\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Path model = out("cased.safetensors");
        Cli.Result t = Cli.run("train", "--data", npy, "--epochs", 1, "--hidden", "8,8", "--out", model, "--no-progress");
        assertEquals(0, t.exitCode(), t.err());
        for (String c : List.of("A", "a")) {
            Path samples = out(c.equals("A") ? "upper.npy" : "lower.npy");
            Cli.Result s = Cli.run("sample", "--model", model, "--class", c, "--n", 1, "--format", "npy", "--out", samples);
            assertEquals(0, s.exitCode(), s.err());
            Path labels = samples.resolveSibling(samples.getFileName().toString().replace(".npy", "-labels.npy"));
            assertEquals(c.equals("A") ? 0L : 1L, dev.nvae.io.Npy.read(labels).longs()[0], "--class " + c);
        }
        assertEquals(0, SampleLabels.classIndex("cat", List.of("Cat", "dog")));
        NvaeException e = org.junit.jupiter.api.Assertions.assertThrows(NvaeException.class,
                () -> SampleLabels.classIndex("cat", List.of("Cat", "CAT")));
        assertEquals("--class 'cat': names no class as it is spelt, and classes Cat and CAT in another case; write one as it is"
                + " spelt, or its index", e.getMessage());
    }

    @Test
    void classMismatchRule() {
        List<String> model = List.of("cat", "dog", "bird");
        assertNull(DataOptions.classMismatch(model, model));
        assertNull(DataOptions.classMismatch(List.of("cat", "dog"), model), "the model's first classes");
        assertNull(DataOptions.classMismatch(List.of("0", "1", "2"), model), "unnamed data");
        assertNull(DataOptions.classMismatch(model, List.of("0", "1", "2")), "a model of unnamed classes");
        assertNull(DataOptions.classMismatch(List.of(), model), "data without labels");
        assertEquals("label 1 is bird in the data but dog to the model", DataOptions.classMismatch(List.of("cat", "bird"), model));
        assertEquals("label 0 is 1 in the data but cat to the model", DataOptions.classMismatch(List.of("1", "0"), model));
    }
}
