package dev.nvae.analysis;

import dev.nvae.backend.Backend;
import dev.nvae.model.Likelihood;
import dev.nvae.model.LatentModel;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.Workspace;
import dev.nvae.random.Rng;
import dev.nvae.tensor.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The k-sample importance-weighted estimate of −log p(x|y) (Burda et al. 2016):
 * −log (1/k) Σ_i p(x|y,z_i) p(z_i) / q(z_i|x,y), z_i ~ q(z|x,y), with the true label.
 *
 * <p>Batched over examples <em>and</em> samples: the (example, sample) pairs of an encoded batch are laid
 * out row after row — example i's samples in rows i·k .. i·k+k−1 — and decoded in chunks that fill the
 * workspace, so a decode runs at full batch width whether k is 1 or 5000. Sample noise comes from a stream
 * per (seed, example index), so the estimate does not depend on the batch size.
 */
final class Iwae implements AutoCloseable {
    private final LatentModel model;
    private final ModelConfig c;
    private final int k;
    private final Arena arena = Arena.ofConfined();
    private final Tensor latent;        // (B, ds+dc) the chunk's latent samples
    private final int[] exampleLabels;  // (B) labels of the encoded batch, kept while ws.labels holds the chunk's
    private final double[] logW;        // (B·k) log importance weights of the batch's pairs
    private final double[] estimates;   // (B) each example's estimate from the last sum

    Iwae(LatentModel model, int capacity, int k) {
        this.model = model;
        this.c = model.config();
        this.k = k;
        latent = Tensor.allocate(arena, "latent", capacity, c.latentDim());
        exampleLabels = new int[capacity];
        logW = new double[Math.multiplyExact(capacity, k)];
        estimates = new double[capacity];
    }

    /**
     * Σ over the first {@code count} examples of ws of their estimates. ws.heads must hold their encodings
     * (ws.x and ws.labels their inputs); ws.decIn, ws.logitsX and ws.labels are overwritten.
     *
     * @param indices each example's index in its data set: names its noise streams
     */
    double sum(Backend be, Workspace ws, int count, long seed, long[] indices) {
        System.arraycopy(ws.labels, 0, exampleLabels, 0, count);
        Likelihood likelihood = model.likelihood();
        int d = c.inputDim();
        long rows = (long) count * k;
        Rng rng = null;
        for (long from = 0; from < rows; from += ws.capacity) {
            Cancellation.checkpoint();  // k decodes per example: one call of many samples is where a deadline bites
            int chunk = (int) Math.min(ws.capacity, rows - from);
            for (int r = 0; r < chunk; r++) {
                long pair = from + r;
                int i = (int) (pair / k);
                if (pair % k == 0 || rng == null) rng = Rng.stream(seed, 0x1EAE, indices[i]);
                int y = exampleLabels[i];
                ws.labels[r] = y;
                double lw = drawLatent(ws.heads, i, c.muS(), c.logvarS(), c.ds(), 0, r, rng);
                if (c.dc() > 0) lw += drawLatent(ws.heads, i, c.muC(y), c.logvarC(y), c.dc(), c.ds(), r, rng);
                logW[(int) pair] = lw;
            }
            model.latentsToDecoderInput(ws, latent, chunk);
            model.decode(be, ws, chunk);
            MemorySegment out = ws.logitsX.segment(), x = ws.x.segment();
            long rowBytes = (long) d * Float.BYTES;
            for (int r = 0; r < chunk; r++) {
                long pair = from + r;
                int i = (int) (pair / k);
                logW[(int) pair] -= likelihood.nll(out.asSlice(r * rowBytes, rowBytes), x.asSlice(i * rowBytes, rowBytes),
                        0, d, null, 0f);
            }
        }
        double sum = 0;
        for (int i = 0; i < count; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int s = 0; s < k; s++) max = Math.max(max, logW[i * k + s]);
            double acc = 0;
            for (int s = 0; s < k; s++) acc += Math.exp(logW[i * k + s] - max);
            estimates[i] = -(max + Math.log(acc / k));
            sum += estimates[i];
        }
        return sum;
    }

    /** Example {@code i}'s estimate from the last {@link #sum}. */
    double estimate(int i) {
        return estimates[i];
    }

    /**
     * Draws z = μ + σε for {@code n} dims of example {@code i} into latent row {@code r} at {@code offset}
     * and returns log p(z) − log q(z|x): with z = μ + σε the Gaussian normalisers cancel, leaving
     * Σ_j [−½ z_j² + ½ log σ_j² + ½ ε_j²].
     */
    private double drawLatent(Tensor h, int i, int muCol, int lvCol, int n, int offset, int r, Rng rng) {
        double lw = 0;
        for (int j = 0; j < n; j++) {
            double mu = h.get(i, muCol + j), lv = h.get(i, lvCol + j);
            double eps = rng.nextGaussian();
            float z = (float) (mu + Math.exp(0.5 * lv) * eps);
            latent.set(r, offset + j, z);
            lw += -0.5 * z * z + 0.5 * lv + 0.5 * eps * eps;
        }
        return lw;
    }

    @Override
    public void close() {
        arena.close();
    }
}
