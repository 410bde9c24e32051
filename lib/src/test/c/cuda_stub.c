// A CPU stand-in for the CUDA runtime, cuBLAS, NVRTC and the CUDA driver: the calls the cuda backend makes,
// done on the host, so that its orchestration — which buffer goes where, GEMM argument order, leading
// dimensions, transposes, launch arguments — is tested numerically against the vector backend on machines
// with no GPU (CI has none). Built by CudaStubLibrary with gcc during the test, one .so standing for all four
// libraries through the nvae.*.library overrides.
//
// It checks what a GPU would not forgive: "device" pointers come from cudaMalloc and every access a call
// makes must lie inside one such block (host memory handed to a kernel or a GEMM, a copy in the wrong
// direction, an extent past the end fail the call with an error, as CUDA would fault); fresh device memory
// is filled with NaN so that reading what was never written shows in the numbers. Kernels are the real
// kernels.cu compiled as C (NVAE_KERNEL and the thread indices below), launched by looping over the grid.
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { unsigned x, y, z; } nvae_dim3;
static __thread nvae_dim3 blockIdx, threadIdx, blockDim, gridDim;
static inline float __int_as_float(int bits) {
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}
#define NVAE_KERNEL static void
#define NVAE_DEVICE static inline
#define __restrict__ restrict
#include NVAE_KERNELS_SOURCE

// ---- device memory: a registry of blocks ------------------------------------------------------------------
typedef struct { char* base; size_t size; } block;
static block blocks[4096];
static int nblocks;
static long stub_calls[8];   // counters the test reads: see stub_counter()

enum { C_MALLOC, C_H2D, C_D2H, C_D2D, C_GEMM, C_LAUNCH, C_FREE, C_SYNC };

long stub_counter(int which) { return which >= 0 && which < 8 ? stub_calls[which] : -1; }
int stub_live_blocks(void) { return nblocks; }

static int find_block(const void* p, size_t bytes) {
    const char* c = (const char*) p;
    for (int i = 0; i < nblocks; i++) {
        if (c >= blocks[i].base && c + bytes <= blocks[i].base + blocks[i].size) return i;
    }
    return -1;
}

static int is_device(const void* p) { return find_block(p, 1) >= 0; }

// ---- CUDA runtime ---------------------------------------------------------------------------------------
enum { cudaSuccess = 0, cudaErrorInvalidValue = 1, cudaErrorMemoryAllocation = 2, cudaErrorInvalidDevicePointer = 17,
       cudaErrorLaunchFailure = 719 };
static int last_error;

static int fail(int code, const char* what) {
    fprintf(stderr, "cuda stub: %s\n", what);
    last_error = code;
    return code;
}

int cudaGetDeviceCount(int* n) { *n = 1; return 0; }
int cudaRuntimeGetVersion(int* v) { *v = 13000; return 0; }
int cudaDriverGetVersion(int* v) { *v = 13000; return 0; }
const char* cudaGetErrorString(int e) {
    switch (e) {
        case 0: return "no error";
        case 1: return "invalid argument";
        case 2: return "out of memory";
        case 17: return "invalid device pointer";
        default: return "unspecified launch failure";
    }
}
const char* cudaGetErrorName(int e) {
    switch (e) {
        case 0: return "cudaSuccess";
        case 1: return "cudaErrorInvalidValue";
        case 2: return "cudaErrorMemoryAllocation";
        case 17: return "cudaErrorInvalidDevicePointer";
        default: return "cudaErrorLaunchFailure";
    }
}
int cudaSetDevice(int d) { return d == 0 ? 0 : fail(cudaErrorInvalidValue, "cudaSetDevice: no such device"); }
int cudaDeviceGetAttribute(int* v, int attr, int dev) {
    (void) dev;
    *v = attr == 75 ? 9 : attr == 76 ? 0 : attr == 16 ? 4 : 0;
    return 0;
}
int cudaMemGetInfo(size_t* freeBytes, size_t* total) { *freeBytes = (size_t) 1 << 32; *total = (size_t) 1 << 33; return 0; }
int cudaMalloc(void** p, size_t size) {
    if (nblocks == 4096) return fail(cudaErrorMemoryAllocation, "cudaMalloc: too many blocks");
    char* b = aligned_alloc(256, (size + 255) / 256 * 256 + 256);
    if (!b) return fail(cudaErrorMemoryAllocation, "cudaMalloc: out of memory");
    memset(b, 0xff, size);   // NaN: reading what was never written shows
    blocks[nblocks].base = b;
    blocks[nblocks].size = size;
    nblocks++;
    stub_calls[C_MALLOC]++;
    *p = b;
    return 0;
}
int cudaFree(void* p) {
    if (!p) return 0;
    for (int i = 0; i < nblocks; i++) {
        if (blocks[i].base == p) {
            free(p);
            blocks[i] = blocks[--nblocks];
            stub_calls[C_FREE]++;
            return 0;
        }
    }
    return fail(cudaErrorInvalidDevicePointer, "cudaFree: not a cudaMalloc block");
}
int cudaMallocHost(void** p, size_t size) { *p = aligned_alloc(256, (size + 255) / 256 * 256); return *p ? 0 : 2; }
int cudaFreeHost(void* p) { free(p); return 0; }
int cudaHostRegister(void* p, size_t s, unsigned f) { (void) p; (void) s; (void) f; return 0; }
int cudaHostUnregister(void* p) { (void) p; return 0; }

