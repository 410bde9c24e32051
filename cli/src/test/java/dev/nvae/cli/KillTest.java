package dev.nvae.cli;

import dev.nvae.analysis.EvaluationReport;
import dev.nvae.analysis.Evaluator;
import dev.nvae.backend.Backend;
import dev.nvae.backend.VectorBackend;
import dev.nvae.data.DataSources;
import dev.nvae.data.Split;
import dev.nvae.io.Npy;
import dev.nvae.io.NpyArray;
import dev.nvae.io.Staging;
import dev.nvae.model.LoadedModel;
import dev.nvae.model.ModelFile;
import dev.nvae.train.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Processes killed at random moments, as a user, a supervisor or a power cut kills them: nothing may be
 * left half-written under a final name, nothing hidden may be left behind for good, and the same
 * command started again must finish the job as if nothing had happened.
 */
class KillTest {
    private static final int TRAIN_KILLS = 3;
    /** 768 examples in batches of 32 for 2 epochs: 48 steps, a checkpoint every 4. Small: most of a short JVM's time is warm-up. */
    private static final Object[] TRAIN = {"train", "--data", "testdata", "--limit", "768", "--batch", "32", "--epochs", "2",
            "--seed", "3", "--backend", "vector", "--threads", "2", "--no-progress"};
    /** 10,000 per class, 100,000 samples in all: a 314 MB NPY file, written while the batches are decoded. */
    private static final int SAMPLES_PER_CLASS = 10_000;

    @TempDir
    Path dir;

    /**
     * The restart test: one command line — what a supervisor (systemd Restart=, a Kubernetes Job) runs
     * again — killed three times (SIGKILL, SIGTERM, SIGKILL) at random moments and started again each
     * time, ends with the weights of a run that was never interrupted, bit for bit.
     */
    @Test
    void theSameTrainCommandKilledThreeTimesAndStartedAgainEndsBitIdenticalToAnUninterruptedRun() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Path reference = dir.resolve("reference.safetensors");
        ChildCli.Result straight = ChildCli.run(dir, concat(TRAIN, "--out", reference));
        assertEquals(0, straight.exitCode(), straight.err());

        Path ckpts = dir.resolve("ckpts");
        Path out = dir.resolve("model.safetensors");
        Object[] command = concat(TRAIN, "--checkpoint-dir", ckpts, "--checkpoint-every", "4", "--keep", "2", "--out", out);
        String[] signals = {"KILL", "TERM", "KILL"};
        List<String> outcomes = new ArrayList<>();
        for (int trial = 1; trial <= TRAIN_KILLS; trial++) {
            String before = newest(ckpts);
            // What the previous SIGKILL left: this run removes it only once it gets as far as its checkpoint
            // directory, so a signal that comes sooner (a slow start) may find it still there.
            List<String> leftBefore = staging(ckpts);
            ChildCli child = ChildCli.start(dir, "", command);
            // Odd trials kill at a random moment after the run made progress (a new checkpoint appeared),
            // possibly in the middle of the next checkpoint write; even ones at a random moment after the
            // start, which may be before the first step.
            String when;
            long delay;
            if (trial % 2 == 1) {
                String seen = waitForNewCheckpoint(child, ckpts, before);
                delay = random.nextInt(300);
                when = delay + " ms after " + seen + " appeared";
            } else {
                delay = 300 + random.nextInt(1500);
                when = delay + " ms after the start";
            }
            Thread.sleep(delay);
            boolean alive = child.process().isAlive();
            ChildCli.Result r = child.signal(signals[trial - 1]);
            assertNoPartialFiles(ckpts, out);
            // A restart that got as far as looking at the checkpoints took them for its own run.
            assertFalse(r.err().contains("another run"), r.err());
            if (r.err().contains("resuming from")) assertTrue(r.err().contains("(the same run: its settings and data match)"), r.err());
            if (alive && signals[trial - 1].equals("TERM")) {
                assertEquals(143, r.exitCode(), r.err());
                List<String> ownLeft = new ArrayList<>(staging(ckpts));
                ownLeft.removeAll(leftBefore);
                assertEquals(List.of(), ownLeft, "SIGTERM removes its unfinished checkpoint write (stale before it: " + leftBefore + ")");
                assertTrue(lastLine(r.err()).startsWith("nvae: interrupted"), r.err());
            }
            outcomes.add(String.format("kill %d: %s %s; exit %d; newest checkpoint then: %s (all valid); staging dirs left: %d",
                    trial, alive ? "SIG" + signals[trial - 1] : "(already finished)", when, r.exitCode(), newest(ckpts),
                    staging(ckpts).size()));
            if (!alive) {
                assertEquals(0, r.exitCode(), "a run that ended before the kill must have succeeded: " + r.err());
                break;
            }
        }
        ChildCli.Result last = ChildCli.start(dir, "", command).await();
        assertEquals(0, last.exitCode(), last.err());
        if (newest(ckpts) != null) assertTrue(last.err().contains("(the same run: its settings and data match)"), last.err());
        outcomes.add("started again: exit 0, " + last.err().lines().filter(l -> l.startsWith("resuming")).findFirst().orElse("fresh start"));
        // What a killed checkpoint write left is removed when the run starts again — except a directory killed between its
        // creation and its owner's stamp (pid in its lock file), which no one can tell from a live writer's for a minute
        // (Staging.removeStale judges it by age); such a one holds no data. CI once caught a SIGKILL in that window.
        for (String left : staging(ckpts)) {
            try (Stream<Path> inside = Files.list(ckpts.resolve(left))) {
                for (Path f : inside.toList()) {
                    assertTrue(f.getFileName().toString().equals("lock") && Files.size(f) == 0,
                            "what a killed checkpoint write left is removed when the run starts again: " + left + " holds " + f.getFileName());
                }
            }
        }

