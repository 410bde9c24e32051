package dev.nvae.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvae.api.ComputeBackend;
import dev.nvae.api.ModelOptions;
import dev.nvae.api.NvaeModel;
import dev.nvae.io.StoredDtype;
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
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Classes and labels where a model has none to take (found by an audit): /info said nothing of a label-free model
 * (conditional and classifier true, classes "cluster k") and now says label_free; a vae's /sample took class 0 and
 * echoed class_index 0, where the CLI refuses any --class for a vae; a label-free model's /encode ignored labels
 * and a class, which its /score refuses — both now refuse them naming the field the client gave. /info also says
 * how the file stores the weights (weights_dtype).
 */
class ClassFieldsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Limits LIMITS = new Limits(1 << 20, 10, 10, 10, Duration.ofSeconds(10), 4, 16);
    private static final String IMAGES = "[[" + "0.5,".repeat(29) + "0.5], [" + "0.1,".repeat(29) + "0.1]]";

    @TempDir
    Path dir;

    @Test
    void aLabelFreeModelSaysSoAndTakesNoLabelsToEncode() throws Exception {
        ModelConfig c = new ModelConfig(ModelConfig.NVAE, ModelConfig.MLP, 6, 5, 10, 16, 12, 3, 2, 1, 1).asLabelFree(4);
        serve(write("free", c, ModelConfig.clusterNames(4)), base -> {
            assertTrue(JSON.readTree(get(base + "/info").body()).get("label_free").asBoolean());
            assertEquals(200, post(base + "/encode", "{\"images\": " + IMAGES + "}").statusCode());
            refused(post(base + "/encode", "{\"images\": " + IMAGES + ", \"labels\": [1, 2]}"), "labels", "label-free");
            refused(post(base + "/encode", "{\"images\": " + IMAGES + ", \"class\": 1}"), "class", "label-free");
            refused(post(base + "/score", "{\"images\": " + IMAGES + ", \"class\": 1}"), "class", "label-free");
        });
        ModelConfig labelled = new ModelConfig(ModelConfig.NVAE, ModelConfig.MLP, 6, 5, 10, 16, 12, 3, 2, 1, 1);
        serve(write("nvae", labelled, classes()), base -> assertFalse(JSON.readTree(get(base + "/info").body()).get("label_free").asBoolean()));
    }

    @Test
    void aVaeSamplesWithoutAClassAndRefusesOne() throws Exception {
        serve(write("vae", ModelConfig.baseline(ModelConfig.VAE, 6, 5, 10, 16, 12, 4, 1), classes()), base -> {
            HttpResponse<String> ok = post(base + "/sample", "{\"n\": 2}");
            assertEquals(200, ok.statusCode(), ok.body());
            JsonNode s = JSON.readTree(ok.body());
            assertNull(s.get("class_index"), ok.body());
            assertNull(s.get("class"), ok.body());
            refused(post(base + "/sample", "{\"class\": 0, \"n\": 2}"), "class", "no class");
            refused(post(base + "/sample", "{\"class\": \"class-3\"}"), "class", "no class");
        });
    }

    /**
     * A vae trained without labels has no classes: /info lists none, /sample draws without a class, /encode and /score
     * take images without labels (its iwae_nll needs none); a class or labels given are refused naming the field.
     * Its /score has no kl_y, the KL of a q(y|x) it lacks (found by an audit: it wrote "kl_y": 0.0).
     */
    @Test
    void aVaeOfNoClassesTakesNoClassAndNoLabels() throws Exception {
        serve(write("classless", ModelConfig.baseline(ModelConfig.VAE, 6, 5, 0, 16, 12, 3, 1), List.of()), base -> {
            assertEquals(0, JSON.readTree(get(base + "/info").body()).get("classes").size());
            HttpResponse<String> sample = post(base + "/sample", "{\"n\": 2}");
            assertEquals(200, sample.statusCode(), sample.body());
            refused(post(base + "/sample", "{\"n\": 2, \"class\": 0}"), "class", "a vae draws images of no class; leave class out");
            assertEquals(200, post(base + "/encode", "{\"images\": " + IMAGES + "}").statusCode());
            HttpResponse<String> scored = post(base + "/score", "{\"images\": " + IMAGES + ", \"iw\": 3}");
            assertEquals(200, scored.statusCode(), scored.body());
            assertEquals(2, JSON.readTree(scored.body()).get("unlabelled").asInt(), scored.body());
            assertFalse(JSON.readTree(scored.body()).has("kl_y"), "a vae has no q(y|x), as evaluate --json says: " + scored.body());
            assertTrue(JSON.readTree(scored.body()).get("iwae_nll").asDouble() > 0, scored.body());
            refused(post(base + "/score", "{\"images\": " + IMAGES + ", \"labels\": [0, 0]}"), "labels",
                    "this vae was trained without labels and has no classes; give its images no labels");
        });
    }

    /**
     * /info said nothing of how the file stores the weights: a file of bf16 weights (export --dtype bf16) read as one of
     * fp32, "precision": "fp32" beside weights rounded to bfloat16. weights_dtype now says, as evaluate and report do.
     */
    @Test
    void infoSaysHowTheFileStoresTheWeights() throws Exception {
        ModelConfig c = new ModelConfig(ModelConfig.NVAE, ModelConfig.MLP, 6, 5, 10, 16, 12, 3, 2, 1, 1);
        serve(write("fp32", c, classes()), base -> {
            JsonNode info = JSON.readTree(get(base + "/info").body());
            assertEquals("fp32", info.get("weights_dtype").asText(), info.toString());
            assertEquals("fp32", info.get("precision").asText(), info.toString());
        });
        serve(write("bf16", c, classes(), StoredDtype.BF16), base -> {
            JsonNode info = JSON.readTree(get(base + "/info").body());
            assertEquals("bf16", info.get("weights_dtype").asText(), info.toString());
            assertEquals("fp32", info.get("precision").asText(), "computed at fp32 on the widened weights: " + info);
        });
    }

    private Path write(String name, ModelConfig c, List<String> classes) {
        return write(name, c, classes, StoredDtype.F32);
    }

    private Path write(String name, ModelConfig c, List<String> classes, StoredDtype dtype) {
        Path file = dir.resolve(name + ".safetensors");
        try (LatentModel m = LatentModel.create(c)) {
            m.initialize(1);
            ModelFile.save(m, file, classes, Map.of(), dtype);
        }
        return file;
    }

    private static List<String> classes() {
        return IntStream.range(0, 10).mapToObj(k -> "class-" + k).toList();
    }

    private interface Requests {
        void run(String base) throws Exception;
    }

    private static void serve(Path file, Requests requests) throws Exception {
        try (NvaeModel model = NvaeModel.open(file, ModelOptions.defaults().withBackend(ComputeBackend.VECTOR).withThreads(1))) {
            ModelServer server = ModelServer.start(model, new InetSocketAddress("127.0.0.1", 0), LIMITS, line -> { });
            try {
                requests.run("http://127.0.0.1:" + server.address().getPort());
            } finally {
                server.stop(Duration.ofSeconds(1));
            }
        }
    }

    private static void refused(HttpResponse<String> r, String field, String mention) throws Exception {
        assertEquals(400, r.statusCode(), r.body());
        JsonNode e = JSON.readTree(r.body());
        assertEquals(field, e.get("field").asText(), r.body());
        assertTrue(e.get("error").asText().contains(mention), r.body());
    }

    private static HttpResponse<String> get(String uri) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(uri)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String uri, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(uri)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