int cudaMemcpy(void* dst, const void* src, size_t count, int kind) {
    if (count == 0) return 0;
    int dstDev = find_block(dst, count) >= 0, srcDev = find_block(src, count) >= 0;
    switch (kind) {
        case 1: if (!dstDev || is_device(src)) return fail(cudaErrorInvalidValue, "cudaMemcpy HostToDevice: bad pointers or extent"); stub_calls[C_H2D]++; break;
        case 2: if (!srcDev || is_device(dst)) return fail(cudaErrorInvalidValue, "cudaMemcpy DeviceToHost: bad pointers or extent"); stub_calls[C_D2H]++; break;
        case 3: if (!srcDev || !dstDev) return fail(cudaErrorInvalidValue, "cudaMemcpy DeviceToDevice: bad pointers or extent"); stub_calls[C_D2D]++; break;
        default: return fail(cudaErrorInvalidValue, "cudaMemcpy: the backend names every copy's direction");
    }
    memmove(dst, src, count);
    return 0;
}
int cudaMemcpyAsync(void* dst, const void* src, size_t count, int kind, void* stream) {
    (void) stream;
    return cudaMemcpy(dst, src, count, kind);
}
int cudaMemsetAsync(void* p, int value, size_t count, void* stream) {
    (void) stream;
    if (count && find_block(p, count) < 0) return fail(cudaErrorInvalidValue, "cudaMemsetAsync: not device memory");
    memset(p, value, count);
    return 0;
}
static int stream_token;
int cudaStreamCreate(void** s) { *s = &stream_token; return 0; }
int cudaStreamDestroy(void* s) { (void) s; return 0; }
int cudaStreamSynchronize(void* s) { (void) s; stub_calls[C_SYNC]++; return 0; }
int cudaEventCreate(void** e) { *e = malloc(8); return 0; }
int cudaEventRecord(void* e, void* s) { (void) e; (void) s; return 0; }
int cudaEventSynchronize(void* e) { (void) e; return 0; }
int cudaEventElapsedTime(float* ms, void* a, void* b) { (void) a; (void) b; *ms = 0; return 0; }
int cudaEventDestroy(void* e) { free(e); return 0; }
int cudaDeviceSynchronize(void) { return 0; }
int cudaGetLastError(void) { int e = last_error; last_error = 0; return e; }

// ---- cuBLAS: a plain column-major SGEMM -------------------------------------------------------------------
static int blas_token;
int cublasCreate_v2(void** h) { *h = &blas_token; return 0; }
int cublasDestroy_v2(void* h) { (void) h; return 0; }
int cublasSetStream_v2(void* h, void* s) { (void) h; (void) s; return 0; }
int cublasGetVersion_v2(void* h, int* v) { (void) h; *v = 130000; return 0; }
const char* cublasGetStatusString(int s) { return s == 0 ? "success" : s == 7 ? "invalid value" : "an invalid numeric value was used as an argument"; }
const char* cublasGetStatusName(int s) { return s == 0 ? "CUBLAS_STATUS_SUCCESS" : "CUBLAS_STATUS_INVALID_VALUE"; }

