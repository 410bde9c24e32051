package dev.nvae.analysis;

import dev.nvae.NvaeException;
import dev.nvae.backend.Backend;
import dev.nvae.data.Dataset;
import dev.nvae.model.Categorical;
import dev.nvae.model.LatentModel;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.Workspace;
import dev.nvae.tensor.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Generation and inference from a trained model: ancestral samples, decodes of given latents, reconstructions, encodings. */
public final class Sampler {
    private static final int BATCH = PriorSampler.BATCH;

    private Sampler() {
    }

    /**
     * Ancestral sampling: for each requested class y, z_s ~ N(0, σ²I), z_c ~ N(0, σ²I), decoded with y
     * (a VAE ignores y). Returns the likelihood's mean — pixel probabilities σ(logits) — one row per label.
     */
    public static float[][] sample(LatentModel model, Backend be, int[] labels, double sigma, long seed) {
        return sample(model, be, labels, new double[]{sigma}, seed)[0];
    }

    /**
     * The same draws at several prior scales: sample i at scale σ_s decodes σ_s·ε_i with one ε_i for every
     * scale, so two scales' samples differ only by σ. Result [scale][sample].
     */
    public static float[][][] sample(LatentModel model, Backend be, int[] labels, double[] sigmas, long seed) {
        float[][][] out = new float[sigmas.length][labels.length][];
        sample(model, be, labels, 0, sigmas, seed, (scale, from, count, means) -> {
            int d = means.cols();
            for (int i = 0; i < count; i++) {
                float[] row = new float[d];
                MemorySegment.copy(means.segment(), Tensor.F32, (long) i * d * Float.BYTES, row, 0, d);
                out[scale][from + i] = row;
            }
        });
        return out;
    }

    /** Receives each decoded batch: samples [from, from+count) of the call at prior scale number {@code scale}. */
    @FunctionalInterface
    public interface Batches {
        /** @param means the batch's pixel probabilities in its first {@code count} rows; reused for the next batch */
        void accept(int scale, int from, int count, Tensor means);
    }

    /**
     * {@link #sample(LatentModel, Backend, int[], double[], long)} handing each batch of up to 1000 samples
     * to {@code batches} as it is decoded, so a caller writing them out (NPY) never holds them all.
     */
    public static void sample(LatentModel model, Backend be, int[] labels, double[] sigmas, long seed, Batches batches) {
        sample(model, be, labels, 0, sigmas, seed, batches);
    }

    /**
     * Samples {@code firstIndex} … {@code firstIndex + labels.length − 1} of a run: sample i has class
     * {@code labels[i − firstIndex]} and noise {@link #noise ε_i}, a function of (seed, i) alone, so a range
     * of indices drawn on its own — a Spark task's share, one request to a server — gives the very floats
     * the whole run gives for those indices (batches end where {@link PriorSampler#batchSize} says).
     */
    public static void sample(LatentModel model, Backend be, int[] labels, long firstIndex, double[] sigmas, long seed, Batches batches) {
        for (double sigma : sigmas) {
            if (!PriorSampler.validSigma(sigma)) throw new NvaeException("--sigma " + sigma + " " + PriorSampler.SIGMA_RANGE);
        }
        if (firstIndex < 0 || firstIndex > Long.MAX_VALUE - labels.length) {
            throw new IllegalArgumentException("first sample index " + firstIndex + " out of range");
        }
        checkLabels(model.config(), labels);
        try (PriorSampler sampler = new PriorSampler(model, Math.max(1, Math.min(BATCH, labels.length)))) {
            for (int from = 0; from < labels.length; ) {
                Cancellation.checkpoint();
                int count = PriorSampler.batchSize(firstIndex + from, labels.length - from);
                sampler.draw(seed, firstIndex + from, labels, from, count);
                for (int s = 0; s < sigmas.length; s++) batches.accept(s, from, count, sampler.decode(be, sigmas[s]));
                from += count;
            }
        }
    }

    /** ε of sample {@code index}: {@link PriorSampler#noise}. */
    public static void noise(long seed, long index, double[] eps, int offset, int width) {
        PriorSampler.noise(seed, index, eps, offset, width);
    }

    /**
     * Decodes given latents: row i is [z_s | z_c] (ds+dc values; a baseline's z) decoded with class
     * labels[i]. Returns the likelihood's mean, one row per latent.
     */
    public static float[][] decode(LatentModel model, Backend be, float[][] latents, int[] labels) {
        ModelConfig c = model.config();
        if (latents.length != labels.length) throw new IllegalArgumentException(latents.length + " latents for " + labels.length + " labels");
        checkLabels(c, labels);
        float[][] out = new float[latents.length][];
        int cap = Math.max(1, Math.min(BATCH, latents.length));
        try (Workspace ws = model.decodingWorkspace(cap); Arena arena = Arena.ofShared()) {
            Tensor latent = Tensor.allocate(arena, "latent", cap, c.latentDim());
            Tensor mean = Tensor.allocate(arena, "mean", cap, c.inputDim());
            for (int from = 0; from < latents.length; from += cap) {
                Cancellation.checkpoint();
                int count = Math.min(cap, latents.length - from);
                for (int i = 0; i < count; i++) {
                    float[] z = latents[from + i];
                    if (z.length != c.latentDim()) throw new IllegalArgumentException("latent of " + z.length + " values, not " + c.latentDim());
                    MemorySegment.copy(z, 0, latent.segment(), Tensor.F32, (long) i * c.latentDim() * Float.BYTES, z.length);
                }
                System.arraycopy(labels, from, ws.labels, 0, count);
                model.latentsToDecoderInput(ws, latent, count);
                model.decode(be, ws, count);
                copyMeans(model, be, ws, mean, count, out, from, "latent");
            }
        }
        return out;
    }

