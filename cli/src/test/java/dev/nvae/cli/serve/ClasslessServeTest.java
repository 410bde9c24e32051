package dev.nvae.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvae.api.ComputeBackend;
import dev.nvae.api.ModelOptions;
import dev.nvae.api.NvaeModel;
import dev.nvae.model.LatentModel;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.ModelFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code nvae serve} of a vae trained without labels (no classes): /info lists none, /sample draws without a class,
 * /encode and /score take images without labels; a class or labels given are refused naming the field.
 */
class ClasslessServeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int N = 4, H = 6, W = 5;

    @TempDir
    Path dir;

    @Test
    void aVaeOfNoClassesSamplesEncodesAndScores() throws Exception {
        Path file = dir.resolve("vae.safetensors");
        try (LatentModel m = LatentModel.create(ModelConfig.baseline(ModelConfig.VAE, H, W, 0, 16, 12, 3, 1))) {
            m.initialize(1);
            ModelFile.save(m, file, List.of(), Map.of());
        }
        byte[] pixels = new byte[N * H * W];
        new Random(3).nextBytes(pixels);
        byte[] images = TestNpy.u8(pixels, N, H, W);
        Limits limits = new Limits(1 << 20, 10, 100, 10, Duration.ofSeconds(10), 4, 16);
        try (NvaeModel model = NvaeModel.open(file, ModelOptions.defaults().withBackend(ComputeBackend.VECTOR).withThreads(1))) {
            ModelServer server = ModelServer.start(model, new InetSocketAddress("127.0.0.1", 0), limits, line -> { });
            try {
                String base = "http://127.0.0.1:" + server.address().getPort();
                HttpResponse<String> info = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/info")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(0, JSON.readTree(info.body()).get("classes").size(), info.body());
                HttpResponse<String> sample = post(base + "/sample", "application/json", "{\"n\": 2}".getBytes());
                assertEquals(200, sample.statusCode(), sample.body());
                assertEquals(2, JSON.readTree(sample.body()).get("images").size());
                assertRefused(post(base + "/sample", "application/json", "{\"n\": 2, \"class\": 0}".getBytes()), "class",
                        "a vae draws images of no class; leave class out");
                HttpResponse<String> encoded = post(base + "/encode", "application/x-npy", images);
                assertEquals(200, encoded.statusCode(), encoded.body());
                HttpResponse<String> scored = post(base + "/score?iw=3", "application/x-npy", images);
                assertEquals(200, scored.statusCode(), scored.body());
                JsonNode s = JSON.readTree(scored.body());
                assertEquals(N, s.get("unlabelled").asInt(), scored.body());
                assertTrue(s.get("iwae_nll").asDouble() > 0, "a vae's iwae_nll needs no label: " + scored.body());
                assertRefused(post(base + "/score?labels=0,0,0,0", "application/x-npy", images), "labels",
                        "this vae was trained without labels and has no classes; give none");
            } finally {
                server.stop(Duration.ofSeconds(1));
            }
        }
    }

    private static void assertRefused(HttpResponse<String> r, String field, String why) throws Exception {
        assertEquals(400, r.statusCode(), r.body());
        JsonNode body = JSON.readTree(r.body());
        assertEquals(field, body.get("field").asText(), r.body());
        assertTrue(body.get("error").asText().contains(why), r.body());
    }

    private static HttpResponse<String> post(String uri, String type, byte[] body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(uri)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
