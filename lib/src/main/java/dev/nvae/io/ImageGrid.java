package dev.nvae.io;

import dev.nvae.tensor.Tensor;

import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * PNGs of images with values in [0,1], grey (one channel) or RGB (three channels, stored channel by
 * channel as the models hold them): one image, or a grid (rows × cols, filled row by row)
 * with optional row labels in a left margin and column labels in a top margin — the layout of the
 * paper's traversal figures (one row per class, one column per step).
 */
public final class ImageGrid {
    static {
        // CLI runs have no display; without this, AWT may try to reach one. First, before any AWT class loads.
        System.setProperty("java.awt.headless", "true");
    }

    /**
     * The most pixels a grid may have: 2^28 (a 268-megapixel grey PNG, 268 MB while it is drawn) is far
     * beyond what anyone looks at, and far below what exhausts memory or the image classes' int sizes.
     */
    public static final long MAX_PIXELS = 1L << 28;
    private static final int GAP = 2;
    private static final int PAD = 4;
    private static final int BACKGROUND = 255;
    private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    private ImageGrid() {
    }

    /**
     * One image of channels × h × w values as data, not for viewing: (h·scale) × (w·scale) pixels and no
     * frame, each quantized as {@link IdxWriter#toByte} does. {@code sample --format png} writes its files so
     * that they are the model's size, read back as an image folder, and hold the bytes {@code --format idx}
     * writes (with the grid's white frame they were 32x32 for a 28x28 model, and an image folder or
     * {@code serve} refused them).
     */
    public static void writeImage(Path file, float[] pixels, int channels, int h, int w, int scale) {
        if (channels != 1 && channels != 3) throw new IllegalArgumentException(channels + " channels; an image is grey (1) or RGB (3)");
        if (h <= 0 || w <= 0 || scale <= 0) throw new IllegalArgumentException("image of " + h + "x" + w + " at scale " + scale);
        if (pixels.length != channels * h * w) {
            throw new IllegalArgumentException("image has " + pixels.length + " values, not " + channels + "x" + h + "x" + w);
        }
        BufferedImage image = new BufferedImage(w * scale, h * scale,
                channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
        for (int c = 0; c < channels; c++) drawCell(image.getRaster(), c, pixels, c * h * w, h, w, scale, 0, 0);
        AtomicOutput.write(file, out -> encode(image, out));
    }

    /** The first rows·cols rows of {@code images} (each channels·h·w values), see {@link #writeGrid(Path, float[][], int, int, int, int, int, List, List, int)}. */
    public static void writeGrid(Path file, Tensor images, int channels, int h, int w, int rows, int cols,
                                 List<String> rowLabels, List<String> colLabels, int scale) {
        int dim = channels * h * w;
        if (images.cols() != dim) throw new IllegalArgumentException(images + " rows are not " + channels + "x" + h + "x" + w + " images");
        float[][] list = new float[Math.min(images.rows(), rows * cols)][];
        for (int i = 0; i < list.length; i++) {
            list[i] = new float[dim];
            for (int j = 0; j < dim; j++) list[i][j] = images.get(i, j);
        }
        writeGrid(file, list, channels, h, w, rows, cols, rowLabels, colLabels, scale);
    }

    /**
     * @param images    at most rows·cols images of channels·h·w values in [0,1] (CHW), placed row by row; missing cells stay blank
     * @param channels  1 (grey, an 8-bit grey PNG) or 3 (R, G, B planes; an 8-bit RGB PNG)
     * @param rowLabels one label per row, or null for no left margin
     * @param colLabels one label per column, or null for no top margin
     * @param scale     each pixel becomes a scale × scale square
     */
    public static void writeGrid(Path file, float[][] images, int channels, int h, int w, int rows, int cols,
                                 List<String> rowLabels, List<String> colLabels, int scale) {
        BufferedImage image = render(images, channels, h, w, rows, cols, rowLabels, colLabels, scale);
        AtomicOutput.write(file, out -> encode(image, out));
    }

    /** The bytes of the PNG file {@link #writeGrid(Path, float[][], int, int, int, int, int, List, List, int)} writes. */
    public static byte[] gridPng(float[][] images, int channels, int h, int w, int rows, int cols,
                                 List<String> rowLabels, List<String> colLabels, int scale) {
        BufferedImage image = render(images, channels, h, w, rows, cols, rowLabels, colLabels, scale);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            encode(image, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);  // a byte array stream does not fail; a JDK without PNG writer does
        }
        return out.toByteArray();
    }

    private static void encode(BufferedImage image, OutputStream out) throws IOException {
        try (ImageOutputStream png = new MemoryCacheImageOutputStream(out)) {
            if (!ImageIO.write(image, "png", png)) throw new IOException("no PNG writer in this JDK");
        }
    }

