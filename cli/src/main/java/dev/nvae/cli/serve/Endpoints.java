package dev.nvae.cli.serve;

import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.nvae.api.Encodings;
import dev.nvae.api.Images;
import dev.nvae.api.InvalidRequestException;
import dev.nvae.api.ModelException;
import dev.nvae.api.ModelInfo;
import dev.nvae.api.NvaeModel;
import dev.nvae.api.SampleRequest;
import dev.nvae.api.Scores;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The server's endpoints, over the public API ({@link NvaeModel}) alone:
 * <ul>
 *   <li>{@code POST /sample} — JSON {@code {"class": name or index, "n": 16, "sigma": 1.0, "seed": 0}}; answers a
 *       PNG grid, an NPY array or JSON arrays, by {@code Accept}.</li>
 *   <li>{@code POST /encode}, {@code POST /score} — images as JSON ({@code {"images": [...], "labels": [...]}}),
 *       one PNG or an NPY array (labels then as {@code ?labels=1,2} or {@code ?class=Sandal}); JSON answers.</li>
 *   <li>{@code GET /info}; {@code GET /health}, with the requests computing or waiting for a lane now.</li>
 * </ul>
 * Every error is a status and a one-line JSON object naming the field; every request gets an access log line.
 */
final class Endpoints implements HttpHandler {
    private static final Set<String> SAMPLE_FIELDS = Set.of("class", "n", "sigma", "seed");
    private static final Set<String> ENCODE_FIELDS = Set.of("images", "labels", "class");
    private static final Set<String> SCORE_FIELDS = Set.of("images", "labels", "class", "iw", "seed");

    private final NvaeModel model;
    private final ModelInfo info;
    private final Limits limits;
    private final ComputeQueue compute;
    private final BodyMemory bodies;
    private final Consumer<String> accessLog;

    Endpoints(NvaeModel model, Limits limits, ComputeQueue compute, BodyMemory bodies, Consumer<String> accessLog) {
        this.bodies = bodies;
        this.model = model;
        this.info = model.info();
        this.limits = limits;
        this.compute = compute;
        this.accessLog = accessLog;
    }

    @Override
    public void handle(HttpExchange exchange) {
        Call call = new Call(exchange);
        try {
            route(call);
        } catch (HttpError e) {
            fail(call, e);
        } catch (InvalidRequestException e) {
            fail(call, new HttpError(400, e.field(), reason(e)));
        } catch (IllegalStateException e) {  // the model is closed (or a wait for a lane cancelled): stopping
            fail(call, new HttpError(503, "model", "the server is stopping"));
        } catch (ModelException e) {
            // The library could not compute this request's answer from the model (its outputs overflow on these
            // inputs): the request was valid and the server works, so the reason goes out and to the log, no trace.
            System.err.println("nvae serve: " + call.method() + " " + call.path() + ": " + e.getMessage());
            fail(call, new HttpError(500, "model", e.getMessage()));
        } catch (RuntimeException | Error e) {
            System.err.println("nvae serve: internal error on " + call.method() + " " + call.path() + ": " + e);
            e.printStackTrace();
            fail(call, new HttpError(500, "server", "internal error: " + e.getClass().getSimpleName()));
        } finally {
            call.releaseBody();
            accessLog.accept(call.accessLogLine());
        }
    }

    private void route(Call call) {
        String path = call.path();
        switch (path) {
            case "/health" -> {
                requireMethod(call, "GET");
                call.query(Set.of());
                call.respond(200, Call.JSON, json(g -> {
                    g.writeStringField("status", "ok");
                    g.writeNumberField("in_flight", compute.inFlight());
                }));
            }
            case "/info" -> {
                requireMethod(call, "GET");
                call.query(Set.of());
                call.respond(200, Call.JSON, json(this::writeInfo));
            }
            case "/sample" -> {
                requireMethod(call, "POST");
                sample(call);
            }
            case "/encode" -> {
                requireMethod(call, "POST");
                encode(call);
            }
            case "/score" -> {
                requireMethod(call, "POST");
                score(call);
            }
            // The path is the client's text, repeated in the answer: only its start (a 20,000-character one came back whole).
            default -> throw new HttpError(404, "path", "no endpoint " + HttpError.capped(path)
                    + "; there are POST /sample, /encode, /score and GET /info, /health");
        }
    }

