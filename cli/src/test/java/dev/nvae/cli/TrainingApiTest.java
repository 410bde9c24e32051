package dev.nvae.cli;

import dev.nvae.api.ComputeBackend;
import dev.nvae.api.ModelException;
import dev.nvae.api.Training;
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
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The Java API's {@link Training} "trains as {@code nvae train} does, with the same defaults, writing the same
 * file" (README, "Using it from Java"): the same data, settings and seed give the same bytes either way.
 */
class TrainingApiTest {
    @TempDir
    Path dir;

    private static final int LIMIT = 128, BATCH = 32, EPOCHS = 2;

    private Path viaCli(String data, String name) {
        Path out = dir.resolve(name);
        Cli.Result r = Cli.run("train", "--data", data, "--limit", LIMIT, "--batch", BATCH, "--epochs", EPOCHS, "--backend", "vector",
                "--threads", "1", "--no-progress", "--out", out);
        assertEquals(0, r.exitCode(), r.err());
        return out;
    }

    private Path viaApi(String data, String name) {
        Path out = dir.resolve(name);
        Training.on(data).limit(LIMIT).batchSize(BATCH).epochs(EPOCHS).backend(ComputeBackend.VECTOR).threads(1).run(out);
        return out;
    }

    /**
     * The file records the run as nvae train records it, the per-epoch curve included: the API's left the curve out,
     * so 'nvae report' of its model drew no training curve and said the file predated the curve ("retrain to see it").
     */
    @Test
    void theApiWritesTheFileNvaeTrainWrites() throws IOException {
        Path cli = viaCli("testdata", "cli.safetensors"), api = viaApi("testdata", "api.safetensors");
        try (LoadedModel m = ModelFile.load(api)) {
            List<Map<String, Object>> curve = ReportPage.curve(m.training());
            assertEquals(EPOCHS, curve.size(), "the training curve: " + m.training());
            assertEquals(2, ((Number) curve.get(1).get("epoch")).intValue());
        }
        assertArrayEquals(Files.readAllBytes(cli), Files.readAllBytes(api));
    }

    /**
     * Data that leaves some examples unlabelled (IDX label 255) trains an N-VAE semi-supervised, with nvae train's
     * α of 10 for the labelled ones: the API trained it with α 1, another model than nvae train's. Data with no
     * label at all, which nvae train refuses for an nvae (it learns its classes from labelled examples), the API
     * trained, into a classifier that had learnt nothing.
     */
    @Test
    void onDataWithUnlabelledExamplesTheApiTrainsWithNvaeTrainsDefaults() throws IOException {
        String some = idxCopy(dir.resolve("some"), i -> i % 4 == 0).toString();
        Path cli = viaCli(some, "cli.safetensors"), api = viaApi(some, "api.safetensors");
        try (LoadedModel m = ModelFile.load(api)) {
            assertEquals(10.0, m.model().config().alpha(), "alpha of a semi-supervised run");
            assertEquals(LIMIT / 4, ((Number) m.training().get("labelled_examples")).intValue());
        }
        assertArrayEquals(Files.readAllBytes(cli), Files.readAllBytes(api));

        String none = idxCopy(dir.resolve("none"), i -> false).toString();
        Cli.Result refused = Cli.run("train", "--data", none, "--epochs", "1", "--out", dir.resolve("x.safetensors"));
        assertEquals(1, refused.exitCode(), refused.err());
        ModelException e = assertThrows(ModelException.class, () -> viaApi(none, "x.safetensors"));
        assertEquals("data: none of the " + LIMIT + " training examples of " + none + ":train has a label, and an nvae learns its "
                + "classes from labelled ones; nvae train --labels none trains it without labels, as clusters", e.getMessage());
        assertFalse(Files.exists(dir.resolve("x.safetensors")));
        // An empty split is refused as such, not as one without labels.
        Path empty = Files.createDirectories(dir.resolve("empty"));
        IdxWriter.writeImages(empty.resolve("train-images-idx3-ubyte"), new float[0], 0, 28, 28);
        IdxWriter.writeLabels(empty.resolve("train-labels-idx1-ubyte"), new int[0]);
        Files.write(empty.resolve("classes.txt"), List.of("a", "b"));
        assertEquals("data " + empty + ": the train split holds no examples",
                assertThrows(ModelException.class, () -> viaApi(empty.toString(), "x.safetensors")).getMessage());
        // A vae reads no label: it trains on such data.
        Training.on(none).family("vae").limit(LIMIT).batchSize(BATCH).epochs(1).backend(ComputeBackend.VECTOR).threads(1)
                .run(dir.resolve("vae.safetensors"));
    }

    /**
     * A run nvae train checkpointed with a label selection (--labels-per-class, --labels-fraction, --labels none)
     * goes on through Training.resume to the weights of the uninterrupted run: the API loaded the data with every
     * label, and refused the checkpoint as trained on other data (or with other classes than its clusters).
     */
    @Test
    void aRunCheckpointedWithALabelSelectionResumesThroughTheApi() throws IOException {
        for (List<Object> labels : List.<List<Object>>of(List.of("--labels-per-class", 3), List.of("--labels-fraction", 0.5),
                List.of("--labels", "none", "--clusters", 4))) {
            String name = labels.getFirst().toString().substring(2);
            Path whole = dir.resolve(name + "-whole.safetensors"), ckpt = dir.resolve(name + "-ckpt");
            trainWith(labels, "--epochs", EPOCHS, "--out", whole);
            trainWith(labels, "--epochs", 1, "--checkpoint-dir", ckpt, "--out", dir.resolve(name + "-first.safetensors"));
            Path resumed = dir.resolve(name + "-resumed.safetensors");
            Training.resume(ckpt).epochs(EPOCHS).threads(1).run(resumed);
            assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(resumed), name);
        }
    }

    private void trainWith(List<Object> labels, Object... more) {
        List<Object> args = new java.util.ArrayList<>(List.of("train", "--data", "testdata", "--limit", LIMIT, "--batch", BATCH,
                "--backend", "vector", "--threads", "1", "--no-progress"));
        args.addAll(labels);
        args.addAll(List.of(more));
        Cli.Result r = Cli.run(args.toArray());
        assertEquals(0, r.exitCode(), r.err());
    }

    /** The first {@value #LIMIT} training examples of testdata as an IDX directory, labelled where {@code labelled} says. */
    private static Path idxCopy(Path to, IntPredicate labelled) throws IOException {
        Dataset data = DataSources.load("testdata", Split.TRAIN).first(LIMIT);
        Files.createDirectories(to);
        float[] pixels = new float[data.count() * data.dim()];
        for (int i = 0; i < data.count(); i++) System.arraycopy(data.image(i), 0, pixels, i * data.dim(), data.dim());
        IdxWriter.writeImages(to.resolve("train-images-idx3-ubyte"), pixels, data.count(), data.height(), data.width());
        IdxWriter.writeLabels(to.resolve("train-labels-idx1-ubyte"), data.count(), i -> labelled.test(i) ? data.label(i) : 255);
        Files.write(to.resolve("classes.txt"), data.classNames());
        return to;
    }
}
