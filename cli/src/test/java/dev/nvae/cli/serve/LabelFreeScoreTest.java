package dev.nvae.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvae.api.ComputeBackend;
import dev.nvae.api.ModelOptions;
import dev.nvae.api.NvaeModel;
import dev.nvae.io.Npy;
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
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * /score on a label-free model (docs/MODEL.md#7): scored without labels by the bound summed over its clusters,
 * with evaluate --json's kl_y so that the terms add up to neg_elbo; labels and iw refused with a 400 naming them.
 * It asked for labels (400), ignored them when given, and answered labels with iw by a 500 and a stack trace.
 */
class LabelFreeScoreTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aLabelFreeModelIsScoredWithoutLabels() throws Exception {
        Path file = dir.resolve("free.safetensors");
        ModelConfig c = new ModelConfig(ModelConfig.NVAE, ModelConfig.MLP, 28, 28, 10, 16, 12, 1, 4, 1, 1).asLabelFree(4);
        try (LatentModel m = LatentModel.create(c)) {
            m.initialize(1);
            ModelFile.save(m, file, ModelConfig.clusterNames(4), Map.of());
        }
        Limits limits = new Limits(1 << 20, 10, 10, 10, Duration.ofSeconds(10), 4, 16);
        try (NvaeModel model = NvaeModel.open(file, ModelOptions.defaults().withBackend(ComputeBackend.VECTOR).withThreads(1))) {
            ModelServer server = ModelServer.start(model, new InetSocketAddress("127.0.0.1", 0), limits, line -> { });
            try {
                String base = "http://127.0.0.1:" + server.address().getPort() + "/score";
                String images = "[[" + "0.5,".repeat(783) + "0.5], [" + "0.1,".repeat(783) + "0.1]]";
                HttpResponse<String> ok = post(base, "{\"images\": " + images + "}");
                assertEquals(200, ok.statusCode(), ok.body());
                JsonNode s = JSON.readTree(ok.body());
                assertEquals(2, s.get("unlabelled").asInt());
                double sum = s.get("rec").asDouble() + s.get("kl_s").asDouble() + s.get("kl_c").asDouble() + s.get("kl_y").asDouble();
                assertEquals(s.get("neg_elbo").asDouble(), sum, 1e-9 * Math.abs(sum), ok.body());
                assertTrue(s.get("accuracy").isNull(), ok.body());

                refused(post(base, "{\"images\": " + images + ", \"labels\": [1, 2]}"), "labels");
                // Labels of another count than the images' are refused for being labels, not for their count.
                refused(post(base, "{\"images\": " + images + ", \"labels\": [1]}"), "labels");
                refused(post(base.replace("/score", "/encode"), "{\"images\": " + images + ", \"labels\": [1, 2, 3]}"), "labels");
                refused(post(base, "{\"images\": " + images + ", \"iw\": 5}"), "iw");
                byte[] npy = Npy.f32Bytes(new float[2 * 784], 2, 784);
                refused(post(base + "?labels=1,2&iw=5", "application/x-npy", npy), "labels");
                refused(post(base + "?labels=1", "application/x-npy", npy), "labels");
                refused(post(base + "?iw=5", "application/x-npy", npy), "iw");
                assertTrue(post(base + "?iw=5", "application/x-npy", npy).body().contains(dev.nvae.analysis.Evaluator.IWAE_LABEL_FREE + ": give iw 0"));
            } finally {
                server.stop(Duration.ofSeconds(1));
            }
        }
    }

    private static void refused(HttpResponse<String> r, String field) throws Exception {
        assertEquals(400, r.statusCode(), r.body());
        JsonNode e = JSON.readTree(r.body());
        assertEquals(field, e.get("field").asText(), r.body());
        assertTrue(e.get("error").asText().contains("label-free"), r.body());
    }

    private static HttpResponse<String> post(String uri, String body) throws Exception {
        return post(uri, "application/json", body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> post(String uri, String type, byte[] body) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        return http.send(HttpRequest.newBuilder(URI.create(uri)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