    private void sample(Call call) {
        call.query(Set.of());
        String type = call.contentType();
        if (!isJson(type)) throw new HttpError(415, "Content-Type", "/sample takes a JSON object (application/json), not " + type);
        String format = negotiate(call, List.of(Call.JSON, Call.PNG, Call.NPY));
        JsonRequest r = JsonRequest.parse(jsonBody(call), SAMPLE_FIELDS, 0);
        int n = (int) r.integer("n", 1, 1, limits.maxSamples());
        String cls = r.classRef("class");
        if (cls == null && info.conditional()) {
            throw new HttpError(400, "class", "required: a class name (" + String.join(", ", info.classNames()) + ") or an index");
        }
        // The API takes class 0 for "no class"; here absence says it, and a class given would be ignored.
        if (cls != null && !info.conditional()) {
            throw new HttpError(400, "class", "a " + info.family() + " draws images of no class; leave class out");
        }
        int classIndex = cls == null ? 0 : model.classIndex(cls);
        double sigma = r.number("sigma", 1.0);
        SampleRequest request;
        try {
            request = new SampleRequest(classIndex, n, sigma, r.integer("seed", 0, Long.MIN_VALUE, Long.MAX_VALUE));
        } catch (InvalidRequestException e) {
            throw r.asTyped(e);  // "sigma: 0", not Java's "sigma: 0.0"
        }
        byte[] answer = compute.run(() -> switch (format) {
            case Call.PNG -> model.samplePng(request);
            case Call.NPY -> model.sampleNpy(request);
            default -> samplesJson(request, model.sample(request));
        });
        call.respond(200, format, answer);
    }

    private void encode(Call call) {
        negotiate(call, List.of(Call.JSON));
        Map<String, String> query = query(call, Set.of("labels", "class"));
        Input in = input(call, ENCODE_FIELDS, query);
        Encodings e = in.compute(compute, () -> model.encode(in.images));
        call.respond(200, Call.JSON, json(g -> writeEncodings(g, e)));
    }

    private void score(Call call) {
        negotiate(call, List.of(Call.JSON));
        Map<String, String> query = query(call, Set.of("labels", "class", "iw", "seed"));
        Input in = input(call, SCORE_FIELDS, query);
        int iw = (int) in.integer("iw", 0, 0, limits.maxImportance());
        long seed = in.integer("seed", 0, Long.MIN_VALUE, Long.MAX_VALUE);
        Scores s = in.compute(compute, () -> model.score(in.images, iw, seed));
        call.respond(200, Call.JSON, json(g -> {
            g.writeNumberField("examples", s.count());
            g.writeNumberField("neg_elbo", s.negElbo());
            g.writeNumberField("rec", s.reconstruction());
            g.writeNumberField("kl_s", s.klShared());
            g.writeNumberField("kl_c", s.klClass());
            g.writeNumberField("ce", s.crossEntropy());
            finiteOrNull(g, "accuracy", s.accuracy());
            if (s.unlabelled() > 0) { // images without labels: neg_elbo is rec + kl_s + kl_c + kl_y, as evaluate --json says
                g.writeNumberField("unlabelled", s.unlabelled());
                // A vae has no q(y|x), so no kl_y term (evaluate --json leaves it out too).
                if (info.classifier()) g.writeNumberField("kl_y", s.klY());
            }
            if (iw > 0) {
                g.writeNumberField("iwae_nll", s.iwaeNll());
                g.writeNumberField("iw_samples", iw);
            }
        }));
    }

    /**
     * Images (and their labels) from a JSON, PNG or NPY body; the other fields from JSON or the query.
     * {@code labelsField} is the field the labels came from: {@code labels}, or {@code class} for one class for all.
     */
    private record Input(Images images, JsonRequest json, Map<String, String> query, String labelsField) {
        /** Computes; a refusal of the labels names the field the client gave them in (class became labels here). */
        <T> T compute(ComputeQueue queue, java.util.function.Supplier<T> work) {
            try {
                return queue.run(work);
            } catch (InvalidRequestException e) {
                if (!e.field().equals("labels") || labelsField.equals("labels")) throw e;
                throw new HttpError(400, labelsField, reason(e));
            }
        }

