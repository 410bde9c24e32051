package dev.nvae.model;

import dev.nvae.tensor.FlatParameters;

import dev.nvae.backend.Backend;
import dev.nvae.data.Binarization;
import dev.nvae.random.Rng;
import dev.nvae.tensor.Tensor;
import dev.nvae.train.Trainable;
import dev.nvae.train.Trainer;

/**
 * An {@code mlp} latent-variable model: the N-VAE ({@link NVae}) or one of its baselines ({@link Vae}).
 * Analyses drive every family through these pieces; where the families differ (which latent blocks
 * exist, whether the label is an input) {@link ModelConfig} says so.
 */
public interface LatentModel extends Trainable, AutoCloseable {
    /** The model of a config: {@link NVae} for {@code nvae}, {@link Vae} for the baselines. */
    static LatentModel create(ModelConfig config) {
        return config.isNvae() ? new NVae(config) : new Vae(config);
    }

    /** Parameter names and shapes, in file order: the same for every mlp family ({@link MlpLayers}). */
    static FlatParameters.Layout layout(ModelConfig config) {
        return MlpLayers.layout(config);
    }

    ModelConfig config();

    /** PyTorch's nn.Linear default: w and b ~ U(−1/√in, 1/√in), drawn in layout order. */
    void initialize(long seed);

    Likelihood likelihood();

    /** ws.x (and ws.labels, for a model that reads the label) → ws.heads. */
    void encode(Backend be, Workspace ws, int batch);

    /** One reparameterised posterior sample per row (noise ws.eps, class ws.labels) → ws.decIn. */
    void posteriorToDecoderInput(Workspace ws, int batch);

    /** Decoder input from given latents (B, ds+dc): z_s = latent[i, 0:ds], z_c = latent[i, ds:], class ws.labels[i]. */
    void latentsToDecoderInput(Workspace ws, Tensor latent, int batch);

    /** ws.decIn → ws.logitsX (the likelihood's parameters). */
    void decode(Backend be, Workspace ws, int batch);

    /** Forward only, with the given noise: per-example terms in ws.rec/klS/klC/ce/predicted, β = β_c = α = 1. */
    void evaluate(Backend be, Workspace ws, int batch, BatchLoss out);

    @Override
    default int inputDim() {
        return config().inputDim();
    }

    @Override
    default int numClasses() {
        return config().numClasses();
    }

    @Override
    default Workspace workspace(int capacity) {
        return new Workspace(config(), capacity);
    }

    /** Noise first (as always), then — with dynamic binarization — a fresh binary draw of the batch. */
    @Override
    default void prepareBatch(Workspace ws, int count, Rng rng) {
        Trainer.fillNoise(ws.eps, count, rng);
        if (ModelConfig.BINARIZE_DYNAMIC.equals(config().binarize())) Binarization.sample(ws.x, count, rng);
    }

    @Override
    void close();
}
