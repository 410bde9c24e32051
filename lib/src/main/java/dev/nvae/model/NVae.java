package dev.nvae.model;

import dev.nvae.backend.Backend;
import dev.nvae.kernels.WorkerPool;
import dev.nvae.tensor.Tensor;

import java.lang.foreign.MemorySegment;

/**
 * The {@code mlp} N-VAE (docs/MODEL.md#1-n-vae). Encoder D→H1→H2 (ReLU) feeding one heads layer that holds
 * the shared posterior, every class's posterior and the classifier logits; decoder
 * (ds+K·dc+K)→H2→H1→D (ReLU, output logits) on [z_s | E(y, z_c) | onehot(y)].
 *
 * <p>Per-example loss (minimised): −log p(x|y,z) + KL_s + β_c·KL_c^y − α·log q(y|x), averaged over the
 * batch, one reparameterised sample. Only the true class's latent block enters the decoder and the KL,
 * so the other classes' heads receive no gradient from an example — that is the natural clustering.
 */
public final class NVae extends MlpModel {
    public NVae(ModelConfig config) {
        super(requireNvae(config));
    }

    private static ModelConfig requireNvae(ModelConfig config) {
        if (!config.isNvae()) throw new IllegalArgumentException("NVae for a " + config.model() + " config");
        return config;
    }

    // ---- forward pieces -------------------------------------------------------------------------

    /** ws.x → ws.heads (posterior parameters and class logits). */
    public void encode(Backend be, Workspace ws, int batch) {
        enc1.forward(be, ws.x, ws.h1, batch);
        enc2.forward(be, ws.h1, ws.h2, batch);
        heads.forward(be, ws.h2, ws.heads, batch);
    }

    /**
     * Reparameterised sample of the posterior for the class in ws.labels: z_s = μ_s + σ_s·ε_s,
     * z_c = μ_c^y + σ_c^y·ε_c, written as the decoder input row [z_s | E(y, z_c) | onehot(y)].
     */
    public void posteriorToDecoderInput(Workspace ws, int batch) {
        int ds = config.ds(), dc = config.dc();
        Tensor h = ws.heads, e = ws.eps, in = ws.decIn;
        for (int i = 0; i < batch; i++) {
            int y = ws.labels[i];
            clearRow(in, i);
            for (int j = 0; j < ds; j++) {
                float sd = (float) Math.exp(0.5 * h.get(i, config.logvarS() + j));
                in.set(i, j, h.get(i, config.muS() + j) + sd * e.get(i, j));
            }
            for (int j = 0; j < dc; j++) {
                float sd = (float) Math.exp(0.5 * h.get(i, config.logvarC(y) + j));
                in.set(i, ds + y * dc + j, h.get(i, config.muC(y) + j) + sd * e.get(i, ds + j));
            }
            in.set(i, ds + config.numClasses() * dc + y, 1f);
        }
    }

    /** Decoder input from given latents: z_s = latent[i, 0:ds], z_c = latent[i, ds:ds+dc], class ws.labels[i]. */
    public void latentsToDecoderInput(Workspace ws, Tensor latent, int batch) {
        int ds = config.ds(), dc = config.dc();
        for (int i = 0; i < batch; i++) {
            int y = ws.labels[i];
            clearRow(ws.decIn, i);
            for (int j = 0; j < ds; j++) ws.decIn.set(i, j, latent.get(i, j));
            for (int j = 0; j < dc; j++) ws.decIn.set(i, ds + y * dc + j, latent.get(i, ds + j));
            ws.decIn.set(i, ds + config.numClasses() * dc + y, 1f);
        }
    }

    // ---- loss -------------------------------------------------------------------------------------

