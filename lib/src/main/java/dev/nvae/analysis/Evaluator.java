package dev.nvae.analysis;

import dev.nvae.NvaeException;
import dev.nvae.backend.Backend;
import dev.nvae.model.ModelData;
import dev.nvae.data.Dataset;
import dev.nvae.model.BatchLoss;
import dev.nvae.model.LatentModel;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.Workspace;
import dev.nvae.random.Rng;
import dev.nvae.train.Trainer;

/**
 * neg_elbo (one reparameterised sample, true label, β = β_c = 1), accuracy of argmax q(y|x) (N-VAE only),
 * per-dimension KL, aggregate-posterior fits and their sample-based distances to the prior, and optionally the k-sample importance-weighted estimate of
 * −log p(x|y) ({@link Iwae}, batched over examples and samples). A model trained on binarized data is
 * evaluated on the fixed binarization of {@code data}, so with Bernoulli likelihood iwae_nll is a proper
 * negative log-likelihood.
 */
public final class Evaluator {
    private Evaluator() {
    }

    /** Draws of each block's aggregate posterior compared with the prior unless the caller says otherwise. */
    public static final int DEFAULT_PRIOR_SAMPLES = PosteriorDraws.DEFAULT_CAP;

    public static EvaluationReport evaluate(LatentModel model, Backend be, Dataset data, int batch, long seed, int iwSamples) {
        return evaluate(model, be, data, batch, seed, iwSamples, DEFAULT_PRIOR_SAMPLES);
    }

    /**
     * @param priorSamples per latent block, how many draws of the aggregate posterior (one from each of as
     *                     many examples) are compared with as many N(0, I) draws by MMD and the kNN KL; 0: none
     */
    public static EvaluationReport evaluate(LatentModel model, Backend be, Dataset data, int batch, long seed, int iwSamples,
                                            int priorSamples) {
        ModelConfig c = model.config();
        if (priorSamples < 0) throw new NvaeException("--prior-samples " + priorSamples + " must be >= 0");
        if (iwSamples < 0) throw new NvaeException("--iw " + iwSamples + " must be >= 0");
        if (batch < 1) throw new NvaeException("--batch " + batch + " must be at least 1");
        Dataset set = ModelData.forEvaluation(c, data);
        int n = set.count();
        int cap = Math.max(1, Math.min(batch, n));
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        BatchLoss total = new BatchLoss();
        PosteriorStatistics stats = new PosteriorStatistics(c, set.classNames(), priorSamples, seed);
        double iwSum = 0;
        try (Workspace ws = model.workspace(cap); Iwae iwae = iwSamples > 0 ? new Iwae(model, cap, iwSamples) : null) {
            int steps = (n + cap - 1) / cap;
            for (int step = 0; step < steps; step++) {
                int from = step * cap, count = Math.min(cap, n - from);
                set.fillBatch(order, from, count, ws.x.segment(), ws.labels);
                ws.drawNoise(count, Rng.stream(seed, 0xE7A1, step));
                model.evaluate(be, ws, count, total);
                stats.add(ws, count);
                if (iwae != null) iwSum += iwae.sum(be, ws, count, seed, from);
            }
        }
        return new EvaluationReport(set.name(), n, total.meanNegElbo(), total.meanRec(), total.meanKlS(), total.meanKlC(),
                total.meanCe(), c.hasClassifier() ? total.accuracy() : Double.NaN,
                iwSamples > 0 ? iwSum / n : Double.NaN, iwSamples,
                stats.klSharedPerDim(), stats.klClassPerDim(), stats.aggregate());
    }
}
