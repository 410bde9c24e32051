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
            assertEquals(target + ": cannot write: permission denied", e.getMessage());
            assertFalse(Files.exists(target));
        } finally {
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
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
