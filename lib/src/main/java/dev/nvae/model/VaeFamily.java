package dev.nvae.model;

import dev.nvae.tensor.Tensor;

import java.lang.foreign.MemorySegment;

/**
 * The baselines (docs/MODEL.md#3), trained and evaluated by the same code as the N-VAE: heads [μ | logσ²]
 * of dz = ds columns each, no classifier (ce 0, predicted −1).
 * <ul>
 *   <li>{@code vae}: decoder input [z]; loss −log p(x|z) + KL(q(z|x) ‖ N(0,I)) (Kingma &amp; Welling 2014);</li>
 *   <li>{@code beta-vae}: the same with the KL weighted by β (Higgins et al. 2017);</li>
 *   <li>{@code cvae}: both networks also read the label (Sohn et al. 2015): the encoder [x | onehot(y)],
 *       each label column repeated {@link ModelConfig#labelInputPositions()} times (one constant image plane
 *       per class for a conv network), the decoder [z | onehot(y)].</li>
 * </ul>
 */
final class VaeFamily implements LatentFamily {
    private final ModelConfig c;
    private final Likelihood likelihood;
    private final boolean conditional;

    VaeFamily(ModelConfig c, Likelihood likelihood) {
        if (c.isNvae()) throw new IllegalArgumentException("VaeFamily for an nvae config");
        this.c = c;
        this.likelihood = likelihood;
        this.conditional = c.isConditional();
    }

    /** ws.encIn = [x | onehot(y) ⊗ 1_P], P = label positions: the conditional encoder's input. */
    @Override
    public void encoderInput(Workspace ws, int batch) {
        if (!conditional) return;
        int d = c.inputDim(), e = ws.encIn.cols(), p = c.labelInputPositions();
        for (int i = 0; i < batch; i++) {
            MemorySegment.copy(ws.x.segment(), (long) i * d * Float.BYTES, ws.encIn.segment(), (long) i * e * Float.BYTES,
                    (long) d * Float.BYTES);
            for (int k = 0; k < c.numClasses(); k++) {
                float v = k == label(ws, i) ? 1f : 0f;
                for (int j = 0; j < p; j++) ws.encIn.set(i, d + k * p + j, v);
            }
        }
    }

    /** z = μ + σ·ε written as [z] or [z | onehot(y)]: one row per example, labelled or not (a VAE has no classes to sum over). */
    @Override
    public int posteriorToDecoderInput(Workspace ws, int batch) {
        int dz = c.ds();
        Tensor h = ws.heads, e = ws.eps, in = ws.decIn;
        for (int i = 0; i < batch; i++) {
            if (conditional) Workspace.clearRow(in, i);
            for (int j = 0; j < dz; j++) in.set(i, j, Gaussian.sample(h.get(i, j), h.get(i, dz + j), e.get(i, j)));
            if (conditional) in.set(i, dz + label(ws, i), 1f);
        }
        return batch;
    }

    @Override
    public void latentsToDecoderInput(Workspace ws, Tensor latent, int batch) {
        int dz = c.ds();
        for (int i = 0; i < batch; i++) {
            if (conditional) Workspace.clearRow(ws.decIn, i);
            for (int j = 0; j < dz; j++) ws.decIn.set(i, j, latent.get(i, j));
            if (conditional) ws.decIn.set(i, dz + label(ws, i), 1f);
        }
    }

    /** The conditional VAE reads every example's label; an unlabelled one (−1) is a caller's error. */
    private static int label(Workspace ws, int i) {
        int y = ws.labels[i];
        if (y < 0) throw new IllegalArgumentException("the conditional VAE needs a label for every example; example " + i + " has none");
        return y;
    }

    @Override
    public void lossRow(Workspace ws, int i, MemorySegment grad, float scale) {
        int d = c.inputDim(), dz = c.ds();
        ws.rec[i] = likelihood.nll(ws.logitsX.segment(), ws.x.segment(), (long) i * d, d, grad, scale);
        ws.klS[i] = Gaussian.kl(ws.heads, i, 0, dz, dz);
        ws.klC[i] = 0;
        ws.ce[i] = 0;
        ws.predicted[i] = -1;
    }

    /** Through the reparameterisation plus β·KL; the onehot columns of dDecIn are not parameters. */
    @Override
    public void headsGradientRow(Workspace ws, int i, float invB) {
        int dz = c.ds();
        Tensor h = ws.heads, g = ws.dHeads, dDecIn = ws.dDecIn, e = ws.eps;
        for (int j = 0; j < dz; j++) {
            Gaussian.reparamGradient(h, g, i, j, dz + j, dDecIn.get(i, j), e.get(i, j), c.beta(), invB);
        }
    }

    @Override
    public LossWeights trainingWeights() {
        return new LossWeights(c.beta(), 0, 0, 0);
    }

    @Override
    public boolean hasClassifier() {
        return false;
    }
}
