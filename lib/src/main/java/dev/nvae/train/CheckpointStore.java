package dev.nvae.train;

import dev.nvae.NvaeException;
import dev.nvae.io.Staging;
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
 * exclusive lock (two runs writing one directory would prune each other's files) and changes nothing
 * else: only once the caller has accepted the run does {@link #prepare} remove what an interrupted
 * write left behind (staging directories provably ours and abandoned, see {@link Staging}) and set
 * damaged checkpoints aside. Warnings go to the given consumer as one-line messages.
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

    /** Opens (creating if needed) {@code dir} and locks it; fails if another run holds the lock. */
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
        return new CheckpointStore(dir, keep, warnings, channel);
    }

    /** Whether {@code file} is a name this store manages in {@code dir}: a checkpoint, a damaged one, its lock. */
    public static boolean isManaged(Path dir, Path file) {
        Path name = file.getFileName();
        if (name == null) return false;
        String n = name.toString();
        boolean ours = n.equals(LOCK_FILE) || NAME.matcher(n).matches()
                || (n.endsWith(DAMAGED_SUFFIX) && NAME.matcher(n.substring(0, n.length() - DAMAGED_SUFFIX.length())).matches());
        if (!ours) return false;
        try {
            Path parent = file.toAbsolutePath().getParent();
            return parent != null && Files.isDirectory(dir) && Files.isSameFile(parent, dir);
        } catch (IOException e) {
            return false;
        }
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

    /** The newest checkpoint that reads and validates, the newer ones that do not, and why. */
    public record Scan(Checkpoint newest, List<Path> damaged, List<String> reasons) {
    }

    /** Reads the checkpoints from the newest back to the first valid one; changes nothing. */
    public Scan scan() {
        List<Path> files = list();
        List<Path> damaged = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (int i = files.size() - 1; i >= 0; i--) {
            Path file = files.get(i);
            try {
                return new Scan(Checkpoint.read(file), List.copyOf(damaged), List.copyOf(reasons));
            } catch (NvaeException e) {
                damaged.add(file);
                reasons.add(e.getMessage());
            }
        }
        return new Scan(null, List.copyOf(damaged), List.copyOf(reasons));
    }

    /**
     * Readies the directory for the run the caller has accepted: removes the staging directories a killed
     * checkpoint write left, and renames each damaged checkpoint of {@code scan} to {@code *.damaged} with a
     * warning — left in place, it would count as the newest when old checkpoints are pruned, and the good
     * ones written after resuming would be deleted instead.
     */
    public void prepare(Scan scan) {
        List<Path> stale = Staging.removeStale(dir);
        if (!stale.isEmpty()) {
            warnings.accept(dir + ": removed " + stale.size() + " unfinished checkpoint write(s) left by an interrupted run");
        }
        for (int i = 0; i < scan.damaged().size(); i++) {
            Path file = scan.damaged().get(i);
            Path aside = file.resolveSibling(file.getFileName() + DAMAGED_SUFFIX);
            warnings.accept("skipping damaged checkpoint " + scan.reasons().get(i) + "; renamed it to " + aside.getFileName());
            try {
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException io) {
                throw new NvaeException(file + ": cannot rename damaged checkpoint: " + IoErrors.reason(io), io);
            }
        }
    }

    /** {@link #scan} then {@link #prepare}: the newest valid checkpoint, or null if there is none. */
    public Checkpoint newestValid() {
        Scan scan = scan();
        prepare(scan);
        return scan.newest();
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
