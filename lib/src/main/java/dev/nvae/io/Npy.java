package dev.nvae.io;

import dev.nvae.NvaeException;
import dev.nvae.tensor.Tensor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongToIntFunction;

/**
 * NumPy's {@code .npy} format (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html):
 * float32 matrices of samples and latents, int64 label vectors. {@code np.load} reads what we write;
 * we read '<f4', '<i8', '<i4' and '|u1' arrays of format version 1.0, 2.0 or 3.0, and their big-endian forms
 * ('>f4', ...) and Fortran order too, as the little-endian C-order array of the same values.
 */
public final class Npy {
    private static final Set<String> READABLE = Set.of(NpyArray.F32, NpyArray.I64, NpyArray.I32, NpyArray.U8);
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** Bytes before the header text: magic, 2 version bytes, 2-byte (v1) header length. */
    private static final int V1_PREAMBLE = MAGIC.length + 2 + 2;
    /** NumPy itself refuses larger headers by default (max_header_size); they only serve to exhaust memory. */
    private static final int MAX_HEADER_BYTES = 1 << 20;

    private Npy() {
    }

    public static void writeF32(Path file, float[] data, int rows, int cols) {
        if (rows < 0 || cols < 0 || data.length != (long) rows * cols) {
            throw new IllegalArgumentException("writeF32: " + data.length + " values for a " + rows + "x" + cols + " array");
        }
        AtomicOutput.write(file, out -> writeF32(out, data, rows, cols));
    }

    /** The bytes of the file {@link #writeF32(Path, float[], int, int)} writes: a (rows, cols) '&lt;f4' array. */
    public static byte[] f32Bytes(float[] data, int rows, int cols) {
        if (rows < 0 || cols < 0 || data.length != (long) rows * cols) {
            throw new IllegalArgumentException("f32Bytes: " + data.length + " values for a " + rows + "x" + cols + " array");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(128 + data.length * Float.BYTES);
        try {
            writeF32(out, data, rows, cols);
        } catch (IOException e) {
            throw new UncheckedIOException(e);  // a byte array stream does not fail
        }
        return out.toByteArray();
    }

    private static void writeF32(OutputStream out, float[] data, int rows, int cols) throws IOException {
        writeHeader(out, NpyArray.F32, rows, cols);
        LittleEndian.writeFloats(out, data);
    }

    /** Takes the row blocks of an array being written by {@link #writeF32(Path, int, int, Consumer)}. */
    @FunctionalInterface
    public interface F32Rows {
        /** Appends the first {@code rows} rows of {@code block}, whose width must be the array's. */
        void append(Tensor block, int rows);
    }

    /**
     * Writes a (rows, cols) '&lt;f4' array whose rows arrive in blocks: the header first, then each block
     * as {@code fill} appends it — so an array produced batch by batch (samples) is never held whole.
     * Leaves no file unless exactly {@code rows} rows were appended.
     */
    public static void writeF32(Path file, long rows, int cols, Consumer<F32Rows> fill) {
        AtomicOutput.write(file, out -> {
            writeHeader(out, NpyArray.F32, rows, cols);
            long[] written = {0};
            fill.accept((block, n) -> {
                if (block.cols() != cols || n < 0 || n > block.rows()) {
                    throw new IllegalArgumentException(n + " rows of a " + block.rows() + "x" + block.cols() + " block for a "
                            + rows + "x" + cols + " array");
                }
                if (written[0] + n > rows) throw new IllegalStateException("more than the " + rows + " rows announced");
                try {
                    LittleEndian.writeFloats(out, block.segment(), 0, (long) n * cols);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);  // AtomicOutput reports it as the write failure it is
                }
                written[0] += n;
            });
            if (written[0] != rows) throw new IllegalStateException(written[0] + " rows appended for a " + rows + "-row array");
        });
    }

    public static void writeF32(Path file, Tensor t) {
        AtomicOutput.write(file, out -> {
            writeHeader(out, NpyArray.F32, t.rows(), t.cols());
            LittleEndian.writeFloats(out, t.segment(), 0, t.size());
        });
    }

