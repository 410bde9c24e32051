package dev.nvae.io;

import dev.nvae.NvaeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.abort;

class AtomicOutputTest {
    @TempDir
    Path dir;

    private List<String> listing() throws IOException {
        return listing(dir);
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesContentAndLeavesNoTemporaryFile() throws IOException {
        Path target = dir.resolve("out.bin");
        AtomicOutput.write(target, out -> out.write(new byte[] {1, 2, 3}));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(target));
        assertEquals(List.of("out.bin"), listing());
    }

    @Test
    void replacesAnExistingFile() throws IOException {
        Path target = dir.resolve("out.txt");
        Files.writeString(target, "old content that is longer");
        AtomicOutput.write(target, out -> out.write("new".getBytes(StandardCharsets.UTF_8)));
        assertEquals("new", Files.readString(target));
    }

    @Test
    void writerMayCloseTheStream() throws IOException {
        Path target = dir.resolve("closed.txt");
        AtomicOutput.write(target, out -> {
            try (out) {
                out.write('x');
            }
        });
        assertEquals("x", Files.readString(target));
    }

    @Test
    void failingWriterLeavesNoFileAndNoTemporary() throws IOException {
        Path target = dir.resolve("out.bin");
        NvaeException e = assertThrows(NvaeException.class, () -> AtomicOutput.write(target, out -> {
            out.write(new byte[100_000]);
            throw new IOException("disk full");
        }));
        assertEquals(target + ": cannot write: disk full", e.getMessage());
        assertEquals(List.of(), listing());
    }

