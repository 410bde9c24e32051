package dev.nvae.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** Turns an {@link IOException} into the short reason a user reads after the file name. */
public final class IoErrors {
    private IoErrors() {
    }

    /**
     * NIO's messages repeat the path ("/a/b: Permission denied") or are just the path
     * (NoSuchFileException); callers already print the path, so keep only the reason.
     */
    public static String reason(IOException e) {
        // ImageIO wraps the stream's own failure ("No space left on device") in "I/O error writing PNG file!".
        if (e instanceof javax.imageio.IIOException && e.getCause() instanceof IOException cause) return reason(cause);
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof NoSuchFileException) return "no such file or directory";
        if (e instanceof NotDirectoryException) return "not a directory";
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason().toLowerCase(java.util.Locale.ROOT);
        }
        String message = e.getMessage();
        if (message == null || message.isBlank()) return e.getClass().getSimpleName();
        // The OS's own words ("No space left on device", "File too large") read as part of our sentence.
        boolean strerror = message.length() > 1 && Character.isUpperCase(message.charAt(0)) && Character.isLowerCase(message.charAt(1));
        return strerror ? Character.toLowerCase(message.charAt(0)) + message.substring(1) : message;
    }
}
