package dev.nvae.analysis;

import dev.nvae.NvaeException;
import dev.nvae.analysis.metrics.ClusterAgreement;
import dev.nvae.analysis.metrics.Mmd;
import dev.nvae.backend.Backend;
import dev.nvae.model.ModelData;
import dev.nvae.data.Dataset;
import dev.nvae.model.BatchLoss;
import dev.nvae.model.LatentModel;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.Workspace;

/**
 * neg_elbo (one reparameterised sample, true label, β = β_c = 1; for an example without a label — every
 * example of a label-free model — the bound summed over classes, docs/MODEL.md#6), accuracy of argmax
 * q(y|x) over the labelled examples (N-VAE only), a label-free model's clustering figures,
 * per-dimension KL, aggregate-posterior fits and their sample-based distances to the prior, and optionally the k-sample importance-weighted estimate of
 * −log p(x|y) ({@link Iwae}, batched over examples and samples). A model trained on binarized data is
 * evaluated on the fixed binarization of {@code data}, so with Bernoulli likelihood iwae_nll is a proper
 * negative log-likelihood. Every example's posterior samples come from streams of (seed, example index), so
 * neither figure depends on {@code batch}, and each example's terms are what {@link Scorer} reports for it.
 */
public final class Evaluator {
    /**
     * Why iwae_nll refuses a label-free model, in the same words from every command, job and endpoint that refuses it:
     * the estimate conditions on the true class, which such a model's clusters are not.
     */
    public static final String IWAE_LABEL_FREE = "iwae_nll estimates -log p(x|y) given the true class, and a label-free model has none; "
            + "its neg_elbo is the bound on -log p(x) over its clusters";

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
        return evaluate(model, be, data, batch, seed, iwSamples, priorSamples, Progress.NONE);
    }

    /**
     * How far an evaluation has come, for a command to show: a pass with many importance samples runs for minutes, and so
     * can the comparison of many prior samples.
     */
    public interface Progress {
        Progress NONE = done -> {
        };

        /** After each batch: {@code done} examples of the split are scored (all of them after the last). */
        void examplesDone(int done);

        /**
         * After the pass, once before the first latent block's draws are compared with N(0, I) ({@code done} 0) and after
         * each: {@code done} of {@code blocks}. Not called when no draws are compared ({@code priorSamples} 0). Blocks are
         * compared on several threads: this is called from the one that finished the block, never two calls at once,
         * and not after a block has failed.
         */
        default void blocksCompared(int done, int blocks) {
        }
    }

    /**
     * Refuses more draws per block than one comparison can hold ({@code examples}: the split's, which caps the draws), so
     * that a caller can refuse them before it asks for the heap they would need.
     */
    public static void requirePriorSamples(int priorSamples, int examples) {
        if (priorSamples < 0) throw new NvaeException("--prior-samples " + priorSamples + " must be >= 0");
        if (Math.min(priorSamples, examples) > Mmd.MAX_POINTS / 2) {
            throw new NvaeException("--prior-samples " + priorSamples + ": at most " + Mmd.MAX_POINTS / 2 + " draws of a block can be "
                    + "compared with as many of N(0, I) (their pairs' kernel is one array)");
        }
    }

    /** As {@link #evaluate(LatentModel, Backend, Dataset, int, long, int, int)}, telling {@code progress} how far it has come. */
    public static EvaluationReport evaluate(LatentModel model, Backend be, Dataset data, int batch, long seed, int iwSamples,
                                            int priorSamples, Progress progress) {
        ModelConfig c = model.config();
        requirePriorSamples(priorSamples, data.count()); // binarizing for evaluation keeps the count
        if (iwSamples < 0) throw new NvaeException("--iw " + iwSamples + " must be >= 0");
        if (batch < 1) throw new NvaeException("--batch " + batch + " must be at least 1");
        Dataset set = ModelData.forEvaluation(c, data);
        int n = set.count();
        if (iwSamples > 0 && c.labelFree()) {
            throw new NvaeException("--iw " + iwSamples + ": " + IWAE_LABEL_FREE + "; leave --iw out (its default is 0)");
        }
        // A vae's or beta-vae's estimate is of −log p(x): it reads no label, so examples without one are estimated too.
        if (iwSamples > 0 && c.isConditional() && !set.fullyLabelled()) {
            throw new NvaeException("--iw " + iwSamples + ": iwae_nll needs every example's label, and " + (n - set.labelledCount()) + " of "
                    + set.name() + " have none");
        }
        ModelData.requireLabels(model, set);
        int cap = Math.max(1, Math.min(batch, n));
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        int[] truth = new int[n], assigned = new int[n];
        BatchLoss total = new BatchLoss();
        PosteriorStatistics stats = new PosteriorStatistics(c, c.labelFree() ? ModelConfig.clusterNames(c.numClasses()) : set.classNames(), priorSamples, seed);
        double iwSum = 0;
        boolean passes = c.labelFree() || !set.fullyLabelled();
        long[] indices = new long[cap];
        try (Workspace ws = model.workspace(cap, passes); Iwae iwae = iwSamples > 0 ? new Iwae(model, cap, iwSamples) : null) {
            int steps = (n + cap - 1) / cap;
            for (int step = 0; step < steps; step++) {
                Cancellation.checkpoint();
                int from = step * cap, count = Math.min(cap, n - from);
                set.fillBatch(order, from, count, ws.x.segment(), ws.labels);
                System.arraycopy(ws.labels, 0, truth, from, count);
                ExampleClasses.hideForLabelFree(c, ws, count);
                for (int i = 0; i < count; i++) {
                    indices[i] = from + i;
                    Scorer.posteriorNoise(ws.eps, i, seed, indices[i]);
                }
                model.evaluate(be, ws, count, total);
                FiniteOutputs.requireEncoder(c, ws.heads, count, from);
                for (int i = 0; i < count; i++) {
                    FiniteOutputs.requireValue(ws.rec[i] + ws.klS[i] + ws.klC[i] + (ws.labels[i] < 0 ? ws.ce[i] : 0), "neg_elbo", from + i);
                }
                ExampleClasses.resolve(c, ws, count); // changes labels only where iwae is refused
                System.arraycopy(ws.labels, 0, assigned, from, count);
                stats.add(ws, count);
                if (iwae != null) {
                    iwSum += iwae.sum(be, ws, count, seed, indices);
                    for (int i = 0; i < count; i++) FiniteOutputs.requireValue(iwae.estimate(i), "iwae_nll", indices[i]);
                }
                progress.examplesDone(from + count);
            }
        }
        ClusterAgreement clustering = c.labelFree() ? ClusterAgreement.of(assigned, c.numClasses(), truth, set.numClasses()) : null;
        return new EvaluationReport(set.name(), n, total.meanNegElbo(), total.meanRec(), total.meanKlS(), total.meanKlC(),
                total.meanCe(), c.hasClassifier() && !c.labelFree() ? total.accuracy() : Double.NaN,
                iwSamples > 0 ? iwSum / n : Double.NaN, iwSamples,
                stats.klSharedPerDim(), stats.klClassPerDim(), stats.examplesPerClass(), stats.aggregate(progress, be.threads()), total.unlabelled,
                total.klY / Math.max(1, n),
                clustering);
    }
}
