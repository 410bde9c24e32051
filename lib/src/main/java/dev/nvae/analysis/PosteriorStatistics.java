package dev.nvae.analysis;

import dev.nvae.model.ModelConfig;
import dev.nvae.model.Workspace;
import dev.nvae.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * What the encoder's posteriors say about the latent space, accumulated batch by batch from ws.heads
 * with the true labels (a label-free model's clusters):
 * <ul>
 *   <li>per-dimension KL: S[j] of the shared block over all examples, A[k][j] of class k's block over
 *       the examples of class k (the factor detector of docs/MODEL.md#4, use 1);</li>
 *   <li>aggregate-posterior Gaussian fits per block (use 5).</li>
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

    PosteriorStatistics(ModelConfig c, List<String> classNames) {
        this.c = c;
        int k = c.numClasses();
        s = new double[c.ds()];
        a = new double[k][c.dc()];
        perClass = new long[k];
        boolean nvae = c.isNvae();
        shared = new GaussianFit(nvae ? "shared" : "z", c.ds());
        classes = new GaussianFit[nvae ? k : 0];
        for (int y = 0; y < classes.length; y++) {
            classes[y] = new GaussianFit("class " + (y < classNames.size() ? classNames.get(y) : Integer.toString(y)), c.dc());
        }
        joint = nvae ? new GaussianFit("joint", c.ds() + c.dc()) : null;
    }

    /**
     * Adds the first {@code count} rows of ws.heads, with the classes in ws.labels (for the N-VAE resolved
     * by {@link ExampleClasses}: every example has one).
     */
    void add(Workspace ws, int count) {
        Tensor h = ws.heads;
        int ds = c.ds(), dc = c.dc();
        for (int i = 0; i < count; i++) {
            int y = ws.labels[i];
            examples++;
            for (int j = 0; j < ds; j++) s[j] += klOne(h.get(i, c.muS() + j), h.get(i, c.logvarS() + j));
            shared.set(h, i, c.muS(), c.logvarS(), ds, 0);
            shared.commit();
            if (y < 0) continue; // a baseline's example without a label: no class to file it under
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

    static double klOne(double mu, double lv) {
        return 0.5 * (mu * mu + Math.exp(lv) - 1 - lv);
    }

    /** S[j], mean KL of shared dim j over all examples. */
    double[] klSharedPerDim() {
        double[] out = new double[s.length];
        for (int j = 0; j < s.length; j++) out[j] = s[j] / Math.max(1, examples);
        return out;
    }

    /** A[k][j], mean KL of class k's dim j over the examples of class k (0 for a class with none). */
    double[][] klClassPerDim() {
        double[][] out = new double[a.length][];
        for (int k = 0; k < a.length; k++) {
            out[k] = new double[a[k].length];
            for (int j = 0; j < a[k].length; j++) out[k][j] = a[k][j] / Math.max(1, perClass[k]);
        }
        return out;
    }

    long[] examplesPerClass() {
        return perClass.clone();
    }

    /** Shared (or z) first, then each class, then joint. */
    List<AggregatePosterior> aggregate() {
        List<AggregatePosterior> out = new ArrayList<>();
        out.add(shared.result());
        for (GaussianFit f : classes) out.add(f.result());
        if (joint != null) out.add(joint.result());
        return out;
    }
}
