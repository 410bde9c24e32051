// Bindings for the cuBLAS calls nvae uses, in the shape jextract emits for cublas_v2.h. Written by hand from
// NVIDIA's cublas_api.h and library_types.h (CUDA 12/13; no cuBLAS header is installed where this was
// written); the symbols are listed in ffm-bindings/jextract-includes-cublas.txt, and HeaderConsistencyTest
// checks them against whichever of those headers is installed. cublas_v2.h maps cublasCreate & co. to the
// exported *_v2 names, which are the names bound here. The library comes from CudaLibraries.cublas().

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
public class cublas_v2_h {

    cublas_v2_h() {
        // Should not be called directly
    }

    static final boolean TRACE_DOWNCALLS = Boolean.getBoolean("jextract.trace.downcalls");

    static void traceDowncall(String name, Object... args) {
         String traceArgs = Arrays.stream(args)
                       .map(Object::toString)
                       .collect(Collectors.joining(", "));
         System.out.printf("%s(%s)\n", name, traceArgs);
    }

    // The libcublas CudaLibraries found; throws UnsatisfiedLinkError when there is none or it lacks the symbol.
    static MemorySegment findOrThrow(String symbol) {
        return CudaLibraries.symbol(CudaLibraries.CUBLAS, symbol);
    }

    public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    public static final AddressLayout C_POINTER = ValueLayout.ADDRESS
            .withTargetLayout(MemoryLayout.sequenceLayout(java.lang.Long.MAX_VALUE, JAVA_BYTE));
    public static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;

    /** {@snippet lang=c : typedef enum cublasStatus_t cublasStatus_t } */
    public static final ValueLayout.OfInt cublasStatus_t = cublas_v2_h.C_INT;

    /** {@snippet lang=c : typedef struct cublasContext *cublasHandle_t } */
    public static final AddressLayout cublasHandle_t = cublas_v2_h.C_POINTER;

