package dev.nvae.data;

import dev.nvae.NvaeException;
import dev.nvae.io.FormatException;
import dev.nvae.io.Npy;
import dev.nvae.io.NpyArray;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A dataset as two NPY arrays: images, uint8 ({@code |u1}, 0..255) or float32 ({@code <f4}, in [0,1],
 * stored to 8 bits by rounding v·255) of shape (N, C, H, W) with C 1 (grey) or 3 (RGB), channels first as
 * nvae holds an image, (N, H, W) for grey ones, or (N, D) for non-image data (read as 1 × D),
 * and labels of shape (N,), int64, int32 or uint8: int64 and int32 labels in 0..255, or −1 for an example
 * without a label; uint8 labels in 0..254, or 255 for an example without one, as in an IDX label file (a
 * uint8 array cannot hold −1, and {@code np.array([-1]).astype(np.uint8)} is 255) — data for semi-supervised
 * or label-free training. The format {@code np.save} writes.
 */
public final class NpyPairReader {
    private NpyPairReader() {
    }

    /**
     * Why a float outside [0, 1] is refused: --likelihood gaussian is offered for non-image data, and such data (standardised
     * features, say) was refused with no word of what to do.
     */
    static final String OUTSIDE = " (values are read as intensities in [0, 1] and stored to 8 bits, under either --likelihood: rescale other data into [0, 1])";

    /** The dtypes an images array may have. */
    public static final Npy.Dtypes IMAGE_DTYPES = new Npy.Dtypes("images", "uint8 (|u1) or float32 (<f4)", NpyArray.U8, NpyArray.F32);
    /** The dtypes a labels array may have. */
    public static final Npy.Dtypes LABEL_DTYPES = new Npy.Dtypes("labels", "integers (<i8, <i4 or |u1)", NpyArray.I64, NpyArray.I32, NpyArray.U8);

    /** The label of an example that has none. */
    public static final long NO_LABEL = -1;
    /** An unsigned (uint8) label file's byte for an example without a label, as in IDX: it has no −1. */
    static final long U8_NO_LABEL = 255;

    /**
     * @param labels     the labels file, or null: no image has a label
     * @param classNames one name per class, or null for "0".."K-1" with K = {@code numClasses}
     * @param numClasses the number of classes if classNames is null; -1 for max label + 1
     */
    public static Dataset read(Path images, Path labels, List<String> classNames, int numClasses, String name) {
        NpyArray array = Npy.read(images, IMAGE_DTYPES);
        Pixels img = pixels(images, array);
        // The channel counts the image-folder reader makes, and so the ones a model is trained on and writes samples of.
        if (img.channels() != 1 && img.channels() != 3) {
            long[] shape = array.shape();
            long last = shape[shape.length - 1];
            // PIL and most numpy code keep images channels last: their C is read as the height, hence the hint.
            String channelsLast = shape.length == 4 && (last == 1 || last == 3) ? ", channels first: an array of images (N, H, W, "
                    + last + ") is stored as a.transpose(0, 3, 1, 2)" : "";
            throw new FormatException(images, "holds images of " + img.channels() + " channels (shape " + Arrays.toString(shape)
                    + "); a dataset's images have 1 channel (grey) or 3 (RGB)" + channelsLast);
        }
        int count = img.count();
        long[] values = labelValues(labels, count, images);
        int k = classNames != null ? classNames.size() : numClasses >= 0 ? numClasses : (int) Arrays.stream(values).max().orElse(-1) + 1;
        // Data with no label at all (every entry -1) has no classes: it is for label-free training only.
        if (k == 0 && (count == 0 || Arrays.stream(values).anyMatch(v -> v != NO_LABEL))) {
            throw new FormatException(labels != null ? labels : images, "holds no labels, so the number of classes is unknown");
        }
        byte[] bytes = new byte[count];
        BitSet missing = new BitSet(count);
        for (int i = 0; i < count; i++) {
            if (values[i] >= k) throw new FormatException(labels, "label " + values[i] + " at index " + i + " is not below the number of classes " + k);
            if (values[i] == NO_LABEL) missing.set(i);
            else bytes[i] = (byte) values[i];
        }
        List<String> names = classNames != null ? classNames : IntStream.range(0, k).mapToObj(Integer::toString).toList();
        return new Dataset(name, img.values(), bytes, missing, img.channels(), img.height(), img.width(), names);
    }

