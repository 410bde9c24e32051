package dev.nvae.io;

import dev.nvae.NvaeException;

import java.nio.file.Path;

/**
 * A stream output whose reader went away: a pipe closed at the other end ({@code nvae sample --out - | head
 * -c 8}). Not a failure of ours, and not worth a line: the command line ends as a Unix tool killed by SIGPIPE
 * does, silently, with 141.
 */
public final class ReaderGoneException extends NvaeException {
    public ReaderGoneException(Path target, Throwable cause) {
        super(target + ": cannot write: broken pipe (its reader closed it)", cause);
    }

    /** Whether {@code reason} (from {@link IoErrors#reason}) is a pipe closed by its reader. */
    public static boolean isBrokenPipe(String reason) {
        return "broken pipe".equalsIgnoreCase(reason);
    }
}
