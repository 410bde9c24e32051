package dev.nvae.spark;

import dev.nvae.io.ImageGrid;
import dev.nvae.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * How an image travels in a Parquet column: float32 values, little-endian, row-major, channel-major for a
 * model of several channels (4·C·H·W bytes, what {@code np.frombuffer(b, '<f4')} reads and the payload of
 * {@code nvae sample --format npy} holds for that sample), or PNG bytes (the image alone, 8-bit grey; grey
 * models only). A Parquet list of floats would be written value by value; a binary value is one
 * copy, several times faster (see the README).
 */
enum Images {
    FLOAT32("float32-le"), PNG("png");

    private static final ValueLayout.OfFloat LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** The encoding's name in the column's metadata. */
    final String tag;

    Images(String tag) {
        this.tag = tag;
    }

    /** Row {@code row} of {@code means} (its first c·h·w values; c = 1 for a PNG). */
    byte[] encode(Tensor means, int row, int c, int h, int w) {
        if (this == PNG && c != 1) throw new IllegalArgumentException("a PNG of " + c + " channels");
        int d = c * h * w;
        long offset = (long) row * means.cols() * Float.BYTES;
        if (this == FLOAT32) {
            byte[] out = new byte[d * Float.BYTES];
            MemorySegment.copy(means.segment(), Tensor.F32, offset, MemorySegment.ofArray(out), LE, 0, d);
            return out;
        }
        float[] pixels = new float[d];
        MemorySegment.copy(means.segment(), Tensor.F32, offset, pixels, 0, d);
        return ImageGrid.png(pixels, h, w);
    }

    /** {@code 4·d} little-endian float32 bytes into {@code into}. */
    static void decodeFloat32(byte[] bytes, float[] into) {
        MemorySegment.copy(MemorySegment.ofArray(bytes), LE, 0, into, 0, into.length);
    }
}
