package dev.nvae.cli;

import java.util.List;

/**
 * Generated images (pixel probabilities in [0,1], one row of height·width values each) with their
 * class labels, and how a grid shows them: {@code columns} to a row. {@code classNames} is null for a
 * model without classes (a VAE): its samples are unlabelled.
 */
record Samples(float[][] images, int[] labels, List<String> classNames, int height, int width, int columns) {
    /** All images as one row-major (count, height·width) array, the layout of NPY and IDX files. */
    float[] flat() {
        int d = height * width;
        float[] out = new float[images.length * d];
        for (int i = 0; i < images.length; i++) System.arraycopy(images[i], 0, out, i * d, d);
        return out;
    }
}
