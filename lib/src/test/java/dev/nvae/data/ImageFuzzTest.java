package dev.nvae.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Tag;
import dev.nvae.io.FormatException;
import dev.nvae.io.FuzzFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PNG and PGM decoders and the image-folder reader on arbitrary bytes: an image (a dataset) or a
 * {@link FormatException}. The JDK's PNG decoder is fuzzed through our wrapper, which must turn every
 * failure of it into a FormatException.
 */
@Tag("fuzz")
class ImageFuzzTest {
    private static final Path PNG = FuzzFiles.file("input.png");
    private static final Path PGM = FuzzFiles.file("input.pgm");

    @FuzzTest(maxDuration = "5m")
    void png(byte[] bytes) throws IOException {
        decode(PNG, bytes);
    }

    /**
     * The same, with every chunk's CRC recomputed first: random mutations almost never keep a CRC
     * valid, so without this the JDK's decoder behind our chunk check would hardly ever be reached.
     */
    @FuzzTest(maxDuration = "5m")
    void pngDecoder(byte[] bytes) throws IOException {
        decode(PNG, withValidCrcs(bytes));
    }

    /** Rewrites the CRC of each complete chunk after the 8-byte signature; the rest is left as it is. */
    static byte[] withValidCrcs(byte[] png) {
        byte[] out = png.clone();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(out);
        int pos = 8;
        while (pos + 12 <= out.length) {
            long length = Integer.toUnsignedLong(b.getInt(pos));
            if (length > out.length - pos - 12L) break;
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(out, pos + 4, 4 + (int) length);
            b.putInt(pos + 8 + (int) length, (int) crc.getValue());
            pos += 12 + (int) length;
        }
        return out;
    }

    @FuzzTest(maxDuration = "5m")
    void pgm(byte[] bytes) throws IOException {
        decode(PGM, bytes);
    }

    private static void decode(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes);
        try {
            DecodedImage img = ImageFiles.read(file);
            assertTrue(img.channels() == 1 || img.channels() == 3, img.channels() + " channels");
            assertEquals((long) img.channels() * img.height() * img.width(), img.pixels().length);
        } catch (FormatException expected) {
            // the documented outcome for a file that is not a valid image
        }
    }

    /**
     * A folder built from the input: byte 0 gives the number of class folders (1..4); then each file is
     * a byte (its class, and bit 7: PNG rather than PGM) followed by a 2-byte length and its content.
     */
    @FuzzTest(maxDuration = "5m")
    void folder(byte[] bytes) throws IOException {
        Path dir = FuzzFiles.emptyDirectory("folder");
        int classes = bytes.length == 0 ? 1 : 1 + (bytes[0] & 3);
        for (int k = 0; k < classes; k++) Files.createDirectory(dir.resolve("class" + k));
        int pos = 1, n = 0;
        while (pos + 3 <= bytes.length && n < 12) {
            int tag = bytes[pos] & 0xFF;
            int len = Math.min(((bytes[pos + 1] & 0xFF) << 8) | (bytes[pos + 2] & 0xFF), bytes.length - pos - 3);
            String ext = (tag & 0x80) != 0 ? ".png" : ".pgm";
            Files.write(dir.resolve("class" + (tag & 0x7F) % classes).resolve("img" + n++ + ext),
                    java.util.Arrays.copyOfRange(bytes, pos + 3, pos + 3 + len));
            pos += 3 + len;
        }
        for (Split split : Split.values()) {
            try {
                Dataset d = ImageFolderReader.read(dir, split, "fuzz");
                assertEquals(classes, d.numClasses());
            } catch (FormatException expected) {
                // the documented outcome for a folder that is not a valid dataset
            }
        }
    }
}
