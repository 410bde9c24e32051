package dev.nvae.analysis;

import dev.nvae.backend.Backend;
import dev.nvae.model.BatchLoss;
import dev.nvae.model.Categorical;
import dev.nvae.model.LatentModel;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.Workspace;
import dev.nvae.random.Rng;
import dev.nvae.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The per-example figures of {@code encode} and {@code evaluate}, batch by batch into buffers it owns:
 * the posterior means and log-variances ({@link Sampler#encode}'s row), the class q(y|x) predicts and its
 * probability, and — for examples of known class — neg_elbo with one posterior sample and, with
 * {@code iwSamples} &gt; 0, the importance-weighted estimate of −log p(x|y) ({@link Iwae}).
 *
 * <p>Every random draw of example i comes from a stream of (seed, i): its figures are the same whatever
 * batch, partition or machine it is scored in. Not thread-safe (one per thread of control); close it.
 */
public final class Scorer implements AutoCloseable {
    /** Stream tag of the ELBO's posterior sample: example i's ε comes from {@code Rng.stream(seed, ELBO, i)}. */
    private static final long ELBO = 0xE7A1;

    /** A named block of the encoding: {@code width} values, columns {@code name}0 … {@code name}(width−1). */
    public record Block(String name, int width) {
    }

    private final LatentModel model;
    private final ModelConfig c;
    private final boolean negElbo;
    private final Workspace ws;
    private final Iwae iwae;
    private final BatchLoss loss = new BatchLoss();
    private final List<Block> blocks;
    private final List<String> columns;
    // Results of the last batch. B = capacity.
    private final float[][] encodings;  // (B, columns) the encode row: label, [predicted,] then the blocks
    private final int[] predicted;      // (B) argmax q(y|x), −1 without a classifier
    private final double[] probability; // (B) q(predicted|x), NaN without a classifier
    private final float[][] probabilities; // (B, K) q(y|x) of every class; (B, 0) without a classifier
    private final double[] elbo;        // (B) neg_elbo, NaN when not scored
    private final double[] iwaeNll;     // (B) IWAE estimate, NaN when not scored
    private final long[] indices;       // (B) each example's index in its data set: names its noise streams
    private final int[] truth;          // (B) each example's class as given, −1 unknown (a label-free pass hides it)

    /**
     * @param negElbo   also score neg_elbo (needs every example's class for a model that reads it)
     * @param iwSamples importance samples per example for the IWAE estimate; 0 for none
     */
    public Scorer(LatentModel model, int capacity, boolean negElbo, int iwSamples) {
        if (capacity < 1) throw new IllegalArgumentException("capacity " + capacity);
        if (iwSamples < 0) throw new IllegalArgumentException("--iw " + iwSamples + " must be >= 0");
        this.model = model;
        this.c = model.config();
        this.negElbo = negElbo;
        String s = c.isNvae() ? "_s" : "_z";
        List<Block> b = new ArrayList<>(List.of(new Block("mu" + s, c.ds()), new Block("logvar" + s, c.ds())));
        if (c.dc() > 0) b.addAll(List.of(new Block("mu_c", c.dc()), new Block("logvar_c", c.dc())));
        this.blocks = List.copyOf(b);
        List<String> cols = new ArrayList<>(List.of("label"));
        if (c.hasClassifier()) cols.add("predicted");
        for (Block block : blocks) for (int j = 0; j < block.width(); j++) cols.add(block.name() + j);
        this.columns = List.copyOf(cols);
        this.encodings = new float[capacity][columns.size()];
        this.predicted = new int[capacity];
        this.probability = new double[capacity];
        this.probabilities = new float[capacity][c.hasClassifier() ? c.numClasses() : 0];
        this.elbo = new double[capacity];
        this.iwaeNll = new double[capacity];
        this.indices = new long[capacity];
        this.truth = new int[capacity];
        // An N-VAE bounds an example without a class by decoding it once per class: room for K passes.
        Workspace w = model.workspace(capacity, negElbo && model.learnsFromUnlabelled());
        try {
            this.iwae = iwSamples > 0 ? new Iwae(model, capacity, iwSamples) : null;
        } catch (RuntimeException e) {
            w.close();
            throw e;
        }
        this.ws = w;
    }

    public int capacity() {
        return ws.capacity;
    }

    /**
     * The encoding's latent blocks in row order: μ and log σ² of the shared space and of the predicted
     * class's space (the N-VAE), or of z (a baseline).
     */
    public List<Block> blocks() {
        return blocks;
    }

    /** Names of {@link #encoding}'s values: label, predicted (with a classifier), then each block's columns. */
    public List<String> columns() {
        return columns;
    }

    /**
     * Example {@code row} of the next batch: D pixel values in [0,1] (binarized already for a model that
     * reads binary data), its class or −1 when unknown (enough for a model that does not read the class, and
     * for the N-VAE's encoding), and its index in its data set, which names its noise streams.
     */
    public void put(int row, float[] pixels, int label, long index) {
        if (pixels.length != c.inputDim()) throw new IllegalArgumentException(pixels.length + " pixels, not " + c.inputDim());
        // A vae reads no label, whatever classes it was trained on: the data's is carried through to its encoding's label column.
        if (label >= c.numClasses() && !ModelConfig.readsNoLabel(c.model())) throw new IllegalArgumentException("class " + label + " of a " + c.numClasses() + "-class model");
        for (int j = 0; j < pixels.length; j++) ws.x.set(row, j, pixels[j]);
        ws.labels[row] = label;
        indices[row] = index;
    }

    /**
     * The next batch's pixels and classes as {@code Dataset.fillBatch} writes them, in place of {@link #put}:
     * rows 0 … count−1 are examples {@code firstIndex} … of their data set.
     */
    Workspace consecutive(long firstIndex, int count) {
        for (int i = 0; i < count; i++) indices[i] = firstIndex + i;
        return ws;
    }

    /**
     * Scores rows 0 … count−1 as {@link #put} (or {@link #consecutive}) left them. neg_elbo is what
     * {@code evaluate} averages: given the class for a labelled example, and for an example without one —
     * every example of a label-free model — the bound summed over the classes, KL(q(y|x) ‖ p(y)) included.
     */
    public void score(Backend be, int count, long seed) {
        boolean labelled = true;
        for (int i = 0; i < count; i++) labelled &= ws.labels[i] >= 0;
        if (!labelled && c.isConditional() && !c.hasClassifier()) {
            throw new IllegalArgumentException("examples of unknown class: the " + c.model() + "'s encoder needs the class");
        }
        if (!labelled && negElbo && !model.learnsFromUnlabelled()) {
            throw new IllegalArgumentException("examples of unknown class: the " + c.model() + "'s neg_elbo needs the class");
        }
        if (iwae != null && (c.labelFree() || !labelled && c.isConditional())) {
            throw new IllegalArgumentException(c.labelFree() ? Evaluator.IWAE_LABEL_FREE
                    : "iwae_nll estimates -log p(x|y) given the true class, and some examples have none");
        }
        System.arraycopy(ws.labels, 0, truth, 0, count);
        if (negElbo) {
            ExampleClasses.hideForLabelFree(c, ws, count);
            for (int i = 0; i < count; i++) posteriorNoise(ws.eps, i, seed, indices[i]);
            loss.clear();
            model.evaluate(be, ws, count, loss); // encodes, then one posterior sample (K for an unlabelled N-VAE example)
            FiniteOutputs.requireEncoder(c, ws.heads, count, indices);
            for (int i = 0; i < count; i++) {
                elbo[i] = ws.rec[i] + ws.klS[i] + ws.klC[i] + (ws.labels[i] < 0 ? ws.ce[i] : 0);
                FiniteOutputs.requireValue(elbo[i], "neg_elbo", indices[i]);
            }
            System.arraycopy(truth, 0, ws.labels, 0, count);
        } else {
            model.encode(be, ws, count);
            FiniteOutputs.requireEncoder(c, ws.heads, count, indices);
            Arrays.fill(elbo, 0, count, Double.NaN);
        }
        Tensor h = ws.heads;
        for (int i = 0; i < count; i++) {
            float[] r = encodings[i];
            int o = 0;
            r[o++] = truth[i];
            int pred = c.hasClassifier() ? ExampleClasses.argmax(c, h, i) : -1;
            predicted[i] = pred;
            if (c.hasClassifier()) Categorical.softmax(h, i, c.logits(), probabilities[i]);
            probability[i] = c.hasClassifier() ? probabilities[i][pred] : Double.NaN;
            if (c.hasClassifier()) r[o++] = pred;
            for (int j = 0; j < c.ds(); j++) r[o++] = h.get(i, c.muS() + j);
            for (int j = 0; j < c.ds(); j++) r[o++] = h.get(i, c.logvarS() + j);
            for (int j = 0; j < c.dc(); j++) r[o++] = h.get(i, c.muC(pred) + j);
            for (int j = 0; j < c.dc(); j++) r[o++] = h.get(i, c.logvarC(pred) + j);
        }
        if (iwae != null) {
            iwae.sum(be, ws, count, seed, indices); // overwrites ws.labels: after the rows above
            for (int i = 0; i < count; i++) {
                iwaeNll[i] = iwae.estimate(i);
                FiniteOutputs.requireValue(iwaeNll[i], "iwae_nll", indices[i]);
            }
        } else {
            Arrays.fill(iwaeNll, 0, count, Double.NaN);
        }
    }

    /** The encode row of example {@code row} of the last batch ({@link #columns()}); reused by the next batch. */
    public float[] encoding(int row) {
        return encodings[row];
    }

    /** Values {@code [offset, offset + width)} of {@link #encoding}: where block number {@code b} lies. */
    public int blockOffset(int b) {
        int o = c.hasClassifier() ? 2 : 1;
        for (int i = 0; i < b; i++) o += blocks.get(i).width();
        return o;
    }

    public int predicted(int row) {
        return predicted[row];
    }

    public double probability(int row) {
        return probability[row];
    }

    /** q(y|x) of every class for example {@code row} of the last batch (empty without a classifier); reused by the next batch. */
    public float[] probabilities(int row) {
        return probabilities[row];
    }

    public double negElbo(int row) {
        return elbo[row];
    }

    public double iwaeNll(int row) {
        return iwaeNll[row];
    }

    /** ε of example {@code index}'s one-sample ELBO, into row {@code row} of {@code eps}: a stream of (seed, index). */
    static void posteriorNoise(Tensor eps, int row, long seed, long index) {
        Rng rng = Rng.stream(seed, ELBO, index);
        for (int j = 0; j < eps.cols(); j++) eps.set(row, j, (float) rng.nextGaussian());
    }

    @Override
    public void close() {
        try (ws) {
            if (iwae != null) iwae.close();
        }
    }
}
