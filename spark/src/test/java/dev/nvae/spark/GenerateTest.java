package dev.nvae.spark;

import dev.nvae.io.Npy;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code generate} against {@code nvae sample}: the same samples, byte for byte, however the work is split. */
class GenerateTest {
    private static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
            "Sneaker", "Bag", "Ankle boot");

    /** `nvae sample --format npy` of these options: the float32 payload of X.npy and the labels of X-labels.npy. */
    private static Reference sample(String name, Object... options) throws IOException {
        Path npy = LocalSpark.dir().resolve(name + ".npy");
        if (!Files.exists(npy)) {
            Object[] args = Stream.concat(Stream.of("sample", "--model", LocalSpark.model(), "--format", "npy", "--backend", "vector",
                    "--out", npy), Arrays.stream(options)).toArray();
            LocalSpark.Result r = LocalSpark.cli(args);
            assertEquals(0, r.code(), r.err());
        }
        byte[] file = Files.readAllBytes(npy);
        long[] labels = Npy.read(npy.resolveSibling(name + "-labels.npy")).longs();
        byte[] payload = Arrays.copyOfRange(file, file.length - labels.length * 784 * Float.BYTES, file.length);
        return new Reference(payload, labels);
    }

    private record Reference(byte[] payload, long[] labels) {
        byte[] image(int i) {
            return Arrays.copyOfRange(payload, i * 784 * Float.BYTES, (i + 1) * 784 * Float.BYTES);
        }
    }

    /** The job's rows in index order. */
    static List<Row> rows(Path out) {
        return LocalSpark.session().read().parquet(out.toString()).orderBy("index").collectAsList();
    }

    static long partFiles(Path out) throws IOException {
        try (Stream<Path> files = Files.list(out)) {
            return files.filter(p -> p.getFileName().toString().startsWith("part-")).count();
        }
    }

    private static void assertSameSamples(Reference want, List<Row> got) {
        assertEquals(want.labels().length, got.size());
        for (int i = 0; i < got.size(); i++) {
            Row r = got.get(i);
            assertEquals(i, r.getLong(0), "index");
            assertEquals(want.labels()[i], r.getInt(1), "label of sample " + i);
            assertEquals(CLASSES.get(r.getInt(1)), r.getString(2), "class of sample " + i);
            assertArrayEquals(want.image(i), (byte[]) r.get(3), "image of sample " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 20})
    void tenClassesOfAThousandEqualNvaeSampleByteForByte(int asked) throws IOException {
        // 10,000 samples are 10 batches of 1000: 20 partitions asked for are 10, and the line says so.
        int partitions = Math.min(asked, 10);
        String fewer = asked > partitions ? " (of " + asked + " asked: a partition takes whole batches of 1000 samples)" : "";
        Reference want = sample("all-7", "--n", 1000, "--seed", 7);
        Path out = LocalSpark.dir().resolve("generate-" + partitions);
        int opened = ExecutorModels.opened();
        LocalSpark.Result r = LocalSpark.job("generate", "--model", LocalSpark.model(), "--n", 1000, "--seed", 7,
                "--partitions", asked, "--out", out);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("wrote 10000 samples in " + partitions + (partitions == 1 ? " partition" : " partitions") + fewer
                + " to " + out + " in "), r.out());
        assertEquals(partitions, partFiles(out), "one Parquet part per task");
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
        assertSameSamples(want, rows(out));
        assertTrue(ExecutorModels.opened() - opened <= 2, "a model instance per task slot at most, not per task");
    }

    @Test
    void oneClassAcrossBatchEndsAtAnotherScaleEqualsNvaeSample() throws IOException {
        Reference want = sample("sandal", "--n", 2500, "--class", "sandal", "--sigma", 1.4, "--seed", 3);
        Path out = LocalSpark.dir().resolve("generate-sandal");
        LocalSpark.Result r = LocalSpark.job("generate", "--model", LocalSpark.model(), "--n", 2500, "--class", "Sandal",
                "--sigma", 1.4, "--seed", 3, "--partitions", 2, "--out", out);
        assertEquals(0, r.code(), r.err());
        assertSameSamples(want, rows(out));
    }

    /** --class all, the default, on a vae draws what no --class draws: it was refused as a class request. */
    @Test
    void classAllOnAVaeIsTheDefault() throws IOException {
        Path vae = vae();
        Path plain = LocalSpark.dir().resolve("generate-vae"), all = LocalSpark.dir().resolve("generate-vae-all");
        LocalSpark.Result a = LocalSpark.job("generate", "--model", vae, "--n", 3, "--seed", 2, "--out", plain);
        assertEquals(0, a.code(), a.err());
        LocalSpark.Result b = LocalSpark.job("generate", "--model", vae, "--n", 3, "--class", "all", "--seed", 2, "--out", all);
        assertEquals(0, b.code(), b.err());
        assertEquals(rows(plain), rows(all));
        assertEquals(3, rows(all).size());
    }

    /** A vae (no classes) of the test data, trained once for the tests that need one. */
    private static synchronized Path vae() {
        Path vae = LocalSpark.dir().resolve("vae.safetensors");
        if (!Files.exists(vae)) {
            LocalSpark.Result t = LocalSpark.cli("train", "--model", "vae", "--data", "testdata", "--limit", "300", "--epochs", "1",
                    "--no-progress", "--backend", "vector", "--out", vae);
            assertEquals(0, t.code(), t.err());
        }
        return vae;
    }

    /**
     * --class All on a vae: sample and traverse name the value and ask "did you mean 'all'?", and generate said only
     * "--class: a vae is not conditioned on a class"; it now refuses as sample does. Another value keeps the plain line.
     */
    @Test
    void classAllInAnotherCaseOnAVaeIsRefusedAsSampleRefusesIt() {
        Path out = LocalSpark.dir().resolve("generate-vae-All");
        LocalSpark.Result r = LocalSpark.job("generate", "--model", vae(), "--n", 3, "--class", "All", "--out", out);
        assertEquals(1, r.code(), r.err());
        assertEquals(List.of("nvae-spark: --class 'All': a vae is not conditioned on a class (did you mean 'all'?); its samples have no label"),
                r.errLines());
        assertFalse(Files.exists(out), "nothing written: " + out);
        LocalSpark.Result three = LocalSpark.job("generate", "--model", vae(), "--n", 3, "--class", 3, "--out", out);
        assertEquals(1, three.code(), three.err());
        assertEquals(List.of("nvae-spark: --class: a vae is not conditioned on a class; its samples have no label"), three.errLines());
        assertFalse(Files.exists(out), "nothing written: " + out);
    }

    /** --png stores each sample as a 28x28 8-bit PNG: its pixels are the bytes `nvae sample --format idx` writes. */
    @Test
    void pngImagesHoldThePixelsOfNvaeSampleFormatIdx() throws IOException {
        Path dir = LocalSpark.dir().resolve("idx");
        LocalSpark.Result s = LocalSpark.cli("sample", "--model", LocalSpark.model(), "--n", 3, "--format", "idx", "--backend", "vector",
                "--seed", 5, "--out", dir);
        assertEquals(0, s.code(), s.err());
        byte[] idx = Files.readAllBytes(dir.resolve("train-images-idx3-ubyte"));
        Path out = LocalSpark.dir().resolve("generate-png");
        LocalSpark.Result r = LocalSpark.job("generate", "--model", LocalSpark.model(), "--n", 3, "--seed", 5, "--png", "--out", out);
        assertEquals(0, r.code(), r.err());
        List<Row> rows = rows(out);
        assertEquals(30, rows.size());
        for (Row row : rows) {
            int i = (int) row.getLong(0);
            BufferedImage png = ImageIO.read(new ByteArrayInputStream((byte[]) row.get(3)));
            assertEquals(28, png.getWidth());
            assertEquals(28, png.getHeight());
            byte[] pixels = new byte[784];
            for (int j = 0; j < 784; j++) pixels[j] = (byte) png.getRaster().getSample(j % 28, j / 28, 0);
            assertArrayEquals(Arrays.copyOfRange(idx, 16 + i * 784, 16 + (i + 1) * 784), pixels, "sample " + i);
        }
        assertEquals("png", LocalSpark.session().read().parquet(out.toString()).schema().apply("image").metadata().getString("encoding"));
    }

    /**
     * A task that fails while writing its part (its first attempt, after it decoded its samples) is retried
     * by Spark; the output is the same, and nothing of the failed attempt is left.
     */
    @Test
    void aRetriedTaskWritesTheSameRows() throws IOException {
        Reference want = sample("all-7", "--n", 1000, "--seed", 7);
        Path out = LocalSpark.dir().resolve("generate-retried");
        LocalSpark.drainEvents();
        int failed = LocalSpark.TASKS_FAILED.get();
        FailOnceFileSystem.failNext.set("part-00001-");
        LocalSpark.Result r = LocalSpark.job("generate", "--model", LocalSpark.model(), "--n", 1000, "--seed", 7,
                "--partitions", 3, "--out", "failonce://" + out);
        assertEquals(0, r.code(), r.err());
        assertNull(FailOnceFileSystem.failNext.get(), "the failure was injected");
        LocalSpark.drainEvents();
        assertEquals(1, LocalSpark.TASKS_FAILED.get() - failed, "one task attempt failed");
        assertSameSamples(want, rows(out));
        try (Stream<Path> files = Files.list(out)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(4, names.size(), "three parts and _SUCCESS: " + names);
            assertEquals("_SUCCESS", names.getFirst());
        }
    }
}
