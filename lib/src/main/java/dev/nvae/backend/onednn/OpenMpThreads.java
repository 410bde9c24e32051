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
 *   <li>{@code OMP_WAIT_POLICY=passive} unless the user chose a policy: between primitives the Java thread
 *       runs the loss, the latent sampling and Adam on its own; with the default (active) policy the idle
 *       OpenMP workers would spin through that time and take the core from the JIT, the GC and — on a
 *       shared machine — everyone else. Passive workers sleep, at the cost of a futex wake per primitive.</li>
 * </ul>
 */
public final class OpenMpThreads {
    private OpenMpThreads() {
    }

    /**
     * Requests T threads for every OpenMP team if oneDNN has not been loaded yet.
     *
     * @return false if oneDNN was already loaded (the environment is fixed; {@link #pin} still applies)
     */
    public static boolean configureBeforeLoad(int threads) {
        try {
            NativeLibraries.setOpenMpEnvironment("OMP_NUM_THREADS", Integer.toString(threads));
            String policy = System.getenv("OMP_WAIT_POLICY");
            if (policy == null || policy.isBlank()) NativeLibraries.setOpenMpEnvironment("OMP_WAIT_POLICY", "passive");
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
