package dev.nvae.analysis;

import dev.nvae.NvaeException;
import dev.nvae.kernels.Elementwise;
import dev.nvae.model.ModelConfig;
import dev.nvae.tensor.Tensor;

/**
 * Stops a command whose model computes a NaN or an infinity, rather than writing it out as a result.
 *
 * <p>A model file's weights are checked when it is read (a NaN or infinite weight is refused), so a
 * non-finite output comes from finite weights too large for float32 arithmetic on some input: the sums of
 * a layer overflow to ±∞, and ∞ − ∞ makes a NaN. Nothing the user asked for can be computed from such a
 * model on that input — an encoding of ∞, a class predicted from NaN probabilities, a neg_elbo of NaN in a
 * table — so each analysis checks its batch once it is computed (one pass of {@link Elementwise#allFinite},
 * next to the matrix products that made it) and fails naming the example and the value.
 */
public final class FiniteOutputs {
    private static final String WHY = " (its weights are finite but so large that float32 arithmetic overflows on this input)";

    private FiniteOutputs() {
    }

    /**
     * Rows 0 … count−1 of the encoder's heads ({@link ModelConfig#headsDim} columns): row i is example
     * {@code firstIndex + i} of its data set.
     */
    public static void requireEncoder(ModelConfig c, Tensor heads, int count, long firstIndex) {
        int bad = firstNonFiniteRow(heads, count);
        if (bad >= 0) throw encoderOverflow(c, heads, bad, firstIndex + bad);
    }

    /** {@link #requireEncoder} where row i is example {@code indices[i]}. */
    public static void requireEncoder(ModelConfig c, Tensor heads, int count, long[] indices) {
        int bad = firstNonFiniteRow(heads, count);
        if (bad >= 0) throw encoderOverflow(c, heads, bad, indices[bad]);
    }

    /**
     * Rows 0 … count−1 of decoded images (the likelihood's mean): row i is {@code what} number
     * {@code firstIndex + i} ("sample", "example", or "latent" for latents given to decode).
     */
    public static void requireImages(Tensor means, int count, String what, long firstIndex) {
        int bad = firstNonFiniteRow(means, count);
        if (bad < 0) return;
        int pixel = firstNonFiniteColumn(means, bad);
        throw new NvaeException("the model's decoder gives " + means.get(bad, pixel) + " for pixel " + pixel + " of " + what + " "
                + (firstIndex + bad) + WHY);
    }

    /** A figure computed for one example: {@code name} ("neg_elbo", "iwae_nll") of example {@code index}. */
    public static void requireValue(double value, String name, long index) {
        if (!Double.isFinite(value)) throw new NvaeException(name + " of example " + index + " is " + value + WHY);
    }

    /** The first of rows 0 … count−1 holding a NaN or an infinity, or −1 when every value is finite. */
    static int firstNonFiniteRow(Tensor t, int count) {
        long n = (long) count * t.cols();
        if (Elementwise.allFinite(t.segment(), 0, n)) return -1;
        for (int r = 0; r < count; r++) {
            if (firstNonFiniteColumn(t, r) >= 0) return r;
        }
        return -1; // not reached: allFinite found one
    }

    private static int firstNonFiniteColumn(Tensor t, int row) {
        for (int j = 0; j < t.cols(); j++) if (!Float.isFinite(t.get(row, j))) return j;
        return -1;
    }

    private static NvaeException encoderOverflow(ModelConfig c, Tensor heads, int row, long index) {
        int j = firstNonFiniteColumn(heads, row);
        return new NvaeException("the model's encoder gives " + heads.get(row, j) + " for " + headName(c, j) + " of example " + index + WHY);
    }

    /** What column j of the heads holds: "mu_s0", "logvar_c2 of class 3", "the logit of class 7" (a baseline's "mu_z0"). */
    static String headName(ModelConfig c, int j) {
        String s = c.isNvae() ? "_s" : "_z";
        if (j < c.logvarS()) return "mu" + s + j;
        if (j < c.logvarS() + c.ds()) return "logvar" + s + (j - c.logvarS());
        if (j >= c.logits()) return "the logit of class " + (j - c.logits());
        boolean mean = j < c.logvarC(0);
        int k = j - (mean ? c.muC(0) : c.logvarC(0));
        return (mean ? "mu_c" : "logvar_c") + k % c.dc() + " of class " + k / c.dc();
    }
}
