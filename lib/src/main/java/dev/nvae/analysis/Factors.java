package dev.nvae.analysis;

import dev.nvae.NvaeException;
import dev.nvae.backend.Backend;
import dev.nvae.model.ModelData;
import dev.nvae.data.Dataset;
import dev.nvae.analysis.metrics.ClusterAgreement;
import dev.nvae.model.LatentModel;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.Workspace;

import java.util.ArrayList;
import java.util.List;

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

    /**
     * @param classNames the model's own classes (as its file records them), which name the report's rows: a
     *                   row is a class latent of the model, so the data's class names, which may be fewer or
     *                   other ones, cannot name it. A label-free model's rows are its clusters instead.
     */
    public static FactorReport detect(LatentModel model, List<String> classNames, Backend be, Dataset data, int batch,
                                      double threshold) {
        if (classNames.size() != model.config().numClasses()) {
            throw new IllegalArgumentException(classNames.size() + " class names for a " + model.config().numClasses() + "-class model");
        }
        if (!(threshold >= 0) || !Double.isFinite(threshold)) throw new NvaeException("--threshold " + threshold + " must be a finite number >= 0");
        if (batch < 1) throw new NvaeException("--batch " + batch + " must be at least 1");
        Dataset set = ModelData.forEvaluation(model.config(), data);
        int n = set.count();
        int cap = Math.max(1, Math.min(batch, n));
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        ModelConfig c = model.config();
        int[] truth = new int[n], assigned = new int[n];
        PosteriorStatistics stats = new PosteriorStatistics(c, set.classNames());
        try (Workspace ws = model.workspace(cap)) {
            for (int from = 0; from < n; from += cap) {
                int count = Math.min(cap, n - from);
                set.fillBatch(order, from, count, ws.x.segment(), ws.labels);
                model.encode(be, ws, count);
                FiniteOutputs.requireEncoder(c, ws.heads, count, from);
                System.arraycopy(ws.labels, 0, truth, from, count);
                ExampleClasses.resolve(c, ws, count);
                System.arraycopy(ws.labels, 0, assigned, from, count);
                stats.add(ws, count);
            }
        }
        List<String> names = c.labelFree() ? ModelConfig.clusterNames(c.numClasses()) : List.copyOf(classNames);
        return new FactorReport(set.name(), n, threshold, names, stats.klSharedPerDim(), stats.klClassPerDim(),
                stats.examplesPerClass(), c.labelFree() ? matchedClasses(c, assigned, truth, set) : List.of());
    }

    /**
     * A label-free model's clusters, where the split has labels: the class each stands for under the best one-to-one
     * matching of clusters to classes (null for a cluster matched to none); empty where the split has no labels.
     */
    private static List<String> matchedClasses(ModelConfig c, int[] assigned, int[] truth, Dataset set) {
        if (set.labelledCount() == 0) return List.of();
        ClusterAgreement agreement = ClusterAgreement.of(assigned, c.numClasses(), truth, set.numClasses());
        List<String> matched = new ArrayList<>();
        for (int k = 0; k < c.numClasses(); k++) matched.add(agreement.classOf()[k] >= 0 ? set.classNames().get(agreement.classOf()[k]) : null);
        return matched;
    }
}
