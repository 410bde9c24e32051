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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An RGB model's server takes images of the model's own shape, channels first: an NPY array (N, C, H, W) and JSON
 * images [C][H][W], as well as flat rows, with the same answers. Both were refused (400: "expected images of shape
 * (N, H, W) or (N, D)", "image 0 holds [, not a number"): only flat rows worked. A wrong shape is refused naming
 * images and the shape the model takes.
 */
class RgbImagesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int N = 2, C = 3, H = 6, W = 5, D = C * H * W;

    @TempDir
    Path dir;

    @Test
    void imagesOfTheModelsShapeAreTakenAsNpyAndNestedJson() throws Exception {
        Path file = dir.resolve("rgb.safetensors");
        try (LatentModel m = LatentModel.create(new ModelConfig(ModelConfig.NVAE, ModelConfig.MLP, H, W, 3, 16, 12, 3, 2, 1, 1).withChannels(C))) {
            m.initialize(1);
            ModelFile.save(m, file, List.of("circle", "square", "triangle"), Map.of());
        }
        byte[] pixels = new byte[N * D];
        new Random(3).nextBytes(pixels);
        Limits limits = new Limits(1 << 20, 10, 10, 10, Duration.ofSeconds(10), 4, 16);
        try (NvaeModel model = NvaeModel.open(file, ModelOptions.defaults().withBackend(ComputeBackend.VECTOR).withThreads(1))) {
            ModelServer server = ModelServer.start(model, new InetSocketAddress("127.0.0.1", 0), limits, line -> { });
            try {
                String base = "http://127.0.0.1:" + server.address().getPort();
                for (String endpoint : List.of("/encode", "/score?class=1")) {
                    String flat = ok(post(base + endpoint, "application/x-npy", TestNpy.u8(pixels, N, D)));
                    assertEquals(flat, ok(post(base + endpoint, "application/x-npy", TestNpy.u8(pixels, N, C, H, W))), endpoint);
                }
                String flatJson = ok(post(base + "/encode", "application/json", body(pixels, false)));
                assertEquals(flatJson, ok(post(base + "/encode", "application/json", body(pixels, true))));

                // Grey images, channels last, too many dimensions, or an image whose first row is short: refused naming images and what the model takes.
                refused(post(base + "/encode", "application/x-npy", TestNpy.u8(new byte[N * H * W], N, H, W)), "3x6x5");
                refused(post(base + "/encode", "application/x-npy", TestNpy.u8(pixels, N, H, W, C)), "3x6x5");
                refused(post(base + "/encode", "application/x-npy", TestNpy.u8(pixels, N, 1, C, H, W)), "(N, C, H, W)");
                String ragged = new String(body(pixels, true), StandardCharsets.UTF_8).replaceFirst("\\[\\[\\[\\[[^,]*, ", "[[[[");
                refused(post(base + "/encode", "application/json", ragged.getBytes(StandardCharsets.UTF_8)), "different lengths");
            } finally {
                server.stop(Duration.ofSeconds(1));
            }
        }
    }

    /** {"images": ...}: each image flat, or as channels of rows of values. */
    private static byte[] body(byte[] pixels, boolean nested) {
        StringBuilder b = new StringBuilder("{\"images\": [");
        for (int i = 0; i < N; i++) {
            b.append(i == 0 ? "[" : ", [");
            for (int j = 0; j < D; j++) {
                boolean rowStart = j % W == 0, channelStart = j % (H * W) == 0;
                if (nested && j > 0 && rowStart) b.append(channelStart ? "]], " : "], ");
                if (nested && channelStart) b.append('[');
                if (nested && rowStart) b.append('[');
                if (!(nested && rowStart) && j > 0) b.append(", ");
                b.append((pixels[i * D + j] & 0xFF) / 255f);
            }
            b.append(nested ? "]]]" : "]");
        }
        return b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String ok(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    private static void refused(HttpResponse<String> r, String mention) throws Exception {
        assertEquals(400, r.statusCode(), r.body());
        JsonNode e = JSON.readTree(r.body());
        assertEquals("images", e.get("field").asText(), r.body());
        assertTrue(e.get("error").asText().contains(mention), r.body());
    }

    private static HttpResponse<String> post(String uri, String type, byte[] body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(uri)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
