package dev.nvae.data;

import dev.nvae.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * A labelled image set held in memory as unsigned bytes (a quarter of the float size: all of
 * Fashion-MNIST is 47 MB). Batches are converted to float32 in [0,1] on the fly by {@link #fillBatch}.
 * Some examples may have no label ({@link #label} −1): data for semi-supervised or label-free training.
 * Immutable: the constructor takes ownership of the arrays and nothing modifies them afterwards.
 */
public final class Dataset {
    /** pixel / 255f for every byte value, so conversion is a lookup and equals the division exactly. */
    private static final float[] UNIT = new float[256];

    static {
        for (int i = 0; i < UNIT.length; i++) UNIT[i] = i / 255f;
    }

    /**
     * The value the model reads for {@code v} in [0, 1] given as a float: stored to 8 bits as every reader
     * stores it (v·255 rounded), then byte / 255. Readers of floats outside this class (Spark's columns) use it
     * so that their rows equal those read from a file.
     */
    public static float storedAs8Bits(float v) {
        return UNIT[Math.round(v * 255f)];
    }

    private final String name;
    private final byte[] images; // (count, D) unsigned pixels, D = channels * height * width, each image CHW
    private final byte[] labels; // (count) unsigned class indices < numClasses (0 where the label is missing)
    private final BitSet missing; // examples without a label; null when every example has one
    private final int channels;
    private final int height;
    private final int width;
    private final List<String> classNames;

    /** A set of grey images (one channel). */
    public Dataset(String name, byte[] images, byte[] labels, int height, int width, List<String> classNames) {
        this(name, images, labels, 1, height, width, classNames);
    }

    /** The most classes a dataset may have: a label is one unsigned byte. */
    public static final int MAX_CLASSES = 256;

    /**
     * @param images     count × channels × height × width unsigned pixels, each image in CHW order (all of its
     *                   first channel, then the next); owned by the dataset from now on
     * @param labels     count class indices (unsigned bytes), each below {@code classNames.size()}
     * @param channels   1 (grey) or more (3: RGB)
     * @param classNames one name per class; its size is the number of classes (1..256; 0 for data without labels)
     */
    public Dataset(String name, byte[] images, byte[] labels, int channels, int height, int width, List<String> classNames) {
        this(name, images, labels, null, channels, height, width, classNames);
    }

    /**
     * As {@link #Dataset(String, byte[], byte[], int, int, int, List)}, with the examples in {@code missing}
     * (owned from now on; null or empty: none) having no label — their byte in {@code labels} is ignored.
     */
    public Dataset(String name, byte[] images, byte[] labels, BitSet missing, int channels, int height, int width,
                   List<String> classNames) {
        this.name = Objects.requireNonNull(name, "name");
        this.images = Objects.requireNonNull(images, "images");
        this.labels = Objects.requireNonNull(labels, "labels");
        this.missing = missing == null || missing.isEmpty() ? null : missing;
        if (this.missing != null && this.missing.length() > labels.length) {
            throw new IllegalArgumentException(name + ": example " + (this.missing.length() - 1) + " marked unlabelled, of " + labels.length);
        }
        this.classNames = List.copyOf(classNames);
        this.channels = channels;
        this.height = height;
        this.width = width;
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException(name + ": image size " + channels + "x" + height + "x" + width);
        }
        if (this.classNames.size() > MAX_CLASSES || this.classNames.isEmpty() && (labelledCount() > 0 || labels.length == 0)) {
            throw new IllegalArgumentException(name + ": " + this.classNames.size() + " classes; labels are bytes, so 1.." + MAX_CLASSES
                    + " (0 only for examples none of which has a label)");
        }
        if (images.length != (long) labels.length * channels * height * width) {
            throw new IllegalArgumentException(name + ": " + images.length + " values for " + labels.length + " images of "
                    + channels + "x" + height + "x" + width);
        }
        for (int i = 0; i < labels.length; i++) {
            if (hasLabel(i) && label(i) >= this.classNames.size()) {
                throw new IllegalArgumentException(name + ": label " + label(i) + " at " + i + " not below " + this.classNames.size());
            }
        }
    }

    public String name() {
        return name;
    }

    public int count() {
        return labels.length;
    }

    /** Values per example, D = channels × height × width. */
    public int dim() {
        return channels * height * width;
    }

    /** 1 for grey images, 3 for RGB. */
    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public int numClasses() {
        return classNames.size();
    }

    public List<String> classNames() {
        return classNames;
    }

    /** Example i's class, or −1 when it has no label. */
    public int label(int i) {
        return hasLabel(i) ? labels[i] & 0xFF : -1;
    }

    public boolean hasLabel(int i) {
        return missing == null || !missing.get(Objects.checkIndex(i, count()));
    }

    /** Examples that have a label. */
    public int labelledCount() {
        return missing == null ? count() : count() - missing.cardinality();
    }

    /** Whether every example has a label. */
    public boolean fullyLabelled() {
        return missing == null;
    }

    /**
     * The same examples with only those of {@code keep} (indices) labelled: the labelled part of a
     * semi-supervised split. Images and labels are shared, not copied (both are immutable).
     */
    public Dataset keepingLabelsOf(int[] keep) {
        BitSet drop = new BitSet(count());
        drop.set(0, count());
        for (int i : keep) {
            if (!hasLabel(i)) throw new IllegalArgumentException(name + ": example " + i + " has no label to keep");
            drop.clear(i);
        }
        return new Dataset(name, images, labels, drop, channels, height, width, classNames);
    }

    /**
     * The same examples with no label at all, and {@code classNames} as the classes (for a label-free
     * model: its clusters): what label-free training reads.
     */
    public Dataset withoutLabels(List<String> classNames) {
        BitSet all = new BitSet(count());
        all.set(0, count());
        return new Dataset(name, images, new byte[count()], all, channels, height, width, classNames);
    }

    /** The same examples and labels over other pixels (same count and size): what a transform of the images gives. */
    public Dataset withImages(byte[] newImages) {
        if (newImages.length != images.length) throw new IllegalArgumentException(name + ": " + newImages.length + " pixels for " + images.length);
        return new Dataset(name, newImages, labels, missing == null ? null : (BitSet) missing.clone(), channels, height, width, classNames);
    }

    /**
     * The same examples as images of another shape of as many values — flat rows (1 × C·H·W) as C × H × W images,
     * each row already in CHW order — pixels and labels shared, not copied: a reshape, nothing converted.
     */
    public Dataset reshaped(int newChannels, int newHeight, int newWidth) {
        if ((long) newChannels * newHeight * newWidth != dim()) {
            throw new IllegalArgumentException(name + ": images of " + dim() + " values are not " + newChannels + "x" + newHeight + "x" + newWidth);
        }
        return new Dataset(name, images, labels, missing == null ? null : (BitSet) missing.clone(), newChannels, newHeight, newWidth, classNames);
    }

    /** Example {@code i} as D floats in [0,1] (pixel / 255). */
    public float[] image(int i) {
        Objects.checkIndex(i, count());
        float[] out = new float[dim()];
        int base = i * dim();
        for (int j = 0; j < out.length; j++) out[j] = UNIT[images[base + j] & 0xFF];
        return out;
    }

    /**
     * CRC-32C over the image size, class names, pixels and labels: equal for equal datasets, and
     * different, with overwhelming probability, when any example, label or class name differs. A
     * checkpoint stores it so that a resume on other data is caught.
     */
    public long fingerprint() {
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(8).putInt(height).putInt(width).flip());
        // Grey sets hash as they always have, so checkpoints written before colour existed still match.
        if (channels != 1) crc.update(ByteBuffer.allocate(4).putInt(channels).flip());
        crc.update(String.join("\n", classNames).getBytes(StandardCharsets.UTF_8));
        crc.update(images);
        crc.update(labels);
        // Which examples lack a label: fully labelled sets hash as they always have.
        if (missing != null) crc.update(missing.toByteArray());
        return crc.getValue();
    }

    /** Number of labelled examples of each class, indexed by label. */
    public int[] classCounts() {
        int[] counts = new int[numClasses()];
        for (int i = 0; i < count(); i++) if (hasLabel(i)) counts[labels[i] & 0xFF]++;
        return counts;
    }

    /** The first {@code n} examples (all of them if n ≥ count). */
    public Dataset first(int n) {
        if (n < 0) throw new IllegalArgumentException(name + ": first(" + n + ")");
        int[] indices = new int[Math.min(n, count())];
        for (int i = 0; i < indices.length; i++) indices[i] = i;
        return subset(indices);
    }

    /** The examples at {@code indices}, in that order (repeats allowed). */
    public Dataset subset(int[] indices) {
        int d = dim();
        byte[] subImages = new byte[Math.multiplyExact(indices.length, d)];
        byte[] subLabels = new byte[indices.length];
        BitSet subMissing = missing == null ? null : new BitSet(indices.length);
        for (int i = 0; i < indices.length; i++) {
            int src = Objects.checkIndex(indices[i], count());
            System.arraycopy(images, src * d, subImages, i * d, d);
            subLabels[i] = labels[src];
            if (subMissing != null && missing.get(src)) subMissing.set(i);
        }
        return new Dataset(name, subImages, subLabels, subMissing, channels, height, width, classNames);
    }

    /**
     * Writes examples {@code order[from .. from+count)} into {@code dst} as a (count, D) row-major matrix
     * of native-order float32 pixel / 255, and their labels (−1: none) into {@code dstLabels[0 .. count)}.
     * Called once per training step, so it allocates nothing.
     */
    public void fillBatch(int[] order, int from, int count, MemorySegment dst, int[] dstLabels) {
        int d = dim();
        Objects.checkFromIndexSize(from, count, order.length);
        if (dstLabels.length < count) throw new IllegalArgumentException("dstLabels holds " + dstLabels.length + " < " + count);
        if (dst.byteSize() < (long) count * d * Float.BYTES) {
            throw new IllegalArgumentException("dst of " + dst.byteSize() + " bytes too small for " + count + "x" + d + " floats");
        }
        for (int r = 0; r < count; r++) {
            int example = Objects.checkIndex(order[from + r], count());
            int src = example * d;
            long row = (long) r * d;
            for (int c = 0; c < d; c++) dst.setAtIndex(Tensor.F32, row + c, UNIT[images[src + c] & 0xFF]);
            dstLabels[r] = missing != null && missing.get(example) ? -1 : labels[example] & 0xFF;
        }
    }

    @Override
    public String toString() {
        return name + " (" + count() + (count() == 1 ? " image " : " images ") + (channels == 1 ? "" : channels + "x") + height + "x" + width
                + ", " + numClasses() + (numClasses() == 1 ? " class" : " classes") + (missing == null ? "" : ", " + labelledCount() + " labelled") + ")";
    }
}