        Weights.assertIdentical(reference, out);
        try (LoadedModel m = ModelFile.load(out); Backend be = new VectorBackend(2)) {
            EvaluationReport report = Evaluator.evaluate(m.model(), be, DataSources.load("testdata", Split.TEST).first(200), 100, 0, 0);
            assertTrue(Double.isFinite(report.negElbo()) && report.negElbo() > 0, "neg_elbo " + report.negElbo());
            outcomes.add(String.format("final model loads and evaluates: test neg_elbo %.2f, accuracy %.3f; weights bit-identical "
                    + "to the uninterrupted run", report.negElbo(), report.accuracy()));
        }
        System.out.println("restart test (random seed " + seed + "):");
        outcomes.forEach(o -> System.out.println("  " + o));
    }

    /**
     * While a run is live, the same command started again — eight times at once, as an over-eager
     * supervisor might — always gets the "in use" message, never "another run", and changes nothing.
     */
    @Test
    void startsWhileTheRunIsLiveAreToldTheDirectoryIsInUse() throws Exception {
        Path ckpts = dir.resolve("ckpts");
        Object[] command = {"train", "--data", "testdata", "--limit", "768", "--batch", "32", "--epochs", "50", "--backend", "vector",
                "--no-progress", "--checkpoint-dir", ckpts, "--checkpoint-every", "4", "--out", dir.resolve("m.safetensors")};
        ChildCli live = ChildCli.start(dir, "", command);
        try {
            waitForNewCheckpoint(live, ckpts, null);
            assertTrue(live.process().isAlive(), "the run is still going");
            List<ChildCli> starts = new ArrayList<>();
            for (int i = 0; i < 8; i++) starts.add(ChildCli.start(dir, "", command));
            List<String> lines = new ArrayList<>();
            for (ChildCli c : starts) {
                ChildCli.Result r = c.await();
                assertEquals(1, r.exitCode(), r.err());
                lines.add(lastLine(r.err()));
            }
            assertEquals(java.util.Collections.nCopies(8, "nvae: --checkpoint-dir " + ckpts + ": another training run is using this checkpoint directory"), lines);
            assertTrue(live.process().isAlive(), "and the live run goes on");
            System.out.println("8 concurrent starts while the run is live: " + lines.getFirst());
        } finally {
            live.kill();
        }
    }

    /**
     * A large NPY sample run interrupted by SIGINT, SIGTERM and SIGKILL at random moments while it
     * writes: after each, the previous output is intact (or, if the run got there first, replaced
     * whole); SIGINT and SIGTERM leave no staged file; what SIGKILL leaves, the next run removes.
     */
    @Test
    void sampleKilledWhileWritingLeavesThePreviousOutputWholeAndNothingBehind() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Path model = Cli.smallModel();
        Path out = Files.createDirectories(dir.resolve("out"));
        Path npy = out.resolve("s.npy");
        Path labels = out.resolve("s-labels.npy");
        ChildCli.Result first = ChildCli.run(dir.resolve("logs"), sample(model, npy, 0));
        assertEquals(0, first.exitCode(), first.err());
        String previous = digest(npy) + digest(labels);

        List<String> outcomes = new ArrayList<>();
        List<String> signals = new ArrayList<>(List.of("INT", "TERM", "KILL"));
        if (ChildCli.sigintIgnored()) {
            signals.set(0, "TERM");
            outcomes.add("SIGINT is ignored by this JVM (started in the background of a shell), so its children cannot "
                    + "handle it: sent SIGTERM in its place");
        }
        for (int trial = 1; trial <= signals.size(); trial++) {
            String signal = signals.get(trial - 1);
            ChildCli child = ChildCli.start(dir.resolve("logs"), "", sample(model, npy, trial));
            long waited = waitForStaging(child, out);
            long delay = random.nextInt(1500);
            Thread.sleep(delay);
            boolean alive = child.process().isAlive();
            ChildCli.Result r = child.signal(signal);
            String now = digest(npy) + digest(labels);
            String state;
            if (now.equals(previous)) {
                state = "previous output intact";
            } else {
                assertWhole(npy, labels);
                state = "output replaced whole";
                previous = now;
            }
            List<String> left = staging(out);
            if (alive && !signal.equals("KILL")) {
                assertEquals(signal.equals("INT") ? 130 : 143, r.exitCode(), r.err());
                assertEquals(List.of(), left, "SIG" + signal + " removes the staged files before the JVM exits");
                assertTrue(lastLine(r.err()).startsWith("nvae: interrupted"), r.err());
                assertEquals(1, r.err().lines().filter(l -> l.startsWith("nvae: ")).count(), "one line: " + r.err());
            }
            assertNoProbes(out);
            outcomes.add(String.format("SIG%s %d ms after the staging directory appeared (%d ms after the start): %s; exit %d; "
                    + "%s; staged files left: %d; stderr: %s", signal, delay, waited, alive ? "killed while writing" : "had already finished",
                    r.exitCode(), state, left.size(), lastLine(r.err())));
        }
        ChildCli.Result again = ChildCli.run(dir.resolve("logs"), sample(model, npy, 9));
        assertEquals(0, again.exitCode(), again.err());
        assertEquals(List.of(), staging(out), "the next run removes what SIGKILL left");
        assertEquals(List.of("s-labels.npy", "s.npy"), names(out));
        assertWhole(npy, labels);
        outcomes.add("second run: exit 0; " + String.join(" | ", again.err().lines().toList()) + "; files in the directory: " + names(out));
        System.out.println("sample kill test (random seed " + seed + "):");
        outcomes.forEach(o -> System.out.println("  " + o));
    }

    /**
     * SIGTERM to sample --format png used to end with one line naming every removed file — 100 to 170 KB. The
     * line now counts them, per directory, and names files one by one only when there are a few.
     */
    @Test
    void anInterruptedPngSampleSaysHowManyFilesWentInOneShortLine() throws Exception {
        Path model = Cli.smallModel();
        Path out = dir.resolve("pngs");
        ChildCli child = ChildCli.start(dir.resolve("logs"), "", "sample", "--model", model, "--n", 2000, "--format", "png",
                "--backend", "vector", "--threads", "2", "--out", out);
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (child.process().isAlive() && stagedFiles(out) < 20 && System.nanoTime() < deadline) Thread.sleep(5);
        boolean alive = child.process().isAlive();
        ChildCli.Result r = child.signal("TERM");
        if (!alive) {
            System.out.println("png sample had finished before the signal: " + lastLine(r.err()));
            return;
        }
        assertEquals(143, r.exitCode(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        String line = lastLine(r.err());
        assertTrue(line.matches("nvae: interrupted; not written: \\d+ files removed from " + java.util.regex.Pattern.quote(out.toString())), line);
        assertTrue(Files.notExists(out) || staging(out).isEmpty(), "nothing staged is left");
        System.out.println("png sample interrupted: " + line);

    }

    /**
     * Under the launcher (its stderr filter named in -Dnvae.stderr.filter) a SIGTERM to sample --format png
     * ended with exit 143 and no line at all, three runs in four: the main thread, failing at once on its removed
     * staging directory, closed stderr for the filter before the signal's hook had printed. A pid that names no
     * process stands for the filter: stderr is closed all the same, and nothing is waited for.
     */
    @Test
    void theInterruptLineIsNotLostWhenTheCommandFailsFirstUnderTheLaunchersFilter() throws Exception {
        Path model = Cli.smallModel();
        List<String> lines = new ArrayList<>();
        for (int trial = 0; trial < 4; trial++) {
            Path out = dir.resolve("pngs" + trial);
            ChildCli child = ChildCli.startWithJvmFlags(dir.resolve("logs"), List.of("-Dnvae.stderr.filter=999999999"), "sample",
                    "--model", model, "--n", 2000, "--format", "png", "--backend", "vector", "--threads", "2", "--out", out);
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (child.process().isAlive() && stagedFiles(out) < 5 && System.nanoTime() < deadline) Thread.sleep(2);
            if (!child.process().isAlive()) continue;
            ChildCli.Result r = child.signal("TERM");
            if (r.exitCode() != 143) continue;
            lines.add(lastLine(r.err()));
        }
        org.junit.jupiter.api.Assumptions.assumeFalse(lines.isEmpty(), "every run ended before the signal");
        for (String line : lines) assertTrue(line.startsWith("nvae: interrupted; not written"), lines.toString());
    }

    /**
     * An --out directory the command made (sample --format png or idx, synth, report) was left behind, empty, by
     * SIGINT or SIGTERM: only a failure on the command's own thread removed it, and the JVM ends before that
     * thread gets there. A directory that was there before is kept.
     */
    @Test
    void aDirectoryTheCommandMadeIsRemovedWhenItIsInterrupted() throws Exception {
        Path model = Cli.smallModel();
        Path existing = Files.createDirectories(dir.resolve("existing"));
        List<Path> outs = List.of(dir.resolve("pngs"), dir.resolve("synth"), existing);
        List<Object[]> commands = List.of(
                new Object[]{"sample", "--model", model, "--n", 2000, "--format", "png", "--backend", "vector", "--threads", "2", "--out", outs.get(0)},
                new Object[]{"synth", "--out", outs.get(1), "--train", 200000, "--test", 100},
                new Object[]{"sample", "--model", model, "--n", 2000, "--format", "png", "--backend", "vector", "--threads", "2", "--out", existing});
        int checked = 0;
        for (int i = 0; i < outs.size(); i++) {
            Path out = outs.get(i);
            ChildCli child = ChildCli.start(dir.resolve("logs"), "", commands.get(i));
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (child.process().isAlive() && staging(out).isEmpty() && System.nanoTime() < deadline) Thread.sleep(2);
            Thread.sleep(50);
            if (!child.process().isAlive()) continue;
            ChildCli.Result r = child.signal("TERM");
            if (r.exitCode() != 143) continue;
            checked++;
            if (out == existing) {
                assertEquals(List.of(), names(out), r.err());
            } else {
                assertFalse(Files.exists(out), out + " was made by the command and is left: " + r.err());
            }
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(checked > 0, "every run ended before the signal");
    }

    /**
     * A training run stopped mid-way names the model it has not written (its writing had not begun, so no
     * staged file named it: the line was a bare "nvae: interrupted") and where its checkpoints are.
     */
    @Test
    void anInterruptedTrainingRunNamesTheModelItDidNotWriteAndItsCheckpoints() throws Exception {
        Path ckpts = dir.resolve("ck-term");
        Path out = dir.resolve("never.safetensors");
        ChildCli child = ChildCli.start(dir, "", concat(TRAIN, "--checkpoint-dir", ckpts, "--checkpoint-every", "4", "--out", out));
        waitForNewCheckpoint(child, ckpts, null);
        org.junit.jupiter.api.Assumptions.assumeTrue(child.process().isAlive(), "the run ended before it could be stopped");
        ChildCli.Result r = child.signal("TERM");
        org.junit.jupiter.api.Assumptions.assumeTrue(r.exitCode() == 143, "the run ended before the signal: " + r.err());
        assertEquals("nvae: interrupted; not begun: " + out + "; the checkpoints in " + ckpts
                + " are kept: nvae train --resume " + ckpts + " goes on", lastLine(r.err()));
        assertFalse(Files.exists(out));
    }

    /** A few files are named; more are counted per directory. */
    @Test
    void theInterruptionLineNamesAFewFilesAndCountsMany() {
        assertEquals("nvae: interrupted", Interruption.message(List.of()));
        assertEquals("nvae: interrupted; not written (what was unfinished is removed): /o/s.npy, /o/s-labels.npy",
                Interruption.message(List.of(Path.of("/o/s.npy"), Path.of("/o/s-labels.npy"))));
        List<Path> many = new ArrayList<>();
        for (int i = 0; i < 5; i++) many.add(Path.of("/a/" + i + ".png"));
        many.add(Path.of("/b/x.png"));
        assertEquals("nvae: interrupted; not written: 5 files removed from /a, 1 file removed from /b", Interruption.message(many));
        // Outputs whose writing had not begun are not said to be removed: there was nothing to remove.
        assertEquals("nvae: interrupted; not written (what was unfinished is removed): /o/s.npy; not begun: /o/report",
                Interruption.message(List.of(Path.of("/o/s.npy")), List.of(Path.of("/o/report"))));
        assertEquals("nvae: interrupted; not begun: /m.safetensors", Interruption.message(List.of(), List.of(Path.of("/m.safetensors"))));
    }

    /**
     * The line names outputs as they were typed: the staged files the hook removes are known by absolute names, and
     * {@code sample --format png --out pngs} stopped said "809357 files removed from /tmp/s35/pngs".
     */
    @Test
    void theInterruptionLineNamesOutputsAsTyped() {
        Path pngs = Path.of("pngs-as-typed"), npy = Path.of("sub", "..", "s-as-typed.npy");
        try {
            Interruption.expect(pngs);
            Interruption.expect(npy);
            List<Path> many = new ArrayList<>();
            for (int i = 0; i < 5; i++) many.add(pngs.toAbsolutePath().resolve(i + ".png"));
            assertEquals("nvae: interrupted; not written: 5 files removed from pngs-as-typed", Interruption.message(many));
            assertEquals("nvae: interrupted; not written (what was unfinished is removed): " + npy + ", pngs-as-typed/0.png",
                    Interruption.message(List.of(npy.toAbsolutePath().normalize(), many.getFirst())));
            assertEquals(Path.of("/elsewhere/x.png"), Interruption.asTyped(Path.of("/elsewhere/x.png")), "no output's: as it is");
        } finally {
            Interruption.handOver();
        }
    }

    /** Through a link: the staged files are named under the real directory, and the line still names the output as typed. */
    @Test
    void anOutputThroughALinkIsNamedAsTyped() throws IOException {
        Path real = Files.createDirectories(dir.resolve("real-place")), link = Files.createSymbolicLink(dir.resolve("link"), real);
        Path typed = link.resolve("pngs");
        try {
            Interruption.expect(typed);
            List<Path> many = new ArrayList<>();
            for (int i = 0; i < 4; i++) many.add(real.toRealPath().resolve("pngs").resolve(i + ".png"));
            assertEquals("nvae: interrupted; not written: 4 files removed from " + typed, Interruption.message(many));
            // A file committed through the link is named by its real path: it is written, not "not begun".
            Path typedFile = link.resolve("s.npy");
            Interruption.expect(typedFile);
            Path committed = Files.writeString(real.toRealPath().resolve("s.npy"), "x");
            Interruption.written(committed);
            assertTrue(Interruption.committedFiles().contains(typedFile), Interruption.committedFiles().toString());
        } finally {
            Interruption.handOver();
        }
    }

    /**
     * A signal just after an output was committed names it as written in full (it said only "nvae: interrupted", and
     * a whole file could be taken for a partial one); a directory's first committed file does not make it whole.
     */
    @Test
    void aFileCommittedBeforeTheSignalIsNamedAsWritten() throws IOException {
        assertEquals("nvae: interrupted; written in full: /o/s.npy; not begun: /o/s-labels.npy",
                Interruption.message(List.of(), List.of(Path.of("/o/s-labels.npy")), List.of(Path.of("/o/s.npy"))));
        Path file = Files.writeString(dir.resolve("whole.npy"), "x"), report = Files.createDirectories(dir.resolve("report"));
        Interruption.expect(file);
        Interruption.expect(report);
        Interruption.written(file);
        Interruption.written(report.resolve("index.html"));
        assertTrue(Interruption.committedFiles().contains(file));
        assertFalse(Interruption.committedFiles().contains(report));
    }

    /**
     * train's --log, rewritten after every epoch, is not "written in full" once its first epoch is in (an interrupted run
     * said so of a log of 11 epochs of 20): the line says what it holds, and nothing before it is written.
     */
    @Test
    void aGrowingOutputIsNotNamedAsWrittenInFullButSaysWhatItHolds() throws IOException {
        Path log = Files.writeString(dir.resolve("growing.jsonl"), "{}\n");
        String[] holds = {"growing.jsonl holds the log of the 0 epochs done of 3"};
        try {
            Interruption.expect(log);
            Interruption.growing(log, () -> holds[0]);
            assertFalse(Interruption.notes().contains("growing.jsonl"), "not written yet: its writing has not begun");
            Interruption.written(log);
            holds[0] = "growing.jsonl holds the log of the 2 epochs done of 3";
            assertFalse(Interruption.committedFiles().contains(log));
            assertTrue(Interruption.notes().contains("; growing.jsonl holds the log of the 2 epochs done of 3"), Interruption.notes());
        } finally {
            Interruption.handOver(); // this JVM's other tests start from no outputs and no notes
        }
    }

    /** Files in the staging directories under {@code d}. */
    private static long stagedFiles(Path d) throws IOException {
        long n = 0;
        for (String s : staging(d)) {
            try (Stream<Path> files = Files.list(d.resolve(s))) {
                n += files.count();
            } catch (IOException gone) {
                // committed or removed meanwhile
            }
        }
        return n;
    }

    private static Object[] sample(Path model, Path npy, int seed) {
        return new Object[]{"sample", "--model", model, "--n", SAMPLES_PER_CLASS, "--format", "npy", "--seed", seed,
                "--backend", "vector", "--threads", "2", "--out", npy};
    }

    /** A complete output: all 100,000 rows and their labels, readable. */
    private static void assertWhole(Path npy, Path labels) {
        NpyArray images = Npy.read(npy);
        assertArrayEquals(new long[]{10L * SAMPLES_PER_CLASS, 784}, images.shape());
        assertArrayEquals(new long[]{10L * SAMPLES_PER_CLASS}, Npy.read(labels).shape());
    }

    private static long waitForStaging(ChildCli child, Path out) throws Exception {
        long start = System.nanoTime();
        while (child.process().isAlive() && staging(out).isEmpty() && System.nanoTime() - start < 120_000_000_000L) Thread.sleep(5);
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static String waitForNewCheckpoint(ChildCli child, Path ckpts, String before) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline && child.process().isAlive()) {
            String now = newest(ckpts);
            if (now != null && !now.equals(before)) return now;
            Thread.sleep(5);
        }
        return newest(ckpts);
    }

    /** Every checkpoint under its final name is complete and valid; so is the model, if it exists yet. */
    private static void assertNoPartialFiles(Path ckpts, Path out) throws IOException {
        if (Files.isDirectory(ckpts)) {
            try (Stream<Path> files = Files.list(ckpts)) {
                for (Path p : files.filter(p -> p.getFileName().toString().startsWith("checkpoint-")).toList()) {
                    assertFalse(p.getFileName().toString().endsWith(".damaged"), p.toString());
                    Checkpoint.read(p); // throws if damaged
                }
            }
        }
        if (Files.exists(out)) ModelFile.load(out).close();
    }

    private static void assertNoProbes(Path d) throws IOException {
        assertTrue(names(d).stream().noneMatch(n -> n.startsWith(".nvae-probe")), names(d).toString());
    }

    private static List<String> staging(Path d) throws IOException {
        if (!Files.isDirectory(d)) return List.of();
        try (Stream<Path> files = Files.list(d)) {
            return files.filter(Staging::isStagingName).map(p -> p.getFileName().toString()).toList();
        }
    }

    private static List<String> names(Path d) throws IOException {
        try (Stream<Path> files = Files.list(d)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String newest(Path ckpts) throws IOException {
        if (!Files.isDirectory(ckpts)) return null;
        try (Stream<Path> files = Files.list(ckpts)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("checkpoint-\\d+\\.safetensors"))
                    .max(String::compareTo).orElse(null);
        }
    }

    private static String digest(Path file) throws Exception {
        if (!Files.exists(file)) return "none";
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) > 0; ) sha.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static String lastLine(String text) {
        return text.lines().reduce((a, b) -> b).orElse("");
    }

    private static Object[] concat(Object[] a, Object... b) {
        Object[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
