package dev.nvae.analysis;

import dev.nvae.NvaeException;
import dev.nvae.random.Rng;

/**
 * k-means (Lloyd's iterations) from k-means++ seeding (Arthur &amp; Vassilvitskii 2007), best of several
 * restarts by the within-cluster sum of squares: the baseline that clusters a plain VAE's latent means.
 * Restart r draws from stream (seed, r), so the result is a function of the points and the seed.
 *
 * <p>The Lloyd passes skip most distance computations by bounds from the triangle inequality, as in Hamerly's
 * algorithm (G. Hamerly, "Making k-means even faster", SIAM SDM 2010) with its single lower bound split by groups
 * of centres as in Yinyang k-means (Y. Ding et al., ICML 2015), which large K needs: after the centres move, one
 * lower bound over all of them shrinks by the largest drift of any, so that in a dozen dimensions nearly every
 * point is searched again while only a few centres still move. Each point keeps an upper bound on the distance
 * to its centre, growing by that centre's drift, and a lower bound on the distance to the other centres of each
 * group, shrinking by the group's largest drift. A point whose upper bound is below all its lower bounds keeps
 * its centre unvisited; otherwise the upper bound is tightened and only the groups whose lower bound it reaches
 * are searched. The result is bit-identical to the plain passes ({@link #lloydReference}): the bounds are rounded
 * outwards and every skip keeps a margin for the rounding of the squared distances the plain passes compare,
 * exact ties are always searched, and the means are summed afresh in point order.
 */
public final class KMeans {
    static final int MAX_ITERATIONS = 300;

    private KMeans() {
    }

    /** The partition found: cluster of every point, the centres (k, dims), and its within-cluster sum of squares. */
    public record Result(int[] clusters, double[][] centres, double inertia) {
    }

    /** More restarts than this stop paying: the best inertia settles long before, and each is a full Lloyd run. */
    public static final int MAX_RESTARTS = 1000;

    public static Result fit(float[][] points, int k, int restarts, long seed) {
        if (k < 2) throw new NvaeException("--clusters " + k + " must be at least 2");
        requireRestarts(restarts);
        if (points.length < k) throw new NvaeException(points.length + " points cannot make " + k + " clusters");
        Result best = null;
        for (int r = 0; r < restarts; r++) {
            Result run = lloyd(points, seeding(points, k, Rng.stream(seed, r)));
            if (best == null || run.inertia < best.inertia) best = run;
        }
        return best;
    }

    /** Refuses a restart count outside 1..{@link #MAX_RESTARTS}, before any work depends on it. */
    public static void requireRestarts(int restarts) {
        if (restarts < 1 || restarts > MAX_RESTARTS) {
            throw new NvaeException("--restarts " + restarts + " must be from 1 to " + MAX_RESTARTS);
        }
    }

