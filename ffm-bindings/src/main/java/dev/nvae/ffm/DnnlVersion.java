package dev.nvae.ffm;

import dev.nvae.ffm.dnnl.dnnl_version_t;

import java.lang.foreign.MemorySegment;

import static dev.nvae.ffm.dnnl.dnnl_h.*;

/**
 * What {@code dnnl_version()} reports. {@link #toString()} is {@code "3.13.0"}; {@link #describe()} adds the
 * git hash and runtimes, e.g. {@code "3.13.0 (git N/A, cpu OpenMP, gpu OpenCL)"}.
 *
 * @param hash git hash of the sources; the JavaCPP build reports {@code "N/A"}
 * @param cpuRuntime a {@code DNNL_RUNTIME_*} value
 * @param gpuRuntime a {@code DNNL_RUNTIME_*} value
 */
public record DnnlVersion(int major, int minor, int patch, String hash, int cpuRuntime, int gpuRuntime) {

    /** Reads a {@code dnnl_version_t} (what {@code dnnl_version()} returns). */
    public static DnnlVersion read(MemorySegment version) {
        MemorySegment v = version.reinterpret(dnnl_version_t.sizeof());
        MemorySegment hash = dnnl_version_t.hash(v);
        return new DnnlVersion(dnnl_version_t.major(v), dnnl_version_t.minor(v), dnnl_version_t.patch(v),
                hash.equals(MemorySegment.NULL) ? "" : hash.reinterpret(256).getString(0),
                dnnl_version_t.cpu_runtime(v), dnnl_version_t.gpu_runtime(v));
    }

    /** Name of a {@code DNNL_RUNTIME_*} value (include/oneapi/dnnl/dnnl_config.h). */
    public static String runtimeName(int runtime) {
        if (runtime == DNNL_RUNTIME_NONE()) return "none";
        if (runtime == DNNL_RUNTIME_SEQ()) return "sequential";
        if (runtime == DNNL_RUNTIME_OMP()) return "OpenMP";
        if (runtime == DNNL_RUNTIME_TBB()) return "TBB";
        if (runtime == DNNL_RUNTIME_THREADPOOL()) return "threadpool";
        if (runtime == DNNL_RUNTIME_OCL()) return "OpenCL";
        if (runtime == DNNL_RUNTIME_SYCL()) return "SYCL";
        return "runtime(" + runtime + ")";
    }

    /** {@code "3.13.0 (git N/A, cpu OpenMP, gpu OpenCL)"}. */
    public String describe() {
        return this + " (git " + (hash.isEmpty() ? "unknown" : hash) + ", cpu " + runtimeName(cpuRuntime)
                + ", gpu " + runtimeName(gpuRuntime) + ")";
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
