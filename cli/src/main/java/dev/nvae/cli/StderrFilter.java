package dev.nvae.cli;

import java.util.concurrent.TimeUnit;

/**
 * The launcher's stderr filter, seen from the JVM. The JVM prints "WARNING: Using incubator modules:
 * jdk.incubator.vector" to stderr while it starts, before any of our code runs, and no option turns that
 * off; so {@code ./nvae} passes stderr through a small filter that drops exactly that line, and names
 * the filter's pid in {@code -Dnvae.stderr.filter}. The filter is a child of this JVM and writes a line
 * a moment after the JVM does: a caller reading the stderr file the moment the JVM exits could miss the
 * last line. So before exiting, the JVM closes its stderr (the filter then reaches its end) and waits,
 * briefly, for the filter to finish.
 */
final class StderrFilter {
    private static final long MAX_WAIT_MS = 2000;

    private StderrFilter() {
    }

    /** Flushes and closes stderr, then waits for the filter, if the launcher started one. */
    static void drain() {
        String pid = System.getProperty("nvae.stderr.filter");
        if (pid == null) return;
        System.err.flush();
        System.err.close();
        try {
            ProcessHandle.of(Long.parseLong(pid)).ifPresent(filter -> {
                try {
                    filter.onExit().get(MAX_WAIT_MS, TimeUnit.MILLISECONDS);
                } catch (Exception timedOutOrInterrupted) {
                    // exit anyway: a late line is better than a hung command
                }
            });
        } catch (NumberFormatException ignored) {
            // not ours to interpret
        }
    }
}
