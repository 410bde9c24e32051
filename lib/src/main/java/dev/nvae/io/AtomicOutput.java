package dev.nvae.io;

import dev.nvae.NvaeException;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Writes a file so that it either appears complete under its final name or not at all: the bytes go
 * to a hidden temporary file in the same directory (a rename is only atomic within one file system),
 * which is flushed, fsynced and then renamed over the target. A crash or a failing writer never leaves
 * a truncated model or sample file behind.
 */
public final class AtomicOutput {
    /** Produces the file's content. The stream is buffered; closing it is allowed but not needed. */
    @FunctionalInterface
    public interface IoWriter {
        void write(OutputStream out) throws IOException;
    }

    /** The hidden name of a file being written: "." + final name + ".tmp-" + random suffix. */
    private static final Pattern TEMPORARY = Pattern.compile("\\..+\\.tmp-[0-9a-z]+");

    private AtomicOutput() {
    }

    /**
     * Whether {@code file} is one of our temporary files. A process killed mid-write leaves one behind;
     * whoever owns the directory (a checkpoint store) may remove them when it starts.
     */
    public static boolean isTemporary(Path file) {
        Path name = file.getFileName();
        return name != null && TEMPORARY.matcher(name.toString()).matches();
    }

    public static void write(Path target, IoWriter writer) {
        Path parent = target.toAbsolutePath().getParent();
        if (Files.isDirectory(target)) throw cannotWrite(target, "is a directory");
        if (parent == null || !Files.exists(parent)) throw cannotWrite(target, "directory " + parent + " does not exist");
        if (!Files.isDirectory(parent)) throw cannotWrite(target, parent + " is not a directory");
        Path temp = parent.resolve("." + target.getFileName() + ".tmp-"
                + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36));
        boolean moved = false;
        try {
            // CREATE_NEW rather than Files.createTempFile: the latter makes the file 0600, and the
            // rename would carry that mode to the user's output.
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = new FlushOnClose(Channels.newOutputStream(channel));
                writer.write(out);
                out.flush();
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            syncDirectory(parent);
        } catch (IOException e) {
            throw cannotWrite(target, IoErrors.reason(e), e);
        } catch (UncheckedIOException e) {  // from a writer fed through a callback that cannot throw IOException
            throw cannotWrite(target, IoErrors.reason(e.getCause()), e);
        } finally {
            if (!moved) deleteQuietly(temp);
        }
    }

    /** Makes the rename itself durable. Some file systems refuse to open or sync a directory; the file is safe regardless. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort: see above
        }
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // the original failure is the one to report
        }
    }

    private static NvaeException cannotWrite(Path target, String reason) {
        return new NvaeException(target + ": cannot write: " + reason);
    }

    private static NvaeException cannotWrite(Path target, String reason, Throwable cause) {
        return new NvaeException(target + ": cannot write: " + reason, cause);
    }

    /** Lets writers close the stream (try-with-resources, ImageIO) without closing the channel we still fsync. */
    private static final class FlushOnClose extends BufferedOutputStream {
        FlushOnClose(OutputStream out) {
            super(out, 1 << 16);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
