package dev.nvae.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * --compute-timeout: a request still computing at its deadline is stopped within a batch and answered 503, and its
 * lane serves the next request as before. One /score of an image with five million importance samples — five
 * million decodes, tens of seconds on one thread — held the only lane until it was done.
 */
class ComputeTimeoutTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Limits LIMITS = new Limits(1 << 20, 10, 10, 5_000_000, Duration.ofSeconds(10), 4, 16, Duration.ofSeconds(1));
    private static final String IMAGE = "[" + "0.25,".repeat(29) + "0.75]";

    @RegisterExtension
    static final SmallModel.Served SERVED = new SmallModel.Served(LIMITS);

    @Test
    void aRequestPastItsDeadlineIsCutOffAndTheLaneServesTheNextAsBefore() throws Exception {
        String small = "{\"images\": [" + IMAGE + ", " + IMAGE + "], \"labels\": [3, 4], \"iw\": 5, \"seed\": 2}";
        HttpResponse<String> before = post(small);
        assertEquals(200, before.statusCode(), before.body());

        long start = System.nanoTime();
        HttpResponse<String> heavy = post("{\"images\": [" + IMAGE + "], \"labels\": [3], \"iw\": 5000000}");
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(503, heavy.statusCode(), heavy.body());
        JsonNode e = JSON.readTree(heavy.body());
        assertEquals("compute", e.get("field").asText());
        assertTrue(e.get("error").asText().startsWith("compute: not done within --compute-timeout 1 s (waiting for a lane included)"), heavy.body());
        assertTrue(heavy.headers().firstValue("Retry-After").isEmpty(), "the same request would take as long again");
        // The whole work takes tens of seconds; cut off, the answer comes within a batch of the deadline.
        assertTrue(seconds < 15, "answered after " + seconds + " s");

        HttpResponse<String> after = post(small);
        assertEquals(200, after.statusCode(), after.body());
        assertEquals(before.body(), after.body(), "the same figures from the lane that was cut off");
        JsonNode health = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(SERVED.base() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertEquals(0, health.get("in_flight").asInt());
        JsonNode info = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(SERVED.base() + "/info")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertEquals(1, info.get("limits").get("compute_timeout_s").asInt());
    }

    private static HttpResponse<String> post(String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(SERVED.base() + "/score")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
