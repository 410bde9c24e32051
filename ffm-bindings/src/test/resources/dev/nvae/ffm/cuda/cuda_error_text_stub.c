/*
 * Test stub for CudaErrors: the error-text functions of the CUDA runtime, cuBLAS, NVRTC and the CUDA driver,
 * answering with texts that name the stub and the code, so that a test sees the library's own words in the
 * exception message. CudaStubs compiles it with gcc together with a generated file of weak do-nothing
 * definitions for every other function in the include lists (they return 999), so that one shared object can
 * stand in for all four libraries. Prototypes are written out: no CUDA header is needed.
 */
#include <stdio.h>

/* const char *name(int code): "<words> <code>" */
#define TEXT_FUNCTION(name, words)                                  \
    const char *name(int code) {                                    \
        static char buf[64];                                        \
        snprintf(buf, sizeof buf, "%s %d", words, code);            \
        return buf;                                                 \
    }

/* The driver answers through an out-pointer and refuses codes it does not know (here 12345), as libcuda does. */
#define OUT_TEXT_FUNCTION(name, words)                              \
    int name(int code, const char **out) {                          \
        static char buf[64];                                        \
        if (code == 12345) {                                        \
            return 1; /* CUDA_ERROR_INVALID_VALUE */                \
        }                                                           \
        snprintf(buf, sizeof buf, "%s %d", words, code);            \
        *out = buf;                                                 \
        return 0;                                                   \
    }

TEXT_FUNCTION(cudaGetErrorString, "stub runtime text for")
TEXT_FUNCTION(cudaGetErrorName, "stubCudaError")
TEXT_FUNCTION(cublasGetStatusString, "stub cuBLAS text for")
TEXT_FUNCTION(cublasGetStatusName, "STUB_CUBLAS_STATUS")
TEXT_FUNCTION(nvrtcGetErrorString, "STUB_NVRTC_ERROR")
OUT_TEXT_FUNCTION(cuGetErrorString, "stub driver text for")
OUT_TEXT_FUNCTION(cuGetErrorName, "STUB_CUDA_ERROR")
