package dev.nvae.train;

import dev.nvae.NvaeException;
import dev.nvae.io.Staging;
import dev.nvae.io.IoErrors;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
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
 *
 * <p>Whatever can refuse a run should be decided before {@link #open}, from {@link #look} (which reads and
 * creates nothing) and {@link #requireNotInUse}: a refused run then leaves the user's directory as it was.
 * What {@link #open} creates, {@link #close} removes: the lock file always, and the directory (with any
 * parents it made) when no checkpoint was written into it.
 *
 * <h2>The lock</h2>
 * An fcntl lock on {@value #LOCK_FILE}, which the kernel releases when the process dies. Java cannot take an
 * exclusive fcntl lock on the directory's own descriptor (that needs a channel open for writing, and a
 * directory opens only for reading), so the lock lives in a file — one that must not outlive the run. A lock
 * file cannot simply be deleted after its lock is released: a run that opened it just before could then
 * lock the deleted file while a third run creates and locks a new one, and both would write. So the file is
 * unlinked while still locked, and a lock counts only on the file that {@value #LOCK_FILE} names while the
 * lock is held: after locking the file it opened, {@link #open} opens the name again and tries to lock that
 * too, which fails with {@link OverlappingFileLockException} exactly when both are the same file (the JVM
 * keeps its locks by device and inode). If the name leads elsewhere (or nowhere), the file was unlinked by a
 * run that ended meanwhile, and it starts again. Since only the holder of the named file's lock unlinks it,
 * the name then stays with the locked file for the whole run. (The name is never read to check it: closing
 * any descriptor of a file drops the process's fcntl locks on it.) A run killed by SIGKILL leaves the file,
 * unlocked; the next run takes it over. Within one JVM, a second store on the same directory is refused
 * from a registry before any channel is opened, for the same reason.
 */
public final class CheckpointStore implements AutoCloseable {
    private static final Pattern NAME = Pattern.compile("checkpoint-(\\d{9,18})\\.safetensors");
    static final String LOCK_FILE = ".lock";
    static final String DAMAGED_SUFFIX = ".damaged";
    /** Lock files unlinked under us in a row before giving up (each retry needs a run to have ended meanwhile). */
    private static final int LOCK_ATTEMPTS = 20;
    /** The directories, by real path, whose store this JVM holds open. */
    private static final Map<Path, CheckpointStore> HELD = new ConcurrentHashMap<>();
    /**
     * Held while a store is opened and while {@link #closeAll} runs: a SIGTERM's hook that ran between the
     * registration and the lock file found nothing to close, and the run then made its lock file, left behind
     * (1 interrupt in 12 in an audit's loop).
     */
    private static final Object OPENING = new Object();
    private static boolean shutDown; // guarded by OPENING: closeAll has run, nothing opens any more

    private final Path dir;
    private final int keep;
    private final Consumer<String> warnings;
    private final Path key;
    private final List<Path> created;  // directories open() made, deepest first
    private FileChannel lockChannel;   // holds the lock; null once closed
    private FileChannel namedChannel;  // another channel on the same file, open for as long as the lock (namedIsLocked)

    private CheckpointStore(Path dir, int keep, Consumer<String> warnings, Path key, List<Path> created) {
        this.dir = dir;
        this.keep = keep;
        this.warnings = warnings;
        this.key = key;
        this.created = created;
    }

    /**
     * Opens {@code dir}, creating it (and missing parents) if needed, and locks it; fails if another run holds
     * the lock. Closing the store removes the lock file, and the directories this made if they hold nothing.
     */
    public static CheckpointStore open(Path dir, int keep, Consumer<String> warnings) {
        if (keep < 1) throw new NvaeException("--keep " + keep + " must be at least 1");
        synchronized (OPENING) {
            if (shutDown) throw new NvaeException(dir + ": the checkpoint directory was not opened: the process is ending (interrupted)");
            return openLocked(dir, keep, warnings);
        }
    }

    private static CheckpointStore openLocked(Path dir, int keep, Consumer<String> warnings) {
        List<Path> created = new ArrayList<>();
        createMissing(dir, created);
        Path key;
        try {
            key = dir.toRealPath();
        } catch (IOException e) {
            removeIfEmpty(created);
            throw new NvaeException(dir + ": cannot open the checkpoint directory: " + IoErrors.reason(e), e);
        }
        CheckpointStore store = new CheckpointStore(dir, keep, warnings, key, created);
        if (HELD.putIfAbsent(key, store) != null) {
            removeIfEmpty(created);
            throw inUse(dir);
        }
        try {
            store.lock();
            return store;
        } catch (RuntimeException e) {
            HELD.remove(key, store);
            removeIfEmpty(created);
            throw e;
        }
    }

    private void lock() {
        Path file = dir.resolve(LOCK_FILE);
        for (int attempt = 1; attempt <= LOCK_ATTEMPTS; attempt++) {
            FileChannel channel;
            try {
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            } catch (NoSuchFileException e) {
                createMissing(dir, created); // removed by a run that created it and has just ended: make it again
                continue;
            } catch (IOException e) {
                throw new NvaeException(dir + ": cannot write checkpoints here: " + IoErrors.reason(e), e);
            }
            FileChannel named = null;
            try {
                // Released by the OS when the process dies, so a killed run never leaves the directory locked.
                if (channel.tryLock() == null) throw inUse(dir);
                named = namedIsLocked(file);
                if (named != null) {
                    lockChannel = channel;
                    namedChannel = named;
                    return;
                }
            } catch (OverlappingFileLockException e) {
                throw inUse(dir); // held in this JVM by a store opened under another name the registry missed
            } catch (IOException e) {
                throw new NvaeException(dir + ": cannot lock the checkpoint directory: " + IoErrors.reason(e), e);
            } finally {
                if (lockChannel != channel) closeQuietly(channel);
            }
            // The file we locked was unlinked by the run that held it, which has ended: try the one named now.
        }
        throw new NvaeException(dir + ": cannot lock the checkpoint directory: its lock file keeps being replaced");
    }

    /**
     * Whether the file {@code file} names now is the one this JVM has locked: a second channel on the name,
     * whose lock overlaps ours exactly when both are the same file (the JVM's lock table goes by device and
     * inode, not by name). Returns that channel, to be kept open as long as the lock — closing any descriptor
     * of a file drops the process's fcntl locks on it, which is also why the name is never read to check it —
     * or null, having closed it, if the name leads to another file or none.
     */
    private static FileChannel namedIsLocked(Path file) throws IOException {
        FileChannel named;
        try {
            named = FileChannel.open(file, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            return null;
        }
        try {
            named.tryLock(); // another file: locked now (or held by its run), and let go with the channel below
        } catch (OverlappingFileLockException ours) {
            return named;
        } catch (IOException | RuntimeException e) {
            closeQuietly(named);
            throw e;
        }
        closeQuietly(named);
        return null;
    }

    /**
     * Fails, as {@link #open} would, if a live run holds {@code dir}'s lock; creates nothing (a shared lock
     * is tried on an existing lock file, and let go at once). What it says can be out of date at once: it
     * lets a caller refuse early, {@link #open} decides.
     */
    public static void requireNotInUse(Path dir) {
        Path file = dir.resolve(LOCK_FILE);
        try {
            if (HELD.containsKey(dir.toRealPath())) throw inUse(dir);
        } catch (IOException e) {
            return; // no directory, no run in it
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (channel.tryLock(0, Long.MAX_VALUE, true) == null) throw inUse(dir);
        } catch (OverlappingFileLockException e) {
            throw inUse(dir);
        } catch (IOException e) {
            // no lock file (no live run), or one we cannot read: open() will tell
        }
    }

    private static NvaeException inUse(Path dir) {
        return new NvaeException(dir + ": another training run is using this checkpoint directory");
    }

    /** Creates {@code dir} and its missing parents, adding each one it made to {@code created}, deepest first. */
    private static void createMissing(Path dir, List<Path> created) {
        List<Path> missing = new ArrayList<>();
        for (Path p = dir.toAbsolutePath().normalize(); p != null && !Files.isDirectory(p); p = p.getParent()) missing.addFirst(p);
        for (Path p : missing) {
            try {
                Files.createDirectory(p);
                created.addFirst(p);
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(p)) {
                    removeIfEmpty(created);
                    throw new NvaeException(dir + ": cannot create checkpoint directory: " + p
                            + (Files.isRegularFile(p) ? " is a file, not a directory" : " is not a directory"), e);
                }
            } catch (IOException e) {
                removeIfEmpty(created);
                throw new NvaeException(dir + ": cannot create checkpoint directory: " + IoErrors.reason(e), e);
            }
        }
    }

    /** Removes the directories in {@code created} (deepest first) that are empty; stops at the first that is not. */
    private static void removeIfEmpty(List<Path> created) {
        for (Path p : created) {
            try {
                Files.delete(p);
            } catch (IOException e) {
                return; // not empty (a checkpoint, or another run's files), or gone: nothing more to remove
            }
        }
    }

    /** Reads the checkpoints of {@code dir} as {@link #scan} does, without a store: no lock, nothing created or changed. */
    public static Scan look(Path dir) {
        return Files.isDirectory(dir) ? scan(dir) : new Scan(null, List.of(), List.of());
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

    /** How many of the newest checkpoints this store keeps. */
    public int keep() {
        return keep;
    }

    public Path directory() {
        return dir;
    }

    /** The checkpoint files, oldest first. */
    public List<Path> list() {
        return list(dir);
    }

    private static List<Path> list(Path dir) {
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
        /** Whether {@code other} found the same files: the same newest valid checkpoint and the same damaged ones. */
        public boolean sameFiles(Scan other) {
            return Objects.equals(newest == null ? null : newest.path(), other.newest == null ? null : other.newest.path())
                    && damaged.equals(other.damaged);
        }
    }

    /** Reads the checkpoints from the newest back to the first valid one; changes nothing. */
    public Scan scan() {
        return scan(dir);
    }

    private static Scan scan(Path dir) {
        List<Path> files = list(dir);
        List<Path> damaged = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (int i = files.size() - 1; i >= 0; i--) {
            Path file = files.get(i);
            try {
                return new Scan(Checkpoint.read(file), List.copyOf(damaged), List.copyOf(reasons));
            } catch (NvaeException e) {
                // Gone since the listing: pruned by a live run (seen by look(), which holds no lock), not damaged.
                if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) continue;
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
    public synchronized Path save(TrainingSnapshot s) {
        // Closed under the run by closeAll (SIGINT, SIGTERM): the lock is gone, so nothing more is written here.
        if (lockChannel == null) throw new NvaeException(dir + ": checkpoint not written: the checkpoint directory was released (interrupted)");
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

    /**
     * Releases the lock and removes the lock file — unlinked while still locked, see the class comment — and
     * the directories {@link #open} made if no checkpoint was written into them. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (lockChannel == null) return;
        Path file = dir.resolve(LOCK_FILE);
        FileChannel named = null;
        try {
            // Only the holder of the named file's lock unlinks it, so the name still leads to ours — unless a
            // person deleted it by hand and another run has made its own since: that one is left alone.
            named = namedIsLocked(file);
            if (named != null) Files.delete(file);
        } catch (IOException | RuntimeException e) {
            warnings.accept(file + ": cannot remove the lock file: " + (e instanceof IOException io ? IoErrors.reason(io) : e.toString()));
        }
        removeIfEmpty(created); // still locked: a run starting now waits for none of this, and finds it done or not begun
        if (named != null) closeQuietly(named);
        closeQuietly(namedChannel);
        closeQuietly(lockChannel); // closing the channels releases the lock
        lockChannel = null;
        HELD.remove(key, this);
    }

    /**
     * Closes every store this JVM holds open and refuses any later {@link #open}, for a shutdown hook on SIGINT or SIGTERM (after {@link
     * Staging#abandonAll}, so no checkpoint is being committed): an interrupted run leaves no lock file, nor a
     * directory it made and wrote no checkpoint into.
     */
    public static void closeAll() {
        synchronized (OPENING) {
            shutDown = true; // a store being opened now is either done and closed here, or never opened
            for (CheckpointStore store : List.copyOf(HELD.values())) store.close();
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to protect: the lock goes with the channel either way
        }
    }
}
