package dev.nvae.cli;

import dev.nvae.NvaeException;
import dev.nvae.io.IoErrors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Outputs made of several files (images + labels, a directory of PNGs). Each file is first written,
 * atomically, under a hidden staging name next to its final name; {@link #commit} renames them all
 * once every one is complete, and {@link #close} removes whatever was not committed. So a failure
 * half-way leaves neither a partial file nor a set with a member missing under the final names.
 */
final class StagedOutput implements AutoCloseable {
    private final Map<Path, Path> staged = new LinkedHashMap<>(); // final name -> staging name
    private Path createdDirectory;

    /** Creates {@code dir} if it does not exist yet; it is removed again on failure if we made it and it is empty. */
    void directory(Path dir, String flag) {
        if (Files.isDirectory(dir)) return;
        try {
            Files.createDirectory(dir);
            createdDirectory = dir;
        } catch (IOException e) {
            throw new NvaeException(flag + " " + dir + ": cannot create directory: " + IoErrors.reason(e), e);
        }
    }

    /**
     * Writes {@code target}'s content, through {@code writer}, under its staging name. An error names
     * {@code target}, the file the user asked for, not the hidden staging file.
     */
    void write(Path target, Consumer<Path> writer) {
        Path staging = stage(target);
        try {
            writer.accept(staging);
        } catch (NvaeException e) {
            throw new NvaeException(e.getMessage().replace(staging.toString(), target.toString()), e);
        }
    }

    /** The name to write {@code target}'s content to. */
    private Path stage(Path target) {
        Path staging = target.resolveSibling("." + target.getFileName() + ".staged-"
                + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36));
        staged.put(target, staging);
        return staging;
    }

    void commit() {
        for (var it = staged.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            try {
                Files.move(e.getValue(), e.getKey(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException ex) {
                throw new NvaeException(e.getKey() + ": cannot write: " + IoErrors.reason(ex), ex);
            }
            it.remove();
        }
        createdDirectory = null;
    }

    @Override
    public void close() {
        try {
            for (Path staging : staged.values()) Files.deleteIfExists(staging);
            if (createdDirectory != null) {
                try (var entries = Files.list(createdDirectory)) {
                    if (entries.findAny().isEmpty()) Files.delete(createdDirectory);
                }
            }
        } catch (IOException ignored) {
            // best effort after a failure: the error being reported is the one that matters
        }
    }
}