    private static void checkLabels(ModelConfig c, int[] labels) {
        for (int y : labels) {
            if (y < 0 || y >= c.decodableLabels()) throw new NvaeException("--class " + y + " is out of range 0.." + (c.decodableLabels() - 1));
        }
    }

    /**
     * Decodes the posterior mean (ε = 0) of the first n examples given their true labels (a label-free
     * model's clusters, and the predicted class of an example without a label).
     */
    public static float[][] reconstruct(LatentModel model, Backend be, Dataset data, int n) {
        if (n < 1 || n > data.count()) throw new NvaeException("--n " + n + " must be between 1 and " + data.count());
        ModelConfig c = model.config();
        float[][] out = new float[n][];
        int cap = Math.min(BATCH, n);
        int[] order = identity(n);
        try (Workspace ws = model.workspace(cap); Arena arena = Arena.ofShared()) {
            Tensor mean = Tensor.allocate(arena, "mean", cap, c.inputDim());
            for (int from = 0; from < n; from += cap) {
                Cancellation.checkpoint();
                int count = Math.min(cap, n - from);
                data.fillBatch(order, from, count, ws.x.segment(), ws.labels);
                model.encode(be, ws, count);
                FiniteOutputs.requireEncoder(c, ws.heads, count, from);
                ExampleClasses.resolve(c, ws, count);
                ws.eps.zero();
                model.posteriorToDecoderInput(ws, count);
                model.decode(be, ws, count);
                copyMeans(model, be, ws, mean, count, out, from, "example");
            }
        }
        return out;
    }

    /**
     * μ and log σ² per example: for the N-VAE the shared space and the predicted class's space, with true
     * and predicted class; for a baseline its z (a conditional VAE encodes with the true label).
     */
    public static Encoding encode(LatentModel model, Backend be, Dataset data) {
        int n = data.count();
        int cap = Math.max(1, Math.min(BATCH, n));
        int[] order = identity(n);
        float[][] rows = new float[n][];
        float[][] probabilities = new float[n][];
        try (Scorer scorer = new Scorer(model, cap, false, 0)) {
            for (int from = 0; from < n; from += cap) {
                Cancellation.checkpoint();
                int count = Math.min(cap, n - from);
                Workspace ws = scorer.consecutive(from, count);
                data.fillBatch(order, from, count, ws.x.segment(), ws.labels);
                scorer.score(be, count, 0);
                for (int i = 0; i < count; i++) {
                    rows[from + i] = scorer.encoding(i).clone();
                    probabilities[from + i] = scorer.probabilities(i).clone();
                }
            }
            return new Encoding(scorer.columns(), rows, probabilities);
        }
    }

    /**
     * Posterior means given the true label: shared[i] = μ_s(x_i) (a baseline's μ_z), own[i] = μ_c^{y_i}(x_i)
     * (empty for a baseline). The representation disentanglement scores and traversals start from. For a
     * label-free model (and an example without a label) y_i is the model's class: labels[i] is then a cluster.
     */
    public static PosteriorMeans posteriorMeans(LatentModel model, Backend be, Dataset data) {
        ModelConfig c = model.config();
        int n = data.count();
        int[] labels = new int[n];
        float[][] shared = new float[n][c.ds()], own = new float[n][c.dc()];
        forEachEncodedBatch(model, be, data, (ws, from, count) -> {
            ExampleClasses.resolve(c, ws, count);
            for (int i = 0; i < count; i++) {
                int y = ws.labels[i];
                labels[from + i] = y;
                for (int j = 0; j < c.ds(); j++) shared[from + i][j] = ws.heads.get(i, c.muS() + j);
                for (int j = 0; j < c.dc(); j++) own[from + i][j] = ws.heads.get(i, c.muC(y) + j);
            }
        });
        return new PosteriorMeans(labels, shared, own);
    }

    private interface BatchConsumer {
        void accept(Workspace ws, int from, int count);
    }

    private static void forEachEncodedBatch(LatentModel model, Backend be, Dataset data, BatchConsumer consumer) {
        int n = data.count();
        int cap = Math.max(1, Math.min(BATCH, n));
        int[] order = identity(n);
        try (Workspace ws = model.workspace(cap)) {
            for (int from = 0; from < n; from += cap) {
                Cancellation.checkpoint();
                int count = Math.min(cap, n - from);
                data.fillBatch(order, from, count, ws.x.segment(), ws.labels);
                model.encode(be, ws, count);
                FiniteOutputs.requireEncoder(model.config(), ws.heads, count, from);
                consumer.accept(ws, from, count);
            }
        }
    }

    private static void copyMeans(LatentModel model, Backend be, Workspace ws, Tensor mean, int count, float[][] out, int from, String what) {
        model.likelihood().mean(be, ws.logitsX, mean, count);
        FiniteOutputs.requireImages(mean, count, what, from);
        int d = mean.cols();
        for (int i = 0; i < count; i++) {
            float[] row = new float[d];
            MemorySegment.copy(mean.segment(), Tensor.F32, (long) i * d * Float.BYTES, row, 0, d);
            out[from + i] = row;
        }
    }

    private static int[] identity(int n) {
        int[] o = new int[n];
        for (int i = 0; i < n; i++) o[i] = i;
        return o;
    }
}