    /**
     * One training pass: forward on ws.x / ws.labels / ws.eps, the loss (added to {@code out}), and the
     * backward pass writing every tensor of {@link #grads()} (over its old values: no zeroing needed).
     * The per-example work between the GEMMs — likelihood and its gradient, KL, softmax, the heads'
     * gradient — runs on the backend's workers, a share of rows each; the batch sums are then taken in
     * example order, so the result does not depend on the thread count.
     */
    public void forwardBackward(Backend be, Workspace ws, int batch, BatchLoss out) {
        encode(be, ws, batch);
        posteriorToDecoderInput(ws, batch);
        decode(be, ws, batch);
        float invB = 1f / batch;
        rows.run(be.workers(), RowPass.LOSS, ws, batch, ws.dLogitsX, invB);
        sumTerms(ws, batch, config.betaC(), config.alpha(), out);

        dec3.backward(be, ws.d2, ws.logitsX, ws.dLogitsX, ws.dd2, batch);
        dec2.backward(be, ws.d1, ws.d2, ws.dd2, ws.dd1, batch);
        dec1.backward(be, ws.decIn, ws.d1, ws.dd1, ws.dDecIn, batch);
        rows.run(be.workers(), RowPass.HEADS_GRADIENT, ws, batch, null, invB); // needs dDecIn: the gradient reaching the latents
        heads.backward(be, ws.h2, ws.heads, ws.dHeads, ws.dh2, batch);
        enc2.backward(be, ws.h1, ws.h2, ws.dh2, ws.dh1, batch);
        enc1.backward(be, ws.x, ws.h1, ws.dh1, null, batch);
    }

    /** Forward only, with the given noise: per-example terms in ws.rec/klS/klC/ce/predicted (β_c = α = 1). */
    public void evaluate(Backend be, Workspace ws, int batch, BatchLoss out) {
        encode(be, ws, batch);
        posteriorToDecoderInput(ws, batch);
        decode(be, ws, batch);
        rows.run(be.workers(), RowPass.LOSS, ws, batch, null, 0f);
        sumTerms(ws, batch, 1.0, 1.0, out);
    }

    /** Per-example terms of the current ws.heads and ws.logitsX, with β_c = α = 1 and no gradient. */
    public void score(Workspace ws, int batch, BatchLoss out) {
        for (int i = 0; i < batch; i++) lossRow(ws, i, null, 0f);
        sumTerms(ws, batch, 1.0, 1.0, out);
    }

    private final RowPass rows = new RowPass();

    /** Per-example work split between threads by rows; fields carry the call (nothing allocated per call). */
    private final class RowPass implements WorkerPool.Task {
        static final int LOSS = 0, HEADS_GRADIENT = 1;
        private int mode, batch;
        private Workspace ws;
        private MemorySegment grad;
        private float scale;

        void run(WorkerPool pool, int mode, Workspace ws, int batch, Tensor grad, float scale) {
            this.mode = mode;
            this.ws = ws;
            this.batch = batch;
            this.grad = grad == null ? null : grad.segment();
            this.scale = scale;
            try {
                pool.run(this);
            } finally {
                this.ws = null;
                this.grad = null;
            }
        }

        @Override
        public void run(int worker, int workers) {
            int r0 = WorkerPool.splitStart(batch, worker, workers), r1 = WorkerPool.splitStart(batch, worker + 1, workers);
            for (int i = r0; i < r1; i++) {
                if (mode == LOSS) lossRow(ws, i, grad, scale);
                else headsGradientRow(ws, i, scale);
            }
        }
    }

    /**
     * Example i's terms from ws.heads and ws.logitsX into ws.rec/klS/klC/ce/predicted; with {@code grad}
     * non-null also its reconstruction gradient scaled by {@code scale}.
     */
    private void lossRow(Workspace ws, int i, MemorySegment grad, float scale) {
        int d = config.inputDim(), ds = config.ds(), dc = config.dc(), k = config.numClasses();
        Tensor h = ws.heads;
        int y = ws.labels[i];
        double rec = likelihood.nll(ws.logitsX.segment(), ws.x.segment(), (long) i * d, d, grad, scale);
        double klS = gaussianKl(h, i, config.muS(), config.logvarS(), ds);
        double klC = gaussianKl(h, i, config.muC(y), config.logvarC(y), dc);
        // log-softmax of the class logits, max-shifted.
        int lo = config.logits();
        double max = Double.NEGATIVE_INFINITY;
        int argmax = 0;
        for (int c = 0; c < k; c++) {
            double v = h.get(i, lo + c);
            if (v > max) {
                max = v;
                argmax = c;
            }
        }
        double sum = 0;
        for (int c = 0; c < k; c++) sum += Math.exp(h.get(i, lo + c) - max);
        ws.rec[i] = rec;
        ws.klS[i] = klS;
        ws.klC[i] = klC;
        ws.ce[i] = -(h.get(i, lo + y) - max - Math.log(sum));
        ws.predicted[i] = argmax;
    }

