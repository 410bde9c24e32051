package dev.nvae.backend;

import dev.nvae.tensor.Tensor;

/**
 * The tensor shapes every backend checks before a convolution operation, so that a wrongly sized tensor
 * fails with its name instead of a kernel reading the wrong elements (or, through a native library's raw
 * pointer, past the end). Activations may hold more rows than the batch uses; weights and biases are exact.
 */
final class ConvOperands {
    private ConvOperands() {
    }

    /**
     * A convolution product from a tensor on one side of {@code s} to the other: {@code from} has
     * {@code fromSize} columns, {@code to} {@code toSize}, the bias (null for none) {@code biasChannels}.
     */
    static void check(ConvShape s, Tensor from, int fromSize, Tensor w, Tensor bias, int biasChannels, Tensor to,
                      int toSize, int batch) {
        if (batch < 0) throw new IllegalArgumentException("batch must be >= 0, got " + batch);
        activation(from, fromSize, batch, s);
        activation(to, toSize, batch, s);
        exact(w, s.outChannels(), s.weightColumns(), s);
        if (bias != null) exact(bias, 1, biasChannels, s);
    }

    private static void activation(Tensor t, int cols, int batch, ConvShape s) {
        if (t.cols() != cols || t.rows() < batch) {
            throw new IllegalArgumentException(t.name() + " is " + t.rows() + "x" + t.cols() + "; convolution " + s
                    + " needs at least " + batch + " rows of " + cols + " columns");
        }
    }

    private static void exact(Tensor t, int rows, int cols, ConvShape s) {
        if (t.rows() != rows || t.cols() != cols) {
            throw new IllegalArgumentException(t.name() + " is " + t.rows() + "x" + t.cols() + "; convolution " + s
                    + " needs " + rows + "x" + cols);
        }
    }
}
