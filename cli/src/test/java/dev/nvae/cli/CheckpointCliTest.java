package dev.nvae.cli;

import dev.nvae.api.ComputeBackend;
import dev.nvae.api.ModelException;
import dev.nvae.api.Training;
import dev.nvae.backend.CpuFeatures;
import dev.nvae.data.DataSources;
import dev.nvae.data.Dataset;
import dev.nvae.data.Split;
import dev.nvae.io.IdxWriter;
import dev.nvae.model.LoadedModel;
import dev.nvae.model.ModelFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** train's checkpoint flags in-process: resume, its refusals, damaged checkpoints, --on-nan. */
class CheckpointCliTest {
    @TempDir
    Path dir;

    /** 128 examples in batches of 32: 4 steps per epoch; 2 epochs unless {@code extra} says otherwise. */
    private Cli.Result train(Object... extra) {
        List<Object> args = new ArrayList<>(List.of("train", "--data", "testdata", "--limit", "128", "--batch", "32",
                "--threads", "1", "--no-progress"));
        if (!Arrays.asList(extra).contains("--epochs")) args.addAll(List.of("--epochs", "2"));
        args.addAll(Arrays.asList(extra));
        return Cli.run(args.toArray());
    }

    private static String lastLine(Cli.Result r) {
        return r.errLines().getLast();
    }

