package dev.nvae.analysis;

import dev.nvae.NvaeException;
import dev.nvae.backend.Backend;
import dev.nvae.data.Dataset;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.NVae;
import dev.nvae.model.Workspace;
import dev.nvae.random.Rng;
import dev.nvae.tensor.Tensor;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;

/** Generation and inference from a trained model: ancestral samples, reconstructions, encodings. */
public final class Sampler {
    private static final int BATCH = 1000;

    private Sampler() {
    }

    /**
     * Ancestral sampling: for each requested class y, z_s ~ N(0, σ²I), z_c ~ N(0, σ²I), decoded with y.
     * Returns pixel probabilities σ(logits), one row per label.
     */
    public static float[][] sample(NVae model, Backend be, int[] labels, double sigma, long seed) {
        ModelConfig c = model.config();
        if (!(sigma > 0) || !Double.isFinite(sigma)) throw new NvaeException("--sigma " + sigma + " must be a positive number");
        for (int y : labels) {
            if (y < 0 || y >= c.numClasses()) throw new NvaeException("--class " + y + " is out of range 0.." + (c.numClasses() - 1));
        }
        float[][] out = new float[labels.length][];
        int cap = Math.max(1, Math.min(BATCH, labels.length));
        try (Workspace ws = model.workspace(cap); Arena arena = Arena.ofShared()) {
            Tensor latent = Tensor.allocate(arena, "latent", cap, c.latentDim());
            Tensor probs = Tensor.allocate(arena, "probs", cap, c.inputDim());
            for (int from = 0, b = 0; from < labels.length; from += cap, b++) {
                int count = Math.min(cap, labels.length - from);
                Rng rng = Rng.stream(seed, 0x5A3F, b);
                for (long i = 0; i < (long) count * c.latentDim(); i++) latent.setFlat(i, (float) (sigma * rng.nextGaussian()));
                System.arraycopy(labels, from, ws.labels, 0, count);
                model.latentsToDecoderInput(ws, latent, count);
                model.decode(be, ws, count);
                copyProbabilities(be, ws, probs, count, out, from);
            }
        }
        return out;
    }

    /** Decodes the posterior mean (ε = 0) of the first n examples given their true labels. */
    public static float[][] reconstruct(NVae model, Backend be, Dataset data, int n) {
        if (n < 1 || n > data.count()) throw new NvaeException("--n " + n + " must be between 1 and " + data.count());
        ModelConfig c = model.config();
        float[][] out = new float[n][];
        int cap = Math.min(BATCH, n);
        int[] order = identity(n);
        try (Workspace ws = model.workspace(cap); Arena arena = Arena.ofShared()) {
            Tensor probs = Tensor.allocate(arena, "probs", cap, c.inputDim());
            for (int from = 0; from < n; from += cap) {
                int count = Math.min(cap, n - from);
                data.fillBatch(order, from, count, ws.x.segment(), ws.labels);
                model.encode(be, ws, count);
                ws.eps.zero();
                model.posteriorToDecoderInput(ws, count);
                model.decode(be, ws, count);
                copyProbabilities(be, ws, probs, count, out, from);
            }
        }
        return out;
    }

    /** μ and log σ² of the shared space and of the predicted class's space, plus true and predicted class. */
    public static Encoding encode(NVae model, Backend be, Dataset data) {
        ModelConfig c = model.config();
        List<String> cols = new ArrayList<>(List.of("label", "predicted"));
        for (int j = 0; j < c.ds(); j++) cols.add("mu_s" + j);
        for (int j = 0; j < c.ds(); j++) cols.add("logvar_s" + j);
        for (int j = 0; j < c.dc(); j++) cols.add("mu_c" + j);
        for (int j = 0; j < c.dc(); j++) cols.add("logvar_c" + j);
        int n = data.count();
        float[][] rows = new float[n][cols.size()];
        int cap = Math.max(1, Math.min(BATCH, n));
        int[] order = identity(n);
        try (Workspace ws = model.workspace(cap)) {
            for (int from = 0; from < n; from += cap) {
                int count = Math.min(cap, n - from);
                data.fillBatch(order, from, count, ws.x.segment(), ws.labels);
                model.encode(be, ws, count);
                Tensor h = ws.heads;
                for (int i = 0; i < count; i++) {
                    int pred = 0;
                    for (int k = 1; k < c.numClasses(); k++) {
                        if (h.get(i, c.logits() + k) > h.get(i, c.logits() + pred)) pred = k;
                    }
                    float[] r = rows[from + i];
                    int o = 0;
                    r[o++] = ws.labels[i];
                    r[o++] = pred;
                    for (int j = 0; j < c.ds(); j++) r[o++] = h.get(i, c.muS() + j);
                    for (int j = 0; j < c.ds(); j++) r[o++] = h.get(i, c.logvarS() + j);
                    for (int j = 0; j < c.dc(); j++) r[o++] = h.get(i, c.muC(pred) + j);
                    for (int j = 0; j < c.dc(); j++) r[o++] = h.get(i, c.logvarC(pred) + j);
                }
            }
        }
        return new Encoding(List.copyOf(cols), rows);
    }

    private static void copyProbabilities(Backend be, Workspace ws, Tensor probs, int count, float[][] out, int from) {
        be.sigmoid(ws.logitsX, probs, count);
        int d = probs.cols();
        for (int i = 0; i < count; i++) {
            float[] row = new float[d];
            java.lang.foreign.MemorySegment.copy(probs.segment(), Tensor.F32, (long) i * d * Float.BYTES, row, 0, d);
            out[from + i] = row;
        }
    }

    private static int[] identity(int n) {
        int[] o = new int[n];
        for (int i = 0; i < n; i++) o[i] = i;
        return o;
    }
}
