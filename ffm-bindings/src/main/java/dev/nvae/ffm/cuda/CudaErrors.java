package dev.nvae.ffm.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

import static java.lang.foreign.ValueLayout.ADDRESS;

/**
 * The one checker for every CUDA status: each method returns when the code means success and otherwise throws
 * a {@link CudaException} naming the call and carrying the library's own message, e.g.
 * {@code CudaErrors.cublas("cublasSgemm_v2", cublasSgemm_v2(...))} →
 * {@code "cublasSgemm_v2 failed: an invalid numeric value was used as an argument (CUBLAS_STATUS_INVALID_VALUE,
 * cublasStatus 7)"}. When the library cannot translate the code (the function is missing, as in an old
 * library or a test stub), the message falls back to the enum name from the bindings, or the bare number.
 */
public final class CudaErrors {

    private CudaErrors() {
    }

    /** A CUDA runtime call's {@code cudaError_t}: cudaGetErrorString and cudaGetErrorName. */
    public static void runtime(String call, int code) {
        if (code == cuda_runtime_api_h.cudaSuccess()) {
            return;
        }
        Optional<String> text = text(() -> cuda_runtime_api_h.cudaGetErrorString(code));
        Optional<String> name = text(() -> cuda_runtime_api_h.cudaGetErrorName(code)).or(() -> RUNTIME_NAMES.apply(code));
        throw failure(CudaException.RUNTIME, call, code, "cudaError", text, name);
    }

    /** A cuBLAS call's {@code cublasStatus_t}: cublasGetStatusString and cublasGetStatusName. */
    public static void cublas(String call, int status) {
        if (status == cublas_v2_h.CUBLAS_STATUS_SUCCESS()) {
            return;
        }
        Optional<String> text = text(() -> cublas_v2_h.cublasGetStatusString(status));
        Optional<String> name = text(() -> cublas_v2_h.cublasGetStatusName(status)).or(() -> CUBLAS_NAMES.apply(status));
        throw failure(CudaException.CUBLAS, call, status, "cublasStatus", text, name);
    }

    /** An NVRTC call's {@code nvrtcResult}: nvrtcGetErrorString, which answers with the enum name itself. */
    public static void nvrtc(String call, int result) {
        if (result == nvrtc_h.NVRTC_SUCCESS()) {
            return;
        }
        Optional<String> text = text(() -> nvrtc_h.nvrtcGetErrorString(result)).or(() -> NVRTC_NAMES.apply(result));
        throw failure(CudaException.NVRTC, call, result, "nvrtcResult", text, Optional.empty());
    }

