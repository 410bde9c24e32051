package dev.nvae.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code nvae serve} in a JVM of its own, as it runs: every bad request of the list — malformed JSON, wrong
 * types, an unknown class, n over the limit, a 100 MB body (declared, and chunked), a PNG of the wrong size,
 * a client that never finishes its body — answered with its status and one line of JSON naming the field,
 * and each followed by a good request the server still answers. Then SIGTERM with a request in flight:
 * the request completes, the process exits.
 */
class ServeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BODY_TIMEOUT_S = 2;

    @TempDir
    static Path dir;
    static ChildCli server;
    static int port;
    static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        Path model = dir.resolve("m.safetensors");
        assertEquals(0, Cli.trainSmall(model).exitCode());
        server = ChildCli.start(dir.resolve("logs"), "", "serve", "--model", model, "--port", 0, "--backend", "vector",
                "--lanes", 1, "--queue", 0, "--max-n", 100, "--max-images", 50, "--body-timeout", BODY_TIMEOUT_S);
        port = awaitPort();
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null && server.process().isAlive()) server.kill();
    }

    @Test
    void goodRequestsInEveryFormat() throws Exception {
        HttpResponse<byte[]> json = post("/sample", "application/json", "{\"class\": \"Sandal\", \"n\": 3, \"seed\": 7}");
        assertEquals(200, json.statusCode());
        JsonNode samples = JSON.readTree(json.body());
        assertEquals("Sandal", samples.get("class").asText());
        assertEquals(3, samples.get("images").size());
        assertEquals(784, samples.get("images").get(0).size());

        HttpResponse<byte[]> png = http.send(request("/sample").header("Accept", "image/png")
                .POST(HttpRequest.BodyPublishers.ofString("{\"class\": 5, \"n\": 16}")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, png.statusCode());
        assertEquals("image/png", png.headers().firstValue("Content-Type").orElseThrow());
        BufferedImage grid = ImageIO.read(new ByteArrayInputStream(png.body()));
        assertEquals(2 + 10 * (56 + 2), grid.getWidth());

        HttpResponse<byte[]> npy = http.send(request("/sample").header("Accept", "application/x-npy")
                .POST(HttpRequest.BodyPublishers.ofString("{\"class\": \"Sandal\", \"n\": 3, \"seed\": 7}")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, npy.statusCode());
        assertEquals(128 + 3 * 784 * 4, npy.body().length);
        // The JSON and NPY answers of one request hold the same floats.
        float first = java.nio.ByteBuffer.wrap(npy.body(), 128, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getFloat();
        assertEquals(samples.get("images").get(0).get(0).floatValue(), first);

        HttpResponse<byte[]> enc = post("/encode", "image/png", png(28, 28));
        assertEquals(200, enc.statusCode(), new String(enc.body()));
        assertEquals(10, JSON.readTree(enc.body()).get("probabilities").get(0).size());
        String images = "{\"images\": [" + "[" + "0.5,".repeat(783) + "0.5]," + "[" + "0.1,".repeat(783) + "0.1]" + "], \"labels\": [1, 2], \"iw\": 5}";
        JsonNode score = JSON.readTree(post("/score", "application/json", images).body());
        assertEquals(2, score.get("examples").asInt());
        assertTrue(score.get("iwae_nll").asDouble() > 0);

        JsonNode info = JSON.readTree(get("/info").body());
        assertEquals("nvae", info.get("family").asText());
        assertEquals(100, info.get("limits").get("max_n").asInt());
        assertEquals(256, info.get("limits").get("max_connections").asInt(), "the default");
        assertTrue(info.get("limits").get("body_memory_bytes").asLong() >= 16L << 20, "room for one body of --max-body at least");
    }

    /** Accept's weights count: q=0 refuses a type (JSON came back to a client that said so), a higher q is preferred. */
    @Test
    void acceptWeightsChooseTheFormat() throws Exception {
        String body = "{\"class\": 1, \"n\": 1}";
        HttpResponse<byte[]> png = http.send(request("/sample").header("Accept", "application/json;q=0, image/png")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, png.statusCode());
        assertEquals("image/png", png.headers().firstValue("Content-Type").orElseThrow());
        HttpResponse<byte[]> npy = http.send(request("/sample").header("Accept", "application/json;q=0.5, application/x-npy")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals("application/x-npy", npy.headers().firstValue("Content-Type").orElseThrow());
        expect(406, "Accept", http.send(request("/sample").header("Accept", "application/json;q=0")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofByteArray()));
    }

    /** An Accept of parameters alone names no type: 406, as any Accept this server cannot meet (it was a 500). */
    @Test
    void anAcceptOfNoTypeIs406() throws Exception {
        for (String accept : List.of(";", "text/html, ;;")) {
            expect(406, "Accept", http.send(request("/sample").header("Accept", accept).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"class\": 1}")).build(), HttpResponse.BodyHandlers.ofByteArray()));
        }
    }

    /** An empty label is malformed wherever it is in ?labels=: at the end it was dropped and the rest scored. */
    @Test
    void anEmptyLabelInTheQueryIs400() throws Exception {
        for (String labels : List.of("5,", "5,,", ",5", "5,,5")) {
            expect(400, "labels", post("/score?labels=" + labels, "image/png", png(28, 28)));
        }
        assertEquals(200, post("/score?labels=5", "image/png", png(28, 28)).statusCode());
    }

    /** Accept given in two header lines is one list (RFC 9110 §5.3): the second line's type was not read, and 406 came back. */
    @Test
    void acceptInTwoHeaderLinesIsOneList() throws Exception {
        HttpResponse<byte[]> png = http.send(request("/sample").header("Accept", "text/html").header("Accept", "image/png")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"class\": 1, \"n\": 1}")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, png.statusCode(), new String(png.body(), StandardCharsets.UTF_8));
        assertEquals("image/png", png.headers().firstValue("Content-Type").orElseThrow());
    }

    /** HEAD is served wherever GET is (it was 405, with two JDK warnings per request in the log). */
    @Test
    void headIsGetWithoutTheBody() throws Exception {
        HttpResponse<byte[]> got = get("/health");
        HttpResponse<byte[]> head = http.send(request("/health").method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, head.statusCode());
        assertEquals(0, head.body().length);
        assertEquals(got.headers().firstValue("Content-Type"), head.headers().firstValue("Content-Type"));
        assertEquals(String.valueOf(got.body().length), head.headers().firstValue("Content-Length").orElseThrow());
        HttpResponse<byte[]> post = http.send(request("/sample").method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(405, post.statusCode());
        assertEquals("POST", post.headers().firstValue("Allow").orElseThrow());
    }

    /** A name the client sent is repeated in the error only in part: 300 KB of one came back twice. */
    @Test
    void aLongNameIsNotSentBackWhole() throws Exception {
        HttpResponse<byte[]> echoed = get("/health?" + "a".repeat(300_000));
        assertEquals(400, echoed.statusCode());
        assertTrue(echoed.body().length < 1000, echoed.body().length + " bytes");
        HttpResponse<byte[]> named = post("/sample", "application/json", "{\"class\": \"" + "b".repeat(100_000) + "\"}");
        assertEquals(400, named.statusCode());
        assertTrue(named.body().length < 2000, named.body().length + " bytes");
    }

    @Test
    void badRequestsGetTheirStatusAndOneLineOfJsonAndTheServerServesOn() throws Exception {
        expect(400, "body", post("/sample", "application/json", "{\"class\": \"Sandal\", \"n\": "));
        expect(400, "n", post("/sample", "application/json", "{\"class\": \"Sandal\", \"n\": \"16\"}"));
        expect(400, "sigma", post("/sample", "application/json", "{\"class\": \"Sandal\", \"sigma\": \"wide\"}"));
        expect(400, "class", post("/sample", "application/json", "{\"class\": true}"));
        // A null is no value: {"n": null} drew the default one image, {"class": null} was called missing.
        expect(400, "n", post("/sample", "application/json", "{\"class\": \"Sandal\", \"n\": null}"));
        expect(400, "class", post("/sample", "application/json", "{\"class\": null}"));
        expect(400, "class", post("/sample", "application/json", "{\"class\": \"Sandle\", \"n\": 2}"));
        expect(400, "n", post("/sample", "application/json", "{\"class\": \"Sandal\", \"n\": 101}"));
        expect(400, "nn", post("/sample", "application/json", "{\"class\": \"Sandal\", \"nn\": 1}"));
        expect(400, "images", post("/encode", "image/png", png(32, 32)));
        expect(400, "images", post("/encode", "image/png", "not a png".getBytes()));
        expect(413, "images", post("/encode", "application/json", "{\"images\": [" + "[0.5],".repeat(50) + "[0.5]]}"));
        // Without labels an N-VAE scores an image by the bound summed over its classes; iwae_nll needs the class.
        expect(400, "iw", post("/score?iw=5", "image/png", png(28, 28)));
        expect(400, "labels", post("/score?labels=12", "image/png", png(28, 28)));
        expect(404, "path", get("/samples"));
        expect(405, "method", get("/sample"));
        expect(406, "Accept", http.send(request("/sample").header("Accept", "text/html")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofByteArray()));
        expect(415, "Content-Type", post("/encode", "image/jpeg", new byte[10]));
    }

    @Test
    void aHundredMegabyteBodyIs413WhetherDeclaredOrChunked() throws Exception {
        long size = 100L << 20;
        // Declared: refused by its Content-Length before a byte is read; the client keeps writing meanwhile.
        String declared = rawExchange("POST /sample HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                + size + "\r\n\r\n", size, Duration.ZERO);
        expectRaw(413, "body", declared);
        // Chunked: read up to the limit, then refused; the rest is read and dropped so the client sees the answer.
        HttpResponse<byte[]> chunked = http.send(request("/sample").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ZeroStream(size))).build(), HttpResponse.BodyHandlers.ofByteArray());
        expect(413, "body", chunked);
    }

    @Test
    void aClientThatNeverFinishesItsBodyGets408() throws Exception {
        long start = System.nanoTime();
        String answer = rawExchange("POST /sample HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"class\": ",
                0, Duration.ofSeconds(60));
        double seconds = (System.nanoTime() - start) / 1e9;
        expectRaw(408, "body", answer);
        assertTrue(seconds >= BODY_TIMEOUT_S - 0.1 && seconds < BODY_TIMEOUT_S + 10, "answered after " + seconds + " s");
        assertEquals(200, post("/sample", "application/json", "{\"class\": 1}").statusCode());
    }

    @Test
    void aFullQueueIs503() throws Exception {
        // One lane, no queue: while a long request computes, the next one is refused at once.
        CompletableFuture<HttpResponse<byte[]>> slow = heavyScoreInFlight(port, 50);
        HttpResponse<byte[]> refused = post("/sample", "application/json", "{\"class\": 1}");
        expect(503, "queue", refused);
        assertEquals("1", refused.headers().firstValue("Retry-After").orElseThrow());
        HttpResponse<byte[]> done = slow.get(120, TimeUnit.SECONDS);
        assertEquals(200, done.statusCode(), new String(done.body()));
        assertEquals(200, post("/sample", "application/json", "{\"class\": 1}").statusCode());
    }

    /**
     * With a server of its own, which it stops. A chunked body the client cut off first: its exchange must not
     * stay counted as open, or the stop would wait out the whole grace period for it.
     */
    @Test
    void sigtermLetsTheRequestInFlightFinish() throws Exception {
        Path model = dir.resolve("m.safetensors");
        int grace = 120;
        // As ./nvae runs it: with a stderr filter to wait for, which makes the JVM close its stderr as it exits
        // (pid 1 stands in for the filter) — the server's last lines must be out before that.
        ChildCli own = ChildCli.start(dir.resolve("logs"), "export JAVA_TOOL_OPTIONS=-Dnvae.stderr.filter=1", "serve", "--model", model,
                "--port", 0, "--backend", "vector", "--lanes", 1, "--shutdown-grace", grace);
        int ownPort = awaitPort(own);
        try (Socket cut = new Socket("127.0.0.1", ownPort)) {
            cut.getOutputStream().write(("POST /sample HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n100\r\n{\"class\": ").getBytes(StandardCharsets.US_ASCII));
            cut.getOutputStream().flush();
        }
        waitForLine(own, "\"POST /sample\" 400", true);
        CompletableFuture<HttpResponse<byte[]>> inFlight = heavyScoreInFlight(ownPort, 20);
        long sigterm = System.nanoTime();
        own.process().destroy();  // SIGTERM
        HttpResponse<byte[]> r = inFlight.get(120, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode(), new String(r.body()));
        ChildCli.Result result = own.await();
        double stopSeconds = (System.nanoTime() - sigterm) / 1e9;
        assertTrue(stopSeconds < grace / 2.0, "stopped " + stopSeconds + " s after SIGTERM: it waited for a closed exchange");
        assertTrue(result.err().contains("nvae serve: stopping; letting 1 request in flight finish"), result.err());
        assertTrue(result.err().contains("nvae serve: stopped"), result.err());
        assertTrue(result.err().lines().anyMatch(l -> l.contains("\"POST /score\" 200")), result.err());
    }

    /**
     * --shutdown-grace bounds the stop: a request still computing when it runs out is cut off, and the process ends
     * then (closing the model waited for the request's whole work: 2 s of grace, 16.7 s to stop).
     */
    @Test
    void aRequestStillComputingWhenTheGraceRunsOutIsCutOff() throws Exception {
        ChildCli own = ChildCli.start(dir.resolve("logs-grace"), "", "serve", "--model", dir.resolve("m.safetensors"),
                "--port", 0, "--backend", "vector", "--lanes", 1, "--shutdown-grace", 1, "--max-images", 1000);
        int ownPort = awaitPort(own);
        // 1,000 images x 1,000 importance samples: far longer than the grace and the 5 s the server gives its handlers.
        CompletableFuture<HttpResponse<byte[]>> inFlight = heavyScoreInFlight(ownPort, 1000);
        long sigterm = System.nanoTime();
        own.process().destroy();  // SIGTERM
        ChildCli.Result result = own.await();
        double stopSeconds = (System.nanoTime() - sigterm) / 1e9;
        assertEquals(143, result.exitCode(), result.err());
        assertTrue(result.err().contains("nvae serve: 1 request was still computing when the grace ran out, cut off without an answer"),
                result.err());
        assertTrue(result.err().contains("nvae serve: stopped"), result.err());
        assertTrue(stopSeconds < 1 + 5 + 4, "stopped " + stopSeconds + " s after SIGTERM, with 1 s of grace");
        assertThrows(java.util.concurrent.ExecutionException.class, () -> inFlight.get(30, TimeUnit.SECONDS), "no answer");
    }

    /**
     * Connections left open without a request do not lock new clients out. As many sockets as --max-connections, opened
     * and left silent, refused every new client for 35 s, and as many keep-alive connections left open after a request
     * for 39 s (the JDK server's idle defaults: 30 s, looked at every 10 s); now idle ones close after 5 s, and past half
     * the connections a keep-alive one is closed after its answer.
     */
    @Test
    void connectionsLeftIdleDoNotLockNewClientsOut() throws Exception {
        ChildCli own = ChildCli.start(dir.resolve("logs-idle"), "", "serve", "--model", dir.resolve("m.safetensors"), "--port", 0,
                "--backend", "vector", "--lanes", 1, "--max-connections", 2);
        try {
            int ownPort = awaitPort(own);
            HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ownPort + "/health")).timeout(Duration.ofSeconds(2)).build();
            try (Socket a = new Socket("127.0.0.1", ownPort); Socket b = new Socket("127.0.0.1", ownPort)) {
                long start = System.nanoTime();
                HttpResponse<byte[]> served = null;
                while (served == null && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(60)) {
                    try (HttpClient fresh = HttpClient.newHttpClient()) {
                        served = fresh.send(health, HttpResponse.BodyHandlers.ofByteArray());
                    } catch (IOException refused) {
                        Thread.sleep(250);
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                assertTrue(served != null && served.statusCode() == 200, "not served in 60 s");
                assertTrue(seconds < 15, "served " + seconds + " s after two silent connections took both places");
            }
            try (Socket first = answeredKeepAlive(ownPort); Socket second = answeredKeepAlive(ownPort)) {
                // Closed after its answer where the server has already counted the first as idle; where it has not yet (its
                // selector thread adds an idle connection after the answer is written: CI saw this once), at the 5 s idle
                // timeout, looked at every second. The JDK's defaults kept it 30 s and more.
                second.setSoTimeout(10_000);
                assertEquals(-1, second.getInputStream().read(), "the second idle connection is closed");
                try (HttpClient fresh = HttpClient.newHttpClient()) {
                    assertEquals(200, fresh.send(health, HttpResponse.BodyHandlers.ofByteArray()).statusCode(), "a new client is served");
                }
            }
        } finally {
            own.kill();
        }
    }

    /**
     * A socket whose GET /health was answered 200 and kept alive. Tried again for a while: the server counts a connection a
     * client has just closed until its selector sees the close, and closes a new one at once while the count is full.
     */
    private static Socket answeredKeepAlive(int port) throws Exception {
        for (int attempt = 0; ; attempt++) {
            Socket s = new Socket("127.0.0.1", port);
            String answer;
            try {
                answer = keepAliveHealth(s);
            } catch (IOException reset) {
                answer = "";
            }
            if (answer.startsWith("HTTP/1.1 200")) return s;
            s.close();
            if (attempt == 50) throw new AssertionError("no keep-alive answer in 50 tries: " + answer);
            Thread.sleep(200);
        }
    }

    /** GET /health on {@code s}, kept alive; returns the answer, read to its declared length. */
    private static String keepAliveHealth(Socket s) throws IOException {
        s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        s.setSoTimeout(10_000);
        return readAnswer(s.getInputStream()).toString(StandardCharsets.US_ASCII);
    }

    /** One HTTP answer from {@code in}: its headers, then Content-Length bytes (the server may keep the socket open a while). */
    private static ByteArrayOutputStream readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (true) {
            int n = in.read(buf);
            if (n < 0) break;
            got.write(buf, 0, n);
            String text = got.toString(StandardCharsets.US_ASCII);
            int end = text.indexOf("\r\n\r\n");
            Matcher m = Pattern.compile("(?i)content-length: *(\\d+)").matcher(text);
            if (end >= 0 && m.find() && got.size() >= end + 4 + Integer.parseInt(m.group(1))) break;
        }
        return got;
    }

    /**
     * --threads above the processors is capped to them with a warning, as every command caps it: serve took any number
     * (64 on 2 cores made every lane 64 workers taking turns, and /info said 64).
     */
    @Test
    void threadsAboveTheProcessorsAreCappedWithAWarning() throws Exception {
        int processors = Runtime.getRuntime().availableProcessors();
        ChildCli own = ChildCli.start(dir.resolve("logs-threads"), "", "serve", "--model", dir.resolve("m.safetensors"), "--port", 0,
                "--backend", "vector", "--lanes", 1, "--threads", processors + 62);
        try {
            int ownPort = awaitPort(own);
            assertEquals("warning: --threads " + (processors + 62) + " is more than the " + processors + " processors available; using "
                    + processors, waitForLine(own, "--threads", true));
            // Counted in words: it said "1 lane(s) x 2 thread(s)".
            assertTrue(waitForLine(own, "nvae serve: listening on", true).endsWith("; backend vector, 1 lane x "
                    + (processors == 1 ? "1 thread" : processors + " threads") + ")"), own.toString());
            HttpResponse<byte[]> info = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ownPort + "/info")).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(processors, JSON.readTree(info.body()).get("threads").asInt(), new String(info.body()));
        } finally {
            own.kill();
        }
    }

    /** A /score of {@code images} grey 28x28 images at 1,000 importance samples each, sent and seen in flight. */
    private static CompletableFuture<HttpResponse<byte[]>> heavyScoreInFlight(int port, int images) throws Exception {
        String image = "[" + "0.5,".repeat(783) + "0.5]";
        String body = "{\"images\": [" + String.join(",", java.util.Collections.nCopies(images, image)) + "], \"class\": 1, \"iw\": 1000}";
        CompletableFuture<HttpResponse<byte[]>> r = http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/score"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        awaitInFlight(port, r);
        return r;
    }

    /** Until /health counts a request computing or waiting for a lane: {@code request} is in flight. */
    private static void awaitInFlight(int port, CompletableFuture<HttpResponse<byte[]>> request) throws Exception {
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build();
        for (int i = 0; i < 12_000; i++) {
            if (JSON.readTree(http.send(health, HttpResponse.BodyHandlers.ofByteArray()).body()).get("in_flight").asInt() > 0) return;
            if (request.isDone()) throw new AssertionError("finished before it was seen in flight: " + new String(request.get().body()));
            Thread.sleep(5);
        }
        throw new AssertionError("not in flight after 60 s");
    }

    private static void expect(int status, String field, HttpResponse<byte[]> r) throws Exception {
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertEquals(status, r.statusCode(), body);
        assertOneLineError(status, field, body);
        // ... and the server still serves.
        assertEquals(200, get("/health").statusCode());
    }

    private static void expectRaw(int status, String field, String response) throws Exception {
        assertTrue(response.startsWith("HTTP/1.1 " + status + " "), response);
        assertTrue(response.toLowerCase().contains("connection: close"), response);
        assertOneLineError(status, field, response.substring(response.indexOf("\r\n\r\n") + 4));
        assertEquals(200, get("/health").statusCode());
    }

    private static void assertOneLineError(int status, String field, String body) throws IOException {
        assertTrue(body.endsWith("\n") && body.indexOf('\n') == body.length() - 1, "not one line: " + body);
        JsonNode e = JSON.readTree(body);
        assertEquals(field, e.get("field").asText(), body);
        assertEquals(status, e.get("status").asInt(), body);
        assertTrue(e.get("error").asText().startsWith(field + ": "), body);
    }

    /**
     * Writes {@code head}, then {@code bodyBytes} zero bytes on another thread (stopping quietly when the server
     * closes), and returns everything the server answers until it closes; {@code hold} keeps the socket open
     * without sending more (a slow client).
     */
    private static String rawExchange(String head, long bodyBytes, Duration hold) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread writer = Thread.ofPlatform().start(() -> {
                byte[] zeros = new byte[64 << 10];
                try {
                    for (long sent = 0; sent < bodyBytes; sent += zeros.length) out.write(zeros, 0, (int) Math.min(zeros.length, bodyBytes - sent));
                    out.flush();
                } catch (IOException closedByServer) {
                    // expected once the server has answered and closed
                }
            });
            ByteArrayOutputStream got = readAnswer(s.getInputStream());
            writer.join(hold.isZero() ? 30_000 : 1);
            return got.toString(StandardCharsets.UTF_8);
        }
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(120));
    }

    private static HttpResponse<byte[]> get(String path) throws Exception {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<byte[]> post(String path, String type, String body) throws Exception {
        return post(path, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<byte[]> post(String path, String type, byte[] body) throws Exception {
        return http.send(request(path).header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] png(int height, int width) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY), "png", out);
        return out.toByteArray();
    }

    private static int awaitPort() throws Exception {
        return awaitPort(server);
    }

    private static int awaitPort(ChildCli child) throws Exception {
        String line = waitForLine(child, "nvae serve: listening on", true);
        Matcher m = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/").matcher(line);
        assertTrue(m.find(), line);
        return Integer.parseInt(m.group(1));
    }

    /** Waits (up to 120 s) for a stderr line containing {@code text}; fails if the child exits first and {@code mustLive}. */
    private static String waitForLine(ChildCli child, String text, boolean mustLive) throws Exception {
        for (int i = 0; i < 1200; i++) {
            String err = Files.readString(child.stderrFile());
            for (String line : err.lines().toList()) if (line.contains(text)) return line;
            if (mustLive && !child.process().isAlive()) throw new AssertionError("server exited: " + err);
            Thread.sleep(100);
        }
        throw new AssertionError("no line with '" + text + "' in 120 s: " + Files.readString(child.stderrFile()));
    }

    /** {@code size} zero bytes, produced as read. */
    private static final class ZeroStream extends InputStream {
        private long left;

        ZeroStream(long size) {
            left = size;
        }

        @Override
        public int read() {
            if (left <= 0) return -1;
            left--;
            return 0;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) return -1;
            int n = (int) Math.min(len, left);
            java.util.Arrays.fill(b, off, off + n, (byte) 0);
            left -= n;
            return n;
        }
    }
}