    @Test
    void runtimeExceptionPropagatesAndKeepsTheOldFile() throws IOException {
        Path target = dir.resolve("model.safetensors");
        Files.writeString(target, "previous model");
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> AtomicOutput.write(target, out -> {
            out.write(new byte[1000]);
            throw boom;
        }));
        assertSame(boom, thrown);
        assertEquals("previous model", Files.readString(target));
        assertEquals(List.of("model.safetensors"), listing());
    }

    @Test
    void missingParentDirectory() {
        Path target = dir.resolve("no/such/dir/out.bin");
        NvaeException e = assertThrows(NvaeException.class, () -> AtomicOutput.write(target, out -> out.write(1)));
        assertEquals(target + ": cannot write: directory " + dir.resolve("no/such/dir") + " does not exist", e.getMessage());
    }

    @Test
    void parentIsAFile() throws IOException {
        Path file = Files.writeString(dir.resolve("plain"), "x");
        Path target = file.resolve("out.bin");
        NvaeException e = assertThrows(NvaeException.class, () -> AtomicOutput.write(target, out -> out.write(1)));
        assertEquals(target + ": cannot write: " + file + " is not a directory", e.getMessage());
    }

    @Test
    void targetIsADirectory() throws IOException {
        Path target = Files.createDirectory(dir.resolve("adir"));
        NvaeException e = assertThrows(NvaeException.class, () -> AtomicOutput.write(target, out -> out.write(1)));
        assertEquals(target + ": cannot write: is a directory", e.getMessage());
        assertTrue(Files.isDirectory(target));
    }

    @Test
    void unwritableDirectory() throws IOException {
        Path readOnly = Files.createDirectory(dir.resolve("ro"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            Path parent = unwritable(readOnly);
            Path target = parent.resolve("nvae-test-out.bin");
            NvaeException e = assertThrows(NvaeException.class, () -> AtomicOutput.write(target, out -> out.write(1)));
            // EACCES for a read-only directory, EPERM for /sys
            assertTrue(e.getMessage().equals(target + ": cannot write: permission denied")
                    || e.getMessage().equals(target + ": cannot write: operation not permitted"), e.getMessage());
            assertFalse(Files.exists(target));
        } finally {
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void aSymbolicLinkIsFollowedAndStaysALink() throws IOException {
        Path real = Files.writeString(Files.createDirectory(dir.resolve("elsewhere")).resolve("real.bin"), "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.bin"), real);
        AtomicOutput.write(link, out -> out.write("new".getBytes(StandardCharsets.UTF_8)));
        assertTrue(Files.isSymbolicLink(link));
        assertEquals(real, Files.readSymbolicLink(link));
        assertEquals("new", Files.readString(real));
        assertEquals(List.of("real.bin"), listing(dir.resolve("elsewhere")), "staged beside the real file, and gone");
    }

    @Test
    void aLinkToNothingIsRefused() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("missing/target"));
        NvaeException e = assertThrows(NvaeException.class, () -> AtomicOutput.write(link, out -> out.write(1)));
        assertEquals(link + ": cannot write: is a symbolic link to nothing (it points to " + dir.resolve("missing/target") + ")", e.getMessage());
    }

    @Test
    void theReplacedFilesPermissionsAreKept() throws IOException {
        Path target = Files.writeString(dir.resolve("private.bin"), "secret");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
        AtomicOutput.write(target, out -> out.write("new secret".getBytes(StandardCharsets.UTF_8)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
    }

    /** A device is written in place, never replaced by a regular file; a full one fails like a full disk. */
    @Test
    void devicesAreStreamedTo() throws IOException {
        Path devNull = Path.of("/dev/null"), devFull = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(devNull) && Files.exists(devFull), "needs /dev/null and /dev/full");
        AtomicOutput.write(devNull, out -> out.write(new byte[100_000]));
        assertTrue(Files.readAttributes(devNull, java.nio.file.attribute.BasicFileAttributes.class).isOther());
        NvaeException e = assertThrows(NvaeException.class, () -> AtomicOutput.write(devFull, out -> out.write(new byte[100_000])));
        assertEquals("/dev/full: cannot write: no space left on device", e.getMessage());
        assertTrue(Files.readAttributes(devFull, java.nio.file.attribute.BasicFileAttributes.class).isOther());
    }

    @Test
    void aFifoIsStreamedToItsReader() throws Exception {
        Path fifo = dir.resolve("pipe");
        org.junit.jupiter.api.Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "needs mkfifo");
        java.util.concurrent.CompletableFuture<byte[]> read = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readAllBytes(fifo);
            } catch (IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        });
        AtomicOutput.write(fifo, out -> out.write("through the pipe".getBytes(StandardCharsets.UTF_8)));
        assertEquals("through the pipe", new String(read.get(30, java.util.concurrent.TimeUnit.SECONDS), StandardCharsets.UTF_8));
        assertTrue(Files.readAttributes(fifo, java.nio.file.attribute.BasicFileAttributes.class).isOther(), "still a FIFO");
    }

    /** A reader that closes the pipe early (| head) is not a write failure to report: ReaderGoneException, which the CLI ends quietly. */
    @Test
    void aReaderThatClosesThePipeEarlyIsReaderGone() throws Exception {
        Path fifo = dir.resolve("early");
        org.junit.jupiter.api.Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "needs mkfifo");
        java.util.concurrent.CompletableFuture<byte[]> head = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try (var in = Files.newInputStream(fifo)) {
                return in.readNBytes(8);
            } catch (IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        });
        ReaderGoneException e = assertThrows(ReaderGoneException.class, () -> AtomicOutput.write(fifo, out -> {
            for (int i = 0; i < 1000; i++) out.write(new byte[64 * 1024]); // far more than a pipe holds
        }));
        assertEquals(fifo + ": cannot write: broken pipe (its reader closed it)", e.getMessage());
        assertEquals(8, head.get(30, java.util.concurrent.TimeUnit.SECONDS).length);
    }

    /** A directory we cannot create files in: a read-only one, or (as root, who ignores modes) /sys. */
    private static Path unwritable(Path readOnly) throws IOException {
        for (Path candidate : List.of(readOnly, Path.of("/sys"))) {
            Path probe = candidate.resolve(".nvae-probe");
            try {
                Files.createFile(probe);
                Files.delete(probe);
            } catch (AccessDeniedException expected) {
                return candidate;
            } catch (IOException other) {
                // not usable as a test directory; try the next
            }
        }
        return abort("no unwritable directory available to this user");
    }
}
