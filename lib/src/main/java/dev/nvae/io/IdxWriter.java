package dev.nvae.io;

import dev.nvae.tensor.Tensor;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.IntUnaryOperator;

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
        writeLabels(file, labels.length, i -> labels[i]);
    }

    /** Writes {@code count} class indices (0..255), computed as they are written, as an idx1 file. */
    public static void writeLabels(Path file, int count, IntUnaryOperator labelOf) {
        AtomicOutput.write(file, out -> {
            header(out, count);
            byte[] block = new byte[1 << 16];
            for (int from = 0; from < count; from += block.length) {
                int n = Math.min(block.length, count - from);
                for (int i = 0; i < n; i++) {
                    int label = labelOf.applyAsInt(from + i);
                    if (label < 0 || label > 255) throw new IllegalArgumentException("label " + label + " at " + (from + i) + " is not a byte");
                    block[i] = (byte) label;
                }
                out.write(block, 0, n);
            }
        });
    }

    /**
     * Writes a count × height × width idx3 file whose images (rows of height·width values in [0,1])
     * arrive in blocks as {@code fill} appends them, so they are never held together. Leaves no file
     * unless exactly {@code count} images were appended.
     */
    public static void writeImages(Path file, int count, int height, int width, Consumer<Npy.F32Rows> fill) {
        int dim = height * width;
        AtomicOutput.write(file, out -> {
            header(out, count, height, width);
            byte[] row = new byte[dim];
            long[] written = {0};
            fill.accept((block, n) -> {
                if (block.cols() != dim || n < 0 || n > block.rows()) throw new IllegalArgumentException(n + " rows of " + block + " for " + height + "x" + width + " images");
                if (written[0] + n > count) throw new IllegalStateException("more than the " + count + " images announced");
                try {
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < dim; j++) row[j] = (byte) toByte(block.segment().getAtIndex(Tensor.F32, (long) i * dim + j));
                        out.write(row);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);  // AtomicOutput reports it as the write failure it is
                }
                written[0] += n;
            });
            if (written[0] != count) throw new IllegalStateException(written[0] + " images appended for " + count);
        });
    }

    /** Bytes of an idx3 file of {@code count} images of {@code dim} pixels, and of its idx1 labels. */
    public static long imagesSize(long count, int dim) {
        return 16 + count * dim;
    }

    public static long labelsSize(long count) {
        return 8 + count;
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
