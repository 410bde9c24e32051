package dev.nvae.cli;

import dev.nvae.NvaeException;

import dev.nvae.io.IoErrors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks an output path before any work starts, so a typo in {@code --out} costs a second, not a
 * training run. The final write still goes through AtomicOutput, which catches what these checks
 * cannot foresee (a full disk, a directory removed meanwhile).
 */
final class OutputPaths {
    private OutputPaths() {
    }

    /** A file we will create or replace: its directory must exist and be writable, and it must not be a directory. */
    static void requireWritableFile(Path file, String flag) {
        if (Files.isDirectory(file)) throw unwritable(flag, file, "is a directory; give a file name");
        requireWritableParent(file, flag);
    }

    /** A directory we will create (its parent must exist) or write into. */
    static void requireWritableDirectory(Path dir, String flag) {
        if (Files.isDirectory(dir)) {
            if (!Files.isWritable(dir)) throw unwritable(flag, dir, "directory is not writable");
            probe(dir, dir, flag);
            return;
        }
        if (Files.exists(dir)) throw unwritable(flag, dir, "exists and is not a directory");
        requireWritableParent(dir, flag);
    }

    private static void requireWritableParent(Path path, String flag) {
        Path parent = path.toAbsolutePath().getParent();
        if (parent == null) throw unwritable(flag, path, "has no parent directory");
        if (!Files.exists(parent)) throw unwritable(flag, path, "directory " + parent + " does not exist");
        if (!Files.isDirectory(parent)) throw unwritable(flag, path, parent + " is not a directory");
        if (!Files.isWritable(parent)) throw unwritable(flag, path, "directory " + parent + " is not writable");
        probe(parent, path, flag);
    }

    /**
     * Creates and removes a hidden file in {@code dir}: permission bits say nothing about a read-only
     * mount, /proc or a full quota, and root passes every permission check.
     */
    private static void probe(Path dir, Path path, String flag) {
        Path probe = dir.resolve(".nvae-probe-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            Files.createFile(probe);
        } catch (IOException e) {
            throw unwritable(flag, path, "cannot create files in " + dir + " (" + IoErrors.reason(e) + ")");
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException ignored) {
                // created but not removable: leave it, the write itself will tell
            }
        }
    }

    private static NvaeException unwritable(String flag, Path path, String reason) {
        return new NvaeException(flag + " " + path + ": cannot write: " + reason);
    }
}
