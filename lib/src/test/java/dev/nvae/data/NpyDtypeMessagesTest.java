package dev.nvae.data;

import dev.nvae.api.Images;
import dev.nvae.api.InvalidRequestException;
import dev.nvae.data.synthetic.KnownFactors;
import dev.nvae.io.FormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.nvae.data.NpyPairReaderTest.i64;
import static dev.nvae.data.NpyPairReaderTest.npy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * An array of a dtype the reader does not read at all (float64) is refused with the dtypes that array may have:
 * images uint8 or float32, labels integers, factor values float32. The message listed every dtype the NPY reader
 * reads ("supported: <f4, <i8, <i4, |u1"), so float64 images were told int64 would do, which is refused next.
 */
class NpyDtypeMessagesTest {
    private static final String IMAGES = "images must be uint8 (|u1) or float32 (<f4), found <f8";
    private static final String LABELS = "labels must be integers (<i8, <i4 or |u1), found <f8";

    @TempDir
    Path dir;

    @Test
    void float64ImagesAndLabelsAreToldTheirOwnDtypes() throws IOException {
        Path y = npy(dir.resolve("y.npy"), "<i8", "(2,)", i64(0, 1));
        Path x = npy(dir.resolve("x.npy"), "<f8", "(2, 1, 1)", new byte[16]);
        assertReason(x, IMAGES, () -> NpyPairReader.read(x, y, null, -1, "n"));
        Path u8 = npy(dir.resolve("u8.npy"), "|u1", "(2, 1, 1)", new byte[2]);
        Path floatLabels = npy(dir.resolve("f.npy"), "<f8", "(2,)", new byte[16]);
        assertReason(floatLabels, LABELS, () -> NpyPairReader.read(u8, floatLabels, null, -1, "n"));
        assertReason(floatLabels, LABELS, () -> NpyPairReader.maxLabel(floatLabels));
    }

    /** The other split's images are checked from their header alone: the same message. */
    @Test
    void theOtherSplitsImagesToo() throws IOException {
        Path data = dir.resolve("d");
        npy(data.resolve("train-images.npy"), "|u1", "(2, 1, 1)", new byte[2]);
        npy(data.resolve("train-labels.npy"), "<i8", "(2,)", i64(0, 1));
        Path test = npy(data.resolve("test-images.npy"), "<f8", "(2, 1, 1)", new byte[16]);
        assertReason(test, IMAGES, () -> DataSources.loadDirectory(data, Split.TRAIN));
    }

    @Test
    void factorValuesAreFloat32() throws IOException {
        Files.writeString(dir.resolve(KnownFactors.NAMES_FILE), "size all\n");
        Path values = npy(KnownFactors.valuesFile(dir, Split.TRAIN), "<f8", "(1, 1)", new byte[8]);
        assertReason(values, "factor values must be float32 (<f4), found <f8", () -> KnownFactors.read(dir, Split.TRAIN, "--data"));
    }

    /** The API's images (and so nvae serve's NPY bodies) are refused naming images, with the same reason. */
    @Test
    void theApisImages() throws IOException {
        byte[] body = Files.readAllBytes(npy(dir.resolve("x.npy"), "<f8", "(2, 1, 1)", new byte[16]));
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> Images.fromNpy(body));
        assertEquals("images", e.field());
        assertEquals("images: " + IMAGES, e.getMessage());
    }

    private static void assertReason(Path file, String reason, org.junit.jupiter.api.function.Executable call) {
        FormatException e = assertThrows(FormatException.class, call);
        assertEquals(file, e.file());
        assertEquals(reason, e.reason());
    }
}
