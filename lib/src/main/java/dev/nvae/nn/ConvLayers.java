package dev.nvae.nn;

import dev.nvae.backend.ConvShape;
import dev.nvae.tensor.FlatParameters;
import dev.nvae.tensor.Tensor;

/** What the two convolution layers share: their parameters must have the shapes their geometry implies. */
final class ConvLayers {
    private ConvLayers() {
    }

    /** The tensor {@code name} of {@code params}, checked to be (rows, cols). */
    static Tensor parameter(FlatParameters params, String name, int rows, int cols, ConvShape shape) {
        Tensor t = params.get(name);
        if (t.rows() != rows || t.cols() != cols) {
            throw new IllegalArgumentException(name + " is " + t.rows() + "x" + t.cols() + "; convolution " + shape
                    + " needs " + rows + "x" + cols);
        }
        return t;
    }
}