    /** {@return width and height in pixels of a grid without labels of rows × cols images of h × w drawn at scale} */
    public static long[] unlabelledSize(long rows, long cols, int h, int w, int scale) {
        return new long[] {GAP + cols * ((long) w * scale + GAP), GAP + rows * ((long) h * scale + GAP)};
    }

    /**
     * One image as data, not for viewing: an h × w 8-bit grey PNG in memory, no margin, each pixel quantized
     * as {@link IdxWriter#toByte} does (so it decodes to the bytes {@code sample --format idx} writes).
     */
    public static byte[] png(float[] pixels, int h, int w) {
        if (pixels.length != h * w) throw new IllegalArgumentException(pixels.length + " values for a " + h + "x" + w + " image");
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        drawCell(image.getRaster(), 0, pixels, 0, h, w, 1, 0, 0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(2 * h * w + 128);
        try {
            encode(image, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static BufferedImage render(float[][] images, int channels, int h, int w, int rows, int cols,
                                List<String> rowLabels, List<String> colLabels, int scale) {
        if (channels != 1 && channels != 3) throw new IllegalArgumentException(channels + " channels; an image is grey (1) or RGB (3)");
        if (h <= 0 || w <= 0 || rows <= 0 || cols <= 0 || scale <= 0) {
            throw new IllegalArgumentException("grid of " + rows + "x" + cols + " images of " + h + "x" + w + " at scale " + scale);
        }
        if (images.length > rows * cols) throw new IllegalArgumentException(images.length + " images for a " + rows + "x" + cols + " grid");
        if (rowLabels != null && rowLabels.size() != rows) throw new IllegalArgumentException(rowLabels.size() + " row labels for " + rows + " rows");
        if (colLabels != null && colLabels.size() != cols) throw new IllegalArgumentException(colLabels.size() + " column labels for " + cols + " columns");
        int cellW = w * scale, cellH = h * scale;
        FontMetrics metrics = metrics();
        int left = rowLabels == null ? 0 : rowLabels.stream().mapToInt(metrics::stringWidth).max().orElse(0) + 2 * PAD;
        int top = colLabels == null ? 0 : metrics.getHeight() + 2 * PAD;
        BufferedImage image = new BufferedImage(left + GAP + cols * (cellW + GAP), top + GAP + rows * (cellH + GAP),
                channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
        WritableRaster raster = image.getRaster();
        fill(raster, BACKGROUND);
        for (int i = 0; i < images.length; i++) {
            if (images[i].length != channels * h * w) {
                throw new IllegalArgumentException("image " + i + " has " + images[i].length + " values, not " + channels + "x" + h + "x" + w);
            }
            int x0 = left + GAP + (i % cols) * (cellW + GAP);
            int y0 = top + GAP + (i / cols) * (cellH + GAP);
            for (int c = 0; c < channels; c++) drawCell(raster, c, images[i], c * h * w, h, w, scale, x0, y0);
        }
        if (rowLabels != null || colLabels != null) {
            Graphics2D g = image.createGraphics();
            try {
                g.setFont(FONT);
                g.setColor(Color.BLACK);
                g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
                int ascent = metrics.getAscent();
                for (int r = 0; rowLabels != null && r < rows; r++) {
                    int y = top + GAP + r * (cellH + GAP) + (cellH - metrics.getHeight()) / 2 + ascent;
                    g.drawString(rowLabels.get(r), PAD, y);
                }
                for (int c = 0; colLabels != null && c < cols; c++) {
                    int x = left + GAP + c * (cellW + GAP);
                    // Clip to the column so a long label cannot run into its neighbour.
                    g.setClip(x, 0, cellW, top);
                    g.drawString(colLabels.get(c), x + Math.max(0, (cellW - metrics.stringWidth(colLabels.get(c))) / 2), PAD + ascent);
                }
            } finally {
                g.dispose();
            }
        }
        return image;
    }

    /** One channel's plane (h·w values from {@code offset}) into band {@code band}: the raster's bands are R, G, B in that order. */
    private static void drawCell(WritableRaster raster, int band, float[] pixels, int offset, int h, int w, int scale, int x0, int y0) {
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int value = IdxWriter.toByte(pixels[offset + y * w + x]);
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) raster.setSample(x0 + x * scale + dx, y0 + y * scale + dy, band, value);
                }
            }
        }
    }

    private static void fill(WritableRaster raster, int value) {
        int[] row = new int[raster.getWidth() * raster.getNumBands()];
        Arrays.fill(row, value);
        for (int y = 0; y < raster.getHeight(); y++) raster.setPixels(0, y, raster.getWidth(), 1, row);
    }

    /** Text is measured before the image exists, on a throwaway 1×1 canvas. */
    private static FontMetrics metrics() {
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY).createGraphics();
        try {
            return g.getFontMetrics(FONT);
        } finally {
            g.dispose();
        }
    }
}
