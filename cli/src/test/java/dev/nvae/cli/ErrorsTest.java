package dev.nvae.cli;

import dev.nvae.io.IdxWriter;
import dev.nvae.io.NamedArray;
import dev.nvae.io.SafeTensors;
import dev.nvae.io.SafeTensorsFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input of every kind: each must fail with exit code 1, one line on stderr naming the file or flag
 * and the reason, no stack trace, and no output file (not even a hidden temporary one).
 */
class ErrorsTest {
    @TempDir
    static Path shared;
    static Path model, vae;

    @TempDir
    Path dir;

    @BeforeAll
    static void trainModel() {
        model = Cli.smallModel();
        vae = shared.resolve("vae.safetensors");
        assertEquals(0, Cli.trainSmall(vae, "--model", "vae", "--hidden", "32,16").exitCode());
    }

    /**
     * An empty --data names no directory. The checks that keep outputs out of the input took it for the working
     * directory (Path.of("")), and refused an --out below it as "part of the dataset  (--data)" instead of naming the
     * empty flag.
     */
    @Test
    void anEmptyDataIsRefusedAsEmptyNotAsTheWorkingDirectory() throws IOException {
        Path below = Path.of("target", "empty-data-" + ProcessHandle.current().pid() + ".png"); // under the working directory
        String empty = "--data is empty; give fashion-mnist, testdata or a directory";
        fails(Cli.run("reconstruct", "--model", model, "--data", "", "--n", 1, "--out", below), empty);
        fails(Cli.run("traverse", "--model", model, "--data", "", "--from-example", 0, "--shared-dim", 0, "--out", below), empty);
        assertFalse(Files.exists(below));
    }

    /** InetAddress reads "" as the loopback address: serve --bind= listened on 127.0.0.1 where no address was named. */
    @Test
    @org.junit.jupiter.api.Timeout(120) // the server would otherwise serve on, and the test never end
    void anEmptyBindIsRefusedNotReadAsLoopback() throws IOException {
        for (String blank : List.of("", " ")) {
            fails(Cli.run("serve", "--model", model, "--port", 0, "--bind", blank),
                    "--bind: " + (blank.isEmpty() ? "empty" : "blank") + "; give an address such as 127.0.0.1 or 0.0.0.0");
        }
    }

    /** A negative --compute-timeout is refused in one line (0 is "no limit"); the server never starts. */
    @Test
    @org.junit.jupiter.api.Timeout(120)
    void aNegativeComputeTimeoutIsRefused() throws IOException {
        fails(Cli.run("serve", "--model", model, "--port", 0, "--compute-timeout", -1), "--compute-timeout -1 must be 0 (no limit) or more");
    }

    /** A list option given twice is refused as any option given twice is: picocli joined the two lists ("got 4"). */
    @Test
    void aListOptionGivenTwiceIsRefusedAsGivenTwice() throws IOException {
        assertEquals("nvae: option '--range' (A,B) should be specified only once: it takes one list, A,B (see 'nvae traverse --help')",
                fails(Cli.run("traverse", "--model", model, "--shared-dim", 0, "--range=-1,1", "--range=-2,2", "--out", out("t.png"))));
        fails(Cli.trainSmall(out("m.safetensors"), "--hidden", "32,16", "--hidden", "8,4"), "option '--hidden' (H1,H2) should be specified only once");
    }

    /** Asserts the failure contract and returns the message. */
    private String fails(Cli.Result r, String... mentions) throws IOException {
        return Cli.assertRefused(r, dir.resolve("out"), mentions);
    }

    /** An output directory that exists and must stay empty. */
    private Path out(String name) throws IOException {
        return Files.createDirectories(dir.resolve("out")).resolve(name);
    }

