package dev.nvae.api;

import dev.nvae.model.LatentModel;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.ModelFile;
import dev.nvae.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the library refuses, as an API caller meets it: a model whose finite weights overflow float32 fails each call
 * that computes with a {@link ModelException} naming the example and the value, and a data directory of two layouts,
 * or of image-folder entries that cannot be read as the layout means them, fails {@link Training#run} with a
 * {@link ModelException} naming {@code data} — in the API's words, never the CLI's {@code --data}.
 */
class ApiRefusalsTest {
    private static final ModelOptions VECTOR = ModelOptions.defaults().withBackend(ComputeBackend.VECTOR).withThreads(1);

    @TempDir
    Path dir;

    private Path overflowing() {
        return overflowing(1e18f);
    }

    /** The reference-sized N-VAE with every weight matrix scaled by {@code factor}: each weight finite, their sums not. */
    private Path overflowing(float factor) {
        Path file = dir.resolve("huge-" + factor + ".safetensors");
        try (LatentModel m = LatentModel.create(new ModelConfig(ModelConfig.NVAE, ModelConfig.MLP, 28, 28, 10, 16, 12, 2, 2, 1, 1))) {
            m.initialize(1);
            for (var e : m.params().tensors().entrySet()) {
                if (!e.getKey().endsWith(".w")) continue;
                Tensor t = e.getValue();
                for (long i = 0; i < t.size(); i++) t.setFlat(i, t.getFlat(i) * factor);
            }
            ModelFile.save(m, file, TestModels.CLASSES, Map.of());
        }
        return file;
    }

    private static void apiWorded(String message) {
        assertFalse(message.contains("--"), "a CLI flag in an API message: " + message);
        assertFalse(message.contains("\n"), "more than one line: " + message);
    }

    @Test
    void everyCallOnAModelThatOverflowsIsAModelExceptionNamingTheExample() {
        float[] pixels = new float[2 * 784];
        Arrays.fill(pixels, 0.5f);
        Images images = Images.ofFloats(pixels, 2, 28, 28);
        try (NvaeModel model = NvaeModel.open(overflowing(), VECTOR)) {
            for (var call : List.<Runnable>of(() -> model.encode(images), () -> model.score(images, 0, 1),
                    () -> model.score(images.withLabels(1, 2), 4, 1), () -> model.reconstruct(images))) {
                ModelException e = assertThrows(ModelException.class, call::run);
                assertTrue(e.getMessage().startsWith("the model's encoder gives "), e.getMessage());
                assertTrue(e.getMessage().contains(" of example 0 "), e.getMessage());
                apiWorded(e.getMessage());
            }
            // Sampling decodes only: its images are either finite or refused naming the sample, never NaN handed out.
            try {
                float[] drawn = model.sample(SampleRequest.of(3, 2));
                for (float v : drawn) assertTrue(Float.isFinite(v), "a sample of " + v);
            } catch (ModelException e) {
                assertTrue(e.getMessage().startsWith("the model's decoder gives "), e.getMessage());
                assertTrue(e.getMessage().contains(" of sample 0 "), e.getMessage());
                apiWorded(e.getMessage());
            }
            // The model goes on answering what the file alone answers.
            assertEquals(3, model.classIndex("class-3"));
        }
    }

    private Path imageFolder(String name, String... classes) throws IOException {
        Path root = Files.createDirectories(dir.resolve(name));
        for (String c : classes) {
            Path folder = Files.createDirectories(root.resolve(c));
            for (int i = 0; i < 3; i++) Files.write(folder.resolve("img" + i + ".pgm"), pgm(i));
        }
        return root;
    }

    private static byte[] pgm(int shade) {
        byte[] header = "P5 4 4 255\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(header, header.length + 16);
        Arrays.fill(out, header.length, out.length, (byte) (40 * shade + 20));
        return out;
    }

    @Test
    void dataTheLibraryRefusesIsAModelExceptionNamingData() throws IOException {
        Path repo = Path.of("..").toAbsolutePath().normalize(), testdata = repo.resolve("testdata/fashion-mnist-subset");
        // IDX beside NPY images, and IDX beside class folders of images.
        Path idxNpy = Files.createDirectories(dir.resolve("idx-npy"));
        Path idxImages = imageFolder("idx-images", "a", "b");
        for (Path d : List.of(idxNpy, idxImages)) {
            try (Stream<Path> files = Files.list(testdata)) {
                for (Path f : files.toList()) Files.copy(f, d.resolve(f.getFileName()));
            }
        }
        Files.copy(repo.resolve("testdata/rgb-shapes-npy/train-images.npy"),
                idxNpy.resolve("train-images.npy"));
        // unlabeled/ beside class folders; a .pgm that is a link to nothing.
        Path misspelt = imageFolder("misspelt", "a", "b", "unlabeled");
        Path dangling = imageFolder("dangling", "a", "b");
        Files.createSymbolicLink(dangling.resolve("a/zz.pgm"), dir.resolve("nowhere.pgm"));
        Path out = dir.resolve("m.safetensors");
        for (Path data : List.of(idxNpy, idxImages, misspelt, dangling)) {
            ModelException e = assertThrows(ModelException.class, () -> Training.on(data).epochs(1).backend(ComputeBackend.VECTOR)
                    .threads(1).run(out), data.toString());
            assertTrue(e.getMessage().contains(data.getFileName().toString()), e.getMessage());
            apiWorded(e.getMessage());
            assertFalse(Files.exists(out));
        }
    }

    /**
     * unlabeled/ inside train/ of a train/ and test/ layout: it was refused as "train/ and test/ have different class
     * folders (only in train/: [unlabeled])", which says nothing of its spelling and invites a test/unlabeled/ beside it.
     */
    @Test
    void aMisspeltUnlabelledFolderInTrainIsRefusedForItsSpelling() throws IOException {
        Path data = Files.createDirectories(dir.resolve("splits"));
        imageFolder("splits/test", "a", "b");
        imageFolder("splits/train", "a", "b", "unlabeled");
        ModelException e = assertThrows(ModelException.class, () -> Training.on(data).epochs(1).backend(ComputeBackend.VECTOR)
                .threads(1).run(dir.resolve("m.safetensors")));
        assertTrue(e.getMessage().contains("train/unlabeled: is read as a class of that name, but images without a label go in a "
                + "folder named exactly unlabelled/"), e.getMessage());
        apiWorded(e.getMessage());
    }

    /** Scaled by 1e30 the decoder's sums overflow too, to ∞ − ∞: every way of sampling refuses naming the sample. */
    @Test
    void everySampleOfADecoderThatOverflowsIsAModelExceptionNamingTheSample() {
        try (NvaeModel model = NvaeModel.open(overflowing(1e30f), VECTOR)) {
            SampleRequest request = SampleRequest.of(2, 3);
            for (var call : List.<Runnable>of(() -> model.sample(request), () -> model.sample(request, new float[3 * 784], 0),
                    () -> model.sample(request, java.nio.FloatBuffer.allocate(3 * 784)), () -> model.samplePng(request),
                    () -> model.sampleNpy(request))) {
                ModelException e = assertThrows(ModelException.class, call::run);
                assertTrue(e.getMessage().startsWith("the model's decoder gives NaN for pixel 0 of sample 0 "), e.getMessage());
                apiWorded(e.getMessage());
            }
        }
    }
}
