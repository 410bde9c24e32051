package dev.nvae.io;

import dev.nvae.tensor.Tensor;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Writes images and labels as uncompressed unsigned-byte IDX files, so generated samples form a dataset
 * that {@code IdxReader} (and any MNIST loader) reads back.
 */
public final class IdxWriter {
    private static final int UNSIGNED_BYTE = 0x08;

    private IdxWriter() {
    }

    /** Writes {@code images} (count × height·width values in [0,1]) as a count × height × width idx3 file. */
    public static void writeImages(Path file, Tensor images, int height, int width) {
        writeImages(file, images.segment(), images.rows(), images.cols(), height, width);
    }

    /** Writes {@code pixels} (count × height × width values in [0,1], row-major) as an idx3 file. */
    public static void writeImages(Path file, float[] pixels, int count, int height, int width) {
        if (pixels.length != (long) count * height * width) {
            throw new IllegalArgumentException(pixels.length + " pixels for " + count + " images of " + height + "x" + width);
        }
        writeImages(file, MemorySegment.ofArray(pixels), count, height * width, height, width);
    }

    /** Writes class indices (0..255) as an idx1 file. */
    public static void writeLabels(Path file, int[] labels) {
        byte[] bytes = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] > 255) throw new IllegalArgumentException("label " + labels[i] + " at " + i + " is not a byte");
            bytes[i] = (byte) labels[i];
        }
        AtomicOutput.write(file, out -> {
            header(out, labels.length);
            out.write(bytes);
        });
    }

    /** [0,1] → 0..255, rounded; out-of-range values are clamped and NaN becomes 0. */
    static int toByte(float v) {
        return Math.round(Math.clamp(v, 0f, 1f) * 255f);
    }

    private static void writeImages(Path file, MemorySegment pixels, int count, int dim, int height, int width) {
        if (height <= 0 || width <= 0 || dim != height * width) {
            throw new IllegalArgumentException(dim + " values per image for " + height + "x" + width + " images");
        }
        AtomicOutput.write(file, out -> {
            header(out, count, height, width);
            byte[] row = new byte[dim];
            for (int i = 0; i < count; i++) {
                for (int j = 0; j < dim; j++) row[j] = (byte) toByte(pixels.getAtIndex(Tensor.F32, (long) i * dim + j));
                out.write(row);
            }
        });
    }

    private static void header(OutputStream out, int... dims) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(4 + 4 * dims.length); // big-endian, as IDX is
        header.put((byte) 0).put((byte) 0).put((byte) UNSIGNED_BYTE).put((byte) dims.length);
        for (int d : dims) header.putInt(d);
        out.write(header.array());
    }
}