    /** A CUDA driver call's {@code CUresult}: cuGetErrorString and cuGetErrorName, which answer through an out-pointer. */
    public static void driver(String call, int result) {
        if (result == cuda_h.CUDA_SUCCESS()) {
            return;
        }
        Optional<String> text, name;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            text = text(() -> cuda_h.cuGetErrorString(result, out) == cuda_h.CUDA_SUCCESS()
                    ? out.get(ADDRESS, 0) : MemorySegment.NULL);
            name = text(() -> cuda_h.cuGetErrorName(result, out) == cuda_h.CUDA_SUCCESS()
                    ? out.get(ADDRESS, 0) : MemorySegment.NULL).or(() -> DRIVER_NAMES.apply(result));
        }
        throw failure(CudaException.DRIVER, call, result, "CUresult", text, name);
    }

    /**
     * {@code "<call> failed: <text> (<name>, <kind> <code>)"}; without a text the name stands in its place, and
     * without either the message says "unknown error".
     */
    private static CudaException failure(String library, String call, int code, String kind, Optional<String> text,
                                         Optional<String> name) {
        String what = text.or(() -> name).orElse("unknown error");
        String number = kind + " " + code;
        String detail = text.isPresent() && name.isPresent() ? name.get() + ", " + number : number;
        return new CudaException(library, call, code, call + " failed: " + what + " (" + detail + ")");
    }

    /** A library call that returns a C string, or may not be there at all. */
    private interface CString {
        MemorySegment get() throws Throwable;
    }

    /** The C string, or empty when the call is unavailable (no library, symbol missing) or returned NULL. */
    private static Optional<String> text(CString s) {
        try {
            MemorySegment p = s.get();
            return p.equals(MemorySegment.NULL) ? Optional.empty()
                    : Optional.of(p.reinterpret(Long.MAX_VALUE).getString(0));
        } catch (Throwable unavailable) {
            // UnsatisfiedLinkError on first use, NoClassDefFoundError after: the message falls back to names.
            return Optional.empty();
        }
    }

    // ---- names from the bindings, for libraries that cannot say --------------------------------------------

    private static final IntFunction<Optional<String>> RUNTIME_NAMES = names(cuda_runtime_api_h.class, List.of(
            "cudaSuccess", "cudaErrorInvalidValue", "cudaErrorMemoryAllocation", "cudaErrorInitializationError",
            "cudaErrorInsufficientDriver", "cudaErrorNoDevice", "cudaErrorInvalidDevice",
            "cudaErrorInvalidResourceHandle", "cudaErrorNotReady", "cudaErrorIllegalAddress",
            "cudaErrorLaunchFailure"));

    private static final IntFunction<Optional<String>> CUBLAS_NAMES = names(cublas_v2_h.class, List.of(
            "CUBLAS_STATUS_SUCCESS", "CUBLAS_STATUS_NOT_INITIALIZED", "CUBLAS_STATUS_ALLOC_FAILED",
            "CUBLAS_STATUS_INVALID_VALUE", "CUBLAS_STATUS_ARCH_MISMATCH", "CUBLAS_STATUS_MAPPING_ERROR",
            "CUBLAS_STATUS_EXECUTION_FAILED", "CUBLAS_STATUS_INTERNAL_ERROR", "CUBLAS_STATUS_NOT_SUPPORTED",
            "CUBLAS_STATUS_LICENSE_ERROR"));

    private static final IntFunction<Optional<String>> NVRTC_NAMES = names(nvrtc_h.class, List.of(
            "NVRTC_SUCCESS", "NVRTC_ERROR_OUT_OF_MEMORY", "NVRTC_ERROR_PROGRAM_CREATION_FAILURE",
            "NVRTC_ERROR_INVALID_INPUT", "NVRTC_ERROR_INVALID_PROGRAM", "NVRTC_ERROR_INVALID_OPTION",
            "NVRTC_ERROR_COMPILATION", "NVRTC_ERROR_BUILTIN_OPERATION_FAILURE",
            "NVRTC_ERROR_NO_NAME_EXPRESSIONS_AFTER_COMPILATION", "NVRTC_ERROR_NO_LOWERED_NAMES_BEFORE_COMPILATION",
            "NVRTC_ERROR_NAME_EXPRESSION_NOT_VALID", "NVRTC_ERROR_INTERNAL_ERROR"));

    private static final IntFunction<Optional<String>> DRIVER_NAMES = names(cuda_h.class, List.of(
            "CUDA_SUCCESS", "CUDA_ERROR_INVALID_VALUE", "CUDA_ERROR_OUT_OF_MEMORY", "CUDA_ERROR_NOT_INITIALIZED",
            "CUDA_ERROR_DEINITIALIZED", "CUDA_ERROR_NO_DEVICE", "CUDA_ERROR_INVALID_DEVICE",
            "CUDA_ERROR_INVALID_IMAGE", "CUDA_ERROR_INVALID_CONTEXT", "CUDA_ERROR_NO_BINARY_FOR_GPU",
            "CUDA_ERROR_INVALID_PTX", "CUDA_ERROR_UNSUPPORTED_PTX_VERSION", "CUDA_ERROR_INVALID_HANDLE",
            "CUDA_ERROR_NOT_FOUND", "CUDA_ERROR_ILLEGAL_ADDRESS", "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES",
            "CUDA_ERROR_LAUNCH_FAILED"));

    /** Code → constant name, read from the header class's constant methods so that the values live in one place. */
    private static IntFunction<Optional<String>> names(Class<?> header, List<String> constants) {
        Map<Integer, String> byCode = new HashMap<>();
        for (String c : constants) {
            try {
                byCode.putIfAbsent((Integer) header.getMethod(c).invoke(null), c);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(header.getSimpleName() + " lacks constant " + c, e);
            }
        }
        return code -> Optional.ofNullable(byCode.get(code));
    }
}
