package dev.nvae.api;

/**
 * A model that cannot be opened or trained: a file that is not a valid nvae model, a backend that cannot be
 * loaded, data that cannot be read; or a call whose answer it cannot compute (sample, encode, score, reconstruct on a
 * model whose finite weights overflow float32 on the inputs). The message is one line that names the file, option or
 * example and the reason.
 */
public class ModelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a message.
     *
     * @param message one line naming the file or option at fault and the reason
     */
    public ModelException(String message) {
        super(message);
    }

    /**
     * An exception with a message and the library exception behind it.
     *
     * @param message one line naming the file or option at fault and the reason
     * @param cause   the library's own exception
     */
    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
