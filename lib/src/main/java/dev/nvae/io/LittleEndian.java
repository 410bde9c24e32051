package dev.nvae.io;

import dev.nvae.kernels.Bf16;
import dev.nvae.kernels.Bf16Scalar;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Streams values in little-endian order (safetensors, NPY '<f4' and '<i8'), whatever the platform's order. */
final class LittleEndian {
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort BF16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int CHUNK_BYTES = 64 * 1024;

    private LittleEndian() {
    }

    /** Writes {@code count} native-order floats of {@code src} starting at {@code byteOffset}. */
    static void writeFloats(OutputStream out, MemorySegment src, long byteOffset, long count) throws IOException {
        write(out, src, byteOffset, count, ValueLayout.JAVA_FLOAT_UNALIGNED, F32);
    }

    /**
     * Writes {@code count} native-order floats of {@code src} starting at {@code byteOffset} as bfloat16,
     * rounded to nearest even ({@link Bf16}), little-endian.
     */
    static void writeBf16(OutputStream out, MemorySegment src, long byteOffset, long count) throws IOException {
        int perChunk = CHUNK_BYTES / Short.BYTES;
        byte[] chunk = new byte[(int) Math.min(CHUNK_BYTES, count * Short.BYTES)];
        MemorySegment chunkSegment = MemorySegment.ofArray(chunk);
        MemorySegment floats = src.asSlice(byteOffset, count * Float.BYTES);
        for (long done = 0; done < count; ) {
            int n = (int) Math.min(perChunk, count - done);
            // The vector kernel loads from off-heap (or byte[]) memory only; a float[] array goes through the twin.
            if (floats.isNative()) Bf16.round(floats, done, done + n, chunkSegment, 0);
            else Bf16Scalar.round(floats, done, done + n, chunkSegment, 0);
            out.write(chunk, 0, n * Short.BYTES);
            done += n;
        }
    }

    static void writeFloats(OutputStream out, float[] src) throws IOException {
        writeFloats(out, MemorySegment.ofArray(src), 0, src.length);
    }

    static void writeLongs(OutputStream out, long[] src) throws IOException {
        write(out, MemorySegment.ofArray(src), 0, src.length, ValueLayout.JAVA_LONG_UNALIGNED, I64);
    }

    static void writeLong(OutputStream out, long value) throws IOException {
        writeLongs(out, new long[] {value});
    }

    /** Converts through a small heap buffer so a large tensor is never copied whole. */
    private static void write(OutputStream out, MemorySegment src, long byteOffset, long count,
                              ValueLayout from, ValueLayout to) throws IOException {
        int perChunk = (int) (CHUNK_BYTES / to.byteSize());
        byte[] chunk = new byte[(int) Math.min(CHUNK_BYTES, count * to.byteSize())];
        MemorySegment chunkSegment = MemorySegment.ofArray(chunk);
        for (long done = 0; done < count; ) {
            int n = (int) Math.min(perChunk, count - done);
            MemorySegment.copy(src, from, byteOffset + done * from.byteSize(), chunkSegment, to, 0, n);
            out.write(chunk, 0, (int) (n * to.byteSize()));
            done += n;
        }
    }
}