    /** A 1-D '<i8' array, the dtype {@code np.array(list_of_ints)} gets on Linux. */
    public static void writeI64(Path file, int[] values) {
        writeI64(file, values.length, i -> values[(int) i]);
    }

    /** A 1-D '<i8' array of {@code count} values computed as they are written, so none is ever held. */
    public static void writeI64(Path file, long count, LongToIntFunction value) {
        AtomicOutput.write(file, out -> {
            writeHeader(out, NpyArray.I64, count);
            long[] block = new long[4096];
            for (long from = 0; from < count; from += block.length) {
                int n = (int) Math.min(block.length, count - from);
                for (int i = 0; i < n; i++) block[i] = value.applyAsInt(from + i);
                LittleEndian.writeLongs(out, n == block.length ? block : Arrays.copyOf(block, n));
            }
        });
    }

    /** Bytes of an NPY file of {@code rows} × {@code cols} values of {@code itemSize} bytes (1-D when cols is 0). */
    public static long fileSize(long rows, int cols, int itemSize) {
        String dict = cols == 0 ? NpyHeader.format(NpyArray.F32, rows) : NpyHeader.format(NpyArray.F32, rows, cols);
        long header = (V1_PREAMBLE + dict.length() + 1 + 63) / 64 * 64;
        return header + rows * Math.max(1, cols) * itemSize;
    }

    /**
     * What an array read for one purpose may be: {@code what} it holds ("images", "labels") and its dtypes,
     * {@code described} as the message refusing another dtype gives them ("integers (&lt;i8, &lt;i4 or |u1)").
     * Each must be one this reader reads.
     */
    public record Dtypes(String what, String described, Set<String> allowed) {
        public Dtypes {
            if (!READABLE.containsAll(allowed)) throw new IllegalArgumentException(allowed + " includes a dtype not read");
            allowed = Set.copyOf(allowed);
        }

        public Dtypes(String what, String described, String... allowed) {
            this(what, described, Set.of(allowed));
        }

        /** Any dtype this reader reads. */
        static final Dtypes ANY = new Dtypes("the array", "one of <f4, <i8, <i4, |u1", READABLE);

        /** Checks {@code dtype}, the little-endian form of {@code stored}, the file's own descr that a refusal names. */
        private void check(Path file, String dtype, String stored) {
            if (allowed.contains(dtype)) return;
            boolean structured = stored.equals(NpyHeader.STRUCTURED);
            String found = structured ? "a structured dtype (a list of fields)" : NpyHeader.shown(stored);
            throw new FormatException(file, this != ANY ? what + " must be " + described + ", found " + found
                    : structured ? "structured dtype (a list of fields) not supported (supported: <f4, <i8, <i4, |u1)"
                    : "dtype '" + found + "' not supported (supported: <f4, <i8, <i4, |u1)");
        }
    }

    /** The array in {@code file}, of any dtype this reader reads. */
    public static NpyArray read(Path file) {
        return read(file, Dtypes.ANY);
    }

