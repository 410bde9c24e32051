package dev.nvae.cli.serve;

/**
 * A request answered with an error: its HTTP status, the field at fault ({@code body} for the body as a
 * whole, {@code queue} when the server is full) and a one-line reason. What the client reads is
 * {@code {"error": "<field>: <reason>", "field": "<field>", "status": <status>}}.
 */
final class HttpError extends RuntimeException {
    private final int status;
    private final String field;

    /** The longest field name an answer repeats: a name is the client's own text, and a 300 KB one came back twice. */
    static final int MAX_FIELD_CHARS = 64;

    HttpError(int status, String field, String reason) {
        super(capped(field) + ": " + reason, null, false, false);  // an answer, not a fault: no stack trace
        this.status = status;
        this.field = capped(field);
    }

    /** {@code field} (or other text of the client's) cut to {@link #MAX_FIELD_CHARS}, saying how long it was. */
    static String capped(String field) {
        return field.length() <= MAX_FIELD_CHARS ? field
                : field.substring(0, MAX_FIELD_CHARS) + "... (" + field.length() + " characters)";
    }

    int status() {
        return status;
    }

    String field() {
        return field;
    }
}
