package dev.nvae.cli;

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

    private Grids() {
    }

    /** Samples placed row by row, {@code cols} to a row; each row is labelled with the class of its first image. */
    static void samples(Path file, float[][] images, int[] labels, List<String> classNames, int h, int w, int cols) {
        int rows = (images.length + cols - 1) / cols;
        List<String> rowLabels = new ArrayList<>();
        for (int r = 0; r < rows; r++) rowLabels.add(classNames.get(labels[r * cols]));
        ImageGrid.writeGrid(file, images, h, w, rows, cols, rowLabels, null, SCALE);
    }

    /** The first {@code reconstructions.length} examples of {@code data} and their reconstructions, in alternating rows. */
    static void reconstructions(Path file, Dataset data, float[][] reconstructions) {
        int n = reconstructions.length;
        int cols = Math.min(n, RECONSTRUCTION_COLUMNS);
        int pairs = (n + cols - 1) / cols;
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
        ImageGrid.writeGrid(file, cells, data.height(), data.width(), 2 * pairs, cols, rowLabels, null, SCALE);
    }
}
