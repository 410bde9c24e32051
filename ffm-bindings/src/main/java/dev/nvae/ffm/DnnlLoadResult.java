package dev.nvae.ffm;

import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of loading oneDNN, computed once per process by {@link NativeLibraries#loadDnnl()}.
 *
 * @param available   whether the {@code dnnl_h} functions can be called
 * @param reason      one line saying why not (empty when available)
 * @param source      {@code "bundled"} (extracted from the classpath), {@code "NVAE_DNNL_LIBRARY"} (override),
 *                    or {@code "none"}
 * @param version     what {@code dnnl_version()} reported, or null when unavailable
 * @param library     the libdnnl file loaded, or null
 * @param loaded      every library loaded, in load order (libgomp, libOpenCL, libdnnl for the bundle)
 * @param extracted   file names written to the cache by this load (empty when the cache was reused)
 * @param notes       non-fatal remarks (an optional library not loaded, a cache fallback...)
 * @param millis      time spent extracting, verifying and loading
 */
public record DnnlLoadResult(boolean available, String reason, String source, DnnlVersion version, Path library,
                             List<Path> loaded, List<String> extracted, List<String> notes, long millis) {

    public DnnlLoadResult {
        loaded = List.copyOf(loaded);
        extracted = List.copyOf(extracted);
        notes = List.copyOf(notes);
    }

    static DnnlLoadResult unavailable(String reason, List<String> notes, long millis) {
        return new DnnlLoadResult(false, reason, "none", null, null, List.of(), List.of(), notes, millis);
    }

    /**
     * One line for the start-up log: {@code "oneDNN 3.13.0 (bundled, /home/u/.cache/nvae/natives/dnnl-.../libdnnl.so.3)"}
     * or {@code "oneDNN unavailable: <reason>"}.
     */
    public String describe() {
        return available
                ? "oneDNN " + version + " (" + source + ", " + library + ")"
                : "oneDNN unavailable: " + reason;
    }
}
