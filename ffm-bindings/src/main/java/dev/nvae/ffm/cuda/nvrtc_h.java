// Bindings for the NVRTC calls nvae uses to compile CUDA C to PTX or CUBIN, in the shape jextract emits for
// nvrtc.h. Written by hand from NVIDIA's nvrtc.h (CUDA 12/13; no NVRTC header is installed where this was
// written); the symbols are listed in ffm-bindings/jextract-includes-nvrtc.txt, and HeaderConsistencyTest
// checks them against nvrtc.h where it is installed. The library comes from CudaLibraries.nvrtc().

package dev.nvae.ffm.cuda;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;
import java.util.stream.Collectors;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

@SuppressWarnings("unused")
public class nvrtc_h {

    nvrtc_h() {
        // Should not be called directly
    }

    static final boolean TRACE_DOWNCALLS = Boolean.getBoolean("jextract.trace.downcalls");

    static void traceDowncall(String name, Object... args) {
         String traceArgs = Arrays.stream(args)
                       .map(Object::toString)
                       .collect(Collectors.joining(", "));
         System.out.printf("%s(%s)\n", name, traceArgs);
    }

    // The libnvrtc CudaLibraries found; throws UnsatisfiedLinkError when there is none or it lacks the symbol.
    static MemorySegment findOrThrow(String symbol) {
        return CudaLibraries.symbol(CudaLibraries.NVRTC, symbol);
    }

    public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    public static final AddressLayout C_POINTER = ValueLayout.ADDRESS
            .withTargetLayout(MemoryLayout.sequenceLayout(java.lang.Long.MAX_VALUE, JAVA_BYTE));
    public static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;

    /** {@snippet lang=c : typedef enum { ... } nvrtcResult } */
    public static final ValueLayout.OfInt nvrtcResult = nvrtc_h.C_INT;

    /** {@snippet lang=c : typedef struct _nvrtcProgram *nvrtcProgram } */
    public static final AddressLayout nvrtcProgram = nvrtc_h.C_POINTER;

    private static class nvrtcVersion {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            nvrtc_h.C_INT,
            nvrtc_h.C_POINTER,
            nvrtc_h.C_POINTER
        );

