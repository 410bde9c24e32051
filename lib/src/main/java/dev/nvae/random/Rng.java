package dev.nvae.random;

/**
 * SplitMix64: a small, fast generator whose whole state is one long, so it can be saved in a
 * checkpoint and derived per (seed, epoch, step) stream. Deriving streams rather than threading one
 * generator through training makes every step's noise a pure function of its position, which is what
 * makes runs reproducible and resumable.
 */
public final class Rng {
    private long state;

    public Rng(long seed) {
        this.state = seed;
    }

    /** An independent stream for a position such as (seed, epoch) or (seed, epoch, step). */
    public static Rng stream(long seed, long... coordinates) {
        long s = mix(seed ^ 0x6A09E667F3BCC909L);
        for (long c : coordinates) s = mix(s + 0x9E3779B97F4A7C15L * (c + 1));
        return new Rng(s);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public long nextLong() {
        state += 0x9E3779B97F4A7C15L;
        return mix(state);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound). */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be positive");
        return (int) Math.floorMod(nextLong() >>> 1, (long) bound);
    }

    /** Standard normal by Box–Muller (two uniforms per value; no hidden cached state). */
    public double nextGaussian() {
        double u1 = 1.0 - nextDouble(); // (0, 1]: log is finite
        double u2 = nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** Fisher–Yates shuffle of 0..n-1 into {@code order}. */
    public void permutation(int[] order) {
        for (int i = 0; i < order.length; i++) order[i] = i;
        for (int i = order.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
