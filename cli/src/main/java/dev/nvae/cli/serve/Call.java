package dev.nvae.cli.serve;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One request and its answer: the request line and query, the body (read once, within the limits), the
 * response, and what the access log says about it.
 */
final class Call {
    static final String JSON = "application/json", PNG = "image/png", NPY = "application/x-npy";

    private final HttpExchange exchange;
    private final long startNanos = System.nanoTime();
    private RequestBody body;   // set once the body is being read
    private boolean bodyOwnedByReader;
    private int status;
    private long bytesOut;

    Call(HttpExchange exchange) {
        this.exchange = exchange;
    }

    String method() {
        return exchange.getRequestMethod();
    }

    String path() {
        return exchange.getRequestURI().getPath();
    }

    /** The request's Content-Type without parameters, lower case; empty when absent. */
    String contentType() {
        String t = exchange.getRequestHeaders().getFirst("Content-Type");
        if (t == null) return "";
        int semicolon = t.indexOf(';');
        return (semicolon < 0 ? t : t.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    /** The Content-Type's charset parameter, unquoted; null when there is none. */
    String charset() {
        String t = exchange.getRequestHeaders().getFirst("Content-Type");
        if (t == null) return null;
        String[] parts = t.split(";");
        for (int i = 1; i < parts.length; i++) {
            String param = parts[i].strip();
            int eq = param.indexOf('=');
            if (eq > 0 && param.substring(0, eq).strip().equalsIgnoreCase("charset")) {
                String v = param.substring(eq + 1).strip();
                return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
            }
        }
        return null;
    }

    /** A request header's first value; null when absent. */
    String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    /**
     * The Accept header's media types, most preferred first (by their q, then in order), without parameters, lower
     * case; a type with q=0 is one the client refuses and is left out; {@code *}{@code /*} when the header is absent.
     */
    List<String> accepted() {
        List<Choice> choices = acceptChoices();
        if (choices == null) return List.of("*/*");
        // A stable sort: equal weights keep the client's order.
        return choices.stream().filter(c -> c.q() > 0).sorted(java.util.Comparator.comparingDouble(Choice::q).reversed())
                .map(Choice::type).toList();
    }

    /**
     * The Accept header's media types (or {@code type/*} ranges) given q=0: refused even where a wildcard of the same
     * header would take them ({@code application/json;q=0, *}{@code /*} answered JSON).
     */
    Set<String> refused() {
        List<Choice> choices = acceptChoices();
        if (choices == null) return Set.of();
        return choices.stream().filter(c -> c.q() <= 0).map(Choice::type).collect(java.util.stream.Collectors.toSet());
    }

    private record Choice(String type, double q) {
    }

    /** The Accept header's types and weights in the client's order; null when it is absent or blank. */
    private List<Choice> acceptChoices() {
        // Header lines of one name are one comma-separated list (RFC 9110 §5.3): the first alone misses the rest.
        List<String> lines = exchange.getRequestHeaders().get("Accept");
        String a = lines == null ? null : String.join(",", lines);
        if (a == null || a.isBlank()) return null;
        List<Choice> choices = new java.util.ArrayList<>();
        for (String part : a.split(",")) {
            String[] fields = part.split(";", -1);  // -1: ";" alone splits into no fields at all, and fields[0] is read
            String type = fields[0].strip().toLowerCase(Locale.ROOT);
            double q = 1;
            for (int i = 1; i < fields.length; i++) {
                String param = fields[i].strip();
                if (param.startsWith("q=") || param.startsWith("Q=")) {
                    try {
                        q = Double.parseDouble(param.substring(2).strip());
                    } catch (NumberFormatException malformed) {
                        q = 1;  // an unreadable weight is no refusal
                    }
                }
            }
            if (!type.isEmpty()) choices.add(new Choice(type, q));
        }
        return choices;
    }

    /**
     * The query parameters; a name given twice or outside {@code allowed} is a 400 naming it.
     */
    Map<String, String> query(Set<String> allowed) {
        String raw = exchange.getRequestURI().getRawQuery();
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) return params;
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String name, value;
            try {
                name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new HttpError(400, "query", "malformed escape in '" + pair + "'");
            }
            if (!allowed.contains(name)) {
                throw new HttpError(400, name, "unknown query parameter" + (allowed.isEmpty() ? "" : "; expected " + String.join(", ", allowed)));
            }
            if (params.put(name, value) != null) throw new HttpError(400, name, "given twice");
        }
        return params;
    }

    /** The whole body; see {@link RequestBody} for the limit and the deadline. */
    byte[] body(long limit, Duration timeout, BodyMemory memory) {
        body = new RequestBody(exchange, limit, timeout, startNanos, memory);
        try {
            return body.read();
        } catch (HttpError e) {
            bodyOwnedByReader = true;
            throw e;
        }
    }

    /** The request is over: the body's bytes no longer count against the server's memory. */
    void releaseBody() {
        if (body != null) body.release();
    }

    /** Answers {@code status} with {@code bytes} of {@code type}, and closes the exchange unless its reader owns it. */
    void respond(int status, String type, byte[] bytes) {
        this.status = status;
        try {
            exchange.getResponseHeaders().set("Content-Type", type);
            if (bodyOwnedByReader) exchange.getResponseHeaders().set("Connection", "close");
            if (method().equals("HEAD")) {
                // The headers GET would send, no body: the JDK server wants -1 for a HEAD answer and warns otherwise.
                exchange.getResponseHeaders().set("Content-Length", Integer.toString(bytes.length));
                exchange.sendResponseHeaders(status, -1);
            } else {
                exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
                OutputStream out = exchange.getResponseBody();
                out.write(bytes);
                out.flush();
                bytesOut = bytes.length;
            }
        } catch (IOException clientGone) {
            // nothing to answer to; the access log still records the status that was meant
        } finally {
            if (body != null && bodyOwnedByReader) {
                body.answered();
            } else {
                exchange.close();
            }
        }
    }

    void setHeader(String name, String value) {
        exchange.getResponseHeaders().set(name, value);
    }

    /** The remote address, the request line, the status, the response bytes and the time taken: one line. */
    String accessLogLine() {
        double ms = (System.nanoTime() - startNanos) / 1e6;
        String remote = exchange.getRemoteAddress() == null ? "-" : exchange.getRemoteAddress().getAddress().getHostAddress();
        String uri = exchange.getRequestURI().getRawPath() + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
        return String.format(Locale.ROOT, "%s %s \"%s %s\" %d %d %.1fms", java.time.Instant.now(), remote, method(), printable(uri), status, bytesOut, ms);
    }

    /** A request line in a log is not a place for control characters or unbounded length. */
    private static String printable(String s) {
        String clean = s.replaceAll("[\\p{Cntrl}\"]", "?");
        return clean.length() <= 200 ? clean : clean.substring(0, 200) + "...";
    }
}
