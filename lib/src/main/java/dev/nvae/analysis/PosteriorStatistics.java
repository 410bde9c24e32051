package dev.nvae.analysis;

import dev.nvae.model.ModelConfig;
import dev.nvae.model.Workspace;
import dev.nvae.random.Rng;
import dev.nvae.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * What the encoder's posteriors say about the latent space, accumulated batch by batch from ws.heads
 * with the true labels (a label-free model's clusters):
 * <ul>
 *   <li>per-dimension KL: S[j] of the shared block over all examples, A[k][j] of class k's block over
 *       the examples of class k (the factor detector of docs/MODEL.md#4, use 1);</li>
 *   <li>aggregate-posterior Gaussian fits per block (use 5);</li>
 *   <li>optionally, one draw of each example's posterior per block ({@link PosteriorDraws}), for the
 *       sample-based distances of the aggregate posterior to the prior, which see what a Gaussian fit cannot.</li>
 * </ul>
 */
final class PosteriorStatistics {
    private final ModelConfig c;
    private final double[] s;      // (ds) Σ KL of shared dim j
    private final double[][] a;    // (K, dc) Σ KL of class k's dim j over class-k examples
    private final long[] perClass; // (K)
    private long examples;
    private final GaussianFit shared;
    private final GaussianFit[] classes; // (K), empty for the baselines
    private final GaussianFit joint;     // null for the baselines (their shared block is their whole latent)
    private final int drawCap;           // 0: no draws
    private final long seed;
    private final PosteriorDraws sharedDraws, jointDraws; // null without draws; joint also for the baselines
    private final PosteriorDraws[] classDraws;
    private final double[] eps;          // (ds + dc) the current example's noise

    /** Fits and per-dimension KL only. */
    PosteriorStatistics(ModelConfig c, List<String> classNames) {
        this(c, classNames, 0, 0);
    }

    /**
     * @param drawCap posterior draws per block compared with the prior at the end (0: none)
     * @param seed    the draws' noise (example n's from stream (seed, n)) and the choice among them
     */
    PosteriorStatistics(ModelConfig c, List<String> classNames, int drawCap, long seed) {
        this.c = c;
        int k = c.numClasses();
        s = new double[c.ds()];
        a = new double[k][c.dc()];
        perClass = new long[k];
        boolean nvae = c.isNvae();
        shared = new GaussianFit(nvae ? "shared" : "z", c.ds());
        classes = new GaussianFit[nvae ? k : 0];
        for (int y = 0; y < classes.length; y++) {
            String name = y < classNames.size() ? classNames.get(y) : Integer.toString(y);
            // A label-free model's blocks are its clusters, named "cluster k" already: not "class cluster k".
            classes[y] = new GaussianFit(c.labelFree() ? name : "class " + name, c.dc());
        }
        joint = nvae ? new GaussianFit("joint", c.ds() + c.dc()) : null;
        if (drawCap < 0) throw new IllegalArgumentException("posterior draws " + drawCap + " < 0");
        this.drawCap = drawCap;
        this.seed = seed;
        boolean draw = drawCap > 0;
        sharedDraws = draw ? new PosteriorDraws(c.ds()) : null;
        classDraws = new PosteriorDraws[draw ? classes.length : 0];
        for (int y = 0; y < classDraws.length; y++) classDraws[y] = new PosteriorDraws(c.dc());
        jointDraws = draw && nvae ? new PosteriorDraws(c.ds() + c.dc()) : null;
        eps = new double[c.ds() + c.dc()];
    }

    /**
     * Adds the first {@code count} rows of ws.heads, with the classes in ws.labels (for the N-VAE resolved
     * by {@link ExampleClasses}: every example has one).
     */
    void add(Workspace ws, int count) {
        Tensor h = ws.heads;
        int ds = c.ds(), dc = c.dc();
        for (int i = 0; i < count; i++) {
            // Only an N-VAE has a latent block per class. A baseline files no example under a class: a vae reads data of
            // any classes, more than it was trained on too, so the data's label may be no class of the model's.
            int y = c.isNvae() ? ws.labels[i] : -1;
            examples++;
            for (int j = 0; j < ds; j++) s[j] += klOne(h.get(i, c.muS() + j), h.get(i, c.logvarS() + j));
            shared.set(h, i, c.muS(), c.logvarS(), ds, 0);
            shared.commit();
            if (drawCap > 0) draw(h, i, y, examples - 1);
            if (y < 0) continue;
            perClass[y]++;
            for (int j = 0; j < dc; j++) a[y][j] += klOne(h.get(i, c.muC(y) + j), h.get(i, c.logvarC(y) + j));
            if (joint != null) {
                classes[y].set(h, i, c.muC(y), c.logvarC(y), dc, 0);
                classes[y].commit();
                joint.set(h, i, c.muS(), c.logvarS(), ds, 0);
                joint.set(h, i, c.muC(y), c.logvarC(y), dc, ds);
                joint.commit();
            }
        }
    }

    /** One draw of example {@code index}'s posterior, in every block it belongs to. */
    private void draw(Tensor h, int i, int y, long index) {
        Rng rng = Rng.stream(seed, DRAWS, index);
        for (int j = 0; j < eps.length; j++) eps[j] = rng.nextGaussian();
        int ds = c.ds(), dc = c.dc();
        sharedDraws.begin();
        for (int j = 0; j < ds; j++) sharedDraws.set(0, j, h.get(i, c.muS() + j), h.get(i, c.logvarS() + j), eps[j], index);
        sharedDraws.commit();
        if (jointDraws == null) return;
        PosteriorDraws own = classDraws[y];
        own.begin();
        jointDraws.begin();
        for (int j = 0; j < ds; j++) jointDraws.set(0, j, h.get(i, c.muS() + j), h.get(i, c.logvarS() + j), eps[j], index);
        for (int j = 0; j < dc; j++) {
            double mu = h.get(i, c.muC(y) + j), lv = h.get(i, c.logvarC(y) + j);
            own.set(0, j, mu, lv, eps[ds + j], index);
            jointDraws.set(ds, j, mu, lv, eps[ds + j], index);
        }
        own.commit();
        jointDraws.commit();
    }

    private static final long DRAWS = 0xA66D;

    static double klOne(double mu, double lv) {
        return 0.5 * (mu * mu + Math.exp(lv) - 1 - lv);
    }

    /** S[j], mean KL of shared dim j over all examples. */
    double[] klSharedPerDim() {
        double[] out = new double[s.length];
        for (int j = 0; j < s.length; j++) out[j] = s[j] / Math.max(1, examples);
        return out;
    }

    /**
     * A[k][j], mean KL of class k's dim j over the examples of class k: NaN for a class with none, a mean of
     * nothing (a 0 would read as a dimension the class does not use).
     */
    double[][] klClassPerDim() {
        double[][] out = new double[a.length][];
        for (int k = 0; k < a.length; k++) {
            out[k] = new double[a[k].length];
            for (int j = 0; j < a[k].length; j++) out[k][j] = perClass[k] == 0 ? Double.NaN : a[k][j] / perClass[k];
        }
        return out;
    }

    /** The draws of block {@code block} (shared, each class, joint: {@link #aggregate}'s order), or null without draws. */
    PosteriorDraws draws(int block) {
        if (block == 0) return sharedDraws;
        return block <= classes.length ? (classDraws.length == 0 ? null : classDraws[block - 1]) : jointDraws;
    }

    long[] examplesPerClass() {
        return perClass.clone();
    }

    /**
     * Shared (or z) first, then each class, then joint; with draws, each with its {@link PriorDivergence}, compared on up
     * to {@code threads} threads ({@link PriorComparisons}).
     */
    List<AggregatePosterior> aggregate(Evaluator.Progress progress, int threads) {
        List<AggregatePosterior> fits = new ArrayList<>();
        List<PosteriorDraws> draws = new ArrayList<>();
        fits.add(shared.result());
        draws.add(sharedDraws);
        for (int y = 0; y < classes.length; y++) {
            fits.add(classes[y].result());
            draws.add(drawCap > 0 ? classDraws[y] : null);
        }
        if (joint != null) {
            fits.add(joint.result());
            draws.add(jointDraws);
        }
        if (drawCap == 0) return fits;
        long drawsPerBlock = Math.min(drawCap, Math.max(1, examples));
        PriorDivergence[] measured = new PriorComparisons(draws, drawCap, seed, progress).run(threads, drawsPerBlock);
        for (int b = 0; b < fits.size(); b++) fits.set(b, fits.get(b).withDivergence(measured[b]));
        return fits;
    }
}