    /** A tiny dataset directory in MNIST layout with 4×4 images. */
    private Path dataset(int images, int[] labels) {
        Path data = dir.resolve("data");
        try {
            Files.createDirectories(data);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        IdxWriter.writeImages(data.resolve("train-images-idx3-ubyte"), new float[images * 16], images, 4, 4);
        IdxWriter.writeLabels(data.resolve("train-labels-idx1-ubyte"), labels);
        return data;
    }

    /** A stream whose reader went away (| head) ends the command quietly with 141, as SIGPIPE ends a Unix tool; other failures still say why. */
    @Test
    void aReaderThatWentAwayEndsTheCommandQuietly() {
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cmd = new picocli.CommandLine(picocli.CommandLine.Model.CommandSpec.create()).setErr(new java.io.PrintWriter(err));
        Exception gone = new dev.nvae.NvaeException("wrapped", new dev.nvae.io.ReaderGoneException(Path.of("-"), new IOException("Broken pipe")));
        assertEquals(ErrorHandler.READER_GONE, new ErrorHandler().handleExecutionException(gone, cmd, null));
        assertEquals(141, ErrorHandler.READER_GONE);
        assertEquals("", err.toString());
        assertEquals(ErrorHandler.ERROR, new ErrorHandler().handleExecutionException(new dev.nvae.NvaeException("x: cannot write: no space"), cmd, null));
        assertEquals("nvae: x: cannot write: no space", err.toString().strip());
    }

    /** No examples: one line naming the data, before the run is announced (it came after a "training" line, naming nothing). */
    @Test
    void anEmptyTrainingSplitIsRefusedNamingTheData() throws IOException {
        Path data = Files.createDirectories(dir.resolve("empty"));
        dev.nvae.io.Npy.writeF32(data.resolve("train-images.npy"), new float[0], 0, 16);
        dev.nvae.io.Npy.writeI64(data.resolve("train-labels.npy"), new int[0]);
        Files.writeString(data.resolve("classes.txt"), "a\nb\n");
        Cli.assertRefused(Cli.run("train", "--data", data, "--out", out("m.safetensors")), dir.resolve("out"),
                "--data " + data + ": the train split holds no examples");
    }

    /** An empty test split: evaluate printed a table of NaN with exit 0, quality cached a judge with no test examples. */
    @Test
    void anEmptySplitIsRefusedByTheCommandsThatReadIt() throws IOException {
        Path data = Files.createDirectories(dir.resolve("no-test"));
        dev.nvae.io.Npy.writeF32(data.resolve("train-images.npy"), new float[8 * 16], 8, 16);
        dev.nvae.io.Npy.writeI64(data.resolve("train-labels.npy"), new int[] {0, 1, 0, 1, 0, 1, 0, 1});
        dev.nvae.io.Npy.writeF32(data.resolve("test-images.npy"), new float[0], 0, 16);
        dev.nvae.io.Npy.writeI64(data.resolve("test-labels.npy"), new int[0]);
        Path model = dir.resolve("m.safetensors");
        assertEquals(0, Cli.run("train", "--data", data, "--epochs", "1", "--hidden", "8,4", "--no-progress", "--out", model).exitCode());
        String empty = "--data " + data + ": the test split holds no examples";
        Cli.assertRefused(Cli.run("evaluate", "--model", model), dir.resolve("out"), empty);
        Cli.assertRefused(Cli.run("encode", "--model", model, "--out", out("e.npy")), dir.resolve("out"), empty);
        Cli.assertRefused(Cli.run("quality", "--model", model), dir.resolve("out"), empty);
        Cli.assertRefused(Cli.run("augment", "--model", model, "--epochs", "1"), dir.resolve("out"), empty);
        Cli.assertRefused(Cli.run("report", "--model", model, "--out", dir.resolve("out").resolve("rep")), dir.resolve("out"), empty);
    }

    /** --out names the report's directory: an .html name (a file the user meant) is refused before anything runs. */
    @Test
    void reportRefusesAnHtmlFileNameForItsDirectory() throws IOException {
        Path model = dir.resolve("missing.safetensors"); // refused before the model is read
        Path page = dir.resolve("out").resolve("r.html");
        Files.createDirectories(page.getParent());
        Cli.assertRefused(Cli.run("report", "--model", model, "--out", page), dir.resolve("out"),
                "--out " + page, "a report is a directory", "not an HTML file");
        Cli.assertRefused(Cli.run("report", "--model", model, "--out", dir.resolve("out").resolve("R.HTM")), dir.resolve("out"),
                "not an HTML file");
    }

    /**
     * A judge trained into the report's own directory was kept there beside the report, which then refused every later
     * run into that directory as holding a file no report writes; refused before any work instead.
     */
    @Test
    void reportRefusesAJudgeInsideItsDirectory() throws IOException {
        Path report = Files.createDirectories(dir.resolve("report"));
        Cli.assertRefused(Cli.run("report", "--model", model, "--data", "testdata", "--out", report,
                "--judge", report.resolve("judge.safetensors")), report, "--judge " + report.resolve("judge.safetensors"), "inside --out");
        Cli.assertRefused(Cli.run("report", "--model", model, "--data", "testdata", "--out", report,
                "--judge", report.resolve("sub/../judge.safetensors")), report, "inside --out");
        // A --judge that is no judge is refused before the model is evaluated, named for what it is.
        Path npy = dir.resolve("test-images.npy");
        dev.nvae.io.Npy.writeF32(npy, new float[784], 1, 784);
        Cli.Result r = Cli.run("report", "--model", model, "--data", "testdata", "--out", report, "--judge", npy);
        Cli.assertRefused(r, report, npy + ": is not a safetensors model file: it begins as an NPY array");
        assertFalse(r.err().contains("evaluating"), r.err());
    }

    /**
     * Images without their labels file have none (ClasslessVaeTest): the file that must be there is the images', here
     * the test split's, which the dataset lacks.
     */
    @Test
    void missingIdxFile() throws IOException {
        Path data = dataset(3, new int[]{0, 1, 2});
        fails(Cli.run("evaluate", "--model", model, "--data", data), "t10k-images-idx3-ubyte", "not found");
    }

    @Test
    void garbledIdxFile() throws IOException {
        Path data = dataset(3, new int[]{0, 1, 2});
        Files.write(data.resolve("train-images-idx3-ubyte"), "garbage, not IDX".getBytes());
        fails(Cli.run("train", "--data", data, "--out", out("m.safetensors")), "train-images-idx3-ubyte", "bad magic");
    }

    @Test
    void imageLabelCountMismatch() throws IOException {
        Path data = dataset(4, new int[]{0, 1, 0});
        fails(Cli.run("train", "--data", data, "--out", out("m.safetensors")), "4 images", "3 labels");
    }

    @Test
    void labelNotBelowTheNumberOfClasses() throws IOException {
        Path data = dataset(3, new int[]{0, 1, 5});
        Files.writeString(data.resolve("classes.txt"), "cat\ndog\n");
        fails(Cli.run("train", "--data", data, "--out", out("m.safetensors")), "classes.txt", "5");
    }

    @Test
    void dataWithMoreClassesThanTheModel() throws IOException {
        int[] labels = new int[11];
        for (int i = 0; i < labels.length; i++) labels[i] = i;
        Path data = dir.resolve("data11");
        Files.createDirectories(data);
        IdxWriter.writeImages(data.resolve("t10k-images-idx3-ubyte"), new float[11 * 784], 11, 28, 28);
        IdxWriter.writeLabels(data.resolve("t10k-labels-idx1-ubyte"), labels);
        fails(Cli.run("evaluate", "--model", model, "--data", data), "--data", "11 classes", "model has 10");
    }

    @Test
    void modelWithTensorsOfAnotherShape() throws IOException {
        Path bad = dir.resolve("other.safetensors");
        rewrite(model, bad, "heads.w", new long[]{256, 40});
        fails(Cli.run("evaluate", "--model", bad, "--data", "testdata"), bad.toString(), "heads.w", "shape");
    }

    @Test
    void modelWithAMissingTensor() throws IOException {
        Path bad = dir.resolve("renamed.safetensors");
        rewrite(model, bad, "dec3.w", null);
        fails(Cli.run("sample", "--model", bad, "--n", 1, "--format", "npy", "--out", out("s.npy")), bad.toString(), "dec3.w");
    }

    @Test
    void truncatedModel() throws IOException {
        Path bad = dir.resolve("truncated.safetensors");
        byte[] bytes = Files.readAllBytes(model);
        Files.write(bad, Arrays.copyOf(bytes, bytes.length / 2));
        fails(Cli.run("sample", "--model", bad, "--n", 1, "--format", "grid", "--out", out("g.png")), bad.toString(), "truncated");
    }

    @Test
    void classOutOfRange() throws IOException {
        fails(Cli.run("sample", "--model", model, "--n", 2, "--class", "10", "--format", "npy", "--out", out("s.npy")),
                "--class 10", "0..9");
    }

    @Test
    void unknownClassName() throws IOException {
        fails(Cli.run("sample", "--model", model, "--n", 2, "--class", "hat", "--format", "grid", "--out", out("s.png")),
                "--class 'hat'", "Sandal");
    }

    @Test
    void outInMissingDirectory() throws IOException {
        Path missing = dir.resolve("no/such/dir/m.safetensors");
        fails(Cli.trainSmall(missing), "--out", missing.toString(), "does not exist");
        assertFalse(Files.exists(dir.resolve("no")));
    }

    @Test
    void outUnderARegularFile() throws IOException {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        fails(Cli.run("sample", "--model", model, "--n", 1, "--format", "idx", "--out", file.resolve("samples")),
                "--out", "plain-file", "not a directory");
    }

    /** /proc passes every permission check for root but takes no new files: only trying tells. */
    @Test
    void outWhereNoFileCanBeCreated() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux /proc");
        fails(Cli.run("sample", "--model", model, "--n", 1, "--format", "npy", "--out", "/proc/samples.npy"),
                "--out /proc/samples.npy", "cannot create files in /proc");
        assertFalse(Files.exists(Path.of("/proc/samples.npy")));
    }

    @Test
    void outThatIsADirectory() throws IOException {
        Path existing = Files.createDirectories(dir.resolve("out").resolve("d"));
        Cli.Result r = Cli.run("reconstruct", "--model", model, "--data", "testdata", "--n", 2, "--out", existing);
        assertEquals(ErrorHandler.ERROR, r.exitCode());
        assertTrue(r.err().contains("--out") && r.err().contains("is a directory"), r.err());
    }

    @Test
    void encodeNeedsAKnownExtension() throws IOException {
        fails(Cli.run("encode", "--model", model, "--data", "testdata", "--out", out("z.txt")), "--out", ".npy or .csv");
    }

