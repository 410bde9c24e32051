package dev.nvae.ffm.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.nvae.ffm.cuda.cuda_runtime_api_h.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Finds a CUDA runtime and asks it for devices, once per process; {@link #probe()} never throws.
 *
 * <p>Candidates: {@code NVAE_CUDA_LIBRARY} (or {@code -Dnvae.cuda.library}) if set, else {@code libcudart.so},
 * {@code libcudart.so.13}, {@code libcudart.so.12} by name through the dynamic linker's search path. A
 * runtime without a driver or a GPU answers {@code cudaGetDeviceCount} with an error code, which becomes
 * the reason. The library stays loaded even when unavailable: libcudart registers exit handlers, and
 * unloading it with dlclose is not worth the risk.
 */
public final class CudaRuntime {

    public static final String LIBRARY_ENV = "NVAE_CUDA_LIBRARY";
    public static final String LIBRARY_PROPERTY = "nvae.cuda.library";
    static final List<String> LIBRARY_NAMES = List.of("libcudart.so", "libcudart.so.13", "libcudart.so.12");

    private static CudaProbe result;                 // guarded by CudaRuntime.class
    private static volatile SymbolLookup lookup;     // set once a library loaded, even without a device

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
     * {@link UnsatisfiedLinkError} when CUDA is unavailable or lacks the symbol.
     */
    public static MemorySegment symbol(String name) {
        SymbolLookup l = lookup;
        if (l == null) {
            CudaProbe p = probe();
            l = lookup;
            if (l == null) {
                throw new UnsatisfiedLinkError("CUDA unavailable: " + p.reason());
            }
        }
        return l.find(name).orElseThrow(() -> new UnsatisfiedLinkError("unresolved symbol: " + name));
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

    /** Throws {@link IllegalStateException} naming the call and the CUDA error unless {@code error} is cudaSuccess. */
    public static void check(String call, int error) {
        if (error != cudaSuccess()) {
            throw new IllegalStateException(call + " failed: " + errorString(error) + " (cudaError " + error + ")");
        }
    }

    private static CudaProbe doProbe() {
        String override = System.getProperty(LIBRARY_PROPERTY);
        if (override == null || override.isBlank()) {
            override = System.getenv(LIBRARY_ENV);
        }
        String loadedName = null;
        SymbolLookup found = null;
        if (override != null && !override.isBlank()) {
            try {
                found = SymbolLookup.libraryLookup(Path.of(override), Arena.global());
                loadedName = override;
            } catch (IllegalArgumentException e) {
                return new CudaProbe(false, LIBRARY_ENV + "=" + override + ": cannot load", "", 0, 0);
            }
        } else {
            List<String> tried = new ArrayList<>();
            for (String name : LIBRARY_NAMES) {
                tried.add(name);
                try {
                    found = SymbolLookup.libraryLookup(name, Arena.global());
                    loadedName = name;
                    break;
                } catch (IllegalArgumentException notFound) {
                    // try the next name
                }
            }
            if (found == null) {
                return new CudaProbe(false, "no CUDA runtime library found (tried " + String.join(", ", tried) + ")",
                        "", 0, 0);
            }
        }
        for (String name : List.of("cudaGetDeviceCount", "cudaRuntimeGetVersion", "cudaGetErrorString")) {
            if (found.find(name).isEmpty()) {
                return new CudaProbe(false, loadedName + " does not export " + name, loadedName, 0, 0);
            }
        }
        lookup = found;
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
