package dev.nvae.model;

import dev.nvae.tensor.Tensor;

import java.lang.foreign.MemorySegment;

/**
 * The N-VAE (docs/MODEL.md#1-n-vae). Heads [μ_s | logσ²_s | μ_c (K·dc) | logσ²_c (K·dc) | logits (K)];
 * decoder input [z_s | E(y, z_c) | onehot(y)]. Per-example loss (minimised):
 * −log p(x|y,z) + KL_s + β_c·KL_c^y − α·log q(y|x), one reparameterised sample. Only the true class's
 * latent block enters the decoder and the KL, so the other classes' heads receive no gradient from an
 * example — that is the natural clustering.
 */
final class NVaeFamily implements LatentFamily {
    private final ModelConfig c;
    private final Likelihood likelihood;

    NVaeFamily(ModelConfig c, Likelihood likelihood) {
        if (!c.isNvae()) throw new IllegalArgumentException("NVaeFamily for a " + c.model() + " config");
        this.c = c;
        this.likelihood = likelihood;
    }

    /** z_s = μ_s + σ_s·ε_s, z_c = μ_c^y + σ_c^y·ε_c, written as [z_s | E(y, z_c) | onehot(y)]. */
    @Override
    public void posteriorToDecoderInput(Workspace ws, int batch) {
        int ds = c.ds(), dc = c.dc();
        Tensor h = ws.heads, e = ws.eps, in = ws.decIn;
        for (int i = 0; i < batch; i++) {
            int y = ws.labels[i];
            Workspace.clearRow(in, i);
            for (int j = 0; j < ds; j++) {
                in.set(i, j, Gaussian.sample(h.get(i, c.muS() + j), h.get(i, c.logvarS() + j), e.get(i, j)));
            }
            for (int j = 0; j < dc; j++) {
                in.set(i, ds + y * dc + j, Gaussian.sample(h.get(i, c.muC(y) + j), h.get(i, c.logvarC(y) + j), e.get(i, ds + j)));
            }
            in.set(i, ds + c.numClasses() * dc + y, 1f);
        }
    }

    @Override
    public void latentsToDecoderInput(Workspace ws, Tensor latent, int batch) {
        int ds = c.ds(), dc = c.dc();
        for (int i = 0; i < batch; i++) {
            int y = ws.labels[i];
            Workspace.clearRow(ws.decIn, i);
            for (int j = 0; j < ds; j++) ws.decIn.set(i, j, latent.get(i, j));
            for (int j = 0; j < dc; j++) ws.decIn.set(i, ds + y * dc + j, latent.get(i, ds + j));
            ws.decIn.set(i, ds + c.numClasses() * dc + y, 1f);
        }
    }

    @Override
    public void lossRow(Workspace ws, int i, MemorySegment grad, float scale) {
        int d = c.inputDim(), k = c.numClasses();
        Tensor h = ws.heads;
        int y = ws.labels[i];
        ws.rec[i] = likelihood.nll(ws.logitsX.segment(), ws.x.segment(), (long) i * d, d, grad, scale);
        ws.klS[i] = Gaussian.kl(h, i, c.muS(), c.logvarS(), c.ds());
        ws.klC[i] = Gaussian.kl(h, i, c.muC(y), c.logvarC(y), c.dc());
        ws.ce[i] = Categorical.crossEntropy(h, i, c.logits(), k, y);
        ws.predicted[i] = Categorical.argmax(h, i, c.logits(), k);
    }

    /** Blocks of classes other than y stay zero. */
    @Override
    public void headsGradientRow(Workspace ws, int i, float invB) {
        int ds = c.ds(), dc = c.dc();
        Tensor h = ws.heads, g = ws.dHeads, dz = ws.dDecIn, e = ws.eps;
        Workspace.clearRow(g, i);
        int y = ws.labels[i];
        for (int j = 0; j < ds; j++) {
            Gaussian.reparamGradient(h, g, i, c.muS() + j, c.logvarS() + j, dz.get(i, j), e.get(i, j), 1.0, invB);
        }
        for (int j = 0; j < dc; j++) {
            Gaussian.reparamGradient(h, g, i, c.muC(y) + j, c.logvarC(y) + j, dz.get(i, ds + y * dc + j), e.get(i, ds + j),
                    c.betaC(), invB);
        }
        Categorical.gradient(h, g, i, c.logits(), c.numClasses(), y, c.alpha(), invB);
    }

    @Override
    public LossWeights trainingWeights() {
        return new LossWeights(1, c.betaC(), c.alpha());
    }

    @Override
    public boolean hasClassifier() {
        return true;
    }
}