    /** A bad command line is bad input like any other: one line, exit code 1, and where the help is. */
    @Test
    void usageErrorsExitWithOneOnOneLineThatPointsToHelp() throws IOException {
        String line = fails(Cli.run("train", "--epochs", "many", "--out", dir.resolve("m.safetensors")), "--epochs", "'many'");
        assertTrue(line.endsWith("(see 'nvae train --help')"), line);
        fails(Cli.run("sample", "--model", model), "Missing required options", "(see 'nvae sample --help')");
        fails(Cli.run("evaluate", "--model", model, "--no-such-flag"), "--no-such-flag");
        fails(Cli.run("no-such-command"), "no-such-command");
    }

    // ---- model families, likelihoods and the analysis commands ----

    @Test
    void optionsOfAnotherModelFamilyAreRefused() throws IOException {
        Path m = out("m.safetensors");
        fails(Cli.trainSmall(m, "--model", "vae", "--dc", 3), "--dc applies to --model nvae only", "--dz");
        fails(Cli.trainSmall(m, "--model", "cvae", "--beta-c", 2), "--beta-c applies to --model nvae only");
        fails(Cli.trainSmall(m, "--dz", 4), "--dz applies to the baselines");
        fails(Cli.trainSmall(m, "--beta", 2), "--beta applies to --model beta-vae only");
        fails(Cli.trainSmall(m, "--sigma-x", 0.3), "--sigma-x applies to --likelihood gaussian only");
        fails(Cli.trainSmall(m, "--likelihood", "gaussian", "--binarize", "static"), "--binarize", "bernoulli");
        fails(Cli.trainSmall(m, "--model", "gan"), "--model gan", "nvae, vae, beta-vae, cvae");
        fails(Cli.trainSmall(m, "--likelihood", "poisson"), "--likelihood poisson");
        fails(Cli.trainSmall(m, "--binarize", "sometimes"), "--binarize sometimes");
    }

    @Test
    void classRequestsToAModelWithoutClassesAreRefused() throws IOException {
        fails(Cli.run("sample", "--model", vae, "--n", 2, "--class", "3", "--format", "npy", "--out", out("s.npy")),
                "--class", "vae is not conditioned on a class");
        fails(Cli.run("sample", "--model", vae, "--n", 2, "--format", "idx", "--out", out("idx")), "--format idx", "no labels");
        fails(Cli.run("traverse", "--model", vae, "--class", "3", "--out", out("t.png")), "--class", "vae is not conditioned");
        fails(Cli.run("augment", "--model", vae, "--data", "testdata", "--limit", 10), "--model", "cannot generate labelled examples");
    }

    @Test
    void badTraversalsAreRefused() throws IOException {
        fails(Cli.run("traverse", "--model", model, "--out", out("t.png")), "--shared-dim", "--class");
        fails(Cli.run("traverse", "--model", model, "--shared-dim", 8, "--out", out("t.png")), "--shared-dim 8", "0..7");
        fails(Cli.run("traverse", "--model", model, "--shared-dim", "all", "--out", out("t.png")), "--shared-dim all", "--class");
        fails(Cli.run("traverse", "--model", model, "--shared-dim", 1, "--range", "3,-3", "--out", out("t.png")), "--range");
        // A latent value is a float: one beyond its range was decoded as infinity, garbage pixels written with exit 0.
        fails(Cli.run("traverse", "--model", model, "--shared-dim", 1, "--range", "-1e39,1e39", "--out", out("t.png")),
                "--range -1e39,1e39", "float");
        fails(Cli.run("traverse", "--model", model, "--shared-dim", 1, "--out", out("t.npy")), "--out", ".png");
        fails(Cli.run("traverse", "--model", model, "--class", "Sandal", "--from-example", 0, "--data", "testdata", "--out", out("t.png")),
                "--from-example 0 is of class Ankle boot, not Sandal");
        fails(Cli.run("traverse", "--model", model, "--shared-dim", 1, "--from-example", 5000, "--data", "testdata", "--out", out("t.png")),
                "--from-example 5000", "1000 examples");
    }

    /** A decimal flag's value is echoed as typed: "--lr 0" came back as "--lr 0.0", "--sigma 1e39" as "--sigma 1.0E39". */
    @Test
    void aRefusedDecimalIsEchoedAsTyped() throws IOException {
        assertEquals("nvae: --lr 0 must be a positive number", fails(Cli.run("train", "--data", "testdata", "--lr", "0",
                "--out", out("m.safetensors"))));
        assertEquals("nvae: --labels-fraction 0 must be in (0, 1]", fails(Cli.run("train", "--data", "testdata", "--labels-fraction",
                "0", "--out", out("m.safetensors"))));
        assertEquals("nvae: --sigma -1 must be a positive number up to 100", fails(Cli.run("sample", "--model", model, "--n", 2,
                "--sigma", "-1", "--format", "npy", "--out", out("s.npy"))));
        // Typed as Java writes it, it stays so; and a longer number that begins with the rendering is not touched.
        assertEquals("nvae: --lr 0.0 must be a positive number", fails(Cli.run("train", "--data", "testdata", "--lr", "0.0",
                "--out", out("m.safetensors"))));
        assertEquals("nvae: --sigma 1e3 must be a positive number up to 100", fails(Cli.run("sample", "--model", model, "--n", 2,
                "--sigma", "1e3", "--format", "npy", "--out", out("s.npy"))));
    }

    @Test
    void badAnalysisOptionsAreRefused() throws IOException {
        fails(Cli.run("sample", "--model", model, "--n", 2, "--sigma-grid", "1,1.4", "--format", "npy", "--out", out("s.npy")),
                "--sigma-grid", "--format grid");
        fails(Cli.run("sample", "--model", model, "--n", 2, "--sigma-grid", "1,-1", "--format", "grid", "--out", out("s.png")),
                "--sigma-grid: -1.0 must be a positive number up to 100");
        // The flag given is the flag named (a NaN in --sigma-grid was reported as "--sigma NaN").
        assertEquals("nvae: --sigma-grid: NaN must be a positive number up to 100", fails(Cli.run("sample", "--model", model, "--n", 2,
                "--sigma-grid", "1,NaN", "--format", "grid", "--out", out("s.png"))));
        fails(Cli.run("sample", "--model", model, "--n", 2, "--sigma", "NaN", "--format", "grid", "--out", out("s.png")),
                "--sigma NaN must be a positive number up to 100");
        // An empty list of scales measured nothing and exited 0 (quality printed its header and no row); refused as sample refuses it.
        Path judge = out("judge.safetensors");
        assertEquals("nvae: --sigmas: no scales given", fails(Cli.run("quality", "--model", model, "--sigmas", ",", "--n", 2,
                "--judge", judge, "--judge-epochs", 1)));
        assertEquals("nvae: --sigma-grid: no scales given", fails(Cli.run("sample", "--model", model, "--n", 2, "--sigma-grid", ",",
                "--format", "grid", "--out", out("s.png"))));
        // A scale beyond float's range came back as NaN pixels; far below it, as meaningless ones.
        fails(Cli.run("sample", "--model", model, "--n", 2, "--sigma", "1e39", "--format", "npy", "--out", out("s.npy")),
                "--sigma 1e39 must be a positive number up to 100");
        fails(Cli.run("factors", "--model", model, "--threshold", -1), "--threshold -1");
        // Infinity is >= 0: the reason given has to be the one that rules it out.
        fails(Cli.run("factors", "--model", model, "--threshold", "1e999"), "--threshold 1e999 must be a finite number >= 0");
        fails(Cli.run("factors", "--model", model, "--heatmap", dir.resolve("no/such/h.png")), "--heatmap", "does not exist");
        fails(Cli.run("augment", "--model", model, "--fractions", "0,1.5"), "--fractions", "1.5");
        fails(Cli.run("disentangle", "--model", model, "--data", "testdata"), "--data testdata", "no known factors", "nvae synth");
        fails(Cli.run("synth", "--out", out("shapes"), "--train", 0), "--train 0");
    }

