package dev.nvae.api;

import java.util.Objects;

/**
 * A request the model cannot serve as given — a class it does not have, a count out of range, an image of
 * the wrong size — with the {@linkplain #field() field} at fault. The message is one line that names the
 * field and the reason, fit to show to whoever sent the request; the model is unaffected and keeps serving.
 */
public class InvalidRequestException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The field at fault, as the HTTP server's JSON names it: {@code class}, {@code n}, {@code images}, ... */
    private final String field;

    /**
     * An invalid request naming its field.
     *
     * @param field  the field at fault
     * @param reason what is wrong with it, without the field's name
     */
    public InvalidRequestException(String field, String reason) {
        super(Objects.requireNonNull(field, "field") + ": " + reason);
        this.field = field;
    }

    /**
     * An invalid request naming its field, with the failure that revealed it.
     *
     * @param field  the field at fault
     * @param reason what is wrong with it, without the field's name
     * @param cause  the failure that revealed it (a malformed image file, say)
     */
    public InvalidRequestException(String field, String reason, Throwable cause) {
        super(Objects.requireNonNull(field, "field") + ": " + reason, cause);
        this.field = field;
    }

    /**
     * The name of the field at fault.
     *
     * @return the name of the field at fault
     */
    public String field() {
        return field;
    }
}