        long integer(String name, long fallback, long min, long max) {
            if (json != null) return json.integer(name, fallback, min, max);
            String v = query.get(name);
            if (v == null) return fallback;
            long x;
            try {
                x = Long.parseLong(v.strip());
            } catch (NumberFormatException e) {
                throw new HttpError(400, name, "expected an integer, got '" + v + "'");
            }
            if (x < min) throw new HttpError(400, name, x + " is below the minimum of " + min);
            if (x > max) throw new HttpError(400, name, x + " is above the limit of " + max);
            return x;
        }
    }

    /**
     * The query's settings for a PNG or NPY body ({@code settings}); a JSON body gives them as fields, and one in the query
     * is a 400 that says so (it was "unknown query parameter", though the name is the query's own for an image body).
     */
    private static Map<String, String> query(Call call, Set<String> settings) {
        Map<String, String> query = call.query(settings);
        if (isJson(call.contentType()) && !query.isEmpty()) {
            String name = query.keySet().iterator().next();
            throw new HttpError(400, name, "with a JSON body, give " + name + " as a field of its object, not in the query");
        }
        return query;
    }

    private Input input(Call call, Set<String> fields, Map<String, String> query) {
        String type = call.contentType();
        Images images;
        JsonRequest json = null;
        int[] labels;
        String cls;
        switch (isJson(type) ? Call.JSON : type) {
            case Call.JSON -> {
                json = JsonRequest.parse(jsonBody(call), fields, limits.maxImages());
                if (!json.hasImages()) throw new HttpError(400, "images", "required: an array of images, each an array of pixel values in [0, 1]");
                images = Images.ofFloats(json.images(), json.imageCount(), json.imageChannels(), json.imageHeight(), json.imageWidth());
                labels = json.integers("labels");
                cls = json.classRef("class");
            }
            case Call.PNG -> {
                images = model.fromPng(body(call));
                labels = labelsFromQuery(query.get("labels"));
                cls = query.get("class");
            }
            case Call.NPY, "application/octet-stream" -> {
                byte[] npy = body(call);
                long declared = Images.npyImageCount(npy);  // before decoding: a 16 MB body of uint8 is 64 MB of floats
                if (declared > limits.maxImages()) throw tooManyImages(declared);
                images = Images.fromNpy(npy);
                labels = labelsFromQuery(query.get("labels"));
                cls = query.get("class");
            }
            default -> throw new HttpError(415, "Content-Type", "expected application/json, image/png or application/x-npy"
                    + (type.isEmpty() ? "" : ", not " + type));
        }
        if (images.count() > limits.maxImages()) throw tooManyImages(images.count());
        if (labels != null && cls != null) throw new HttpError(400, "class", "give labels or class, not both");
        if (cls != null) {
            int[] all = new int[images.count()];
            java.util.Arrays.fill(all, model.classIndex(cls));
            labels = all;
        }
        return new Input(labels == null ? images : images.withLabels(labels), json, query, cls != null ? "class" : "labels");
    }

    /**
     * Whether a body of this type is read as JSON: application/json, and what clients send when nobody told
     * them (none, text/plain, and curl -d's application/x-www-form-urlencoded). A body that is not JSON after
     * all is a 400 from the parser.
     */
    private static boolean isJson(String type) {
        return type.isEmpty() || type.equals(Call.JSON) || type.equals("text/plain") || type.equals("application/x-www-form-urlencoded");
    }