    private static class cublasCreate_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cublas_v2_h.C_INT,
            cublas_v2_h.C_POINTER
        );

        public static final MemorySegment ADDR = cublas_v2_h.findOrThrow("cublasCreate_v2");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * cublasStatus_t CUBLASWINAPI cublasCreate_v2(cublasHandle_t *handle)
     * }
     */
    public static FunctionDescriptor cublasCreate_v2$descriptor() {
        return cublasCreate_v2.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * cublasStatus_t CUBLASWINAPI cublasCreate_v2(cublasHandle_t *handle)
     * }
     */
    public static MethodHandle cublasCreate_v2$handle() {
        return cublasCreate_v2.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * cublasStatus_t CUBLASWINAPI cublasCreate_v2(cublasHandle_t *handle)
     * }
     */
    public static MemorySegment cublasCreate_v2$address() {
        return cublasCreate_v2.ADDR;
    }

    /**
     * {@snippet lang=c :
     * cublasStatus_t CUBLASWINAPI cublasCreate_v2(cublasHandle_t *handle)
     * }
     */
    public static int cublasCreate_v2(MemorySegment handle) {
        var mh$ = cublasCreate_v2.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cublasCreate_v2", handle);
            }
            return (int)mh$.invokeExact(handle);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class cublasDestroy_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cublas_v2_h.C_INT,
            cublas_v2_h.C_POINTER
        );

        public static final MemorySegment ADDR = cublas_v2_h.findOrThrow("cublasDestroy_v2");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * cublasStatus_t CUBLASWINAPI cublasDestroy_v2(cublasHandle_t handle)
     * }
     */
    public static FunctionDescriptor cublasDestroy_v2$descriptor() {
        return cublasDestroy_v2.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * cublasStatus_t CUBLASWINAPI cublasDestroy_v2(cublasHandle_t handle)
     * }
     */
    public static MethodHandle cublasDestroy_v2$handle() {
        return cublasDestroy_v2.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * cublasStatus_t CUBLASWINAPI cublasDestroy_v2(cublasHandle_t handle)
     * }
     */
    public static MemorySegment cublasDestroy_v2$address() {
        return cublasDestroy_v2.ADDR;
    }

    /**
     * {@snippet lang=c :
     * cublasStatus_t CUBLASWINAPI cublasDestroy_v2(cublasHandle_t handle)
     * }
     */
    public static int cublasDestroy_v2(MemorySegment handle) {
        var mh$ = cublasDestroy_v2.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cublasDestroy_v2", handle);
            }
            return (int)mh$.invokeExact(handle);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class cublasGetVersion_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cublas_v2_h.C_INT,
            cublas_v2_h.C_POINTER,
            cublas_v2_h.C_POINTER
        );

        public static final MemorySegment ADDR = cublas_v2_h.findOrThrow("cublasGetVersion_v2");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * cublasStatus_t CUBLASWINAPI cublasGetVersion_v2(cublasHandle_t handle, int *version)
     * }
     */
    public static FunctionDescriptor cublasGetVersion_v2$descriptor() {
        return cublasGetVersion_v2.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * cublasStatus_t CUBLASWINAPI cublasGetVersion_v2(cublasHandle_t handle, int *version)
     * }
     */
    public static MethodHandle cublasGetVersion_v2$handle() {
        return cublasGetVersion_v2.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * cublasStatus_t CUBLASWINAPI cublasGetVersion_v2(cublasHandle_t handle, int *version)
     * }
     */
    public static MemorySegment cublasGetVersion_v2$address() {
        return cublasGetVersion_v2.ADDR;
    }

    /**
     * {@snippet lang=c :
     * cublasStatus_t CUBLASWINAPI cublasGetVersion_v2(cublasHandle_t handle, int *version)
     * }
     */
    public static int cublasGetVersion_v2(MemorySegment handle, MemorySegment version) {
        var mh$ = cublasGetVersion_v2.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cublasGetVersion_v2", handle, version);
            }
            return (int)mh$.invokeExact(handle, version);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class cublasSetStream_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cublas_v2_h.C_INT,
            cublas_v2_h.C_POINTER,
            cublas_v2_h.C_POINTER
        );

        public static final MemorySegment ADDR = cublas_v2_h.findOrThrow("cublasSetStream_v2");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * cublasStatus_t CUBLASWINAPI cublasSetStream_v2(cublasHandle_t handle, cudaStream_t streamId)
     * }
     */
    public static FunctionDescriptor cublasSetStream_v2$descriptor() {
        return cublasSetStream_v2.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * cublasStatus_t CUBLASWINAPI cublasSetStream_v2(cublasHandle_t handle, cudaStream_t streamId)
     * }
     */
    public static MethodHandle cublasSetStream_v2$handle() {
        return cublasSetStream_v2.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * cublasStatus_t CUBLASWINAPI cublasSetStream_v2(cublasHandle_t handle, cudaStream_t streamId)
     * }
     */
    public static MemorySegment cublasSetStream_v2$address() {
        return cublasSetStream_v2.ADDR;
    }

    /**
     * {@snippet lang=c :
     * cublasStatus_t CUBLASWINAPI cublasSetStream_v2(cublasHandle_t handle, cudaStream_t streamId)
     * }
     */
    public static int cublasSetStream_v2(MemorySegment handle, MemorySegment streamId) {
        var mh$ = cublasSetStream_v2.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cublasSetStream_v2", handle, streamId);
            }
            return (int)mh$.invokeExact(handle, streamId);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class cublasGetStatusName {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cublas_v2_h.C_POINTER,
            cublas_v2_h.C_INT
        );

        public static final MemorySegment ADDR = cublas_v2_h.findOrThrow("cublasGetStatusName");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * const char *CUBLASWINAPI cublasGetStatusName(cublasStatus_t status)
     * }
     */
    public static FunctionDescriptor cublasGetStatusName$descriptor() {
        return cublasGetStatusName.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * const char *CUBLASWINAPI cublasGetStatusName(cublasStatus_t status)
     * }
     */
    public static MethodHandle cublasGetStatusName$handle() {
        return cublasGetStatusName.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * const char *CUBLASWINAPI cublasGetStatusName(cublasStatus_t status)
     * }
     */
    public static MemorySegment cublasGetStatusName$address() {
        return cublasGetStatusName.ADDR;
    }

    /**
     * {@snippet lang=c :
     * const char *CUBLASWINAPI cublasGetStatusName(cublasStatus_t status)
     * }
     */
    public static MemorySegment cublasGetStatusName(int status) {
        var mh$ = cublasGetStatusName.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cublasGetStatusName", status);
            }
            return (MemorySegment)mh$.invokeExact(status);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class cublasGetStatusString {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cublas_v2_h.C_POINTER,
            cublas_v2_h.C_INT
        );

        public static final MemorySegment ADDR = cublas_v2_h.findOrThrow("cublasGetStatusString");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * const char *CUBLASWINAPI cublasGetStatusString(cublasStatus_t status)
     * }
     */
    public static FunctionDescriptor cublasGetStatusString$descriptor() {
        return cublasGetStatusString.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * const char *CUBLASWINAPI cublasGetStatusString(cublasStatus_t status)
     * }
     */
    public static MethodHandle cublasGetStatusString$handle() {
        return cublasGetStatusString.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * const char *CUBLASWINAPI cublasGetStatusString(cublasStatus_t status)
     * }
     */
    public static MemorySegment cublasGetStatusString$address() {
        return cublasGetStatusString.ADDR;
    }

    /**
     * {@snippet lang=c :
     * const char *CUBLASWINAPI cublasGetStatusString(cublasStatus_t status)
     * }
     */
    public static MemorySegment cublasGetStatusString(int status) {
        var mh$ = cublasGetStatusString.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cublasGetStatusString", status);
            }
            return (MemorySegment)mh$.invokeExact(status);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class cublasSgemm_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cublas_v2_h.C_INT,
            cublas_v2_h.C_POINTER,
            cublas_v2_h.C_INT,
            cublas_v2_h.C_INT,
            cublas_v2_h.C_INT,
            cublas_v2_h.C_INT,
            cublas_v2_h.C_INT,
            cublas_v2_h.C_POINTER,
            cublas_v2_h.C_POINTER,
            cublas_v2_h.C_INT,
            cublas_v2_h.C_POINTER,
            cublas_v2_h.C_INT,
            cublas_v2_h.C_POINTER,
            cublas_v2_h.C_POINTER,
            cublas_v2_h.C_INT
        );

        public static final MemorySegment ADDR = cublas_v2_h.findOrThrow("cublasSgemm_v2");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * cublasStatus_t CUBLASWINAPI cublasSgemm_v2(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k, const float *alpha, const float *A, int lda, const float *B, int ldb, const float *beta, float *C, int ldc)
     * }
     */
    public static FunctionDescriptor cublasSgemm_v2$descriptor() {
        return cublasSgemm_v2.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * cublasStatus_t CUBLASWINAPI cublasSgemm_v2(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k, const float *alpha, const float *A, int lda, const float *B, int ldb, const float *beta, float *C, int ldc)
     * }
     */
    public static MethodHandle cublasSgemm_v2$handle() {
        return cublasSgemm_v2.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * cublasStatus_t CUBLASWINAPI cublasSgemm_v2(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k, const float *alpha, const float *A, int lda, const float *B, int ldb, const float *beta, float *C, int ldc)
     * }
     */
    public static MemorySegment cublasSgemm_v2$address() {
        return cublasSgemm_v2.ADDR;
    }

    /**
     * {@snippet lang=c :
     * cublasStatus_t CUBLASWINAPI cublasSgemm_v2(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k, const float *alpha, const float *A, int lda, const float *B, int ldb, const float *beta, float *C, int ldc)
     * }
     */
    public static int cublasSgemm_v2(MemorySegment handle, int transa, int transb, int m, int n, int k, MemorySegment alpha, MemorySegment A, int lda, MemorySegment B, int ldb, MemorySegment beta, MemorySegment C, int ldc) {
        var mh$ = cublasSgemm_v2.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cublasSgemm_v2", handle, transa, transb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
            }
            return (int)mh$.invokeExact(handle, transa, transb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }
    private static class cublasGemmEx {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cublas_v2_h.C_INT,
            cublas_v2_h.C_POINTER,
            cublas_v2_h.C_INT,
            cublas_v2_h.C_INT,
            cublas_v2_h.C_INT,
            cublas_v2_h.C_INT,
            cublas_v2_h.C_INT,
            cublas_v2_h.C_POINTER,
            cublas_v2_h.C_POINTER,
            cublas_v2_h.C_INT,
            cublas_v2_h.C_INT,
            cublas_v2_h.C_POINTER,
            cublas_v2_h.C_INT,
            cublas_v2_h.C_INT,
            cublas_v2_h.C_POINTER,
            cublas_v2_h.C_POINTER,
            cublas_v2_h.C_INT,
            cublas_v2_h.C_INT,
            cublas_v2_h.C_INT,
            cublas_v2_h.C_INT
        );

        public static final MemorySegment ADDR = cublas_v2_h.findOrThrow("cublasGemmEx");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * cublasStatus_t CUBLASWINAPI cublasGemmEx(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k, const void *alpha, const void *A, cudaDataType Atype, int lda, const void *B, cudaDataType Btype, int ldb, const void *beta, void *C, cudaDataType Ctype, int ldc, cublasComputeType_t computeType, cublasGemmAlgo_t algo)
     * }
     */
    public static FunctionDescriptor cublasGemmEx$descriptor() {
        return cublasGemmEx.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * cublasStatus_t CUBLASWINAPI cublasGemmEx(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k, const void *alpha, const void *A, cudaDataType Atype, int lda, const void *B, cudaDataType Btype, int ldb, const void *beta, void *C, cudaDataType Ctype, int ldc, cublasComputeType_t computeType, cublasGemmAlgo_t algo)
     * }
     */
    public static MethodHandle cublasGemmEx$handle() {
        return cublasGemmEx.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * cublasStatus_t CUBLASWINAPI cublasGemmEx(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k, const void *alpha, const void *A, cudaDataType Atype, int lda, const void *B, cudaDataType Btype, int ldb, const void *beta, void *C, cudaDataType Ctype, int ldc, cublasComputeType_t computeType, cublasGemmAlgo_t algo)
     * }
     */
    public static MemorySegment cublasGemmEx$address() {
        return cublasGemmEx.ADDR;
    }

    /**
     * {@snippet lang=c :
     * cublasStatus_t CUBLASWINAPI cublasGemmEx(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k, const void *alpha, const void *A, cudaDataType Atype, int lda, const void *B, cudaDataType Btype, int ldb, const void *beta, void *C, cudaDataType Ctype, int ldc, cublasComputeType_t computeType, cublasGemmAlgo_t algo)
     * }
     */
    public static int cublasGemmEx(MemorySegment handle, int transa, int transb, int m, int n, int k, MemorySegment alpha, MemorySegment A, int Atype, int lda, MemorySegment B, int Btype, int ldb, MemorySegment beta, MemorySegment C, int Ctype, int ldc, int computeType, int algo) {
        var mh$ = cublasGemmEx.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cublasGemmEx", handle, transa, transb, m, n, k, alpha, A, Atype, lda, B, Btype, ldb, beta, C, Ctype, ldc, computeType, algo);
            }
            return (int)mh$.invokeExact(handle, transa, transb, m, n, k, alpha, A, Atype, lda, B, Btype, ldb, beta, C, Ctype, ldc, computeType, algo);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final int CUBLAS_STATUS_SUCCESS = (int)0L;
    /**
     * {@snippet lang=c :
     * enum cublasStatus_t.CUBLAS_STATUS_SUCCESS = 0
     * }
     */
    public static int CUBLAS_STATUS_SUCCESS() {
        return CUBLAS_STATUS_SUCCESS;
    }
    private static final int CUBLAS_STATUS_NOT_INITIALIZED = (int)1L;
    /**
     * {@snippet lang=c :
     * enum cublasStatus_t.CUBLAS_STATUS_NOT_INITIALIZED = 1
     * }
     */
    public static int CUBLAS_STATUS_NOT_INITIALIZED() {
        return CUBLAS_STATUS_NOT_INITIALIZED;
    }
    private static final int CUBLAS_STATUS_ALLOC_FAILED = (int)3L;
    /**
     * {@snippet lang=c :
     * enum cublasStatus_t.CUBLAS_STATUS_ALLOC_FAILED = 3
     * }
     */
    public static int CUBLAS_STATUS_ALLOC_FAILED() {
        return CUBLAS_STATUS_ALLOC_FAILED;
    }
    private static final int CUBLAS_STATUS_INVALID_VALUE = (int)7L;
    /**
     * {@snippet lang=c :
     * enum cublasStatus_t.CUBLAS_STATUS_INVALID_VALUE = 7
     * }
     */
    public static int CUBLAS_STATUS_INVALID_VALUE() {
        return CUBLAS_STATUS_INVALID_VALUE;
    }
    private static final int CUBLAS_STATUS_ARCH_MISMATCH = (int)8L;
    /**
     * {@snippet lang=c :
     * enum cublasStatus_t.CUBLAS_STATUS_ARCH_MISMATCH = 8
     * }
     */
    public static int CUBLAS_STATUS_ARCH_MISMATCH() {
        return CUBLAS_STATUS_ARCH_MISMATCH;
    }
    private static final int CUBLAS_STATUS_MAPPING_ERROR = (int)11L;
    /**
     * {@snippet lang=c :
     * enum cublasStatus_t.CUBLAS_STATUS_MAPPING_ERROR = 11
     * }
     */
    public static int CUBLAS_STATUS_MAPPING_ERROR() {
        return CUBLAS_STATUS_MAPPING_ERROR;
    }
    private static final int CUBLAS_STATUS_EXECUTION_FAILED = (int)13L;
    /**
     * {@snippet lang=c :
     * enum cublasStatus_t.CUBLAS_STATUS_EXECUTION_FAILED = 13
     * }
     */
    public static int CUBLAS_STATUS_EXECUTION_FAILED() {
        return CUBLAS_STATUS_EXECUTION_FAILED;
    }
    private static final int CUBLAS_STATUS_INTERNAL_ERROR = (int)14L;
    /**
     * {@snippet lang=c :
     * enum cublasStatus_t.CUBLAS_STATUS_INTERNAL_ERROR = 14
     * }
     */
    public static int CUBLAS_STATUS_INTERNAL_ERROR() {
        return CUBLAS_STATUS_INTERNAL_ERROR;
    }
    private static final int CUBLAS_STATUS_NOT_SUPPORTED = (int)15L;
    /**
     * {@snippet lang=c :
     * enum cublasStatus_t.CUBLAS_STATUS_NOT_SUPPORTED = 15
     * }
     */
    public static int CUBLAS_STATUS_NOT_SUPPORTED() {
        return CUBLAS_STATUS_NOT_SUPPORTED;
    }
    private static final int CUBLAS_STATUS_LICENSE_ERROR = (int)16L;
    /**
     * {@snippet lang=c :
     * enum cublasStatus_t.CUBLAS_STATUS_LICENSE_ERROR = 16
     * }
     */
    public static int CUBLAS_STATUS_LICENSE_ERROR() {
        return CUBLAS_STATUS_LICENSE_ERROR;
    }
    private static final int CUBLAS_OP_N = (int)0L;
    /**
     * {@snippet lang=c :
     * enum cublasOperation_t.CUBLAS_OP_N = 0
     * }
     */
    public static int CUBLAS_OP_N() {
        return CUBLAS_OP_N;
    }
    private static final int CUBLAS_OP_T = (int)1L;
    /**
     * {@snippet lang=c :
     * enum cublasOperation_t.CUBLAS_OP_T = 1
     * }
     */
    public static int CUBLAS_OP_T() {
        return CUBLAS_OP_T;
    }
    private static final int CUBLAS_OP_C = (int)2L;
    /**
     * {@snippet lang=c :
     * enum cublasOperation_t.CUBLAS_OP_C = 2
     * }
     */
    public static int CUBLAS_OP_C() {
        return CUBLAS_OP_C;
    }
    private static final int CUBLAS_COMPUTE_32F = (int)68L;
    /**
     * {@snippet lang=c :
     * enum cublasComputeType_t.CUBLAS_COMPUTE_32F = 68
     * }
     */
    public static int CUBLAS_COMPUTE_32F() {
        return CUBLAS_COMPUTE_32F;
    }
    private static final int CUBLAS_GEMM_DEFAULT = (int)-1L;
    /**
     * {@snippet lang=c :
     * enum cublasGemmAlgo_t.CUBLAS_GEMM_DEFAULT = -1
     * }
     */
    public static int CUBLAS_GEMM_DEFAULT() {
        return CUBLAS_GEMM_DEFAULT;
    }
    private static final int CUDA_R_32F = (int)0L;
    /**
     * {@snippet lang=c :
     * enum cudaDataType_t.CUDA_R_32F = 0
     * }
     */
    public static int CUDA_R_32F() {
        return CUDA_R_32F;
    }
    private static final int CUDA_R_16F = (int)2L;
    /**
     * {@snippet lang=c :
     * enum cudaDataType_t.CUDA_R_16F = 2
     * }
     */
    public static int CUDA_R_16F() {
        return CUDA_R_16F;
    }
    private static final int CUDA_R_16BF = (int)14L;
    /**
     * {@snippet lang=c :
     * enum cudaDataType_t.CUDA_R_16BF = 14
     * }
     */
    public static int CUDA_R_16BF() {
        return CUDA_R_16BF;
    }
}
