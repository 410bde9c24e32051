package dev.nvae.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvae.api.ComputeBackend;
import dev.nvae.api.ModelOptions;
import dev.nvae.api.NvaeModel;
import dev.nvae.cli.Main;
import dev.nvae.model.LatentModel;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.ModelFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * /score of an N-VAE (with labels, trained on some) given images without labels: the bound summed over its classes,
 * the figures {@code nvae evaluate --json} gives for the same images with labels -1 (docs/MODEL.md#6), with its
 * keys unlabelled and kl_y. It answered 400 "a nvae needs the true class of every image". iw, which evaluate refuses
 * for such data, is refused naming iw.
 */
class UnlabelledScoreTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CLASSES = IntStream.range(0, 10).mapToObj(k -> "class-" + k).toList();
    private static final int N = 23, H = 6, W = 5;

    @TempDir
    Path dir;

    @Test
    void imagesWithoutLabelsAreScoredAsEvaluateScoresLabelMinusOne() throws Exception {
        Path file = model();
        byte[] pixels = randomPixels(5);
        byte[] images = TestNpy.u8(pixels, N, H, W);
        long[] none = new long[N];
        Arrays.fill(none, -1);
        Path data = Files.createDirectories(dir.resolve("data"));
        for (String split : List.of("train", "test")) {
            Files.write(data.resolve(split + "-images.npy"), images);
            Files.write(data.resolve(split + "-labels.npy"), TestNpy.i64(none));
        }
        JsonNode evaluated = JSON.readTree(evaluate(file, data));
        assertEquals(N, evaluated.get("unlabelled").asInt());

        Limits limits = new Limits(1 << 20, 10, 100, 10, Duration.ofSeconds(10), 4, 16);
        try (NvaeModel model = NvaeModel.open(file, ModelOptions.defaults().withBackend(ComputeBackend.VECTOR).withThreads(1))) {
            ModelServer server = ModelServer.start(model, new InetSocketAddress("127.0.0.1", 0), limits, line -> { });
            try {
                String base = "http://127.0.0.1:" + server.address().getPort() + "/score";
                HttpResponse<String> ok = post(base, images);
                assertEquals(200, ok.statusCode(), ok.body());
                JsonNode s = JSON.readTree(ok.body());
                for (String key : List.of("examples", "neg_elbo", "rec", "kl_s", "kl_c", "ce", "unlabelled", "kl_y")) {
                    assertEquals(evaluated.get(key).asDouble(), s.get(key).asDouble(), key + " of " + ok.body());
                }
                assertTrue(s.get("accuracy").isNull() && evaluated.get("accuracy").isNull(), ok.body());
                double sum = s.get("rec").asDouble() + s.get("kl_s").asDouble() + s.get("kl_c").asDouble() + s.get("kl_y").asDouble();
                assertEquals(s.get("neg_elbo").asDouble(), sum, 1e-9 * Math.abs(sum), ok.body());

                HttpResponse<String> iw = post(base + "?iw=5", images);
                assertEquals(400, iw.statusCode(), iw.body());
                assertEquals("iw", JSON.readTree(iw.body()).get("field").asText(), iw.body());
                // With labels, the bound given the class, as before: no unlabelled images.
                HttpResponse<String> labelled = post(base + "?class=3&iw=5", images);
                assertEquals(200, labelled.statusCode(), labelled.body());
                assertTrue(JSON.readTree(labelled.body()).get("unlabelled") == null, labelled.body());
            } finally {
                server.stop(Duration.ofSeconds(1));
            }
        }
    }

    /**
     * Labelled images beside images labelled -1 in one request — NPY's mark of an example without a label, and what
     * a split that is partly labelled holds: scored as evaluate scores that split, the labelled ones by the bound given
     * their class (ce, accuracy), the others by the bound summed over the classes. It was a 400 "label -1 of image 0 is
     * negative", so a client had to split its request in two and could not get evaluate's figures at all.
     */
    @Test
    void labelledAndUnlabelledImagesInOneRequestAreScoredAsEvaluateScoresAMixedSplit() throws Exception {
        Path file = model();
        byte[] pixels = randomPixels(6);
        byte[] images = TestNpy.u8(pixels, N, H, W);
        long[] labels = new long[N];
        for (int i = 0; i < N; i++) labels[i] = i % 4 == 1 ? -1 : i % 10;
        Path data = Files.createDirectories(dir.resolve("mixed"));
        for (String split : List.of("train", "test")) {
            Files.write(data.resolve(split + "-images.npy"), images);
            Files.write(data.resolve(split + "-labels.npy"), TestNpy.i64(labels));
        }
        JsonNode evaluated = JSON.readTree(evaluate(file, data));
        assertEquals(6, evaluated.get("unlabelled").asInt());
        String query = String.join(",", Arrays.stream(labels).mapToObj(Long::toString).toList());

        Limits limits = new Limits(1 << 20, 10, 100, 10, Duration.ofSeconds(10), 4, 16);
        try (NvaeModel model = NvaeModel.open(file, ModelOptions.defaults().withBackend(ComputeBackend.VECTOR).withThreads(1))) {
            ModelServer server = ModelServer.start(model, new InetSocketAddress("127.0.0.1", 0), limits, line -> { });
            try {
                String base = "http://127.0.0.1:" + server.address().getPort() + "/score";
                HttpResponse<String> ok = post(base + "?labels=" + query, images);
                assertEquals(200, ok.statusCode(), ok.body());
                JsonNode s = JSON.readTree(ok.body());
                for (String key : List.of("examples", "neg_elbo", "rec", "kl_s", "kl_c", "ce", "accuracy", "unlabelled", "kl_y")) {
                    assertEquals(evaluated.get(key).asDouble(), s.get(key).asDouble(), key + " of " + ok.body());
                }
                assertTrue(s.get("accuracy").isNumber(), ok.body());

                HttpResponse<String> iw = post(base + "?iw=5&labels=" + query, images);
                assertEquals(400, iw.statusCode(), iw.body());
                assertEquals("iw", JSON.readTree(iw.body()).get("field").asText(), iw.body());
                assertTrue(iw.body().contains("6 of the 23 images have no label"), iw.body());
                HttpResponse<String> below = post(base + "?labels=" + query.replaceFirst("^0,", "-2,"), images);
                assertEquals(400, below.statusCode(), below.body());
                assertEquals("labels", JSON.readTree(below.body()).get("field").asText(), below.body());
            } finally {
                server.stop(Duration.ofSeconds(1));
            }
        }
    }

    private static String evaluate(Path model, Path data) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute("evaluate", "--model", model.toString(), "--data", data.toString(), "--json",
                "--backend", "vector", "--threads", "1", "--prior-samples", "0");
        assertEquals(0, code, err.toString());
        return out.toString();
    }

    private static HttpResponse<String> post(String uri, byte[] npy) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(uri)).header("Content-Type", "application/x-npy")
                .POST(HttpRequest.BodyPublishers.ofByteArray(npy)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A small N-VAE with initial weights, saved in {@code dir}. */
    private Path model() throws Exception {
        Path file = dir.resolve("nvae.safetensors");
        try (LatentModel m = LatentModel.create(new ModelConfig(ModelConfig.NVAE, ModelConfig.MLP, H, W, 10, 16, 12, 3, 2, 1, 1))) {
            m.initialize(1);
            ModelFile.save(m, file, CLASSES, Map.of());
        }
        return file;
    }

    private static byte[] randomPixels(long seed) {
        byte[] pixels = new byte[N * H * W];
        new Random(seed).nextBytes(pixels);
        return pixels;
    }
}
