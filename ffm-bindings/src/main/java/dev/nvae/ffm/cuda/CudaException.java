package dev.nvae.ffm.cuda;

/**
 * A CUDA, cuBLAS, NVRTC or CUDA driver call returned an error status; thrown by {@link CudaErrors}. The
 * message names the call and carries the library's own text, e.g. {@code "cudaMalloc failed: out of memory
 * (cudaErrorMemoryAllocation, cudaError 2)"}.
 */
public final class CudaException extends RuntimeException {

    public static final String RUNTIME = "CUDA runtime";
    public static final String CUBLAS = "cuBLAS";
    public static final String NVRTC = "NVRTC";
    public static final String DRIVER = "CUDA driver";

    private final String library;
    private final String call;
    private final int code;

    public CudaException(String library, String call, int code, String message) {
        super(message);
        this.library = library;
        this.call = call;
        this.code = code;
    }

    /** {@link #RUNTIME}, {@link #CUBLAS}, {@link #NVRTC} or {@link #DRIVER}. */
    public String library() {
        return library;
    }

    /** The failed call as the caller named it, e.g. {@code "cublasSgemm_v2"}. */
    public String call() {
        return call;
    }

    /** The status the call returned: a cudaError_t, cublasStatus_t, nvrtcResult or CUresult value. */
    public int code() {
        return code;
    }
}
