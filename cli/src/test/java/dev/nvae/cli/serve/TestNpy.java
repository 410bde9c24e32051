package dev.nvae.cli.serve;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;

/** NPY files of any shape, as {@code np.save} writes them: the library's writer makes only (rows, cols) arrays. */
public final class TestNpy {
    private TestNpy() {
    }

    /** A uint8 array of {@code shape} holding {@code values}. */
    public static byte[] u8(byte[] values, long... shape) {
        return file("|u1", shape, values);
    }

    /** An int64 array of shape (N,): labels, −1 for an example without one. */
    public static byte[] i64(long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) b.putLong(v);
        return file("<i8", new long[] {values.length}, b.array());
    }

    /** A float64 array of {@code shape} holding {@code values}: a dtype no image or label file may have. */
    public static byte[] f64(double[] values, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) b.putDouble(v);
        return file("<f8", shape, b.array());
    }

    private static byte[] file(String descr, long[] shape, byte[] data) {
        String dims = Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", "));
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + (shape.length == 1 ? "," : "") + "), }";
        int unpadded = 6 + 2 + 2 + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        out.write(header.length() & 0xFF);
        out.write(header.length() >> 8);
        out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(data);
        return out.toByteArray();
    }
}
