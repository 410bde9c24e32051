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
        if (heads.length < t.cols()) heads = new float[t.cols()];
        t.readRow(r, heads);
        return heads;
    }

    /** Row r of the noise ε. */
    float[] noise(Tensor t, int r) {
        if (noise.length < t.cols()) noise = new float[t.cols()];
        t.readRow(r, noise);
        return noise;
    }

    /** Row r of the gradient reaching the decoder's input. */
    float[] upstream(Tensor t, int r) {
        if (upstream.length < t.cols()) upstream = new float[t.cols()];
        t.readRow(r, upstream);
        return upstream;
    }

    /** Row r of {@code t}, to change some of its values and then {@link Tensor#writeRow write} it back. */
    float[] out(Tensor t, int r) {
        if (out.length < t.cols()) out = new float[t.cols()];
        t.readRow(r, out);
        return out;
    }

    /** A row of {@code t}'s width, all zeros, to fill and then {@link Tensor#writeRow write}. */
    float[] zeroRow(Tensor t) {
        if (out.length < t.cols()) out = new float[t.cols()];
        Arrays.fill(out, 0, t.cols(), 0f);
        return out;
    }
}
