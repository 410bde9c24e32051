package dev.nvae.model;

import dev.nvae.backend.LatentLayout;
import dev.nvae.tensor.Tensor;

import java.lang.foreign.MemorySegment;

/**
 * The N-VAE (docs/MODEL.md#1-n-vae). Heads [μ_s | logσ²_s | μ_c (K·dc) | logσ²_c (K·dc) | logits (K)];
 * decoder input [z_s | E(y, z_c) | onehot(y)]. Per labelled example (minimised):
 * −log p(x|y,z) + KL_s + β_c·KL_c^y − α·log q(y|x), one reparameterised sample. Only the true class's
 * latent block enters the decoder and the KL, so the other classes' heads receive no gradient from an
 * example — that is the natural clustering.
 *
 * <p>An unlabelled example (label −1; docs/MODEL.md#6-unlabelled-examples) is decoded once per class y,
 * with that class's latent block, and its loss is the bound summed over classes:
 * Σ_y q(y|x)·[−log p(x|y,z^y) + β_c·KL_c^y] + KL_s + yKl·KL(q(y|x) ‖ p(y)), p(y) uniform, plus the
 * batch's balance term {@code balance}·KL(q̄ ‖ p(y)) shared by its unlabelled examples. Gradients are
 * exact: through the reparameterisation of every pass, and through q(y|x) into the classifier.
 */
final class NVaeFamily implements LatentFamily {
    private final ModelConfig c;
    private final Likelihood likelihood;
    private final int k;
    private final double logK;

    NVaeFamily(ModelConfig c, Likelihood likelihood) {
        if (!c.isNvae()) throw new IllegalArgumentException("NVaeFamily for a " + c.model() + " config");
        this.c = c;
        this.likelihood = likelihood;
        this.k = c.numClasses();
        this.logK = Math.log(k);
    }

    /**
     * z_s = μ_s + σ_s·ε_s, z_c = μ_c^y + σ_c^y·ε_c, written as [z_s | E(y, z_c) | onehot(y)]: one row for
     * a labelled example, K rows (y = 0..K−1, the same ε) for an unlabelled one.
     */
    @Override
    public int posteriorToDecoderInput(Workspace ws, int batch) {
        ClassPasses p = ws.passes;
        int row = 0;
        for (int i = 0; i < batch; i++) {
            int y = ws.labels[i];
            if (p != null) p.firstRow[i] = row;
            if (y >= 0) {
                writeDecoderRow(ws, i, row++, y);
            } else {
                if (p == null) throw new IllegalArgumentException("example " + i + " has no label, and this workspace has no room for unlabelled examples");
                for (int cls = 0; cls < k; cls++) writeDecoderRow(ws, i, row++, cls);
            }
        }
        if (p != null) p.firstRow[batch] = row;
        return row;
    }

    /** Decoder row r from example i's posterior, decoded as class y. */
    private void writeDecoderRow(Workspace ws, int i, int r, int y) {
        int ds = c.ds(), dc = c.dc();
        RowArrays rows = RowArrays.ofThisThread();
        float[] h = rows.heads(ws.heads, i), e = rows.noise(ws.eps, i), in = rows.zeroRow(ws.decIn);
        for (int j = 0; j < ds; j++) in[j] = Gaussian.sample(h[c.muS() + j], h[c.logvarS() + j], e[j]);
        int muC = c.muC(y), logvarC = c.logvarC(y);
        for (int j = 0; j < dc; j++) in[ds + y * dc + j] = Gaussian.sample(h[muC + j], h[logvarC + j], e[ds + j]);
        in[ds + k * dc + y] = 1f;
        ws.decIn.writeRow(r, in);
    }

