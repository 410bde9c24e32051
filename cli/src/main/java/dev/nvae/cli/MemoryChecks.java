package dev.nvae.cli;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.OperatingSystemMXBean;
import dev.nvae.NvaeException;

import java.lang.management.ManagementFactory;

/**
 * Sizes that decide an allocation, checked against the memory there is before allocating, so that a
 * flag asking for too much ends in one line naming it rather than in an OutOfMemoryError half-way.
 * Tensors and model parameters live off the heap, in memory the JVM counts against
 * -XX:MaxDirectMemorySize (by default the heap's maximum); arrays live on the heap.
 */
final class MemoryChecks {
    private MemoryChecks() {
    }

    /** Off-heap memory: tensors, a model's parameters, gradients and Adam moments. */
    static void requireNative(long bytes, String what) {
        long limit = nativeLimit();
        if (bytes > limit) throw tooMuch(what, bytes, limit, "-XX:MaxDirectMemorySize=" + gib(bytes));
    }

    /** Heap memory: Java arrays. */
    static void requireHeap(long bytes, String what) {
        long limit = Runtime.getRuntime().maxMemory();
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
        long machine = physical();
        String more = bytes < machine * 0.9
                ? "; let it use more with NVAE_JAVA_OPTS=" + option
                : ", and this machine has " + OutputPaths.size(machine);
        return new NvaeException(what + " needs " + OutputPaths.size(bytes) + " of memory, more than the "
                + OutputPaths.size(limit) + " this JVM may use" + more);
    }

    private static long nativeLimit() {
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            long set = Long.parseLong(hotspot.getVMOption("MaxDirectMemorySize").getValue());
            if (set > 0) return set;
        } catch (RuntimeException notHotSpot) {
            // another JVM: the default below is the documented one
        }
        return Runtime.getRuntime().maxMemory();
    }

    private static long physical() {
        try {
            return ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class).getTotalMemorySize();
        } catch (RuntimeException e) {
            return Long.MAX_VALUE;
        }
    }
}
