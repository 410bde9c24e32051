package dev.nvae.analysis;

import dev.nvae.model.LatentModel;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.Workspace;
import dev.nvae.random.Rng;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The aggregate-posterior measures as evaluate wires them: posteriors written straight into the heads of
 * a 2-d VAE, one draw per example, capped, against N(0, I). Posteriors that are the prior itself must not
 * be told apart from it; ten tight class clusters whose mixture has the prior's moments must be — though
 * the Gaussian fit scores them 0 — and a blockwise N-VAE's class blocks are each measured on their class.
 */
class PriorDivergenceTest {
    private static final int CLUSTERS = 10;
    private static final double SD = 0.15, RADIUS = Math.sqrt(2 * (1 - SD * SD));

    /** n examples through PosteriorStatistics, example i's posterior N(mu(i), sd²) in both dims, class i % 10. */
    private static AggregatePosterior measure(int n, int cap, boolean clustered) {
        ModelConfig c = ModelConfig.baseline(ModelConfig.VAE, 28, 28, 10, 8, 8, 2, 1);
        PosteriorStatistics stats = new PosteriorStatistics(c, names(), cap, 7);
        try (LatentModel m = LatentModel.create(c); Workspace ws = m.workspace(250)) {
            for (int from = 0; from < n; from += 250) {
                int count = Math.min(250, n - from);
                for (int i = 0; i < count; i++) {
                    int y = (from + i) % CLUSTERS;
                    double a = 2 * Math.PI * y / CLUSTERS;
                    ws.labels[i] = y;
                    ws.heads.set(i, c.muS(), clustered ? (float) (RADIUS * Math.cos(a)) : 0f);
                    ws.heads.set(i, c.muS() + 1, clustered ? (float) (RADIUS * Math.sin(a)) : 0f);
                    ws.heads.set(i, c.logvarS(), clustered ? (float) Math.log(SD * SD) : 0f);
                    ws.heads.set(i, c.logvarS() + 1, clustered ? (float) Math.log(SD * SD) : 0f);
                }
                stats.add(ws, count);
            }
        }
        List<AggregatePosterior> blocks = stats.aggregate(Evaluator.Progress.NONE, 1);
        assertEquals(1, blocks.size(), "a VAE has one block");
        return blocks.getFirst();
    }

    private static List<String> names() {
        return List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    }

    @Test
    void tenClustersWithThePriorsMomentsAreFarFromItAndThePriorItselfIsNot() {
        AggregatePosterior clusters = measure(3000, 1000, true), prior = measure(3000, 1000, false);
        PriorDivergence apart = clusters.divergence(), same = prior.divergence();
        System.out.printf(Locale.ROOT, "posteriors on ten clusters: Gaussian-fit KL %.4f, MMD² %.4f p=%.4f, kNN KL %.3f%n"
                        + "posteriors N(0, I):         Gaussian-fit KL %.4f, MMD² %.5f p=%.4f, kNN KL %.3f%n",
                clusters.klFull(), apart.mmd2(), apart.pValue(), apart.knnKl(), prior.klFull(), same.mmd2(), same.pValue(), same.knnKl());
        assertEquals(1000, apart.samples(), "capped at 1000 of the 3000 examples");
        assertEquals(PosteriorDraws.PERMUTATIONS, apart.permutations());
        assertTrue(Math.abs(clusters.klFull()) < 0.01, "the fit sees (nearly) N(0, I): " + clusters.klFull());
        assertTrue(apart.pValue() < 0.01, "MMD rejects the prior: p " + apart.pValue());
        assertTrue(apart.knnKl() > 1.0, "kNN KL sees the clusters (truth 1.49 nats): " + apart.knnKl());
        assertTrue(same.pValue() > 0.01, "MMD keeps the prior: p " + same.pValue());
        assertEquals(0, same.knnKl(), 0.15, "kNN KL of the prior to itself");
    }

    @Test
    void drawsAreAFunctionOfTheSeedAndTheCapApplies() {
        PriorDivergence a = measure(600, 300, true).divergence(), b = measure(600, 300, true).divergence();
        assertEquals(a, b, "same seed, same measures");
        assertEquals(300, a.samples());
        PriorDivergence few = measure(40, 300, true).divergence();
        assertEquals(40, few.samples(), "a block with fewer examples than the cap uses all of them");
    }

    @Test
    void withoutDrawsOnlyTheFitIsReported() {
        ModelConfig c = ModelConfig.baseline(ModelConfig.VAE, 28, 28, 10, 8, 8, 2, 1);
        PosteriorStatistics stats = new PosteriorStatistics(c, names());
        try (LatentModel m = LatentModel.create(c); Workspace ws = m.workspace(4)) {
            stats.add(ws, 4);
        }
        assertNull(stats.aggregate(Evaluator.Progress.NONE, 1).getFirst().divergence());
    }

