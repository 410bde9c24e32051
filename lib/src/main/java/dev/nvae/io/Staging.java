package dev.nvae.io;

import dev.nvae.NvaeException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Where output files are written before they appear under their final names: a hidden directory
 * {@code .nvae-staging-<16 hex digits>} beside them (a rename is atomic only within one file system).
 * Files are written and fsynced in it; {@link #commit} renames them into place and fsyncs the
 * directory; {@link #close} removes whatever was not committed. So a failure, or a kill, never leaves a
 * partial file under a final name, and a set of files (images and labels) appears together.
 *
 * <p>A killed process cannot clean up, so what it leaves must be recognisable as ours and as abandoned:
 * the directory's name says it is a staging directory, and its {@value #LOCK} file is locked (an fcntl
 * lock, which the kernel releases when the process dies) for as long as the directory is in use, then
 * stamped with the owner's pid. {@link #removeStale} removes exactly the staging directories whose lock
 * nobody holds — never a user's file, never the staging of a run still going. SIGINT and SIGTERM run the
 * JVM's shutdown hooks, which call {@link #abandonAll} so that nothing is left even then.
 */
public final class Staging implements AutoCloseable {
    private static final String PREFIX = ".nvae-staging-";
    private static final Pattern NAME = Pattern.compile("\\.nvae-staging-[0-9a-f]{16}");
    private static final String LOCK = "lock";
    /**
     * A staging directory without a stamped lock is one whose creator was killed between its first two
     * system calls — or one being created right now; only age tells them apart.
     */
    private static final Duration UNSTAMPED_GRACE = Duration.ofMinutes(1);
    /** Every staging directory of this process that is neither committed nor removed. */
    private static final Set<Staging> LIVE = ConcurrentHashMap.newKeySet();
    /** Commits and {@link #abandonAll} exclude each other, so an interrupt never splits a set of files. */
    private static final Object COMMITS = new Object();
    private static volatile boolean abandoned;
    /** Directories already cleaned of stale staging by this process: each is looked at once. */
    private static final Set<Path> CLEANED = ConcurrentHashMap.newKeySet();
    private static volatile Consumer<String> notices = message -> { };
    /** Told each final name as it is committed (the CLI's interrupt line keeps what it expects and has not seen). */
    private static volatile Consumer<Path> commits = path -> { };

    private final Path parent;
    private final Path dir;
    private final FileChannel lock;
    private final Map<Path, Path> files = new LinkedHashMap<>(); // staged name -> final name
    private boolean finished;

    private Staging(Path parent, Path dir, FileChannel lock) {
        this.parent = parent;
        this.dir = dir;
        this.lock = lock;
    }

    /**
     * A new staging directory in {@code parent} (which must exist). An error names {@code target}, the
     * output the user asked for.
     */
    public static Staging in(Path parent, Path target) {
        if (!CLEANED.contains(parent)) cleanUp(parent);
        // Made and registered under the lock abandonAll takes: an interrupt comes before (and this refuses)
        // or after (and removes it), never between the directory's creation and its registration.
        synchronized (COMMITS) {
            if (abandoned) throw new NvaeException(target + ": not written: interrupted");
            Path dir;
            while (true) {
                dir = parent.resolve(PREFIX + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()));
                try {
                    Files.createDirectory(dir);
                    break;
                } catch (FileAlreadyExistsException taken) {
                    // 2^-64 per try: draw again
                } catch (IOException e) {
                    throw new NvaeException(target + ": cannot write: " + IoErrors.reason(e), e);
                }
            }
            FileChannel channel = null;
            try {
                channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                FileLock held = channel.tryLock();
                if (held == null) throw new IOException("cannot lock " + dir.resolve(LOCK));
                channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
            } catch (IOException | RuntimeException e) {
                closeQuietly(channel);
                deleteTree(dir);
                throw new NvaeException(target + ": cannot write: " + (e instanceof IOException io ? IoErrors.reason(io) : e.getMessage()), e);
            }
            Staging s = new Staging(parent, dir, channel);
            LIVE.add(s);
            return s;
        }
    }

    /** The staging directory of this process that {@code directory} is, or null: writers inside it write directly. */
    static Staging owning(Path directory) {
        if (directory == null) return null;
        for (Staging s : LIVE) {
            if (s.dir.equals(directory)) return s;
        }
        return null;
    }

    /** Where to write the content of {@code target}, a file in this staging's parent directory. */
    public synchronized Path stage(Path target) {
        if (finished) throw new NvaeException(target + ": not written: interrupted");
        if (!parent.equals(target.getParent())) throw new IllegalArgumentException(target + " is not in " + parent);
        Path staged = dir.resolve(target.getFileName().toString());
        if (files.containsKey(staged)) throw new IllegalArgumentException(target + " is staged twice");
        files.put(staged, target);
        return staged;
    }

    /** Renames the staged files into place (each replacing what is there) and makes that durable. */
    public void commit() {
        commitAll(List.of(this));
    }

    /**
     * Commits several stagings as one set: an interrupt ({@link #abandonAll}) comes before all of them
     * or after all of them.
     */
    public static void commitAll(List<Staging> stagings) {
        commitAll(stagings, List.of());
    }

    /**
     * As {@link #commitAll(List)}, then removes {@code replaced}: files of an earlier output that the new one
     * replaces as a whole but does not write again (a report's traversal of a dimension the new model does not
     * traverse), so that none is left beside it. An interrupt comes before all of it (the earlier output is
     * intact) or after all of it.
     */
    public static void commitAll(List<Staging> stagings, List<Path> replaced) {
        synchronized (COMMITS) {
            if (abandoned) throw new NvaeException("interrupted: the output was not written");
            for (Staging s : stagings) s.renameIntoPlace();
            Set<Path> parents = new LinkedHashSet<>();
            for (Path p : replaced) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new NvaeException(p + ": cannot remove (a file of the output this one replaces): " + IoErrors.reason(e), e);
                }
                if (p.toAbsolutePath().getParent() != null) parents.add(p.toAbsolutePath().getParent());
            }
            for (Path d : parents) syncDirectory(d);
        }
    }

    private synchronized void renameIntoPlace() {
        if (finished) throw new IllegalStateException("staging " + dir + " already finished");
        for (var it = files.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            keepPermissions(e.getValue(), e.getKey());
            try {
                Files.move(e.getKey(), e.getValue(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException ex) {
                throw new NvaeException(e.getValue() + ": cannot write: " + IoErrors.reason(ex), ex);
            }
            commits.accept(e.getValue());
            it.remove();
        }
        syncDirectory(parent);
        finish();
    }

    /**
     * The replaced file's permission bits go to its replacement, as they would had it been overwritten
     * in place: a private (0600) file stays private.
     */
    private static void keepPermissions(Path target, Path staged) {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(target);
            Files.setPosixFilePermissions(staged, mode);
        } catch (IOException | UnsupportedOperationException ignored) {
            // no file there yet, or no POSIX modes: the new file gets the usual ones
        }
    }

    @Override
    public synchronized void close() {
        if (!finished) finish();
    }

    /** Removes the directory with whatever is still in it, then drops the lock. */
    private void finish() {
        finished = true;
        LIVE.remove(this);
        removeWhileWritten(dir);
        closeQuietly(lock);
    }

    /**
     * {@link #deleteTree} until the directory is gone, for a bounded time. On SIGTERM this runs in a shutdown
     * hook while the thread writing into the directory goes on, and a file that thread creates between the
     * listing and the directory's removal would keep the directory (seen: a checkpoint's staging left behind
     * by a SIGTERM in KillTest). A writer creates each staged file once, so a few passes see it gone.
     */
    private static void removeWhileWritten(Path dir) {
        for (int pass = 0; pass < 100; pass++) {
            deleteTree(dir);
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** How many files this process has staged and neither committed nor removed (an interrupt would remove them). */
    public static long stagedFiles() {
        long n = 0;
        for (Staging s : List.copyOf(LIVE)) {
            synchronized (s) {
                if (!s.finished) n += s.files.size();
            }
        }
        return n;
    }

    /**
     * On SIGINT or SIGTERM (from a shutdown hook): removes every staging directory of this process, after
     * any commit in progress has finished, and refuses later ones. Returns the final names that will not
     * be written.
     */
    public static List<Path> abandonAll() {
        synchronized (COMMITS) {
            abandoned = true;
            List<Path> lost = new ArrayList<>();
            for (Staging s : List.copyOf(LIVE)) {
                synchronized (s) {
                    if (s.finished) continue;
                    lost.addAll(s.files.values());
                    s.finish();
                }
            }
            return lost;
        }
    }

    /**
     * Sets who is told each final name once it is committed (replacing the previous listener). Nothing is kept
     * here: a long-lived process (a server training through the Java API) writes without end.
     */
    public static void onCommit(Consumer<Path> listener) {
        commits = listener;
    }

    /** Whether {@code path}'s name is that of a staging directory. */
    public static boolean isStagingName(Path path) {
        Path name = path.getFileName();
        return name != null && NAME.matcher(name.toString()).matches();
    }

    /** Where {@link #cleanUp} reports what it removed (a CLI prints it as a warning); by default nowhere. */
    public static void onNotice(Consumer<String> listener) {
        notices = listener;
    }

    /** {@link #removeStale}, reporting what was removed to the {@link #onNotice} listener. */
    public static void cleanUp(Path parent) {
        List<Path> removed = removeStale(parent);
        if (!removed.isEmpty()) {
            notices.accept("removed " + (removed.size() == 1 ? "the unfinished output " + removed.getFirst()
                    : removed.size() + " unfinished outputs in " + parent) + " left by an interrupted run");
        }
    }

    /**
     * Removes the staging directories in {@code parent} that a killed process left: named as ours, and
     * locked by nobody (and stamped, or older than a minute). Returns their names. A staging directory
     * in use, by this process or another, is left alone.
     */
    public static List<Path> removeStale(Path parent) {
        CLEANED.add(parent);
        List<Path> removed = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, PREFIX + "*")) {
            for (Path p : entries) {
                if (isStagingName(p) && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && owning(p) == null && abandonedByOwner(p)) {
                    deleteTree(p);
                    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) removed.add(p);
                }
            }
        } catch (IOException e) {
            return removed; // an unreadable directory: the write itself will report what is wrong
        }
        return Collections.unmodifiableList(removed);
    }

    private static boolean abandonedByOwner(Path dir) {
        Path lockFile = dir.resolve(LOCK);
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            FileLock held;
            try {
                held = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                return false; // this JVM holds it
            }
            if (held == null) return false; // its process is alive and using it
            if (channel.size() > 0) return true; // stamped by a process that has since died
        } catch (IOException e) {
            // no lock file (killed before it was made), or one we may not open: judged by age below
        }
        try {
            FileTime modified = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).lastModifiedTime();
            return modified.toInstant().isBefore(Instant.now().minus(UNSTAMPED_GRACE));
        } catch (IOException e) {
            return false;
        }
    }

    /** Removes a staging directory: only its own entries, one level deep, never following links. */
    private static void deleteTree(Path dir) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // gone already, or not ours to empty: the directory delete below then fails too
        }
        try {
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // best effort: a later run's removeStale tries again
        }
    }

    /** Makes renames in {@code dir} durable. Some file systems refuse to open or sync a directory; the files are safe regardless. */
    static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort: see above
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) return;
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing releases the lock either way
        }
    }
}
