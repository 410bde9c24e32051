package dev.nvae.cli.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvae.api.ComputeBackend;
import dev.nvae.api.ModelOptions;
import dev.nvae.api.NvaeModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The request bodies the server holds at once are bounded across connections ({@link BodyMemory}): an audit's 30
 * connections each sending all but the last byte of a 16 MB body held 500 MB while /health said nothing was in
 * flight, and with a small heap the body readers ran out of memory. A body that does not fit is a 503 naming
 * {@code body}, with Retry-After; the bytes go back when the request ends.
 */
class BodyMemoryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void bodiesBeyondTheServersMemoryAre503UntilTheHeldOnesEnd() throws Exception {
        Path file = SmallModel.write(dir.resolve("m.safetensors"));
        BodyMemory memory = new BodyMemory(4096);
        Limits limits = new Limits(1 << 20, 10, 10, 10, Duration.ofSeconds(10), 4, 16);
        try (NvaeModel model = NvaeModel.open(file, ModelOptions.defaults().withBackend(ComputeBackend.VECTOR).withThreads(1))) {
            ModelServer server = ModelServer.start(model, new InetSocketAddress("127.0.0.1", 0), limits, memory, line -> { });
            String base = "http://127.0.0.1:" + server.address().getPort();
            try {
                String padded = encodeBody(1500);
                assertEquals(200, post(base, padded).statusCode(), "fits while nothing else is held");
                awaitEqual(0, memory::held, "returned when the request ended");

                // A client declares 3000 bytes and sends 100: the buffer for them (up to 64 KiB of a declared length is
                // made at once, the rest as it arrives) is held.
                try (Socket slow = new Socket("127.0.0.1", server.address().getPort())) {
                    OutputStream out = slow.getOutputStream();
                    out.write(("POST /encode HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 3000\r\n\r\n"
                            + " ".repeat(100)).getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    awaitEqual(3000, memory::held, "the buffer for the declared length");

                    HttpResponse<String> declared = post(base, padded);
                    assertEquals(503, declared.statusCode(), declared.body());
                    assertEquals("body", JSON.readTree(declared.body()).get("field").asText());
                    assertEquals("1", declared.headers().firstValue("Retry-After").orElse(null));
                    assertTrue(JSON.readTree(declared.body()).get("error").asText().startsWith(
                            "body: the server holds as many request bodies as it may (4096 bytes)"), declared.body());
                    // A chunked body (no declared length) is counted as it arrives.
                    HttpResponse<String> chunked = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/encode"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(padded.getBytes(StandardCharsets.US_ASCII))))
                            .build(), HttpResponse.BodyHandlers.ofString());
                    assertEquals(503, chunked.statusCode(), chunked.body());
                    assertEquals(200, post(base, encodeBody(200)).statusCode(), "a small body still fits beside the held one");
                }
                // The slow client gone, its request ends (400: cut short) and gives its room back.
                awaitEqual(0, memory::held, "returned when the cut-off request ended");
                assertEquals(200, post(base, padded).statusCode());
                awaitEqual(0, memory::held, "returned again");
            } finally {
                server.stop(Duration.ofSeconds(1));
            }
        }
    }

    @Test
    void theDefaultMemoryIsWhatTheAdmittedRequestsMayHoldCappedAtAQuarterOfTheHeap() {
        Limits limits = new Limits(16L << 20, 10, 10, 10, Duration.ofSeconds(10), 64, 256);
        assertEquals(66 * (16L << 20), BodyMemory.forLimits(limits, 2, 8L << 30).capacity(), "(lanes + queue) x max body");
        assertEquals(256L << 20, BodyMemory.forLimits(limits, 2, 1L << 30).capacity(), "a quarter of a 1 GiB heap");
        assertEquals(16L << 20, BodyMemory.forLimits(limits, 2, 16L << 20).capacity(), "always one body of the largest size");
        Limits huge = new Limits(Long.MAX_VALUE / 2, 10, 10, 10, Duration.ofSeconds(10), 64, 256);
        assertEquals(Long.MAX_VALUE / 2, BodyMemory.forLimits(huge, 2, 8L << 30).capacity(), "no overflow");
    }

    /** A JSON /encode body of one 6x5 image, padded with spaces to {@code bytes}. */
    private static String encodeBody(int bytes) {
        String json = "{\"images\": [[" + String.join(", ", java.util.Collections.nCopies(30, "0.5")) + "]]}";
        return json + " ".repeat(bytes - json.length());
    }

    private static HttpResponse<String> post(String base, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/encode")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitEqual(long want, LongSupplier value, String what) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (value.getAsLong() != want && System.nanoTime() < until) Thread.sleep(10);
        assertEquals(want, value.getAsLong(), what);
    }
}
