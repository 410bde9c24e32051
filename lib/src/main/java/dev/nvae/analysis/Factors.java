package dev.nvae.analysis;

import dev.nvae.NvaeException;
import dev.nvae.backend.Backend;
import dev.nvae.model.ModelData;
import dev.nvae.data.Dataset;
import dev.nvae.model.LatentModel;
import dev.nvae.model.Workspace;

/**
 * Finds the factors a trained model uses: per-dimension KL of every latent block on a split, from the
 * encoder alone (the KL of a diagonal Gaussian needs no sample and no decode). With β_c &gt; 1 a class's
 * unused dimensions collapse to the prior, so the dimensions left above the threshold are that class's
 * own factors of variation.
 */
public final class Factors {
    /** Nats: well above what a collapsed dimension keeps (~1e-3) and below any factor a decoder uses. */
    public static final double DEFAULT_THRESHOLD = 0.1;

    private Factors() {
    }

    public static FactorReport detect(LatentModel model, Backend be, Dataset data, int batch, double threshold) {
        if (!(threshold >= 0) || !Double.isFinite(threshold)) throw new NvaeException("--threshold " + threshold + " must be a number >= 0");
        if (batch < 1) throw new NvaeException("--batch " + batch + " must be at least 1");
        Dataset set = ModelData.forEvaluation(model.config(), data);
        int n = set.count();
        int cap = Math.max(1, Math.min(batch, n));
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        PosteriorStatistics stats = new PosteriorStatistics(model.config(), set.classNames());
        try (Workspace ws = model.workspace(cap)) {
            for (int from = 0; from < n; from += cap) {
                int count = Math.min(cap, n - from);
                set.fillBatch(order, from, count, ws.x.segment(), ws.labels);
                model.encode(be, ws, count);
                stats.add(ws, count);
            }
        }
        return new FactorReport(set.name(), n, threshold, set.classNames(), stats.klSharedPerDim(), stats.klClassPerDim(),
                stats.examplesPerClass());
    }
}
