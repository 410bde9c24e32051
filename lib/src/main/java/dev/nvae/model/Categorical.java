package dev.nvae.model;

import dev.nvae.tensor.Tensor;

/**
 * A softmax over k logit columns of one row — the classifier q(y|x) of the N-VAE and of {@link Classifier}:
 * its most likely class, its probabilities, its cross-entropy with a label, and that cross-entropy's gradient. Every
 * exponential is shifted by the row's maximum so no logit overflows.
 */
public final class Categorical {
    private Categorical() {
    }

    /** The first column of the largest logit, counted from {@code col}. */
    public static int argmax(Tensor h, int i, int col, int k) {
        int best = 0;
        for (int c = 1; c < k; c++) if (h.get(i, col + c) > h.get(i, col + best)) best = c;
        return best;
    }

    /** out[c] = softmax(h[i, col..col+k))_c for c < k = out.length: the class probabilities. */
    public static void softmax(Tensor h, int i, int col, float[] out) {
        int k = out.length;
        double max = h.get(i, col + argmax(h, i, col, k));
        double sum = sumExp(h, i, col, k, max);
        for (int c = 0; c < k; c++) out[c] = (float) (Math.exp(h.get(i, col + c) - max) / sum);
    }

    /** −log softmax(h[i, col..col+k))_y. */
    static double crossEntropy(Tensor h, int i, int col, int k, int y) {
        double max = h.get(i, col + argmax(h, i, col, k));
        return -(h.get(i, col + y) - max - Math.log(sumExp(h, i, col, k, max)));
    }

    /** g[i, col+c] = w·(softmax_c − [c = y]) / B: the gradient of w·crossEntropy averaged over a batch of B. */
    static void gradient(Tensor h, Tensor g, int i, int col, int k, int y, double weight, float invB) {
        double max = h.get(i, col + argmax(h, i, col, k));
        double sum = sumExp(h, i, col, k, max);
        for (int c = 0; c < k; c++) {
            double p = Math.exp(h.get(i, col + c) - max) / sum;
            g.set(i, col + c, (float) (weight * (p - (c == y ? 1 : 0)) * invB));
        }
    }

    /** out[off + c] = log softmax(h[i, col..col+k))_c, finite however small the probability. */
    static void logSoftmax(Tensor h, int i, int col, int k, double[] out, int off) {
        double max = h.get(i, col + argmax(h, i, col, k));
        double logSum = Math.log(sumExp(h, i, col, k, max));
        for (int c = 0; c < k; c++) out[off + c] = h.get(i, col + c) - max - logSum;
    }

    /**
     * g[i, col+c] = q_c·(a_c − Σ_y q_y·a_y)/B: the gradient at the logits of Σ_y q_y·a_y with q = softmax
     * (the a_y held fixed), averaged over a batch of B; q = exp(logQ[off..off+k)).
     */
    static void expectationGradient(Tensor g, int i, int col, int k, double[] logQ, int off, double[] a, int aOff, float invB) {
        double mean = 0;
        for (int c = 0; c < k; c++) mean += Math.exp(logQ[off + c]) * a[aOff + c];
        for (int c = 0; c < k; c++) g.set(i, col + c, (float) (Math.exp(logQ[off + c]) * (a[aOff + c] - mean) * invB));
    }

    /** {@link #argmax(Tensor, int, int, int)} of a row read into an array. */
    static int argmax(float[] h, int col, int k) {
        int best = 0;
        for (int c = 1; c < k; c++) if (h[col + c] > h[col + best]) best = c;
        return best;
    }

    /** {@link #crossEntropy(Tensor, int, int, int, int)} of a row read into an array. */
    static double crossEntropy(float[] h, int col, int k, int y) {
        double max = h[col + argmax(h, col, k)];
        return -(h[col + y] - max - Math.log(sumExp(h, col, k, max)));
    }

    /** {@link #gradient(Tensor, Tensor, int, int, int, int, double, float)} on rows read into arrays. */
    static void gradient(float[] h, float[] g, int col, int k, int y, double weight, float invB) {
        double max = h[col + argmax(h, col, k)];
        double sum = sumExp(h, col, k, max);
        for (int c = 0; c < k; c++) {
            double p = Math.exp(h[col + c] - max) / sum;
            g[col + c] = (float) (weight * (p - (c == y ? 1 : 0)) * invB);
        }
    }

    private static double sumExp(float[] h, int col, int k, double max) {
        double sum = 0;
        for (int c = 0; c < k; c++) sum += Math.exp(h[col + c] - max);
        return sum;
    }

    private static double sumExp(Tensor h, int i, int col, int k, double max) {
        double sum = 0;
        for (int c = 0; c < k; c++) sum += Math.exp(h.get(i, col + c) - max);
        return sum;
    }
}
