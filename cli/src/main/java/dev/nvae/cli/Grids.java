package dev.nvae.cli;

import dev.nvae.NvaeException;
import dev.nvae.data.Dataset;
import dev.nvae.io.ImageGrid;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The labelled PNG grids that sample, reconstruct and demo write. */
final class Grids {
    /** Pixels are doubled: 28×28 images are too small to judge at 1:1. */
    private static final int SCALE = 2;
    private static final int RECONSTRUCTION_COLUMNS = 10;

    /** The most pixels a grid may have ({@link ImageGrid#MAX_PIXELS}: 2^28). */
    static final long MAX_PIXELS = ImageGrid.MAX_PIXELS;
    /** A cell's margin in the grid (ImageGrid's gap), and room for labels: enough for an upper bound. */
    private static final int CELL_MARGIN = 2;
    private static final int LABEL_ROOM = 400;

    private Grids() {
    }

    /** Rows of a grid of {@code count} images, {@code cols} to a row. */
    static long rowsFor(long count, long cols) {
        return (count + cols - 1) / cols;
    }

    /**
     * Refuses, naming {@code flag} (e.g. "--steps 2147483647"), a grid of rows × cols images of h × w
     * that would have more than {@link #MAX_PIXELS} pixels — before any of its images is computed.
     */
    static void requireFits(String flag, long rows, long cols, int h, int w) {
        double width = LABEL_ROOM + cols * ((double) w * SCALE + CELL_MARGIN);
        double height = LABEL_ROOM + rows * ((double) h * SCALE + CELL_MARGIN);
        if (width * height > MAX_PIXELS || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            throw new NvaeException(String.format(java.util.Locale.ROOT, "%s: a grid of %d x %d images is about %.0f x %.0f pixels, "
                    + "more than the %d (2^28) a grid may have", flag, rows, cols, width, height, MAX_PIXELS));
        }
    }

    /**
     * Samples placed row by row, {@code cols} to a row; each row is labelled with the class of its first
     * image (no labels when {@code classNames} is null: unlabelled samples).
     */
    static void samples(Path file, float[][] images, int[] labels, List<String> classNames, int channels, int h, int w, int cols) {
        int rows = (images.length + cols - 1) / cols;
        List<String> rowLabels = null;
        if (classNames != null) {
            rowLabels = new ArrayList<>();
            for (int r = 0; r < rows; r++) rowLabels.add(classNames.get(labels[r * cols]));
        }
        ImageGrid.writeGrid(file, images, channels, h, w, rows, cols, rowLabels, null, SCALE);
    }

    /**
     * The σ comparison: images[s][i] is sample i at scale sigmas[s], the samples {@code perRow} to a class.
     * One row per class (a single row for unlabelled samples); within a row, a block of columns per scale,
     * each block headed by its σ.
     */
    static void sigmaComparison(Path file, float[][][] images, double[] sigmas, int[] labels, int perRow,
                                List<String> classNames, int channels, int h, int w, String model) {
        int n = labels.length, rows = (n + perRow - 1) / perRow, cols = perRow * sigmas.length;
        float[][] cells = new float[rows * cols][];
        float[] blank = new float[channels * h * w];
        Arrays.fill(blank, 1f);
        List<String> rowLabels = new ArrayList<>(), colLabels = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            rowLabels.add(classNames == null ? model : classNames.get(labels[r * perRow]));
            for (int s = 0; s < sigmas.length; s++) {
                for (int j = 0; j < perRow; j++) {
                    int i = r * perRow + j;
                    cells[r * cols + s * perRow + j] = i < n ? images[s][i] : blank;
                }
            }
        }
        for (double sigma : sigmas) {
            for (int j = 0; j < perRow; j++) colLabels.add(j == 0 ? "σ=" + sigma : "");
        }
        ImageGrid.writeGrid(file, cells, channels, h, w, rows, cols, rowLabels, colLabels, SCALE);
    }

    /**
     * Refuses, naming {@code flag}, a reconstruction grid of {@code n} examples of h × w (inputs and outputs in
     * alternating rows) that would have more than {@link #MAX_PIXELS} pixels: before any example is encoded.
     */
    static void requireReconstructionsFit(String flag, int n, int h, int w) {
        int cols = Math.min(n, RECONSTRUCTION_COLUMNS);
        requireFits(flag, 2 * rowsFor(n, cols), cols, h, w);
    }

    /** The first {@code reconstructions.length} examples of {@code data} and their reconstructions, in alternating rows. */
    static void reconstructions(Path file, Dataset data, float[][] reconstructions) {
        int n = reconstructions.length;
        int cols = Math.min(n, RECONSTRUCTION_COLUMNS);
        int pairs = (int) rowsFor(n, cols);
        float[] blank = new float[data.dim()];
        Arrays.fill(blank, 1f); // white, like the grid's background
        float[][] cells = new float[2 * pairs * cols][];
        List<String> rowLabels = new ArrayList<>();
        for (int p = 0; p < pairs; p++) {
            for (int c = 0; c < cols; c++) {
                int i = p * cols + c;
                cells[2 * p * cols + c] = i < n ? data.image(i) : blank;
                cells[(2 * p + 1) * cols + c] = i < n ? reconstructions[i] : blank;
            }
            rowLabels.add("input");
            rowLabels.add("output");
        }
        ImageGrid.writeGrid(file, cells, data.channels(), data.height(), data.width(), 2 * pairs, cols, rowLabels, null, SCALE);
    }
}
