package dev.nvae.analysis;

import dev.nvae.backend.Backend;
import dev.nvae.data.Dataset;
import dev.nvae.kernels.Elementwise;
import dev.nvae.model.BatchLoss;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.NVae;
import dev.nvae.model.Workspace;
import dev.nvae.random.Rng;
import dev.nvae.tensor.Tensor;
import dev.nvae.train.Trainer;

/**
 * neg_elbo (one reparameterised sample, true label, β_c = 1), accuracy of argmax q(y|x), per-dimension
 * KL, and optionally the k-sample importance-weighted estimate of −log p(x|y):
 * −log (1/k) Σ_i p(x|y,z_i) p(z_i) / q(z_i|x), batched over examples and looped over samples.
 */
public final class Evaluator {
    private Evaluator() {
    }

    public static EvaluationReport evaluate(NVae model, Backend be, Dataset data, int batch, long seed, int iwSamples) {
        ModelConfig c = model.config();
        if (iwSamples < 0) throw new dev.nvae.NvaeException("--iw " + iwSamples + " must be >= 0");
        int n = data.count();
        int cap = Math.max(1, Math.min(batch, n));
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        BatchLoss total = new BatchLoss();
        double[] s = new double[c.ds()];
        double[][] a = new double[c.numClasses()][c.dc()];
        long[] perClass = new long[c.numClasses()];
        double iwSum = 0;
        try (Workspace ws = model.workspace(cap)) {
            double[][] logW = new double[Math.max(1, iwSamples)][cap];
            int steps = (n + cap - 1) / cap;
            for (int step = 0; step < steps; step++) {
                int from = step * cap, count = Math.min(cap, n - from);
                data.fillBatch(order, from, count, ws.x.segment(), ws.labels);
                Trainer.fillNoise(ws.eps, count, Rng.stream(seed, 0xE7A1, step));
                model.evaluate(be, ws, count, total);
                accumulatePerDimKl(c, ws, count, s, a, perClass);
                for (int k = 0; k < iwSamples; k++) {
                    Trainer.fillNoise(ws.eps, count, Rng.stream(seed, 0x1EAE, step, k));
                    model.posteriorToDecoderInput(ws, count);
                    model.decode(be, ws, count);
                    logImportanceWeights(c, ws, count, logW[k]);
                }
                for (int i = 0; i < count && iwSamples > 0; i++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int k = 0; k < iwSamples; k++) max = Math.max(max, logW[k][i]);
                    double sum = 0;
                    for (int k = 0; k < iwSamples; k++) sum += Math.exp(logW[k][i] - max);
                    iwSum += -(max + Math.log(sum / iwSamples));
                }
            }
        }
        for (int j = 0; j < s.length; j++) s[j] /= Math.max(1, n);
        for (int k = 0; k < a.length; k++) for (int j = 0; j < a[k].length; j++) a[k][j] /= Math.max(1, perClass[k]);
        return new EvaluationReport(data.name(), n, total.meanNegElbo(), total.meanRec(), total.meanKlS(), total.meanKlC(),
                total.meanCe(), total.accuracy(), iwSamples > 0 ? iwSum / n : Double.NaN, iwSamples, s, a);
    }

    private static void accumulatePerDimKl(ModelConfig c, Workspace ws, int count, double[] s, double[][] a, long[] perClass) {
        Tensor h = ws.heads;
        for (int i = 0; i < count; i++) {
            int y = ws.labels[i];
            perClass[y]++;
            for (int j = 0; j < c.ds(); j++) s[j] += klOne(h.get(i, c.muS() + j), h.get(i, c.logvarS() + j));
            for (int j = 0; j < c.dc(); j++) a[y][j] += klOne(h.get(i, c.muC(y) + j), h.get(i, c.logvarC(y) + j));
        }
    }

    private static double klOne(double mu, double lv) {
        return 0.5 * (mu * mu + Math.exp(lv) - 1 - lv);
    }

    /**
     * log p(x|y,z) + log p(z) − log q(z|x) for the sample in ws.eps: with z = μ + σε the Gaussian
     * normalisers cancel, leaving Σ_j [−½ z_j² + ½ log σ_j² + ½ ε_j²].
     */
    private static void logImportanceWeights(ModelConfig c, Workspace ws, int count, double[] out) {
        Tensor h = ws.heads, e = ws.eps;
        int d = c.inputDim();
        for (int i = 0; i < count; i++) {
            int y = ws.labels[i];
            double logPx = -Elementwise.bceWithLogitsRow(ws.logitsX.segment(), ws.x.segment(), (long) i * d, d, null, 0f);
            double lw = logPx;
            for (int j = 0; j < c.ds(); j++) lw += logRatio(h.get(i, c.muS() + j), h.get(i, c.logvarS() + j), e.get(i, j));
            for (int j = 0; j < c.dc(); j++) lw += logRatio(h.get(i, c.muC(y) + j), h.get(i, c.logvarC(y) + j), e.get(i, c.ds() + j));
            out[i] = lw;
        }
    }

    private static double logRatio(double mu, double lv, double eps) {
        double z = mu + Math.exp(0.5 * lv) * eps;
        return -0.5 * z * z + 0.5 * lv + 0.5 * eps * eps;
    }
}