    /** The array in {@code file}, refused unless of one of {@code dtypes}, with a message that lists those. */
    public static NpyArray read(Path file, Dtypes dtypes) {
        InputFiles.requireRegularFile(file);
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > Integer.MAX_VALUE - 8) throw new FormatException(file, "file of " + size + " bytes is too large to load");
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new NvaeException(file + ": cannot read: " + IoErrors.reason(e), e);
        }
        return parse(file, bytes, dtypes, true);
    }

    /**
     * The array in {@code bytes}, the whole content of an NPY file (a request body, say) that
     * {@code file} stands for in error messages. The array's values are a view of {@code bytes}.
     */
    public static NpyArray parse(Path file, byte[] bytes) {
        return parse(file, bytes, Dtypes.ANY);
    }

    /** As {@link #parse(Path, byte[])}, refused unless of one of {@code dtypes}. */
    public static NpyArray parse(Path file, byte[] bytes, Dtypes dtypes) {
        return parse(file, bytes, dtypes, false);
    }

    /**
     * The array in {@code bytes}: a view of them, or of one copy of its payload where it is stored in Fortran order
     * (transposed into C order) or big-endian (byte-swapped); with {@code owned} a big-endian payload in C order is
     * swapped where it lies instead, as no one else sees those bytes.
     */
    private static NpyArray parse(Path file, byte[] bytes, Dtypes dtypes, boolean owned) {
        Header h = header(file, bytes, dtypes);
        long found = bytes.length - h.dataOffset();
        if (found < h.payloadBytes()) {
            throw new FormatException(file, "truncated: shape " + Arrays.toString(h.header().shape()) + " of " + h.header().descr()
                    + " needs " + h.payloadBytes() + " data bytes, file has " + found);
        }
        if (found > h.payloadBytes()) {
            throw new FormatException(file, (found - h.payloadBytes()) + " trailing bytes after the " + h.payloadBytes()
                    + " data bytes of shape " + Arrays.toString(h.header().shape()));
        }
        long[] shape = h.header().shape();
        int size = NpyArray.itemSize(h.dtype());
        boolean swap = h.bigEndian() && size > 1;
        MemorySegment payload;
        if (h.header().fortranOrder() && transposes(shape)) {
            payload = MemorySegment.ofArray(cOrder(bytes, h.dataOffset(), shape, size, swap));
        } else if (swap) {
            byte[] target = owned ? bytes : Arrays.copyOfRange(bytes, h.dataOffset(), bytes.length);
            int from = owned ? h.dataOffset() : 0;
            swapEach(target, from, size);
            payload = MemorySegment.ofArray(target).asSlice(from);
        } else {
            payload = MemorySegment.ofArray(bytes).asSlice(h.dataOffset());
        }
        return new NpyArray(file, h.dtype(), shape, payload);
    }

    /** Whether Fortran order differs from C order for {@code shape}: only where two axes or more have more than one element. */
    private static boolean transposes(long[] shape) {
        return Arrays.stream(shape).filter(d -> d > 1).count() > 1;
    }

    /**
     * The C-order bytes of a Fortran-order payload at {@code from} in {@code src}, whose values are each {@code size}
     * bytes, reversed ({@code swap}) to little-endian: Fortran order stores the axes reversed, so axis k of the
     * array advances by the product of the axes before it. One copy of the data; the indices are longs, so an
     * array of up to 2 GB does not overflow them.
     */
    private static byte[] cOrder(byte[] src, int from, long[] shape, int size, boolean swap) {
        int n = shape.length;
        long[] stride = new long[n];
        long numel = 1;
        for (int k = 0; k < n; k++) {
            stride[k] = numel;
            numel *= shape[k];
        }
        byte[] out = new byte[Math.toIntExact(numel * size)];
        if (numel == 0) return out;
        long[] index = new long[n];
        int last = n - 1;
        long step = stride[last] * size;
        long source = 0;  // the element at index, counted in the source
        int dst = 0;
        while (true) {
            long at = from + source * size;
            for (long j = 0; j < shape[last]; j++, at += step) {
                int a = (int) at;
                if (swap) for (int b = size - 1; b >= 0; b--) out[dst++] = src[a + b];
                else for (int b = 0; b < size; b++) out[dst++] = src[a + b];
            }
            int k = last - 1;  // the next index over the outer axes, as an odometer turns
            while (k >= 0 && ++index[k] == shape[k]) {
                source -= (shape[k] - 1) * stride[k];
                index[k] = 0;
                k--;
            }
            if (k < 0) return out;
            source += stride[k];
        }
    }

    /** Reverses the bytes of each {@code size}-byte value of {@code bytes} from {@code from} to the end. */
    private static void swapEach(byte[] bytes, int from, int size) {
        for (long i = from; i + size <= bytes.length; i += size) {
            for (int lo = (int) i, hi = lo + size - 1; lo < hi; lo++, hi--) {
                byte t = bytes[lo];
                bytes[lo] = bytes[hi];
                bytes[hi] = t;
            }
        }
    }

    /** The shape the NPY file in {@code bytes} declares, from its header alone, without reading its data. */
    public static long[] shape(Path file, byte[] bytes, Dtypes dtypes) {
        return header(file, bytes, dtypes).header().shape();
    }

    /** The shape an NPY file declares, from its header alone (for checks that need no data); its dtype must be one of {@code dtypes}. */
    public static long[] shape(Path file, Dtypes dtypes) {
        InputFiles.requireRegularFile(file);
        byte[] prefix;
        try (InputStream in = Files.newInputStream(file)) {
            prefix = in.readNBytes(V1_PREAMBLE + 2 + MAX_HEADER_BYTES);
        } catch (IOException e) {
            throw new NvaeException(file + ": cannot read: " + IoErrors.reason(e), e);
        }
        return header(file, prefix, dtypes).header().shape();
    }

    /** The header, the dtype as read ({@code <f4} for a big-endian {@code >f4}), and where the payload lies. */
    private record Header(NpyHeader header, String dtype, boolean bigEndian, int dataOffset, long payloadBytes) {
    }

    /** The little-endian dtype a big-endian one of a dtype read is read as ({@code >f4} as {@code <f4}); any other descr as it is. */
    private static String littleEndian(String descr) {
        String swapped = descr.startsWith(">") ? "<" + descr.substring(1) : descr;
        return READABLE.contains(swapped) ? swapped : descr;
    }

    /** Parses and checks the preamble and header at the start of {@code bytes} (the whole file, or at least its header). */
    private static Header header(Path file, byte[] bytes, Dtypes dtypes) {
        MemorySegment all = MemorySegment.ofArray(bytes);
        if (bytes.length < V1_PREAMBLE || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new FormatException(file, "not an NPY file (missing the \\x93NUMPY magic)");
        }
        int major = bytes[6] & 0xFF, minor = bytes[7] & 0xFF;
        long headerLength;
        int preamble;
        if (major == 1 && minor == 0) {
            headerLength = Short.toUnsignedInt(all.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 8));
            preamble = V1_PREAMBLE;
        } else if ((major == 2 || major == 3) && minor == 0) {
            if (bytes.length < V1_PREAMBLE + 2) throw new FormatException(file, "truncated NPY preamble");
            headerLength = Integer.toUnsignedLong(all.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 8));
            preamble = V1_PREAMBLE + 2;
        } else {
            throw new FormatException(file, "NPY version " + major + "." + minor + " not supported (1.0, 2.0 and 3.0 are)");
        }
        if (headerLength > MAX_HEADER_BYTES) {
            throw new FormatException(file, "NPY header length " + headerLength + " exceeds the limit of " + MAX_HEADER_BYTES);
        }
        if (preamble + headerLength > bytes.length) {
            throw new FormatException(file, "NPY header of " + headerLength + " bytes is truncated");
        }
        String text = headerText(file, bytes, preamble, (int) headerLength, major);
        NpyHeader header = NpyHeader.parse(file, text);
        String dtype = littleEndian(header.descr());
        dtypes.check(file, dtype, header.descr());
        long payloadBytes;
        try {
            long numel = Arrays.stream(header.shape()).reduce(1, Math::multiplyExact);
            payloadBytes = Math.multiplyExact(numel, NpyArray.itemSize(dtype));
        } catch (ArithmeticException e) {
            throw new FormatException(file, "shape " + Arrays.toString(header.shape()) + " overflows a 64-bit byte count");
        }
        return new Header(header, dtype, !dtype.equals(header.descr()), (int) (preamble + headerLength), payloadBytes);
    }

    /** The header's text: latin-1 in versions 1.0 and 2.0 (ASCII in what numpy writes), UTF-8 in 3.0, which is 2.0 otherwise. */
    private static String headerText(Path file, byte[] bytes, int offset, int length, int major) {
        if (major < 3) return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new FormatException(file, "NPY header of version 3.0 is not UTF-8");
        }
    }

    /** Version 1.0 header, space-padded and newline-terminated so the data starts at a multiple of 64 bytes. */
    private static void writeHeader(OutputStream out, String descr, long... shape) throws IOException {
        String dict = NpyHeader.format(descr, shape);
        int unpadded = V1_PREAMBLE + dict.length() + 1;
        int total = (unpadded + 63) / 64 * 64;
        String text = dict + " ".repeat(total - unpadded) + "\n";
        out.write(MAGIC);
        out.write(new byte[] {1, 0, (byte) text.length(), (byte) (text.length() >>> 8)});
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
