package dev.nvae.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The launchers' stderr filter, seen from the JVM. The JVM prints "WARNING: Using incubator modules:
 * jdk.incubator.vector" to stderr while it starts, before any of our code runs, and no option turns that
 * off; so {@code ./nvae} (and {@code spark/local}, which drops one more start-up line) passes stderr through a
 * small filter that drops exactly that line, and names the filter's pid in {@code -Dnvae.stderr.filter}. The filter is a child of this JVM and writes a line
 * a moment after the JVM does: a caller reading the stderr file the moment the JVM exits could miss the
 * last line. So before exiting, the JVM closes its stderr (the filter then reaches its end) and waits,
 * briefly, for the filter to finish.
 */
public final class StderrFilter {
    private static final long MAX_WAIT_MS = 2000;

    private StderrFilter() {
    }

    /** Flushes and closes stderr, then waits for the filter, if the launcher started one. */
    public static void drain() {
        String pid = System.getProperty("nvae.stderr.filter");
        if (pid == null || !pid.matches("\\d+")) return;
        System.err.flush();
        System.err.close();
        // Polled in /proc rather than through ProcessHandle.onExit, whose machinery (a reaper thread pool,
        // its classes) costs a short command tens of milliseconds: gone, or a zombie (state Z), is done.
        Path stat = Path.of("/proc", pid, "stat");
        long deadline = System.nanoTime() + MAX_WAIT_MS * 1_000_000;
        while (System.nanoTime() < deadline) {
            try {
                String s = Files.readString(stat);
                int end = s.lastIndexOf(')');
                if (end < 0 || end + 2 >= s.length() || s.charAt(end + 2) == 'Z') return;
                Thread.sleep(1);
            } catch (IOException gone) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
