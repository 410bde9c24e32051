package dev.nvae.cli;

import dev.nvae.NvaeException;
import dev.nvae.tensor.MemoryLimits;

/**
 * Sizes that decide an allocation, checked against the memory there is before allocating, so that a
 * flag asking for too much ends in one line naming it, and the JVM option that would let it run, rather than in an
 * OutOfMemoryError half-way (MemoryLimits says what the JVM allows).
 */
final class MemoryChecks {
    private MemoryChecks() {
    }

    /** Off-heap memory: tensors, a model's parameters, gradients and Adam moments. */
    static void requireNative(long bytes, String what) {
        long limit = MemoryLimits.offHeap();
        if (bytes > limit) throw tooMuch(what, bytes, limit, "-XX:MaxDirectMemorySize=" + gib(bytes));
    }

    /** Heap memory: Java arrays. */
    static void requireHeap(long bytes, String what) {
        long limit = MemoryLimits.heap();
        // -Xmx takes its size without '='. The parallel collector keeps arrays this large in its old generation, two
        // thirds of the heap: a heap of just the bytes asked for still runs out.
        if (bytes > limit) throw tooMuch(what, bytes, limit, "-Xmx" + gib(bytes + bytes / 2));
    }

    /** Whole GiB above {@code bytes}, as a JVM size option takes them: "11g". */
    private static String gib(long bytes) {
        return ((bytes >> 30) + 1) + "g";
    }

    /** {@code option}: the JVM option, with its size, that would let the JVM hold {@code bytes}. */
    private static NvaeException tooMuch(String what, long bytes, long limit, String option) {
        long machine = MemoryLimits.physical();
        String more = bytes < machine * 0.9
                ? "; let it use more with NVAE_JAVA_OPTS=" + option
                : ", and this machine has " + OutputPaths.size(machine);
        return new NvaeException(what + " needs " + OutputPaths.size(bytes) + " of memory, more than the "
                + OutputPaths.size(limit) + " this JVM may use" + more);
    }
}
