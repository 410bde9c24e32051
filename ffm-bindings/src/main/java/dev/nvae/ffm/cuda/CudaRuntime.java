package dev.nvae.ffm.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

import static dev.nvae.ffm.cuda.cuda_runtime_api_h.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Asks the CUDA runtime for devices, once per process; {@link #probe()} never throws.
 *
 * <p>The library is {@link CudaLibraries#cudart()} (override {@code NVAE_CUDA_LIBRARY} or
 * {@code -Dnvae.cuda.library}, else the toolkit, the loader path and Python CUDA wheels). A runtime without a
 * driver or a GPU answers {@code cudaGetDeviceCount} with an error code, which becomes the reason. The library
 * stays loaded even when unavailable: libcudart registers exit handlers, and unloading it with dlclose is not
 * worth the risk.
 */
public final class CudaRuntime {

    public static final String LIBRARY_ENV = "NVAE_CUDA_LIBRARY";
    public static final String LIBRARY_PROPERTY = "nvae.cuda.library";

    private static CudaProbe result;                 // guarded by CudaRuntime.class

    private CudaRuntime() {
    }

    /** Probes on the first call and returns the same result afterwards. */
    public static synchronized CudaProbe probe() {
        if (result == null) {
            try {
                result = doProbe();
            } catch (Throwable t) {
                result = new CudaProbe(false, "CUDA probe failed: " + t, "", 0, 0);
            }
        }
        return result;
    }

    public static boolean isAvailable() {
        return probe().available();
    }

    /**
     * The address of a libcudart symbol; what the {@code cuda_runtime_api_h} holder classes call. Throws
     * {@link UnsatisfiedLinkError} when no runtime loaded or it lacks the symbol.
     */
    public static MemorySegment symbol(String name) {
        return CudaLibraries.symbol(CudaLibraries.CUDART, name);
    }

    /** {@code cudaGetErrorString(error)}, or the bare number if the runtime cannot say. */
    public static String errorString(int error) {
        try {
            MemorySegment s = cudaGetErrorString(error);
            return s.equals(MemorySegment.NULL) ? "cudaError " + error : s.getString(0);
        } catch (Throwable t) {
            return "cudaError " + error;
        }
    }

    /** {@link CudaErrors#runtime}: throws {@link CudaException} naming the call unless {@code error} is cudaSuccess. */
    public static void check(String call, int error) {
        CudaErrors.runtime(call, error);
    }

    private static CudaProbe doProbe() {
        String loadedName;
        try {
            CudaLibraries.cudart();
            loadedName = CudaLibraries.loaded(CudaLibraries.CUDART).orElseThrow();
        } catch (CudaUnavailableException e) {
            return new CudaProbe(false, e.getMessage(), "", 0, 0);
        }
        for (String name : List.of("cudaGetDeviceCount", "cudaRuntimeGetVersion", "cudaGetErrorString")) {
            if (CudaLibraries.cudart().find(name).isEmpty()) {
                return new CudaProbe(false, loadedName + " does not export " + name, loadedName, 0, 0);
            }
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT);
            int version = cudaRuntimeGetVersion(out) == cudaSuccess() ? out.get(JAVA_INT, 0) : 0;
            out.set(JAVA_INT, 0, 0);
            int err = cudaGetDeviceCount(out);
            if (err != cudaSuccess()) {
                return new CudaProbe(false, "cudaGetDeviceCount: " + errorString(err), loadedName, version, 0);
            }
            int count = out.get(JAVA_INT, 0);
            if (count < 1) {
                return new CudaProbe(false, "cudaGetDeviceCount: no CUDA-capable device is detected", loadedName,
                        version, 0);
            }
            return new CudaProbe(true, "", loadedName, version, count);
        }
    }
}
