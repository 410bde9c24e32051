// Bindings for the few OpenMP runtime calls oneDNN's CPU runtime exposes for thread control, in the shape
// jextract emits for omp.h. Written by hand (jextract is not available here) from GCC's omp.h; the symbols
// are listed in ffm-bindings/jextract-includes-omp.txt. They resolve through the libdnnl handle, so they
// reach the libgomp instance libdnnl itself uses (the bundled one, or the system one of NVAE_DNNL_LIBRARY).
//
// OpenMP semantics that matter from Java: omp_set_num_threads sets the nthreads ICV of the CALLING thread
// only; other threads keep the global default, which libgomp reads from OMP_NUM_THREADS once, when it is
// loaded (see NativeLibraries.setOpenMpEnvironment).

package dev.nvae.ffm.dnnl;

import dev.nvae.ffm.NativeLibraries;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;
import java.util.stream.Collectors;

@SuppressWarnings("unused")
public class omp_h {

    omp_h() {
        // Should not be called directly
    }

    static final boolean TRACE_DOWNCALLS = Boolean.getBoolean("jextract.trace.downcalls");

    static void traceDowncall(String name, Object... args) {
         String traceArgs = Arrays.stream(args)
                       .map(Object::toString)
                       .collect(Collectors.joining(", "));
         System.out.printf("%s(%s)\n", name, traceArgs);
    }

    static MemorySegment findOrThrow(String symbol) {
        return NativeLibraries.dnnlSymbol(symbol);
    }

    public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;

    private static class omp_set_num_threads {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(
            omp_h.C_INT
        );

        public static final MemorySegment ADDR = omp_h.findOrThrow("omp_set_num_threads");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * extern void omp_set_num_threads (int)
     * }
     */
    public static FunctionDescriptor omp_set_num_threads$descriptor() {
        return omp_set_num_threads.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * extern void omp_set_num_threads (int)
     * }
     */
    public static MethodHandle omp_set_num_threads$handle() {
        return omp_set_num_threads.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * extern void omp_set_num_threads (int)
     * }
     */
    public static MemorySegment omp_set_num_threads$address() {
        return omp_set_num_threads.ADDR;
    }

