package dev.nvae.cli;

import dev.nvae.data.DataSources;
import dev.nvae.data.Dataset;
import dev.nvae.data.Split;
import dev.nvae.io.IdxWriter;
import dev.nvae.io.OutputTarget;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Outputs are sacred: one CLI test per way an output could destroy data — writing over one of the
 * command's own inputs, replacing a device, FIFO or link, overwriting a file the user may not write,
 * mixing a dataset into another one. (Interrupted runs: {@link KillTest}.)
 */
class OutputSafetyTest {
    private static final Path model = Cli.smallModel();

    @TempDir
    Path dir;

    /** Refused: exit 1, one line naming the flag, the path and why; nothing written. */
    private static void refused(Cli.Result r, String line) {
        assertEquals(1, r.exitCode(), r.err());
        assertEquals(List.of("nvae: " + line), r.errLines());
        assertEquals("", r.out());
    }

    /** A copy of the model under {@code name}, and its digest. */
    private Path copyOfModel(String name) throws IOException {
        return Files.copy(model, dir.resolve(name));
    }

    /**
     * The file written beside the named one (samples' labels, a traversal's NPY) replaces a file of its name only as the
     * pair of an earlier output: sample --out s.npy replaced the user's own s-labels.npy, and traverse --out g.png their
     * g.npy, silently.
     */
    @Test
    void aFileBesideTheNamedOneIsReplacedOnlyAsItsPair() throws Exception {
        Path labels = Files.writeString(dir.resolve("s-labels.npy"), "mine");
        Path samples = dir.resolve("s.npy");
        String notPair = ", which exists and is not the pair of an earlier ";
        refused(Cli.run("sample", "--model", model, "--n", 2, "--out", samples), "--out " + samples + ": the samples' labels would be "
                + "written to " + labels + notPair + "s.npy; move it or give another name");
        Path npy = Files.writeString(dir.resolve("g.npy"), "mine");
        Path grid = dir.resolve("g.png");
        String refusal = "--out " + grid + ": the traversal's NPY would be written to " + npy + notPair + "g.png; move it or give another name";
        refused(Cli.run("traverse", "--model", model, "--shared-dim", 0, "--out", grid), refusal);
        assertEquals("mine", Files.readString(labels));
        assertEquals("mine", Files.readString(npy));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(java.util.Set.of(labels, npy), java.util.Set.copyOf(left.toList()), "nothing written");
        }
        // --no-npy writes no NPY, so the user's stays beside the PNG; and a PNG there does not make it the PNG's pair.
        assertEquals(0, Cli.run("traverse", "--model", model, "--shared-dim", 0, "--no-npy", "--out", grid).exitCode());
        refused(Cli.run("traverse", "--model", model, "--shared-dim", 0, "--out", grid), refusal);
        assertEquals("mine", Files.readString(npy));
        // Nor does a samples file beside labels of another count make them its pair.
        Path other = dir.resolve("o.npy");
        assertEquals(0, Cli.run("sample", "--model", model, "--n", 2, "--out", other).exitCode());
        Files.copy(labels, dir.resolve("o-labels.npy"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        refused(Cli.run("sample", "--model", model, "--n", 2, "--out", other), "--out " + other + ": the samples' labels would be written to "
                + dir.resolve("o-labels.npy") + notPair + "o.npy; move it or give another name");
        // An earlier run's pair is replaced as a pair.
        Path again = dir.resolve("again.npy");
        for (int run = 0; run < 2; run++) {
            Cli.Result r = Cli.run("sample", "--model", model, "--n", 2 + run, "--out", again);
            assertEquals(0, r.exitCode(), r.err());
            assertEquals(128 + 8 * (2 + run) * 10, Files.size(dir.resolve("again-labels.npy")), "run " + run);
        }
        Path g2 = dir.resolve("g2.png");
        for (int run = 0; run < 2; run++) {
            Cli.Result r = Cli.run("traverse", "--model", model, "--shared-dim", 0, "--steps", 3 + run, "--out", g2);
            assertEquals(0, r.exitCode(), r.err());
        }
    }

    @Test
    void noCommandWritesOverItsModel() throws Exception {
        Path x = copyOfModel("x.safetensors");
        String before = digest(x);
        String same = " is the --model file " + x + "; writing it would destroy the input: give another name";
        refused(Cli.run("sample", "--model", x, "--n", 2, "--format", "npy", "--out", x), "--out " + x + same);
        refused(Cli.run("sample", "--model", x, "--n", 2, "--format", "grid", "--out", x), "--out " + x + same);
        refused(Cli.run("reconstruct", "--model", x, "--data", "testdata", "--n", 2, "--out", x), "--out " + x + same);
        refused(Cli.run("factors", "--model", x, "--data", "testdata", "--heatmap", x), "--heatmap " + x + same);
        // The same file under other names: a relative path, a symbolic link, a hard link.
        Path relative = Path.of("").toAbsolutePath().relativize(x);
        refused(Cli.run("sample", "--model", x, "--n", 2, "--format", "grid", "--out", relative), "--out " + relative + same);
        Path link = Files.createSymbolicLink(dir.resolve("link.png"), x);
        refused(Cli.run("sample", "--model", x, "--n", 2, "--format", "grid", "--out", link), "--out " + link + same);
        Path hard = Files.createLink(dir.resolve("hard.png"), x);
        refused(Cli.run("sample", "--model", x, "--n", 2, "--format", "grid", "--out", hard), "--out " + hard + same);
        // Commands whose output name must have a given extension: a model file that has it.
        Path csv = copyOfModel("m.csv");
        refused(Cli.run("encode", "--model", csv, "--data", "testdata", "--out", csv),
                "--out " + csv + " is the --model file " + csv + "; writing it would destroy the input: give another name");
        Path png = copyOfModel("t.png");
        refused(Cli.run("traverse", "--model", png, "--shared-dim", 0, "--no-npy", "--out", png),
                "--out " + png + " is the --model file " + png + "; writing it would destroy the input: give another name");
        Path npyModel = copyOfModel("t2.npy");
        refused(Cli.run("traverse", "--model", npyModel, "--shared-dim", 0, "--out", dir.resolve("t2.png")),
                "--out " + dir.resolve("t2.npy") + " is the --model file " + npyModel + "; writing it would destroy the input: give another name");
        assertEquals(before, digest(x));
        assertEquals(digest(model), digest(csv));
    }

    /** The labels file sample --format npy writes beside its images is checked as an output too: it overwrote a model of that name. */
    @Test
    void sampleLabelsNeverWriteOverTheModel() throws Exception {
        Path x = copyOfModel("x-labels.npy");
        Path train = copyOfModel("train-labels.npy");
        String before = digest(x);
        refused(Cli.run("sample", "--model", x, "--n", 2, "--format", "npy", "--out", dir.resolve("x.npy")),
                "--out " + x + " is the --model file " + x + "; writing it would destroy the input: give another name");
        refused(Cli.run("sample", "--model", train, "--n", 2, "--format", "npy", "--out", dir.resolve("train-images.npy")),
                "--out " + train + " is the --model file " + train + "; writing it would destroy the input: give another name");
        assertEquals(before, digest(x));
        assertEquals(before, digest(train));
        assertFalse(Files.exists(dir.resolve("x.npy")));
        assertFalse(Files.exists(dir.resolve("train-images.npy")));
    }

    @Test
    void trainWritesOverNeitherItsDataNorItsCheckpoints() throws Exception {
        Dataset d = DataSources.load("testdata", Split.TRAIN).first(64);
        Path data = Files.createDirectories(dir.resolve("data"));
        float[] pixels = new float[d.count() * d.dim()];
        int[] labels = new int[d.count()];
        for (int i = 0; i < d.count(); i++) {
            System.arraycopy(d.image(i), 0, pixels, i * d.dim(), d.dim());
            labels[i] = d.label(i);
        }
        IdxWriter.writeImages(data.resolve("train-images-idx3-ubyte"), pixels, d.count(), 28, 28);
        IdxWriter.writeLabels(data.resolve("train-labels-idx1-ubyte"), labels);
        String before = digest(data.resolve("train-images-idx3-ubyte"));
        Path images = data.resolve("train-images-idx3-ubyte");
        refused(Cli.run("train", "--data", data, "--epochs", 1, "--out", images),
                "--out " + images + " is part of the dataset " + data + " (--data); writing it would change the input: give a name outside it");
        // A name the dataset's reader would take in is as bad as one it already holds.
        Path test = data.resolve("t10k-labels-idx1-ubyte.gz");
        refused(Cli.run("train", "--data", data, "--epochs", 1, "--out", test),
                "--out " + test + " is part of the dataset " + data + " (--data); writing it would change the input: give a name outside it");
        // ...but a model beside the dataset is fine.
        Cli.Result beside = Cli.run("train", "--data", data, "--epochs", 1, "--batch", 32, "--no-progress", "--out", data.resolve("m.safetensors"));
        assertEquals(0, beside.exitCode(), beside.err());

        Path ck = dir.resolve("ck");
        assertEquals(0, Cli.trainSmall(dir.resolve("a.safetensors"), "--checkpoint-dir", ck).exitCode());
        Path checkpoint = ck.resolve("checkpoint-000000003.safetensors");
        assertTrue(Files.exists(checkpoint));
        refused(Cli.trainSmall(checkpoint, "--checkpoint-dir", ck), "--out " + checkpoint + " is a name the checkpoint directory "
                + "--checkpoint-dir " + ck + " manages; it would be overwritten or pruned: give a name outside it");
        Path future = ck.resolve("checkpoint-000000009.safetensors");
        refused(Cli.run("train", "--resume", ck, "--out", future), "--out " + future + " is a name the checkpoint directory --resume "
                + ck + " manages; it would be overwritten or pruned: give a name outside it");
        Path same = dir.resolve("same");
        refused(Cli.trainSmall(same, "--log", same), "--log " + same + " is the same file as --out " + same + ": give each its own name");
        refused(Cli.trainSmall(Path.of("-")), "--out -: standard output already carries the JSON line of each epoch; give a file name");
        assertEquals(before, digest(images));
    }

    /** As root, --out /dev/null used to become a regular file: a device or FIFO is written to, never replaced. */
    @Test
    void devicesAndFifosAreStreamedToNeverReplaced() throws Exception {
        Path devNull = Path.of("/dev/null");
        Assumptions.assumeTrue(Files.exists(devNull) && Files.exists(Path.of("/dev/full")), "needs /dev/null and /dev/full");
        // Decided before anything is written, so a regression fails here rather than replacing /dev/null.
        assertInstanceOf(OutputTarget.Stream.class, OutputTarget.of(devNull));
        Cli.Result toNull = Cli.run("sample", "--model", model, "--n", 2, "--format", "grid", "--out", devNull);
        assertEquals(0, toNull.exitCode(), toNull.err());
        assertTrue(attributes(devNull).isOther(), "/dev/null is still a device");
        refused(Cli.run("sample", "--model", model, "--n", 2, "--format", "grid", "--out", "/dev/full"),
                "/dev/full: cannot write: no space left on device");
        refused(Cli.run("sample", "--model", model, "--n", 2, "--format", "npy", "--out", devNull),
                "--out /dev/null is not a regular file, but labelled samples are two files (images and labels); give a file name");

        Path fifo = dir.resolve("grid.png");
        CompletableFuture<byte[]> reader = fifoRead(fifo);
        Cli.Result toFifo = Cli.run("sample", "--model", model, "--n", 2, "--format", "grid", "--out", fifo);
        assertEquals(0, toFifo.exitCode(), toFifo.err());
        byte[] png = reader.get(60, TimeUnit.SECONDS);
        assertEquals("PNG", new String(png, 1, 3, StandardCharsets.US_ASCII));
        assertTrue(attributes(fifo).isOther(), "the FIFO is still a FIFO");
        refused(Cli.run("traverse", "--model", model, "--shared-dim", 0, "--out", fifo), "--out " + fifo + " is not a regular file "
                + "(a device or pipe): a traversal is two files, the PNG and grid.npy beside it (add --no-npy for the PNG alone)");
    }

    /**
     * What a command prints on standard output is its result: `nvae info > /dev/full` exited 0 with nothing written, as the
     * PrintStream under picocli's writer swallowed the failure. Now one line and exit code 1, as `sample --out /dev/full` has.
     */
    @Test
    void aReportThatCannotBeWrittenToStandardOutputFails() throws Exception {
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/full")), "needs /dev/full");
        ChildCli.Result full = ChildCli.start(dir.resolve("logs"), "exec > /dev/full", "info").await();
        assertEquals(List.of("nvae: standard output: cannot write: no space left on device"), full.err().lines().toList());
        assertEquals(1, full.exitCode());
        ChildCli.Result fine = ChildCli.run(dir.resolve("logs"), "info");
        assertEquals(0, fine.exitCode(), fine.err());
        assertTrue(fine.out().startsWith("nvae "), fine.out());
    }

    @Test
    void standardOutputTakesASingleFileWhereStdoutIsFree() throws Exception {
        ChildCli.Result r = ChildCli.run(dir.resolve("logs"), "sample", "--model", model, "--n", 2, "--format", "grid", "--out", "-");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("\uFFFDPNG") && r.out().contains("IEND"), "a PNG on stdout");
        assertEquals(List.of(), names(dir), "no file named '-'");
        // The process's own descriptors are streams too: `--out /dev/stdout >> log` appends to log, as >> means.
        Path log = dir.resolve("app.log");
        ChildCli.Result appended = ChildCli.start(dir.resolve("logs"), "echo previous > '" + log + "'; exec >> '" + log + "'",
                "sample", "--model", model, "--n", 1, "--class", 0, "--format", "grid", "--out", "/dev/stdout").await();
        assertEquals(0, appended.exitCode(), appended.err());
        byte[] bytes = Files.readAllBytes(log);
        assertEquals("previous\n\u0089PNG", new String(bytes, 0, 13, StandardCharsets.ISO_8859_1));
        refused(Cli.run("factors", "--model", model, "--data", "testdata", "--heatmap", "-"),
                "--heatmap -: standard output already carries the table; give a file name");
        refused(Cli.run("sample", "--model", model, "--n", 2, "--format", "png", "--out", "-"), "--out -: this output is a directory; give its name");
    }

