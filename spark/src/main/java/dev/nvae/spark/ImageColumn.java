package dev.nvae.spark;

import dev.nvae.NvaeException;
import dev.nvae.data.Dataset;
import dev.nvae.data.DecodedImage;
import dev.nvae.data.ImageFiles;
import dev.nvae.io.FormatException;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;

/**
 * The input column of {@code encode} holding the images, and how one of its values becomes the model's
 * D = C·H·W values in [0,1] (channel-major, as the model's input holds them). Binary values are uint8
 * (D bytes), float32 little-endian (4·D bytes, what {@code generate} writes) or a PNG (a grey one repeated
 * in each channel of a colour model); arrays hold D floats or doubles. Anything else is refused with the column, the row and the reason.
 */
record ImageColumn(String option, String name, int channels, int height, int width) implements Serializable {
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    /** The column's type, checked on the driver: binary, or an array of float or double. */
    void checkType(DataType type) {
        boolean ok = type instanceof BinaryType
                || type instanceof ArrayType a && (a.elementType() instanceof FloatType || a.elementType() instanceof DoubleType);
        if (!ok) {
            throw new NvaeException(option + " " + name + ": a column of " + type.simpleString()
                    + ", expected binary (uint8, float32 or PNG) or array<float> of " + shape() + " values");
        }
    }

    /**
     * Row {@code index}'s value into {@code pixels} (length D), every value in [0, 1] as the model reads them:
     * stored to 8 bits, as {@code nvae encode}, {@code evaluate} and {@code serve} store every image they read
     * (float32 NPY included: v·255 rounded), so that the rows equal theirs. Read exactly, float values gave
     * other rows (a posterior mean 4e-4 off, the mean neg_elbo 8e-4).
     */
    void read(Object value, long index, float[] pixels) {
        if (decode(value, index, pixels)) return; // 8-bit values: in range and stored as they are
        // Floats may hold anything: a NaN gave NaN scores and 0..255 values a neg_elbo of 1.5e14, where the
        // same values from --data are refused.
        for (int j = 0; j < pixels.length; j++) {
            if (!(pixels[j] >= 0f && pixels[j] <= 1f)) throw bad(index, "holds " + pixels[j] + " at position " + j + ", outside [0, 1]");
            pixels[j] = Dataset.storedAs8Bits(pixels[j]);
        }
    }

    /** Decodes {@code value} into {@code pixels}; true when its values were 8-bit (uint8 bytes or a PNG), false for floats. */
    private boolean decode(Object value, long index, float[] pixels) {
        int d = pixels.length;
        return switch (value) {
            case null -> throw bad(index, "is null");
            case byte[] b when startsWith(b, PNG) -> {
                png(b, index, pixels);
                yield true;
            }
            case byte[] b when b.length == d -> {
                for (int j = 0; j < d; j++) pixels[j] = (b[j] & 0xFF) / 255f;
                yield true;
            }
            case byte[] b when b.length == (long) d * Float.BYTES -> {
                Images.decodeFloat32(b, pixels);
                yield false;
            }
            case byte[] b -> throw bad(index, "holds " + b.length + " bytes, not " + d + " (uint8), " + d * Float.BYTES
                    + " (float32) or a PNG");
            case float[] f when f.length == d -> {
                System.arraycopy(f, 0, pixels, 0, d);
                yield false;
            }
            case List<?> list when list.size() == d -> {
                for (int j = 0; j < d; j++) {
                    if (!(list.get(j) instanceof Number v)) throw bad(index, "holds " + list.get(j) + " at position " + j);
                    pixels[j] = v.floatValue();
                }
                yield false;
            }
            case List<?> list -> throw bad(index, "holds " + list.size() + " values, not " + d);
            default -> throw bad(index, "holds a " + value.getClass().getSimpleName());
        };
    }

    private void png(byte[] bytes, long index, float[] pixels) {
        DecodedImage image;
        try {
            image = ImageFiles.decode(Path.of(name + ".png"), bytes);
        } catch (FormatException e) {
            throw bad(index, "is not a readable PNG: " + e.reason());
        }
        if (image.height() != height || image.width() != width) {
            throw bad(index, "is a " + image.height() + "x" + image.width() + " PNG, not " + height + "x" + width);
        }
        // A grey PNG for a colour model is repeated in R, G and B, as an image folder's grey files are.
        if (image.channels() == 1 && channels != 1) image = image.withChannels(channels);
        if (image.channels() != channels) throw bad(index, "is a PNG of " + image.channels() + " channels");
        for (int j = 0; j < pixels.length; j++) pixels[j] = (image.pixels()[j] & 0xFF) / 255f;
    }

    private NvaeException bad(long index, String what) {
        return new NvaeException(option + " " + name + ": row " + index + " " + what + " (the model reads "
                + shape() + " = " + channels * height * width + " values)");
    }

    private String shape() {
        return (channels == 1 ? "" : channels + "x") + height + "x" + width;
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        if (b.length < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) if (b[i] != prefix[i]) return false;
        return true;
    }
}