    /** Images as this reader stores them: count × channels × height × width unsigned 8-bit pixels, each image CHW. */
    public record Pixels(int count, int channels, int height, int width, byte[] values) {
    }

    /**
     * The images of an NPY array read from {@code file}: uint8, or float32 in [0,1] stored to 8 bits by
     * rounding v·255; shape (N, C, H, W) — channels first, as a model reads and writes images — (N, H, W) for
     * one channel, or (N, D) read as N images of 1 × D. Any C is taken: the caller decides which it reads.
     */
    public static Pixels pixels(Path file, NpyArray img) {
        ImageShape shape = imageShape(file, img.shape());
        return new Pixels((int) img.shape()[0], shape.channels(), shape.height(), shape.width(), values(file, img));
    }

    /** Channels, height and width of one image. */
    public record ImageShape(int channels, int height, int width) {
    }

    /**
     * The size of one image of an array of {@code shape}, as {@link #pixels} reads it, from the shape alone: so
     * that the other split of a dataset is checked from its header, without reading its data.
     */
    public static ImageShape imageShape(Path file, long[] shape) {
        if (shape.length < 2 || shape.length > 4) {
            throw new FormatException(file, "expected images of shape (N, C, H, W), (N, H, W) or (N, D), found " + Arrays.toString(shape));
        }
        for (long d : shape) {
            // With another dimension 0 the file size bounds nothing, so each is checked on its own.
            if (d > Integer.MAX_VALUE - 8) throw new FormatException(file, "dimension " + d + " of shape " + Arrays.toString(shape) + " is too large");
        }
        int depth = shape.length;
        int c = depth == 4 ? (int) shape[1] : 1;
        int height = depth >= 3 ? (int) shape[depth - 2] : 1;
        int width = (int) shape[depth - 1];
        if (c == 0 || height == 0 || width == 0) throw new FormatException(file, "images of shape " + Arrays.toString(shape) + " are empty");
        return new ImageShape(c, height, width);
    }

    /** The largest label in a label file, -1 if it is empty; checks dtype, shape and range like {@link #read}. */
    public static int maxLabel(Path labels) {
        NpyArray lab = Npy.read(labels, LABEL_DTYPES);
        long[] values = checkedLabels(labels, lab);
        return (int) Arrays.stream(values).max().orElse(-1);
    }

    private static byte[] values(Path file, NpyArray img) {
        return switch (img.dtype()) {
            case NpyArray.U8 -> img.bytes();
            case NpyArray.F32 -> {
                float[] v = img.floats();
                byte[] out = new byte[v.length];
                for (int i = 0; i < v.length; i++) {
                    if (!(v[i] >= 0f && v[i] <= 1f)) {
                        throw new FormatException(file, "pixel value " + v[i] + " at flat index " + i + " is outside [0, 1]" + OUTSIDE);
                    }
                    out[i] = (byte) Math.round(v[i] * 255f);
                }
                yield out;
            }
            default -> throw new FormatException(file, "images must be uint8 (|u1) or float32 (<f4), found " + img.dtype());
        };
    }

    /** The labels of {@code count} images; all {@link #NO_LABEL} where there is no labels file ({@code labels} null). */
    private static long[] labelValues(Path labels, int count, Path images) {
        if (labels == null) {
            long[] none = new long[count];
            Arrays.fill(none, NO_LABEL);
            return none;
        }
        NpyArray lab = Npy.read(labels, LABEL_DTYPES);
        long[] values = checkedLabels(labels, lab);
        if (values.length != count) {
            throw new NvaeException(images + " holds " + count + " images but " + labels + " holds " + values.length + " labels");
        }
        return values;
    }

    private static long[] checkedLabels(Path file, NpyArray lab) {
        if (lab.shape().length != 1) throw new FormatException(file, "expected labels of shape (N,), found " + Arrays.toString(lab.shape()));
        if (lab.dtype().equals(NpyArray.F32)) throw new FormatException(file, "labels must be integers (<i8, <i4 or |u1), found <f4");
        long[] values = lab.integers();
        boolean unsigned = lab.dtype().equals(NpyArray.U8);
        for (int i = 0; i < values.length; i++) {
            if (unsigned && values[i] == U8_NO_LABEL) values[i] = NO_LABEL;
            if (values[i] < NO_LABEL || values[i] > 255) {
                throw new FormatException(file, "label " + values[i] + " at index " + i + " is not in 0..255 (or -1 for no label)");
            }
        }
        return values;
    }
}
