package dev.nvae.model;

import dev.nvae.backend.Backend;
import dev.nvae.kernels.Elementwise;
import dev.nvae.tensor.Tensor;

import java.lang.foreign.MemorySegment;

/**
 * p(x | z) from the decoder output {@code out} (B, D): Bernoulli with logits {@code out}, or Gaussian with
 * mean {@code out} and a fixed standard deviation σ_x (the option for non-image data; docs/MODEL.md#1-n-vae).
 * A Bernoulli likelihood of grey values is only a loss, not a density; binarized inputs make it one.
 */
public final class Likelihood {
    private final boolean gaussian;
    private final float invVar;
    private final double logNormaliser; // ½·log(2πσ²) per value

    public Likelihood(ModelConfig c) {
        this.gaussian = ModelConfig.GAUSSIAN.equals(c.likelihood());
        double var = c.sigmaX() * c.sigmaX();
        this.invVar = (float) (1 / var);
        this.logNormaliser = 0.5 * Math.log(2 * Math.PI * var);
    }

    boolean gaussian() {
        return gaussian;
    }

    float invVar() {
        return invVar;
    }

    /** ½·log(2πσ²): what a Gaussian likelihood's −log p adds per value. */
    double logNormaliser() {
        return logNormaliser;
    }

    /**
     * −log p(x | z) of one row of D values at float offset {@code off} of {@code out} and {@code x}; with
     * {@code grad} non-null also writes ∂/∂out scaled by {@code scale} at the same offset.
     */
    public double nll(MemorySegment out, MemorySegment x, long off, int d, MemorySegment grad, float scale) {
        if (!gaussian) return Elementwise.bceWithLogitsRow(out, x, off, d, grad, scale);
        return Elementwise.squaredErrorRow(out, x, off, d, invVar, grad, scale) + d * logNormaliser;
    }

    /**
     * {@link #nll} of row {@code outRow} of {@code out} (and of {@code grad}) against row {@code xRow} of
     * {@code x}, rows of D values: a decoder row of an unlabelled example's class pass reads its example's x.
     */
    public double nll(MemorySegment out, int outRow, MemorySegment x, int xRow, int d, MemorySegment grad, float scale) {
        if (outRow == xRow) return nll(out, x, (long) outRow * d, d, grad, scale);
        long rowBytes = (long) d * Float.BYTES, outAt = outRow * rowBytes;
        return nll(out.asSlice(outAt, rowBytes), x.asSlice(xRow * rowBytes, rowBytes), 0, d,
                grad == null ? null : grad.asSlice(outAt, rowBytes), scale);
    }

    /** Whether {@link #mean} is a backend operation (Bernoulli's sigmoid) rather than a copy in host memory. */
    boolean meanOnBackend() {
        return !gaussian;
    }

    /** E[x | z]: σ(logits) for Bernoulli, the mean itself for Gaussian; first {@code batch} rows. */
    public void mean(Backend be, Tensor out, Tensor mean, int batch) {
        if (!gaussian) {
            be.sigmoid(out, mean, batch);
        } else {
            MemorySegment.copy(out.segment(), 0, mean.segment(), 0, (long) batch * out.cols() * Float.BYTES);
        }
    }
}