    /**
     * traverse --no-npy writes one file, which README lists among the outputs that take -, devices and FIFOs; it
     * was refused ('expected a file name ending in .png'). Streamed, it is the PNG a file gets, byte for byte.
     */
    @Test
    void traverseWithoutItsNpyStreamsThePngToStandardOutputADeviceOrAFifo() throws Exception {
        Object[] traverse = {"traverse", "--model", model, "--shared-dim", 0, "--steps", 3, "--threads", 1, "--no-npy", "--out"};
        Path file = dir.resolve("t.png");
        Cli.Result toFile = Cli.run(with(traverse, file));
        assertEquals(0, toFile.exitCode(), toFile.err());
        byte[] png = Files.readAllBytes(file);
        assertEquals("PNG", new String(png, 1, 3, StandardCharsets.US_ASCII));

        ChildCli.Result piped = ChildCli.run(dir.resolve("logs"), with(traverse, "-"));
        assertEquals(0, piped.exitCode(), piped.err());
        assertTrue(piped.out().startsWith("\uFFFDPNG") && piped.out().contains("IEND"), "a PNG on stdout");
        Path log = dir.resolve("t.log");
        ChildCli.Result appended = ChildCli.start(dir.resolve("logs"), "exec > '" + log + "'", with(traverse, "/dev/stdout")).await();
        assertEquals(0, appended.exitCode(), appended.err());
        assertArrayEquals(png, Files.readAllBytes(log));
        Cli.Result toNull = Cli.run(with(traverse, "/dev/null"));
        assertEquals(0, toNull.exitCode(), toNull.err());
        assertTrue(attributes(Path.of("/dev/null")).isOther(), "/dev/null is still a device");

        Path fifo = dir.resolve("traversal-pipe");
        CompletableFuture<byte[]> reader = fifoRead(fifo);
        Cli.Result toFifo = Cli.run(with(traverse, fifo));
        assertEquals(0, toFifo.exitCode(), toFifo.err());
        assertArrayEquals(png, reader.get(60, TimeUnit.SECONDS));
        assertTrue(attributes(fifo).isOther(), "the FIFO is still a FIFO");

        // With its NPY a traversal is two files: a stream is refused saying so, and the PNG's name must say .png.
        refused(Cli.run("traverse", "--model", model, "--shared-dim", 0, "--out", "-"), "--out -: a traversal is two files, the PNG "
                + "and its NPY beside it (add --no-npy for the PNG alone); give a file name");
        Path jpg = dir.resolve("t.jpg");
        refused(Cli.run("traverse", "--model", model, "--shared-dim", 0, "--out", jpg), "--out " + jpg + ": .jpg names the JPEG "
                + "format, but traverse writes PNG: name it t.png");
        Path bin = dir.resolve("t.bin");
        refused(Cli.run("traverse", "--model", model, "--shared-dim", 0, "--out", bin), "--out " + bin + ": expected a file name "
                + "ending in .png, the NPY's name made from it (or add --no-npy)");
        assertFalse(Files.exists(bin));
        assertFalse(Files.exists(jpg));
    }

