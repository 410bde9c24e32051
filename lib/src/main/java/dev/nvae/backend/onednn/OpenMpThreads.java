package dev.nvae.backend.onednn;

import dev.nvae.ffm.NativeLibraries;
import dev.nvae.ffm.dnnl.omp_h;

/**
 * Who owns the cores when oneDNN computes: its OpenMP team, sized by {@code --threads}.
 *
 * <p>The bundled oneDNN runs every primitive as an OpenMP parallel region whose master is the Java thread
 * that calls execute; the other T−1 threads come from libgomp's pool. The onednn backend starts no Java
 * worker threads of its own (the vector backend's spinning pool is never created alongside it), so at any
 * moment at most T threads compute — the same meaning {@code --threads T} has on the vector backend.
 *
 * <p>Two settings make that hold:
 * <ul>
 *   <li>{@code OMP_NUM_THREADS=T}, set before libgomp is loaded (it reads OMP_* once, at load), so every
 *       thread's default team is T. If oneDNN was loaded earlier in this process (a test, {@code info}),
 *       the environment can no longer change; {@link #pin} sets the calling thread's team size, which is
 *       what a primitive created and executed from that thread uses. The backend pins before every
 *       creation and execution, so two backends with different T in one process each get their own.</li>
 *   <li>{@code GOMP_SPINCOUNT=200000} unless the user chose a wait policy or a spin count: an idle OpenMP
 *       worker spins a fraction of a millisecond, then sleeps. Back-to-back primitives of a training step or
 *       a decode then hand off without a futex wake, and a worker left idle longer — while the calling
 *       thread alone works in Java — soon goes to sleep instead of spinning for libgomp's default 300,000
 *       rounds (or forever under {@code active}). Measured on 2 cores: {@code passive} (a wake per
 *       primitive) trained at 11,487 examples/s and decoded one sample in 419 µs; this setting at 15,394
 *       examples/s and 37 µs. The Java work that runs in parallel (the loss, the heads' gradient, Adam)
 *       runs on this same team ({@link OpenMpTeam}), so it meets no spinning worker.</li>
 * </ul>
 */
public final class OpenMpThreads {
    static final String SPIN_COUNT = "200000";

    private OpenMpThreads() {
    }

    private static boolean unset(String name) {
        String v = System.getenv(name);
        return v == null || v.isBlank();
    }

    /**
     * Requests T threads for every OpenMP team if oneDNN has not been loaded yet.
     *
     * @return false if oneDNN was already loaded (the environment is fixed; {@link #pin} still applies)
     */
    public static boolean configureBeforeLoad(int threads) {
        try {
            NativeLibraries.setOpenMpEnvironment("OMP_NUM_THREADS", Integer.toString(threads));
            if (unset("OMP_WAIT_POLICY") && unset("GOMP_SPINCOUNT")) {
                NativeLibraries.setOpenMpEnvironment("GOMP_SPINCOUNT", SPIN_COUNT);
            }
            return true;
        } catch (IllegalStateException alreadyLoaded) {
            return false;
        }
    }

    /** {@code omp_set_num_threads(T)} for the calling thread: one native call, no allocation. */
    public static void pin(int threads) {
        omp_h.omp_set_num_threads(threads);
    }
}
