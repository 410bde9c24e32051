package dev.nvae.ffm.cuda;

/**
 * What {@link CudaRuntime#probe()} found.
 *
 * @param available      a CUDA runtime library loaded and reported at least one device
 * @param reason         one line saying why not (empty when available), e.g.
 *                       {@code "no CUDA runtime library found (tried libcudart.so, ...)"} or
 *                       {@code "cudaGetDeviceCount: no CUDA-capable device is detected"}
 * @param library        the library name or path that loaded, or empty
 * @param runtimeVersion {@code cudaRuntimeGetVersion}, e.g. 13000 for 13.0; 0 if unknown
 * @param deviceCount    devices reported by {@code cudaGetDeviceCount}; 0 when unavailable
 */
public record CudaProbe(boolean available, String reason, String library, int runtimeVersion, int deviceCount) {

    /** One line for the start-up log. */
    public String describe() {
        if (available) {
            return "CUDA runtime " + versionText() + " (" + library + "), " + deviceCount + " device(s)";
        }
        return "CUDA unavailable: " + reason;
    }

    /** {@code "13.0"} from 13000 (CUDA encodes 1000 * major + 10 * minor). */
    public String versionText() {
        return runtimeVersion <= 0 ? "unknown" : (runtimeVersion / 1000) + "." + (runtimeVersion % 1000) / 10;
    }
}
