package dev.nvae.io;

import dev.nvae.NvaeException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/** What every reader checks before it opens a file. */
public final class InputFiles {
    private InputFiles() {
    }

    /**
     * Refuses what is not a regular file (links followed) before it is opened: opening a FIFO blocks until
     * someone writes to it, which may be never, and a device reads as empty (/dev/null) or endless (/dev/zero).
     * The message reads "FILE: cannot read: REASON".
     */
    public static void requireRegularFile(Path file) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            throw new NvaeException(file + ": cannot read: " + IoErrors.reason(e), e);
        }
        if (a.isDirectory()) throw new NvaeException(file + ": cannot read: is a directory");
        if (!a.isRegularFile()) throw new NvaeException(file + ": cannot read: not a regular file (a device, FIFO or socket)");
    }
}