    /** An image folder under {@code name} of two blank 4x4 grey PNGs in each of {@code classes}. */
    private Path folders(String name, String... classes) throws IOException {
        Path data = dir.resolve(name);
        for (String cls : classes) {
            Files.createDirectories(data.resolve(cls));
            for (int i = 0; i < 2; i++) {
                javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(4, 4, java.awt.image.BufferedImage.TYPE_BYTE_GRAY), "png",
                        data.resolve(cls).resolve(i + ".png").toFile());
            }
        }
        return data;
    }

    /**
     * A class folder whose name holds a line break is refused naming it (found by an audit): classes.txt, which sample
     * --format idx writes beside its samples, holds one name per line, so folder 'a\nb' came back as classes a and b,
     * every later class under the label of the one before, without a word.
     */
    @Test
    void aClassFolderWhoseNameHoldsALineBreakIsRefused() throws IOException {
        Path data = folders("folders", "a\nb", "c");
        assertEquals("nvae: " + data + ": class folder 'a\\nb': its name holds a control character; class names are written one"
                + " per line (classes.txt): rename the folder", fails(Cli.run("train", "--data", data, "--epochs", 1, "--hidden", "8,8",
                "--out", out("m.safetensors"))));
    }

    /**
     * A class folder whose name begins or ends with a space is refused naming it (found by an audit): classes.txt, which
     * sample --format idx writes, is read back with each name stripped, so folder ' a ' came back as class 'a', which
     * evaluate then refused as not the model's.
     */
    @Test
    void aClassFolderWhoseNameBeginsOrEndsWithASpaceIsRefused() throws IOException {
        Path data = folders("spaced", " a ", "b");
        assertEquals("nvae: " + data + ": class folder ' a ': its name begins or ends with white space, which classes.txt does not"
                + " keep (its names are read stripped): rename the folder", fails(Cli.run("train", "--data", data, "--epochs", 1,
                "--hidden", "8,8", "--out", out("m.safetensors"))));
    }

    /**
     * Split folders of different classes are refused naming only the side that has classes the other lacks (found by an
     * audit): a test/ missing one of train/'s classes was refused with 'only in train/: [c]; only in test/: []'.
     */
    @Test
    void splitFoldersOfDifferentClassesNameOnlyTheExtraClasses() throws IOException {
        Path data = dir.resolve("splits");
        for (String folder : List.of("train/a", "train/b", "train/c", "test/a", "test/b")) {
            Files.createDirectories(data.resolve(folder));
            javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(4, 4, java.awt.image.BufferedImage.TYPE_BYTE_GRAY), "png",
                    data.resolve(folder).resolve("0.png").toFile());
        }
        assertEquals("nvae: " + data + ": train/ and test/ have different class folders (only in train/: [c]); both splits need the"
                + " same classes", fails(Cli.run("train", "--data", data, "--epochs", 1, "--hidden", "8,8", "--out", out("m.safetensors"))));
    }

    /** Synthetic shapes of {@code train} and {@code test} examples in {@code shapes}, and a tiny model trained on them beside it. */
    private static Path shapesModel(Path shapes, int train, int test) {
        assertEquals(0, Cli.run("synth", "--out", shapes, "--train", train, "--test", test).exitCode());
        Path m = shapes.resolveSibling(shapes.getFileName() + ".safetensors");
        Cli.Result t = Cli.run("train", "--data", shapes, "--epochs", 1, "--hidden", "8,8", "--out", m, "--no-progress");
        assertEquals(0, t.exitCode(), t.err());
        return m;
    }

    /**
     * disentangle refuses a split of fewer than 5 examples before any work, naming --data (found by an audit): synth
     * --test 2 gave 'internal error: java.lang.IllegalArgumentException: need at least 2 examples, got 1' for one, and
     * 'DCI needs at least 5 examples ...' as an internal error for two to four.
     */
    @Test
    void disentangleRefusesASplitTooSmallToScore() throws IOException {
        Path shapes = dir.resolve("shapes");
        Path m = shapesModel(shapes, 5, 2);
        assertEquals("nvae: --data " + shapes + ": the test split has 2 examples; disentangle needs at least 5 (DCI splits them"
                + " 60/20/20 to fit, choose and test its regressors)", fails(Cli.run("disentangle", "--model", m, "--data", shapes)));
        Cli.Result five = Cli.run("disentangle", "--model", m, "--data", shapes, "--split", "train", "--json");
        assertEquals(0, five.exitCode(), five.err());
    }

    /**
     * Factor files disentangle cannot score are refused in one line naming the file, before the split is encoded: an
     * infinite value was scored (every MIG, SAP and DCI figure of its group garbage, exit 0), and factors.txt giving a
     * factor to a class the data lacks ended, after the encoding, in 'factor rotation belongs to class 'hexagon', which the
     * data does not have', naming neither the file nor --data.
     */
    @Test
    void disentangleRefusesFactorFilesItCannotScore() throws Exception {
        Path shapes = dir.resolve("shapes-factors");
        Path m = shapesModel(shapes, 20, 10);
        Path values = shapes.resolve("t10k-factors.npy");
        byte[] good = Files.readAllBytes(values);
        dev.nvae.io.NpyArray a = dev.nvae.io.Npy.read(values);
        float[] v = a.floats();
        v[3 * (int) a.shape()[1] + 1] = Float.POSITIVE_INFINITY; // row 3, pos_y
        dev.nvae.io.Npy.writeF32(values, v, (int) a.shape()[0], (int) a.shape()[1]);
        assertEquals("nvae: " + values + ": row 3 gives factor pos_y the value Infinity; factor values are finite numbers (NaN where"
                + " the example's class lacks the factor)", fails(Cli.run("disentangle", "--model", m, "--data", shapes)));
        // A factor's NaN where the class has it said 'factor pos_y has no value for example 3, which is of a class that should have it'.
        v[3 * (int) a.shape()[1] + 1] = Float.NaN;
        dev.nvae.io.Npy.writeF32(values, v, (int) a.shape()[0], (int) a.shape()[1]);
        String nan = fails(Cli.run("disentangle", "--model", m, "--data", shapes));
        assertTrue(nan.startsWith("nvae: --data " + shapes + ":test: example 3 (class "), nan);
        assertTrue(nan.endsWith(") has no value (NaN) of factor pos_y, which factors.txt gives every class"), nan);
        Files.write(values, good);
        Path names = shapes.resolve("factors.txt");
        // It said 'expected a float32 array of N x 4 factor values', not what the file held.
        String five = Files.readString(names);
        Files.writeString(names, five.replace("aspect ellipse\n", ""));
        assertEquals("nvae: " + values + ": holds a <f4 array of shape [10, 5]; expected a float32 array of N x 4 factor values, one column"
                + " per factor factors.txt lists", fails(Cli.run("disentangle", "--model", m, "--data", shapes)));
        // A repeated name was accepted, its two columns printed as two rows of one factor.
        Files.writeString(names, five.replace("scale shared", "pos_x shared"));
        assertEquals("nvae: " + names + ": line 3 repeats the factor name 'pos_x' of line 1; every factor needs its own name",
                fails(Cli.run("disentangle", "--model", m, "--data", shapes)));
        Files.writeString(names, five);
        Files.writeString(names, Files.readString(names).replace("rotation triangle", "rotation hexagon"));
        assertEquals("nvae: --data " + shapes + ":test: factors.txt gives factor rotation to class 'hexagon', which the data does not have"
                + " (its classes: triangle, ellipse, square)", fails(Cli.run("disentangle", "--model", m, "--data", shapes)));
    }

    /**
     * traverse reads --data and --split only for --from-example's example: without it they were ignored, a data set
     * that does not exist and a split that is not one included, and the traversal written (exit 0).
     */
    @Test
    void traverseRefusesDataFlagsThatChooseNoExample() throws IOException {
        fails(Cli.run("traverse", "--model", model, "--shared-dim", 0, "--data", dir.resolve("no-such-data"), "--out", out("t.png")),
                "--data", "--from-example");
        fails(Cli.run("traverse", "--model", model, "--shared-dim", 0, "--split", "bogus", "--out", out("t.png")), "--split", "--from-example");
        assertEquals(0, Cli.run("traverse", "--model", model, "--shared-dim", 0, "--data", "testdata", "--split", "train",
                "--from-example", 3, "--out", dir.resolve("t.png")).exitCode());
    }

    /**
     * demo refuses its flags before it reads the data or makes --out: it printed the data line, made the directory and
     * left it empty for --epochs 0, --threads 0 or a backend that does not exist; --precision bf16 on a backend that
     * cannot train at bf16 is refused there too.
     */
    @Test
    void demoRefusesItsFlagsBeforeReadingDataOrMakingItsDirectory() throws IOException {
        Path out = dir.resolve("demo");
        fails(Cli.run("demo", "--epochs", 0, "--out", out), "--epochs 0 must be at least 1");
        fails(Cli.run("demo", "--threads", 0, "--out", out), "--threads 0");
        fails(Cli.run("demo", "--backend", "bogus", "--out", out), "--backend bogus");
        fails(Cli.run("demo", "--precision", "bf16", "--backend", "vector", "--out", out), "--precision bf16", "inference only");
        assertFalse(Files.exists(out), "no directory made");
        fails(Cli.run("demo", "--out", Files.writeString(dir.resolve("a-file"), "x")), "is a file, not a directory");
    }

    /**
     * On one processor the --threads cap counts in words: "demo --threads 2" warned "--threads 2 is more than the 1
     * processors available; using 1" (every command caps --threads in these words).
     */
    @Test
    void theThreadsCapSaysOneProcessor() throws Exception {
        Path out = dir.resolve("demo");
        ChildCli.Result r = ChildCli.startWithJvmFlags(dir.resolve("logs"), List.of("-XX:ActiveProcessorCount=1"), "demo", "--threads", 2,
                "--precision", "bf16", "--backend", "vector", "--out", out).await();
        assertEquals(1, r.exitCode(), r.err());
        assertEquals("warning: --threads 2 is more than the 1 processor available; using 1", r.err().lines().findFirst().orElse(""), r.err());
        assertFalse(Files.exists(out), "no directory made");
    }

    /**
     * evaluate's default --prior-samples 1000 holds an MMD kernel of (2·1000)² doubles: in a small heap it ran out of memory
     * and the line blamed --iw 1; now it is refused first, naming the default and how to turn it off.
     */
    @Test
    void theDefaultPriorSamplesAreNamedWhenTheHeapCannotHoldThem() throws Exception {
        ChildCli.Result r = ChildCli.startWithJvmFlags(dir.resolve("logs"), List.of("-Xmx28m"), "evaluate", "--model", model,
                "--data", "testdata", "--split", "test", "--iw", 1).await();
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().strip().startsWith("nvae: --prior-samples 1000 (the default; 0 turns it off): comparing 1000 posterior draws "
                + "with as many of N(0, I) needs 32.5 MB of memory, more than the "), r.err());
    }

    /** A mistyped command or option names the one meant when it is a slip away; picocli said "Unmatched argument at index 0". */
    @Test
    void aMistypedCommandOrOptionNamesTheOneMeant() throws IOException {
        assertEquals("nvae: unknown command 'trian'; did you mean 'train'? (see 'nvae --help')", fails(Cli.run("trian")));
        assertEquals("nvae: unknown command 'bogus' (see 'nvae --help')", fails(Cli.run("bogus")), "nothing close: no guess");
        // A word before the command was left unmatched while the command went on to be parsed: "nvae help train" said
        // "Missing required option: '--out=M.safetensors' (see 'nvae train --help')".
        assertEquals("nvae: unknown command 'help' (see 'nvae --help')", fails(Cli.run("help", "train")));
        assertEquals("nvae: Unknown options: '--epoch', '3'; did you mean '--epochs'? (see 'nvae train --help')",
                fails(Cli.run("train", "--epoch", 3, "--out", out("m.safetensors"))));
        assertEquals("nvae: Unknown option: '--seeed=3'; did you mean '--seed'? (see 'nvae sample --help')",
                fails(Cli.run("sample", "--model", model, "--n", 2, "--format", "npy", "--out", out("s.npy"), "--seeed=3")));
        // A mistyped required option is the cause, not the options it left missing.
        assertEquals("nvae: Unknown options: '--modle', 'x'; did you mean '--model'? (see 'nvae sample --help')",
                fails(Cli.run("sample", "--modle", "x", "--n", 2)));
        assertEquals(1, ErrorHandler.editDistance("trian", "train"));
        assertEquals(1, ErrorHandler.editDistance("evalute", "evaluate"));
        assertEquals(1, ErrorHandler.editDistance("--lables", "--labels"));
        assertEquals(3, ErrorHandler.editDistance("kitten", "sitting"));
        assertEquals(0, ErrorHandler.editDistance("", ""));
    }

    /**
     * demo's --out must be new, empty or an earlier demo's: "--out ." in a folder holding the user's own
     * model.safetensors replaced it (and any samples.png) without being asked. Refused before training, nothing touched.
     */
    @Test
    void demoRefusesADirectoryThatIsNotAnEarlierDemos() throws IOException {
        Path mine = Files.createDirectories(dir.resolve("mine"));
        Path model = Files.writeString(mine.resolve("model.safetensors"), "my own model");
        fails(Cli.run("demo", "--epochs", 1, "--out", mine), "--out " + mine, "is not empty and is not an earlier demo's directory",
                "model.safetensors");
        assertEquals("my own model", Files.readString(model));
        Files.writeString(mine.resolve("samples.png"), "x");
        Files.writeString(mine.resolve("reconstructions.png"), "x");
        Files.writeString(mine.resolve("notes.txt"), "x");
        fails(Cli.run("demo", "--epochs", 1, "--out", mine), "model.safetensors, notes.txt, reconstructions.png and 1 more");
        assertEquals(List.of("model.safetensors", "notes.txt", "reconstructions.png", "samples.png"), OutputPaths.entries(mine, "--out"));
        // exactly an earlier demo's three files: accepted (the check, not a whole demo run)
        Files.delete(mine.resolve("notes.txt"));
        DemoCommand.requireNewOrEarlierDemo(mine);
        DemoCommand.requireNewOrEarlierDemo(Files.createDirectories(dir.resolve("empty")));
        DemoCommand.requireNewOrEarlierDemo(dir.resolve("new"));
    }

    // ---- sizes that decide an allocation: checked first, one line naming the flag and the limit ----

    /**
     * reconstruct's grid is bounded as every grid is (2^28 pixels): 6,200 reconstructions of 64x64 images, inputs and
     * outputs in alternating rows, were drawn into a 1,700 x 161,600-pixel PNG (275 megapixels; a larger split, more),
     * after every example had been encoded. Refused before.
     */
    @Test
    void aReconstructionGridBeyondTheLimitIsRefusedBeforeAnyExampleIsEncoded() throws IOException {
        Path data = Files.createDirectories(dir.resolve("big"));
        int side = 64, train = 20, test = 6200;
        IdxWriter.writeImages(data.resolve("train-images-idx3-ubyte"), new float[train * side * side], train, side, side);
        IdxWriter.writeLabels(data.resolve("train-labels-idx1-ubyte"), train, i -> i % 2);
        java.nio.ByteBuffer idx = java.nio.ByteBuffer.allocate(16 + test * side * side).putInt(0x803).putInt(test).putInt(side).putInt(side);
        Files.write(data.resolve("t10k-images-idx3-ubyte"), idx.array()); // blank images, written without a float array of them
        IdxWriter.writeLabels(data.resolve("t10k-labels-idx1-ubyte"), test, i -> i % 2);
        Path m = shared.resolve("big.safetensors");
        Cli.Result trained = Cli.run("train", "--data", data, "--hidden", "8,8", "--epochs", 1, "--no-progress", "--out", m);
        assertEquals(0, trained.exitCode(), trained.err());
        fails(Cli.run("reconstruct", "--model", m, "--n", test, "--out", out("r.png")),
                "--n 6200: a grid of 1240 x 10 images", "more than the 268435456 (2^28) a grid may have");
        assertEquals(0, Cli.run("reconstruct", "--model", m, "--n", 100, "--out", dir.resolve("r.png")).exitCode());
    }

    @Test
    void sizesBeyondWhatFitsAreRefusedNamingTheFlagAndTheLimit() throws IOException {
        // NPY streams, so --n is bounded by the disk only: checked before the first sample is drawn.
        fails(Cli.run("sample", "--model", model, "--n", Integer.MAX_VALUE, "--class", 0, "--format", "npy", "--out", out("s.npy")),
                "--n 2147483647: 2147483647 samples need ", " TB, but ", " free");
        fails(Cli.run("sample", "--model", model, "--n", Integer.MAX_VALUE, "--format", "npy", "--out", out("s.npy")),
                "--n 2147483647: 21474836470 samples need ");
        fails(Cli.run("sample", "--model", model, "--n", 300_000_000, "--format", "idx", "--out", out("idx")),
                "--n 300000000: 3000000000 samples; an IDX file holds at most 2147483647");
        fails(Cli.run("sample", "--model", model, "--n", 2_000_000, "--class", 0, "--format", "png", "--out", out("png")),
                "--n 2000000: 2000000 samples would be as many PNG files; --format png writes at most 1000000");
        fails(Cli.run("sample", "--model", model, "--n", 300_000, "--format", "grid", "--out", out("g.png")),
                "--n 300000: a grid of 10 x 300000 images", "more than the 268435456 (2^28) a grid may have");
        fails(Cli.run("traverse", "--model", model, "--shared-dim", 0, "--steps", Integer.MAX_VALUE, "--out", out("t.png")),
                "--steps 2147483647: a grid of 10 x 2147483647 images");
        fails(Cli.trainSmall(out("m.safetensors"), "--hidden", "100000000,256"), "--hidden 100000000,256: a hidden layer may be at most 16777216 wide");
        fails(Cli.trainSmall(out("m.safetensors"), "--hidden", "16777216,256"),
                "--hidden 16777216,256 --ds 8 --dc 4: training a model of ", " parameters in batches of 128 needs ", "this JVM may use");
        // Every flag that sizes the model is named: the class blocks asked for too much here, and the line named --hidden alone.
        fails(Cli.trainSmall(out("m.safetensors"), "--dc", "100000"),
                "--hidden 512,256 --ds 8 --dc 100000: training a model of ", "this JVM may use");
        fails(Cli.trainSmall(out("m.safetensors"), "--model", "vae", "--dz", "1000000"),
                "--hidden 512,256 --dz 1000000: training a model of ", "this JVM may use");
        // A batch of labelled and unlabelled examples is --batch rows however few the examples: counted as the 300
        // examples, it passed the check and ran out of memory after the run was announced.
        fails(Cli.trainSmall(out("m.safetensors"), "--labels-per-class", 5, "--batch", 20_000_000),
                "--hidden 512,256 --ds 8 --dc 4: training a model of ", " parameters in batches of 20000000 needs ", "this JVM may use");
        fails(Cli.run("evaluate", "--model", model, "--data", "testdata", "--iw", Integer.MAX_VALUE),
                "--iw 2147483647: batches of 500 examples", "lower --iw or --batch");
        fails(Cli.run("synth", "--out", out("shapes"), "--train", Integer.MAX_VALUE), "--train 2147483647: at most 2739137 examples");
        // quality and report judge n samples of each of the 10 classes at each sigma: refused before the judge is
        // trained or read (the judge file is never made) and before the test split is evaluated, not by an
        // "internal error: integer overflow" after that work.
        Path judge = out("judge.safetensors");
        assertEquals("nvae: --n 2000000000: at most 214748363 samples per class (10 classes: all samples' labels are one array of at most 2147483639)",
                fails(Cli.run("quality", "--model", model, "--data", "testdata", "--n", 2_000_000_000, "--judge", judge)));
        fails(Cli.run("report", "--model", model, "--data", "testdata", "--n", 2_000_000_000, "--judge", judge, "--out", out("report")),
                "--n 2000000000: at most 214748363 samples per class");
        fails(Cli.run("quality", "--model", model, "--data", "testdata", "--n", 100_000_000, "--sigmas", "1,1.4,2", "--judge", judge),
                "--n 100000000: judging 1000000000 samples at 3 scales needs ", "this JVM may use");
        fails(Cli.run("report", "--model", model, "--data", "testdata", "--iw", 2_000_000_000, "--judge", judge, "--out", out("report")),
                "--iw 2000000000: batches of 500 examples", "lower --iw");
    }

    /**
     * synth --train more than the heap holds advised "NVAE_JAVA_OPTS=-Xmx=10g", which java refuses ("Invalid maximum heap
     * size"); the heap's option takes its size without '=', -Xmx10g, as -XX:MaxDirectMemorySize=16g takes it with one. And
     * a heap of just the bytes asked for still ran out (the parallel collector keeps an array that large in its old
     * generation, two thirds of the heap): half as much again is advised. The count is the first the heap cannot hold once
     * both splits are counted with their factors and a split's images once more as floats while it is written: counting
     * one split's bytes and floats alone let --train 1600000 through a 6.3 GB heap, to run out of it a minute later.
     */
    @Test
    void synthBeyondTheHeapAdvisesAnOptionJavaTakes() throws IOException {
        long heap = Runtime.getRuntime().maxMemory();
        int test = 600;
        long held = 28 * 28 + 1 + 48, writing = 28 * 28 * Float.BYTES + Integer.BYTES;  // an example's bytes, and its floats as written
        long n = (heap - test * held) / (held + writing) + 1;
        org.junit.jupiter.api.Assumptions.assumeTrue(n <= 2_739_137, "a heap under 10.7 GB");
        long bytes = n * (held + writing) + test * held;
        long gigabytes = ((bytes + bytes / 2) >> 30) + 1;
        fails(Cli.run("synth", "--out", out("shapes"), "--train", n, "--test", test),
                "--train " + n + " --test " + test + ": generating " + (n + test) + " examples needs ",
                "; let it use more with NVAE_JAVA_OPTS=-Xmx" + gigabytes + "g");
    }

    /** A config claiming layers the file does not hold is caught from the file's shapes, before the layers are allocated. */
    @Test
    void aModelWhoseConfigClaimsHugeLayersIsRefusedBeforeAllocating() throws IOException {
        Path bad = dir.resolve("huge.safetensors");
        SafeTensorsFile src = SafeTensors.read(model);
        java.util.Map<String, String> meta = new java.util.LinkedHashMap<>(src.metadata());
        meta.put("nvae.config", meta.get("nvae.config").replace("\"hidden1\":512", "\"hidden1\":16000000"));
        List<NamedArray> arrays = new ArrayList<>();
        for (String n : src.names()) arrays.add(new NamedArray(n, src.shape(n), MemorySegment.ofArray(src.floats(n))));
        SafeTensors.writeArrays(bad, arrays, meta);
        fails(Cli.run("sample", "--model", bad, "--n", 1, "--format", "grid", "--out", out("g.png")),
                bad + ": tensor enc1.w has shape [784, 512] but the config needs [784, 16000000]");
    }

    /**
     * Finite weights so large that float32 overflows: encode wrote rows of Infinity and NaN (and a class argmax'ed
     * from NaN probabilities) and evaluate printed a table of NaN, both with exit 0.
     */
    @Test
    void aModelWhoseOutputsOverflowFailsNamingTheValueAndWritesNothing() throws IOException {
        Path bad = dir.resolve("overflowing.safetensors");
        SafeTensorsFile src = SafeTensors.read(model);
        List<NamedArray> arrays = new ArrayList<>();
        for (String n : src.names()) {
            float[] values = src.floats(n);
            if (n.endsWith(".w")) for (int i = 0; i < values.length; i++) values[i] *= 1e18f;
            arrays.add(new NamedArray(n, src.shape(n), MemorySegment.ofArray(values)));
        }
        SafeTensors.writeArrays(bad, arrays, src.metadata());
        String[] overflow = {"nvae: the model's encoder gives ", "Infinity for mu_s0 of example 0 (its weights are finite but so large"
                + " that float32 arithmetic overflows on this input)"};
        fails(Cli.run("encode", "--model", bad, "--data", "testdata", "--out", out("e.npy")), overflow);
        fails(Cli.run("evaluate", "--model", bad, "--data", "testdata", "--json"), overflow);
        fails(Cli.run("reconstruct", "--model", bad, "--data", "testdata", "--n", 4, "--out", out("r.png")), overflow);
    }

    /** A FIFO used to hang the command forever; /dev/zero read as "0 bytes". */
    @Test
    void aModelThatIsNotARegularFileIsRefused() throws Exception {
        Path fifo = dir.resolve("fifo.safetensors");
        org.junit.jupiter.api.Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "needs mkfifo");
        fails(Cli.run("sample", "--model", fifo, "--n", 1, "--format", "grid", "--out", out("g.png")),
                fifo + ": cannot read: not a regular file (a device, FIFO or socket)");
        if (Files.exists(Path.of("/dev/zero"))) {
            fails(Cli.run("evaluate", "--model", "/dev/zero", "--data", "testdata"), "/dev/zero: cannot read: not a regular file");
        }
        fails(Cli.run("evaluate", "--model", dir, "--data", "testdata"), dir + ": cannot read: is a directory");
    }

    @Test
    void messagesSayWhatIsWrongWithWhichFileOrFlag() throws IOException {
        // A tensor dropped from the header, its bytes still in the file.
        Path dropped = dir.resolve("dropped.safetensors");
        SafeTensorsFile src = SafeTensors.read(model);
        List<NamedArray> arrays = new ArrayList<>();
        for (String n : src.names()) if (!n.equals("dec3.b")) arrays.add(new NamedArray(n, src.shape(n), MemorySegment.ofArray(src.floats(n))));
        SafeTensors.writeArrays(dropped, arrays, src.metadata());
        Files.write(dropped, new byte[784 * Float.BYTES], java.nio.file.StandardOpenOption.APPEND);
        fails(Cli.run("sample", "--model", dropped, "--n", 1, "--format", "grid", "--out", out("g.png")), "belong to no tensor of the header",
                "is a tensor missing from it?");
        fails(Cli.run("train", "--data", "", "--out", out("m.safetensors")), "--data is empty; give fashion-mnist, testdata or a directory");
        // A model file is no checkpoint: it was refused as "not a directory: give the checkpoint directory, not a file in
        // it", as if it lay in one. A checkpoint file itself is still told to give its directory.
        fails(Cli.run("train", "--resume", model, "--out", out("m.safetensors")),
                "--resume " + model + " is a model file, not a checkpoint directory: a run goes on only from the checkpoints "
                        + "that train --checkpoint-dir DIR writes (a model file holds no Adam moments or position)");
        Path checkpointFile = dir.resolve("checkpoint-000000001.safetensors");
        java.util.Map<String, String> meta = new java.util.HashMap<>(src.metadata());
        meta.put("format", dev.nvae.train.Checkpoint.FORMAT);
        List<NamedArray> all = new ArrayList<>();
        for (String n : src.names()) all.add(new NamedArray(n, src.shape(n), MemorySegment.ofArray(src.floats(n))));
        SafeTensors.writeArrays(checkpointFile, all, meta);
        fails(Cli.run("train", "--resume", checkpointFile, "--out", out("m.safetensors")),
                "--resume " + checkpointFile + " is not a directory: give the checkpoint directory, not a file in it");
        Path one = dataset(3, new int[]{0, 0, 0});
        fails(Cli.run("train", "--data", one, "--out", out("m.safetensors")),
                "--data " + one + ": the training split has 1 class; a model needs at least 2");
        Path utf = dataset(3, new int[]{0, 1, 1});
        Files.write(utf.resolve("classes.txt"), new byte[]{'c', 'a', 't', '\n', (byte) 0xC3, '(', '\n'});
        fails(Cli.run("train", "--data", utf, "--out", out("m.safetensors")), utf.resolve("classes.txt")
                + ": is not UTF-8 text; write the class names in UTF-8, one per line");
    }

    @Test
    void aGzipWhoseChecksumFailsIsReportedAsDamaged() throws IOException {
        Path data = dataset(3, new int[]{0, 1, 2});
        byte[] raw = Files.readAllBytes(data.resolve("train-labels-idx1-ubyte"));
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (var out = new java.util.zip.GZIPOutputStream(gz)) {
            out.write(raw);
        }
        byte[] bytes = gz.toByteArray();
        bytes[bytes.length - 8] ^= 0x5A; // the CRC-32 in the trailer
        Files.delete(data.resolve("train-labels-idx1-ubyte"));
        Files.write(data.resolve("train-labels-idx1-ubyte.gz"), bytes);
        fails(Cli.run("train", "--data", data, "--out", out("m.safetensors")), data.resolve("train-labels-idx1-ubyte.gz")
                + ": damaged gzip data: the CRC-32 or length in its trailer does not match what it inflates to");
    }

    /** Silently accepted before: refused now, or (--threads) warned about. */
    @Test
    void inconsistentDataIsRefusedAndTooManyThreadsCapped() throws IOException {
        Path dup = dataset(3, new int[]{0, 1, 1});
        Files.writeString(dup.resolve("classes.txt"), "cat\ndog\ncat\n");
        fails(Cli.run("train", "--data", dup, "--out", out("m.safetensors")),
                dup.resolve("classes.txt") + ": line 3 repeats the class name 'cat' of line 1; every class needs its own name");
        Files.delete(dup.resolve("classes.txt"));
        Path sizes = dataset(3, new int[]{0, 1, 1});
        IdxWriter.writeImages(sizes.resolve("t10k-images-idx3-ubyte"), new float[2 * 25], 2, 5, 5);
        IdxWriter.writeLabels(sizes.resolve("t10k-labels-idx1-ubyte"), new int[]{0, 1});
        fails(Cli.run("train", "--data", sizes, "--out", out("m.safetensors")), sizes.resolve("t10k-images-idx3-ubyte")
                + ": holds images of 5x5 but " + sizes.resolve("train-images-idx3-ubyte") + " holds 4x4; the train and test splits must have one image size");
        int cpus = Runtime.getRuntime().availableProcessors();
        Cli.Result many = Cli.run("sample", "--model", model, "--n", 1, "--format", "grid", "--threads", cpus + 62, "--backend", "vector",
                "--out", dir.resolve("g.png"));
        assertEquals(0, many.exitCode(), many.err());
        assertEquals("warning: --threads " + (cpus + 62) + " is more than the " + cpus + (cpus == 1 ? " processor" : " processors") + " available; using " + cpus,
                many.errLines().getFirst());
    }

    /** Copies a model file, giving {@code name} a different shape, or dropping it under another name when shape is null. */
    private static void rewrite(Path from, Path to, String name, long[] shape) {
        SafeTensorsFile src = SafeTensors.read(from);
        List<NamedArray> arrays = new ArrayList<>();
        for (String n : src.names()) {
            if (!n.equals(name)) {
                arrays.add(new NamedArray(n, src.shape(n), MemorySegment.ofArray(src.floats(n))));
            } else if (shape != null) {
                arrays.add(new NamedArray(n, shape, MemorySegment.ofArray(new float[(int) (shape[0] * shape[1])])));
            } else {
                arrays.add(new NamedArray("renamed.w", src.shape(n), MemorySegment.ofArray(src.floats(n))));
            }
        }
        SafeTensors.writeArrays(to, arrays, src.metadata());
    }

    /** Bytes the JVM cannot decode arrive as U+FFFD: 'a\xe9.npy' and 'a\xe8.npy' were one file, the second run replacing the first's. */
    @Test
    void anArgumentTheJvmCouldNotDecodeIsRefused() throws IOException {
        // A path holding U+FFFD needs a file-name encoding that can write it (as where the JVM decoded the bytes so).
        org.junit.jupiter.api.Assumptions.assumeTrue("UTF-8".equals(System.getProperty("sun.jnu.encoding")), "file names in UTF-8");
        Path undecodable = out("a\uFFFD.npy");
        fails(Cli.run("sample", "--model", model, "--n", 1, "--format", "npy", "--out", undecodable),
                "--out " + undecodable + ": holds U+FFFD");
        assertFalse(Files.exists(undecodable));
    }

    @Test
    void theFlagAtFaultIsTheOneNamed() throws IOException {
        // An empty value vanished from the line: "--arch : expected one of mlp, conv".
        fails(Cli.run("train", "--arch", "", "--out", out("m.safetensors")), "--arch '': expected one of mlp, conv");
        fails(Cli.run("train", "--model", "", "--out", out("m.safetensors")), "--model '': expected one of");
        // 1/sigma^2 past float's range: every loss infinite ("training diverged ... --lr"), or no reconstruction term at all.
        for (String sigma : new String[]{"1e-50", "1e39"}) {
            fails(Cli.run("train", "--data", "testdata", "--likelihood", "gaussian", "--sigma-x", sigma, "--out", out("m.safetensors")),
                    "--sigma-x " + sigma + ": 1/sigma^2 must be a float, so sigma between about 6e-20 and 9e18");
        }
        // A loss weight past float's range: "training diverged: non-finite gradients ...; try a smaller --lr".
        for (String flag : new String[]{"--beta-c", "--alpha", "--balance", "--y-kl"}) {
            String labels = flag.equals("--alpha") ? "given" : "none";  // --balance and --y-kl weigh unlabelled examples
            fails(Cli.run("train", "--data", "testdata", "--labels", labels, flag, "1e39", "--out", out("m.safetensors")),
                    flag + " 1e39 is beyond float's range (about 3.4e38): the loss is computed in float");
        }
        fails(Cli.run("sample", "--model", model, "--n", 1, "--backend", "", "--out", out("s.npy")), "--backend '': expected");
        fails(Cli.run("sample", "--model", model, "--n", 1, "--precision", "", "--out", out("s.npy")), "--precision '': expected fp32 or bf16");
        fails(Cli.run("export", "--model", model, "--dtype", "", "--out", out("e.safetensors")), "--dtype '': expected fp32 or bf16");
        // An empty path was the current directory: ": cannot read: is a directory", naming nothing.
        fails(Cli.run("evaluate", "--model", ""), "--model", "an empty path");
        fails(Cli.run("sample", "--model", model, "--n", 2, "--format", "npy", "--out", ""), "--out", "an empty path");
        fails(Cli.run("cluster", "--model", vae, "--data", "testdata", "--clusters", 5000, "--restarts", 1),
                "--clusters 5000", "more clusters than the 1000 examples in testdata (test split)");
        // Unbounded, 2e9 restarts ran k-means until killed after encoding the split; now refused before the model is read.
        fails(Cli.run("cluster", "--model", dir.resolve("absent.safetensors"), "--data", "testdata", "--restarts", 2_000_000_000),
                "--restarts 2000000000 must be from 1 to 1000");
        fails(Cli.run("cluster", "--model", vae, "--data", "testdata", "--restarts", 0), "--restarts 0 must be from 1 to 1000");
        // Checked before the classifier is built: a zero width failed there, naming no flag.
        fails(Cli.run("augment", "--model", model, "--data", "testdata", "--limit", 10, "--hidden", "0,0"), "--hidden 0,0", "positive");
        fails(Cli.run("augment", "--model", model, "--data", "testdata", "--limit", 10, "--hidden", "2000000000,2"),
                "--hidden 2000000000,2", "parameters in batches of 10 needs", "of memory");
        // A batch holds at most the training examples: --batch 2000000000 over 10 of them was refused as a default
        // --hidden 512,256 classifier needing terabytes, a run that trains in batches of 10.
        assertEquals(0, Cli.run("augment", "--model", model, "--data", "testdata", "--limit", 10, "--epochs", 1, "--fractions", 0,
                "--batch", 2_000_000_000).exitCode());
        // train's own widths: a non-positive one said "hidden sizes must be positive", naming no flag and no value,
        // and a conv's zero width "has one dense width (--hidden H), got 0,0", when one was given.
        fails(Cli.trainSmall(out("m.safetensors"), "--hidden", "5,-3"), "--hidden 5,-3", "positive");
        fails(Cli.trainSmall(out("m.safetensors"), "--arch", "conv", "--hidden", "0"), "--hidden 0", "positive");
    }
}
