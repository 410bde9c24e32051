package dev.nvae.model;

import dev.nvae.tensor.Tensor;

import java.util.Arrays;

/**
 * One thread's arrays for the rows of one example — its heads, its noise, the gradient reaching its
 * latents and a row being written — so that per-example code reads each row once ({@link Tensor#readRow},
 * which says why) and then works on plain arrays. Each grows to its tensor's width on first use and is
 * reused for every later example on the same thread: the row passes run on the backend's worker threads.
 */
final class RowArrays {
    private static final ThreadLocal<RowArrays> OF_THREAD = ThreadLocal.withInitial(RowArrays::new);

    private float[] heads = new float[0];
    private float[] noise = new float[0];
    private float[] upstream = new float[0];
    private float[] out = new float[0];

    private RowArrays() {
    }

    /** This thread's arrays. */
    static RowArrays ofThisThread() {
        return OF_THREAD.get();
    }

    /** Row r of the heads (μ, log σ² and logits of every block). */
    float[] heads(Tensor t, int r) {
        return read(t, r, heads = fit(heads, t));
    }

    /** Row r of the noise ε. */
    float[] noise(Tensor t, int r) {
        return read(t, r, noise = fit(noise, t));
    }

    /** Row r of the gradient reaching the decoder's input. */
    float[] upstream(Tensor t, int r) {
        return read(t, r, upstream = fit(upstream, t));
    }

    /** Row r of {@code t}, to change some of its values and then {@link Tensor#writeRow write} it back. */
    float[] out(Tensor t, int r) {
        return read(t, r, out = fit(out, t));
    }

    /** A row of {@code t}'s width, all zeros, to fill and then {@link Tensor#writeRow write}. */
    float[] zeroRow(Tensor t) {
        out = fit(out, t);
        Arrays.fill(out, 0, t.cols(), 0f);
        return out;
    }

    /** {@code buffer}, or a new one where it is shorter than a row of {@code t}. */
    private static float[] fit(float[] buffer, Tensor t) {
        return buffer.length >= t.cols() ? buffer : new float[t.cols()];
    }

    private static float[] read(Tensor t, int r, float[] buffer) {
        t.readRow(r, buffer);
        return buffer;
    }
}
