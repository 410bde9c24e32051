package dev.nvae.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a directory takes new files, found by creating and removing one: permission bits say nothing about a
 * read-only mount, /proc or a full quota, and root passes every permission check. Checked before work whose result
 * would otherwise be lost at the end, when it cannot be written.
 */
public final class DirectoryProbe {
    private DirectoryProbe() {
    }

    /** Null if {@code dir} took a new file, else why not ("cannot create files in DIR (permission denied)"). */
    public static String refusal(Path dir) {
        Path probe = dir.resolve(".nvae-probe-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            Files.createFile(probe);
        } catch (IOException e) {
            return "cannot create files in " + dir + " (" + IoErrors.reason(e) + ")";
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException ignored) {
                // created but not removable: leave it, the write itself will tell
            }
        }
        return null;
    }
}
