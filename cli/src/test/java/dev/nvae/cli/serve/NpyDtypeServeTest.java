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

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An NPY body of float64 images is refused (400, field images) with the dtypes images may have: uint8 or
 * float32. The reason listed every dtype the NPY reader reads, int64 and int32 among them.
 */
class NpyDtypeServeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void float64ImagesAreToldImagesAreUint8OrFloat32() throws Exception {
        Path file = dir.resolve("m.safetensors");
        try (LatentModel m = LatentModel.create(new ModelConfig(ModelConfig.NVAE, ModelConfig.MLP, 2, 2, 3, 16, 12, 2, 2, 1, 1))) {
            m.initialize(1);
            ModelFile.save(m, file, List.of("a", "b", "c"), Map.of());
        }
        Limits limits = new Limits(1 << 20, 10, 10, 10, Duration.ofSeconds(10), 4, 16);
        try (NvaeModel model = NvaeModel.open(file, ModelOptions.defaults().withBackend(ComputeBackend.VECTOR).withThreads(1))) {
            ModelServer server = ModelServer.start(model, new InetSocketAddress("127.0.0.1", 0), limits, line -> { });
            try {
                for (String endpoint : List.of("/encode", "/score?class=1")) {
                    HttpResponse<String> r = HttpClient.newHttpClient().send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort() + endpoint))
                                    .header("Content-Type", "application/x-npy")
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(TestNpy.f64(new double[8], 2, 4))).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertEquals(400, r.statusCode(), r.body());
                    JsonNode e = JSON.readTree(r.body());
                    assertEquals("images", e.get("field").asText(), r.body());
                    assertEquals("images: images must be uint8 (|u1) or float32 (<f4), found <f8", e.get("error").asText(), r.body());
                }
            } finally {
                server.stop(Duration.ofSeconds(1));
            }
        }
    }
}
