package dev.nvae.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvae.api.ComputeBackend;
import dev.nvae.api.ModelOptions;
import dev.nvae.api.NvaeModel;
import dev.nvae.model.LatentModel;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.ModelFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Bad input to the server, found by an API audit; each refused with its status and the field, and each value echoed
 * as the client wrote it.
 */
class BadInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Limits LIMITS = new Limits(1 << 20, 10, 10, 10, Duration.ofSeconds(10), 4, 16);

    @TempDir
    static Path dir;
    static NvaeModel model;
    static ModelServer server;
    static String base;

    @BeforeAll
    static void start() {
        Path file = dir.resolve("m.safetensors");
        try (LatentModel m = LatentModel.create(new ModelConfig(ModelConfig.NVAE, ModelConfig.MLP, 6, 5, 10, 16, 12, 3, 2, 1, 1))) {
            m.initialize(1);
            ModelFile.save(m, file, IntStream.range(0, 10).mapToObj(k -> "class-" + k).toList(), Map.of());
        }
        model = NvaeModel.open(file, ModelOptions.defaults().withBackend(ComputeBackend.VECTOR).withThreads(1));
        server = ModelServer.start(model, new InetSocketAddress("127.0.0.1", 0), LIMITS, line -> { });
        base = "http://127.0.0.1:" + server.address().getPort();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.stop(Duration.ofSeconds(1));
        if (model != null) model.close();
    }

    /** A refused decimal came back as Java renders it: "sigma": 0 as "0.0", 1e999 as "Infinity". */
    @Test
    void aRefusedDecimalIsEchoedAsWritten() throws Exception {
        refused(post("/sample", "{\"class\": 0, \"n\": 2, \"sigma\": 0}"), "sigma", "sigma: 0 must be a positive number up to 100");
        refused(post("/sample", "{\"class\": 0, \"n\": 2, \"sigma\": 1e999}"), "sigma", "sigma: 1e999 must be a positive number up to 100");
        refused(post("/sample", "{\"class\": 0, \"n\": 2, \"sigma\": -1.50}"), "sigma", "sigma: -1.50 must be a positive number up to 100");
        refused(post("/sample", "{\"class\": 0, \"n\": 2, \"sigma\": 1E+3}"), "sigma", "sigma: 1E+3 must be a positive number up to 100");
        refused(post("/sample", "{\"class\": 0, \"n\": 1e1}"), "n", "n: expected an integer, got 1e1");
        assertEquals(200, post("/sample", "{\"class\": 0, \"n\": 2, \"sigma\": 1.4}").statusCode());
    }

    private static void refused(HttpResponse<String> r, String field, String error) throws Exception {
        assertEquals(400, r.statusCode(), r.body());
        JsonNode e = JSON.readTree(r.body());
        assertEquals(field, e.get("field").asText(), r.body());
        assertEquals(error, e.get("error").asText(), r.body());
        assertEquals(400, e.get("status").asInt(), r.body());
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
