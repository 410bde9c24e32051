package dev.nvae.api;

import dev.nvae.data.DecodedImage;
import dev.nvae.data.ImageFiles;
import dev.nvae.data.NpyPairReader;
import dev.nvae.io.FormatException;
import dev.nvae.io.Npy;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * Images to encode, score or reconstruct, grey or of several channels, optionally with their class labels. Pixels are held as the
 * data readers of this library hold them, 8 bits each; values in [0, 1] are rounded to the nearest of the
 * 256 levels (v·255), as when a dataset is read. Immutable; {@link #withLabels} returns a copy.
 *
 * <p>The model checks the size when it is given the images: channels × height × width as the model's, or
 * 1 × 1 × D for flat rows of D = channels × height × width values.
 */
public final class Images {
    /** The label of an image that has none: {@link #withLabels} takes it beside the classes of other images. */
    public static final int NO_LABEL = -1;

    private final int count;
    private final int channels;
    private final int height;
    private final int width;
    private final byte[] pixels;  // (count, channels·height·width) unsigned, each image channel after channel; never modified
    private final int[] labels;   // (count) class indices, or null

    private Images(int count, int channels, int height, int width, byte[] pixels, int[] labels) {
        this.count = count;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.pixels = pixels;
        this.labels = labels;
    }

    /**
     * Grey images from pixel values in [0, 1], one image after another, each row-major.
     *
     * @param values {@code count × height × width} values in [0, 1]; copied
     * @param count  number of images, at least 1
     * @param height image height (1 for flat rows)
     * @param width  image width
     * @return the images
     * @throws InvalidRequestException naming {@code images} if the sizes disagree or a value is outside [0, 1]
     */
    public static Images ofFloats(float[] values, int count, int height, int width) {
        return ofFloats(values, count, 1, height, width);
    }

    /**
     * Images of any number of channels from values in [0, 1], one image after another, each channel after
     * channel and each channel row-major.
     *
     * @param values   {@code count × channels × height × width} values in [0, 1]; copied
     * @param count    number of images, at least 1
     * @param channels channels per image (3 for RGB)
     * @param height   image height (1 for flat rows)
     * @param width    image width
     * @return the images
     * @throws InvalidRequestException naming {@code images} if the sizes disagree or a value is outside [0, 1]
     */
    public static Images ofFloats(float[] values, int count, int channels, int height, int width) {
        Objects.requireNonNull(values, "values");
        int d = checkShape(values.length, count, channels, height, width);
        byte[] pixels = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            if (!(v >= 0f && v <= 1f)) {
                throw new InvalidRequestException("images", "value " + v + " of image " + i / d + " is outside [0, 1]");
            }
            pixels[i] = (byte) Math.round(v * 255f);
        }
        return new Images(count, channels, height, width, pixels, null);
    }

    /**
     * Grey images from unsigned 8-bit pixels (0 black, 255 white), one image after another, each row-major.
     *
     * @param pixels {@code count × height × width} pixels; copied
     * @param count  number of images, at least 1
     * @param height image height (1 for flat rows)
     * @param width  image width
     * @return the images
     * @throws InvalidRequestException naming {@code images} if the sizes disagree
     */
    public static Images ofBytes(byte[] pixels, int count, int height, int width) {
        return ofBytes(pixels, count, 1, height, width);
    }

    /**
     * Images of any number of channels from unsigned 8-bit values, one image after another, each channel after
     * channel and each channel row-major.
     *
     * @param pixels   {@code count × channels × height × width} values; copied
     * @param count    number of images, at least 1
     * @param channels channels per image (3 for RGB)
     * @param height   image height (1 for flat rows)
     * @param width    image width
     * @return the images
     * @throws InvalidRequestException naming {@code images} if the sizes disagree
     */
    public static Images ofBytes(byte[] pixels, int count, int channels, int height, int width) {
        Objects.requireNonNull(pixels, "pixels");
        checkShape(pixels.length, count, channels, height, width);
        return new Images(count, channels, height, width, pixels.clone(), null);
    }

    /**
     * One image from the bytes of a PNG file: grey as one channel, colour (RGB, RGBA or palette) as three — R, G
     * and B, alpha dropped — as nvae's image-folder reader takes them.
     *
     * @param png the whole file
     * @return one image
     * @throws InvalidRequestException naming {@code images} if the bytes are not a readable PNG
     */
    public static Images fromPng(byte[] png) {
        Objects.requireNonNull(png, "png");
        DecodedImage image;
        try {
            image = ImageFiles.decodePng("PNG", png);
        } catch (FormatException e) {
            throw new InvalidRequestException("images", ApiMessages.of(e.reason()), e);
        }
        return new Images(1, image.channels(), image.height(), image.width(), image.pixels(), null);
    }

    /**
     * How many images {@link #fromNpy} would take from the bytes of an NPY file (the length of its first axis), read
     * from its header alone: a server checks its limit before decoding — 16 MB of uint8 images are 64 MB of floats.
     *
     * @param npy the whole file, or at least its header
     * @return the images it declares
     * @throws InvalidRequestException naming {@code images} if the header is not that of an images array
     */
    public static long npyImageCount(byte[] npy) {
        Objects.requireNonNull(npy, "npy");
        try {
            long[] shape = Npy.shape(Path.of("NPY"), npy, NpyPairReader.IMAGE_DTYPES);
            NpyPairReader.imageShape(Path.of("NPY"), shape);  // a shape fromNpy refuses is refused here, for the same reason
            return shape[0];
        } catch (FormatException e) {
            throw new InvalidRequestException("images", ApiMessages.of(e.reason()), e);
        }
    }

    /**
     * Images from the bytes of an NPY file, as {@code np.save} writes them: uint8, or float32 in [0, 1];
     * shape (N, C, H, W) for images of several channels (channels first, as the model's images are), (N, H, W)
     * for grey ones, or (N, D) for flat rows.
     *
     * @param npy the whole file
     * @return the images
     * @throws InvalidRequestException naming {@code images} if the bytes are not such an array
     */
    public static Images fromNpy(byte[] npy) {
        Objects.requireNonNull(npy, "npy");
        NpyPairReader.Pixels p;
        try {
            p = NpyPairReader.pixels(Path.of("NPY"), Npy.parse(Path.of("NPY"), npy, NpyPairReader.IMAGE_DTYPES));
        } catch (FormatException e) {
            throw new InvalidRequestException("images", ApiMessages.of(e.reason()), e);
        }
        if (p.count() < 1) throw new InvalidRequestException("images", "the array holds no images");
        return new Images(p.count(), p.channels(), p.height(), p.width(), p.values(), null);
    }

    /**
     * These images with their true classes, which {@link NvaeModel#score} needs for a model with classes and
     * {@link NvaeModel#reconstruct} and {@link NvaeModel#encode} use (a cvae encodes with the class). A label of
     * {@value #NO_LABEL} says that image has none, as −1 does in an NPY label file: an N-VAE scores it by the bound
     * summed over its classes and reconstructs it with the class it predicts, as {@code nvae evaluate} treats such an
     * example, beside the labelled images of the same call; a cvae, which needs every class, refuses it.
     *
     * <p>The labels are checked by the model they are given to, which refuses them (an {@link InvalidRequestException}
     * naming {@code labels}) unless there is one per image, each {@value #NO_LABEL} or a class of the model — and a
     * label-free model, whose classes are clusters, refuses any, however many: its reason is that one, not their count.
     *
     * @param labels one class index per image, or {@value #NO_LABEL} for an image without a label; copied
     * @return the labelled images
     */
    public Images withLabels(int... labels) {
        Objects.requireNonNull(labels, "labels");
        return new Images(count, channels, height, width, pixels, labels.clone());
    }

    /**
     * Refuses labels no model reads: not one per image, or one below {@value #NO_LABEL}.
     * The model checks that each is one of its classes.
     */
    void checkLabels() {
        if (labels == null) return;
        if (labels.length != count) throw new InvalidRequestException("labels", labels.length + (labels.length == 1 ? " label" : " labels") + " for " + count + (count == 1 ? " image" : " images"));
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < NO_LABEL) {
                throw new InvalidRequestException("labels", "label " + labels[i] + " of image " + i + " is negative; "
                        + NO_LABEL + " marks an image without a label, a class is 0 or more");
            }
        }
    }

    /** {@return number of images} */
    public int count() {
        return count;
    }

    /** {@return channels per image: 1 grey, 3 RGB} */
    public int channels() {
        return channels;
    }

    /** {@return image height in pixels (1 for flat rows)} */
    public int height() {
        return height;
    }

    /** {@return image width in pixels} */
    public int width() {
        return width;
    }

    /** {@return whether {@link #withLabels} gave the images their classes} */
    public boolean hasLabels() {
        return labels != null;
    }

    /** {@return a copy of the labels {@link #withLabels} gave, as given ({@value #NO_LABEL} where an image has none); empty if none were given} */
    public int[] labels() {
        return labels == null ? new int[0] : labels.clone();
    }

    /** {@return a copy of the pixels, 8 bits each, one image after another} */
    public byte[] pixels() {
        return pixels.clone();
    }

    /** The pixels themselves, for a dataset that reads but never writes them. */
    byte[] sharedPixels() {
        return pixels;
    }

    /** The labels themselves, or null. */
    int[] sharedLabels() {
        return labels;
    }

    /** Checks the sizes and returns the values per image. */
    private static int checkShape(int length, int count, int channels, int height, int width) {
        if (count < 1) throw new InvalidRequestException("images", "count " + count + " must be at least 1");
        if (channels < 1 || height < 1 || width < 1) {
            throw new InvalidRequestException("images", "image size " + channels + "x" + height + "x" + width + " must be positive");
        }
        // No array holds more than an int's count: beyond it the products could wrap around to agree with a short one.
        long d = (long) channels * height;
        d = d > Integer.MAX_VALUE ? Long.MAX_VALUE : d * width;
        if (d > Integer.MAX_VALUE || d * count != length) {
            throw new InvalidRequestException("images", length + " values for " + count + " images of " + describe(channels, height, width));
        }
        return (int) d;
    }

    /** "28x28", or "3x32x32" for images of several channels. */
    static String describe(int channels, int height, int width) {
        return (channels == 1 ? "" : channels + "x") + height + "x" + width;
    }

    @Override
    public String toString() {
        return "Images[" + count + " of " + describe(channels, height, width) + (labels == null ? "" : ", labels " + Arrays.toString(
                Arrays.copyOf(labels, Math.min(labels.length, 8))) + (labels.length > 8 ? "..." : "")) + "]";
    }
}
