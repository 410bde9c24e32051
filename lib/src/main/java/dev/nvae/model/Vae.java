package dev.nvae.model;

import dev.nvae.backend.Backend;
import dev.nvae.tensor.Tensor;

import java.lang.foreign.MemorySegment;

/**
 * The baselines of docs/MODEL.md#3, trained and evaluated by the same code as the N-VAE, on the same
 * {@code mlp} shape: encoder E→H1→H2 (ReLU), heads [μ | logσ²] (dz = ds columns each), decoder
 * Z→H2→H1→D (ReLU, output the likelihood's parameters).
 * <ul>
 *   <li>{@code vae}: E = D, Z = dz; loss −log p(x|z) + KL(q(z|x) ‖ N(0,I)) (Kingma &amp; Welling 2014);</li>
 *   <li>{@code beta-vae}: the same with the KL weighted by β (Higgins et al. 2017);</li>
 *   <li>{@code cvae}: both networks also read onehot(y): q(z|x,y), p(x|y,z), E = D+K, Z = dz+K
 *       (Sohn et al. 2015; the label is given, not inferred).</li>
 * </ul>
 * No classifier: per-example ce is 0 and predicted is −1. Parameter names match the N-VAE's.
 */
public final class Vae extends MlpModel {
    private final boolean conditional;

    public Vae(ModelConfig config) {
        super(requireBaseline(config));
        this.conditional = config.isConditional();
    }

    private static ModelConfig requireBaseline(ModelConfig config) {
        if (config.isNvae()) throw new IllegalArgumentException("Vae for an nvae config");
        return config;
    }

    @Override
    public void encode(Backend be, Workspace ws, int batch) {
        if (conditional) encoderInput(ws, batch);
        enc1.forward(be, ws.encIn, ws.h1, batch);
        enc2.forward(be, ws.h1, ws.h2, batch);
        heads.forward(be, ws.h2, ws.heads, batch);
    }

    /** ws.encIn = [x | onehot(y)]: the conditional encoder's input. */
    private void encoderInput(Workspace ws, int batch) {
        int d = config.inputDim(), e = ws.encIn.cols();
        for (int i = 0; i < batch; i++) {
            MemorySegment.copy(ws.x.segment(), (long) i * d * Float.BYTES, ws.encIn.segment(), (long) i * e * Float.BYTES,
                    (long) d * Float.BYTES);
            for (int k = 0; k < config.numClasses(); k++) ws.encIn.set(i, d + k, k == ws.labels[i] ? 1f : 0f);
        }
    }

    /** z = μ + σ·ε written as [z] or [z | onehot(y)]. */
    @Override
    public void posteriorToDecoderInput(Workspace ws, int batch) {
        int dz = config.ds();
        Tensor h = ws.heads, e = ws.eps, in = ws.decIn;
        for (int i = 0; i < batch; i++) {
            if (conditional) clearRow(in, i);
            for (int j = 0; j < dz; j++) {
                float sd = (float) Math.exp(0.5 * h.get(i, dz + j));
                in.set(i, j, h.get(i, j) + sd * e.get(i, j));
            }
            if (conditional) in.set(i, dz + ws.labels[i], 1f);
        }
    }

    @Override
    public void latentsToDecoderInput(Workspace ws, Tensor latent, int batch) {
        int dz = config.ds();
        for (int i = 0; i < batch; i++) {
            if (conditional) clearRow(ws.decIn, i);
            for (int j = 0; j < dz; j++) ws.decIn.set(i, j, latent.get(i, j));
            if (conditional) ws.decIn.set(i, dz + ws.labels[i], 1f);
        }
    }

    @Override
    public void forwardBackward(Backend be, Workspace ws, int batch, BatchLoss out) {
        encode(be, ws, batch);
        posteriorToDecoderInput(ws, batch);
        decode(be, ws, batch);
        float invB = 1f / batch;
        lossTerms(ws, batch, config.beta(), out, ws.dLogitsX, invB);

        dec3.backward(be, ws.d2, ws.logitsX, ws.dLogitsX, ws.dd2, batch);
        dec2.backward(be, ws.d1, ws.d2, ws.dd2, ws.dd1, batch);
        dec1.backward(be, ws.decIn, ws.d1, ws.dd1, ws.dDecIn, batch);
        headsGradient(ws, batch, invB);
        heads.backward(be, ws.h2, ws.heads, ws.dHeads, ws.dh2, batch);
        enc2.backward(be, ws.h1, ws.h2, ws.dh2, ws.dh1, batch);
        enc1.backward(be, ws.encIn, ws.h1, ws.dh1, null, batch);
    }

    @Override
    public void evaluate(Backend be, Workspace ws, int batch, BatchLoss out) {
        encode(be, ws, batch);
        posteriorToDecoderInput(ws, batch);
        decode(be, ws, batch);
        lossTerms(ws, batch, 1.0, out, null, 0f);
    }

    /** Per-example −log p(x|z) and KL; with {@code dLogits} non-null also the reconstruction gradient. */
    private void lossTerms(Workspace ws, int batch, double beta, BatchLoss out, Tensor dLogits, float scale) {
        int d = config.inputDim(), dz = config.ds();
        MemorySegment grad = dLogits == null ? null : dLogits.segment();
        for (int i = 0; i < batch; i++) {
            double rec = likelihood.nll(ws.logitsX.segment(), ws.x.segment(), (long) i * d, d, grad, scale);
            double kl = NVae.gaussianKl(ws.heads, i, 0, dz, dz);
            ws.rec[i] = rec;
            ws.klS[i] = kl;
            ws.klC[i] = 0;
            ws.ce[i] = 0;
            ws.predicted[i] = -1;
            out.rec += rec;
            out.klS += kl;
            out.total += rec + beta * kl;
            out.count++;
        }
    }

    /** dHeads through the reparameterisation plus β·KL; the onehot columns of dDecIn are not parameters. */
    private void headsGradient(Workspace ws, int batch, float invB) {
        int dz = config.ds();
        Tensor h = ws.heads, g = ws.dHeads, dz1 = ws.dDecIn, e = ws.eps;
        for (int i = 0; i < batch; i++) {
            for (int j = 0; j < dz; j++) {
                NVae.reparamGradient(h, g, i, j, dz + j, dz1.get(i, j), e.get(i, j), config.beta(), invB);
            }
        }
    }
}
