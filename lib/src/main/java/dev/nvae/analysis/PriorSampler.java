package dev.nvae.analysis;

import dev.nvae.NvaeException;
import dev.nvae.backend.Backend;
import dev.nvae.model.LatentModel;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.Workspace;
import dev.nvae.random.Rng;
import dev.nvae.tensor.Tensor;

import java.lang.foreign.Arena;

/**
 * Ancestral samples batch by batch over buffers it owns: the pull form of {@link Sampler#sample}, for a
 * caller that hands rows out as they are asked for (a Spark task's iterator). {@link #draw} takes a batch's
 * noise and classes, {@link #decode} turns σ·ε into pixel probabilities, as often as there are scales.
 *
 * <p>Sample i's noise ε_i comes from a stream of (seed, i) alone ({@link #noise}), so any range of indices
 * holds the floats of the whole run. Not thread-safe (one per thread of control); close it.
 */
public final class PriorSampler implements AutoCloseable {
    /** Samples per batch, and where batches end in index space (see {@link #batchSize}). */
    public static final int BATCH = 1000;
    /** Stream tag of the prior noise: sample i's ε comes from {@code Rng.stream(seed, NOISE, i)}. */
    private static final long NOISE = 0x5A3F;

    private final LatentModel model;
    private final ModelConfig c;
    private final Workspace ws;
    private final Arena arena = Arena.ofShared();
    private final Tensor latent;  // (B, ds+dc) σ·ε of the batch
    private final Tensor mean;    // (B, D) pixel probabilities
    private final double[] eps;   // (B, ds+dc) ε of the batch, shared by every scale
    private final int[] labels;   // (B)
    private int count;
    private long firstIndex;

    public PriorSampler(LatentModel model, int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity " + capacity);
        this.model = model;
        this.c = model.config();
        this.ws = model.decodingWorkspace(capacity);
        this.latent = Tensor.allocate(arena, "latent", capacity, c.latentDim());
        this.mean = Tensor.allocate(arena, "mean", capacity, c.inputDim());
        this.eps = new double[capacity * c.latentDim()];
        this.labels = new int[capacity];
    }

    /**
     * How many samples from {@code index} on go into one batch when {@code remaining} are left: up to the
     * next multiple of {@link #BATCH}, so a range that starts at such a multiple is cut into batches exactly
     * as the whole run is. (The vector backend's rows do not depend on their batch at all; this keeps a
     * backend whose kernels might, such as oneDNN's, exact for such ranges too.)
     */
    public static int batchSize(long index, long remaining) {
        return (int) Math.min(remaining, BATCH - index % BATCH);
    }

    /**
     * The noise and classes of samples {@code firstIndex} … {@code firstIndex + count − 1}: classes
     * {@code classes[from …]}.
     */
    public void draw(long seed, long firstIndex, int[] classes, int from, int count) {
        if (count < 1 || count > ws.capacity) throw new IllegalArgumentException(count + " samples for a batch of " + ws.capacity);
        if (firstIndex < 0 || firstIndex > Long.MAX_VALUE - count) throw new IllegalArgumentException("first sample index " + firstIndex + " out of range");
        int width = c.latentDim();
        for (int i = 0; i < count; i++) {
            int y = classes[from + i];
            if (y < 0 || y >= c.decodableLabels()) throw new NvaeException("--class " + y + " is out of range 0.." + (c.decodableLabels() - 1));
            labels[i] = y;
            noise(seed, firstIndex + i, eps, i * width, width);
        }
        this.count = count;
        this.firstIndex = firstIndex;
    }

    /**
     * The largest prior scale σ taken: at 100 the latents are already a hundred times wider than anything the
     * decoder was trained on, and far beyond that σ·ε overflows float (the pixels came back NaN).
     */
    public static final double MAX_SIGMA = 100;

    /** Whether {@code sigma} is a prior scale sampling takes: positive and at most {@link #MAX_SIGMA}. */
    public static boolean validSigma(double sigma) {
        return sigma > 0 && sigma <= MAX_SIGMA;
    }

    /** What a refused σ is told: "must be a positive number up to 100". */
    public static final String SIGMA_RANGE = "must be a positive number up to " + (int) MAX_SIGMA;

    /** Decodes σ·ε of the batch drawn last: its pixel probabilities in the first rows of the result, reused by the next call. */
    public Tensor decode(Backend be, double sigma) {
        if (!validSigma(sigma)) throw new NvaeException("--sigma " + sigma + " " + SIGMA_RANGE);
        if (count == 0) throw new IllegalStateException("nothing drawn");
        for (int i = 0; i < count * c.latentDim(); i++) latent.setFlat(i, (float) (sigma * eps[i]));
        System.arraycopy(labels, 0, ws.labels, 0, count);
        model.latentsToDecoderInput(ws, latent, count);
        model.decodeMean(be, ws, count, mean);
        FiniteOutputs.requireImages(mean, count, "sample", firstIndex);
        return mean;
    }

    /** Samples in the batch drawn last. */
    public int count() {
        return count;
    }

    /**
     * ε of sample {@code index} — {@code width} standard normals into {@code eps[offset …]} — from a stream
     * of (seed, index) alone: the prior noise every sampler of this library (CLI, Spark job, server) draws.
     */
    public static void noise(long seed, long index, double[] eps, int offset, int width) {
        Rng rng = Rng.stream(seed, NOISE, index);
        for (int j = 0; j < width; j++) eps[offset + j] = rng.nextGaussian();
    }

    @Override
    public void close() {
        try (ws) {
            arena.close();
        }
    }
}