    @Override
    public void latentsToDecoderInput(Workspace ws, Tensor latent, int batch) {
        int ds = c.ds(), dc = c.dc();
        for (int i = 0; i < batch; i++) {
            int y = ws.labels[i];
            Workspace.clearRow(ws.decIn, i);
            for (int j = 0; j < ds; j++) ws.decIn.set(i, j, latent.get(i, j));
            for (int j = 0; j < dc; j++) ws.decIn.set(i, ds + y * dc + j, latent.get(i, ds + j));
            ws.decIn.set(i, ds + k * dc + y, 1f);
        }
    }

    /** Example i's first decoder row: i itself unless the workspace lays out class passes. */
    private static int firstRow(Workspace ws, int i) {
        return ws.passes == null ? i : ws.passes.firstRow[i];
    }

    @Override
    public void lossRow(Workspace ws, int i, MemorySegment grad, float scale) {
        int y = ws.labels[i];
        if (y < 0) {
            unlabelledLossRow(ws, i, grad, scale);
            return;
        }
        int d = c.inputDim();
        int r = firstRow(ws, i);
        ws.rec[i] = likelihood.nll(ws.logitsX.segment(), r, ws.x.segment(), i, d, grad, scale);
        float[] h = RowArrays.ofThisThread().heads(ws.heads, i);
        ws.klS[i] = Gaussian.kl(h, c.muS(), c.logvarS(), c.ds());
        ws.klC[i] = Gaussian.kl(h, c.muC(y), c.logvarC(y), c.dc());
        ws.ce[i] = Categorical.crossEntropy(h, c.logits(), k, y);
        ws.predicted[i] = Categorical.argmax(h, c.logits(), k);
    }

    /**
     * rec and KL_c as expectations over q(y|x) of the K passes, each pass's reconstruction gradient scaled
     * by its q(y|x); ce holds KL(q(y|x) ‖ p(y)) = Σ_y q·log q + log K.
     */
    private void unlabelledLossRow(Workspace ws, int i, MemorySegment grad, float scale) {
        ClassPasses p = ws.passes;
        int d = c.inputDim(), first = p.firstRow[i], qOff = i * k;
        Tensor h = ws.heads;
        Categorical.logSoftmax(h, i, c.logits(), k, p.logQ, qOff);
        double rec = 0, klC = 0, klY = 0;
        for (int y = 0; y < k; y++) {
            double q = Math.exp(p.logQ[qOff + y]);
            double recY = likelihood.nll(ws.logitsX.segment(), first + y, ws.x.segment(), i, d, grad, (float) (q * scale));
            double klCY = Gaussian.kl(h, i, c.muC(y), c.logvarC(y), c.dc());
            p.rowTerm[first + y] = recY + c.betaC() * klCY;
            rec += q * recY;
            klC += q * klCY;
            klY += q * (p.logQ[qOff + y] + logK);
        }
        ws.rec[i] = rec;
        ws.klS[i] = Gaussian.kl(h, i, c.muS(), c.logvarS(), c.ds());
        ws.klC[i] = klC;
        ws.ce[i] = klY;
        ws.predicted[i] = Categorical.argmax(h, i, c.logits(), k);
    }

    /**
     * balance·KL(q̄ ‖ p(y)) for each unlabelled example of the batch, q̄ the mean of their q(y|x) (summed in
     * example order); keeps the log of K·q̄ for the heads' gradient.
     */
    @Override
    public void batchTerms(Workspace ws, int batch, BatchLoss out) {
        ClassPasses p = ws.passes;
        if (p == null) return;
        double[] mean = p.balanceLog;
        java.util.Arrays.fill(mean, 0);
        int unlabelled = 0;
        for (int i = 0; i < batch; i++) {
            if (ws.labels[i] >= 0) continue;
            unlabelled++;
            for (int y = 0; y < k; y++) mean[y] += Math.exp(p.logQ[i * k + y]);
        }
        if (unlabelled == 0) return;
        double kl = 0;
        for (int y = 0; y < k; y++) {
            double qBar = mean[y] / unlabelled;
            // A class no example can reach has q̄ = 0 in double: its log would be −∞ and its gradient 0·∞.
            mean[y] = Math.log(Math.max(qBar, Double.MIN_NORMAL) * k);
            kl += qBar * mean[y];
        }
        out.total += c.balance() * kl * unlabelled;
    }

