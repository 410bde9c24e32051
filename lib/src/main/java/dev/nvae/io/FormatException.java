package dev.nvae.io;

import dev.nvae.NvaeException;

import java.nio.file.Path;

/** A file that is not what it claims to be: names the file and the specific reason. */
public class FormatException extends NvaeException {
    private final Path file;
    private final String reason;

    public FormatException(Path file, String reason) {
        super(file + ": " + reason);
        this.file = file;
        this.reason = reason;
    }

    public FormatException(Path file, String reason, Throwable cause) {
        super(file + ": " + reason, cause);
        this.file = file;
        this.reason = reason;
    }

    public Path file() {
        return file;
    }

    public String reason() {
        return reason;
    }
}
