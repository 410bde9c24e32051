package dev.nvae.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Tag;
import dev.nvae.NvaeException;
import dev.nvae.data.Dataset;
import dev.nvae.data.NpyPairReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The NPY reader, alone and as an image/label pair, on arbitrary bytes: a valid array or a
 * {@link FormatException} (for a pair, also the {@link NvaeException} that names both files when their
 * counts differ); nothing else may escape.
 */
@Tag("fuzz")
class NpyFuzzTest {
    private static final Path ONE = FuzzFiles.file("one.npy");
    private static final Path IMAGES = FuzzFiles.file("images.npy");
    private static final Path LABELS = FuzzFiles.file("labels.npy");

    @FuzzTest(maxDuration = "5m")
    void npy(byte[] bytes) throws IOException {
        Files.write(ONE, bytes);
        NpyArray a;
        try {
            a = Npy.read(ONE);
        } catch (FormatException expected) {
            return;
        }
        long numel = 1;
        for (long d : a.shape()) numel = Math.multiplyExact(numel, d);
        assertEquals(numel, a.numel());
        int read = switch (a.dtype()) {
            case NpyArray.F32 -> a.floats().length;
            case NpyArray.U8 -> a.bytes().length;
            default -> a.integers().length;
        };
        assertEquals(numel, read);
    }

    @FuzzTest(maxDuration = "5m")
    void npyPair(byte[] bytes) throws IOException {
        byte[][] parts = FuzzFiles.split(bytes, 2);
        Files.write(IMAGES, parts[0]);
        Files.write(LABELS, parts[1]);
        Dataset d;
        try {
            d = NpyPairReader.read(IMAGES, LABELS, null, -1, "fuzz");
        } catch (FormatException expected) {
            return;
        } catch (NvaeException e) {
            if (!e.getMessage().contains(" images but ")) throw e; // only the count mismatch is documented as such
            return;
        }
        for (int i = 0; i < d.count(); i++) assertEquals(d.dim(), d.image(i).length);
    }
}
