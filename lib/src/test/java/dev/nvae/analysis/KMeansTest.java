package dev.nvae.analysis;

import dev.nvae.analysis.metrics.ClusterAgreement;
import dev.nvae.random.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KMeansTest {
    /** Four well separated blobs in 3-D: every restart finds them; the result is a function of the seed. */
    @Test
    void findsSeparatedBlobsDeterministically() {
        Rng rng = new Rng(1);
        int n = 400;
        float[][] x = new float[n][3];
        int[] truth = new int[n];
        for (int i = 0; i < n; i++) {
            truth[i] = i % 4;
            for (int j = 0; j < 3; j++) x[i][j] = (float) ((j == truth[i] % 3 ? 10 : 0) + (truth[i] == 3 ? -10 : 0) + rng.nextGaussian());
        }
        KMeans.Result a = KMeans.fit(x, 4, 3, 7), b = KMeans.fit(x, 4, 3, 7);
        assertArrayEquals(a.clusters(), b.clusters());
        ClusterAgreement agreement = ClusterAgreement.of(a.clusters(), 4, truth, 4);
        assertEquals(1, agreement.accuracy());
        assertTrue(a.inertia() < 3 * n * 1.5, "inertia " + a.inertia() + " is about the noise's 3 per point");
    }

    /** The best of several restarts is never worse than the first alone. */
    @Test
    void restartsKeepTheLowestInertia() {
        Rng rng = new Rng(2);
        float[][] x = new float[300][2];
        for (float[] p : x) {
            p[0] = (float) rng.nextGaussian();
            p[1] = (float) rng.nextGaussian();
        }
        assertTrue(KMeans.fit(x, 6, 8, 3).inertia() <= KMeans.fit(x, 6, 1, 3).inertia());
    }

    /** The bounded passes against the plain ones on blobs, for one group of centres to the most groups. */
    @Test
    void boundsGiveThePlainResultOnBlobs() {
        float[][] x = blobs(new Rng(11), 2000, 5, 10, 0.5);
        for (int k : new int[] {2, 10, 50, 300, 700}) {
            for (int seed = 0; seed < 3; seed++) assertSameAsReference(x, k, seed);
        }
    }

    /** Uniform noise has no clusters to settle into: long runs, centres drifting a little for many passes. */
    @Test
    void boundsGiveThePlainResultOnUniformNoise() {
        Rng rng = new Rng(12);
        float[][] x = new float[1000][3];
        for (float[] p : x) for (int j = 0; j < 3; j++) p[j] = (float) rng.nextDouble();
        for (int k : new int[] {2, 20, 200}) {
            for (int seed = 0; seed < 3; seed++) assertSameAsReference(x, k, seed);
        }
    }

    /** Nearly as many clusters as points: most clusters hold one or two points, some empty out. */
    @Test
    void boundsGiveThePlainResultWithKNearN() {
        float[][] x = blobs(new Rng(13), 200, 4, 5, 1);
        for (int k : new int[] {150, 190, 199, 200}) {
            for (int seed = 0; seed < 3; seed++) assertSameAsReference(x, k, seed);
        }
    }

    /**
     * Integer points, many repeated, in 1-D and 2-D: points exactly halfway between two centres and centres
     * on top of each other (more clusters than distinct points), where the lowest index must win as in the
     * plain passes.
     */
    @Test
    void boundsGiveThePlainResultOnExactTies() {
        Rng rng = new Rng(14);
        float[][] line = new float[300][1];
        for (float[] p : line) p[0] = rng.nextInt(10);
        for (int k : new int[] {2, 3, 5, 10, 12}) {
            for (int seed = 0; seed < 4; seed++) assertSameAsReference(line, k, seed);
        }
        float[][] grid = new float[400][2];
        for (float[] p : grid) {
            p[0] = rng.nextInt(6);
            p[1] = rng.nextInt(6);
        }
        for (int k : new int[] {2, 4, 7, 36, 40}) {
            for (int seed = 0; seed < 4; seed++) assertSameAsReference(grid, k, seed);
        }
    }

    /**
     * A point whose own centre stays put while a lower-numbered one moves to exactly the same distance: its
     * bounds then meet (upper 1, lower 2 - 1, but for the rounding margins), and a skip on equality would keep
     * the point where the plain passes move it to the lower index.
     */
    @Test
    void boundsThatMeetDoNotSkipATie() {
        float[][] x = {{-0.5f}, {0.5f}, {1}, {3}};
        // Pass 1: 0.5 is halfway (to the lower index), 1 goes to the centre at 2, which stays at mean(1, 3);
        // the centre at -1 moves to 0, as near to 1 as the centre at 2.
        double[][] start = {{-1}, {2}};
        KMeans.Result plain = KMeans.lloydReference(x, copy(start)), fast = KMeans.lloyd(x, copy(start));
        assertArrayEquals(new int[] {0, 0, 0, 1}, plain.clusters());
        assertArrayEquals(plain.clusters(), fast.clusters());
        assertArrayEquals(plain.centres(), fast.centres());
        assertEquals(plain.inertia(), fast.inertia(), 0);
    }

    /** 1-D noise and blobs: a point's two neighbouring centres settle it, the bounds skip the most. */
    @Test
    void boundsGiveThePlainResultIn1D() {
        Rng rng = new Rng(15);
        float[][] x = new float[800][1];
        for (float[] p : x) p[0] = (float) rng.nextGaussian();
        for (int k : new int[] {2, 8, 50}) {
            for (int seed = 0; seed < 3; seed++) assertSameAsReference(x, k, seed);
        }
        float[][] b = blobs(new Rng(16), 800, 1, 6, 0.2);
        for (int seed = 0; seed < 3; seed++) assertSameAsReference(b, 6, seed);
    }

    /**
     * The cap on lower bounds in all (a million points get 4 groups, more than 4 million one): fewer groups than K / 10
     * search more and give the same result. 600 points under caps of 600 to 6,000 bounds: 1 to 10 groups for K = 120.
     */
    @Test
    void fewerGroupsUnderTheMemoryCapGiveThePlainResult() {
        float[][] x = blobs(new Rng(21), 600, 5, 12, 0.6);
        for (int cap : new int[] {1, 600, 1_800, 6_000}) {
            for (int seed = 0; seed < 2; seed++) assertSameAsReference(x, 120, seed, cap);
        }
    }

    /** fit runs the fast passes from the same seeding: its best restart is the plain passes' best. */
    @Test
    void fitIsTheBestPlainRestart() {
        float[][] x = blobs(new Rng(17), 600, 3, 6, 1);
        KMeans.Result fit = KMeans.fit(x, 8, 4, 5), best = null;
        for (int r = 0; r < 4; r++) {
            KMeans.Result run = KMeans.lloydReference(x, KMeans.seeding(x, 8, Rng.stream(5, r)));
            if (best == null || run.inertia() < best.inertia()) best = run;
        }
        assertArrayEquals(best.clusters(), fit.clusters());
        assertArrayEquals(best.centres(), fit.centres());
        assertEquals(best.inertia(), fit.inertia());
    }

    /** The same seeding through both passes: the same clusters, the same centres and inertia to the bit. */
    private static void assertSameAsReference(float[][] x, int k, long seed) {
        assertSameAsReference(x, k, seed, KMeans.MAX_LOWER_BOUNDS);
    }

    /** The same, with at most {@code maxLowerBounds} lower bounds in all. */
    private static void assertSameAsReference(float[][] x, int k, long seed, int maxLowerBounds) {
        double[][] start = KMeans.seeding(x, k, Rng.stream(seed, 0));
        KMeans.Result plain = KMeans.lloydReference(x, copy(start)), fast = KMeans.lloyd(x, copy(start), maxLowerBounds);
        String what = "k " + k + ", seed " + seed + ", at most " + maxLowerBounds + " lower bounds";
        assertArrayEquals(plain.clusters(), fast.clusters(), what);
        for (int c = 0; c < k; c++) assertArrayEquals(plain.centres()[c], fast.centres()[c], 0, what + ", centre " + c);
        // Summed in the same order from the same terms: equal, well inside the 1e-9 relative asked.
        assertEquals(plain.inertia(), fast.inertia(), 0, what);
    }

    /** Gaussian blobs around centres drawn uniformly from [-10, 10]^dims. */
    private static float[][] blobs(Rng rng, int n, int dims, int count, double spread) {
        double[][] centre = new double[count][dims];
        for (double[] c : centre) for (int j = 0; j < dims; j++) c[j] = 20 * rng.nextDouble() - 10;
        float[][] x = new float[n][dims];
        for (int i = 0; i < n; i++) {
            double[] c = centre[rng.nextInt(count)];
            for (int j = 0; j < dims; j++) x[i][j] = (float) (c[j] + spread * rng.nextGaussian());
        }
        return x;
    }

    private static double[][] copy(double[][] a) {
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) out[i] = a[i].clone();
        return out;
    }
}
