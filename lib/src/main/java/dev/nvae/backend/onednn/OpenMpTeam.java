package dev.nvae.backend.onednn;

import dev.nvae.ffm.NativeLibraries;
import dev.nvae.ffm.dnnl.omp_h;
import dev.nvae.kernels.WorkerPool;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * libgomp's thread team lent to a {@link WorkerPool}: the element-wise work between oneDNN's primitives —
 * the loss, the heads' gradient, Adam — runs on the very OpenMP threads that run the primitives, as the
 * body of a parallel region ({@code GOMP_parallel}, the call GCC compiles {@code #pragma omp parallel} to)
 * whose body is an upcall into Java.
 *
 * <p>Why: with a Java worker of its own beside OpenMP's, the two took turns on the second core — after a
 * primitive libgomp's worker spins (GOMP_SPINCOUNT, {@link OpenMpThreads}) while the Java worker needs that
 * core — and Adam took 2.0 ms a step against 0.53 ms on the vector backend's pool (Zen 4, 2 cores).
 *
 * <p>The calling thread is thread 0, as it is for the primitives it calls, so a backend's regions all come
 * from one libgomp pool. Every share runs exactly once whatever team size libgomp grants (thread t of a team
 * of n takes shares t, t+n, ...), and which thread runs a share never changes what it computes.
 */
public final class OpenMpTeam implements WorkerPool.Team {
    /** GOMP_parallel's fn: {@code void (*)(void *data)}. */
    private static final FunctionDescriptor BODY = FunctionDescriptor.ofVoid(ValueLayout.ADDRESS);

    private final Arena arena = Arena.ofShared();  // owns the upcall stub
    private final MemorySegment body;
    private volatile WorkerPool.Share shares;
    private volatile int count;
    private volatile Throwable lost;               // thrown outside a share; an upcall must not throw
    /** libgomp from GCC 9 on has the OpenMP 5.0 pause; with an older runtime close leaves the pool as it is. */
    private final boolean pausable = NativeLibraries.hasDnnlSymbol("omp_pause_resource_all");

    public OpenMpTeam() {
        try {
            MethodHandle h = MethodHandles.lookup()
                    .findVirtual(OpenMpTeam.class, "body", MethodType.methodType(void.class, MemorySegment.class))
                    .bindTo(this);
            body = Linker.nativeLinker().upcallStub(h, BODY, arena);
        } catch (ReflectiveOperationException e) {
            arena.close();
            throw new IllegalStateException("OpenMP team: " + e.getMessage(), e);
        }
        try {
            runShares(1, worker -> { });  // binds GOMP_parallel now: a runtime without it fails here, not mid-step
        } catch (RuntimeException | LinkageError e) {
            arena.close();
            throw e;
        }
    }

    @Override
    public void runShares(int threads, WorkerPool.Share s) {
        shares = s;
        count = threads;
        lost = null;
        try {
            omp_h.GOMP_parallel(body, MemorySegment.NULL, threads, 0);
        } finally {
            shares = null;
        }
        Throwable t = lost;
        if (t instanceof RuntimeException re) throw re;
        if (t instanceof Error er) throw er;
        if (t != null) throw new IllegalStateException(t);
    }

    /** The parallel region's body, on every thread of the team. */
    @SuppressWarnings("unused")
    private void body(MemorySegment unused) {
        try {
            int n = omp_h.omp_get_num_threads();
            WorkerPool.Share s = shares;
            for (int share = omp_h.omp_get_thread_num(); share < count; share += n) s.run(share);
        } catch (Throwable t) {
            lost = t;
        }
    }

    /**
     * Releases libgomp's thread pool of the calling thread, then the upcall stub. Call it on the thread that ran
     * the regions (the backend's user): the pool belongs to it. Why release the pool: a worker's first upcall
     * attached its native thread to the JVM, and it stays attached, waiting in libgomp, for as long as it lives;
     * when the JVM exits it waits for such threads to stop running native code, in 10 ms naps, up to 0.3 s —
     * a third of a second at the end of every run on two or more threads. Paused, libgomp ends its workers (a
     * later region starts new ones), and an ended thread leaves the JVM.
     */
    @Override
    public void close() {
        int status = 0;
        try {
            if (pausable) status = omp_h.omp_pause_resource_all(omp_h.omp_pause_soft());
        } finally {
            arena.close();
        }
        if (status != 0) throw new IllegalStateException("omp_pause_resource_all failed (" + status + ")");
    }
}
