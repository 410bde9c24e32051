package dev.nvae.bench.jmh;

/**
 * Runs an operation for a fixed wall time before JMH's own warm-up. Until C2 compiles them, Vector API
 * kernels run boxed in the interpreter at well under 1% of their speed, so a time-boxed JMH warm-up
 * iteration may see only a handful of calls and measure the interpreter; a few seconds of calls up
 * front gets every kernel of the operation compiled whatever its size.
 */
final class JitWarmUp {
    static final long DEFAULT_NANOS = 3_000_000_000L;

    private JitWarmUp() {
    }

    static void run(Runnable op) {
        long end = System.nanoTime() + Long.getLong("nvae.bench.warmupMillis", DEFAULT_NANOS / 1_000_000) * 1_000_000;
        while (System.nanoTime() < end) op.run();
    }
}
