package dev.nvae.api;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingTest {
    @TempDir
    Path dir;

    private Training small() {
        return Training.on("testdata").limit(300).batchSize(64).backend(ComputeBackend.VECTOR).threads(2).seed(3);
    }

    @Test
    void trainsReportsAndWritesAModelTheApiOpens() throws Exception {
        List<String> events = new ArrayList<>();
        Path out = dir.resolve("m.safetensors");
        List<EpochReport> epochs = small().epochs(2).checkpoints(dir.resolve("ckpt"), 0, 5).listener(new TrainingListener() {
            @Override
            public void onStep(int epoch, int step, int stepsPerEpoch, double meanLoss, double examplesPerSecond) {
                if (step == stepsPerEpoch) events.add("step " + epoch + "." + step);
            }

            @Override
            public void onEpoch(EpochReport report) {
                events.add("epoch " + report.epoch() + "/" + report.epochs());
            }

            @Override
            public void onCheckpoint(Path file) {
                events.add("checkpoint " + file.getFileName());
            }
        }).run(out);
        assertEquals(List.of("step 1.5", "epoch 1/2", "checkpoint checkpoint-000000005.safetensors", "step 2.5", "epoch 2/2",
                "checkpoint checkpoint-000000010.safetensors"), events);
        assertEquals(2, epochs.size());
        assertEquals(300, epochs.get(1).examples());
        assertTrue(epochs.get(1).loss() < epochs.get(0).loss());
        try (NvaeModel m = NvaeModel.open(out, ModelOptions.defaults().withBackend(ComputeBackend.VECTOR))) {
            assertEquals(10, m.info().classNames().size());
            assertEquals("Sandal", m.info().classNames().get(5));
        }
        // Same settings, same seed: the same file, bit for bit.
        Path again = dir.resolve("again.safetensors");
        small().epochs(2).run(again);
        assertArrayEquals(Files.readAllBytes(out), Files.readAllBytes(again));
    }

    /**
     * What a killed run left beside the output (a staging directory nobody holds) is removed when the next run writes
     * there, as the CLI does; a user's file of a similar name is not. (Mutation testing found no test of it; the output
     * check cleans up, and writing the model does again, so removing either alone still passes.)
     */
    @Test
    void aKilledRunsStagingBesideTheOutputIsRemoved() throws Exception {
        Path out = Files.createDirectories(dir.resolve("staged")).resolve("m.safetensors");
        Path left = Files.createDirectory(out.resolveSibling(".nvae-staging-0123456789abcdef"));
        Files.writeString(left.resolve("lock"), "4242\n");
        Files.write(left.resolve("m.safetensors"), new byte[100]);
        Path mine = Files.createDirectory(out.resolveSibling(".nvae-staging-mine"));
        small().epochs(1).run(out);
        assertTrue(Files.isRegularFile(out));
        assertFalse(Files.exists(left), "the abandoned staging removed");
        assertTrue(Files.isDirectory(mine), "not a staging name: the user's");
    }

    @Test
    void aResumedRunEndsWhereAnUninterruptedOneDoes() throws Exception {
        Path whole = dir.resolve("whole.safetensors"), first = dir.resolve("first.safetensors"), resumed = dir.resolve("resumed.safetensors");
        small().epochs(3).run(whole);
        small().epochs(1).checkpoints(dir.resolve("ckpt"), 2, 3).run(first);
        List<EpochReport> all = Training.resume(dir.resolve("ckpt")).epochs(3).backend(ComputeBackend.VECTOR).threads(1).run(resumed);
        assertEquals(3, all.size());
        assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(resumed));
        assertThrows(IllegalStateException.class, () -> Training.resume(dir.resolve("ckpt")).seed(4));
        // Every setting the checkpoint decides is refused on a resumed run (mutation testing: only seed was pinned).
        List<java.util.function.Consumer<Training>> decided = List.of(t -> t.family("vae"), t -> t.architecture("conv"),
                t -> t.latents(4, 2), t -> t.latents(4), t -> t.weights(1, 1), t -> t.beta(2), t -> t.batchSize(8),
                t -> t.learningRate(1e-3), t -> t.limit(100));
        for (int i = 0; i < decided.size(); i++) {
            Training resumedRun = Training.resume(dir.resolve("ckpt"));
            java.util.function.Consumer<Training> set = decided.get(i);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> set.accept(resumedRun), "setting " + i);
            assertTrue(e.getMessage().endsWith(" of a resumed run comes from its checkpoint; only epochs, the checkpoint schedule, "
                    + "backend, threads and listener may be set"), e.getMessage());
        }
        assertEquals("out", assertThrows(InvalidRequestException.class, () -> Training.resume(dir.resolve("ckpt")).run(Path.of("-"))).field());
        // A directory of no checkpoint, named by the field it came in.
        java.nio.file.Files.createDirectories(dir.resolve("empty-ckpt"));
        assertEquals("resume", assertThrows(InvalidRequestException.class,
                () -> Training.resume(dir.resolve("empty-ckpt")).run(dir.resolve("never.safetensors"))).field());
    }

    /**
     * A resumed run may be given its checkpoint schedule again (it went back to one per epoch, keeping 3, and
     * could not be told otherwise), into its own directory only.
     */
    @Test
    void aResumedRunTakesTheScheduleItIsGiven() throws Exception {
        Path ckpt = dir.resolve("sched");
        small().epochs(1).checkpoints(ckpt, 1, 1).run(dir.resolve("s1.safetensors"));
        Training.resume(ckpt).epochs(2).checkpoints(ckpt, 1, 1).run(dir.resolve("s2.safetensors"));
        try (var files = Files.list(ckpt)) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("checkpoint-")).toList();
            assertEquals(1, names.size(), names.toString());
            // 300 examples in batches of 64: 5 steps an epoch, so the last of epoch 2 is step 10.
            assertEquals("checkpoint-000000010.safetensors", names.getFirst());
        }
        assertThrows(IllegalStateException.class, () -> Training.resume(ckpt).checkpoints(dir.resolve("elsewhere"), 1, 1));
    }

    /** Told no schedule, a resumed run keeps the one its checkpoints record (it went back to once an epoch, keeping 3). */
    @Test
    void aResumedRunKeepsTheScheduleItHad() throws Exception {
        Path ckpt = dir.resolve("kept");
        small().epochs(1).checkpoints(ckpt, 2, 4).run(dir.resolve("k1.safetensors"));
        Training.resume(ckpt).epochs(2).run(dir.resolve("k2.safetensors"));
        try (var files = Files.list(ckpt)) {
            // 5 steps an epoch: checkpoints after steps 2, 4, 5 (the end), then 6, 8, 10; the newest 4 kept.
            assertEquals(List.of("checkpoint-000000005.safetensors", "checkpoint-000000006.safetensors",
                    "checkpoint-000000008.safetensors", "checkpoint-000000010.safetensors"), files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("checkpoint-")).sorted().toList());
        }
    }

    /** Settings out of range are refused when set, naming the setting (they failed in run(), as '--epochs 0' in a ModelException). */
    @Test
    void settingsOutOfRangeAreRefusedWhenSet() {
        assertEquals("epochs", assertThrows(InvalidRequestException.class, () -> Training.on("testdata").epochs(0)).field());
        assertEquals("batchSize", assertThrows(InvalidRequestException.class, () -> Training.on("testdata").batchSize(0)).field());
        assertEquals("learningRate", assertThrows(InvalidRequestException.class, () -> Training.on("testdata").learningRate(Double.NaN)).field());
        assertEquals("learningRate", assertThrows(InvalidRequestException.class, () -> Training.on("testdata").learningRate(-1)).field());
        assertEquals("learningRate", assertThrows(InvalidRequestException.class, () -> Training.on("testdata").learningRate(0)).field());
        assertEquals("learningRate", assertThrows(InvalidRequestException.class,
                () -> Training.on("testdata").learningRate(Double.POSITIVE_INFINITY)).field());
        // The edges that are settings: a batch of one, one example, beta 0, both weights 0, any positive rate.
        Training.on("testdata").batchSize(1).limit(1).beta(0).weights(0, 0).learningRate(1e-9);
        assertEquals("family", assertThrows(NullPointerException.class, () -> Training.on("testdata").family(null)).getMessage());
        assertEquals("directory", assertThrows(NullPointerException.class, () -> Training.on((Path) null)).getMessage());
    }

    /**
     * Latents so large that a layer would pass the widest a model may have were refused as field "model", in the CLI's
     * words: "model: a layer of this model would be 4294967324 wide, more than 16777216 (input 28x28, 10 classes, ds
     * 2147483647, dc 1)". Now the field is latents, and the message says them as given.
     */
    @Test
    void latentsThatMakeALayerTooWideAreRefusedNamingLatents() {
        Path out = dir.resolve("wide.safetensors");
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> Training.on("testdata").limit(50).epochs(1).threads(1).latents(Integer.MAX_VALUE, 1).run(out));
        assertEquals("latents", e.field());
        assertEquals("latents: latents(2147483647, 1) would make a layer 4294967324 wide, more than 16777216 (input 28x28, 10 classes)",
                e.getMessage());
        e = assertThrows(InvalidRequestException.class,
                () -> Training.on("testdata").family("vae").limit(50).epochs(1).threads(1).latents(Integer.MAX_VALUE).run(out));
        assertEquals("latents", e.field());
        assertEquals("latents: latents(2147483647) would make a layer 4294967294 wide, more than 16777216 (input 28x28, 10 classes)",
                e.getMessage());
    }

    /**
     * Latent sizes and loss weights out of range were taken when set and refused by run(), after the data was read,
     * as a field "model" (a message naming latents or betaC, the field another setting's).
     */
    @Test
    void latentsAndWeightsOutOfRangeAreRefusedWhenSetNamingThem() {
        assertEquals("latents", assertThrows(InvalidRequestException.class, () -> Training.on("testdata").latents(-1, 4)).field());
        assertEquals("latents: perClass 0 must be at least 1",
                assertThrows(InvalidRequestException.class, () -> Training.on("testdata").latents(8, 0)).getMessage());
        assertEquals("latents", assertThrows(InvalidRequestException.class, () -> Training.on("testdata").latents(0)).field());
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> Training.on("testdata").weights(Double.NaN, 1));
        assertEquals("weights", e.field());
        assertEquals("weights: betaC NaN must be a finite number >= 0", e.getMessage());
        assertEquals("weights", assertThrows(InvalidRequestException.class, () -> Training.on("testdata").weights(1, -1)).field());
        assertEquals("beta", assertThrows(InvalidRequestException.class, () -> Training.on("testdata").beta(Double.POSITIVE_INFINITY)).field());
        // The setting is named once ("beta: beta -1.0 must be ..." named it twice).
        assertEquals("beta: -1.0 must be a finite number >= 0",
                assertThrows(InvalidRequestException.class, () -> Training.on("testdata").beta(-1)).getMessage());
        // Settings of another family, refused by run() before any training, naming what was set (mutation testing: unpinned).
        Path never = dir.resolve("never.safetensors");
        assertEquals("latents: a vae has one latent block and no classifier", assertThrows(InvalidRequestException.class,
                () -> small().family("vae").latents(4, 2).run(never)).getMessage());
        assertEquals("weights: a vae has one latent block and no classifier", assertThrows(InvalidRequestException.class,
                () -> small().family("vae").weights(1, 1).run(never)).getMessage());
        assertEquals("beta: applies to a beta-vae only", assertThrows(InvalidRequestException.class,
                () -> small().family("vae").beta(2).run(never)).getMessage());
        assertFalse(Files.exists(never));
    }

    /**
     * Training.on(Path) read a directory whose path is the name of a built-in source ("testdata", "fashion-mnist") as
     * that source: a caller's ./testdata was never read, nvae's own subset trained in its place, without a word.
     */
    @Test
    void aDirectoryNamedAsABuiltInSourceIsReadAsThatDirectory() {
        for (String name : List.of("testdata", "fashion-mnist")) {
            Assumptions.assumeFalse(Files.exists(Path.of(name)), "the working directory has a " + name);
            Path out = dir.resolve(name + ".safetensors");
            ModelException e = assertThrows(ModelException.class,
                    () -> Training.on(Path.of(name)).limit(64).epochs(1).backend(ComputeBackend.VECTOR).threads(1).run(out));
            assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
            assertFalse(Files.exists(out));
        }
    }

    @Test
    void aConvModelTrainsAndSamples() {
        Path out = dir.resolve("conv.safetensors");
        small().architecture("conv").epochs(1).limit(64).run(out);
        try (NvaeModel m = NvaeModel.open(out, ModelOptions.defaults().withBackend(ComputeBackend.VECTOR))) {
            assertEquals("conv", m.info().architecture());
            assertEquals(3 * 784, m.sample(SampleRequest.of(5, 3)).length);
            assertEquals(2, m.encode(Images.ofFloats(new float[2 * 784], 2, 28, 28)).count());
        }
        assertEquals("architecture", assertThrows(InvalidRequestException.class, () -> small().architecture("rnn")).field());
    }

    @Test
    void badSettingsAndDataAreReportedNamingThem() {
        Path out = dir.resolve("x.safetensors");
        assertEquals("family", assertThrows(InvalidRequestException.class, () -> small().family("gan")).field());
        assertEquals("latents", assertThrows(InvalidRequestException.class, () -> small().latents(4).run(out)).field());
        assertEquals("beta", assertThrows(InvalidRequestException.class, () -> small().family("vae").beta(2).run(out)).field());
        ModelException e = assertThrows(ModelException.class, () -> Training.on(dir.resolve("nothing-here")).run(out));
        assertTrue(e.getMessage().contains("nothing-here"), e.getMessage());
        assertEquals("learningRate", assertThrows(InvalidRequestException.class, () -> small().learningRate(-1)).field());
        assertFalse(Files.exists(out));
        assertEquals("checkpoints", assertThrows(InvalidRequestException.class, () -> {
            small().epochs(1).checkpoints(dir.resolve("c"), 0, 1).run(out);
            small().epochs(1).checkpoints(dir.resolve("c"), 0, 1).run(out);
        }).field());
    }

    /** The output rules of {@code nvae train --out}: never a file of the data, never a checkpoint's name. */
    @Test
    void anOutputThatWouldDestroyAnInputIsRefusedBeforeTraining() throws Exception {
        Path data = Files.createDirectory(dir.resolve("data"));
        for (String f : List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
            Files.copy(Path.of(dev.nvae.data.DataSources.directory("testdata").toString(), f), data.resolve(f));
        }
        Path images = data.resolve("train-images-idx3-ubyte.gz");
        byte[] before = Files.readAllBytes(images);
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> Training.on(data).limit(100).epochs(1).run(images));
        assertEquals("out", e.field());
        assertTrue(e.getMessage().contains("part of the dataset"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(images));

        Path checkpoints = dir.resolve("ck");
        Path named = checkpoints.resolve("checkpoint-000000001.safetensors");
        Files.createDirectories(checkpoints);
        e = assertThrows(InvalidRequestException.class, () -> small().epochs(1).checkpoints(checkpoints, 0, 1).run(named));
        assertEquals("out", e.field());
        assertFalse(Files.exists(named));
        // A path that cannot be a file is a ModelException naming it, also before any training.
        ModelException m = assertThrows(ModelException.class, () -> small().epochs(1).run(dir));
        assertTrue(m.getMessage().contains("is a directory"), m.getMessage());
    }

    /**
     * A checkpoint directory at the output's path (or under it) was created by the run, trained into, and the model
     * then could not be written there: the output path left a directory, the training lost.
     */
    @Test
    void aCheckpointDirectoryAtOrUnderTheOutputIsRefusedBeforeTraining() {
        Path out = dir.resolve("m.safetensors");
        List<String> steps = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onStep(int epoch, int step, int stepsPerEpoch, double meanLoss, double examplesPerSecond) {
                steps.add(epoch + "." + step);
            }
        };
        for (Path checkpoints : List.of(out, out.resolve("ck"))) {
            InvalidRequestException e = assertThrows(InvalidRequestException.class,
                    () -> small().epochs(1).limit(64).checkpoints(checkpoints, 0, 1).listener(listener).run(out));
            assertEquals("out", e.field());
            assertTrue(e.getMessage().contains("checkpoint directory"), e.getMessage());
            assertEquals(List.of(), steps);
            assertFalse(Files.exists(out));
        }
    }

    /**
     * Found only at the end of training, or never: '-' wrote the model into the process's standard output, a directory
     * that takes no new file (/proc; root passes every permission check) lost the run when the model was written, and
     * latents too large for the JVM's memory ended the JVM while allocating them.
     */
    @Test
    void outputsAndSizesThatCannotWorkAreRefusedBeforeTraining() {
        List<String> steps = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onStep(int epoch, int step, int stepsPerEpoch, double meanLoss, double examplesPerSecond) {
                steps.add(epoch + "." + step);
            }
        };
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> small().epochs(1).limit(64).listener(listener).run(Path.of("-")));
        assertEquals("out", e.field());
        assertTrue(e.getMessage().contains("standard output"), e.getMessage());

        Path big = dir.resolve("big.safetensors");
        e = assertThrows(InvalidRequestException.class, () -> small().latents(8_000_000, 4).epochs(1).limit(64).listener(listener).run(big));
        assertEquals("model", e.field());
        assertTrue(e.getMessage().contains("needs") && e.getMessage().contains("this JVM may use"), e.getMessage());
        assertFalse(Files.exists(big));

        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "Linux's /proc");
        ModelException m = assertThrows(ModelException.class,
                () -> small().epochs(1).limit(64).listener(listener).run(Path.of("/proc/nvae-model.safetensors")));
        assertTrue(m.getMessage().contains("cannot create files in /proc"), m.getMessage());
        assertEquals(List.of(), steps);
    }
}