        public static final MemorySegment ADDR = nvrtc_h.findOrThrow("nvrtcVersion");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * nvrtcResult nvrtcVersion(int *major, int *minor)
     * }
     */
    public static FunctionDescriptor nvrtcVersion$descriptor() {
        return nvrtcVersion.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * nvrtcResult nvrtcVersion(int *major, int *minor)
     * }
     */
    public static MethodHandle nvrtcVersion$handle() {
        return nvrtcVersion.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * nvrtcResult nvrtcVersion(int *major, int *minor)
     * }
     */
    public static MemorySegment nvrtcVersion$address() {
        return nvrtcVersion.ADDR;
    }

    /**
     * {@snippet lang=c :
     * nvrtcResult nvrtcVersion(int *major, int *minor)
     * }
     */
    public static int nvrtcVersion(MemorySegment major, MemorySegment minor) {
        var mh$ = nvrtcVersion.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("nvrtcVersion", major, minor);
            }
            return (int)mh$.invokeExact(major, minor);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class nvrtcGetErrorString {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            nvrtc_h.C_POINTER,
            nvrtc_h.C_INT
        );

        public static final MemorySegment ADDR = nvrtc_h.findOrThrow("nvrtcGetErrorString");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * const char *nvrtcGetErrorString(nvrtcResult result)
     * }
     */
    public static FunctionDescriptor nvrtcGetErrorString$descriptor() {
        return nvrtcGetErrorString.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * const char *nvrtcGetErrorString(nvrtcResult result)
     * }
     */
    public static MethodHandle nvrtcGetErrorString$handle() {
        return nvrtcGetErrorString.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * const char *nvrtcGetErrorString(nvrtcResult result)
     * }
     */
    public static MemorySegment nvrtcGetErrorString$address() {
        return nvrtcGetErrorString.ADDR;
    }

    /**
     * {@snippet lang=c :
     * const char *nvrtcGetErrorString(nvrtcResult result)
     * }
     */
    public static MemorySegment nvrtcGetErrorString(int result) {
        var mh$ = nvrtcGetErrorString.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("nvrtcGetErrorString", result);
            }
            return (MemorySegment)mh$.invokeExact(result);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class nvrtcCreateProgram {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            nvrtc_h.C_INT,
            nvrtc_h.C_POINTER,
            nvrtc_h.C_POINTER,
            nvrtc_h.C_POINTER,
            nvrtc_h.C_INT,
            nvrtc_h.C_POINTER,
            nvrtc_h.C_POINTER
        );

        public static final MemorySegment ADDR = nvrtc_h.findOrThrow("nvrtcCreateProgram");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * nvrtcResult nvrtcCreateProgram(nvrtcProgram *prog, const char *src, const char *name, int numHeaders, const char *const *headers, const char *const *includeNames)
     * }
     */
    public static FunctionDescriptor nvrtcCreateProgram$descriptor() {
        return nvrtcCreateProgram.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * nvrtcResult nvrtcCreateProgram(nvrtcProgram *prog, const char *src, const char *name, int numHeaders, const char *const *headers, const char *const *includeNames)
     * }
     */
    public static MethodHandle nvrtcCreateProgram$handle() {
        return nvrtcCreateProgram.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * nvrtcResult nvrtcCreateProgram(nvrtcProgram *prog, const char *src, const char *name, int numHeaders, const char *const *headers, const char *const *includeNames)
     * }
     */
    public static MemorySegment nvrtcCreateProgram$address() {
        return nvrtcCreateProgram.ADDR;
    }

    /**
     * {@snippet lang=c :
     * nvrtcResult nvrtcCreateProgram(nvrtcProgram *prog, const char *src, const char *name, int numHeaders, const char *const *headers, const char *const *includeNames)
     * }
     */
    public static int nvrtcCreateProgram(MemorySegment prog, MemorySegment src, MemorySegment name, int numHeaders, MemorySegment headers, MemorySegment includeNames) {
        var mh$ = nvrtcCreateProgram.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("nvrtcCreateProgram", prog, src, name, numHeaders, headers, includeNames);
            }
            return (int)mh$.invokeExact(prog, src, name, numHeaders, headers, includeNames);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class nvrtcCompileProgram {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            nvrtc_h.C_INT,
            nvrtc_h.C_POINTER,
            nvrtc_h.C_INT,
            nvrtc_h.C_POINTER
        );

        public static final MemorySegment ADDR = nvrtc_h.findOrThrow("nvrtcCompileProgram");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * nvrtcResult nvrtcCompileProgram(nvrtcProgram prog, int numOptions, const char *const *options)
     * }
     */
    public static FunctionDescriptor nvrtcCompileProgram$descriptor() {
        return nvrtcCompileProgram.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * nvrtcResult nvrtcCompileProgram(nvrtcProgram prog, int numOptions, const char *const *options)
     * }
     */
    public static MethodHandle nvrtcCompileProgram$handle() {
        return nvrtcCompileProgram.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * nvrtcResult nvrtcCompileProgram(nvrtcProgram prog, int numOptions, const char *const *options)
     * }
     */
    public static MemorySegment nvrtcCompileProgram$address() {
        return nvrtcCompileProgram.ADDR;
    }

    /**
     * {@snippet lang=c :
     * nvrtcResult nvrtcCompileProgram(nvrtcProgram prog, int numOptions, const char *const *options)
     * }
     */
    public static int nvrtcCompileProgram(MemorySegment prog, int numOptions, MemorySegment options) {
        var mh$ = nvrtcCompileProgram.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("nvrtcCompileProgram", prog, numOptions, options);
            }
            return (int)mh$.invokeExact(prog, numOptions, options);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class nvrtcGetProgramLogSize {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            nvrtc_h.C_INT,
            nvrtc_h.C_POINTER,
            nvrtc_h.C_POINTER
        );

        public static final MemorySegment ADDR = nvrtc_h.findOrThrow("nvrtcGetProgramLogSize");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * nvrtcResult nvrtcGetProgramLogSize(nvrtcProgram prog, size_t *logSizeRet)
     * }
     */
    public static FunctionDescriptor nvrtcGetProgramLogSize$descriptor() {
        return nvrtcGetProgramLogSize.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * nvrtcResult nvrtcGetProgramLogSize(nvrtcProgram prog, size_t *logSizeRet)
     * }
     */
    public static MethodHandle nvrtcGetProgramLogSize$handle() {
        return nvrtcGetProgramLogSize.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * nvrtcResult nvrtcGetProgramLogSize(nvrtcProgram prog, size_t *logSizeRet)
     * }
     */
    public static MemorySegment nvrtcGetProgramLogSize$address() {
        return nvrtcGetProgramLogSize.ADDR;
    }

    /**
     * {@snippet lang=c :
     * nvrtcResult nvrtcGetProgramLogSize(nvrtcProgram prog, size_t *logSizeRet)
     * }
     */
    public static int nvrtcGetProgramLogSize(MemorySegment prog, MemorySegment logSizeRet) {
        var mh$ = nvrtcGetProgramLogSize.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("nvrtcGetProgramLogSize", prog, logSizeRet);
            }
            return (int)mh$.invokeExact(prog, logSizeRet);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class nvrtcGetProgramLog {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            nvrtc_h.C_INT,
            nvrtc_h.C_POINTER,
            nvrtc_h.C_POINTER
        );

        public static final MemorySegment ADDR = nvrtc_h.findOrThrow("nvrtcGetProgramLog");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * nvrtcResult nvrtcGetProgramLog(nvrtcProgram prog, char *log)
     * }
     */
    public static FunctionDescriptor nvrtcGetProgramLog$descriptor() {
        return nvrtcGetProgramLog.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * nvrtcResult nvrtcGetProgramLog(nvrtcProgram prog, char *log)
     * }
     */
    public static MethodHandle nvrtcGetProgramLog$handle() {
        return nvrtcGetProgramLog.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * nvrtcResult nvrtcGetProgramLog(nvrtcProgram prog, char *log)
     * }
     */
    public static MemorySegment nvrtcGetProgramLog$address() {
        return nvrtcGetProgramLog.ADDR;
    }

    /**
     * {@snippet lang=c :
     * nvrtcResult nvrtcGetProgramLog(nvrtcProgram prog, char *log)
     * }
     */
    public static int nvrtcGetProgramLog(MemorySegment prog, MemorySegment log) {
        var mh$ = nvrtcGetProgramLog.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("nvrtcGetProgramLog", prog, log);
            }
            return (int)mh$.invokeExact(prog, log);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class nvrtcGetPTXSize {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            nvrtc_h.C_INT,
            nvrtc_h.C_POINTER,
            nvrtc_h.C_POINTER
        );

        public static final MemorySegment ADDR = nvrtc_h.findOrThrow("nvrtcGetPTXSize");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * nvrtcResult nvrtcGetPTXSize(nvrtcProgram prog, size_t *ptxSizeRet)
     * }
     */
    public static FunctionDescriptor nvrtcGetPTXSize$descriptor() {
        return nvrtcGetPTXSize.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * nvrtcResult nvrtcGetPTXSize(nvrtcProgram prog, size_t *ptxSizeRet)
     * }
     */
    public static MethodHandle nvrtcGetPTXSize$handle() {
        return nvrtcGetPTXSize.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * nvrtcResult nvrtcGetPTXSize(nvrtcProgram prog, size_t *ptxSizeRet)
     * }
     */
    public static MemorySegment nvrtcGetPTXSize$address() {
        return nvrtcGetPTXSize.ADDR;
    }

    /**
     * {@snippet lang=c :
     * nvrtcResult nvrtcGetPTXSize(nvrtcProgram prog, size_t *ptxSizeRet)
     * }
     */
    public static int nvrtcGetPTXSize(MemorySegment prog, MemorySegment ptxSizeRet) {
        var mh$ = nvrtcGetPTXSize.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("nvrtcGetPTXSize", prog, ptxSizeRet);
            }
            return (int)mh$.invokeExact(prog, ptxSizeRet);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class nvrtcGetPTX {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            nvrtc_h.C_INT,
            nvrtc_h.C_POINTER,
            nvrtc_h.C_POINTER
        );

        public static final MemorySegment ADDR = nvrtc_h.findOrThrow("nvrtcGetPTX");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * nvrtcResult nvrtcGetPTX(nvrtcProgram prog, char *ptx)
     * }
     */
    public static FunctionDescriptor nvrtcGetPTX$descriptor() {
        return nvrtcGetPTX.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * nvrtcResult nvrtcGetPTX(nvrtcProgram prog, char *ptx)
     * }
     */
    public static MethodHandle nvrtcGetPTX$handle() {
        return nvrtcGetPTX.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * nvrtcResult nvrtcGetPTX(nvrtcProgram prog, char *ptx)
     * }
     */
    public static MemorySegment nvrtcGetPTX$address() {
        return nvrtcGetPTX.ADDR;
    }

    /**
     * {@snippet lang=c :
     * nvrtcResult nvrtcGetPTX(nvrtcProgram prog, char *ptx)
     * }
     */
    public static int nvrtcGetPTX(MemorySegment prog, MemorySegment ptx) {
        var mh$ = nvrtcGetPTX.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("nvrtcGetPTX", prog, ptx);
            }
            return (int)mh$.invokeExact(prog, ptx);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class nvrtcGetCUBINSize {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            nvrtc_h.C_INT,
            nvrtc_h.C_POINTER,
            nvrtc_h.C_POINTER
        );

        public static final MemorySegment ADDR = nvrtc_h.findOrThrow("nvrtcGetCUBINSize");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * nvrtcResult nvrtcGetCUBINSize(nvrtcProgram prog, size_t *cubinSizeRet)
     * }
     */
    public static FunctionDescriptor nvrtcGetCUBINSize$descriptor() {
        return nvrtcGetCUBINSize.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * nvrtcResult nvrtcGetCUBINSize(nvrtcProgram prog, size_t *cubinSizeRet)
     * }
     */
    public static MethodHandle nvrtcGetCUBINSize$handle() {
        return nvrtcGetCUBINSize.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * nvrtcResult nvrtcGetCUBINSize(nvrtcProgram prog, size_t *cubinSizeRet)
     * }
     */
    public static MemorySegment nvrtcGetCUBINSize$address() {
        return nvrtcGetCUBINSize.ADDR;
    }

    /**
     * {@snippet lang=c :
     * nvrtcResult nvrtcGetCUBINSize(nvrtcProgram prog, size_t *cubinSizeRet)
     * }
     */
    public static int nvrtcGetCUBINSize(MemorySegment prog, MemorySegment cubinSizeRet) {
        var mh$ = nvrtcGetCUBINSize.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("nvrtcGetCUBINSize", prog, cubinSizeRet);
            }
            return (int)mh$.invokeExact(prog, cubinSizeRet);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class nvrtcGetCUBIN {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            nvrtc_h.C_INT,
            nvrtc_h.C_POINTER,
            nvrtc_h.C_POINTER
        );

        public static final MemorySegment ADDR = nvrtc_h.findOrThrow("nvrtcGetCUBIN");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * nvrtcResult nvrtcGetCUBIN(nvrtcProgram prog, char *cubin)
     * }
     */
    public static FunctionDescriptor nvrtcGetCUBIN$descriptor() {
        return nvrtcGetCUBIN.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * nvrtcResult nvrtcGetCUBIN(nvrtcProgram prog, char *cubin)
     * }
     */
    public static MethodHandle nvrtcGetCUBIN$handle() {
        return nvrtcGetCUBIN.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * nvrtcResult nvrtcGetCUBIN(nvrtcProgram prog, char *cubin)
     * }
     */
    public static MemorySegment nvrtcGetCUBIN$address() {
        return nvrtcGetCUBIN.ADDR;
    }

    /**
     * {@snippet lang=c :
     * nvrtcResult nvrtcGetCUBIN(nvrtcProgram prog, char *cubin)
     * }
     */
    public static int nvrtcGetCUBIN(MemorySegment prog, MemorySegment cubin) {
        var mh$ = nvrtcGetCUBIN.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("nvrtcGetCUBIN", prog, cubin);
            }
            return (int)mh$.invokeExact(prog, cubin);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class nvrtcDestroyProgram {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            nvrtc_h.C_INT,
            nvrtc_h.C_POINTER
        );

        public static final MemorySegment ADDR = nvrtc_h.findOrThrow("nvrtcDestroyProgram");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * nvrtcResult nvrtcDestroyProgram(nvrtcProgram *prog)
     * }
     */
    public static FunctionDescriptor nvrtcDestroyProgram$descriptor() {
        return nvrtcDestroyProgram.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * nvrtcResult nvrtcDestroyProgram(nvrtcProgram *prog)
     * }
     */
    public static MethodHandle nvrtcDestroyProgram$handle() {
        return nvrtcDestroyProgram.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * nvrtcResult nvrtcDestroyProgram(nvrtcProgram *prog)
     * }
     */
    public static MemorySegment nvrtcDestroyProgram$address() {
        return nvrtcDestroyProgram.ADDR;
    }

    /**
     * {@snippet lang=c :
     * nvrtcResult nvrtcDestroyProgram(nvrtcProgram *prog)
     * }
     */
    public static int nvrtcDestroyProgram(MemorySegment prog) {
        var mh$ = nvrtcDestroyProgram.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("nvrtcDestroyProgram", prog);
            }
            return (int)mh$.invokeExact(prog);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final int NVRTC_SUCCESS = (int)0L;
    /**
     * {@snippet lang=c :
     * enum nvrtcResult.NVRTC_SUCCESS = 0
     * }
     */
    public static int NVRTC_SUCCESS() {
        return NVRTC_SUCCESS;
    }
    private static final int NVRTC_ERROR_OUT_OF_MEMORY = (int)1L;
    /**
     * {@snippet lang=c :
     * enum nvrtcResult.NVRTC_ERROR_OUT_OF_MEMORY = 1
     * }
     */
    public static int NVRTC_ERROR_OUT_OF_MEMORY() {
        return NVRTC_ERROR_OUT_OF_MEMORY;
    }
    private static final int NVRTC_ERROR_PROGRAM_CREATION_FAILURE = (int)2L;
    /**
     * {@snippet lang=c :
     * enum nvrtcResult.NVRTC_ERROR_PROGRAM_CREATION_FAILURE = 2
     * }
     */
    public static int NVRTC_ERROR_PROGRAM_CREATION_FAILURE() {
        return NVRTC_ERROR_PROGRAM_CREATION_FAILURE;
    }
    private static final int NVRTC_ERROR_INVALID_INPUT = (int)3L;
    /**
     * {@snippet lang=c :
     * enum nvrtcResult.NVRTC_ERROR_INVALID_INPUT = 3
     * }
     */
    public static int NVRTC_ERROR_INVALID_INPUT() {
        return NVRTC_ERROR_INVALID_INPUT;
    }
    private static final int NVRTC_ERROR_INVALID_PROGRAM = (int)4L;
    /**
     * {@snippet lang=c :
     * enum nvrtcResult.NVRTC_ERROR_INVALID_PROGRAM = 4
     * }
     */
    public static int NVRTC_ERROR_INVALID_PROGRAM() {
        return NVRTC_ERROR_INVALID_PROGRAM;
    }
    private static final int NVRTC_ERROR_INVALID_OPTION = (int)5L;
    /**
     * {@snippet lang=c :
     * enum nvrtcResult.NVRTC_ERROR_INVALID_OPTION = 5
     * }
     */
    public static int NVRTC_ERROR_INVALID_OPTION() {
        return NVRTC_ERROR_INVALID_OPTION;
    }
    private static final int NVRTC_ERROR_COMPILATION = (int)6L;
    /**
     * {@snippet lang=c :
     * enum nvrtcResult.NVRTC_ERROR_COMPILATION = 6
     * }
     */
    public static int NVRTC_ERROR_COMPILATION() {
        return NVRTC_ERROR_COMPILATION;
    }
    private static final int NVRTC_ERROR_BUILTIN_OPERATION_FAILURE = (int)7L;
    /**
     * {@snippet lang=c :
     * enum nvrtcResult.NVRTC_ERROR_BUILTIN_OPERATION_FAILURE = 7
     * }
     */
    public static int NVRTC_ERROR_BUILTIN_OPERATION_FAILURE() {
        return NVRTC_ERROR_BUILTIN_OPERATION_FAILURE;
    }
    private static final int NVRTC_ERROR_NO_NAME_EXPRESSIONS_AFTER_COMPILATION = (int)8L;
    /**
     * {@snippet lang=c :
     * enum nvrtcResult.NVRTC_ERROR_NO_NAME_EXPRESSIONS_AFTER_COMPILATION = 8
     * }
     */
    public static int NVRTC_ERROR_NO_NAME_EXPRESSIONS_AFTER_COMPILATION() {
        return NVRTC_ERROR_NO_NAME_EXPRESSIONS_AFTER_COMPILATION;
    }
    private static final int NVRTC_ERROR_NO_LOWERED_NAMES_BEFORE_COMPILATION = (int)9L;
    /**
     * {@snippet lang=c :
     * enum nvrtcResult.NVRTC_ERROR_NO_LOWERED_NAMES_BEFORE_COMPILATION = 9
     * }
     */
    public static int NVRTC_ERROR_NO_LOWERED_NAMES_BEFORE_COMPILATION() {
        return NVRTC_ERROR_NO_LOWERED_NAMES_BEFORE_COMPILATION;
    }
    private static final int NVRTC_ERROR_NAME_EXPRESSION_NOT_VALID = (int)10L;
    /**
     * {@snippet lang=c :
     * enum nvrtcResult.NVRTC_ERROR_NAME_EXPRESSION_NOT_VALID = 10
     * }
     */
    public static int NVRTC_ERROR_NAME_EXPRESSION_NOT_VALID() {
        return NVRTC_ERROR_NAME_EXPRESSION_NOT_VALID;
    }
    private static final int NVRTC_ERROR_INTERNAL_ERROR = (int)11L;
    /**
     * {@snippet lang=c :
     * enum nvrtcResult.NVRTC_ERROR_INTERNAL_ERROR = 11
     * }
     */
    public static int NVRTC_ERROR_INTERNAL_ERROR() {
        return NVRTC_ERROR_INTERNAL_ERROR;
    }
}
