package dev.nvae.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvae.api.ComputeBackend;
import dev.nvae.api.ModelOptions;
import dev.nvae.api.NvaeModel;
import dev.nvae.model.LatentModel;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.ModelFile;
import dev.nvae.tensor.Tensor;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A model whose finite weights overflow float32 on the request's images: /encode answered 200 with "NaN"
 * probabilities beside a predicted class argmax'ed from them, and /score a neg_elbo of "NaN". Now both answer 500
 * naming the model as the field and the value that overflowed, and the server goes on serving.
 */
class OverflowingModelTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aRequestTheModelOverflowsOnIsA500NamingTheValue() throws Exception {
        Path file = dir.resolve("huge.safetensors");
        ModelConfig c = new ModelConfig(ModelConfig.NVAE, ModelConfig.MLP, 28, 28, 10, 16, 12, 2, 2, 1, 1);
        try (LatentModel m = LatentModel.create(c)) {
            m.initialize(1);
            for (var e : m.params().tensors().entrySet()) {
                if (!e.getKey().endsWith(".w")) continue;
                Tensor t = e.getValue();
                for (long i = 0; i < t.size(); i++) t.setFlat(i, t.getFlat(i) * 1e18f);
            }
            ModelFile.save(m, file, List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), Map.of());
        }
        Limits limits = new Limits(1 << 20, 10, 10, 10, Duration.ofSeconds(10), 4, 16);
        try (NvaeModel model = NvaeModel.open(file, ModelOptions.defaults().withBackend(ComputeBackend.VECTOR).withThreads(1))) {
            ModelServer server = ModelServer.start(model, new InetSocketAddress("127.0.0.1", 0), limits, line -> { });
            try {
                String base = "http://127.0.0.1:" + server.address().getPort();
                String images = "{\"images\": [[" + "0.5,".repeat(783) + "0.5]]}";
                for (String endpoint : List.of("/encode", "/score")) {
                    HttpResponse<String> r = post(base + endpoint, images);
                    assertEquals(500, r.statusCode(), endpoint + ": " + r.body());
                    JsonNode e = JSON.readTree(r.body());
                    assertEquals("model", e.get("field").asText(), r.body());
                    assertTrue(e.get("error").asText().startsWith("model: the model's encoder gives "), r.body());
                    assertTrue(e.get("error").asText().contains(" of example 0 "), r.body());
                }
                assertEquals(200, HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode());
            } finally {
                server.stop(Duration.ofSeconds(1));
            }
        }
    }

    private static HttpResponse<String> post(String uri, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(uri)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.getBytes(StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
    }
}
