package dev.nvae.train;

import dev.nvae.NvaeException;
import dev.nvae.backend.Backend;
import dev.nvae.backend.VectorBackend;
import dev.nvae.data.DataSources;
import dev.nvae.data.Dataset;
import dev.nvae.data.Split;
import dev.nvae.io.FormatException;
import dev.nvae.io.NamedArray;
import dev.nvae.io.SafeTensors;
import dev.nvae.io.SafeTensorsFile;
import dev.nvae.io.StoredDtype;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.LatentModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checkpoints in one JVM: a resumed run equals the straight run bit for bit, the store keeps the newest
 * few, cleans up after interrupted writes, skips damaged files, and refuses a resume that would be a
 * different run. (The same across JVMs and under SIGKILL: the cli module's ResumeTest and KillTest.)
 */
class CheckpointTest {
    /** 256 examples in batches of 32: 8 steps per epoch. */
    private static final int STEPS_PER_EPOCH = 8;
    private static Dataset data;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() {
        data = DataSources.load("testdata", Split.TRAIN).first(256);
    }

    private static ModelConfig config() {
        return ModelConfig.mlp(data.height(), data.width(), data.numClasses(), 4, 2, 1, 1);
    }

    private static TrainOptions options(int epochs) {
        return new TrainOptions(epochs, 32, 1e-3, 11);
    }

    /** The outcome of a run: every weight's bits, and the epoch summaries without their timings. */
    private record Outcome(int[] bits, List<List<Double>> losses) {
        static Outcome of(LatentModel model, List<EpochSummary> epochs) {
            float[] w = new float[(int) model.params().layout().totalFloats()];
            MemorySegment.copy(model.params().flat(), dev.nvae.tensor.Tensor.F32, 0, w, 0, w.length);
            int[] bits = new int[w.length];
            for (int i = 0; i < w.length; i++) bits[i] = Float.floatToRawIntBits(w[i]);
            List<List<Double>> losses = epochs.stream().map(e -> List.of((double) e.epoch(), (double) e.examples(), e.loss(), e.rec(),
                    e.klS(), e.klC(), e.ce(), e.accuracy())).toList();
            return new Outcome(bits, losses);
        }
    }

    /**
     * The weights are bit-exact; the reported loss sums are only nearly so, because the vector LOG1P in
     * the BCE kernel (used for the loss value, not its gradient) may differ by an ulp between the
     * interpreter and compiled code. Example counts and accuracy are exact.
     */
    private static void assertSameLosses(List<List<Double>> expected, List<List<Double>> actual, String what) {
        assertEquals(expected.size(), actual.size(), what);
        for (int e = 0; e < expected.size(); e++) {
            for (int j = 0; j < expected.get(e).size(); j++) {
                double a = expected.get(e).get(j), b = actual.get(e).get(j);
                assertEquals(a, b, 1e-6 * Math.abs(a), what + ": epoch " + (e + 1) + " value " + j);
            }
            assertEquals(expected.get(e).get(1), actual.get(e).get(1), what + ": examples");
            assertEquals(expected.get(e).get(7), actual.get(e).get(7), what + ": accuracy");
        }
    }

    private interface Setup {
        void apply(Trainer t);
    }

    private static Outcome train(int epochs, Setup setup) {
        try (Backend be = new VectorBackend(2); LatentModel m = LatentModel.create(config())) {
            m.initialize(11);
            Trainer t = new Trainer(m, be, data, options(epochs), TrainingListener.NONE);
            setup.apply(t);
            return Outcome.of(m, t.run());
        }
    }

    /**
     * A lock file deleted by hand while a run holds the store, and another run's made in its place: closing the first
     * leaves the other's alone and throws nothing. And opening and closing a store leaves no file descriptor open (an
     * API process opens one per run). Mutation testing found both paths unpinned.
     */
    @Test
    void closingAfterTheLockFileWasReplacedLeavesTheOtherAloneAndNoDescriptorOpen(@TempDir Path d) throws IOException {
        List<String> warnings = new ArrayList<>();
        store(d.resolve("warm-up"), 1, warnings).close();  // the classes it needs loaded, their jars opened, before counting
        long before = openDescriptors();
        for (int i = 0; i < 20; i++) store(d.resolve("run-" + i), 1, warnings).close();
        assertEquals(before, openDescriptors(), "descriptors after 20 stores opened and closed");

        Path dir = d.resolve("replaced");
        CheckpointStore held = store(dir, 1, warnings);
        Path lock = dir.resolve(CheckpointStore.LOCK_FILE);
        Files.delete(lock);
        Files.writeString(lock, "another run's");
        held.close();
        assertEquals("another run's", Files.readString(lock), "not ours to remove");
        assertEquals(List.of(), warnings);
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    private CheckpointStore store(Path d, int keep, List<String> warnings) {
        return CheckpointStore.open(d, keep, warnings::add);
    }

    private static DataRef ref() {
        return DataRef.of("testdata", 256, data);
    }

    private List<String> names(Path d) throws IOException {
        try (Stream<Path> files = Files.list(d)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList(); // the lock file included: none may be left
        }
    }

    /** The schedule as the resume line prints it ("checkpoints every 1 steps" read oddly). */
    @Test
    void aScheduleReadsAsASentence() {
        assertEquals("every step, keeping 3", new CheckpointSchedule(1, 3).describe());
        assertEquals("every 100 steps, keeping 10", new CheckpointSchedule(100, 10).describe());
        assertEquals("once an epoch, keeping 1", new CheckpointSchedule(0, 1).describe());
    }

    @Test
    void resumingFromAnyCheckpointGivesTheStraightRunBitForBit() throws IOException {
        Outcome straight = train(2, t -> { });
        Path ckpts = dir.resolve("ckpt");
        Outcome withCheckpoints;
        try (CheckpointStore s = store(ckpts, 100, new ArrayList<>())) {
            withCheckpoints = train(2, t -> t.checkpoints(s, 3, ref()));
        }
        assertArrayEquals(straight.bits(), withCheckpoints.bits(), "writing checkpoints must not change the run");
        assertSameLosses(straight.losses(), withCheckpoints.losses(), "with checkpoints");
        // Every 3 of the 16 steps (3, 6, 9, 12, 15), and at the end (16).
        assertEquals(List.of("checkpoint-000000003.safetensors", "checkpoint-000000006.safetensors",
                "checkpoint-000000009.safetensors", "checkpoint-000000012.safetensors", "checkpoint-000000015.safetensors",
                "checkpoint-000000016.safetensors"), names(ckpts));

        for (String name : names(ckpts)) {
            Checkpoint c = Checkpoint.read(ckpts.resolve(name));
            Outcome resumed = train(2, t -> t.resumeFrom(c));
            assertArrayEquals(straight.bits(), resumed.bits(), "resumed from " + name);
            assertSameLosses(straight.losses(), resumed.losses(), "epoch summaries resumed from " + name);
        }
    }

    /**
     * A checkpoint's values are read again when the run restores them, straight into its tensors (the file's data is not
     * kept in memory beside the training state): a file replaced between the read and the restore is refused, not resumed.
     */
    @Test
    void aCheckpointReplacedAfterItWasReadIsRefusedAtRestore() throws IOException {
        Path ckpts = dir.resolve("replaced");
        try (CheckpointStore s = store(ckpts, 100, new ArrayList<>())) {
            train(1, t -> t.checkpoints(s, 3, ref()));
        }
        Path first = ckpts.resolve("checkpoint-000000003.safetensors"), other = ckpts.resolve("checkpoint-000000006.safetensors");
        Checkpoint c = Checkpoint.read(first);
        Files.copy(other, first, java.nio.file.StandardCopyOption.REPLACE_EXISTING); // same layout, other values
        NvaeException e = assertThrows(NvaeException.class, () -> train(1, t -> t.resumeFrom(c)));
        assertTrue(e.getMessage().startsWith(first + ": changed since it was read and checked (data checksum "), e.getMessage());
        Checkpoint read = Checkpoint.read(other);
        Files.write(other, Arrays.copyOf(Files.readAllBytes(other), (int) Files.size(other) + 4)); // longer
        e = assertThrows(NvaeException.class, () -> train(1, t -> t.resumeFrom(read)));
        assertTrue(e.getMessage().contains("changed since it was read and checked (its size is "), e.getMessage());
    }

    @Test
    void checkpointRecordsThePositionAndWhatTheRunIs() {
        try (CheckpointStore s = store(dir, 10, new ArrayList<>())) {
            train(1, t -> t.checkpoints(s, 5, ref()));
            Checkpoint mid = Checkpoint.read(dir.resolve("checkpoint-000000005.safetensors"));
            assertEquals(new TrainingPosition(0, 5, STEPS_PER_EPOCH, 5, 0), mid.position());
            assertEquals(config(), mid.config());
            assertEquals(options(1), mid.options());
            assertEquals(ref(), mid.data());
            assertEquals(data.classNames(), mid.classNames());
            assertEquals(List.of(), mid.completed());
            assertEquals(java.util.Optional.of(new CheckpointSchedule(5, 10)), mid.schedule());
            assertEquals(dev.nvae.backend.Precision.FP32, mid.precision());
            Checkpoint end = Checkpoint.read(dir.resolve("checkpoint-000000008.safetensors"));
            assertEquals(new TrainingPosition(1, 0, STEPS_PER_EPOCH, 8, 0), end.position());
            assertEquals(1, end.completed().size());
            // Python can read it: plain safetensors with the documented tensor names.
            SafeTensorsFile raw = SafeTensors.read(end.path());
            assertTrue(raw.contains("params/enc1.w") && raw.contains("adam.m/enc1.w") && raw.contains("adam.v/dec3.b"));
        }
    }

    /** Every model family checkpoints and resumes: a CVAE's encoder also reads onehot(y), so its layout differs. */
    @Test
    void aConditionalVaeCheckpointReadsBackAndResumesBitForBit() {
        ModelConfig cvae = ModelConfig.baseline(ModelConfig.CVAE, data.height(), data.width(), data.numClasses(), 32, 16, 6, 1);
        int[] straight, resumed;
        try (Backend be = new VectorBackend(2); dev.nvae.model.LatentModel m = dev.nvae.model.LatentModel.create(cvae)) {
            m.initialize(11);
            new Trainer(m, be, data, options(1), TrainingListener.NONE).run();
            straight = bits(m);
        }
        try (CheckpointStore s = store(dir, 10, new ArrayList<>());
             Backend be = new VectorBackend(2); dev.nvae.model.LatentModel m = dev.nvae.model.LatentModel.create(cvae)) {
            m.initialize(11);
            new Trainer(m, be, data, options(1), TrainingListener.NONE).checkpoints(s, 4, ref()).run();
        }
        Checkpoint mid = Checkpoint.read(dir.resolve("checkpoint-000000004.safetensors"));
        assertEquals(cvae, mid.config());
        try (Backend be = new VectorBackend(2); dev.nvae.model.LatentModel m = dev.nvae.model.LatentModel.create(cvae)) {
            m.initialize(11);
            new Trainer(m, be, data, options(1), TrainingListener.NONE).resumeFrom(mid).run();
            resumed = bits(m);
        }
        assertArrayEquals(straight, resumed);
    }

    /**
     * Semi-supervised data: batches mix labelled and unlabelled examples from two endless sequences, so a
     * resumed run must find its place in both — and does, bit for bit; so does a label-free run.
     */
    @Test
    void semiSupervisedAndLabelFreeRunsResumeBitForBit() {
        ModelConfig semi = ModelConfig.mlp(data.height(), data.width(), data.numClasses(), 2, 2, 1, 1)
                .withArchitecture(ModelConfig.MLP, new int[] {16, 8}, java.util.List.of()).withUnlabelledTerms(0.5, 2);
        Dataset few = dev.nvae.data.LabelSelection.perClass(data, 3, 11);
        Dataset none = data.withoutLabels(ModelConfig.clusterNames(4));
        TrainOptions o = new TrainOptions(1, 32, 1e-3, 11, 0.25);
        for (var run : java.util.List.of(java.util.Map.entry(semi, few), java.util.Map.entry(semi.asLabelFree(4).withUnlabelledTerms(0, 5), none))) {
            ModelConfig c = run.getKey();
            Dataset d = run.getValue();
            int[] straight, resumed;
            try (Backend be = new VectorBackend(2); dev.nvae.model.LatentModel m = dev.nvae.model.LatentModel.create(c)) {
                m.initialize(11);
                new Trainer(m, be, d, o, TrainingListener.NONE).run();
                straight = bits(m);
            }
            Path ckpts = dir.resolve(c.labelFree() ? "free" : "semi");
            try (CheckpointStore s = store(ckpts, 10, new ArrayList<>());
                 Backend be = new VectorBackend(2); dev.nvae.model.LatentModel m = dev.nvae.model.LatentModel.create(c)) {
                m.initialize(11);
                new Trainer(m, be, d, o, TrainingListener.NONE).checkpoints(s, 3, DataRef.of("testdata", 256, "x", d)).run();
            }
            Checkpoint mid = Checkpoint.read(ckpts.resolve("checkpoint-000000003.safetensors"));
            assertEquals(0.25, mid.options().labelledShare());
            try (Backend be = new VectorBackend(2); dev.nvae.model.LatentModel m = dev.nvae.model.LatentModel.create(c)) {
                m.initialize(11);
                new Trainer(m, be, d, o, TrainingListener.NONE).resumeFrom(mid).run();
                resumed = bits(m);
            }
            assertArrayEquals(straight, resumed, c.labelFree() ? "label-free" : "semi-supervised");
            // Another labelled share mixes other batches: the run would not be the one its checkpoint began (no test reached it).
            // Label-free data is all unlabelled, mixes nothing, and takes any share.
            if (c.labelFree()) continue;
            TrainOptions other = new TrainOptions(1, 32, 1e-3, 11, 0.5);
            try (Backend be = new VectorBackend(2); dev.nvae.model.LatentModel m = dev.nvae.model.LatentModel.create(c)) {
                m.initialize(11);
                NvaeException e = assertThrows(NvaeException.class, () -> new Trainer(m, be, d, other, TrainingListener.NONE).resumeFrom(mid).run());
                assertTrue(e.getMessage().endsWith(": checkpoint was trained with --labelled-share 0.25, not 0.5"), e.getMessage());
            }
        }
    }

    private static int[] bits(dev.nvae.model.LatentModel m) {
        float[] w = new float[(int) m.params().layout().totalFloats()];
        MemorySegment.copy(m.params().flat(), dev.nvae.tensor.Tensor.F32, 0, w, 0, w.length);
        int[] bits = new int[w.length];
        for (int i = 0; i < w.length; i++) bits[i] = Float.floatToRawIntBits(w[i]);
        return bits;
    }

    @Test
    void extendingTheNumberOfEpochsContinuesTheSameRun() {
        Outcome three = train(3, t -> { });
        Path ckpts = dir.resolve("c");
        try (CheckpointStore s = store(ckpts, 3, new ArrayList<>())) {
            train(2, t -> t.checkpoints(s, 0, ref()));
        }
        Checkpoint done = Checkpoint.read(ckpts.resolve("checkpoint-000000016.safetensors"));
        Outcome extended = train(3, t -> t.resumeFrom(done));
        assertArrayEquals(three.bits(), extended.bits());
        // ...but fewer epochs than already trained is refused.
        NvaeException e = assertThrows(NvaeException.class, () -> train(1, t -> t.resumeFrom(done)));
        assertEquals(done.path() + ": checkpoint has already finished 2 epochs; --epochs 1 is fewer", e.getMessage());
    }

    @Test
    void keepsTheNewestAndRemovesOnlyStagingThatIsProvablyOursAndAbandoned() throws IOException {
        Files.createDirectories(dir);
        // A user's file that merely looks temporary, and the staging directory of a killed write (stamped, unlocked).
        Files.write(dir.resolve(".checkpoint-000000002.safetensors.tmp-3k9z"), new byte[100]);
        Path killed = Files.createDirectories(dir.resolve(".nvae-staging-00112233445566ff"));
        Files.writeString(killed.resolve("lock"), "12345\n");
        Files.write(killed.resolve("checkpoint-000000002.safetensors"), new byte[100]);
        Files.write(dir.resolve("notes.txt"), new byte[1]);
        List<String> warnings = new ArrayList<>();
        try (CheckpointStore s = store(dir, 2, warnings)) {
            assertEquals(List.of(), warnings, "opening changes nothing");
            assertTrue(Files.exists(killed));
            s.prepare(s.scan());
            assertEquals(List.of(dir + ": removed 1 unfinished checkpoint write(s) left by an interrupted run"), warnings);
            train(1, t -> t.checkpoints(s, 1, ref()));
        }
        assertEquals(List.of(".checkpoint-000000002.safetensors.tmp-3k9z", "checkpoint-000000007.safetensors",
                "checkpoint-000000008.safetensors", "notes.txt"), names(dir));
    }

    @Test
    void aSecondRunCannotUseTheSameDirectory() throws IOException {
        try (CheckpointStore first = store(dir, 1, new ArrayList<>())) {
            NvaeException e = assertThrows(NvaeException.class, () -> store(dir, 1, new ArrayList<>()));
            assertTrue(e.getMessage().startsWith(dir + ": another training run is using this checkpoint directory"), e.getMessage());
            e = assertThrows(NvaeException.class, () -> CheckpointStore.requireNotInUse(dir));
            assertEquals(dir + ": another training run is using this checkpoint directory", e.getMessage());
        }
        assertEquals(List.of(), names(dir), "the lock file goes with the lock");
        CheckpointStore.requireNotInUse(dir);
        store(dir, 1, new ArrayList<>()).close(); // released with the first
        assertEquals(List.of(), names(dir));
    }

    /**
     * The lock across processes: while another JVM holds it, this one is refused (and its refusal does not
     * take the holder's lock away); once that JVM releases it, the lock file is gone and the directory free.
     */
    @Test
    void anotherProcessHoldsTheLockUntilItReleasesItAndLeavesNoLockFile() throws Exception {
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), HoldLock.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            var fromHolder = new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream()));
            assertEquals("locked", fromHolder.readLine());
            assertEquals(List.of(".lock"), names(dir));
            for (int i = 0; i < 3; i++) { // refused each time: neither the probe nor open drops the holder's lock
                NvaeException e = assertThrows(NvaeException.class, () -> CheckpointStore.requireNotInUse(dir));
                assertEquals(dir + ": another training run is using this checkpoint directory", e.getMessage());
                e = assertThrows(NvaeException.class, () -> store(dir, 1, new ArrayList<>()));
                assertEquals(dir + ": another training run is using this checkpoint directory", e.getMessage());
            }
            holder.getOutputStream().close(); // tells it to release
            assertEquals("released", fromHolder.readLine());
            assertEquals(0, holder.waitFor());
        } finally {
            holder.destroyForcibly();
        }
        assertEquals(List.of(), names(dir));
        try (CheckpointStore s = store(dir, 1, new ArrayList<>())) {
            assertEquals(List.of(".lock"), names(dir));
        }
        assertEquals(List.of(), names(dir));
    }

    /**
     * The shutdown hook's closeAll (SIGINT, SIGTERM) and a store being opened exclude each other, and nothing
     * opens after it: a hook that ran between a store's registration and its lock file left a directory holding
     * only {@code .lock}. In another JVM, since closeAll ends this one's stores for good.
     */
    @Test
    void afterCloseAllNothingOpensAndNothingIsLeft() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ShutDown.class.getName(), dir.resolve("a").toString(),
                dir.resolve("b").toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertEquals("opened\nclosed\n" + dir.resolve("b") + ": the checkpoint directory was not opened: the process is ending (interrupted)\n",
                out);
        assertEquals(List.of(), names(dir), "neither directory is left");
    }

    /** The other process of {@link #afterCloseAllNothingOpensAndNothingIsLeft}. */
    static final class ShutDown {
        public static void main(String[] args) {
            CheckpointStore.open(Path.of(args[0]), 1, w -> { });
            System.out.println("opened");
            CheckpointStore.closeAll();
            System.out.println(Files.exists(Path.of(args[0])) ? "left" : "closed");
            try {
                CheckpointStore.open(Path.of(args[1]), 1, w -> { });
                System.out.println("opened after closeAll");
            } catch (NvaeException e) {
                System.out.println(e.getMessage());
            }
        }
    }

    /** The other process of {@link #anotherProcessHoldsTheLockUntilItReleasesItAndLeavesNoLockFile}. */
    static final class HoldLock {
        public static void main(String[] args) throws IOException {
            try (CheckpointStore s = CheckpointStore.open(Path.of(args[0]), 1, w -> { })) {
                System.out.println("locked");
                System.out.flush();
                System.in.transferTo(java.io.OutputStream.nullOutputStream()); // until the test closes our stdin
            }
            System.out.println("released");
        }
    }

    /**
     * Nothing outlives a store but checkpoints: closing it removes the lock file, and the directories it
     * made (parents included) if no checkpoint was written into them; a directory that was there stays.
     */
    @Test
    void closingRemovesTheLockFileAndTheDirectoriesOpenMadeIfTheyHoldNoCheckpoint() throws IOException {
        Path made = dir.resolve("a").resolve("b").resolve("ck");
        assertEquals(new CheckpointStore.Scan(null, List.of(), List.of()), CheckpointStore.look(made));
        CheckpointStore.requireNotInUse(made);
        assertFalse(Files.exists(dir.resolve("a")), "looking creates nothing");
        try (CheckpointStore s = store(made, 1, new ArrayList<>())) {
            assertEquals(List.of(".lock"), names(made));
        }
        assertFalse(Files.exists(dir.resolve("a")), "made by open, removed by close: it holds no checkpoint");
        try (CheckpointStore s = store(made, 1, new ArrayList<>())) {
            Files.write(made.resolve("checkpoint-000000001.safetensors"), new byte[3]);
        }
        assertEquals(List.of("checkpoint-000000001.safetensors"), names(made));
        Path existing = Files.createDirectories(dir.resolve("existing"));
        store(existing, 1, new ArrayList<>()).close();
        assertEquals(List.of(), names(existing));
        assertTrue(Files.isDirectory(existing), "a directory that was there stays, empty as it was");
        Path file = Files.writeString(dir.resolve("file"), "x");
        NvaeException e = assertThrows(NvaeException.class, () -> store(file.resolve("ck"), 1, new ArrayList<>()));
        assertEquals(file.resolve("ck") + ": cannot create checkpoint directory: " + file + " is a file, not a directory", e.getMessage());
    }

    @Test
    void keepMustBePositive() {
        NvaeException e = assertThrows(NvaeException.class, () -> store(dir, 0, new ArrayList<>()));
        assertEquals("--keep 0 must be at least 1", e.getMessage());
    }

    @Test
    void aDamagedNewestCheckpointIsSkippedWithAWarningInFavourOfThePreviousOne() throws IOException {
        Outcome straight = train(1, t -> { });
        try (CheckpointStore s = store(dir, 3, new ArrayList<>())) {
            train(1, t -> t.checkpoints(s, 2, ref()));
        }
        Path newest = dir.resolve("checkpoint-000000008.safetensors");
        Path truncated = dir.resolve("checkpoint-000000006.safetensors");
        byte[] bytes = Files.readAllBytes(newest);
        bytes[bytes.length - 100] ^= 1; // one bit of one weight: structurally fine, caught by the checksum
        Files.write(newest, bytes);
        Files.write(truncated, Arrays.copyOf(Files.readAllBytes(truncated), 5000));

        List<String> warnings = new ArrayList<>();
        try (CheckpointStore s = store(dir, 3, warnings)) {
            Checkpoint c = s.newestValid();
            assertEquals(dir.resolve("checkpoint-000000004.safetensors"), c.path());
            assertEquals(2, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).startsWith("skipping damaged checkpoint " + newest + ": data checksum mismatch"), warnings.get(0));
            assertTrue(warnings.get(0).endsWith("; renamed it to checkpoint-000000008.safetensors.damaged"), warnings.get(0));
            assertTrue(warnings.get(1).startsWith("skipping damaged checkpoint " + truncated + ": "), warnings.get(1));
            Outcome resumed = train(1, t -> t.resumeFrom(c).checkpoints(s, 2, ref()));
            assertArrayEquals(straight.bits(), resumed.bits());
        }
        // The good checkpoints written after resuming were kept; the damaged ones are set aside, not counted.
        assertEquals(List.of("checkpoint-000000004.safetensors", "checkpoint-000000006.safetensors",
                "checkpoint-000000006.safetensors.damaged", "checkpoint-000000008.safetensors",
                "checkpoint-000000008.safetensors.damaged"), names(dir));
    }

    @Test
    void noValidCheckpointGivesNull() throws IOException {
        try (CheckpointStore s = store(dir, 3, new ArrayList<>())) {
            assertNull(s.newestValid());
            Files.write(dir.resolve("checkpoint-000000001.safetensors"), new byte[3]);
            List<String> warnings = new ArrayList<>();
            try (CheckpointStore again = reopen(s, warnings)) {
                assertNull(again.newestValid());
                assertEquals(1, warnings.size());
            }
        }
    }

    private CheckpointStore reopen(CheckpointStore s, List<String> warnings) {
        s.close();
        return store(dir, 3, warnings);
    }

    @Test
    void readRejectsFilesThatAreNotCheckpoints() throws IOException {
        try (CheckpointStore s = store(dir, 3, new ArrayList<>())) {
            train(1, t -> t.checkpoints(s, 0, ref()));
        }
        Path good = dir.resolve("checkpoint-000000008.safetensors");
        SafeTensorsFile f = SafeTensors.read(good);

        Path foreign = dir.resolve("foreign.safetensors");
        SafeTensors.writeArrays(foreign, List.of(new NamedArray("x", new long[] {1}, MemorySegment.ofArray(new float[1]))), Map.of());
        assertReason(foreign, "not an nvae checkpoint (metadata format is missing, expected 'nvae-checkpoint/1')");

        Path missing = rewrite(f, dir.resolve("missing.safetensors"), "adam.v/dec3.b", Map.of());
        assertReason(missing, "tensor adam.v/dec3.b is missing");

        Map<String, String> badPosition = new LinkedHashMap<>(f.metadata());
        badPosition.put("nvae.position", "{\"epoch\":0,\"step\":9,\"stepsPerEpoch\":8,\"adamStep\":0,\"skipped\":0}");
        Path position = rewrite(f, dir.resolve("position.safetensors"), null, badPosition);
        FormatException e = assertThrows(FormatException.class, () -> Checkpoint.read(position));
        assertTrue(e.reason().startsWith("metadata nvae.position is invalid: "), e.reason());

        // Jackson's words (Java types, "Cannot deserialize", source locations) never reach the message.
        Map<String, String> badOptions = new LinkedHashMap<>(f.metadata());
        badOptions.put("nvae.options", f.metadata().get("nvae.options").replaceFirst("\"epochs\":\\d+", "\"epochs\":\"many\""));
        assertReason(rewrite(f, dir.resolve("options.safetensors"), null, badOptions),
                "metadata nvae.options is invalid: 'epochs' is missing or of the wrong type");
        Map<String, String> zeroEpochs = new LinkedHashMap<>(f.metadata());
        zeroEpochs.put("nvae.options", f.metadata().get("nvae.options").replaceFirst("\"epochs\":\\d+", "\"epochs\":0"));
        assertReason(rewrite(f, dir.resolve("zero.safetensors"), null, zeroEpochs), "metadata nvae.options is invalid: --epochs 0 must be at least 1");
        Map<String, String> hugeEpochs = new LinkedHashMap<>(f.metadata());
        hugeEpochs.put("nvae.options", f.metadata().get("nvae.options").replaceFirst("\"epochs\":\\d+", "\"epochs\":1000000000000"));
        assertReason(rewrite(f, dir.resolve("huge.safetensors"), null, hugeEpochs), "metadata nvae.options is invalid: 'epochs' is out of range");

        // One flipped bit in the header (0.001 -> 0.009 is '1' -> '9') would resume another run: its checksum refuses it,
        // and so it does a tensor table whose offsets were swapped (the data's own checksum cannot see that).
        Path flipped = dir.resolve("flipped.safetensors");
        byte[] bytes = Files.readAllBytes(good);
        String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = text.indexOf("learningRate\\\":0.001");
        assertTrue(at > 0, "the learning rate is in the header");
        bytes[at + "learningRate\\\":0.00".length()] = '9';
        Files.write(flipped, bytes);
        FormatException header = assertThrows(FormatException.class, () -> Checkpoint.read(flipped));
        assertTrue(header.reason().startsWith("header checksum mismatch (stored crc32c "), header.reason());
        Map<String, String> swapped = new LinkedHashMap<>(f.metadata());
        List<NamedArray> reordered = new ArrayList<>();
        for (String name : f.names()) reordered.add(new NamedArray(name, f.shape(name), MemorySegment.ofArray(f.floats(name))));
        java.util.Collections.swap(reordered, 0, 1);
        swapped.put("nvae.crc32c", Long.toHexString(SafeTensors.dataCrc32c(reordered)));
        Path swappedFile = dir.resolve("swapped.safetensors");
        SafeTensors.writeArrays(swappedFile, reordered, swapped);
        assertTrue(assertThrows(FormatException.class, () -> Checkpoint.read(swappedFile)).reason().startsWith("header checksum mismatch"));

        // A checkpoint from before the schedule was recorded reads as one without it; a bad schedule is refused.
        Map<String, String> noSchedule = new LinkedHashMap<>(f.metadata());
        noSchedule.remove("nvae.schedule");
        assertEquals(java.util.Optional.empty(), Checkpoint.read(rewrite(f, dir.resolve("old.safetensors"), null, noSchedule)).schedule());
        Map<String, String> keepNone = new LinkedHashMap<>(f.metadata());
        keepNone.put("nvae.schedule", "{\"everySteps\":0,\"keep\":0}");
        assertReason(rewrite(f, dir.resolve("keep0.safetensors"), null, keepNone), "metadata nvae.schedule is invalid: --keep 0 must be at least 1");
        // So with the precision: an earlier checkpoint's run was fp32; one that names no known precision is refused.
        assertEquals("fp32", f.metadata().get("nvae.precision"));
        Map<String, String> noPrecision = new LinkedHashMap<>(f.metadata());
        noPrecision.remove("nvae.precision");
        assertEquals(dev.nvae.backend.Precision.FP32, Checkpoint.read(rewrite(f, dir.resolve("old-fp32.safetensors"), null, noPrecision)).precision());
        Map<String, String> bf16 = new LinkedHashMap<>(f.metadata());
        bf16.put("nvae.precision", "bf16");
        assertEquals(dev.nvae.backend.Precision.BF16, Checkpoint.read(rewrite(f, dir.resolve("bf16.safetensors"), null, bf16)).precision());
        Map<String, String> fp8 = new LinkedHashMap<>(f.metadata());
        fp8.put("nvae.precision", "fp8");
        assertReason(rewrite(f, dir.resolve("fp8.safetensors"), null, fp8), "metadata nvae.precision is invalid: 'fp8', expected fp32 or bf16");

        // The data reference holds what earlier builds wrote, no more: their reader refuses a property it does not know
        // (and would set the checkpoint aside as damaged); where a relative --data led is a key of its own.
        assertEquals(List.of("spec", "limit", "labels", "count", "fingerprint"),
                List.copyOf(new com.fasterxml.jackson.databind.ObjectMapper().readValue(f.metadata().get("nvae.data"), LinkedHashMap.class).keySet()));
        Map<String, String> located = new LinkedHashMap<>(f.metadata());
        located.put("nvae.data_directory", "/data/set");
        assertEquals("/data/set", Checkpoint.read(rewrite(f, dir.resolve("located.safetensors"), null, located)).data().directory());
        assertEquals(null, Checkpoint.read(rewrite(f, dir.resolve("unlocated.safetensors"), null, f.metadata())).data().directory());

        // And with the backend: an earlier checkpoint names none; a name that is no backend's is refused.
        assertTrue(Set.of("vector", "onednn").contains(f.metadata().get("nvae.backend")), f.metadata().toString());
        Map<String, String> noBackend = new LinkedHashMap<>(f.metadata());
        noBackend.remove("nvae.backend");
        assertEquals(java.util.Optional.empty(), Checkpoint.read(rewrite(f, dir.resolve("old-backend.safetensors"), null, noBackend)).backend());
        Map<String, String> badBackend = new LinkedHashMap<>(f.metadata());
        badBackend.put("nvae.backend", "vector --threads 9");
        assertReason(rewrite(f, dir.resolve("bad-backend.safetensors"), null, badBackend), "metadata nvae.backend is invalid: 'vector --threads 9'");
        // And with the threads (the backend's, 2 here): an earlier checkpoint records none; a count that is no count is refused.
        assertEquals(java.util.OptionalInt.of(2), Checkpoint.read(good).threads());
        Map<String, String> noThreads = new LinkedHashMap<>(f.metadata());
        noThreads.remove("nvae.threads");
        assertEquals(java.util.OptionalInt.empty(), Checkpoint.read(rewrite(f, dir.resolve("old-threads.safetensors"), null, noThreads)).threads());
        for (String bad : List.of("0", "-1", "02", "two", "65537", "99999999999")) {
            Map<String, String> badThreads = new LinkedHashMap<>(f.metadata());
            badThreads.put("nvae.threads", bad);
            assertReason(rewrite(f, dir.resolve("threads.safetensors"), null, badThreads), "metadata nvae.threads is invalid: '" + bad + "'");
        }

        // A NaN the checksum covers (written, not corrupted afterwards) is refused all the same.
        List<NamedArray> poisoned = new ArrayList<>();
        for (String name : f.names()) {
            float[] v = f.floats(name);
            if (name.equals("adam.v/dec2.w")) v[7] = Float.NaN;
            poisoned.add(new NamedArray(name, f.shape(name), MemorySegment.ofArray(v)));
        }
        Map<String, String> pm = new LinkedHashMap<>(f.metadata());
        pm.put("nvae.crc32c", Long.toHexString(SafeTensors.dataCrc32c(poisoned)));
        pm.remove(Checkpoint.HEADER_CRC);
        Path nan = dir.resolve("nan.safetensors");
        SafeTensors.writeArrays(nan, poisoned, pm);
        assertReason(nan, "tensor adam.v/dec2.w holds a NaN or infinite value");

        Map<String, String> beyond = new LinkedHashMap<>(f.metadata());
        beyond.put("nvae.position", "{\"epoch\":2,\"step\":0,\"stepsPerEpoch\":8,\"adamStep\":16,\"skipped\":0}");
        assertReason(rewrite(f, dir.resolve("beyond.safetensors"), null, beyond), "position epoch 2 step 0 lies beyond the 1 epochs of the run");
    }

    /** A checkpoint whose tensors were stored as BF16 (by hand: nvae writes checkpoints in F32 only) is refused. */
    @Test
    void aBf16CheckpointIsRefusedForTraining() {
        try (CheckpointStore s = store(dir, 3, new ArrayList<>())) {
            train(1, t -> t.checkpoints(s, 0, ref()));
        }
        SafeTensorsFile f = SafeTensors.read(dir.resolve("checkpoint-000000008.safetensors"));
        List<NamedArray> arrays = new ArrayList<>();
        for (String name : f.names()) arrays.add(new NamedArray(name, f.shape(name), MemorySegment.ofArray(f.floats(name))));
        Path bf16 = dir.resolve("bf16.safetensors");
        Map<String, String> m = new LinkedHashMap<>(f.metadata());
        m.remove(Checkpoint.HEADER_CRC); // the dtypes it covers change: the check behind it is tested
        SafeTensors.writeArrays(bf16, arrays, m, StoredDtype.BF16);
        m.put("nvae.crc32c", Long.toHexString(SafeTensors.read(bf16).dataCrc32c()));  // intact, just bf16
        SafeTensors.writeArrays(bf16, arrays, m, StoredDtype.BF16);
        FormatException e = assertThrows(FormatException.class, () -> Checkpoint.read(bf16));
        assertTrue(e.reason().endsWith(" is BF16: training resumes only from fp32 checkpoints (bf16 files are for inference)"), e.reason());
    }

    /** Copies a checkpoint's tensors (minus {@code drop}) with new metadata and a recomputed checksum. */
    private static Path rewrite(SafeTensorsFile f, Path to, String drop, Map<String, String> meta) {
        List<NamedArray> arrays = new ArrayList<>();
        for (String name : f.names()) {
            if (name.equals(drop)) continue;
            arrays.add(new NamedArray(name, f.shape(name), MemorySegment.ofArray(f.floats(name))));
        }
        Map<String, String> m = new LinkedHashMap<>(meta.isEmpty() ? f.metadata() : meta);
        m.put("nvae.crc32c", Long.toHexString(SafeTensors.dataCrc32c(arrays)));
        m.remove(Checkpoint.HEADER_CRC); // as a checkpoint from before the header had its checksum: the checks behind it are tested
        SafeTensors.writeArrays(to, arrays, m);
        return to;
    }

    private static void assertReason(Path file, String reason) {
        FormatException e = assertThrows(FormatException.class, () -> Checkpoint.read(file));
        assertEquals(reason, e.reason());
        assertEquals(file, e.file());
    }

    @Test
    void resumeRefusesADifferentRun() {
        try (CheckpointStore s = store(dir, 3, new ArrayList<>())) {
            train(1, t -> t.checkpoints(s, 4, ref()));
        }
        Checkpoint c = Checkpoint.read(dir.resolve("checkpoint-000000004.safetensors"));
        try (Backend be = new VectorBackend(1); LatentModel m = LatentModel.create(config()); LatentModel other = LatentModel.create(config().withLoss(2, 1))) {
            NvaeException lr = assertThrows(NvaeException.class,
                    () -> new Trainer(m, be, data, new TrainOptions(1, 32, 1e-2, 11), TrainingListener.NONE).resumeFrom(c));
            assertEquals(c.path() + ": checkpoint was trained with --batch 32 --lr 0.001 --seed 11, not --batch 32 --lr 0.01 --seed 11",
                    lr.getMessage());
            NvaeException model = assertThrows(NvaeException.class,
                    () -> new Trainer(other, be, data, options(1), TrainingListener.NONE).resumeFrom(c));
            // The settings that differ, by name (the whole config was printed as a record).
            assertEquals(c.path() + ": checkpoint is of another model (betaC 2.0 here, " + config().betaC() + " there)", model.getMessage());
            Dataset fewer = data.first(255);
            NvaeException d = assertThrows(NvaeException.class,
                    () -> new Trainer(m, be, fewer, options(1), TrainingListener.NONE).resumeFrom(c));
            assertTrue(d.getMessage().startsWith(c.path() + ": checkpoint was trained on other data than --data gives now (255 examples with fingerprint "), d.getMessage());
            // A bf16 run's checkpoint holds float32 weights like an fp32 one's; continued in fp32 it would be another run.
            SafeTensorsFile f = SafeTensors.read(c.path());
            Map<String, String> meta = new LinkedHashMap<>(f.metadata());
            meta.put("nvae.precision", "bf16");
            Checkpoint bf16 = Checkpoint.read(rewrite(f, dir.resolve("bf16.safetensors"), null, meta));
            NvaeException precision = assertThrows(NvaeException.class,
                    () -> new Trainer(m, be, data, options(1), TrainingListener.NONE).resumeFrom(bf16));
            assertEquals(bf16.path() + ": checkpoint was trained at --precision bf16, not fp32", precision.getMessage());
        }
    }

    // ---- non-finite values ----

    /** Runs one epoch on a backend that poisons the steps listed (global, 0-based) in the forward pass or the gradients. */
    private record Poisoned(Outcome outcome, long skipped, List<String> skips) {
    }

    private Poisoned trainPoisoned(NonFinitePolicy policy, CheckpointStore store, int every, List<Integer> lossSteps,
                                   List<Integer> gradientSteps) {
        try (PoisoningBackend be = new PoisoningBackend(); LatentModel m = LatentModel.create(config())) {
            m.initialize(11);
            List<String> skips = new ArrayList<>();
            TrainingListener listener = new TrainingListener() {
                @Override
                public void onStep(int epoch, int step, int steps, dev.nvae.model.BatchLoss soFar, double perSecond) {
                    int next = epoch * steps + step + 1;
                    be.poisonNextForward = lossSteps.contains(next);
                    be.poisonNextGradient = gradientSteps.contains(next);
                }

                @Override
                public void onSkippedStep(int epoch, int step, String quantity) {
                    skips.add(epoch + "/" + step + " " + quantity);
                }
            };
            be.poisonNextForward = lossSteps.contains(0);
            be.poisonNextGradient = gradientSteps.contains(0);
            Trainer t = new Trainer(m, be, data, options(1), listener).onNonFinite(policy);
            if (store != null) t.checkpoints(store, every, ref());
            List<EpochSummary> epochs = t.run();
            return new Poisoned(Outcome.of(m, epochs), t.skippedSteps(), skips);
        }
    }

    @Test
    void nonFiniteLossStopsNamingEpochStepAndQuantityAndKeepsTheLastGoodCheckpoint() throws IOException {
        try (CheckpointStore s = store(dir, 3, new ArrayList<>())) {
            NonFiniteException e = assertThrows(NonFiniteException.class,
                    () -> trainPoisoned(NonFinitePolicy.STOP, s, 2, List.of(5), List.of()));
            assertEquals("training diverged: non-finite loss at epoch 1, step 6; try a smaller --lr, or --on-nan skip", e.getMessage());
            assertEquals(6, e.step());
            assertEquals("loss", e.quantity());
        }
        assertEquals(List.of("checkpoint-000000002.safetensors", "checkpoint-000000004.safetensors"), names(dir));
        Checkpoint last = Checkpoint.read(dir.resolve("checkpoint-000000004.safetensors"));
        assertEquals(4, last.position().adamStep());
    }

    @Test
    void nonFiniteGradientsStopToo() {
        NonFiniteException e = assertThrows(NonFiniteException.class,
                () -> trainPoisoned(NonFinitePolicy.STOP, null, 0, List.of(), List.of(2)));
        assertEquals("gradients", e.quantity());
        assertEquals(3, e.step());
    }

    @Test
    void skipDropsTheUpdateWithoutAdvancingTheOptimiser() throws IOException {
        Path ckpts = dir.resolve("skip");
        Poisoned p;
        try (CheckpointStore s = store(ckpts, 10, new ArrayList<>())) {
            p = trainPoisoned(NonFinitePolicy.SKIP, s, 1, List.of(1), List.of(4));
        }
        assertEquals(2, p.skipped());
        assertEquals(List.of("0/1 loss", "0/4 gradients"), p.skips());
        for (int w : p.outcome().bits()) assertTrue(Float.isFinite(Float.intBitsToFloat(w)));
        // After 8 steps with 2 skipped, Adam has made 6 updates.
        Checkpoint end = Checkpoint.read(ckpts.resolve("checkpoint-000000008.safetensors"));
        assertEquals(new TrainingPosition(1, 0, STEPS_PER_EPOCH, 6, 2), end.position());
        // A skipped step leaves weights and moments as they were: the checkpoints before and after it hold the same tensors.
        SafeTensorsFile before = SafeTensors.read(ckpts.resolve("checkpoint-000000001.safetensors"));
        SafeTensorsFile after = SafeTensors.read(ckpts.resolve("checkpoint-000000002.safetensors"));
        assertEquals(before.dataCrc32c(), after.dataCrc32c());
        assertEquals(new TrainingPosition(0, 2, STEPS_PER_EPOCH, 1, 1), Checkpoint.read(after.path()).position());
        SafeTensorsFile third = SafeTensors.read(ckpts.resolve("checkpoint-000000003.safetensors"));
        assertFalse(after.dataCrc32c() == third.dataCrc32c(), "the next, good step updates again");
        // The examples of skipped steps do not enter the epoch's loss.
        assertEquals(256 - 32 - 32, (long) (double) p.outcome().losses().getFirst().get(1));
    }

    @Test
    void skipOfEveryStepStillEnds() {
        NvaeException e = assertThrows(NvaeException.class, () -> trainPoisoned(NonFinitePolicy.SKIP, null, 0,
                List.of(0, 1, 2, 3, 4, 5, 6, 7), List.of()));
        assertEquals("every step of epoch 1 was skipped for non-finite values; training cannot continue: try a smaller --lr",
                e.getMessage());
    }

    @Test
    void nonFiniteParametersStopEvenUnderSkip() {
        // A learning rate beyond float range makes the first update infinite; it cannot be undone, so skip does not apply.
        try (Backend be = new VectorBackend(1); LatentModel m = LatentModel.create(config())) {
            m.initialize(1);
            Trainer t = new Trainer(m, be, data, new TrainOptions(1, 32, 1e39, 1), TrainingListener.NONE).onNonFinite(NonFinitePolicy.SKIP);
            NonFiniteException e = assertThrows(NonFiniteException.class, t::run);
            assertEquals("training diverged: non-finite parameters at epoch 1, step 1; try a smaller --lr", e.getMessage());
        }
    }

    @Test
    void policyParsing() {
        assertEquals(NonFinitePolicy.SKIP, NonFinitePolicy.parse("Skip"));
        assertEquals(NonFinitePolicy.STOP, NonFinitePolicy.parse("stop"));
        assertEquals("--on-nan: 'ignore' is not a policy; use stop or skip",
                assertThrows(NvaeException.class, () -> NonFinitePolicy.parse("ignore")).getMessage());
    }
}
