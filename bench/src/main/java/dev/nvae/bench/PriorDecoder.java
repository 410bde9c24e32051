package dev.nvae.bench;

import dev.nvae.backend.Backend;
import dev.nvae.model.LatentModel;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.Workspace;
import dev.nvae.random.Rng;
import dev.nvae.tensor.Tensor;

import java.lang.foreign.Arena;

/**
 * What {@code sample} computes, over preallocated buffers: prior latents (labels cycling over the
 * classes) → decoder → pixel probabilities. Shared by {@link Measure} and the JMH {@code DecodeBench}.
 */
public final class PriorDecoder implements AutoCloseable {
    private final LatentModel model;
    private final Workspace ws;
    private final Arena arena = Arena.ofShared();
    private final Tensor latent, probs;

    public PriorDecoder(LatentModel model, int capacity) {
        this.model = model;
        ModelConfig c = model.config();
        this.ws = model.workspace(capacity);
        this.latent = Tensor.allocate(arena, "latent", capacity, c.latentDim());
        this.probs = Tensor.allocate(arena, "probs", capacity, c.inputDim());
    }

    public void fillPrior(Rng rng, int batch) {
        fillPrior(rng, batch, 0);
    }

    /** Prior latents for {@code batch} rows, their labels cycling over the classes from {@code firstClass}. */
    public void fillPrior(Rng rng, int batch, int firstClass) {
        int k = model.config().numClasses();
        for (long i = 0; i < (long) batch * latent.cols(); i++) latent.setFlat(i, (float) rng.nextGaussian());
        for (int i = 0; i < batch; i++) ws.labels[i] = (firstClass + i) % k;
    }

    /** Decodes the latents already in place; returns the probabilities (batch rows of D). */
    public Tensor decodeReady(Backend be, int batch) {
        model.latentsToDecoderInput(ws, latent, batch);
        model.decodeMean(be, ws, batch, probs);
        return probs;
    }

    public void decodePrior(Backend be, Rng rng, int batch) {
        fillPrior(rng, batch);
        decodeReady(be, batch);
    }

    @Override
    public void close() {
        ws.close();
        arena.close();
    }
}