    private static int[] labelsFromQuery(String text) {
        if (text == null) return null;
        String[] parts = text.split(",", -1);  // -1: a trailing empty label is refused as one in the middle is, not dropped
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new HttpError(400, "labels", "element " + i + " is '" + parts[i] + "', not an integer");
            }
        }
        return out;
    }

    private byte[] body(Call call) {
        String coding = call.header("Content-Encoding");
        if (coding != null && !coding.isBlank() && !coding.strip().equalsIgnoreCase("identity")) {
            // RFC 9110 §15.5.16: a content coding the server does not decode is a 415, with the codings it takes.
            call.setHeader("Accept-Encoding", "identity");
            throw new HttpError(415, "Content-Encoding", "this server decodes no content coding; send the body as it is, not "
                    + (coding.length() <= 40 ? coding : coding.substring(0, 40) + "..."));
        }
        return call.body(limits.maxBodyBytes(), limits.bodyTimeout(), bodies);
    }

    /** A JSON body as UTF-8: one in another charset the Content-Type names (ISO-8859-1, UTF-16) is read in that one. */
    private byte[] jsonBody(Call call) {
        String name = call.charset();
        Charset charset = StandardCharsets.UTF_8;
        if (name != null) {
            try {
                charset = Charset.forName(name);
            } catch (IllegalArgumentException unknown) {
                throw new HttpError(415, "Content-Type", "charset " + (name.length() <= 40 ? name : name.substring(0, 40) + "...")
                        + " is not one this server knows; send JSON as UTF-8");
            }
        }
        byte[] bytes = body(call);
        if (charset.equals(StandardCharsets.UTF_8)) return bytes;
        try {
            return charset.newDecoder().decode(ByteBuffer.wrap(bytes)).toString().getBytes(StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new HttpError(400, "body", "not text in its Content-Type's charset " + charset.name());
        }
    }

    private static void requireMethod(Call call, String method) {
        // HEAD is GET without the body (RFC 9110: a server that serves GET serves HEAD); Call.respond leaves it out.
        boolean head = method.equals("GET") && call.method().equals("HEAD");
        if (!call.method().equals(method) && !head) {
            call.setHeader("Allow", method.equals("GET") ? "GET, HEAD" : method);
            throw new HttpError(405, "method", call.path() + " takes " + method + ", not " + call.method());
        }
    }

    /** The first acceptable type the client lists among {@code offered} ({@code *}{@code /*} and {@code type/*} match); else 406. */
    private static String negotiate(Call call, List<String> offered) {
        List<String> accepted = call.accepted();
        Set<String> refused = call.refused();
        for (String want : accepted) {
            for (String have : offered) {
                // q=0 for the type, or for its range with no more specific entry that takes it: never this one.
                if (refused.contains(have) || (!accepted.contains(have) && refused.contains(have.substring(0, have.indexOf('/')) + "/*"))) {
                    continue;
                }
                if (want.equals(have) || want.equals("*/*") || (want.endsWith("/*") && have.startsWith(want.substring(0, want.length() - 1)))) {
                    return have;
                }
            }
        }
        throw new HttpError(406, "Accept", "this endpoint answers " + String.join(", ", offered));
    }

    private static void fail(Call call, HttpError e) {
        // Busy or stopping: try again shortly. Past --compute-timeout: the same request would take as long again.
        if (e.status() == 503 && !e.field().equals("compute")) call.setHeader("Retry-After", "1");
        call.respond(e.status(), Call.JSON, json(g -> {
            g.writeStringField("error", e.getMessage());
            g.writeStringField("field", e.field());
            g.writeNumberField("status", e.status());
        }));
    }

    private HttpError tooManyImages(long count) {
        return new HttpError(413, "images", count + " images are more than the limit of " + limits.maxImages() + " in one call");
    }

    /** The reason alone: the API's message is "field: reason". */
    private static String reason(InvalidRequestException e) {
        String prefix = e.field() + ": ";
        return e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length()) : e.getMessage();
    }

    private byte[] samplesJson(SampleRequest r, float[] pixels) {
        return json(g -> {
            if (info.conditional()) {
                g.writeStringField("class", info.classNames().get(r.classIndex()));
                g.writeNumberField("class_index", r.classIndex());
            }
            g.writeNumberField("n", r.count());
            g.writeNumberField("sigma", r.sigma());
            g.writeNumberField("seed", r.seed());
            g.writeNumberField("channels", info.channels());
            g.writeNumberField("height", info.height());
            g.writeNumberField("width", info.width());
            g.writeFieldName("images");
            writeRows(g, pixels, r.count(), info.imageSize());
        });
    }

    private void writeInfo(JsonGenerator g) throws IOException {
        g.writeStringField("model", info.file().getFileName().toString());
        g.writeStringField("family", info.family());
        g.writeStringField("arch", info.architecture());
        g.writeNumberField("channels", info.channels());
        g.writeNumberField("height", info.height());
        g.writeNumberField("width", info.width());
        g.writeArrayFieldStart("classes");
        for (String c : info.classNames()) g.writeString(c);
        g.writeEndArray();
        g.writeBooleanField("conditional", info.conditional());
        g.writeBooleanField("classifier", info.classifier());
        g.writeBooleanField("label_free", info.labelFree());  // its classes are clusters: it takes no labels
        g.writeNumberField("shared_dims", info.sharedDims());
        g.writeNumberField("class_dims", info.classDims());
        g.writeStringField("backend", info.backend());
        g.writeNumberField("threads", info.threads());
        g.writeNumberField("lanes", info.lanes());
        g.writeStringField("precision", info.precision().name().toLowerCase(java.util.Locale.ROOT));
        g.writeStringField("weights_dtype", info.weightsDtype());
        g.writeObjectFieldStart("limits");
        g.writeNumberField("max_body_bytes", limits.maxBodyBytes());
        g.writeNumberField("max_n", limits.maxSamples());
        g.writeNumberField("max_images", limits.maxImages());
        g.writeNumberField("max_iw", limits.maxImportance());
        g.writeNumberField("body_timeout_s", limits.bodyTimeout().toSeconds());
        g.writeNumberField("queue", limits.queue());
        g.writeNumberField("max_connections", limits.maxConnections());
        g.writeNumberField("compute_timeout_s", limits.computeTimeout().toSeconds());  // 0: none
        g.writeNumberField("body_memory_bytes", bodies.capacity());
        g.writeEndObject();
    }

    private void writeEncodings(JsonGenerator g, Encodings e) throws IOException {
        int n = e.count();
        g.writeNumberField("count", n);
        if (e.hasClassifier()) {
            g.writeArrayFieldStart("predicted");
            for (int i = 0; i < n; i++) g.writeNumber(e.predictedClass(i));
            g.writeEndArray();
            g.writeArrayFieldStart("predicted_class");
            for (int i = 0; i < n; i++) g.writeString(info.classNames().get(e.predictedClass(i)));
            g.writeEndArray();
            g.writeArrayFieldStart("probabilities");
            for (int i = 0; i < n; i++) writeRow(g, e.probabilities(i));
            g.writeEndArray();
        }
        g.writeArrayFieldStart("shared_mean");
        for (int i = 0; i < n; i++) writeRow(g, e.sharedMean(i));
        g.writeEndArray();
        g.writeArrayFieldStart("shared_logvar");
        for (int i = 0; i < n; i++) writeRow(g, e.sharedLogVariance(i));
        g.writeEndArray();
        if (e.classDims() > 0) {
            g.writeArrayFieldStart("class_mean");
            for (int i = 0; i < n; i++) writeRow(g, e.classMean(i));
            g.writeEndArray();
            g.writeArrayFieldStart("class_logvar");
            for (int i = 0; i < n; i++) writeRow(g, e.classLogVariance(i));
            g.writeEndArray();
        }
    }

    private static void writeRows(JsonGenerator g, float[] values, int rows, int cols) throws IOException {
        g.writeStartArray();
        for (int i = 0; i < rows; i++) {
            g.writeStartArray();
            for (int j = 0; j < cols; j++) g.writeNumber(values[i * cols + j]);
            g.writeEndArray();
        }
        g.writeEndArray();
    }

    private static void writeRow(JsonGenerator g, float[] row) throws IOException {
        g.writeStartArray();
        for (float v : row) g.writeNumber(v);
        g.writeEndArray();
    }

    private static void finiteOrNull(JsonGenerator g, String name, double v) throws IOException {
        if (Double.isFinite(v)) g.writeNumberField(name, v); else g.writeNullField(name);
    }

    /** The fields {@code body} writes, as one JSON object on one line. */
    @FunctionalInterface
    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] json(Fields body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JsonRequest.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);  // a byte array stream does not fail
        }
        out.write('\n');
        return out.toByteArray();
    }
}
