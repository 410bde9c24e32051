package dev.nvae.ffm;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies a {@link NativeBundle}'s resources into {@code <cacheRoot>/<bundle.directoryName()>/}, once.
 *
 * <p>Safe when several processes start at once without any lock: a file already in the cache is used only if
 * its SHA-256 matches the manifest; otherwise the resource is streamed into a private temporary file in the
 * same directory, hashed on the way, checked, and renamed over the target in one atomic {@code rename(2)}.
 * Two processes racing write identical bytes and the last rename wins; a reader sees the old file or the new
 * one, never a partial one. A corrupted or truncated cached file fails the checksum and is replaced.
 */
final class NativeExtractor {

    /** Temporary files older than this are leftovers of a killed process and are deleted. */
    private static final Duration STALE_PART = Duration.ofHours(1);

    /**
     * @param directory the bundle's cache directory
     * @param files     file name to extracted path, in load order; absent optional files are missing
     * @param extracted names written by this call
     * @param reused    names whose cached copy passed the checksum
     * @param absent    optional names whose resource is not on the classpath
     */
    record Result(Path directory, Map<String, Path> files, List<String> extracted, List<String> reused,
                  List<String> absent) {
    }

    private NativeExtractor() {
    }

    /**
     * The bundle's files as they are in {@code <cacheRoot>/<bundle.directoryName()>/}, for a directory that is not ours to
     * write (a distribution's lib/natives, already extracted and checked when it was built): each is checked against the
     * manifest — by its stamp, or hashed when the stamp does not match (a copy that lost its file times) — and nothing is
     * written there, neither a stamp nor a file.
     *
     * @throws IOException naming the first required file that is missing or does not match the manifest
     */
    static Result useAsIs(NativeBundle bundle, Path cacheRoot) throws IOException {
        Path dir = cacheRoot.resolve(bundle.directoryName());
        Map<String, Path> files = new LinkedHashMap<>();
        List<String> reused = new ArrayList<>();
        List<String> absent = new ArrayList<>();
        for (NativeBundle.Entry e : bundle.entries()) {
            Path target = dir.resolve(e.fileName());
            if (matches(target, e, false)) {
                reused.add(e.fileName());
                files.put(e.fileName(), target);
            } else if (!Files.exists(target) && !e.required()) {
                absent.add(e.fileName());
            } else if (!Files.exists(target)) {
                throw new IOException(target + " is missing");
            } else if (!Files.isReadable(target)) {
                throw new IOException(target + " cannot be read by this user (unpacked with a umask that left it its owner's alone?)");
            } else {
                throw new IOException(target + " is not the file the build checked (its size or SHA-256 differs from the manifest): "
                        + "a damaged copy");
            }
        }
        return new Result(dir, files, List.of(), reused, absent);
    }

    /**
     * {@code dir}, made if absent, as a directory only this user can write: a shared parent such as /tmp lets anyone
     * make {@code nvae-<user>} first and put files of their own in it, and a library there would be loaded (its stamp
     * trusted) as ours.
     *
     * @throws IOException if it cannot be made, or is a link or no directory, or belongs to another user (one of ours that
     *                     others may write in is made private)
     */
    static Path privateDirectory(Path dir) throws IOException {
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (java.nio.file.FileAlreadyExistsException exists) {
            // checked below
        } catch (UnsupportedOperationException notPosix) {
            Files.createDirectories(dir);
            return dir;
        }
        // Type, owner and mode in one look at the entry itself, not through a link: checked one by one, the entry could be
        // swapped for a link between the looks. A real directory of ours in a sticky /tmp cannot be swapped afterwards.
        Map<String, Object> a = Files.readAttributes(dir, "unix:isDirectory,uid,mode", java.nio.file.LinkOption.NOFOLLOW_LINKS);
        if (!(Boolean) a.get("isDirectory")) throw new IOException(dir + " is not a directory of its own");
        int uid = (Integer) a.get("uid"), mine = ownUid(dir.getParent());
        if (uid != mine) throw new IOException(dir + " belongs to uid " + uid + ", not to this user (uid " + mine + ")");
        if (((Integer) a.get("mode") & 0022) != 0) {
            // Ours, made writable by a umask of 002 (an older nvae made it so): made private again rather than refused.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
        return dir;
    }

    /**
     * This process's user id, as the owner of a file it makes in {@code where}: by number, so that a user the password
     * database does not know (a container's arbitrary uid, whose user.name is "?") is still itself.
     */
    private static int ownUid(Path where) throws IOException {
        Path probe = Files.createTempFile(where, ".nvae-uid.", ".part");
        try {
            return (Integer) Files.getAttribute(probe, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS);
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    static Result extract(NativeBundle bundle, ClassLoader loader, Path cacheRoot) throws IOException {
        Path dir = cacheRoot.resolve(bundle.directoryName());
        Files.createDirectories(dir);
        deleteStaleParts(dir);
        Map<String, Path> files = new LinkedHashMap<>();
        List<String> extracted = new ArrayList<>();
        List<String> reused = new ArrayList<>();
        List<String> absent = new ArrayList<>();
        for (NativeBundle.Entry e : bundle.entries()) {
            Path target = dir.resolve(e.fileName());
            if (matches(target, e, true)) {
                reused.add(e.fileName());
                files.put(e.fileName(), target);
                continue;
            }
            URL url = loader.getResource(e.resource());
            if (url == null) {
                if (e.required()) {
                    throw new IOException(e.resource() + " is not on the classpath");
                }
                absent.add(e.fileName());
                continue;
            }
            copyVerified(url, e, dir, target);
            extracted.add(e.fileName());
            files.put(e.fileName(), target);
        }
        return new Result(dir, files, extracted, reused, absent);
    }

    /**
     * Whether {@code file} exists with the entry's size and SHA-256. Hashing the 90 MB libdnnl takes a
     * few hundred milliseconds, which every command would pay at start-up; so once a file has passed, a
     * stamp beside it records its size, modification time and hash, and later starts trust a file whose
     * size and time still match its stamp. Any rewrite — truncation, a new copy — changes them and the
     * file is hashed again. A stamp that cannot be read is no stamp: the file is hashed (another user's stamp, written
     * unreadable, made this one's oneDNN unavailable).
     *
     * @param writeStamp whether a file that passed its hash gets a new stamp (not in a directory that is not ours)
     */
    static boolean matches(Path file, NativeBundle.Entry e, boolean writeStamp) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) != e.size()) {
            return false;
        }
        try {
            String stamp = stampOf(file, e);
            Path stampFile = stampFile(file);
            if (stampSays(stampFile, stamp)) return true;
            if (!sha256(file).equals(e.sha256())) return false;
            if (writeStamp) writeStamp(stampFile, stamp);
            return true;
        } catch (FileSystemException unreadable) {
            return false;  // e.g. permissions changed: re-extract over it
        }
    }

