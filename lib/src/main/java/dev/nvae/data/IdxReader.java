package dev.nvae.data;

import dev.nvae.NvaeException;
import dev.nvae.io.FormatException;
import dev.nvae.io.InputFiles;
import dev.nvae.io.IoErrors;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files, the format of MNIST, Fashion-MNIST, EMNIST and KMNIST (http://yann.lecun.com/exdb/mnist/):
 * two zero bytes, a dtype code, the number of dimensions, each dimension as a big-endian int, then the
 * values: unsigned bytes (0x08), or big-endian floats (0x0D) or doubles (0x0E) for images in [0, 1]. Plain or gzip-compressed, told apart by content. Everything the header promises is checked
 * against what the file holds, and a gzip stream is never inflated past the declared size plus one byte,
 * so a small hostile file cannot make us decompress gigabytes.
 *
 * <p>A label file may leave images unlabelled (semi-supervised or label-free data): it still holds one
 * byte per image, and the value {@value #NO_LABEL} means "no label" — so such data has at most 255 classes.
 */
public final class IdxReader {
    private static final int UNSIGNED_BYTE = 0x08;
    private static final int FLOAT = 0x0D;
    private static final int DOUBLE = 0x0E;
    /** The label byte of an image that has none. */
    public static final int NO_LABEL = 255;

    private IdxReader() {
    }

    /**
     * The values of an IDX file as unsigned bytes: an unsigned-byte file's as they are; a float one's (32- or 64-bit)
     * as images, as NPY float images are read ({@link NpyPairReader}): each in [0, 1], stored to 8 bits by
     * rounding v·255, and a value outside refused.
     */
    public static IdxArray read(Path file) {
        return reading(file, in -> {
            Header h = header(file, in, false);
            return new IdxArray(h.dims(), h.dtype() == UNSIGNED_BYTE ? bytes(file, in, h.dims()) : pixels(file, in, h));
        });
    }

    /** A label file: unsigned bytes, as {@link #read} reads them; a float file is refused, as NPY float labels are. */
    public static IdxArray readLabels(Path file) {
        return reading(file, in -> {
            Header h = header(file, in, true);
            return new IdxArray(h.dims(), bytes(file, in, h.dims()));
        });
    }

    /** The dimensions an IDX file declares, read from its header alone (for checks that need no data). */
    public static int[] dims(Path file) {
        return reading(file, in -> header(file, in, false).dims());
    }

    private static byte[] bytes(Path file, InputStream in, int[] dims) throws IOException {
        int size = payloadSize(file, dims, "bytes");
        // readNBytes grows its buffer as data arrives rather than trusting the header's size up front.
        byte[] data = in.readNBytes(size);
        if (data.length < size) {
            throw bad(file, "truncated: dims " + shape(dims) + " declare " + size + " data bytes, found " + data.length);
        }
        if (in.read() >= 0) throw bad(file, "trailing bytes after the " + size + " data bytes that dims " + shape(dims) + " declare");
        return data;
    }

    /**
     * The float values that follow the header, as 8-bit pixels. Streamed a block at a time, so a file of up to 2^31
     * values (8 or 16 GB) is read into one array of that many bytes; which grows as the data arrives, as
     * {@link #bytes}' does, rather than trusting the header's count up front.
     */
    private static byte[] pixels(Path file, InputStream in, Header h) throws IOException {
        int count = payloadSize(file, h.dims(), "values");
        int width = h.dtype() == FLOAT ? Float.BYTES : Double.BYTES;
        long size = (long) count * width;
        byte[] block = new byte[8192 * width];
        ByteBuffer big = ByteBuffer.wrap(block);  // big-endian, as IDX is
        byte[] out = new byte[Math.min(count, 1 << 16)];
        for (int done = 0; done < count; ) {
            int n = Math.min(count - done, 8192);
            int got = in.readNBytes(block, 0, n * width);
            if (got < n * width) {
                throw bad(file, "truncated: dims " + shape(h.dims()) + " declare " + size + " data bytes, found " + ((long) done * width + got));
            }
            if (out.length < done + n) out = Arrays.copyOf(out, (int) Math.min(count, Math.max(2L * out.length, done + n)));
            for (int j = 0; j < n; j++) {
                double v = width == Float.BYTES ? big.getFloat(j * width) : big.getDouble(j * width);
                if (!(v >= 0 && v <= 1)) {
                    String shown = width == Float.BYTES ? Float.toString((float) v) : Double.toString(v);
                    throw bad(file, "pixel value " + shown + " at flat index " + (done + j) + " is outside [0, 1]");
                }
                out[done + j] = (byte) Math.round((float) v * 255f);
            }
            done += n;
        }
        if (in.read() >= 0) throw bad(file, "trailing bytes after the " + size + " data bytes that dims " + shape(h.dims()) + " declare");
        return out;
    }

    private interface StreamReader<T> {
        T read(InputStream in) throws IOException;
    }

    /** Opens {@code file} (inflating gzip) for {@code reader}; a damaged or unreadable file is one message naming it. */
    private static <T> T reading(Path file, StreamReader<T> reader) {
        InputFiles.requireRegularFile(file);
        try (InputStream in = open(file)) {
            return reader.read(in);
        } catch (ZipException e) {
            throw bad(file, "Corrupt GZIP trailer".equals(e.getMessage())
                    ? "damaged gzip data: the CRC-32 or length in its trailer does not match what it inflates to"
                    : "corrupt gzip data: " + e.getMessage());
        } catch (EOFException e) {
            throw bad(file, "truncated gzip stream");
        } catch (IOException e) {
            throw new NvaeException(file + ": cannot read: " + IoErrors.reason(e), e);
        }
    }

    /** An IDX header: the dimensions and the dtype code, one of {@link #UNSIGNED_BYTE}, {@link #FLOAT}, {@link #DOUBLE}. */
    private record Header(int[] dims, int dtype) {
    }

    /** The header; {@code labels}: a label file's, whose values must be unsigned bytes (a float label is refused, as NPY's are). */
    private static Header header(Path file, InputStream in, boolean labels) throws IOException {
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4) throw bad(file, "truncated: " + magic.length + " bytes, shorter than the 4-byte IDX magic");
        if (magic[0] != 0 || magic[1] != 0) {
            throw bad(file, String.format("bad magic %02x %02x %02x %02x: an IDX file starts with 00 00",
                    magic[0], magic[1], magic[2], magic[3]));
        }
        int dtype = magic[2] & 0xFF;
        // A label file's refusal offered the float types too, which labels then refused.
        if (labels && dtype != UNSIGNED_BYTE) {
            throw bad(file, "labels must be unsigned bytes (0x08), found " + dtypeName(dtype) + String.format(" (0x%02x)", dtype));
        }
        if (dtype != UNSIGNED_BYTE && dtype != FLOAT && dtype != DOUBLE) {
            throw bad(file, "dtype 0x" + String.format("%02x", dtype) + " (" + dtypeName(dtype)
                    + ") is not one nvae reads: IDX data may be unsigned bytes (0x08), 32-bit floats (0x0d) or 64-bit floats (0x0e)");
        }
        int ndims = magic[3] & 0xFF;
        if (ndims < 1 || ndims > 4) throw bad(file, "number of dimensions " + ndims + " is not in 1..4");
        byte[] dimBytes = in.readNBytes(4 * ndims);
        if (dimBytes.length < 4 * ndims) throw bad(file, "truncated: the header declares " + ndims + " dimensions but ends early");
        int[] dims = new int[ndims];
        ByteBuffer big = ByteBuffer.wrap(dimBytes); // big-endian by default, as IDX is
        for (int i = 0; i < ndims; i++) {
            dims[i] = big.getInt();
            // The header's sizes are unsigned 32-bit: 0xFFFFFFFF was reported as "negative (-1)".
            if (dims[i] < 0) {
                throw bad(file, "dimension " + i + " is " + Integer.toUnsignedString(dims[i]) + ", more than the "
                        + Integer.MAX_VALUE + " an array can hold");
            }
        }
        return new Header(dims, dtype);
    }

    /**
     * Reads an image file (count × height × width) and its label file (count) into a dataset.
     *
     * @param labels     the label file, or null: no image has a label
     * @param numClasses number of classes, or -1 for max label + 1
     * @param classNames one name per class, or null for "0", "1", ...
     */
    public static Dataset readPair(Path images, Path labels, int numClasses, List<String> classNames, String name) {
        IdxArray img = read(images);
        IdxArray lab = labels == null ? null : readLabels(labels);
        if (img.dims().length != 3) {
            throw bad(images, "expected 3-D images (count x height x width), found dims " + shape(img.dims()));
        }
        int count = img.dims()[0];
        byte[] labelBytes = lab == null ? unlabelled(count) : lab.data();
        if (lab != null && lab.dims().length != 1) throw bad(labels, "expected 1-D labels, found dims " + shape(lab.dims()));
        if (lab != null && count != lab.dims()[0]) {
            throw new NvaeException(images + " holds " + count + " images but " + labels + " holds " + lab.dims()[0]
                    + " labels; a label file holds one label per image (" + NO_LABEL + " for an image without one)");
        }
        if (img.dims()[1] == 0 || img.dims()[2] == 0) throw bad(images, "images of size " + shape(img.dims()) + " are empty");
        BitSet missing = new BitSet(count);
        for (int i = 0; i < count; i++) if ((labelBytes[i] & 0xFF) == NO_LABEL) missing.set(i);
        int k = numClasses >= 0 ? numClasses : maxLabel(labelBytes) + 1;
        if (k == 0 && (count == 0 || missing.cardinality() < count)) {
            throw bad(labels != null ? labels : images, "holds no labels, so the number of classes is unknown");
        }
        for (int i = 0; i < count; i++) {
            int label = labelBytes[i] & 0xFF;
            if (label != NO_LABEL && label >= k) {
                throw bad(labels, "label " + label + " at index " + i + " is not below the number of classes " + k);
            }
        }
        List<String> names = classNames != null ? classNames
                : IntStream.range(0, k).mapToObj(Integer::toString).toList();
        if (names.size() != k) throw new IllegalArgumentException(names.size() + " class names for " + k + " classes");
        return new Dataset(name, img.data(), labelBytes, missing, 1, img.dims()[1], img.dims()[2], names);
    }

    /** The label bytes of {@code count} images without a label file: all {@value #NO_LABEL}. */
    private static byte[] unlabelled(int count) {
        byte[] none = new byte[count];
        Arrays.fill(none, (byte) NO_LABEL);
        return none;
    }

    /** The largest label in an unsigned-byte label array ({@value #NO_LABEL}, no label, aside), -1 if there is none. */
    static int maxLabel(byte[] labels) {
        int max = -1;
        for (byte b : labels) if ((b & 0xFF) != NO_LABEL) max = Math.max(max, b & 0xFF);
        return max;
    }

    private static InputStream open(Path file) throws IOException {
        BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
        in.reset();
        return gzip ? new GZIPInputStream(in, 1 << 16) : in;
    }

    /** The number of values {@code dims} declare, which one array must hold ({@code unit} names them in a refusal). */
    private static int payloadSize(Path file, int[] dims, String unit) {
        long size;
        try {
            size = Arrays.stream(dims).asLongStream().reduce(1, Math::multiplyExact);
        } catch (ArithmeticException e) {
            throw bad(file, "dims " + shape(dims) + " overflow a 64-bit size");
        }
        if (size > Integer.MAX_VALUE - 8) throw bad(file, "dims " + shape(dims) + " declare " + size + " " + unit + ", more than one array can hold");
        return (int) size;
    }

    private static String dtypeName(int code) {
        return switch (code) {
            case 0x09 -> "signed byte";
            case 0x0B -> "16-bit int";
            case 0x0C -> "32-bit int";
            case 0x0D -> "32-bit float";
            case 0x08 -> "unsigned byte";
            case 0x0E -> "64-bit float";
            default -> "unknown dtype";
        };
    }

    private static String shape(int[] dims) {
        return Arrays.stream(dims).mapToObj(Integer::toString).collect(Collectors.joining("x"));
    }

    private static FormatException bad(Path file, String reason) {
        return new FormatException(file, reason);
    }
}
