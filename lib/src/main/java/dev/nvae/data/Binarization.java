package dev.nvae.data;

import dev.nvae.random.Rng;
import dev.nvae.tensor.Tensor;

/**
 * Binary data for the Bernoulli likelihood: each grey value v ∈ [0,1] becomes 1 with probability v.
 * A Bernoulli likelihood of grey values is a loss, not a density; of binary data it is a density, so
 * {@code iwae_nll} estimates a proper −log p(x).
 * <ul>
 *   <li><b>fixed</b>: one draw per (example index, pixel), always the same — the "static" binarized
 *       training set, and the test data every binarized model is evaluated on;</li>
 *   <li><b>dynamic</b>: a fresh draw each time a batch is used in training (a regulariser).</li>
 * </ul>
 */
public final class Binarization {
    /** The stream every fixed binarization draws from; changing it changes every static data set. */
    private static final long FIXED_SEED = 0xB17A5E5L;

    private Binarization() {
    }

    /** Every example binarized with its own stream (seed, index): independent of batching and order. */
    public static Dataset fixed(Dataset data) {
        int d = data.dim();
        byte[] images = new byte[Math.multiplyExact(data.count(), d)];
        for (int i = 0; i < data.count(); i++) {
            float[] x = data.image(i);
            fixed(x, i);
            for (int j = 0; j < d; j++) images[i * d + j] = (byte) (x[j] == 1f ? 255 : 0);
        }
        return data.withImages(images);
    }

    /**
     * The fixed draw of example {@code index}, in place: x_j ← 1 with probability x_j, else 0, from the
     * stream (seed, index) — what {@link #fixed(Dataset)} gives that example, for examples that arrive one
     * by one (a Spark task's rows).
     */
    public static void fixed(float[] x, long index) {
        Rng rng = Rng.stream(FIXED_SEED, index);
        for (int j = 0; j < x.length; j++) x[j] = rng.nextDouble() < x[j] ? 1f : 0f;
    }

    /** In place on the first {@code rows} rows of {@code x}: x ← [u < x], u ~ U[0,1) from {@code rng}. */
    public static void sample(Tensor x, int rows, Rng rng) {
        long n = (long) rows * x.cols();
        for (long i = 0; i < n; i++) x.setFlat(i, rng.nextDouble() < x.getFlat(i) ? 1f : 0f);
    }
}
