package dev.nvae.ffm;

/**
 * oneDNN could not be provided: no bundled library for this platform, extraction or loading failed, or the
 * library found is not oneDNN 3.x. {@link #reason()} is one line meant for the user, e.g. for
 * {@code "oneDNN unavailable: <reason>; using vector backend"}.
 */
public final class DnnlUnavailableException extends RuntimeException {

    private final String reason;

    public DnnlUnavailableException(String reason) {
        super("oneDNN unavailable: " + reason);
        this.reason = reason;
    }

    /** The one-line reason, without the "oneDNN unavailable: " prefix. */
    public String reason() {
        return reason;
    }
}
