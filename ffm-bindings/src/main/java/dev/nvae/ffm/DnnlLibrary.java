package dev.nvae.ffm;

import dev.nvae.ffm.dnnl.dnnl_h;
import dev.nvae.ffm.dnnl.omp_h;

import java.util.LinkedHashMap;
import java.util.Map;

import static dev.nvae.ffm.dnnl.dnnl_h.*;

/**
 * The entry point for the code that uses oneDNN: load status, version, ISA, thread control. The bindings
 * themselves are the static methods of {@link dnnl_h}; check their statuses with {@link #check(String, int)}.
 * {@snippet :
 * DnnlLoadResult r = DnnlLibrary.load();
 * if (!r.available()) {
 *     log("oneDNN unavailable: " + r.reason() + "; using vector backend");
 * }
 * }
 */
public final class DnnlLibrary {

    private DnnlLibrary() {
    }

    /** Loads oneDNN on the first call (see {@link NativeLibraries}); never throws. */
    public static DnnlLoadResult load() {
        return NativeLibraries.loadDnnl();
    }

    public static boolean isAvailable() {
        return load().available();
    }

    /** Why oneDNN is unavailable, one line; empty when it is available. */
    public static String unavailableReason() {
        return load().reason();
    }

    /** @throws DnnlUnavailableException with the one-line reason if oneDNN cannot be used */
    public static void requireAvailable() {
        DnnlLoadResult r = load();
        if (!r.available()) {
            throw new DnnlUnavailableException(r.reason());
        }
    }

    /** What the loaded library's {@code dnnl_version()} reports: {@code 3.13.0}, git hash, runtimes. */
    public static DnnlVersion version() {
        requireAvailable();
        return load().version();
    }

    /** {@code dnnl_get_effective_cpu_isa()}: the instruction set oneDNN dispatches to here. */
    public static int effectiveCpuIsaValue() {
        requireAvailable();
        return dnnl_get_effective_cpu_isa();
    }

    /** The effective ISA by its {@code dnnl_cpu_isa_t} name without the prefix, e.g. {@code "avx512_core_bf16"}. */
    public static String effectiveCpuIsa() {
        return cpuIsaName(effectiveCpuIsaValue());
    }

    /**
     * Name of a {@code dnnl_cpu_isa_t} value without the {@code dnnl_cpu_isa_} prefix; for values with two
     * names the first one the header declares ({@code avx10_1_512} rather than {@code avx512_core_fp16}).
     */
    public static String cpuIsaName(int isa) {
        String name = CPU_ISA_NAMES.get(isa);
        return name != null ? name : "cpu_isa(0x" + Integer.toHexString(isa) + ")";
    }

    private static final Map<Integer, String> CPU_ISA_NAMES = cpuIsaNames();

    private static Map<Integer, String> cpuIsaNames() {
        Map<Integer, String> m = new LinkedHashMap<>();
        m.putIfAbsent(dnnl_cpu_isa_default(), "default");
        m.putIfAbsent(dnnl_cpu_isa_sse41(), "sse41");
        m.putIfAbsent(dnnl_cpu_isa_avx(), "avx");
        m.putIfAbsent(dnnl_cpu_isa_avx2(), "avx2");
        m.putIfAbsent(dnnl_cpu_isa_avx2_vnni(), "avx2_vnni");
        m.putIfAbsent(dnnl_cpu_isa_avx2_vnni_2(), "avx2_vnni_2");
        m.putIfAbsent(dnnl_cpu_isa_avx512_core(), "avx512_core");
        m.putIfAbsent(dnnl_cpu_isa_avx512_core_vnni(), "avx512_core_vnni");
        m.putIfAbsent(dnnl_cpu_isa_avx512_core_bf16(), "avx512_core_bf16");
        m.putIfAbsent(dnnl_cpu_isa_avx10_1_512(), "avx10_1_512");
        m.putIfAbsent(dnnl_cpu_isa_avx512_core_fp16(), "avx512_core_fp16");
        m.putIfAbsent(dnnl_cpu_isa_avx10_1_512_amx(), "avx10_1_512_amx");
        m.putIfAbsent(dnnl_cpu_isa_avx512_core_amx(), "avx512_core_amx");
        m.putIfAbsent(dnnl_cpu_isa_avx10_1_512_amx_fp16(), "avx10_1_512_amx_fp16");
        m.putIfAbsent(dnnl_cpu_isa_avx512_core_amx_fp16(), "avx512_core_amx_fp16");
        m.putIfAbsent(dnnl_cpu_isa_avx10_2(), "avx10_2");
        m.putIfAbsent(dnnl_cpu_isa_avx10_2_512(), "avx10_2_512");
        m.putIfAbsent(dnnl_cpu_isa_avx10_2_amx_2(), "avx10_2_amx_2");
        m.putIfAbsent(dnnl_cpu_isa_avx10_2_512_amx_2(), "avx10_2_512_amx_2");
        return Map.copyOf(m);
    }

    /** Same as {@link DnnlStatus#check(String, int)}. */
    public static void check(String call, int status) {
        DnnlStatus.check(call, status);
    }

    /** {@code dnnl_set_verbose(level)}: 0 off, 1 execution, 2 also creation (to stdout). */
    public static void setVerbose(int level) {
        requireAvailable();
        check("dnnl_set_verbose", dnnl_set_verbose(level));
    }

    // ---- OpenMP: the CPU runtime of the bundled build (DNNL_CPU_RUNTIME == DNNL_RUNTIME_OMP) -----------

    /** Whether the loaded oneDNN runs on OpenMP, so that the thread-count calls below mean something. */
    public static boolean usesOpenMp() {
        return isAvailable() && load().version().cpuRuntime() == DNNL_RUNTIME_OMP();
    }

    /** {@code omp_get_max_threads()} as seen from the calling thread: the team size of its next primitive. */
    public static int maxThreads() {
        requireOpenMp();
        return omp_h.omp_get_max_threads();
    }

    /** {@code omp_get_num_procs()}: processors available to the process. */
    public static int numProcs() {
        requireOpenMp();
        return omp_h.omp_get_num_procs();
    }

    /**
     * {@code omp_set_num_threads(n)}: the team size for primitives executed FROM THE CALLING THREAD ONLY
     * (OpenMP's nthreads ICV is per thread). Call it on every thread that executes primitives, or set
     * OMP_NUM_THREADS for all threads with {@link NativeLibraries#setOpenMpEnvironment} before loading.
     */
    public static void setNumThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("thread count must be at least 1, got " + n);
        }
        requireOpenMp();
        omp_h.omp_set_num_threads(n);
    }

    private static void requireOpenMp() {
        requireAvailable();
        if (!usesOpenMp()) {
            throw new UnsupportedOperationException("the loaded oneDNN's CPU runtime is "
                    + DnnlVersion.runtimeName(load().version().cpuRuntime()) + ", not OpenMP");
        }
    }
}