    private List<String> files(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList(); // the lock file included: none may be left
        }
    }

    @Test
    void resumeTakesTheSettingsFromTheCheckpointAndExtendsEpochs() throws IOException {
        Path ck = dir.resolve("ck");
        Path log = dir.resolve("log.jsonl");
        Cli.Result first = train("--seed", "4", "--ds", "3", "--checkpoint-dir", ck, "--checkpoint-every", "3", "--out", dir.resolve("a.safetensors"));
        assertEquals(0, first.exitCode(), first.err());
        assertEquals(List.of("checkpoint-000000003.safetensors", "checkpoint-000000006.safetensors", "checkpoint-000000008.safetensors"),
                files(ck));
        // No flags but --resume and --epochs: seed, ds, data, limit and batch come from the checkpoint.
        Cli.Result more = Cli.run("train", "--resume", ck, "--epochs", "3", "--no-progress", "--log", log, "--out", dir.resolve("b.safetensors"));
        assertEquals(0, more.exitCode(), more.err());
        assertTrue(more.err().contains("resuming from " + ck.resolve("checkpoint-000000008.safetensors") + ": epoch 3, step 1"), more.err());
        assertEquals(1, more.out().lines().count(), more.out());
        assertEquals(3, Files.readAllLines(log).size(), "the log holds the epochs before the resume too");
        try (LoadedModel m = ModelFile.load(dir.resolve("b.safetensors"))) {
            assertEquals(3, m.model().config().ds());
            assertEquals(4, ((Number) m.training().get("seed")).intValue());
            assertEquals(3, ((Number) m.training().get("epochs")).intValue());
            assertEquals(128, ((Number) m.training().get("examples")).intValue());
        }
        // Three more epochs from scratch give the same weights.
        Cli.Result straight = train("--seed", "4", "--ds", "3", "--epochs", "3", "--out", dir.resolve("c.safetensors"));
        assertEquals(0, straight.exitCode(), straight.err());
        Weights.assertIdentical(dir.resolve("c.safetensors"), dir.resolve("b.safetensors"));
    }

    /**
     * A resumed run checkpoints as the run it continues did: told nothing, it kept once an epoch and pruned
     * to the default 3, deleting checkpoints a run told to keep 5 had kept. Given here, a schedule replaces it.
     */
    @Test
    void resumeKeepsTheRunsCheckpointScheduleUnlessGivenAnother() throws IOException {
        Path ck = dir.resolve("ck");
        assertEquals(0, train("--checkpoint-dir", ck, "--checkpoint-every", "3", "--keep", "5", "--out", dir.resolve("a.safetensors")).exitCode());
        // 128 examples in batches of 32: 4 steps an epoch, so checkpoints after steps 3, 6 and 8 (the end).
        assertEquals(List.of("checkpoint-000000003.safetensors", "checkpoint-000000006.safetensors", "checkpoint-000000008.safetensors"),
                files(ck));
        Cli.Result more = Cli.run("train", "--resume", ck, "--epochs", "4", "--no-progress", "--out", dir.resolve("b.safetensors"));
        assertEquals(0, more.exitCode(), more.err());
        assertTrue(more.errLines().getFirst().endsWith("; checkpoints every 3 steps, keeping 5"), more.err());
        assertEquals(List.of("checkpoint-000000008.safetensors", "checkpoint-000000009.safetensors", "checkpoint-000000012.safetensors",
                "checkpoint-000000015.safetensors", "checkpoint-000000016.safetensors"), files(ck));
        // Another schedule given with --resume replaces it, and is what the next resume goes on with.
        Cli.Result other = Cli.run("train", "--resume", ck, "--epochs", "5", "--keep", "2", "--no-progress", "--out", dir.resolve("c.safetensors"));
        assertEquals(0, other.exitCode(), other.err());
        assertTrue(other.errLines().getFirst().endsWith("; checkpoints every 3 steps, keeping 2"), other.err());
        assertEquals(List.of("checkpoint-000000018.safetensors", "checkpoint-000000020.safetensors"), files(ck));
        Cli.Result perEpoch = Cli.run("train", "--resume", ck, "--epochs", "6", "--checkpoint-every", "4", "--no-progress",
                "--out", dir.resolve("d.safetensors"));
        assertEquals(0, perEpoch.exitCode(), perEpoch.err());
        assertTrue(perEpoch.errLines().getFirst().endsWith("; checkpoints every 4 steps, keeping 2"), perEpoch.err());
        assertEquals(List.of("checkpoint-000000020.safetensors", "checkpoint-000000024.safetensors"), files(ck));
    }

    @Test
    void resumeRefusesFlagsThatWouldMakeItAnotherRun() throws IOException {
        Path ck = dir.resolve("ck");
        assertEquals(0, train("--checkpoint-dir", ck, "--out", dir.resolve("a.safetensors")).exitCode());
        Path newest = ck.resolve("checkpoint-000000008.safetensors");
        Cli.Result lr = Cli.run("train", "--resume", ck, "--lr", "0.01", "--out", dir.resolve("b.safetensors"));
        assertEquals(1, lr.exitCode());
        assertEquals("nvae: --lr 0.01 conflicts with the checkpoint " + newest + ", which was trained with --lr 0.001; "
                + "omit --lr to continue the run as it was", lastLine(lr));
        Cli.Result limit = Cli.run("train", "--resume", ck, "--limit", "100", "--out", dir.resolve("b.safetensors"));
        assertEquals("nvae: --limit 100 conflicts with the checkpoint " + newest + ", which was trained with --limit 128; "
                + "omit --limit to continue the run as it was", lastLine(limit));
        // Giving the same value is fine.
        Cli.Result same = Cli.run("train", "--resume", ck, "--lr", "1e-3", "--data", "testdata", "--no-progress", "--out", dir.resolve("b.safetensors"));
        assertEquals(0, same.exitCode(), same.err());
        // The same examples by another name are fine; other examples are not, whatever they are called.
        Dataset same128 = DataSources.load("testdata", Split.TRAIN).first(128);
        Path copy = idxCopy(same128, dir.resolve("copy"), -1);
        Cli.Result elsewhere = Cli.run("train", "--resume", ck, "--data", copy, "--no-progress", "--out", dir.resolve("c.safetensors"));
        assertEquals(0, elsewhere.exitCode(), elsewhere.err());
        Path changed = idxCopy(same128, dir.resolve("changed"), 7);
        // Refused in one line before the run is announced (it came after 'resuming from' and 'training' lines).
        Cli.Result other = Cli.run("train", "--resume", ck, "--data", changed, "--out", dir.resolve("d.safetensors"));
        Cli.assertRefused(other, dir.resolve("none"), "--data " + changed + " holds other examples than the run in " + ck + " (128 examples with fingerprint ");
        // The same images named otherwise (no classes.txt) are other data too: the line says why.
        Path unnamed = idxCopy(same128, dir.resolve("unnamed"), -1);
        Files.delete(unnamed.resolve("classes.txt"));
        Cli.Result names = Cli.run("train", "--resume", ck, "--data", unnamed, "--out", dir.resolve("d.safetensors"));
        Cli.assertRefused(names, dir.resolve("none"), "; its classes are named 0, 1, ... 9 here, T-shirt/top, Trouser, ... Ankle boot there "
                + "(a classes.txt beside the data names them)");
        Cli.Result fewer = Cli.run("train", "--resume", ck, "--epochs", "1", "--out", dir.resolve("d.safetensors"));
        Cli.assertRefused(fewer, dir.resolve("none"), "--epochs 1: the run in " + ck + " has finished 2 epochs already; give --epochs 2 or more");
        assertFalse(Files.exists(dir.resolve("d.safetensors")));
        // A finished run resumed as it was writes its model and says nothing was trained (it printed a rate).
        Cli.Result done = Cli.run("train", "--resume", ck, "--no-progress", "--out", dir.resolve("e.safetensors"));
        assertEquals(0, done.exitCode(), done.err());
        assertTrue(done.errLines().getFirst().startsWith("resuming from " + newest + ": all 2 epochs done"), done.err());
        assertEquals("saved " + dir.resolve("e.safetensors") + ": the run had finished its 2 epochs; nothing more was trained (--epochs N to go on)",
                lastLine(done));
        Weights.assertIdentical(dir.resolve("a.safetensors"), dir.resolve("e.safetensors"));
    }

    /**
     * A flag of another model family, likelihood or architecture than the checkpoint's run is refused for not applying
     * to it, as a new run refuses it: it was compared with the run's settings, so an nvae's run said it "was trained
     * with --dz 8" (its --ds), a vae's "with --dc 0" and "with --beta 1.0", and a value that happened to match
     * (--dz 8 for an nvae of --ds 8) was taken.
     */
    @Test
    void resumeRefusesFlagsOfAnotherFamilyForNotApplying() throws IOException {
        Path nvae = dir.resolve("nvae"), vae = dir.resolve("vae");
        assertEquals(0, train("--epochs", "1", "--hidden", "32,16", "--checkpoint-dir", nvae, "--out", dir.resolve("a.safetensors")).exitCode());
        assertEquals(0, train("--epochs", "1", "--hidden", "32,16", "--model", "vae", "--checkpoint-dir", vae, "--out", dir.resolve("b.safetensors")).exitCode());
        Path n = nvae.resolve(files(nvae).getLast()), v = vae.resolve(files(vae).getLast());
        String omit = "; omit %s to continue the run as it was";
        String ofNvae = "%s does not apply to the run of the checkpoint " + n + ": %s applies to ";
        String ofVae = "%s does not apply to the run of the checkpoint " + v + ": %s applies to ";
        for (String dz : List.of("4", "8")) {
            refusedOnResume(nvae, "--dz", dz, String.format(ofNvae, "--dz " + dz, "--dz")
                    + "the baselines (vae, beta-vae, cvae), and that run is an nvae (--ds 8, --dc 4)" + String.format(omit, "--dz"));
        }
        refusedOnResume(nvae, "--beta", "1", String.format(ofNvae, "--beta 1", "--beta")
                + "--model beta-vae only, and that run is an nvae" + String.format(omit, "--beta"));
        refusedOnResume(nvae, "--sigma-x", "0.2", String.format(ofNvae, "--sigma-x 0.2", "--sigma-x")
                + "--likelihood gaussian only, and that run is an nvae with --likelihood bernoulli" + String.format(omit, "--sigma-x"));
        refusedOnResume(nvae, "--channels", "8,8", String.format(ofNvae, "--channels 8,8", "--channels")
                + "--arch conv only, and that run is an nvae with --arch mlp" + String.format(omit, "--channels"));
        for (String flag : List.of("--ds", "--dc", "--beta-c", "--alpha", "--y-kl", "--balance")) {
            String value = flag.equals("--ds") || flag.equals("--dc") ? "12" : "1.0";
            refusedOnResume(vae, flag, value, String.format(ofVae, flag + " " + value, flag)
                    + "--model nvae only, and that run is a vae (one latent block of --dz 12 dimensions)" + String.format(omit, flag));
        }
        refusedOnResume(vae, "--beta", "2", String.format(ofVae, "--beta 2", "--beta") + "--model beta-vae only, and that run is a vae"
                + String.format(omit, "--beta"));
        // A label-free run has no labelled examples for --alpha to weigh.
        Path free = dir.resolve("free");
        assertEquals(0, train("--epochs", "1", "--hidden", "32,16", "--labels", "none", "--checkpoint-dir", free, "--out", dir.resolve("f.safetensors")).exitCode());
        Path f = free.resolve(files(free).getLast());
        refusedOnResume(free, "--alpha", "1", "--alpha 1 does not apply to the run of the checkpoint " + f + ": --alpha applies to an nvae "
                + "with labels (it weighs the classifier loss of labelled examples), and that run is a label-free nvae (--labels none)"
                + String.format(omit, "--alpha"));
        // A flag of the run's own family is compared with its setting, as before.
        refusedOnResume(vae, "--dz", "4", "--dz 4 conflicts with the checkpoint " + v + ", which was trained with --dz 12" + String.format(omit, "--dz"));
    }

    private void refusedOnResume(Path ck, String flag, String value, String line) throws IOException {
        Cli.Result r = Cli.run("train", "--resume", ck, flag, value, "--epochs", "2", "--out", dir.resolve("c.safetensors"));
        assertEquals("nvae: " + line, Cli.assertRefused(r, dir.resolve("none")));
    }

    /**
     * A refusal names what the run was trained with as the flag would be written: a flag the run was not given
     * read "trained with --limit null" (and "--labelled-share null"), a list "--channels [4, 8]"; and the default
     * --labelled-share given explicitly to a run that took the default was refused as another share.
     */
    @Test
    void resumeRefusalsNameTheStoredValueAsAFlagAndTheDefaultShareIsTheSameRun() throws IOException {
        Path conv = dir.resolve("conv");
        Cli.Result first = Cli.run("train", "--data", rgbShapes(), "--arch", "conv", "--channels", "4,8", "--hidden", "16",
                "--epochs", "1", "--batch", "64", "--threads", "1", "--no-progress", "--checkpoint-dir", conv, "--out", dir.resolve("a.safetensors"));
        assertEquals(0, first.exitCode(), first.err());
        Path newest = conv.resolve(files(conv).getLast());
        Cli.Result limit = Cli.run("train", "--resume", conv, "--limit", "100", "--out", dir.resolve("b.safetensors"));
        Cli.assertRefused(limit, dir.resolve("b.safetensors"), "--limit 100 conflicts with the checkpoint " + newest
                + ", which was trained without --limit; omit --limit to continue the run as it was");
        Cli.Result channels = Cli.run("train", "--resume", conv, "--channels", "8,16", "--out", dir.resolve("b.safetensors"));
        Cli.assertRefused(channels, dir.resolve("b.safetensors"), "--channels 8,16 conflicts with the checkpoint " + newest
                + ", which was trained with --channels 4,8; omit --channels to continue the run as it was");

        Path mixed = dir.resolve("mixed");
        Cli.Result partly = train("--labels-per-class", "2", "--epochs", "1", "--checkpoint-dir", mixed, "--out", dir.resolve("c.safetensors"));
        assertEquals(0, partly.exitCode(), partly.err());
        Path last = mixed.resolve(files(mixed).getLast());
        Cli.Result other = Cli.run("train", "--resume", mixed, "--labelled-share", "0.25", "--out", dir.resolve("d.safetensors"));
        Cli.assertRefused(other, dir.resolve("d.safetensors"), "--labelled-share 0.25 conflicts with the checkpoint " + last
                + ", which was trained without --labelled-share (the default, 0.5); omit --labelled-share to continue the run as it was");
        Cli.Result same = Cli.run("train", "--resume", mixed, "--labelled-share", "0.5", "--epochs", "2", "--no-progress",
                "--out", dir.resolve("d.safetensors"));
        assertEquals(0, same.exitCode(), same.err());
        Cli.Result straight = train("--labels-per-class", "2", "--out", dir.resolve("e.safetensors"));
        assertEquals(0, straight.exitCode(), straight.err());
        Weights.assertIdentical(dir.resolve("e.safetensors"), dir.resolve("d.safetensors"));
    }

    /**
     * --log of a resumed run holds every epoch of the run; a run resumed after its last epoch (killed between its
     * final checkpoint and its model, or resumed for the model alone) trains nothing, and wrote no --log file at all.
     */
    @Test
    void aFinishedRunResumedWritesItsLogToo() throws IOException {
        Path ck = dir.resolve("ck");
        Path straightLog = dir.resolve("straight.jsonl");
        assertEquals(0, train("--checkpoint-dir", ck, "--log", straightLog, "--out", dir.resolve("a.safetensors")).exitCode());
        Path log = dir.resolve("resumed.jsonl");
        Cli.Result done = Cli.run("train", "--resume", ck, "--no-progress", "--log", log, "--out", dir.resolve("b.safetensors"));
        assertEquals(0, done.exitCode(), done.err());
        assertEquals("", done.out(), "stdout showed these epochs when they were trained");
        assertEquals(withoutTimings(Files.readAllLines(straightLog)), withoutTimings(Files.readAllLines(log)));
        Weights.assertIdentical(dir.resolve("a.safetensors"), dir.resolve("b.safetensors"));
    }

    /**
     * A run on --backend vector resumed with --resume alone went on on auto's backend (oneDNN where it loads), which sums
     * in another order: other weights than the uninterrupted run's, without a word. The checkpoint now records its
     * backend, a resume goes on on it unless --backend says otherwise, and another backend is warned of.
     */
    @Test
    void aResumedRunGoesOnOnItsBackendAndAnotherIsWarnedOf() throws IOException {
        Path ck = dir.resolve("ck");
        Cli.Result first = train("--backend", "vector", "--epochs", "1", "--checkpoint-dir", ck, "--out", dir.resolve("a.safetensors"));
        assertEquals(0, first.exitCode(), first.err());
        Path copy = Files.createDirectories(dir.resolve("copy"));
        for (String f : files(ck)) Files.copy(ck.resolve(f), copy.resolve(f));
        Cli.Result resumed = Cli.run("train", "--resume", ck, "--epochs", "2", "--no-progress", "--out", dir.resolve("b.safetensors"));
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertTrue(resumed.err().contains("with backend vector"), resumed.err());
        assertFalse(resumed.err().contains("warning"), resumed.err());
        // A run that had finished computes nothing more: another --backend is no reason for a warning, and the model names
        // the backend that computed its weights (it warned, and recorded --backend's).
        Cli.Result finished = Cli.run("train", "--resume", ck, "--epochs", "2", "--backend", "onednn", "--no-progress",
                "--out", dir.resolve("f.safetensors"));
        assertEquals(0, finished.exitCode(), finished.err());
        assertFalse(finished.err().contains("warning"), finished.err());
        assertEquals(-1, Files.mismatch(dir.resolve("b.safetensors"), dir.resolve("f.safetensors")), "the same weights and record");
        Cli.Result straight = train("--backend", "vector", "--out", dir.resolve("c.safetensors"));
        assertEquals(0, straight.exitCode(), straight.err());
        Weights.assertIdentical(dir.resolve("c.safetensors"), dir.resolve("b.safetensors"));
        assertEquals(-1, Files.mismatch(dir.resolve("c.safetensors"), dir.resolve("b.safetensors")), "the model file records backend vector too");

        // A backend that does not open here (a GPU run going on on a CPU machine): auto's, with the reason.
        Path gone = Files.createDirectories(dir.resolve("gone"));
        Path last = withMetadata(copy.resolve(files(copy).getLast()), gone, meta -> meta.put("nvae.backend", "nosuch"));
        Cli.Result elsewhere = Cli.run("train", "--resume", gone, "--epochs", "2", "--no-progress", "--out", dir.resolve("e.safetensors"));
        assertEquals(0, elsewhere.exitCode(), elsewhere.err());
        assertTrue(elsewhere.errLines().stream().anyMatch(l -> l.startsWith("warning: the run computed on backend nosuch up to " + last
                + " and goes on on ") && l.contains(", as nosuch does not open here (")), elsewhere.err());

        assumeTrue(dev.nvae.ffm.DnnlLibrary.load().available(), "oneDNN does not load here");
        Path checkpoint = copy.resolve(files(copy).getLast());
        Cli.Result other = Cli.run("train", "--resume", copy, "--backend", "onednn", "--epochs", "2", "--no-progress",
                "--out", dir.resolve("d.safetensors"));
        assertEquals(0, other.exitCode(), other.err());
        assertTrue(other.errLines().contains("warning: the run computed on backend vector up to " + checkpoint + " and goes on on onednn: "
                + "its weights will not be, bit for bit, those of an uninterrupted run (--backend vector keeps them)"), other.err());
    }

    /**
     * A run trained on oneDNN with --threads 1 and resumed with --resume alone went on with every processor, and where
     * oneDNN's sums depend on the thread count (its convolutions on AVX-512) ended with other weights than the
     * uninterrupted run, silently. Now a checkpoint records its threads, a resume on oneDNN goes on with them unless
     * --threads says otherwise, and other threads are warned of; a checkpoint from before they were recorded resumes
     * as it did.
     */
    @Test
    void aRunResumedOnOneDnnGoesOnWithItsThreadsAndOthersAreWarnedOf() throws IOException {
        assumeTrue(dev.nvae.ffm.DnnlLibrary.load().available(), "oneDNN does not load here");
        assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "one processor: every run computes with one thread");
        Path ck = dir.resolve("ck");
        Cli.Result first = train("--arch", "conv", "--backend", "onednn", "--epochs", "1", "--checkpoint-dir", ck,
                "--out", dir.resolve("a.safetensors"));
        assertEquals(0, first.exitCode(), first.err());
        Path copy = Files.createDirectories(dir.resolve("copy")), again = Files.createDirectories(dir.resolve("again"));
        for (String f : files(ck)) {
            Files.copy(ck.resolve(f), copy.resolve(f));
            Files.copy(ck.resolve(f), again.resolve(f));
        }
        Cli.Result resumed = Cli.run("train", "--resume", ck, "--epochs", "2", "--no-progress", "--out", dir.resolve("b.safetensors"));
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertTrue(resumed.err().contains("with backend onednn, 1 thread,"), resumed.err());
        assertFalse(resumed.err().contains("warning"), resumed.err());
        Cli.Result straight = train("--arch", "conv", "--backend", "onednn", "--out", dir.resolve("c.safetensors"));
        assertEquals(0, straight.exitCode(), straight.err());
        Weights.assertIdentical(dir.resolve("c.safetensors"), dir.resolve("b.safetensors"));
        // The same command started again without --threads (a supervisor's restart) goes on as --resume does.
        Cli.Result restarted = Cli.run("train", "--data", "testdata", "--limit", "128", "--batch", "32", "--no-progress", "--arch", "conv",
                "--backend", "onednn", "--epochs", "2", "--checkpoint-dir", again, "--out", dir.resolve("r.safetensors"));
        assertEquals(0, restarted.exitCode(), restarted.err());
        assertTrue(restarted.err().contains("with backend onednn, 1 thread,"), restarted.err());
        assertFalse(restarted.err().contains("warning"), restarted.err());
        Weights.assertIdentical(dir.resolve("c.safetensors"), dir.resolve("r.safetensors"));

        Path checkpoint = copy.resolve(files(copy).getLast());
        Cli.Result more = Cli.run("train", "--resume", copy, "--threads", "2", "--epochs", "2", "--no-progress",
                "--out", dir.resolve("d.safetensors"));
        assertEquals(0, more.exitCode(), more.err());
        assertTrue(more.errLines().contains("warning: the run computed with 1 thread on onednn up to " + checkpoint + " and goes on with 2: "
                + "its weights may not be, bit for bit, those of an uninterrupted run (oneDNN's sums can depend on the thread count; "
                + "--threads 1 keeps them)"), more.err());

        // A checkpoint written before the threads were recorded: every processor, as before, and nothing to warn of.
        Path old = Files.createDirectories(dir.resolve("old"));
        withMetadata(checkpoint, old, meta -> assertEquals("1", meta.remove("nvae.threads")));
        Cli.Result before = Cli.run("train", "--resume", old, "--epochs", "2", "--no-progress", "--out", dir.resolve("e.safetensors"));
        assertEquals(0, before.exitCode(), before.err());
        assertTrue(before.err().contains("with backend onednn, " + Runtime.getRuntime().availableProcessors() + " threads,"), before.err());
        assertFalse(before.err().contains("warning"), before.err());

        // A run from a machine with more processors than this one goes on with all of these, and says why it has fewer.
        Path bigger = withMetadata(checkpoint, Files.createDirectories(dir.resolve("bigger")), meta -> meta.put("nvae.threads", "4096"));
        int here = Runtime.getRuntime().availableProcessors();
        Cli.Result capped = Cli.run("train", "--resume", bigger.getParent(), "--epochs", "2", "--no-progress", "--out", dir.resolve("f.safetensors"));
        assertEquals(0, capped.exitCode(), capped.err());
        assertTrue(capped.err().contains("with backend onednn, " + here + " threads,"), capped.err());
        assertTrue(capped.errLines().contains("warning: the run computed with 4096 threads on onednn up to " + bigger
                + " and goes on with " + here + ", the processors available here: its weights may not be, bit for bit, those of an "
                + "uninterrupted run (oneDNN's sums can depend on the thread count; --threads 4096 keeps them)"), capped.err());
    }

    /**
     * A copy of {@code checkpoint} in {@code to} with its metadata as {@code edit} leaves it (and the header checksum
     * dropped, so that it reads as a checkpoint some other build wrote); returns the copy.
     */
    private static Path withMetadata(Path checkpoint, Path to, java.util.function.Consumer<java.util.Map<String, String>> edit) {
        var f = dev.nvae.io.SafeTensors.read(checkpoint);
        java.util.Map<String, String> meta = new java.util.LinkedHashMap<>(f.metadata());
        edit.accept(meta);
        meta.remove("nvae.header_crc32c");
        List<dev.nvae.io.NamedArray> arrays = new ArrayList<>();
        for (String name : f.names()) arrays.add(new dev.nvae.io.NamedArray(name, f.shape(name), java.lang.foreign.MemorySegment.ofArray(f.floats(name))));
        Path copy = to.resolve(checkpoint.getFileName());
        dev.nvae.io.SafeTensors.writeArrays(copy, arrays, meta);
        return copy;
    }

    /** A directory another run holds is refused in one line that names the flag, like every refusal ("nvae: DIR: another ..."). */
    @Test
    void aCheckpointDirectoryInUseIsRefusedNamingTheFlag() throws IOException {
        Path ck = dir.resolve("ck");
        assertEquals(0, train("--epochs", "1", "--checkpoint-dir", ck, "--out", dir.resolve("a.safetensors")).exitCode());
        List<String> before = files(ck);
        try (dev.nvae.train.CheckpointStore live = dev.nvae.train.CheckpointStore.open(ck, 3, w -> { })) {
            Cli.Result same = train("--epochs", "1", "--checkpoint-dir", ck, "--out", dir.resolve("b.safetensors"));
            Cli.assertRefused(same, dir.resolve("none"));
            assertEquals("nvae: --checkpoint-dir " + ck + ": another training run is using this checkpoint directory", lastLine(same));
            Cli.Result resumed = Cli.run("train", "--resume", ck, "--out", dir.resolve("b.safetensors"));
            Cli.assertRefused(resumed, dir.resolve("none"));
            assertEquals("nvae: --resume " + ck + ": another training run is using this checkpoint directory", lastLine(resumed));
        }
        assertEquals(before, files(ck));
        assertFalse(Files.exists(dir.resolve("b.safetensors")));
    }

    /**
     * A checkpoint directory inside the data was written into it: in an image folder it became a class folder ("ck"),
     * so the run could be neither resumed ("train/ and test/ have different class folders") nor its data read again.
     */
    @Test
    void aCheckpointDirectoryInsideTheDataIsRefused() throws IOException {
        Path rgb = Files.createDirectories(dir.resolve("rgb"));
        Path source = rgbShapes();
        try (Stream<Path> files = Files.walk(source)) {
            for (Path f : files.toList()) {
                Path to = rgb.resolve(source.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(to);
                else Files.copy(f, to);
            }
        }
        for (Path ck : List.of(rgb.resolve("train/ck"), rgb.resolve("train/circle"), rgb)) {
            Cli.Result r = Cli.run("train", "--data", rgb, "--epochs", "1", "--hidden", "8,4", "--no-progress", "--checkpoint-dir", ck,
                    "--out", dir.resolve("a.safetensors"));
            Cli.assertRefused(r, dir.resolve("none"), "--checkpoint-dir " + ck + " lies inside the dataset " + rgb
                    + " (--data); checkpoints written there would change the input: give a directory outside it");
        }
        // So does the Java API.
        dev.nvae.api.InvalidRequestException api = assertThrows(dev.nvae.api.InvalidRequestException.class, () -> Training.on(rgb.toString())
                .epochs(1).checkpoints(rgb.resolve("train/ck"), 0, 3).run(dir.resolve("a.safetensors")));
        assertTrue(api.getMessage().contains("lies inside the dataset"), api.getMessage());
        assertEquals(List.of("circle", "square", "triangle"), files(rgb.resolve("train")));
        assertFalse(Files.exists(dir.resolve("a.safetensors")));
    }

    private static List<String> withoutTimings(List<String> lines) {
        return lines.stream().map(l -> l.replaceAll(",\"(examples_per_s|seconds)\":[^,}]*", "")).toList();
    }

    private static Path rgbShapes() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("testdata/rgb-shapes"))) return p.resolve("testdata/rgb-shapes");
        }
        throw new AssertionError("testdata/rgb-shapes not found above " + Path.of("").toAbsolutePath());
    }

    /**
     * A bf16 run's checkpoints hold float32 weights like an fp32 run's, and did not say they were bf16:
     * --resume went on in fp32 (the default), to other weights than the run's own, and so did Training.resume.
     * Now the run goes on at bf16 and ends, bit for bit, where an uninterrupted bf16 run ends.
     */
    @Test
    void aResumedBf16RunGoesOnInBf16AndEndsWhereAnUninterruptedOneDoes() throws IOException {
        assumeTrue(CpuFeatures.hasBf16(), "this CPU has no avx512_bf16/amx_bf16: bf16 training is refused here");
        Path ck = dir.resolve("ck"), api = dir.resolve("api");
        Object[] bf16 = {"--precision", "bf16", "--backend", "onednn"};
        Cli.Result first = train(concat(bf16, "--epochs", "1", "--checkpoint-dir", ck, "--out", dir.resolve("a.safetensors")));
        assertEquals(0, first.exitCode(), first.err());
        Files.createDirectories(api);
        for (String name : files(ck)) Files.copy(ck.resolve(name), api.resolve(name));
        Path newest = ck.resolve("checkpoint-000000004.safetensors");

        // The other precision, given explicitly: refused, as --lr is; so is the same command at fp32.
        Cli.Result fp32 = Cli.run("train", "--resume", ck, "--epochs", "2", "--precision", "fp32", "--out", dir.resolve("x.safetensors"));
        assertEquals(List.of("nvae: --precision fp32 conflicts with the checkpoint " + newest + ", which was trained with --precision bf16; "
                + "omit --precision to continue the run as it was"), fp32.errLines());
        Cli.Result again = train("--backend", "onednn", "--epochs", "2", "--checkpoint-dir", ck, "--out", dir.resolve("x.safetensors"));
        assertEquals(List.of("nvae: --checkpoint-dir " + ck + " holds checkpoints of another run (--precision fp32 here, bf16 there): "
                + "continue that run with --resume " + ck + ", or give an empty directory"), again.errLines());
        assertFalse(Files.exists(dir.resolve("x.safetensors")));

        Path resumed = dir.resolve("b.safetensors");
        Cli.Result more = Cli.run("train", "--resume", ck, "--epochs", "2", "--backend", "onednn", "--threads", "1", "--no-progress",
                "--out", resumed);
        assertEquals(0, more.exitCode(), more.err());
        assertTrue(more.err().contains("with backend onednn, 1 thread, bf16"), more.err());
        try (LoadedModel m = ModelFile.load(resumed)) {
            assertEquals("bf16", m.training().get("precision"));
        }
        Path straight = dir.resolve("straight.safetensors");
        assertEquals(0, train(concat(bf16, "--epochs", "2", "--out", straight)).exitCode());
        Weights.assertIdentical(straight, resumed);

        // The Java API has no precision setting; its resume goes on at the checkpoint's.
        Path viaApi = dir.resolve("api.safetensors");
        Training.resume(api).epochs(2).backend(ComputeBackend.ONEDNN).threads(1).run(viaApi);
        Weights.assertIdentical(straight, viaApi);
        try (LoadedModel m = ModelFile.load(viaApi)) {
            assertEquals("bf16", m.training().get("precision"));
        }
        ModelException vector = assertThrows(ModelException.class,
                () -> Training.resume(api).epochs(3).backend(ComputeBackend.VECTOR).threads(1).run(dir.resolve("v.safetensors")));
        assertTrue(vector.getMessage().startsWith("Precision.BF16: training in bf16 runs on oneDNN"), vector.getMessage());
    }

    /** The reverse, on any CPU: an fp32 run is not continued at bf16, by --resume or by the same command given --precision bf16. */
    @Test
    void anFp32RunIsNotContinuedAtBf16() throws IOException {
        Path ck = dir.resolve("ck");
        assertEquals(0, train("--epochs", "1", "--checkpoint-dir", ck, "--out", dir.resolve("a.safetensors")).exitCode());
        Path newest = ck.resolve("checkpoint-000000004.safetensors");
        Path out = dir.resolve("b.safetensors");
        Cli.Result resumed = Cli.run("train", "--resume", ck, "--epochs", "2", "--precision", "bf16", "--backend", "onednn", "--out", out);
        assertEquals(List.of("nvae: --precision bf16 conflicts with the checkpoint " + newest + ", which was trained with --precision fp32; "
                + "omit --precision to continue the run as it was"), resumed.errLines());
        Cli.Result again = train("--epochs", "2", "--precision", "bf16", "--backend", "onednn", "--checkpoint-dir", ck, "--out", out);
        assertEquals(List.of("nvae: --checkpoint-dir " + ck + " holds checkpoints of another run (--precision bf16 here, fp32 there): "
                + "continue that run with --resume " + ck + ", or give an empty directory"), again.errLines());
        assertFalse(Files.exists(out));
        assertEquals(List.of("checkpoint-000000004.safetensors"), files(ck));
        // Giving the checkpoint's own precision is fine.
        Cli.Result same = Cli.run("train", "--resume", ck, "--epochs", "2", "--precision", "fp32", "--no-progress", "--out", out);
        assertEquals(0, same.exitCode(), same.err());
    }

    /**
     * A bf16 run resumed on a CPU without bf16 (made so here by hiding the flags) is refused saying what to do:
     * the backend's own refusal advised --precision fp32, which --resume then refuses as another run.
     */
    @Test
    void aBf16RunResumedWhereBf16CannotTrainSaysWhatToDo() throws IOException {
        Path ck = dir.resolve("ck");
        assertEquals(0, train("--epochs", "1", "--checkpoint-dir", ck, "--out", dir.resolve("a.safetensors")).exitCode());
        // The run's checkpoint as a bf16 run would have written it (same tensors: float32 master weights), no header checksum.
        Path newest = ck.resolve("checkpoint-000000004.safetensors");
        var f = dev.nvae.io.SafeTensors.read(newest);
        java.util.Map<String, String> meta = new java.util.LinkedHashMap<>(f.metadata());
        meta.put("nvae.precision", "bf16");
        meta.remove("nvae.header_crc32c");
        List<dev.nvae.io.NamedArray> arrays = new ArrayList<>();
        for (String name : f.names()) arrays.add(new dev.nvae.io.NamedArray(name, f.shape(name), java.lang.foreign.MemorySegment.ofArray(f.floats(name))));
        Files.delete(newest);
        dev.nvae.io.SafeTensors.writeArrays(newest, arrays, meta);
        String absent = System.getProperty(CpuFeatures.ABSENT_PROPERTY);
        System.setProperty(CpuFeatures.ABSENT_PROPERTY, String.join(",", CpuFeatures.BF16_FLAGS));
        try {
            Cli.Result r = Cli.run("train", "--resume", ck, "--epochs", "2", "--out", dir.resolve("b.safetensors"));
            assertEquals(List.of("nvae: --resume " + ck + ": the run trains in bf16 (its checkpoints say so), and this CPU has neither "
                    + "avx512_bf16 nor amx_bf16 (see nvae info): go on with it where bf16 training runs, or start a new run at --precision fp32"),
                    r.errLines());
        } finally {
            if (absent == null) System.clearProperty(CpuFeatures.ABSENT_PROPERTY);
            else System.setProperty(CpuFeatures.ABSENT_PROPERTY, absent);
        }
        assertFalse(Files.exists(dir.resolve("b.safetensors")));
    }

    private static Object[] concat(Object[] first, Object... rest) {
        List<Object> all = new ArrayList<>(Arrays.asList(first));
        all.addAll(Arrays.asList(rest));
        return all.toArray();
    }

    /** {@code data} as an IDX directory with Fashion-MNIST's class names, the label of example {@code relabel} (if ≥ 0) changed. */
    private static Path idxCopy(Dataset data, Path to, int relabel) throws IOException {
        Files.createDirectories(to);
        float[] pixels = new float[data.count() * data.dim()];
        int[] labels = new int[data.count()];
        for (int i = 0; i < data.count(); i++) {
            System.arraycopy(data.image(i), 0, pixels, i * data.dim(), data.dim());
            labels[i] = i == relabel ? (data.label(i) + 1) % data.numClasses() : data.label(i);
        }
        IdxWriter.writeImages(to.resolve("train-images-idx3-ubyte"), pixels, data.count(), data.height(), data.width());
        IdxWriter.writeLabels(to.resolve("train-labels-idx1-ubyte"), labels);
        Files.write(to.resolve("classes.txt"), data.classNames());
        return to;
    }

    @Test
    void checkpointFlagErrors() throws IOException {
        Path out = dir.resolve("m.safetensors");
        assertEquals("nvae: --checkpoint-every needs --checkpoint-dir", lastLine(train("--checkpoint-every", "5", "--out", out)));
        assertEquals("nvae: --keep needs --checkpoint-dir", lastLine(train("--keep", "5", "--out", out)));
        assertEquals("nvae: --checkpoint-every 0 must be at least 1",
                lastLine(train("--checkpoint-dir", dir.resolve("c"), "--checkpoint-every", "0", "--out", out)));
        assertEquals("nvae: --keep 0 must be at least 1", lastLine(train("--checkpoint-dir", dir.resolve("c"), "--keep", "0", "--out", out)));
        assertEquals("nvae: --resume " + dir.resolve("none") + ": no such directory", lastLine(train("--resume", dir.resolve("none"), "--out", out)));
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertEquals("nvae: --resume " + empty + ": no valid checkpoint to resume from", lastLine(train("--resume", empty, "--out", out)));
        assertEquals(List.of(), files(empty), "a refused run leaves the directory as it was");
        assertEquals("nvae: --checkpoint-dir " + dir.resolve("x") + " differs from --resume " + empty
                        + ": a resumed run keeps checkpointing where it was; give only --resume",
                lastLine(train("--resume", empty, "--checkpoint-dir", dir.resolve("x"), "--out", out)));
        assertEquals("nvae: --on-nan: 'maybe' is not a policy; use stop or skip", lastLine(train("--on-nan", "maybe", "--out", out)));
        assertFalse(Files.exists(out));

        Path used = dir.resolve("used");
        assertEquals(0, train("--epochs", "1", "--checkpoint-dir", used, "--out", out).exitCode());
        Files.delete(out);
        // Another run's directory: refused, saying what differs, before anything in it changes.
        Files.write(used.resolve(".checkpoint-000000004.safetensors.tmp-x1"), new byte[10]); // a user's file, not ours
        assertEquals("nvae: --checkpoint-dir " + used + " holds checkpoints of another run (--lr 0.01 here, 0.001 there; --seed 7 here, "
                + "0 there): continue that run with --resume " + used + ", or give an empty directory",
                lastLine(train("--epochs", "1", "--lr", "0.01", "--seed", "7", "--checkpoint-dir", used, "--out", out)));
        assertFalse(Files.exists(out));
        assertEquals(List.of(".checkpoint-000000004.safetensors.tmp-x1", "checkpoint-000000004.safetensors"), files(used));
        Path changed = idxCopy(DataSources.load("testdata", Split.TRAIN).first(128), dir.resolve("changed"), 7);
        Cli.Result otherData = Cli.run("train", "--data", changed, "--limit", "128", "--batch", "32", "--epochs", "1", "--no-progress",
                "--checkpoint-dir", used, "--out", out);
        assertTrue(lastLine(otherData).startsWith("nvae: --checkpoint-dir " + used + " holds checkpoints of another run (--data " + changed
                + ": 128 examples with fingerprint "), lastLine(otherData));
        assertFalse(Files.exists(out));

        // A label-free run's --y-kl, --balance and --clusters make it another run too (they passed for the same run,
        // and the trainer then refused it with its config dumped as a record).
        Path free = dir.resolve("free");
        Object[] labelFree = {"--epochs", "1", "--labels", "none", "--clusters", "4", "--hidden", "32,16", "--checkpoint-dir", free, "--out", out};
        assertEquals(0, train(labelFree).exitCode());
        Files.delete(out);
        Cli.assertRefused(train(concat(labelFree, "--balance", "2", "--y-kl", "-0.25")), dir.resolve("none"), "holds checkpoints of another run "
                + "(--y-kl -0.25 here, -0.5 there; --balance 2 here, 5.0 there)");
        Cli.assertRefused(train("--epochs", "1", "--labels", "none", "--clusters", "5", "--hidden", "32,16", "--checkpoint-dir", free, "--out", out),
                dir.resolve("none"), "holds checkpoints of another run (--clusters 5 here, 4 there)");
        assertFalse(Files.exists(out));
    }

    /**
     * Another label selection in a directory of a semi-supervised run is named by the flags the user gives: the line
     * said `--labels per-class:6 here, per-class:5 there` (a value --labels refuses) and `--labels not given here`
     * for a run without --labels-per-class.
     */
    @Test
    void anotherLabelSelectionIsNamedByItsFlags() throws IOException {
        Path semi = dir.resolve("semi"), out = dir.resolve("m.safetensors");
        assertEquals(0, train("--epochs", "1", "--labels-per-class", "5", "--hidden", "32,16", "--checkpoint-dir", semi,
                "--out", dir.resolve("semi.safetensors")).exitCode());
        Cli.assertRefused(train("--epochs", "1", "--labels-per-class", "6", "--hidden", "32,16", "--checkpoint-dir", semi, "--out", out),
                dir.resolve("none"), "holds checkpoints of another run (--labels-per-class 6 here, 5 there; --data ");
        Cli.assertRefused(train("--epochs", "1", "--labels-fraction", "0.5", "--hidden", "32,16", "--checkpoint-dir", semi, "--out", out),
                dir.resolve("none"), "(--labels-per-class not given here, 5 there; "
                        + "--labels-fraction 0.5 here, not given there; --data ");
        Cli.assertRefused(train("--epochs", "1", "--labels-per-class", "5", "--drop-unlabelled", "--hidden", "32,16", "--checkpoint-dir",
                semi, "--out", out), dir.resolve("none"), "--drop-unlabelled given here, not given there");
        // --resume named the switch with a value it takes none of: '--drop-unlabelled true ... trained with --drop-unlabelled false'
        String resumed = Cli.assertRefused(train("--resume", semi, "--drop-unlabelled", "--out", out), dir.resolve("none"),
                ", which was trained without --drop-unlabelled; omit --drop-unlabelled to continue the run as it was");
        assertTrue(resumed.startsWith("nvae: --drop-unlabelled conflicts with the checkpoint " + semi), resumed);
        assertFalse(Files.exists(out));
    }

    /**
     * The same command again — what a supervisor restarting a killed run does — is the same run: it goes on
     * from the newest checkpoint, says so in one line, and ends where an uninterrupted run ends.
     */
    @Test
    void theSameCommandAgainContinuesTheRun() throws IOException {
        Path ck = dir.resolve("ck");
        Object[] command = {"--seed", "2", "--checkpoint-dir", ck, "--checkpoint-every", "3", "--out", dir.resolve("a.safetensors")};
        assertEquals(0, train(command).exitCode());
        Files.delete(ck.resolve("checkpoint-000000008.safetensors")); // as if killed after step 6
        Cli.Result again = train(command);
        assertEquals(0, again.exitCode(), again.err());
        assertEquals("resuming from " + ck.resolve("checkpoint-000000006.safetensors") + ": epoch 2, step 3 (the same run: its settings "
                + "and data match); checkpoints every 3 steps, keeping 3", again.errLines().getFirst());
        assertEquals(0, train("--seed", "2", "--out", dir.resolve("straight.safetensors")).exitCode());
        Weights.assertIdentical(dir.resolve("straight.safetensors"), dir.resolve("a.safetensors"));
        // A longer run of the same settings goes on through the same first epochs.
        Cli.Result longer = train("--seed", "2", "--epochs", "3", "--checkpoint-dir", ck, "--out", dir.resolve("b.safetensors"));
        assertEquals(0, longer.exitCode(), longer.err());
        assertTrue(longer.errLines().getFirst().startsWith("resuming from " + ck.resolve("checkpoint-000000008.safetensors")), longer.err());
    }

    /**
     * --out or --log at the checkpoint directory's path, or above it: the store makes that directory before the first
     * step, so the file could not be written at the end. Refused before training, nothing created (the run trained,
     * then failed with 'ck: cannot write: is a directory', the model lost and a directory left at --out).
     */
    @Test
    void anOutputWhereTheCheckpointDirectoryGoesIsRefusedBeforeTraining() {
        Path ck = dir.resolve("ck");
        for (Object[] command : List.of(new Object[]{"--checkpoint-dir", ck, "--out", ck},
                new Object[]{"--checkpoint-dir", ck, "--log", ck, "--out", dir.resolve("m.safetensors")})) {
            Cli.Result r = train(command);
            assertEquals(1, r.exitCode(), r.err());
            String flag = command[2].equals("--log") ? "--log" : "--out";
            assertEquals("nvae: " + flag + " " + ck + " is where the checkpoint directory " + command[1]
                    + " goes (--checkpoint-dir): give the file another name", lastLine(r));
            assertFalse(r.err().contains("training nvae"), "fails before any training: " + r.err());
            assertFalse(Files.exists(ck));
            assertFalse(Files.exists(dir.resolve("m.safetensors")));
        }
    }

    /** /proc takes no new directories, whatever the permission bits say: refused before training starts. */
    @Test
    void checkpointDirectoryThatCannotBeCreated() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux /proc");
        Cli.Result r = train("--checkpoint-dir", "/proc/nvae-checkpoints", "--out", dir.resolve("m.safetensors"));
        assertEquals(1, r.exitCode());
        assertTrue(lastLine(r).startsWith("nvae: --checkpoint-dir /proc/nvae-checkpoints: cannot write: cannot create files in /proc ("), r.err());
        assertFalse(r.err().contains("training nvae"), "fails before any training: " + r.err());
    }

    /**
     * A directory that cannot be one: refused in one line naming the flag and the reason, before the data is
     * read, with nothing created.
     */
    @Test
    void aCheckpointDirectoryThatCannotBeOneIsRefusedWithTheReason() throws IOException {
        Path out = dir.resolve("m.safetensors");
        Path file = Files.writeString(dir.resolve("keep.safetensors"), "x");
        Cli.Result r = train("--checkpoint-dir", file, "--out", out);
        assertEquals(1, r.exitCode());
        assertEquals(List.of("nvae: --checkpoint-dir " + file + ": is a file, not a directory"), r.errLines());
        assertEquals("nvae: --checkpoint-dir " + file.resolve("ck") + ": cannot write: " + file + " is a file, not a directory",
                lastLine(train("--checkpoint-dir", file.resolve("ck"), "--out", out)));
        Path missing = dir.resolve("no").resolve("ck");
        assertEquals("nvae: --checkpoint-dir " + missing + ": cannot write: directory " + missing.getParent() + " does not exist",
                lastLine(train("--checkpoint-dir", missing, "--out", out)));
        assertEquals("x", Files.readString(file));
        assertEquals(List.of("keep.safetensors"), files(dir));
    }

    /**
     * What a run leaves in its checkpoint directory is checkpoints, never the lock file: not after it
     * succeeds, not after it is refused, not after it fails; and a directory it made and wrote no checkpoint
     * into is removed again.
     */
    @Test
    void noLockFileOutlivesARunNorADirectoryItMadeAndWroteNoCheckpointInto() throws IOException {
        Path ck = dir.resolve("ck");
        assertEquals(0, train("--epochs", "1", "--checkpoint-dir", ck, "--out", dir.resolve("a.safetensors")).exitCode());
        assertEquals(List.of("checkpoint-000000004.safetensors"), files(ck));

        Path plain = Files.createDirectories(dir.resolve("plain"));
        Files.writeString(plain.resolve("readme"), "hi\n");
        Cli.Result resumed = Cli.run("train", "--no-progress", "--resume", plain, "--epochs", "2", "--out", dir.resolve("z.safetensors"));
        assertEquals(1, resumed.exitCode());
        assertEquals("nvae: --resume " + plain + ": no valid checkpoint to resume from", lastLine(resumed));
        assertEquals(List.of("readme"), files(plain));

        Path fresh = dir.resolve("newck");
        Cli.Result diverged = train("--epochs", "1", "--lr", "1e10", "--checkpoint-dir", fresh, "--out", dir.resolve("d.safetensors"));
        assertEquals(1, diverged.exitCode(), diverged.err());
        assertTrue(lastLine(diverged).startsWith("nvae: training diverged: "), diverged.err());
        assertFalse(Files.exists(fresh), "the directory the run made holds no checkpoint: removed");
        Path existing = Files.createDirectories(dir.resolve("existing"));
        assertEquals(1, train("--epochs", "1", "--lr", "1e10", "--checkpoint-dir", existing, "--out", dir.resolve("d.safetensors")).exitCode());
        assertEquals(List.of(), files(existing), "a directory that was there stays, as it was");
        // Diverged after a checkpoint: the directory it made holds the last good one, and stays.
        Cli.Result later = train("--epochs", "1", "--lr", "1e10", "--checkpoint-dir", fresh, "--checkpoint-every", "1", "--out", dir.resolve("d.safetensors"));
        assertEquals(1, later.exitCode(), later.err());
        assertEquals(List.of("checkpoint-000000001.safetensors"), files(fresh));
        assertFalse(Files.exists(dir.resolve("d.safetensors")));
    }

    @Test
    void aDamagedNewestCheckpointIsSkippedWithAWarning() throws IOException {
        Path ck = dir.resolve("ck");
        assertEquals(0, train("--checkpoint-dir", ck, "--checkpoint-every", "2", "--out", dir.resolve("a.safetensors")).exitCode());
        Path newest = ck.resolve("checkpoint-000000008.safetensors");
        Files.write(newest, Arrays.copyOf(Files.readAllBytes(newest), 1000)); // as a disk losing the file's tail would leave it
        Path killed = Files.createDirectory(ck.resolve(".nvae-staging-0123456789abcdef")); // a write SIGKILL cut short
        Files.writeString(killed.resolve("lock"), "999\n");
        Files.write(killed.resolve("checkpoint-000000010.safetensors"), new byte[10]);
        Cli.Result r = Cli.run("train", "--resume", ck, "--no-progress", "--out", dir.resolve("b.safetensors"));
        assertEquals(0, r.exitCode(), r.err());
        List<String> err = r.errLines();
        assertEquals("warning: " + ck + ": removed 1 unfinished checkpoint write(s) left by an interrupted run", err.get(0));
        assertFalse(Files.exists(killed));
        assertTrue(err.get(1).startsWith("warning: skipping damaged checkpoint " + newest + ": "), err.get(1));
        assertTrue(err.get(2).startsWith("resuming from " + ck.resolve("checkpoint-000000006.safetensors")), err.get(2));
        Weights.assertIdentical(dir.resolve("a.safetensors"), dir.resolve("b.safetensors"));
    }

    @Test
    void nonFiniteLossStopsWithExitOneAndKeepsTheLastGoodCheckpoint() throws IOException {
        Path ck = dir.resolve("ck");
        Path out = dir.resolve("m.safetensors");
        // A learning rate of 1e30 makes the weights huge but finite after step 1; step 2's loss overflows.
        Cli.Result r = train("--lr", "1e30", "--checkpoint-dir", ck, "--checkpoint-every", "1", "--out", out);
        assertEquals(1, r.exitCode());
        assertEquals("nvae: training diverged: non-finite loss at epoch 1, step 2; try a smaller --lr, or --on-nan skip", lastLine(r));
        assertFalse(Files.exists(out), "no model is written");
        assertEquals(List.of("checkpoint-000000001.safetensors"), files(ck));
        dev.nvae.train.Checkpoint.read(ck.resolve("checkpoint-000000001.safetensors"));
    }

    @Test
    void skipCountsTheDroppedSteps() throws IOException {
        Path out = dir.resolve("m.safetensors");
        Cli.Result r = train("--epochs", "1", "--lr", "1e30", "--on-nan", "skip", "--out", out);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("warning: epoch 1, step 2: non-finite loss; update skipped (--on-nan skip)"), r.err());
        assertTrue(r.err().contains("skipped 3 step(s) whose loss or gradients were not finite (--on-nan skip)"), r.err());
        try (LoadedModel m = ModelFile.load(out)) {
            assertEquals(3, ((Number) m.training().get("skipped_steps")).intValue());
        }
    }
}