    private static Object[] with(Object[] first, Object... more) {
        return Stream.concat(java.util.Arrays.stream(first), java.util.Arrays.stream(more)).toArray();
    }

    @Test
    void aSymbolicLinkIsFollowedAndALinkToNothingRefused() throws Exception {
        Path target = Files.writeString(Files.createDirectories(dir.resolve("real")).resolve("grid.png"), "previous");
        Path link = Files.createSymbolicLink(dir.resolve("grid.png"), target);
        Cli.Result r = Cli.run("sample", "--model", model, "--n", 2, "--format", "grid", "--out", link);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Files.isSymbolicLink(link), "the link stays a link");
        assertEquals("PNG", new String(Files.readAllBytes(target), 1, 3, StandardCharsets.US_ASCII), "its target is the new grid");
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling.png"), dir.resolve("nowhere/x.png"));
        refused(Cli.run("sample", "--model", model, "--n", 2, "--format", "grid", "--out", dangling),
                "--out " + dangling + ": cannot write: is a symbolic link to nothing (it points to " + dir.resolve("nowhere/x.png") + ")");
    }

    /**
     * A write-protected (0444) file is refused for a user who may not write it, as cp refuses it — the
     * rename of a staged file would otherwise replace it, since renaming needs only the directory's
     * permission. Run as the user nobody in a child JVM: root may write anything. (CI runs as root: there
     * the child is started through setpriv as nobody, keeping only the capability to read the class path.)
     */
    @Test
    void aFileTheUserMayNotWriteIsRefusedAsCpWouldRefuseIt() throws Exception {
        // A directory that user may reach and write in (a temporary directory is private to its owner).
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path out = Files.createDirectories(dir.resolve("shared"));
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path readOnly = Files.writeString(out.resolve("grid.png"), "protected");
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r--r--r--"));
        ChildCli child = ChildCli.startAsNonRoot(dir.resolve("logs"), "sample", "--model", model, "--n", 2, "--format", "grid", "--out", readOnly);
        if (child == null) {
            System.out.println("skipped: cannot start a JVM as a user other than root here (setpriv --reuid failed)");
            Assumptions.abort("cannot run a child JVM as a non-root user here");
        }
        ChildCli.Result r = child.await();
        assertEquals(1, r.exitCode(), r.err());
        assertEquals("nvae: --out " + readOnly + ": cannot write: permission denied", r.err().strip());
        assertEquals("protected", Files.readString(readOnly));
        assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(readOnly)));
        assertEquals(List.of("grid.png"), names(out), "and nothing staged is left");
        // The same user may write a new file there: the refusal is about that file, not the directory.
        Path fresh = out.resolve("fresh.png");
        ChildCli.Result ok = ChildCli.startAsNonRoot(dir.resolve("logs"), "sample", "--model", model, "--n", 2, "--format", "grid",
                "--out", fresh).await();
        assertEquals(0, ok.exitCode(), ok.err());
        assertTrue(Files.size(fresh) > 100);
    }

    /**
     * sample --format idx into a dataset's directory used to write raw files beside its .gz ones, which
     * then silently took their place: writing refuses a directory holding a dataset, reading refuses both.
     */
    @Test
    void aDatasetIsNeverMixedIntoAnother() throws Exception {
        Path gen = dir.resolve("generated");
        Cli.Result first = Cli.run("sample", "--model", model, "--n", 3, "--format", "idx", "--out", gen);
        assertEquals(0, first.exitCode(), first.err());
        refused(Cli.run("sample", "--model", model, "--n", 3, "--format", "idx", "--out", gen),
                "--out " + gen + " already holds a dataset (train-images-idx3-ubyte); give a directory without one (other files may be there)");
        Path shapes = Files.createDirectories(dir.resolve("shapes"));
        Files.write(shapes.resolve("train-labels-idx1-ubyte.gz"), new byte[]{1});
        refused(Cli.run("synth", "--out", shapes, "--train", 10, "--test", 10),
                "--out " + shapes + " already holds a dataset (train-labels-idx1-ubyte.gz); give a directory without one (other files may be there)");
        // No dataset, but a file the dataset would bring: the user's own factors.txt or classes.txt stays as it was (a lone
        // classes.txt was said to be "a dataset (classes.txt)").
        for (String own : List.of("factors.txt", "classes.txt")) {
            Path notes = Files.createDirectories(dir.resolve("notes-" + own));
            Files.writeString(notes.resolve(own), "mine\n");
            refused(Cli.run("synth", "--out", notes, "--train", 10, "--test", 10),
                    "--out " + notes + " already holds " + own + ", which the dataset would replace; move it away or give another directory");
            assertEquals("mine\n", Files.readString(notes.resolve(own)));
            try (var left = Files.list(notes)) {
                assertEquals(List.of(notes.resolve(own)), left.toList());
            }
        }
        // An image folder is a dataset (its class folder named); an empty sub-folder, or one of other files, is none: the
        // dataset is written beside them (it said "already holds a dataset (empty)").
        Path images = Files.createDirectories(dir.resolve("images").resolve("split").resolve("cat"));
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(4, 4, java.awt.image.BufferedImage.TYPE_BYTE_GRAY), "png",
                images.resolve("a.png").toFile());
        refused(Cli.run("synth", "--out", dir.resolve("images"), "--train", 10, "--test", 10),
                "--out " + dir.resolve("images") + " already holds a dataset (split); give a directory without one (other files may be there)");
        Path mixed = dir.resolve("mixed");
        Files.createDirectories(mixed.resolve("empty.safetensors"));
        Files.writeString(Files.createDirectories(mixed.resolve("docs")).resolve("readme.txt"), "mine\n");
        Cli.Result beside = Cli.run("synth", "--out", mixed, "--train", 10, "--test", 10);
        assertEquals(0, beside.exitCode(), beside.err());
        assertTrue(Files.isRegularFile(mixed.resolve("train-images-idx3-ubyte")));
        assertEquals("mine\n", Files.readString(mixed.resolve("docs").resolve("readme.txt")));

        Path both = dir.resolve("both");
        Files.createDirectories(both);
        for (String name : List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte")) {
            Files.copy(gen.resolve(name), both.resolve(name));
            try (var gz = new java.util.zip.GZIPOutputStream(Files.newOutputStream(both.resolve(name + ".gz")))) {
                gz.write(Files.readAllBytes(gen.resolve(name)));
            }
        }
        refused(Cli.run("evaluate", "--model", model, "--data", both, "--split", "train"), both + ": holds both train-images-idx3-ubyte and "
                + "train-images-idx3-ubyte.gz, so which one is the data is ambiguous; remove one of them");
    }

    /**
     * An image folder's reader refuses an image outside its class (or split) folders, so a PNG written at its top made
     * the data unreadable: reconstruct, traverse --from-example and factors --heatmap wrote it there with exit 0, and the
     * next command on that --data failed ('holds 1 image (recon.png) outside any class sub-folder').
     */
    @Test
    void anImageBesideAnImageFoldersClassesIsPartOfTheDataset() throws Exception {
        Path data = dir.resolve("folder");
        Dataset d = DataSources.load("testdata", Split.TEST).first(10);
        for (int i = 0; i < d.count(); i++) {
            Path classDir = Files.createDirectories(data.resolve(i % 2 == 0 ? "a" : "b"));
            java.awt.image.BufferedImage g = new java.awt.image.BufferedImage(28, 28, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
            for (int p = 0; p < 28 * 28; p++) g.getRaster().setSample(p % 28, p / 28, 0, Math.round(d.image(i)[p] * 255));
            javax.imageio.ImageIO.write(g, "png", classDir.resolve(i + ".png").toFile());
        }
        Path model = dir.resolve("folder.safetensors");
        Cli.Result trained = Cli.run("train", "--data", data, "--epochs", 1, "--hidden", "16,8", "--no-progress", "--out", model);
        assertEquals(0, trained.exitCode(), trained.err());
        String outside = " is part of the dataset " + data + " (--data); writing it would change the input: give a name outside it";
        Path recon = data.resolve("recon.png");
        refused(Cli.run("reconstruct", "--model", model, "--data", data, "--n", 2, "--out", recon), "--out " + recon + outside);
        Path traversal = data.resolve("t.png");
        refused(Cli.run("traverse", "--model", model, "--data", data, "--from-example", 0, "--shared-dim", 0, "--out", traversal),
                "--out " + traversal + outside);
        Path heatmap = data.resolve("h.PNG");
        refused(Cli.run("factors", "--model", model, "--data", data, "--heatmap", heatmap), "--heatmap " + heatmap + outside);
        // A report's directory, new, was made there: a third class folder of PNGs, which the next read refused ("mixed
        // image sizes").
        Path report = data.resolve("report");
        refused(Cli.run("report", "--model", model, "--data", data, "--n", 2, "--iw", 0, "--judge", dir.resolve("judge.safetensors"),
                "--out", report), "--out " + report + " lies inside the dataset " + data
                + " (--data); a report written there would change the input: give a directory outside it");
        assertEquals(List.of("a", "b"), names(data));
        // Beside IDX files a PNG is no part of the data (their reader comes first), so it may go there.
        Path idx = dir.resolve("idx");
        assertEquals(0, Cli.run("sample", "--model", OutputSafetyTest.model, "--n", 2, "--format", "idx", "--out", idx).exitCode());
        Cli.Result beside = Cli.run("reconstruct", "--model", OutputSafetyTest.model, "--data", idx, "--split", "train", "--n", 2, "--out", idx.resolve("recon.png"));
        assertEquals(0, beside.exitCode(), beside.err());
    }

    /**
     * sample reads no data, but the data its model was trained on is no place for its samples either, as traverse and
     * report (which find that data from the model too) refuse it: named as that NPY set's test split, --format npy
     * replaced it with the samples (exit 0); a png or idx directory made inside it would be another class of an image
     * folder. Elsewhere, and beside the NPY files under a name their reader does not take, samples are written.
     */
    @Test
    void sampleWritesNothingIntoTheDataItsModelWasTrainedOn() throws Exception {
        Path data = Files.createDirectories(dir.resolve("npy-data"));
        for (String split : List.of("train", "test")) {
            Cli.Result s = Cli.run("sample", "--model", model, "--n", 3, "--seed", split.length(), "--out", data.resolve(split + "-images.npy"));
            assertEquals(0, s.exitCode(), s.err());
        }
        Path trained = dir.resolve("npy.safetensors");
        Cli.Result t = Cli.run("train", "--data", data, "--epochs", 1, "--hidden", "16,8", "--no-progress", "--out", trained);
        assertEquals(0, t.exitCode(), t.err());
        byte[] images = Files.readAllBytes(data.resolve("test-images.npy")), labels = Files.readAllBytes(data.resolve("test-labels.npy"));
        Path split = data.resolve("test-images.npy");
        refused(Cli.run("sample", "--model", trained, "--n", 1, "--out", split), "--out " + split + " is part of the dataset " + data
                + " (the data the model was trained on); writing it would change the input: give a name outside it");
        assertArrayEquals(images, Files.readAllBytes(split));
        assertArrayEquals(labels, Files.readAllBytes(data.resolve("test-labels.npy")));
        for (String format : List.of("png", "idx")) {
            Path inside = data.resolve(format);
            refused(Cli.run("sample", "--model", trained, "--n", 1, "--format", format, "--out", inside), "--out " + inside
                    + " lies inside the dataset " + data + " (the data the model was trained on); samples written there would change "
                    + "the input: give a directory outside it");
            assertFalse(Files.exists(inside));
        }
        Cli.Result beside = Cli.run("sample", "--model", trained, "--n", 1, "--format", "grid", "--out", data.resolve("grid.png"));
        assertEquals(0, beside.exitCode(), beside.err());
        Cli.Result elsewhere = Cli.run("sample", "--model", trained, "--n", 1, "--out", dir.resolve("test-images.npy"));
        assertEquals(0, elsewhere.exitCode(), elsewhere.err());
    }

    /**
     * sample --format png used to write into any directory: sampled into an image folder's class directory, it
     * added its PNGs to that class and replaced the folder's own same-named images; into an earlier run's
     * directory, it left that run's extra samples beside its own. A non-empty directory is refused, as idx
     * refuses one holding a dataset; a new or empty one is written.
     */
    @Test
    void samplePngNeverWritesIntoADirectoryThatHoldsFiles() throws Exception {
        Path classDir = Files.createDirectories(dir.resolve("images/T-shirt"));
        Path own = Files.writeString(classDir.resolve("sample-00001-T-shirt_top.png"), "the folder's own image");
        Files.writeString(classDir.resolve("0.png"), "another");
        refused(Cli.run("sample", "--model", model, "--n", 1, "--format", "png", "--out", classDir), "--out " + classDir
                + " is not empty (it holds 0.png and sample-00001-T-shirt_top.png); --format png writes into a new or empty directory only");
        assertEquals("the folder's own image", Files.readString(own));
        assertEquals(List.of("0.png", "sample-00001-T-shirt_top.png"), names(classDir));

        Path pngs = dir.resolve("pngs");
        Cli.Result first = Cli.run("sample", "--model", model, "--n", 2, "--format", "png", "--out", pngs);
        assertEquals(0, first.exitCode(), first.err());
        assertEquals(20, names(pngs).size());
        String digest = digest(pngs.resolve("sample-00001-T-shirt_top.png"));
        refused(Cli.run("sample", "--model", model, "--n", 1, "--seed", 7, "--format", "png", "--out", pngs), "--out " + pngs
                + " is not empty (it holds sample-00001-T-shirt_top.png, sample-00002-T-shirt_top.png, sample-00003-Trouser.png and 17 more); "
                + "--format png writes into a new or empty directory only");
        assertEquals(20, names(pngs).size());
        assertEquals(digest, digest(pngs.resolve("sample-00001-T-shirt_top.png")));

        Path empty = Files.createDirectories(dir.resolve("empty"));
        Cli.Result intoEmpty = Cli.run("sample", "--model", model, "--n", 1, "--format", "png", "--out", empty);
        assertEquals(0, intoEmpty.exitCode(), intoEmpty.err());
        assertEquals(10, names(empty).size());
    }

    private static BasicFileAttributes attributes(Path p) throws IOException {
        return Files.readAttributes(p, BasicFileAttributes.class);
    }

    private static List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.equals("logs")).sorted().toList();
        }
    }

    /**
     * Every option that names one output file, for each command that has one. NAME/ names a directory, as cp and the
     * shell take it, but a Path drops the '/': the file was written as NAME (or replaced a file of that name). Each
     * case is {name, flag, what the refusal says, the command's arguments with OUT where NAME/ goes}.
     */
    static Stream<Arguments> singleFileOutputs() {
        String m = model.toString();
        return Stream.of(
                Arguments.of("x.safetensors", "--out", "export writes one file",
                        List.of("export", "--model", m, "--dtype", "bf16", "--out", "OUT")),
                Arguments.of("m.safetensors", "--out", "train writes the model to one file",
                        List.of("train", "--data", "testdata", "--limit", "300", "--epochs", "1", "--no-progress", "--out", "OUT")),
                Arguments.of("train.log", "--log", "the log is one file",
                        List.of("train", "--data", "testdata", "--limit", "300", "--epochs", "1", "--no-progress",
                                "--out", "DIR/m.safetensors", "--log", "OUT")),
                Arguments.of("grid.png", "--out", "--format grid writes one PNG file",
                        List.of("sample", "--model", m, "--n", "2", "--format", "grid", "--out", "OUT")),
                Arguments.of("s.npy", "--out", "--format npy writes one file (its labels beside it)",
                        List.of("sample", "--model", m, "--n", "2", "--format", "npy", "--out", "OUT")),
                Arguments.of("z.npy", "--out", "encode writes one file",
                        List.of("encode", "--model", m, "--data", "testdata", "--out", "OUT")),
                Arguments.of("r.png", "--out", "reconstruct writes one PNG file",
                        List.of("reconstruct", "--model", m, "--data", "testdata", "--n", "2", "--out", "OUT")),
                Arguments.of("t.png", "--out", "traverse writes one PNG file (its NPY beside it)",
                        List.of("traverse", "--model", m, "--shared-dim", "0", "--out", "OUT")),
                Arguments.of("h.png", "--heatmap", "the heatmap is one PNG file",
                        List.of("factors", "--model", m, "--data", "testdata", "--heatmap", "OUT")),
                Arguments.of("j.safetensors", "--judge", "a judge is one safetensors file",
                        List.of("quality", "--model", m, "--data", "testdata", "--n", "2", "--judge-epochs", "1", "--judge", "OUT")),
                Arguments.of("j.safetensors", "--judge", "a judge is one safetensors file",
                        List.of("report", "--model", m, "--data", "testdata", "--n", "2", "--judge-epochs", "1", "--judge", "OUT",
                                "--out", "DIR/report")));
    }

    /**
     * A single output file's name that ends in '/' is refused before any work, as export's is (Bf16CliTest): one line
     * naming the flag and the value as typed, nothing written — neither NAME (missing) nor a file NAME (left as it was).
     */
    @ParameterizedTest(name = "{3}")
    @MethodSource("singleFileOutputs")
    void aSingleOutputFileNamedWithATrailingSlashIsRefused(String name, String flag, String what, List<String> args) throws Exception {
        Path missing = dir.resolve("new").resolve(name);
        Files.createDirectories(missing.getParent());
        Path mine = Files.writeString(dir.resolve(name), "mine");
        for (Path target : List.of(missing, mine)) {
            String typed = target + "/";
            List<String> argv = new ArrayList<>();
            for (String a : args) argv.add(a.equals("OUT") ? typed : a.replace("DIR", dir.toString()));
            refused(Cli.run(argv.toArray()), flag + " " + typed + ": ends in '/', which names a directory; " + what + ": give its name");
        }
        assertFalse(Files.exists(missing));
        assertEquals("mine", Files.readString(mine));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(java.util.Set.of(dir.resolve("new"), mine), java.util.Set.copyOf(left.toList()), "only the test's own files");
        }
    }

    static Stream<Arguments> outputsNamedForAnotherFormat() {
        String m = model.toString();
        return Stream.of(
                Arguments.of("r.jpg", "--out", ".jpg names the JPEG format, but reconstruct writes PNG: name it r.png",
                        List.of("reconstruct", "--model", m, "--data", "testdata", "--n", "2", "--out", "OUT")),
                Arguments.of("t.GIF", "--out", ".GIF names the GIF format, but traverse writes PNG: name it t.png",
                        List.of("traverse", "--model", m, "--shared-dim", "0", "--no-npy", "--out", "OUT")),
                Arguments.of("h.svg", "--heatmap", ".svg names the SVG format, but factors --heatmap writes PNG: name it h.png",
                        List.of("factors", "--model", m, "--data", "testdata", "--heatmap", "OUT")),
                Arguments.of("grid.npy", "--out", ".npy names the NPY format, but --format grid writes PNG: name it grid.png",
                        List.of("sample", "--model", m, "--n", "2", "--format", "grid", "--out", "OUT")),
                Arguments.of("s.png", "--out", ".png names the PNG format, but --format npy writes NPY: name it s.npy",
                        List.of("sample", "--model", m, "--n", "2", "--format", "npy", "--out", "OUT")),
                Arguments.of("m.npy", "--out", ".npy names the NPY format, but train writes safetensors: name it m.safetensors",
                        List.of("train", "--data", "testdata", "--limit", "300", "--epochs", "1", "--no-progress", "--out", "OUT")),
                Arguments.of("t.txt", "--out", ".txt names the plain text format, but train writes safetensors: name it t.safetensors",
                        List.of("train", "--data", "testdata", "--limit", "300", "--epochs", "1", "--no-progress", "--out", "OUT")),
                Arguments.of("train.csv", "--log", ".csv names the CSV format, but train --log writes JSON: name it train.jsonl",
                        List.of("train", "--data", "testdata", "--limit", "300", "--epochs", "1", "--no-progress",
                                "--out", "DIR/m.safetensors", "--log", "OUT")),
                Arguments.of("x.pt", "--out", ".pt names the PyTorch format, but export writes safetensors: name it x.safetensors",
                        List.of("export", "--model", m, "--dtype", "bf16", "--out", "OUT")),
                Arguments.of("x.safetensors.gz", "--out", ".gz names the gzip format, but export writes safetensors: name it x.safetensors",
                        List.of("export", "--model", m, "--dtype", "bf16", "--out", "OUT")),
                Arguments.of("s.npy.png", "--out", ".png names the PNG format, but --format npy writes NPY: name it s.npy",
                        List.of("sample", "--model", m, "--n", "2", "--format", "npy", "--out", "OUT")),
                Arguments.of("log.json.gz", "--log", ".gz names the gzip format, but train --log writes JSON: name it log.json",
                        List.of("train", "--data", "testdata", "--limit", "300", "--epochs", "1", "--no-progress",
                                "--out", "DIR/m.safetensors", "--log", "OUT")),
                Arguments.of("j.png", "--judge", ".png names the PNG format, but training a judge writes safetensors: name it j.safetensors",
                        List.of("quality", "--model", m, "--data", "testdata", "--n", "2", "--judge-epochs", "1", "--judge", "OUT")));
    }

    /**
     * A single output file whose extension names another well-known format is refused before any work (reconstruct
     * --out r.jpg wrote PNG bytes under a JPEG's name): one line naming the flag, the format and a name to use, and
     * nothing written (the --judge is a new one: an existing --judge is read, not written).
     */
    @ParameterizedTest(name = "{3}")
    @MethodSource("outputsNamedForAnotherFormat")
    void aSingleOutputFileNamedForAnotherFormatIsRefused(String name, String flag, String reason, List<String> args) throws Exception {
        Path target = dir.resolve(name);
        List<String> argv = new ArrayList<>();
        for (String a : args) argv.add(a.equals("OUT") ? target.toString() : a.replace("DIR", dir.toString()));
        refused(Cli.run(argv.toArray()), flag + " " + target + ": " + reason);
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.toList(), "nothing written");
        }
    }

    /** train --log writes JSON lines, which are plain text: a log named .txt is taken (a model named .txt is not). */
    @Test
    void aLogOfJsonLinesMayBeNamedTxt() throws Exception {
        Path log = dir.resolve("log.txt");
        Cli.Result r = Cli.run("train", "--data", "testdata", "--limit", 300, "--epochs", 1, "--no-progress",
                "--out", dir.resolve("m.safetensors"), "--log", log);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Files.readString(log).startsWith("{"), "JSON lines");
    }

    /** A name with no extension, or one that names no format we know, is the user's to choose: the PNG is written there. */
    @Test
    void aSingleOutputFileWithAnUnlistedExtensionIsWritten() throws Exception {
        for (String name : List.of("r.bin", "reconstructions", "r.v2")) {
            Path out = dir.resolve(name);
            assertEquals(0, Cli.run("reconstruct", "--model", model, "--data", "testdata", "--n", 2, "--out", out).exitCode(), name);
            byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(out), 4);
            assertArrayEquals(new byte[]{(byte) 0x89, 'P', 'N', 'G'}, head, name);
        }
    }

    /**
     * Where --out may name a directory, NAME/ is that directory: sample --format png writes into it. Without --format,
     * NAME/ implies no format (it said "--out NAME does not end in .npy or .png", the '/' dropped, even for x.png/).
     */
    @Test
    void sampleTakesADirectoryNamedWithATrailingSlashWhereItsFormatWritesOne() {
        Path pngs = dir.resolve("pngs");
        assertEquals(0, Cli.run("sample", "--model", model, "--n", 2, "--class", 0, "--format", "png", "--out", pngs + "/").exitCode());
        assertTrue(Files.isDirectory(pngs));
        for (String name : List.of("generated", "implied.png")) {
            String typed = dir.resolve(name) + "/";
            refused(Cli.run("sample", "--model", model, "--n", 2, "--out", typed),
                    "--format not given and --out " + typed + " names a directory: give --format png or idx to write one");
            assertFalse(Files.exists(dir.resolve(name)));
        }
    }

    static String digest(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /** Makes {@code fifo} (the test is skipped where mkfifo is missing) and reads it to its end on another thread. */
    private static CompletableFuture<byte[]> fifoRead(Path fifo) throws IOException, InterruptedException {
        Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "needs mkfifo");
        return CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readAllBytes(fifo);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }
}