    /**
     * {@snippet lang=c :
     * extern void omp_set_num_threads (int)
     * }
     */
    public static void omp_set_num_threads(int num_threads) {
        var mh$ = omp_set_num_threads.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("omp_set_num_threads", num_threads);
            }
            mh$.invokeExact(num_threads);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }
    private static final int omp_pause_soft = (int)1L;
    /**
     * {@snippet lang=c :
     * enum omp_pause_resource_t.omp_pause_soft = 1
     * }
     */
    public static int omp_pause_soft() {
        return omp_pause_soft;
    }
    private static final int omp_pause_hard = (int)2L;
    /**
     * {@snippet lang=c :
     * enum omp_pause_resource_t.omp_pause_hard = 2
     * }
     */
    public static int omp_pause_hard() {
        return omp_pause_hard;
    }

    private static class omp_pause_resource_all {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            omp_h.C_INT,
            omp_h.C_INT
        );

        public static final MemorySegment ADDR = omp_h.findOrThrow("omp_pause_resource_all");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * extern int omp_pause_resource_all (omp_pause_resource_t)
     * }
     */
    public static FunctionDescriptor omp_pause_resource_all$descriptor() {
        return omp_pause_resource_all.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * extern int omp_pause_resource_all (omp_pause_resource_t)
     * }
     */
    public static MethodHandle omp_pause_resource_all$handle() {
        return omp_pause_resource_all.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * extern int omp_pause_resource_all (omp_pause_resource_t)
     * }
     */
    public static MemorySegment omp_pause_resource_all$address() {
        return omp_pause_resource_all.ADDR;
    }

    /**
     * {@snippet lang=c :
     * extern int omp_pause_resource_all (omp_pause_resource_t)
     * }
     */
    public static int omp_pause_resource_all(int x0) {
        var mh$ = omp_pause_resource_all.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("omp_pause_resource_all", x0);
            }
            return (int)mh$.invokeExact(x0);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class omp_get_max_threads {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            omp_h.C_INT
        );

        public static final MemorySegment ADDR = omp_h.findOrThrow("omp_get_max_threads");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * extern int omp_get_max_threads (void)
     * }
     */
    public static FunctionDescriptor omp_get_max_threads$descriptor() {
        return omp_get_max_threads.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * extern int omp_get_max_threads (void)
     * }
     */
    public static MethodHandle omp_get_max_threads$handle() {
        return omp_get_max_threads.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * extern int omp_get_max_threads (void)
     * }
     */
    public static MemorySegment omp_get_max_threads$address() {
        return omp_get_max_threads.ADDR;
    }

    /**
     * {@snippet lang=c :
     * extern int omp_get_max_threads (void)
     * }
     */
    public static int omp_get_max_threads() {
        var mh$ = omp_get_max_threads.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("omp_get_max_threads");
            }
            return (int)mh$.invokeExact();
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class omp_get_num_procs {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            omp_h.C_INT
        );

        public static final MemorySegment ADDR = omp_h.findOrThrow("omp_get_num_procs");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * extern int omp_get_num_procs (void)
     * }
     */
    public static FunctionDescriptor omp_get_num_procs$descriptor() {
        return omp_get_num_procs.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * extern int omp_get_num_procs (void)
     * }
     */
    public static MethodHandle omp_get_num_procs$handle() {
        return omp_get_num_procs.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * extern int omp_get_num_procs (void)
     * }
     */
    public static MemorySegment omp_get_num_procs$address() {
        return omp_get_num_procs.ADDR;
    }

    /**
     * {@snippet lang=c :
     * extern int omp_get_num_procs (void)
     * }
     */
    public static int omp_get_num_procs() {
        var mh$ = omp_get_num_procs.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("omp_get_num_procs");
            }
            return (int)mh$.invokeExact();
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    public static final AddressLayout C_POINTER = ValueLayout.ADDRESS;

    private static class omp_get_thread_num {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            omp_h.C_INT
        );

        public static final MemorySegment ADDR = omp_h.findOrThrow("omp_get_thread_num");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * extern int omp_get_thread_num (void)
     * }
     */
    public static FunctionDescriptor omp_get_thread_num$descriptor() {
        return omp_get_thread_num.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * extern int omp_get_thread_num (void)
     * }
     */
    public static MethodHandle omp_get_thread_num$handle() {
        return omp_get_thread_num.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * extern int omp_get_thread_num (void)
     * }
     */
    public static MemorySegment omp_get_thread_num$address() {
        return omp_get_thread_num.ADDR;
    }

    /**
     * {@snippet lang=c :
     * extern int omp_get_thread_num (void)
     * }
     */
    public static int omp_get_thread_num() {
        var mh$ = omp_get_thread_num.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("omp_get_thread_num");
            }
            return (int)mh$.invokeExact();
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class omp_get_num_threads {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            omp_h.C_INT
        );

        public static final MemorySegment ADDR = omp_h.findOrThrow("omp_get_num_threads");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * extern int omp_get_num_threads (void)
     * }
     */
    public static FunctionDescriptor omp_get_num_threads$descriptor() {
        return omp_get_num_threads.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * extern int omp_get_num_threads (void)
     * }
     */
    public static MethodHandle omp_get_num_threads$handle() {
        return omp_get_num_threads.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * extern int omp_get_num_threads (void)
     * }
     */
    public static MemorySegment omp_get_num_threads$address() {
        return omp_get_num_threads.ADDR;
    }

    /**
     * {@snippet lang=c :
     * extern int omp_get_num_threads (void)
     * }
     */
    public static int omp_get_num_threads() {
        var mh$ = omp_get_num_threads.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("omp_get_num_threads");
            }
            return (int)mh$.invokeExact();
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    // GOMP_parallel is not in omp.h: it is the entry point GCC compiles "#pragma omp parallel" to (libgomp_g.h,
    // symbol version GOMP_4.0, stable since GCC 4.9). fn(data) runs on every thread of a team of num_threads
    // (0: the calling thread's default), the calling thread as thread 0; it returns when all have finished.
    private static class GOMP_parallel {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(
            omp_h.C_POINTER,
            omp_h.C_POINTER,
            omp_h.C_INT,
            omp_h.C_INT
        );

        public static final MemorySegment ADDR = omp_h.findOrThrow("GOMP_parallel");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * extern void GOMP_parallel (void (*fn) (void *), void *data, unsigned num_threads, unsigned int flags)
     * }
     */
    public static FunctionDescriptor GOMP_parallel$descriptor() {
        return GOMP_parallel.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * extern void GOMP_parallel (void (*fn) (void *), void *data, unsigned num_threads, unsigned int flags)
     * }
     */
    public static MethodHandle GOMP_parallel$handle() {
        return GOMP_parallel.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * extern void GOMP_parallel (void (*fn) (void *), void *data, unsigned num_threads, unsigned int flags)
     * }
     */
    public static MemorySegment GOMP_parallel$address() {
        return GOMP_parallel.ADDR;
    }

    /**
     * {@snippet lang=c :
     * extern void GOMP_parallel (void (*fn) (void *), void *data, unsigned num_threads, unsigned int flags)
     * }
     */
    public static void GOMP_parallel(MemorySegment fn, MemorySegment data, int num_threads, int flags) {
        var mh$ = GOMP_parallel.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("GOMP_parallel", fn, data, num_threads, flags);
            }
            mh$.invokeExact(fn, data, num_threads, flags);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }
}
