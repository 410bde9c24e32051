package dev.nvae.io;

import dev.nvae.NvaeException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What a path names as an output, decided before anything is written — as {@code cp} and {@code tee}
 * decide it, not by replacing whatever is there:
 * <ul>
 *   <li>{@code -}: standard output, streamed to;</li>
 *   <li>a device, FIFO or socket that exists, or one of the process's descriptors ({@code /dev/stdout},
 *       {@code /dev/fd/N}): streamed to (a FIFO waits for its reader), never replaced by a regular file;</li>
 *   <li>a symbolic link: followed to the file it names, which is then written as a regular file (the
 *       link stays a link); a link to nothing is refused;</li>
 *   <li>a regular file, or a name not yet taken: written atomically (see {@link Staging}); an existing
 *       file the user may not write is refused, as {@code cp} would refuse it, and so is a directory.</li>
 * </ul>
 */
public sealed interface OutputTarget {
    /** The path as given, for messages. */
    Path given();

    /** Standard output ({@code -}). */
    record StandardOutput(Path given) implements OutputTarget {
    }

    /** A device, FIFO or socket: written in place, as a stream. */
    record Stream(Path given, Path device) implements OutputTarget {
    }

    /** A regular file, existing or not; {@code file} is where it really is (links resolved). */
    record RegularFile(Path given, Path file, boolean exists) implements OutputTarget {
        /** The directory the file is (or will be) in. */
        public Path directory() {
            return file.getParent();
        }
    }

    /** Whether {@code path} is {@code -}, standard output. */
    static boolean isStandardOutput(Path path) {
        return path.toString().equals("-");
    }

    /**
     * Resolves {@code path}; an error (a {@link NvaeException}) reads "PATH: cannot write: REASON".
     */
    static OutputTarget of(Path path) {
        if (isStandardOutput(path)) return new StandardOutput(path);
        BasicFileAttributes link = attributes(path, LinkOption.NOFOLLOW_LINKS);
        BasicFileAttributes a = attributes(path);
        if (link != null && link.isSymbolicLink() && a == null) {
            throw cannotWrite(path, "is a symbolic link to nothing (" + linkText(path) + ")");
        }
        if (a != null && a.isDirectory()) throw cannotWrite(path, "is a directory");
        // A process's own descriptors (/dev/stdout, /dev/fd/3, /proc/self/fd/1) are streams whatever they
        // lead to: `--out /dev/stdout >> log` must append to log, not replace it.
        if (a != null && (a.isOther() || isDescriptor(path))) return new Stream(path, path);
        Path resolved = path;
        if (link != null && link.isSymbolicLink()) {
            try {
                resolved = path.toRealPath();
            } catch (IOException e) {
                throw cannotWrite(path, "is a symbolic link to nothing (" + linkText(path) + ")");
            }
        }
        Path absolute = resolved.toAbsolutePath();
        Path parent = absolute.getParent();
        if (parent == null) throw cannotWrite(path, "has no parent directory");
        if (a != null && !Files.isWritable(resolved)) throw cannotWrite(path, "permission denied");
        BasicFileAttributes p = attributes(parent);
        if (p == null) throw cannotWrite(path, "directory " + parent + " does not exist");
        if (!p.isDirectory()) throw cannotWrite(path, parent + " is not a directory");
        // The directory as the kernel sees it (its links resolved too), so staged files land beside the real file.
        Path realParent;
        try {
            realParent = parent.toRealPath();
        } catch (IOException e) {
            throw cannotWrite(path, "directory " + parent + ": " + IoErrors.reason(e));
        }
        return new RegularFile(path, realParent.resolve(absolute.getFileName()), a != null);
    }

    private static boolean isDescriptor(Path path) {
        String p = path.toAbsolutePath().normalize().toString();
        return p.startsWith("/dev/fd/") || p.equals("/dev/stdout") || p.equals("/dev/stderr") || p.startsWith("/proc/");
    }

    private static BasicFileAttributes attributes(Path path, LinkOption... options) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, options);
        } catch (IOException e) {
            return null;
        }
    }

    private static String linkText(Path link) {
        try {
            return "it points to " + Files.readSymbolicLink(link);
        } catch (IOException e) {
            return IoErrors.reason(e);
        }
    }

    private static NvaeException cannotWrite(Path path, String reason) {
        return new NvaeException(path + ": cannot write: " + reason);
    }
}
