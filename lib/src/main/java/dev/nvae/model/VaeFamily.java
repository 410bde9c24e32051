package dev.nvae.model;

import dev.nvae.backend.LatentLayout;
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
        RowArrays rows = RowArrays.ofThisThread();
        for (int i = 0; i < batch; i++) {
            float[] h = rows.heads(ws.heads, i), e = rows.noise(ws.eps, i);
            float[] in = conditional ? rows.zeroRow(ws.decIn) : rows.out(ws.decIn, i);
            for (int j = 0; j < dz; j++) in[j] = Gaussian.sample(h[j], h[dz + j], e[j]);
            if (conditional) in[dz + label(ws, i)] = 1f;
            ws.decIn.writeRow(i, in);
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
        ws.klS[i] = Gaussian.kl(RowArrays.ofThisThread().heads(ws.heads, i), 0, dz, dz);
        ws.klC[i] = 0;
        ws.ce[i] = 0;
        ws.predicted[i] = -1;
    }

    /** Through the reparameterisation plus β·KL; the onehot columns of dDecIn are not parameters. */
    @Override
    public void headsGradientRow(Workspace ws, int i, float invB) {
        int dz = c.ds();
        RowArrays rows = RowArrays.ofThisThread();
        float[] h = rows.heads(ws.heads, i), up = rows.upstream(ws.dDecIn, i), e = rows.noise(ws.eps, i);
        float[] g = rows.out(ws.dHeads, i);
        for (int j = 0; j < dz; j++) Gaussian.reparamGradient(h, g, j, dz + j, up[j], e[j], c.beta(), invB);
        ws.dHeads.writeRow(i, g);
    }

    @Override
    public LossWeights trainingWeights() {
        return new LossWeights(c.beta(), 0, 0, 0);
    }

    @Override
    public boolean hasClassifier() {
        return false;
    }

    /** dc = 0 and no logits; a conditional VAE's decoder reads the class and its encoder the label planes. */
    @Override
    public LatentLayout deviceLayout() {
        return new LatentLayout(c.ds(), 0, c.numClasses(), false, conditional, conditional ? c.labelInputPositions() : 0,
                (float) c.beta(), 0f, 0f, 0f, 0f, likelihood.gaussian(), likelihood.invVar(), likelihood.logNormaliser());
    }
}