    @Test
    void anNVaesClassBlocksAreMeasuredOnTheirOwnClassAndTheJointBlockOnEveryExample() {
        ModelConfig c = new ModelConfig(ModelConfig.NVAE, ModelConfig.MLP, 28, 28, 3, 8, 8, 2, 2, 1, 1);
        PosteriorStatistics stats = new PosteriorStatistics(c, List.of("a", "b", "c"), 1000, 1);
        Rng rng = Rng.stream(1, 2);
        try (LatentModel m = LatentModel.create(c); Workspace ws = m.workspace(90)) {
            for (int i = 0; i < 90; i++) {
                ws.labels[i] = i % 3;
                for (int j = 0; j < c.headsDim(); j++) ws.heads.set(i, j, (float) (0.1 * rng.nextGaussian()));
            }
            stats.add(ws, 90);
        }
        // Example i's joint draw is its shared draw and then its own class's, side by side (the same ε).
        int[] ofClass = new int[3];
        for (int i = 0; i < 90; i++) {
            float[] shared = stats.draws(0).draw(i), own = stats.draws(1 + i % 3).draw(ofClass[i % 3]++), joint = stats.draws(4).draw(i);
            float[] expected = java.util.Arrays.copyOf(shared, shared.length + own.length);
            System.arraycopy(own, 0, expected, shared.length, own.length);
            org.junit.jupiter.api.Assertions.assertArrayEquals(expected, joint, "example " + i);
        }
        List<AggregatePosterior> blocks = stats.aggregate(Evaluator.Progress.NONE, 1);
        assertEquals(List.of("shared", "class a", "class b", "class c", "joint"), blocks.stream().map(AggregatePosterior::block).toList());
        assertEquals(90, blocks.get(0).divergence().samples());
        for (int y = 1; y <= 3; y++) assertEquals(30, blocks.get(y).divergence().samples());
        assertEquals(90, blocks.get(4).divergence().samples());
        for (AggregatePosterior b : blocks) {
            // Every block's draws are points of its own posteriors (none left at 0): distinct, so both measures exist.
            assertTrue(b.divergence().bandwidth() > 0 && Double.isFinite(b.divergence().knnKl()), b.block() + ": " + b.divergence());
        }
    }

    /**
     * The fits and the per-dimension KL against sums written out from the heads: the shared block and the joint over
     * every example, class y's block and KL over class y's examples only.
     */
    @Test
    void theFitsAndThePerDimensionKlAreTheHeadsMoments() {
        ModelConfig c = new ModelConfig(ModelConfig.NVAE, ModelConfig.MLP, 28, 28, 3, 8, 8, 2, 2, 1, 1);
        PosteriorStatistics stats = new PosteriorStatistics(c, List.of("a", "b", "c"), 0, 1);
        int n = 60, ds = c.ds(), dc = c.dc();
        float[][] heads = new float[n][c.headsDim()];
        int[] label = new int[n];
        Rng rng = Rng.stream(3, 4);
        try (LatentModel m = LatentModel.create(c); Workspace ws = m.workspace(n)) {
            for (int i = 0; i < n; i++) {
                label[i] = i % 5 == 0 ? 2 : i % 3 == 0 ? 1 : 0; // unequal classes
                ws.labels[i] = label[i];
                for (int j = 0; j < c.headsDim(); j++) {
                    heads[i][j] = (float) (0.4 + 0.7 * rng.nextGaussian());
                    ws.heads.set(i, j, heads[i][j]);
                }
            }
            stats.add(ws, n);
        }
        List<AggregatePosterior> blocks = stats.aggregate(Evaluator.Progress.NONE, 1);
        double[] klShared = stats.klSharedPerDim();
        double[][] klClass = stats.klClassPerDim();
        for (int y = -1; y < 3; y++) { // -1: the shared block
            int block = y + 1, dims = y < 0 ? ds : dc;
            double[] sumMu = new double[dims], sumSq = new double[dims], kl = new double[dims];
            int count = 0;
            for (int i = 0; i < n; i++) {
                if (y >= 0 && label[i] != y) continue;
                count++;
                for (int j = 0; j < dims; j++) {
                    double mu = heads[i][y < 0 ? c.muS() + j : c.muC(y) + j], lv = heads[i][y < 0 ? c.logvarS() + j : c.logvarC(y) + j];
                    sumMu[j] += mu;
                    sumSq[j] += mu * mu + Math.exp(lv);
                    kl[j] += 0.5 * (mu * mu + Math.exp(lv) - 1 - lv);
                }
            }
            AggregatePosterior fit = blocks.get(block);
            assertEquals(count, fit.examples(), fit.block());
            for (int j = 0; j < dims; j++) {
                double mean = sumMu[j] / count;
                assertEquals(mean, fit.mean()[j], 1e-12, fit.block() + " mean " + j);
                assertEquals(sumSq[j] / count - mean * mean, fit.variance()[j], 1e-12, fit.block() + " variance " + j);
                assertEquals(kl[j] / count, y < 0 ? klShared[j] : klClass[y][j], 1e-12, fit.block() + " KL of dim " + j);
            }
        }
        AggregatePosterior joint = blocks.get(4);
        assertEquals(n, joint.examples());
        for (int j = 0; j < ds; j++) assertEquals(blocks.get(0).mean()[j], joint.mean()[j], 1e-12, "joint's shared dims");
        double own = 0; // the joint's class dims: each example's own class block
        for (int i = 0; i < n; i++) own += heads[i][c.muC(label[i])];
        assertEquals(own / n, joint.mean()[ds], 1e-12, "joint's first class dim");
    }

    /** A label-free model's blocks were named "class cluster 0", ... in evaluate and the report: clusters are not classes. */
    @Test
    void aLabelFreeNVaesBlocksAreNamedByTheirClusters() {
        ModelConfig c = new ModelConfig(ModelConfig.NVAE, ModelConfig.MLP, 28, 28, 3, 8, 8, 2, 2, 1, 1).asLabelFree(2);
        PosteriorStatistics stats = new PosteriorStatistics(c, ModelConfig.clusterNames(2));
        try (LatentModel m = LatentModel.create(c); Workspace ws = m.workspace(4)) {
            for (int i = 0; i < 4; i++) ws.labels[i] = i % 2;
            stats.add(ws, 4);
        }
        assertEquals(List.of("shared", "cluster 0", "cluster 1", "joint"), stats.aggregate(Evaluator.Progress.NONE, 1).stream().map(AggregatePosterior::block).toList());
    }
}
