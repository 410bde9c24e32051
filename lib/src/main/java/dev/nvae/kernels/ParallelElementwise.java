package dev.nvae.kernels;

import java.lang.foreign.MemorySegment;

/**
 * The per-step passes over whole parameter-sized buffers — the Adam update (which also reports whether
 * what it wrote is finite, and can leave a bf16 copy of it) and a finiteness check, 1.1 M floats each for the reference mlp — split
 * between a pool's threads. Each
 * thread takes one contiguous range, cut at multiples of 16 floats (a cache line), and runs the
 * {@link Elementwise} kernel on it: element-wise work, so results do not depend on the split.
 *
 * <p>One instance per thread of control; a call allocates nothing (the call's operands live in fields).
 */
public final class ParallelElementwise implements WorkerPool.Task {
    private static final int ALIGN = 16;
    private static final int CHUNK = 4096;

    private enum Op { ALL_FINITE, ADAM }

    private final WorkerPool pool;
    private final boolean[] finite;

    // The call in flight.
    private Op op;
    private long n;
    private MemorySegment p, g, m, v, image;
    private float beta1, beta2, stepSize, invSqrtBc2, eps;

    public ParallelElementwise(WorkerPool pool) {
        this.pool = pool;
        this.finite = new boolean[pool.threads()];
    }

    public WorkerPool pool() {
        return pool;
    }

    /** True when each of the first n floats of x is finite (no NaN, no ±Inf). */
    public boolean allFinite(MemorySegment x, long n) {
        this.op = Op.ALL_FINITE;
        this.g = x;
        this.n = n;
        try {
            pool.run(this);
        } finally {
            this.g = null;
        }
        return everyShareFinite();
    }

    /** {@link Elementwise#adam} over n floats; true when every updated parameter is finite. */
    public boolean adam(MemorySegment p, MemorySegment g, MemorySegment m, MemorySegment v, long n,
                     float beta1, float beta2, float stepSize, float invSqrtBc2, float eps) {
        return adam(p, g, m, v, n, beta1, beta2, stepSize, invSqrtBc2, eps, null);
    }

    /**
     * As above, and with {@code image} non-null also writes each updated parameter rounded to bf16 at the
     * same index of {@code image} ({@link Bf16#round}): a thread rounds each chunk it has just updated,
     * while it is still in L1, so the bf16 copy of the weights costs no pass of its own.
     */
    public boolean adam(MemorySegment p, MemorySegment g, MemorySegment m, MemorySegment v, long n,
                     float beta1, float beta2, float stepSize, float invSqrtBc2, float eps, MemorySegment image) {
        this.op = Op.ADAM;
        this.p = p; this.g = g; this.m = m; this.v = v; this.n = n; this.image = image;
        this.beta1 = beta1; this.beta2 = beta2; this.stepSize = stepSize; this.invSqrtBc2 = invSqrtBc2; this.eps = eps;
        try {
            pool.run(this);
        } finally {
            this.p = null; this.g = null; this.m = null; this.v = null; this.image = null;
        }
        return everyShareFinite();
    }

    private boolean everyShareFinite() {
        for (boolean f : finite) if (!f) return false;
        return true;
    }

    @Override
    public void run(int worker, int workers) {
        long from = start(worker, workers), to = start(worker + 1, workers);
        boolean ok = true;
        // In chunks, so the kernel is invoked hundreds of times per step and C2 compiles it as a method
        // early. Called a few times on 0.5 M floats each, it ran for minutes in the interpreter and an
        // OSR compilation that boxed every vector: gigabytes of garbage per epoch and a tenth of the speed.
        for (long c = from; c < to; c += CHUNK) {
            long end = Math.min(to, c + CHUNK);
            switch (op) {
                case ALL_FINITE -> ok &= Elementwise.allFinite(g, c, end);
                case ADAM -> {
                    ok &= Elementwise.adam(p, g, m, v, c, end, beta1, beta2, stepSize, invSqrtBc2, eps);
                    if (image != null) Bf16.round(p, c, end, image, c);
                }
            }
        }
        finite[worker] = ok;
    }

    /** Start of worker w's range: an even split of n rounded down to a multiple of ALIGN (the last ends at n). */
    private long start(int w, int workers) {
        if (w >= workers) return n;
        long s = n * w / workers;
        return s - s % ALIGN;
    }
}