// The extent a column-major matrix of `rows` x `cols` with leading dimension ld covers.
static int covers(const float* p, int rows, int cols, int ld) {
    if (rows == 0 || cols == 0) return 1;
    return find_block(p, ((size_t) (cols - 1) * ld + rows) * sizeof(float)) >= 0;
}

int cublasSgemm_v2(void* h, int ta, int tb, int m, int n, int k, const float* alpha, const float* A, int lda,
                   const float* B, int ldb, const float* beta, float* C, int ldc) {
    (void) h;
    if (m < 0 || n < 0 || k < 0 || (ta != 0 && ta != 1) || (tb != 0 && tb != 1)) return 7;
    if (lda < (ta ? k : m) || ldb < (tb ? n : k) || ldc < m || lda < 1 || ldb < 1 || ldc < 1) {
        fprintf(stderr, "cuda stub: cublasSgemm_v2: leading dimension too small (m %d n %d k %d lda %d ldb %d ldc %d)\n",
                m, n, k, lda, ldb, ldc);
        return 7;
    }
    if (is_device(alpha) || is_device(beta)) return 7;   // the backend passes scalars from the host
    if ((k > 0 && !covers(A, ta ? k : m, ta ? m : k, lda)) || (k > 0 && !covers(B, tb ? n : k, tb ? k : n, ldb))
        || !covers(C, m, n, ldc)) {
        fprintf(stderr, "cuda stub: cublasSgemm_v2: an operand is not device memory or runs past its block\n");
        return 14;
    }
    stub_calls[C_GEMM]++;
    for (int j = 0; j < n; j++) {
        for (int i = 0; i < m; i++) {
            double s = 0;
            for (int p = 0; p < k; p++) {
                float a = ta ? A[(size_t) i * lda + p] : A[(size_t) p * lda + i];
                float b = tb ? B[(size_t) p * ldb + j] : B[(size_t) j * ldb + p];
                s += (double) a * b;
            }
            float* c = &C[(size_t) j * ldc + i];
            *c = (float) (*alpha * s + (*beta == 0.0f ? 0.0f : *beta * *c));   // beta 0: C is not read (may be NaN)
        }
    }
    return 0;
}

