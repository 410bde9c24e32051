package dev.nvae.io;

import dev.nvae.NvaeException;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes an output so that it either appears complete under its final name or not at all. Where the
 * path leads is decided first ({@link OutputTarget}: standard output, a device or FIFO, a symbolic link,
 * a regular file); a regular file's bytes go to a staging directory beside it ({@link Staging}), are
 * flushed and fsynced, then renamed over the target. A crash, a kill or a failing writer never leaves a
 * truncated model or sample file behind. Streams (standard output, devices, FIFOs) are written in place:
 * what reached them cannot be taken back.
 */
public final class AtomicOutput {
    /** Produces the file's content. The stream is buffered; closing it is allowed but not needed. */
    @FunctionalInterface
    public interface IoWriter {
        void write(OutputStream out) throws IOException;
    }

    private AtomicOutput() {
    }

    public static void write(Path target, IoWriter writer) {
        switch (OutputTarget.of(target)) {
            case OutputTarget.StandardOutput s -> stream(target, new FileOutputStream(FileDescriptor.out), writer);
            case OutputTarget.Stream s when s.device().toString().equals("/dev/stdout") ->
                    stream(target, new FileOutputStream(FileDescriptor.out), writer);
            case OutputTarget.Stream s when s.device().toString().equals("/dev/stderr") ->
                    stream(target, new FileOutputStream(FileDescriptor.err), writer);
            case OutputTarget.Stream s -> {
                // Opened without CREATE: the device or FIFO is there, and must not become a regular file.
                // APPEND: a descriptor (/dev/fd/3) that leads to a file continues it, as the shell's >> meant.
                try (OutputStream device = Files.newOutputStream(s.device(), StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                    stream(target, device, writer);
                } catch (IOException e) {
                    throw cannotWrite(target, IoErrors.reason(e), e);
                }
            }
            case OutputTarget.RegularFile f -> {
                if (Staging.owning(f.directory()) != null) {
                    writeNew(target, f.file(), writer); // already inside a staging directory of ours
                } else {
                    try (Staging staging = Staging.in(f.directory(), target)) {
                        writeNew(target, staging.stage(f.file()), writer);
                        staging.commit();
                    }
                }
            }
        }
    }

    /** Writes, flushes and fsyncs a file that must not exist yet. */
    private static void writeNew(Path target, Path file, IoWriter writer) {
        // CREATE_NEW rather than Files.createTempFile: the latter makes the file 0600, and the
        // rename would carry that mode to the user's output.
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            OutputStream out = new FlushOnClose(Channels.newOutputStream(channel));
            writer.write(out);
            out.flush();
            channel.force(true);
        } catch (IOException e) {
            throw cannotWrite(target, IoErrors.reason(e), e);
        } catch (UncheckedIOException e) {  // from a writer fed through a callback that cannot throw IOException
            throw cannotWrite(target, IoErrors.reason(e.getCause()), e);
        }
    }

    private static void stream(Path target, OutputStream sink, IoWriter writer) {
        try {
            OutputStream out = new FlushOnClose(sink);
            writer.write(out);
            out.flush();
        } catch (IOException e) {
            throw streamFailed(target, IoErrors.reason(e), e);
        } catch (UncheckedIOException e) {
            throw streamFailed(target, IoErrors.reason(e.getCause()), e);
        }
    }

    private static NvaeException streamFailed(Path target, String reason, Throwable cause) {
        return ReaderGoneException.isBrokenPipe(reason) ? new ReaderGoneException(target, cause) : cannotWrite(target, reason, cause);
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