    /**
     * k-means++: the first centre uniformly, each next one with probability proportional to the squared
     * distance to the nearest centre chosen so far.
     */
    static double[][] seeding(float[][] x, int k, Rng rng) {
        int n = x.length;
        double[][] centres = new double[k][];
        centres[0] = toDouble(x[rng.nextInt(n)]);
        double[] nearest = new double[n];
        for (int i = 0; i < n; i++) nearest[i] = distance(x[i], centres[0]);
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (double d : nearest) total += d;
            int pick = n - 1;
            double target = rng.nextDouble() * total, acc = 0;
            for (int i = 0; i < n; i++) {
                acc += nearest[i];
                if (acc > target) {
                    pick = i;
                    break;
                }
            }
            centres[c] = toDouble(x[pick]);
            for (int i = 0; i < n; i++) nearest[i] = Math.min(nearest[i], distance(x[i], centres[c]));
        }
        return centres;
    }

    /**
     * The plain Lloyd loop, kept as the reference that {@link #lloyd} must reproduce exactly: assign every point
     * to its nearest centre (the lowest index among equal distances), move each centre to its points' mean,
     * until no point changes cluster or {@link #MAX_ITERATIONS} passes.
     */
    static Result lloydReference(float[][] x, double[][] centres) {
        int n = x.length, k = centres.length, dims = centres[0].length;
        int[] cluster = new int[n];
        java.util.Arrays.fill(cluster, -1);
        double inertia = 0;
        for (int it = 0; it < MAX_ITERATIONS; it++) {
            boolean changed = false;
            inertia = 0;
            for (int i = 0; i < n; i++) {
                int best = 0;
                double bestD = distance(x[i], centres[0]);
                for (int c = 1; c < k; c++) {
                    double d = distance(x[i], centres[c]);
                    if (d < bestD) {
                        bestD = d;
                        best = c;
                    }
                }
                inertia += bestD;
                if (cluster[i] != best) {
                    cluster[i] = best;
                    changed = true;
                }
            }
            if (!changed) break;
            double[][] sum = new double[k][dims];
            int[] count = new int[k];
            for (int i = 0; i < n; i++) {
                count[cluster[i]]++;
                for (int j = 0; j < dims; j++) sum[cluster[i]][j] += x[i][j];
            }
            for (int c = 0; c < k; c++) {
                if (count[c] == 0) continue; // an emptied cluster keeps its centre
                for (int j = 0; j < dims; j++) centres[c][j] = sum[c][j] / count[c];
            }
        }
        return new Result(cluster, centres, inertia);
    }

    /** Centres per group of lower bounds: Ding et al.'s K/10 groups. */
    static final int GROUP = 10;
    /** At most this many groups (a point's lower bounds: 512 bytes), so that memory stays O(n) for large K. */
    static final int MAX_GROUPS = 64;
    /**
     * And no more lower bounds than this in all (32 MB), or one per point beyond 4 million points: 60,000 points keep
     * 64 groups, a million get 4. Fewer groups only search more; the result is the same.
     */
    static final int MAX_LOWER_BOUNDS = 1 << 22;

    /**
     * {@link #lloydReference}'s passes, same clusters, centres and inertia, with bounds skipping the points and
     * the groups of centres that cannot hold a centre as near as the point's own. What is searched is compared
     * as the reference compares it (lowest index among equal distances), so ties go the same way.
     */
    static Result lloyd(float[][] x, double[][] centres) {
        return lloyd(x, centres, MAX_LOWER_BOUNDS);
    }

    /** {@link #lloyd} with at most {@code maxLowerBounds} lower bounds in all (tests give a small cap). */
    static Result lloyd(float[][] x, double[][] centres, int maxLowerBounds) {
        // A NaN compares false with everything, which no bound describes: the plain passes then.
        for (float[] p : x) for (float v : p) if (!Float.isFinite(v)) return lloydReference(x, centres);
        int n = x.length, k = centres.length, dims = centres[0].length;
        int groups = Math.min(Math.min(MAX_GROUPS, (k + GROUP - 1) / GROUP), Math.max(1, maxLowerBounds / n));
        double eps = (dims + 8) * 0x1p-52;
        int[] cluster = new int[n];
        // upper[i] bounds the distance to the point's centre, lower[i * groups + g] that to group g's other centres.
        double[] upper = new double[n], lower = new double[n * groups];
        double[] drift = new double[k], groupDrift = new double[groups];
        double[] dist = new double[k]; // the point's squared distances, where computed
        boolean[] searched = new boolean[groups];
        double[][] sum = new double[k][dims], previous = new double[k][dims];
        int[] count = new int[k];
        int[] member = new int[k], groupStart = new int[groups + 1], groupOf = new int[k];
        group(centres, groups, member, groupStart, groupOf);
        double inertia = 0;
        for (int it = 0; it < MAX_ITERATIONS; it++) {
            boolean changed = false;
            for (int i = 0; i < n; i++) {
                int a = cluster[i], base = i * groups, best = 0;
                double bestD = Double.POSITIVE_INFINITY;
                if (it > 0) { // the first pass has no bounds yet: it searches everything
                    double others = Double.POSITIVE_INFINITY; // Hamerly's lower bound, to every other centre
                    for (int g = 0; g < groups; g++) others = Math.min(others, lower[base + g]);
                    if (provesKept(upper[i], others, eps)) continue;
                    dist[a] = bestD = distance(x[i], centres[a]);
                    best = a;
                    upper[i] = above(bestD, eps); // tightened: drift has loosened it
                    if (provesKept(upper[i], others, eps)) continue;
                }
                for (int g = 0; g < groups; g++) {
                    searched[g] = it == 0 || !provesKept(upper[i], lower[base + g], eps);
                    if (!searched[g]) continue;
                    for (int m = groupStart[g]; m < groupStart[g + 1]; m++) {
                        int c = member[m];
                        if (it > 0 && c == a) continue;
                        double d = dist[c] = distance(x[i], centres[c]);
                        if (d < bestD || d == bestD && c < best) {
                            bestD = d;
                            best = c;
                        }
                    }
                }
                upper[i] = above(bestD, eps);
                for (int g = 0; g < groups; g++) {
                    if (!searched[g]) continue;
                    double nearest = Double.POSITIVE_INFINITY; // a tie with the best counts: it then proves nothing
                    for (int m = groupStart[g]; m < groupStart[g + 1]; m++) {
                        if (member[m] != best) nearest = Math.min(nearest, dist[member[m]]);
                    }
                    lower[base + g] = below(nearest, eps);
                }
                if (it == 0 || best != a) {
                    // The old centre is now another one: its group, if not searched, bounds it too.
                    if (it > 0 && !searched[groupOf[a]]) {
                        lower[base + groupOf[a]] = Math.min(lower[base + groupOf[a]], below(dist[a], eps));
                    }
                    cluster[i] = best;
                    changed = true;
                }
            }
            // The reference's inertia is its last pass's sum: over these centres, before any move below.
            if (!changed || it == MAX_ITERATIONS - 1) {
                inertia = 0;
                for (int i = 0; i < n; i++) inertia += distance(x[i], centres[cluster[i]]);
            }
            if (!changed) break;
            // The means summed afresh in point order, as the reference does, so the centres are bit-identical.
            for (int c = 0; c < k; c++) {
                System.arraycopy(centres[c], 0, previous[c], 0, dims);
                java.util.Arrays.fill(sum[c], 0);
            }
            java.util.Arrays.fill(count, 0);
            for (int i = 0; i < n; i++) {
                count[cluster[i]]++;
                for (int j = 0; j < dims; j++) sum[cluster[i]][j] += x[i][j];
            }
            java.util.Arrays.fill(groupDrift, 0);
            for (int c = 0; c < k; c++) {
                drift[c] = 0;
                if (count[c] == 0) continue; // an emptied cluster keeps its centre
                for (int j = 0; j < dims; j++) centres[c][j] = sum[c][j] / count[c];
                drift[c] = above(distance(previous[c], centres[c]), eps);
                groupDrift[groupOf[c]] = Math.max(groupDrift[groupOf[c]], drift[c]);
            }
            // Triangle inequality: the own centre is at most its drift farther, a group's others at most the
            // group's largest drift nearer. Rounded outwards so that the bounds stay true bounds.
            for (int i = 0; i < n; i++) {
                upper[i] = Math.nextUp(upper[i] + drift[cluster[i]]);
                for (int g = 0, base = i * groups; g < groups; g++) {
                    lower[base + g] = Math.nextDown(lower[base + g] - groupDrift[g]);
                }
            }
        }
        return new Result(cluster, centres, inertia);
    }

    /**
     * Groups of nearby centres, so that a group's lower bound is far when the group is: a few Lloyd passes over
     * the starting centres, from the first of them (k-means++ spread those out). Fills the members by group
     * (member[groupStart[g] .. groupStart[g + 1]]) and each centre's group. Any grouping gives the same result.
     */
    static void group(double[][] centres, int groups, int[] member, int[] groupStart, int[] groupOf) {
        int k = centres.length, dims = centres[0].length;
        double[][] mean = new double[groups][];
        for (int g = 0; g < groups; g++) mean[g] = centres[g].clone();
        int[] size = new int[groups];
        for (int pass = 0; pass < 5; pass++) {
            for (int c = 0; c < k; c++) {
                int best = 0;
                double bestD = distance(centres[c], mean[0]);
                for (int g = 1; g < groups; g++) {
                    double d = distance(centres[c], mean[g]);
                    if (d < bestD) {
                        bestD = d;
                        best = g;
                    }
                }
                groupOf[c] = best;
            }
            java.util.Arrays.fill(size, 0);
            for (double[] m : mean) java.util.Arrays.fill(m, 0);
            for (int c = 0; c < k; c++) {
                size[groupOf[c]]++;
                for (int j = 0; j < dims; j++) mean[groupOf[c]][j] += centres[c][j];
            }
            for (int g = 0; g < groups; g++) {
                if (size[g] == 0) continue; // an empty group stays empty: its bound is then infinite
                for (int j = 0; j < dims; j++) mean[g][j] /= size[g];
            }
        }
        for (int c = 0; c < k; c++) groupStart[groupOf[c] + 1]++;
        for (int g = 0; g < groups; g++) groupStart[g + 1] += groupStart[g];
        int[] next = groupStart.clone();
        for (int c = 0; c < k; c++) member[next[groupOf[c]]++] = c;
    }

    /*
     * The bounds are on true (Euclidean, not squared) distances, but the reference compares computed squared
     * distances, whose rounding could turn a near-tie the other way. sqrt of a computed squared distance is
     * within a relative (dims + 5) * 2^-54 of the true distance (plus an absolute TINY where squares underflow);
     * eps = (dims + 8) * 2^-52 covers twice that with room, in the bounds and again in the skip test, so a skip
     * happens only where the reference's computed distances also put the own centre strictly first.
     */
    private static final double TINY = 1e-150;

    /** A true upper bound on the distance whose computed square is d2. */
    private static double above(double d2, double eps) {
        return Math.sqrt(d2) * (1 + eps) + TINY;
    }

    /** A true lower bound on the distance whose computed square is d2. */
    private static double below(double d2, double eps) {
        return Math.sqrt(d2) * (1 - eps) - TINY;
    }

    /**
     * Whether every other centre is farther than the own one by more than rounding, as the reference would
     * compute it: then it keeps the point's centre whatever the indices. Strict, so an exact tie is searched.
     */
    private static boolean provesKept(double upper, double otherAtLeast, double eps) {
        return upper + TINY < otherAtLeast * (1 - eps);
    }

    private static double distance(float[] a, double[] b) {
        double d = 0;
        for (int j = 0; j < b.length; j++) {
            double t = a[j] - b[j];
            d += t * t;
        }
        return d;
    }

    private static double distance(double[] a, double[] b) {
        double d = 0;
        for (int j = 0; j < b.length; j++) {
            double t = a[j] - b[j];
            d += t * t;
        }
        return d;
    }

    private static double[] toDouble(float[] a) {
        double[] out = new double[a.length];
        for (int j = 0; j < a.length; j++) out[j] = a[j];
        return out;
    }
}
