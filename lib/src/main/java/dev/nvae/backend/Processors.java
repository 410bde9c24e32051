package dev.nvae.backend;

/**
 * Threads capped at the processors this JVM may use: more only take turns on them, and a spinning worker pool loses
 * time doing so. Every place that takes a thread count (the commands' --threads, {@code serve}, the API) caps it here
 * and words the warning the same way.
 */
public final class Processors {
    private Processors() {
    }

    /** {@code requested} capped at the available processors (a value below 1 is left for the caller to refuse). */
    public static int usable(int requested) {
        return Math.min(requested, Runtime.getRuntime().availableProcessors());
    }

    /** "1 thread", "N threads": how messages count threads. */
    public static String threads(int n) {
        return n == 1 ? "1 thread" : n + " threads";
    }

    /** "SETTING N is more than the P processors (1 processor) available; using P", for a {@code requested} above {@link #usable}. */
    public static String capped(String setting, int requested) {
        int usable = usable(requested);
        return setting + " " + requested + " is more than the " + usable + (usable == 1 ? " processor" : " processors")
                + " available; using " + usable;
    }
}