    private static boolean stampSays(Path stampFile, String stamp) {
        try {
            return Files.isRegularFile(stampFile) && Files.readString(stampFile).equals(stamp);
        } catch (IOException unreadable) {
            return false;
        }
    }

    private static Path stampFile(Path file) {
        return file.resolveSibling(file.getFileName() + ".verified");
    }

    private static String stampOf(Path file, NativeBundle.Entry e) throws IOException {
        return Files.size(file) + " " + Files.getLastModifiedTime(file).toMillis() + " " + e.sha256() + "\n";
    }

    /** Temp file and rename, like the libraries themselves: a racing reader sees no stamp or a whole one. */
    private static void writeStamp(Path stampFile, String stamp) {
        try {
            Path tmp = Files.createTempFile(stampFile.getParent(), "." + stampFile.getFileName() + ".", ".part");
            Files.writeString(tmp, stamp);
            try {
                // Readable by all, as the libraries are: a temporary file is the owner's alone, and root's stamp in a shared
                // cache was then unreadable to every other user.
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException notPosix) {
                // nothing to widen
            }
            Files.move(tmp, stampFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException ignored) {
            // a read-only cache still works: the file is just hashed again next time
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest md = NativeBundle.sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void copyVerified(URL url, NativeBundle.Entry e, Path dir, Path target) throws IOException {
        Path part = Files.createTempFile(dir, "." + e.fileName() + ".", ".part");
        try {
            MessageDigest md = NativeBundle.sha256();
            long size = 0;
            try (InputStream in = url.openStream(); OutputStream out = Files.newOutputStream(part)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; size += n) {
                    md.update(buf, 0, n);
                    out.write(buf, 0, n);
                }
            }
            String sha = HexFormat.of().formatHex(md.digest());
            if (size != e.size() || !sha.equals(e.sha256())) {
                throw new IOException(e.resource() + " on the classpath (" + size + " bytes, sha256 " + sha.substring(0, 12)
                        + ") differs from the build manifest (" + e.size() + " bytes, sha256 "
                        + e.sha256().substring(0, 12) + "): mixed versions of the native jars?");
            }
            try {
                Files.setPosixFilePermissions(part, PosixFilePermissions.fromString("rwxr-xr-x"));
            } catch (UnsupportedOperationException notPosix) {
                // dlopen needs only read access; nothing to do on a non-POSIX file system
            }
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(part);
        }
    }

    private static void deleteStaleParts(Path dir) {
        FileTime cutoff = FileTime.from(Instant.now().minus(STALE_PART));
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(dir, ".*.part")) {
            for (Path p : parts) {
                if (Files.getLastModifiedTime(p).compareTo(cutoff) < 0) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException ignored) {
            // best effort: a leftover part file only wastes space
        }
    }
}
