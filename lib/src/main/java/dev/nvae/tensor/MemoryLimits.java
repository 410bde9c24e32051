package dev.nvae.tensor;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.OperatingSystemMXBean;

import java.lang.management.ManagementFactory;

/**
 * How much memory this JVM lets the library hold, for checks made before allocating. Tensors and model parameters
 * live off the heap, in memory the JVM counts against -XX:MaxDirectMemorySize (by default the heap's maximum);
 * arrays live on the heap.
 */
public final class MemoryLimits {
    private MemoryLimits() {
    }

    /** Bytes off the heap this JVM may allocate: tensors, parameters, gradients, optimiser moments. */
    public static long offHeap() {
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            long set = Long.parseLong(hotspot.getVMOption("MaxDirectMemorySize").getValue());
            if (set > 0) return set;
        } catch (RuntimeException notHotSpot) {
            // another JVM: the default below is the documented one
        }
        return heap();
    }

    /** Bytes the heap may grow to: Java arrays. */
    public static long heap() {
        return Runtime.getRuntime().maxMemory();
    }

    /** This machine's memory, or Long.MAX_VALUE where the JVM cannot say. */
    public static long physical() {
        try {
            return ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class).getTotalMemorySize();
        } catch (RuntimeException e) {
            return Long.MAX_VALUE;
        }
    }
}
