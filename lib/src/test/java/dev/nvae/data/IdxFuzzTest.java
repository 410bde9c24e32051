package dev.nvae.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Tag;
import dev.nvae.NvaeException;
import dev.nvae.io.FormatException;
import dev.nvae.io.FuzzFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The IDX reader (plain and gzip) alone and as an image/label pair (or images without labels), on arbitrary bytes:
 * a valid array or dataset, or a {@link FormatException} (for a pair, also the {@link NvaeException} naming both files
 * when their counts differ). Gzip input must never inflate past the declared size.
 */
@Tag("fuzz")
class IdxFuzzTest {
    private static final Path ONE = FuzzFiles.file("one-idx");
    private static final Path IMAGES = FuzzFiles.file("images-idx3-ubyte");
    private static final Path LABELS = FuzzFiles.file("labels-idx1-ubyte");

    @FuzzTest(maxDuration = "5m")
    void idx(byte[] bytes) throws IOException {
        Files.write(ONE, bytes);
        IdxArray a;
        try {
            a = IdxReader.read(ONE);
        } catch (FormatException expected) {
            return;
        }
        long numel = 1;
        for (int d : a.dims()) numel *= d;
        assertEquals(numel, a.data().length);
    }

    @FuzzTest(maxDuration = "5m")
    void idxPair(byte[] bytes) throws IOException {
        byte[][] parts = FuzzFiles.split(bytes, 2);
        Files.write(IMAGES, parts[0]);
        Files.write(LABELS, parts[1]);
        imagesAlone();
        Dataset d;
        try {
            d = IdxReader.readPair(IMAGES, LABELS, -1, null, "fuzz");
        } catch (FormatException expected) {
            return;
        } catch (NvaeException e) {
            if (!e.getMessage().contains(" images but ")) throw e;
            return;
        }
        for (int i = 0; i < d.count(); i++) assertEquals(true, d.label(i) < d.numClasses());
    }

    /** The images without a label file: a dataset of no classes, every image without a label, or a FormatException. */
    private static void imagesAlone() {
        Dataset d;
        try {
            d = IdxReader.readPair(IMAGES, null, -1, null, "fuzz");
        } catch (FormatException expected) {
            return;
        }
        assertEquals(0, d.numClasses());
        assertEquals(0, d.labelledCount());
    }
}