int cublasGemmEx(void* h, int ta, int tb, int m, int n, int k, const void* alpha, const void* A, int at, int lda,
                 const void* B, int bt, int ldb, const void* beta, void* C, int ct, int ldc, int compute, int algo) {
    (void) algo;
    if (at != 0 || bt != 0 || ct != 0 || compute != 68) return 15;   // the stub does float32 only
    return cublasSgemm_v2(h, ta, tb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
}

// ---- NVRTC: "compiling" keeps the source; the PTX is the source itself -----------------------------------
typedef struct { char* src; } program;
int nvrtcVersion(int* major, int* minor) { *major = 13; *minor = 0; return 0; }
const char* nvrtcGetErrorString(int r) { return r == 0 ? "NVRTC_SUCCESS" : "NVRTC_ERROR_COMPILATION"; }
int nvrtcCreateProgram(program** p, const char* src, const char* name, int nh, const char** h, const char** in) {
    (void) name; (void) nh; (void) h; (void) in;
    *p = malloc(sizeof(program));
    (*p)->src = strdup(src);
    return 0;
}
int nvrtcCompileProgram(program* p, int n, const char** options) {
    int arch = 0;
    for (int i = 0; i < n; i++) arch |= strncmp(options[i], "--gpu-architecture=", 19) == 0;
    return arch && strstr(p->src, "nvae_bias_rows") ? 0 : 6;
}
int nvrtcGetProgramLogSize(program* p, size_t* s) { (void) p; *s = 1; return 0; }
int nvrtcGetProgramLog(program* p, char* log) { (void) p; log[0] = 0; return 0; }
int nvrtcGetPTXSize(program* p, size_t* s) { *s = strlen(p->src) + 1; return 0; }
int nvrtcGetPTX(program* p, char* out) { strcpy(out, p->src); return 0; }
int nvrtcDestroyProgram(program** p) { free((*p)->src); free(*p); *p = NULL; return 0; }

// ---- CUDA driver: modules and launches ---------------------------------------------------------------------
typedef int (*thunk)(void** args);
#define DEV(i) (*(float**) args[i])
#define INT(i) (*(int*) args[i])
#define NEED(p) if (!is_device(p)) return 1
static int t_bias_rows(void** a) { void** args = a; NEED(DEV(0)); NEED(DEV(1)); nvae_bias_rows(DEV(0), DEV(1), INT(2), INT(3), INT(4)); return 0; }
static int t_bias_channels(void** a) { void** args = a; NEED(DEV(0)); NEED(DEV(1)); nvae_bias_channels(DEV(0), DEV(1), INT(2), INT(3), INT(4), INT(5)); return 0; }
static int t_relu_backward(void** a) { void** args = a; NEED(DEV(0)); NEED(DEV(1)); nvae_relu_backward(DEV(0), DEV(1), INT(2)); return 0; }
static int t_sigmoid(void** a) { void** args = a; NEED(DEV(0)); NEED(DEV(1)); nvae_sigmoid(DEV(0), DEV(1), INT(2)); return 0; }
static int t_im2col(void** a) { void** args = a; NEED(DEV(0)); NEED(DEV(1)); nvae_im2col(DEV(0), DEV(1), INT(2), INT(3), INT(4), INT(5), INT(6), INT(7), INT(8), INT(9), INT(10)); return 0; }
static int t_col2im(void** a) { void** args = a; NEED(DEV(0)); NEED(DEV(1)); nvae_col2im(DEV(0), DEV(1), INT(2), INT(3), INT(4), INT(5), INT(6), INT(7), INT(8), INT(9), INT(10)); return 0; }
static int t_nchw_to_cn(void** a) { void** args = a; NEED(DEV(0)); NEED(DEV(1)); nvae_nchw_to_cn(DEV(0), DEV(1), INT(2), INT(3), INT(4)); return 0; }
static int t_cn_to_nchw(void** a) { void** args = a; NEED(DEV(0)); NEED(DEV(1)); NEED(DEV(2)); nvae_cn_to_nchw(DEV(0), DEV(1), DEV(2), INT(3), INT(4), INT(5), INT(6), INT(7)); return 0; }
static int t_fill(void** a) { void** args = a; NEED(DEV(0)); nvae_fill(DEV(0), INT(1), INT(2)); return 0; }
static int t_encoder_input(void** a) { void** args = a; NEED(DEV(0)); NEED(DEV(1)); NEED(DEV(2)); nvae_encoder_input(DEV(0), DEV(1), DEV(2), INT(3), INT(4), INT(5), INT(6)); return 0; }
static int t_latent_sample(void** a) { void** args = a; NEED(DEV(0)); NEED(DEV(1)); NEED(DEV(2)); NEED(DEV(3)); nvae_latent_sample(DEV(0), DEV(1), DEV(2), DEV(3), INT(4), INT(5), INT(6), INT(7), INT(8), INT(9)); return 0; }
static int t_row_weights(void** a) { void** args = a; NEED(DEV(0)); NEED(DEV(1)); NEED(DEV(2)); NEED(DEV(3)); nvae_row_weights(DEV(0), DEV(1), DEV(2), DEV(3), INT(4), INT(5), INT(6), INT(7), INT(8), INT(9)); return 0; }
static int t_likelihood(void** a) { void** args = a; for (int i = 0; i < 6; i++) NEED(DEV(i)); nvae_likelihood(DEV(0), DEV(1), DEV(2), DEV(3), DEV(4), DEV(5), INT(6), INT(7), INT(8), INT(9)); return 0; }
static int t_latent_terms(void** a) { void** args = a; for (int i = 0; i < 6; i++) NEED(DEV(i)); nvae_latent_terms(DEV(0), DEV(1), DEV(2), DEV(3), DEV(4), DEV(5), INT(6), INT(7), INT(8), INT(9), INT(10), INT(11), INT(12), INT(13), INT(14), INT(15)); return 0; }
static int t_balance(void** a) { void** args = a; NEED(DEV(0)); NEED(DEV(1)); NEED(DEV(2)); nvae_balance(DEV(0), DEV(1), DEV(2), INT(3), INT(4), INT(5), INT(6)); return 0; }
static int t_heads_gradient(void** a) { void** args = a; for (int i = 0; i < 8; i++) NEED(DEV(i)); nvae_heads_gradient(DEV(0), DEV(1), DEV(2), DEV(3), DEV(4), DEV(5), DEV(6), DEV(7), INT(8), INT(9), INT(10), INT(11), INT(12), INT(13), INT(14), INT(15), INT(16), INT(17), INT(18), INT(19), INT(20)); return 0; }
static int t_adam(void** a) { void** args = a; NEED(DEV(0)); NEED(DEV(1)); NEED(DEV(2)); NEED(DEV(3)); NEED(DEV(4)); nvae_adam(DEV(0), DEV(1), DEV(2), DEV(3), (int*) DEV(4), INT(5), INT(6), INT(7), INT(8), INT(9), INT(10)); return 0; }
static int t_check_finite(void** a) { void** args = a; NEED(DEV(0)); NEED(DEV(1)); nvae_check_finite(DEV(0), (int*) DEV(1), INT(2), INT(3)); return 0; }

static const struct { const char* name; thunk run; } kernels[] = {
    {"nvae_bias_rows", t_bias_rows}, {"nvae_bias_channels", t_bias_channels}, {"nvae_relu_backward", t_relu_backward},
    {"nvae_sigmoid", t_sigmoid}, {"nvae_im2col", t_im2col}, {"nvae_col2im", t_col2im},
    {"nvae_nchw_to_cn", t_nchw_to_cn}, {"nvae_cn_to_nchw", t_cn_to_nchw}, {"nvae_fill", t_fill},
    {"nvae_encoder_input", t_encoder_input}, {"nvae_latent_sample", t_latent_sample}, {"nvae_likelihood", t_likelihood},
    {"nvae_latent_terms", t_latent_terms}, {"nvae_heads_gradient", t_heads_gradient}, {"nvae_adam", t_adam},
    {"nvae_row_weights", t_row_weights}, {"nvae_balance", t_balance},
    {"nvae_check_finite", t_check_finite},
};

static int module_token;
int cuInit(unsigned flags) { (void) flags; return 0; }
int cuDriverGetVersion(int* v) { *v = 13000; return 0; }
int cuDeviceGet(int* d, int ordinal) { *d = ordinal; return 0; }
int cuDeviceGetName(char* name, int len, int dev) { (void) dev; snprintf(name, len, "nvae CPU stub"); return 0; }
int cuModuleLoadData(void** m, const void* image) {
    // The stub's "PTX" is the kernel source NVRTC was given: it must be ours.
    if (!strstr((const char*) image, "nvae_bias_rows")) return 200;   // CUDA_ERROR_INVALID_IMAGE
    *m = &module_token;
    return 0;
}
int cuModuleGetFunction(void** f, void* m, const char* name) {
    (void) m;
    for (size_t i = 0; i < sizeof kernels / sizeof kernels[0]; i++) {
        if (strcmp(kernels[i].name, name) == 0) { *f = (void*) &kernels[i]; return 0; }
    }
    return 500;   // CUDA_ERROR_NOT_FOUND
}
int cuModuleUnload(void* m) { (void) m; return 0; }
int cuLaunchKernel(void* f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                   unsigned shared, void* stream, void** params, void** extra) {
    (void) stream; (void) extra;
    if (gy != 1 || gz != 1 || by != 1 || bz != 1 || shared != 0 || gx == 0 || bx == 0 || bx > 1024) return 1;
    thunk run = ((const struct { const char* name; thunk run; }*) f)->run;
    stub_calls[C_LAUNCH]++;
    gridDim = (nvae_dim3){gx, 1, 1};
    blockDim = (nvae_dim3){bx, 1, 1};
    for (unsigned b = 0; b < gx; b++) {
        for (unsigned t = 0; t < bx; t++) {
            blockIdx = (nvae_dim3){b, 0, 0};
            threadIdx = (nvae_dim3){t, 0, 0};
            if (run(params) != 0) {
                fprintf(stderr, "cuda stub: a kernel was given a pointer that is not device memory\n");
                return 700;   // CUDA_ERROR_ILLEGAL_ADDRESS
            }
        }
    }
    return 0;
}
int cuGetErrorString(int e, const char** s) { *s = e == 0 ? "no error" : e == 700 ? "an illegal memory access was encountered" : "stub error"; return 0; }
int cuGetErrorName(int e, const char** s) { *s = e == 0 ? "CUDA_SUCCESS" : e == 700 ? "CUDA_ERROR_ILLEGAL_ADDRESS" : "CUDA_ERROR_UNKNOWN"; return 0; }
int cuCtxSynchronize(void) { return 0; }