    /** Blocks of classes other than y stay zero. */
    @Override
    public void headsGradientRow(Workspace ws, int i, float invB) {
        int y = ws.labels[i];
        if (y < 0) {
            Workspace.clearRow(ws.dHeads, i);
            unlabelledHeadsGradientRow(ws, i, invB);
            return;
        }
        int ds = c.ds(), dc = c.dc();
        RowArrays rows = RowArrays.ofThisThread();
        float[] h = rows.heads(ws.heads, i), dz = rows.upstream(ws.dDecIn, firstRow(ws, i)), e = rows.noise(ws.eps, i);
        float[] g = rows.zeroRow(ws.dHeads);
        for (int j = 0; j < ds; j++) {
            Gaussian.reparamGradient(h, g, c.muS() + j, c.logvarS() + j, dz[j], e[j], 1.0, invB);
        }
        int muC = c.muC(y), logvarC = c.logvarC(y);
        for (int j = 0; j < dc; j++) {
            Gaussian.reparamGradient(h, g, muC + j, logvarC + j, dz[ds + y * dc + j], e[ds + j], c.betaC(), invB);
        }
        Categorical.gradient(h, g, c.logits(), k, y, c.alpha(), invB);
        ws.dHeads.writeRow(i, g);
    }

    /**
     * z_s feeds all K passes (the same ε), so its gradient sums theirs; class y's block feeds pass y only and
     * its KL is weighted by β_c·q(y|x). At the logits: the gradient of Σ_y q_y·a_y with
     * a_y = rec_y + β_c·KL_c^y + yKl·log(K·q_y) + balance·log(K·q̄_y) — the derivative of the example's
     * loss in q_y, less constants that the softmax cancels.
     */
    private void unlabelledHeadsGradientRow(Workspace ws, int i, float invB) {
        ClassPasses p = ws.passes;
        int ds = c.ds(), dc = c.dc(), first = p.firstRow[i], qOff = i * k;
        Tensor h = ws.heads, g = ws.dHeads, dz = ws.dDecIn, e = ws.eps;
        for (int j = 0; j < ds; j++) {
            float sum = 0;
            for (int y = 0; y < k; y++) sum += dz.get(first + y, j);
            Gaussian.reparamGradient(h, g, i, c.muS() + j, c.logvarS() + j, sum, e.get(i, j), 1.0, invB);
        }
        for (int y = 0; y < k; y++) {
            double q = Math.exp(p.logQ[qOff + y]);
            for (int j = 0; j < dc; j++) {
                Gaussian.reparamGradient(h, g, i, c.muC(y) + j, c.logvarC(y) + j, dz.get(first + y, ds + y * dc + j),
                        e.get(i, ds + j), c.betaC() * q, invB);
            }
            p.dLossDq[qOff + y] = p.rowTerm[first + y] + c.yKl() * (p.logQ[qOff + y] + logK) + c.balance() * p.balanceLog[y];
        }
        Categorical.expectationGradient(g, i, c.logits(), k, p.logQ, qOff, p.dLossDq, qOff, invB);
    }

    @Override
    public LossWeights trainingWeights() {
        return new LossWeights(1, c.betaC(), c.alpha(), c.yKl());
    }

    @Override
    public boolean hasClassifier() {
        return true;
    }

    @Override
    public LatentLayout deviceLayout() {
        return new LatentLayout(c.ds(), c.dc(), k, true, true, 0, 1f, (float) c.betaC(), (float) c.alpha(),
                (float) c.yKl(), (float) c.balance(), likelihood.gaussian(), likelihood.invVar(), likelihood.logNormaliser());
    }
}