    /** Adds the per-example terms of the first {@code batch} examples to {@code out}, in example order. */
    private static void sumTerms(Workspace ws, int batch, double betaC, double alpha, BatchLoss out) {
        for (int i = 0; i < batch; i++) {
            out.rec += ws.rec[i];
            out.klS += ws.klS[i];
            out.klC += ws.klC[i];
            out.ce += ws.ce[i];
            out.total += ws.rec[i] + ws.klS[i] + betaC * ws.klC[i] + alpha * ws.ce[i];
            out.count++;
            out.classified++;
            if (ws.predicted[i] == ws.labels[i]) out.correct++;
        }
    }

    /** KL(N(μ, diag σ²) ‖ N(0, I)) = ½ Σ (μ² + σ² − 1 − log σ²) over n columns of row i. */
    static double gaussianKl(Tensor h, int i, int mu, int logvar, int n) {
        double kl = 0;
        for (int j = 0; j < n; j++) {
            double m = h.get(i, mu + j), lv = h.get(i, logvar + j);
            kl += m * m + Math.exp(lv) - 1 - lv;
        }
        return 0.5 * kl;
    }

    /**
     * Row i of dHeads from the decoder-input gradient (through the reparameterisation), the KL terms and
     * the classifier. Blocks of classes other than y stay zero.
     */
    private void headsGradientRow(Workspace ws, int i, float invB) {
        int ds = config.ds(), dc = config.dc(), k = config.numClasses();
        double betaC = config.betaC(), alpha = config.alpha();
        Tensor h = ws.heads, g = ws.dHeads, dz = ws.dDecIn, e = ws.eps;
        clearRow(g, i);
        int y = ws.labels[i];
        for (int j = 0; j < ds; j++) {
            reparamGradient(h, g, i, config.muS() + j, config.logvarS() + j,
                    dz.get(i, j), e.get(i, j), 1.0, invB);
        }
        for (int j = 0; j < dc; j++) {
            reparamGradient(h, g, i, config.muC(y) + j, config.logvarC(y) + j,
                    dz.get(i, ds + y * dc + j), e.get(i, ds + j), betaC, invB);
        }
        int lo = config.logits();
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) max = Math.max(max, h.get(i, lo + c));
        double sum = 0;
        for (int c = 0; c < k; c++) sum += Math.exp(h.get(i, lo + c) - max);
        for (int c = 0; c < k; c++) {
            double p = Math.exp(h.get(i, lo + c) - max) / sum;
            g.set(i, lo + c, (float) (alpha * (p - (c == y ? 1 : 0)) * invB));
        }
    }

    /**
     * z = μ + exp(½ lv)·ε with upstream dz, plus w·KL: ∂/∂μ = dz + w·μ/B,
     * ∂/∂lv = dz·ε·½exp(½ lv) + w·½(exp(lv) − 1)/B.
     */
    static void reparamGradient(Tensor h, Tensor g, int i, int muCol, int lvCol,
                                        float dz, float eps, double klWeight, float invB) {
        double mu = h.get(i, muCol), lv = h.get(i, lvCol);
        double sd = Math.exp(0.5 * lv);
        g.set(i, muCol, (float) (dz + klWeight * mu * invB));
        g.set(i, lvCol, (float) (dz * eps * 0.5 * sd + klWeight * 0.5 * (sd * sd - 1) * invB));
    }
}
