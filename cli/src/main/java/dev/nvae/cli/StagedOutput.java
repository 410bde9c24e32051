package dev.nvae.cli;

import dev.nvae.NvaeException;
import dev.nvae.io.IoErrors;
import dev.nvae.io.OutputTarget;
import dev.nvae.io.Staging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Outputs made of several files (images + labels, a directory of PNGs). Each file is written into a
 * {@link Staging} directory beside its final name; {@link #commit} renames them all once every one is
 * complete, and {@link #close} removes whatever was not committed. So a failure or an interrupt half-way
 * leaves neither a partial file nor a set with a member missing under the final names. A file whose
 * name leads to a device or FIFO is streamed to it directly (the commands allow that only for a
 * single-file output).
 */
final class StagedOutput implements AutoCloseable {
    private final Map<Path, Staging> stagings = new LinkedHashMap<>(); // directory -> its staging
    private final List<Path> replaced = new ArrayList<>();
    private final Set<Path> written = new HashSet<>();
    private Path createdDirectory;

    /** Creates {@code dir} if it does not exist yet; it is removed again on failure if we made it and it is empty. */
    void directory(Path dir, String flag) {
        if (Files.isDirectory(dir)) return;
        try {
            Files.createDirectory(dir);
            createdDirectory = dir;
            Interruption.made(dir);
        } catch (IOException e) {
            throw new NvaeException(flag + " " + dir + ": cannot create directory: " + IoErrors.reason(e), e);
        }
    }

    /**
     * Writes {@code target}'s content, through {@code writer}, under its staging name. An error names
     * {@code target}, the file the user asked for, not the hidden staging file.
     */
    void write(Path target, Consumer<Path> writer) {
        if (!(OutputTarget.of(target) instanceof OutputTarget.RegularFile file)) {
            writer.accept(target);
            return;
        }
        Staging staging = stagings.computeIfAbsent(file.directory(), d -> Staging.in(d, target));
        Path staged = staging.stage(file.file());
        written.add(target.toAbsolutePath().normalize());
        try {
            writer.accept(staged);
        } catch (NvaeException e) {
            throw new NvaeException(e.getMessage().replace(staged.toString(), target.toString()), e);
        }
    }

    /**
     * Files of an earlier output that this one replaces as a whole: those it does not write again are removed
     * in the same {@link #commit}, after the new files are in place (an interrupt before it leaves them all).
     */
    void replacing(List<Path> earlier) {
        replaced.addAll(earlier);
    }

    void commit() {
        List<Path> stale = new ArrayList<>();
        for (Path p : replaced) if (!written.contains(p.toAbsolutePath().normalize())) stale.add(p);
        Staging.commitAll(new ArrayList<>(stagings.values()), stale);
        replaced.clear();
        stagings.clear();
        if (createdDirectory != null) Interruption.kept(createdDirectory);
        createdDirectory = null;
    }

    @Override
    public void close() {
        for (Staging s : stagings.values()) s.close();
        stagings.clear();
        if (createdDirectory != null) {
            try (var entries = Files.list(createdDirectory)) {
                if (entries.findAny().isEmpty()) Files.delete(createdDirectory);
            } catch (IOException ignored) {
                // best effort after a failure: the error being reported is the one that matters
            }
            Interruption.kept(createdDirectory);
        }
    }
}
