package dev.nvae.data;

import dev.nvae.NvaeException;
import dev.nvae.io.FormatException;
import dev.nvae.io.InputFiles;
import dev.nvae.io.IoErrors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Reads one image file, PNG (grey or colour) or PGM (grey) by its extension, with its size bounded. */
public final class ImageFiles {
    /** 2^26 pixels (8192 × 8192): far above any image a model here can take, far below what would exhaust memory. */
    public static final long MAX_PIXELS = 1L << 26;
    /** A PNG of MAX_PIXELS needs less; a 16-bit PGM exactly 2 bytes a pixel. */
    static final long MAX_FILE_BYTES = 2 * MAX_PIXELS + 4096;

    private ImageFiles() {
    }

    /** Whether {@code file}'s name marks an image this reader takes (.png, .pgm, any case). */
    public static boolean isImage(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".png") || name.endsWith(".pgm");
    }

    public static DecodedImage read(Path file) {
        InputFiles.requireRegularFile(file);
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) throw new FormatException(file, "file of " + size + " bytes is larger than any image we accept");
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new NvaeException(file + ": cannot read: " + IoErrors.reason(e), e);
        }
        return decode(file, bytes);
    }

    /**
     * Whether {@code file} is stored in colour (a PNG of colour type RGB, RGBA or palette), from its first
     * 26 bytes. False for a PGM, and for a file that cannot be read or is not a PNG: reading it reports why.
     */
    public static boolean storedInColour(Path file) {
        if (!file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) return false;
        int[] shape = declaredPngShape(file);  // 3 channels for RGB, RGBA and palette, as PngDecoder.declaresColour
        return shape != null && shape[0] == 3;
    }

    /**
     * Decodes a PNG held in memory (a request body, say) that {@code name} stands for in error messages,
     * with the size bound every image file has.
     */
    public static DecodedImage decodePng(String name, byte[] bytes) {
        return PngDecoder.decode(Path.of(name), bytes, MAX_PIXELS);
    }

    /**
     * {channels, height, width} as the PNG {@code file}'s header declares them, from its first 26 bytes; null for a file
     * that is not a regular file, cannot be read or is not a PNG: reading it reports why.
     */
    public static int[] declaredPngShape(Path file) {
        if (!Files.isRegularFile(file)) return null;  // opening a FIFO would block
        try (var in = Files.newInputStream(file)) {
            return PngDecoder.declaredShape(in.readNBytes(26));
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * {channels, height, width} as a PNG's header declares them (3 channels for colour, as decoding gives them), read
     * without decoding; null if the bytes do not start as a PNG's.
     */
    public static int[] declaredPngShape(byte[] bytes) {
        return PngDecoder.declaredShape(bytes);
    }

    /**
     * Decodes {@code bytes} as the image type {@code file}'s extension names ({@code file} only names them:
     * images that never were files, such as a Parquet column's values, pass a name ending in .png).
     */
    public static DecodedImage decode(Path file, byte[] bytes) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".png")) return PngDecoder.decode(file, bytes, MAX_PIXELS);
        if (name.endsWith(".pgm")) return PgmDecoder.decode(file, bytes, MAX_PIXELS);
        throw new FormatException(file, "not a .png or .pgm file");
    }
}
