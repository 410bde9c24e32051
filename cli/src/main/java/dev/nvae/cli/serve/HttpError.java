package dev.nvae.cli.serve;

/**
 * A request answered with an error: its HTTP status, the field at fault ({@code body} for the body as a
 * whole, {@code queue} when the server is full) and a one-line reason. What the client reads is
 * {@code {"error": "<field>: <reason>", "field": "<field>", "status": <status>}}.
 */
final class HttpError extends RuntimeException {
    private final int status;
    private final String field;

    HttpError(int status, String field, String reason) {
        super(field + ": " + reason, null, false, false);  // an answer, not a fault: no stack trace
        this.status = status;
        this.field = field;
    }

    int status() {
        return status;
    }

    String field() {
        return field;
    }
}
