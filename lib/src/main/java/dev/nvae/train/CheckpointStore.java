package dev.nvae.train;

import dev.nvae.NvaeException;
import dev.nvae.io.AtomicOutput;
import dev.nvae.io.IoErrors;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The checkpoint directory of one run: {@code checkpoint-<global step>.safetensors} files, each written
 * atomically by {@link Checkpoint#write}, of which the newest {@code keep} are kept. Opening it takes an
 * exclusive lock (two runs writing one directory would prune each other's files) and removes the
 * temporary files an interrupted write left behind. Warnings (stale files removed, damaged checkpoints
 * skipped) go to the given consumer as one-line messages.
 */
public final class CheckpointStore implements AutoCloseable {
    private static final Pattern NAME = Pattern.compile("checkpoint-(\\d{9,18})\\.safetensors");
    static final String LOCK_FILE = ".lock";
    static final String DAMAGED_SUFFIX = ".damaged";

    private final Path dir;
    private final int keep;
    private final Consumer<String> warnings;
    private final FileChannel lockChannel;

    private CheckpointStore(Path dir, int keep, Consumer<String> warnings, FileChannel lockChannel) {
        this.dir = dir;
        this.keep = keep;
        this.warnings = warnings;
        this.lockChannel = lockChannel;
    }

    /** Opens (creating if needed) {@code dir}, locks it and removes stale temporary files. */
    public static CheckpointStore open(Path dir, int keep, Consumer<String> warnings) {
        if (keep < 1) throw new NvaeException("--keep " + keep + " must be at least 1");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new NvaeException(dir + ": cannot create checkpoint directory: " + IoErrors.reason(e), e);
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new NvaeException(dir + ": cannot write checkpoints here: " + IoErrors.reason(e), e);
        }
        FileLock lock;
        try {
            // Released by the OS when the process dies, so a killed run never leaves the directory locked.
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // this JVM holds it already
        } catch (IOException e) {
            closeQuietly(channel);
            throw new NvaeException(dir + ": cannot lock the checkpoint directory: " + IoErrors.reason(e), e);
        }
        if (lock == null) {
            closeQuietly(channel);
            throw new NvaeException(dir + ": another training run is using this checkpoint directory");
        }
        CheckpointStore store = new CheckpointStore(dir, keep, warnings, channel);
        try {
            store.removeStaleTemporaries();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    public Path directory() {
        return dir;
    }

    /** The checkpoint files, oldest first. */
    public List<Path> list() {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(p -> NAME.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p)).forEach(out::add);
        } catch (IOException e) {
            throw new NvaeException(dir + ": cannot list checkpoints: " + IoErrors.reason(e), e);
        }
        out.sort(Comparator.comparingLong(CheckpointStore::stepOf));
        return out;
    }

    /**
     * The newest checkpoint that reads and validates, or null if there is none. Each newer one that does
     * not is reported and renamed {@code *.damaged}: left in place, it would count as the newest when
     * old checkpoints are pruned, and the good ones written after resuming would be deleted instead.
     */
    public Checkpoint newestValid() {
        List<Path> files = list();
        for (int i = files.size() - 1; i >= 0; i--) {
            Path file = files.get(i);
            try {
                return Checkpoint.read(file);
            } catch (NvaeException e) {
                Path aside = file.resolveSibling(file.getFileName() + DAMAGED_SUFFIX);
                warnings.accept("skipping damaged checkpoint " + e.getMessage() + "; renamed it to " + aside.getFileName());
                try {
                    Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException io) {
                    throw new NvaeException(file + ": cannot rename damaged checkpoint: " + IoErrors.reason(io), io);
                }
            }
        }
        return null;
    }

    /** Writes a checkpoint of {@code s} and deletes all but the newest {@code keep}; returns its path. */
    public Path save(TrainingSnapshot s) {
        Path file = dir.resolve(String.format(Locale.ROOT, "checkpoint-%09d.safetensors", s.position().globalStep()));
        Checkpoint.write(file, s);
        List<Path> all = list();
        for (Path old : all.subList(0, Math.max(0, all.size() - keep))) {
            try {
                Files.deleteIfExists(old);
            } catch (IOException e) {
                warnings.accept(old + ": cannot delete old checkpoint: " + IoErrors.reason(e));
            }
        }
        return file;
    }

    private void removeStaleTemporaries() {
        int removed = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(AtomicOutput::isTemporary).toList()) {
                Files.deleteIfExists(p);
                removed++;
            }
        } catch (IOException e) {
            throw new NvaeException(dir + ": cannot remove stale temporary files: " + IoErrors.reason(e), e);
        }
        if (removed > 0) {
            warnings.accept(dir + ": removed " + removed + " temporary file(s) left by an interrupted checkpoint write");
        }
    }

    private static long stepOf(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        if (!m.matches()) throw new IllegalArgumentException(file.toString());
        return Long.parseLong(m.group(1));
    }

    @Override
    public void close() {
        closeQuietly(lockChannel); // closing the channel releases the lock
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to protect: the lock goes with the channel either way
        }
    }
}
