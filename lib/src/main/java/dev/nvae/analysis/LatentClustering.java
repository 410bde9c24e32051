package dev.nvae.analysis;

import dev.nvae.NvaeException;
import dev.nvae.analysis.metrics.ClusterAgreement;
import dev.nvae.backend.Backend;
import dev.nvae.data.Dataset;
import dev.nvae.model.LatentModel;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.ModelData;

/**
 * The baseline beside label-free N-VAE clustering (docs/MODEL.md#7-label-free-clustering): k-means++ on the
 * latent means μ_z(x) of a plain VAE (or β-VAE) trained by the same code, scored by the same figures
 * ({@link ClusterAgreement}). k-means is fitted on the split it is scored on, as deep-clustering papers
 * score their baselines.
 */
public final class LatentClustering {
    private LatentClustering() {
    }

    /** The partition found and its agreement with the split's labels. */
    public record Result(ClusterAgreement agreement, KMeans.Result kMeans) {
    }

    /** Refuses a model whose latent means are not the baseline's: an N-VAE (it clusters itself) or a CVAE (it reads the label). */
    public static void requireBaseline(ModelConfig c) {
        if (!ModelConfig.VAE.equals(c.model()) && !ModelConfig.BETA_VAE.equals(c.model())) {
            throw new NvaeException("--model: k-means clusters the latent means of a vae or beta-vae, and this is "
                    + (c.labelFree() ? "a label-free nvae, which finds its clusters itself: evaluate it (ACC, NMI, ARI against the labels)"
                    : c.isNvae() ? "an nvae (an nvae finds clusters itself: train --labels none, then evaluate)"
                    : "a " + c.model() + " (its encoder reads the label)"));
        }
    }

    public static Result kMeans(LatentModel model, Backend be, Dataset data, int k, int restarts, long seed) {
        ModelConfig c = model.config();
        requireBaseline(c);
        Dataset set = ModelData.forEvaluation(c, data);
        PosteriorMeans means = Sampler.posteriorMeans(model, be, set);
        KMeans.Result fit = KMeans.fit(means.shared(), k, restarts, seed);
        return new Result(ClusterAgreement.of(fit.clusters(), k, means.labels(), set.numClasses()), fit);
    }
}
