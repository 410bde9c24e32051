package dev.nvae.backend;

import dev.nvae.NvaeException;
import dev.nvae.ffm.cuda.CudaLibraries;
import dev.nvae.ffm.DnnlLibrary;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Run in a child JVM by {@link BackendChoiceTest}: oneDNN loads once per process, so what happens on the
 * first load (environment handed to OpenMP, a library that cannot load) needs a fresh one. Prints key=value.
 * Argument: the backend name to create, and the thread count.
 */
public final class BackendChoiceMain {
    /** The C library's view of a variable (what libgomp read when it loaded), "" when unset. */
    private static String nativeEnv(String name) throws Throwable {
        Linker linker = Linker.nativeLinker();
        MethodHandle getenv = linker.downcallHandle(linker.defaultLookup().find("getenv").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = (MemorySegment) getenv.invokeExact(arena.allocateFrom(name));
            return value.equals(MemorySegment.NULL) ? "" : value.reinterpret(Long.MAX_VALUE).getString(0);
        }
    }

    public static void main(String[] args) throws Throwable {
        String name = args[0];
        int threads = Integer.parseInt(args[1]);
        List<String> notices = new ArrayList<>();
        try (Backend be = Backends.create(name, threads, notices::add)) {
            System.out.println("backend=" + be.name());
            // One layer's forward pass, so that whatever the backend loads lazily is loaded.
            try (Arena arena = Arena.ofConfined()) {
                dev.nvae.tensor.Tensor x = dev.nvae.tensor.Tensor.allocate(arena, "x", 2, 3), w = dev.nvae.tensor.Tensor.allocate(arena, "w", 3, 4);
                dev.nvae.tensor.Tensor b = dev.nvae.tensor.Tensor.allocate(arena, "b", 1, 4), y = dev.nvae.tensor.Tensor.allocate(arena, "y", 2, 4);
                be.linearForward(x, w, b, y, 2, true);
            }
            System.out.println("threads=" + be.threads());
            if (be instanceof OneDnnBackend) {
                // The team size a thread that never called omp_set_num_threads sees: what OMP_NUM_THREADS said.
                AtomicInteger other = new AtomicInteger();
                Thread t = new Thread(() -> other.set(DnnlLibrary.maxThreads()));
                t.start();
                t.join();
                System.out.println("otherThreadTeam=" + other.get());
                System.out.println("spinCount=" + nativeEnv("GOMP_SPINCOUNT"));
            }
        } catch (NvaeException e) {
            System.out.println("error=" + e.getMessage());
        }
        System.out.println("notices=" + String.join("|", notices));
        // Which CUDA libraries this process loaded (none, unless the cuda backend was asked for).
        List<String> cuda = new ArrayList<>();
        for (String lib : List.of(CudaLibraries.CUDART, CudaLibraries.CUBLAS, CudaLibraries.NVRTC, CudaLibraries.DRIVER)) {
            CudaLibraries.loaded(lib).ifPresent(f -> cuda.add(lib + ":" + f));
        }
        System.out.println("cudaLoaded=" + String.join("|", cuda));
    }
}
