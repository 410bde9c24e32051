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
 *   <li>{@code GOMP_SPINCOUNT=2000} unless the user chose a wait policy or a spin count: an idle OpenMP
 *       worker spins a few microseconds, then sleeps. Back-to-back primitives of a training step or a decode
 *       still hand off without a futex wake ({@code passive}, a wake per primitive, trained at 11,487
 *       examples/s and decoded one sample in 419 µs against 15,394 and 37 µs with spinning), and the Java
 *       work that runs in parallel (the loss, the heads' gradient, Adam) runs on this same team
 *       ({@link OpenMpTeam}), so it meets no spinning worker. Why not longer: with libgomp's default (300,000
 *       rounds) or the 200,000 used before, two nvae processes on the same cores crawl — a worker spins out
 *       the time slice of the team member it waits for, which another process holds. Two {@code train
 *       --limit 20000 --epochs 2} side by side on 2 cores (Zen 4) took 13.5, 32.5 and 61.6 s (down to 573
 *       examples/s each) at 200,000; 15.4–16.7 s at 20,000; 10.8–11.1 s at 10,000; 8.7–8.9 s at 5,000; 7.4–7.8
 *       s at 2,000, each at ~10,000 examples/s — the two sharing the cores as they should. Alone, the whole
 *       run is no slower and the steady state may lose a few percent (this host is too noisy to say more):
 *       {@code train --epochs 3}, 5 alternating runs each, whole run
 *       8.71–11.02 s (median 8.98) at 2,000 against 8.69–29.83 s (median 11.80) at 200,000; first epoch
 *       12,090–18,097 examples/s (median 17,588) against 12,520–17,621 (16,338); third epoch 22,902–28,148
 *       (26,244) against 17,960–28,468 (27,523), and in 7 alternating pairs of {@code --epochs 2} the second
 *       epoch's median 26,740 against 28,148; one decode 25.5–25.7 µs against 25.4–26.1 µs.</li>
 * </ul>
 */
public final class OpenMpThreads {
    static final String SPIN_COUNT = "2000";

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
