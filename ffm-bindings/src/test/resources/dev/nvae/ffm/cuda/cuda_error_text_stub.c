/*
 * Test stub for CudaErrors: the error-text functions of the CUDA runtime, cuBLAS, NVRTC and the CUDA driver,
 * answering with texts that name the stub and the code, so that a test sees the library's own words in the
 * exception message. CudaStubs compiles it with gcc together with a generated file of weak do-nothing
 * definitions for every other function in the include lists (they return 999), so that one shared object can
 * stand in for all four libraries. Prototypes are written out: no CUDA header is needed.
 */
#include <stdio.h>

static const char *text(char *buf, size_t size, const char *what, int code) {
    snprintf(buf, size, "%s %d", what, code);
    return buf;
}

const char *cudaGetErrorString(int error) {
    static char buf[64];
    return text(buf, sizeof buf, "stub runtime text for", error);
}

const char *cudaGetErrorName(int error) {
    static char buf[64];
    return text(buf, sizeof buf, "stubCudaError", error);
}

const char *cublasGetStatusString(int status) {
    static char buf[64];
    return text(buf, sizeof buf, "stub cuBLAS text for", status);
}

const char *cublasGetStatusName(int status) {
    static char buf[64];
    return text(buf, sizeof buf, "STUB_CUBLAS_STATUS", status);
}

const char *nvrtcGetErrorString(int result) {
    static char buf[64];
    return text(buf, sizeof buf, "STUB_NVRTC_ERROR", result);
}

/* The driver answers through an out-pointer and refuses codes it does not know, as libcuda does. */
int cuGetErrorString(int error, const char **pStr) {
    static char buf[64];
    if (error == 12345) {
        return 1; /* CUDA_ERROR_INVALID_VALUE */
    }
    *pStr = text(buf, sizeof buf, "stub driver text for", error);
    return 0;
}

int cuGetErrorName(int error, const char **pStr) {
    static char buf[64];
    if (error == 12345) {
        return 1;
    }
    *pStr = text(buf, sizeof buf, "STUB_CUDA_ERROR", error);
    return 0;
}
