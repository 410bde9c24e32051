package dev.nvae.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where fuzz targets put their input: the readers under test take paths, and going through a real
 * file tests the real code. One private directory per JVM, removed at exit.
 */
public final class FuzzFiles {
    private static final Path DIR;

    static {
        try {
            // tmpfs where there is one: a fuzzer writes a file per input, thousands a second.
            Path shm = Path.of("/dev/shm");
            DIR = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "nvae-fuzz")
                    : Files.createTempDirectory("nvae-fuzz");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(DIR)));
    }

    private FuzzFiles() {
    }

    /** A path in the fuzzing directory; the target overwrites it for each input. */
    public static Path file(String name) {
        return DIR.resolve(name);
    }

    /**
     * Splits one fuzz input into {@code n} parts: each but the last is preceded by a 2-byte big-endian
     * length (clamped to what remains), so a mutation can move bytes between the files of a pair.
     */
    public static byte[][] split(byte[] input, int n) {
        byte[][] parts = new byte[n][];
        int pos = 0;
        for (int i = 0; i < n - 1; i++) {
            int len = pos + 2 <= input.length ? ((input[pos] & 0xFF) << 8) | (input[pos + 1] & 0xFF) : 0;
            pos = Math.min(pos + 2, input.length);
            len = Math.min(len, input.length - pos);
            parts[i] = java.util.Arrays.copyOfRange(input, pos, pos + len);
            pos += len;
        }
        parts[n - 1] = java.util.Arrays.copyOfRange(input, pos, input.length);
        return parts;
    }

    /** The inverse of {@link #split}: how seed inputs are built from files. */
    public static byte[] join(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < parts.length; i++) {
            if (i < parts.length - 1) {
                if (parts[i].length > 0xFFFF) throw new IllegalArgumentException("part " + i + " longer than 65535 bytes");
                out.write(parts[i].length >>> 8);
                out.write(parts[i].length);
            }
            out.writeBytes(parts[i]);
        }
        return out.toByteArray();
    }

    /** A fresh, empty directory for one input (the previous one of the same name is removed). */
    public static Path emptyDirectory(String name) throws IOException {
        Path d = DIR.resolve(name);
        deleteTree(d);
        return Files.createDirectories(d);
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) return;
        try (var walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a temp directory: whatever remains is cleaned by the OS
                }
            });
        } catch (IOException ignored) {
            // as above
        }
    }
}
