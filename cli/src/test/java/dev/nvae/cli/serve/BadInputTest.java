package dev.nvae.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input to the server, found by an API audit; each refused with its status and the field, and each value echoed
 * as the client wrote it.
 */
class BadInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** One client: each client keeps its connection open, and the server takes at most LIMITS' 16 at once. */
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Limits LIMITS = new Limits(1 << 20, 10, 10, 10, Duration.ofSeconds(10), 4, 16);

    @RegisterExtension
    static final SmallModel.Served SERVED = new SmallModel.Served(LIMITS);

    /** An explicit q=0 was dropped, so a wildcard after it took the refused type: "application/json;q=0, *{@code /}*" got JSON. */
    @Test
    void aTypeRefusedWithQZeroIsNotAnsweredThroughAWildcard() throws Exception {
        HttpResponse<byte[]> sample = HTTP.send(HttpRequest.newBuilder(URI.create(SERVED.base() + "/sample")).header("Content-Type", "application/json")
                .header("Accept", "application/json;q=0, */*").POST(HttpRequest.BodyPublishers.ofString("{\"class\": 0, \"n\": 2}")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, sample.statusCode());
        assertEquals("image/png", sample.headers().firstValue("Content-Type").orElse(null), "the next type /sample offers");
        HttpResponse<String> encode = HTTP.send(HttpRequest.newBuilder(URI.create(SERVED.base() + "/encode")).header("Content-Type", "application/json")
                .header("Accept", "application/*;q=0, */*").POST(HttpRequest.BodyPublishers.ofString("{\"images\": []}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(406, encode.statusCode(), "JSON is all /encode answers, and its range was refused: " + encode.body());
        HttpResponse<String> specific = HTTP.send(HttpRequest.newBuilder(URI.create(SERVED.base() + "/sample")).header("Content-Type", "application/json")
                .header("Accept", "application/*;q=0, application/json").POST(HttpRequest.BodyPublishers.ofString("{\"class\": 0, \"n\": 2}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("application/json", specific.headers().firstValue("Content-Type").orElse(null), "the more specific entry takes it");
    }

    /** The 404 repeated the client's whole path: a 20,000-character one came back in a 20,242-byte answer. */
    @Test
    void anUnknownPathIsRepeatedOnlyInPart() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(SERVED.base() + "/" + "a".repeat(20_000))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, r.statusCode());
        assertTrue(r.body().length() < 400, r.body());
        assertTrue(JSON.readTree(r.body()).get("error").asText().startsWith("path: no endpoint /aaaa"), r.body());
        assertTrue(r.body().contains("(20001 characters)"), r.body());
    }

    /**
     * An NPY body's image count is checked from its header, before its pixels are decoded (a 16 MB body of uint8 images
     * is 64 MB of floats): a header that declares 20,000 images is a 413, though the data that follows is cut short.
     */
    @Test
    void anNpyOfTooManyImagesIsRefusedFromItsHeader() throws Exception {
        byte[] whole = dev.nvae.io.Npy.f32Bytes(new float[11 * 30], 11, 30);
        HttpResponse<String> eleven = post("/encode", "application/x-npy", whole);
        assertEquals(413, eleven.statusCode(), eleven.body());
        assertEquals("images: 11 images are more than the limit of 10 in one call", JSON.readTree(eleven.body()).get("error").asText());
        byte[] header = dev.nvae.io.Npy.f32Bytes(new float[20_000 * 30], 20_000, 30);
        byte[] cut = java.util.Arrays.copyOf(header, 200);
        HttpResponse<String> declared = post("/score", "application/x-npy", cut);
        assertEquals(413, declared.statusCode(), declared.body());
        assertEquals("images: 20000 images are more than the limit of 10 in one call", JSON.readTree(declared.body()).get("error").asText());
        assertEquals(200, post("/encode", "application/x-npy", dev.nvae.io.Npy.f32Bytes(new float[2 * 30], 2, 30)).statusCode());
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

    /** An image value outside [0, 1] came back as Java renders a float: 1e999 as "Infinity", 2 as "2.0". */
    @Test
    void aRefusedImageValueIsEchoedAsWritten() throws Exception {
        refused(post("/encode", "{\"images\": [" + image("0.5", 29, "1e999") + "]}"), "images", "images: value 1e999 of image 0 is outside [0, 1]");
        refused(post("/score", "{\"images\": [" + image("0.5", 30, "0.5") + ", " + image("0.5", 5, "2") + "]}"), "images",
                "images: value 2 of image 1 is outside [0, 1]");
        refused(post("/encode", "{\"images\": [" + image("0.5", 29, "-1E-3") + "]}"), "images", "images: value -1E-3 of image 0 is outside [0, 1]");
    }

    /** A body of a content coding the server does not decode (gzip) was read as JSON: "malformed JSON ... CTRL-CHAR". */
    @Test
    void aCompressedBodyIs415NamingContentEncoding() throws Exception {
        java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
        try (var gz = new java.util.zip.GZIPOutputStream(zipped)) {
            gz.write("{\"class\": 0}".getBytes(StandardCharsets.UTF_8));
        }
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(SERVED.base() + "/sample"))
                .header("Content-Type", "application/json").header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(zipped.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(415, r.statusCode(), r.body());
        assertEquals("Content-Encoding", JSON.readTree(r.body()).get("field").asText(), r.body());
        assertEquals("identity", r.headers().firstValue("Accept-Encoding").orElse(null));
        HttpResponse<String> identity = HTTP.send(HttpRequest.newBuilder(URI.create(SERVED.base() + "/sample"))
                .header("Content-Type", "application/json").header("Content-Encoding", "identity")
                .POST(HttpRequest.BodyPublishers.ofString("{\"class\": 0}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, identity.statusCode(), identity.body());
    }

    /** A JSON body in the charset its Content-Type names is read in it: ISO-8859-1 was read as UTF-8 ("Invalid UTF-8 middle byte"). */
    @Test
    void aJsonBodyIsReadInItsDeclaredCharset() throws Exception {
        byte[] latin1 = "{\"class\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        HttpResponse<String> named = post("/sample", "application/json; charset=ISO-8859-1", latin1);
        assertEquals(400, named.statusCode(), named.body());
        assertTrue(JSON.readTree(named.body()).get("error").asText().startsWith("class: 'caf\u00e9' is not a class of this model"), named.body());
        byte[] utf16 = "{\"class\": 0}".getBytes(StandardCharsets.UTF_16);
        assertEquals(200, post("/sample", "application/json;charset=utf-16", utf16).statusCode());
        HttpResponse<String> unknown = post("/sample", "application/json; charset=klingon", "{}".getBytes(StandardCharsets.UTF_8));
        assertEquals(415, unknown.statusCode(), unknown.body());
        assertEquals("Content-Type", JSON.readTree(unknown.body()).get("field").asText(), unknown.body());
    }

    /**
     * A class index past an int's range was said to be no integer: "expected ... an index (an integer), got 99999999999";
     * then, like any index past the classes, a name: "'10' is not a class of this model".
     */
    @Test
    void aClassIndexPastAnIntIsNoClassOfTheModel() throws Exception {
        HttpResponse<String> r = post("/sample", "{\"class\": 99999999999}");
        assertEquals(400, r.statusCode(), r.body());
        String error = JSON.readTree(r.body()).get("error").asText();
        assertTrue(error.startsWith("class: 99999999999 is out of range: this model has classes 0.."), error);
        String ten = JSON.readTree(post("/sample", "{\"class\": 10}").body()).get("error").asText();
        assertTrue(ten.startsWith("class: 10 is out of range: this model has classes 0.."), ten);
    }

    /**
     * Malformed JSON is said without Jackson's advice to its programmer ("enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS`
     * to allow", "from `StreamReadConstraints.getMaxNestingDepth()`", "(CTRL-CHAR, code 31)", "was expecting (JSON String, ..."),
     * as nvae says a model file's malformed JSON (JsonText.reason).
     */
    @Test
    void malformedJsonIsSaidWithoutJacksonsInternals() throws Exception {
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("{\"class\": 0, \"sigma\": NaN}", "body: malformed JSON at line 1, column 26: Non-standard token 'NaN'");
        cases.put("{\"class\": 0} x", "body: malformed JSON at line 1, column 15: Unrecognized token 'x'");
        cases.put("{\"class\": " + "[".repeat(1001) + "]".repeat(1001) + "}",
                "body: malformed JSON: Document nesting depth (1001) exceeds the maximum allowed (1000)");
        cases.put("{\"class\": 0, \"sigma\": 1." + "0".repeat(1001) + "}", "body: malformed JSON: Number value length (1002) exceeds the maximum allowed (1000)");
        cases.put("{\"class\": \u001f0}", "body: malformed JSON at line 1, column 12: Illegal character (control character 31): only regular white space (\\r, \\n, \\t) is allowed between tokens");
        for (var c : cases.entrySet()) refused(post("/sample", c.getKey()), "body", c.getValue());
    }

    /**
     * A setting given in the query beside a JSON body was "unknown query parameter", though the same name is the query's
     * own for a PNG or NPY body: now the answer says where it goes.
     */
    @Test
    void aQuerySettingBesideAJsonBodyIsSaidToBelongInTheBody() throws Exception {
        String images = "{\"images\": [" + image("0.5", 29, "0.5") + "]}";
        refused(post("/score?iw=5", images), "iw", "iw: with a JSON body, give iw as a field of its object, not in the query");
        refused(post("/encode?labels=1", images), "labels", "labels: with a JSON body, give labels as a field of its object, not in the query");
        HttpResponse<String> unknown = post("/score?x=1", images);
        assertEquals(400, unknown.statusCode(), unknown.body());
        assertTrue(JSON.readTree(unknown.body()).get("error").asText().startsWith("x: unknown query parameter"), unknown.body());
    }

    /** Image values, a flat array of {@code count} values {@code v} and then {@code last}. */
    private static String image(String v, int count, String last) {
        return "[" + (v + ",").repeat(count) + last + "]";
    }

    private static void refused(HttpResponse<String> r, String field, String error) throws Exception {
        assertEquals(400, r.statusCode(), r.body());
        JsonNode e = JSON.readTree(r.body());
        assertEquals(field, e.get("field").asText(), r.body());
        assertEquals(error, e.get("error").asText(), r.body());
        assertEquals(400, e.get("status").asInt(), r.body());
    }

    private static HttpResponse<String> post(String path, String type, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(SERVED.base() + path)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(SERVED.base() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
