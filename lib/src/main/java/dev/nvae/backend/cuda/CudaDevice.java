package dev.nvae.backend.cuda;

import dev.nvae.ffm.cuda.CudaErrors;
import dev.nvae.ffm.cuda.CudaRuntime;
import dev.nvae.ffm.cuda.CudaUnavailableException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static dev.nvae.ffm.cuda.cublas_v2_h.CUBLAS_OP_N;
import static dev.nvae.ffm.cuda.cublas_v2_h.CUBLAS_OP_T;
import static dev.nvae.ffm.cuda.cublas_v2_h.cublasCreate_v2;
import static dev.nvae.ffm.cuda.cublas_v2_h.cublasDestroy_v2;
import static dev.nvae.ffm.cuda.cublas_v2_h.cublasSetStream_v2;
import static dev.nvae.ffm.cuda.cublas_v2_h.cublasSgemm_v2;
import static dev.nvae.ffm.cuda.cuda_h.cuDeviceGet;
import static dev.nvae.ffm.cuda.cuda_h.cuDeviceGetName;
import static dev.nvae.ffm.cuda.cuda_h.cuInit;
import static dev.nvae.ffm.cuda.cuda_runtime_api_h.cudaDevAttrComputeCapabilityMajor;
import static dev.nvae.ffm.cuda.cuda_runtime_api_h.cudaDevAttrComputeCapabilityMinor;
import static dev.nvae.ffm.cuda.cuda_runtime_api_h.cudaDevAttrMultiProcessorCount;
import static dev.nvae.ffm.cuda.cuda_runtime_api_h.cudaDeviceGetAttribute;
import static dev.nvae.ffm.cuda.cuda_runtime_api_h.cudaFree;
import static dev.nvae.ffm.cuda.cuda_runtime_api_h.cudaMalloc;
import static dev.nvae.ffm.cuda.cuda_runtime_api_h.cudaMemcpyAsync;
import static dev.nvae.ffm.cuda.cuda_runtime_api_h.cudaMemcpyDeviceToHost;
import static dev.nvae.ffm.cuda.cuda_runtime_api_h.cudaMemcpyHostToDevice;
import static dev.nvae.ffm.cuda.cuda_runtime_api_h.cudaSetDevice;
import static dev.nvae.ffm.cuda.cuda_runtime_api_h.cudaStreamCreate;
import static dev.nvae.ffm.cuda.cuda_runtime_api_h.cudaStreamDestroy;
import static dev.nvae.ffm.cuda.cuda_runtime_api_h.cudaStreamSynchronize;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * One GPU as the cuda backend uses it: a stream every copy, GEMM and kernel goes to (so they run in order
 * without host waits between them), a cuBLAS handle bound to it, and the kernels of {@code kernels.cu}
 * compiled for this device by NVRTC. Device memory is addressed by raw {@code long} addresses; the host
 * waits only in {@link #sync()}, which the backend calls once per operation, after its last copy back.
 *
 * <p>Threads: one thread at a time (as every backend), but not always the same one — a server lane or the
 * trainer may call from another thread than the one that opened it. The CUDA driver's current context is
 * per thread, so each operation first {@linkplain #bind() binds} the calling thread to this device once.
 * Every CUDA, cuBLAS, NVRTC and driver status is checked; a failure is a {@code CudaException} naming the
 * call and the library's message.
 */
public final class CudaDevice implements AutoCloseable {
    private final Arena arena = Arena.ofShared();
    private final int ordinal;
    private final String name;
    private final int major, minor, multiprocessors;
    private final MemorySegment stream, cublas;
    private final CudaKernels kernels;
    // Host-side scalars and out-parameters, allocated once.
    private final MemorySegment pointerOut = arena.allocate(ADDRESS);
    private final MemorySegment intOut = arena.allocate(JAVA_INT);
    private final MemorySegment one = arena.allocate(JAVA_FLOAT), zero = arena.allocate(JAVA_FLOAT);
    private final ThreadLocal<Boolean> bound = ThreadLocal.withInitial(() -> false);
    private boolean closed;
    private long syncs;

    private CudaDevice(int ordinal) {
        this.ordinal = ordinal;
        one.set(JAVA_FLOAT, 0, 1f);
        zero.set(JAVA_FLOAT, 0, 0f);
        bind();
        // cudaFree(NULL) makes the runtime create the device's primary context now, so that the driver
        // calls below (module load, launches) find it current on this thread.
        CudaErrors.runtime("cudaFree(NULL)", cudaFree(MemorySegment.NULL));
        this.major = attribute(cudaDevAttrComputeCapabilityMajor());
        this.minor = attribute(cudaDevAttrComputeCapabilityMinor());
        this.multiprocessors = attribute(cudaDevAttrMultiProcessorCount());
        CudaErrors.driver("cuInit", cuInit(0));
        CudaErrors.driver("cuDeviceGet", cuDeviceGet(intOut, ordinal));
        MemorySegment nameBuf = arena.allocate(256);
        CudaErrors.driver("cuDeviceGetName", cuDeviceGetName(nameBuf, 256, intOut.get(JAVA_INT, 0)));
        this.name = nameBuf.getString(0);
        CudaErrors.runtime("cudaStreamCreate", cudaStreamCreate(pointerOut));
        this.stream = pointerOut.get(ADDRESS, 0);
        MemorySegment handle = MemorySegment.NULL;
        CudaKernels compiled = null;
        try {
            CudaErrors.cublas("cublasCreate_v2", cublasCreate_v2(pointerOut));
            handle = pointerOut.get(ADDRESS, 0);
            CudaErrors.cublas("cublasSetStream_v2", cublasSetStream_v2(handle, stream));
            compiled = CudaKernels.compile(arena, stream, major, minor);
        } catch (RuntimeException | Error e) {
            if (!handle.equals(MemorySegment.NULL)) cublasDestroy_v2(handle);
            cudaStreamDestroy(stream);
            arena.close();
            throw e;
        }
        this.cublas = handle;
        this.kernels = compiled;
    }

    /**
     * Opens device {@code ordinal}: its context, a stream, cuBLAS, and the kernels compiled for it.
     *
     * @throws CudaUnavailableException when there is no CUDA runtime, driver or device (one line, the cause)
     */
    public static CudaDevice open(int ordinal) {
        var probe = CudaRuntime.probe();
        if (!probe.available()) throw new CudaUnavailableException(probe.reason());
        if (ordinal < 0 || ordinal >= probe.deviceCount()) {
            throw new CudaUnavailableException("no CUDA device " + ordinal + " (" + probe.deviceCount() + " found)");
        }
        return new CudaDevice(ordinal);
    }

    /** "NVIDIA H200 (sm_90, 132 multiprocessors)". */
    public String describe() {
        return name + " (sm_" + major + minor + ", " + multiprocessors + " multiprocessors)";
    }

    public CudaKernels kernels() {
        return kernels;
    }

    /** Makes this device current on the calling thread, once per thread. */
    public void bind() {
        if (!bound.get()) {
            CudaErrors.runtime("cudaSetDevice(" + ordinal + ")", cudaSetDevice(ordinal));
            bound.set(true);
        }
    }

    private int attribute(int attr) {
        CudaErrors.runtime("cudaDeviceGetAttribute(" + attr + ")", cudaDeviceGetAttribute(intOut, attr, ordinal));
        return intOut.get(JAVA_INT, 0);
    }

    // ---- memory -------------------------------------------------------------------------------------------

    /** cudaMalloc of {@code bytes} (at least 1); the address. */
    public long malloc(long bytes) {
        CudaErrors.runtime("cudaMalloc(" + bytes + " bytes)", cudaMalloc(pointerOut, Math.max(1, bytes)));
        return pointerOut.get(ADDRESS, 0).address();
    }

    public void free(long address) {
        if (address != 0) CudaErrors.runtime("cudaFree", cudaFree(MemorySegment.ofAddress(address)));
    }

    /** Queues a copy of {@code bytes} from host memory to {@code device}. */
    public void upload(MemorySegment host, long device, long bytes) {
        if (bytes == 0) return;
        // Constant call names here and in every per-step call: the hot path builds no strings.
        CudaErrors.runtime("cudaMemcpyAsync(host to device)",
                cudaMemcpyAsync(MemorySegment.ofAddress(device), host, bytes, cudaMemcpyHostToDevice(), stream));
    }

    /** Queues a copy of {@code bytes} from {@code device} to host memory; valid after {@link #sync()}. */
    public void download(long device, MemorySegment host, long bytes) {
        if (bytes == 0) return;
        CudaErrors.runtime("cudaMemcpyAsync(device to host)",
                cudaMemcpyAsync(host, MemorySegment.ofAddress(device), bytes, cudaMemcpyDeviceToHost(), stream));
    }

    /** Waits for everything queued on the stream. */
    public void sync() {
        CudaErrors.runtime("cudaStreamSynchronize", cudaStreamSynchronize(stream));
        syncs++;
    }

    /** How many times {@link #sync()} has waited: whoever queued work at count n knows it done once this passes n. */
    public long syncs() {
        return syncs;
    }

    // ---- products -----------------------------------------------------------------------------------------

    /**
     * C = op(A)·op(B) (+ C when {@code accumulate}) on row-major matrices: C is m × n with row stride ldc,
     * op(A) m × k, op(B) k × n, lda/ldb the stored matrices' row strides. cuBLAS is column-major, and a
     * row-major matrix read column-major is its transpose, so this is cuBLAS's Cᵀ = op(B)ᵀ·op(A)ᵀ: the
     * operands swap places and m with n, the transposes stay.
     */
    public void gemm(boolean transA, boolean transB, int m, int n, int k, long a, int lda, long b, int ldb,
                     long c, int ldc, boolean accumulate) {
        if (m == 0 || n == 0) return;
        CudaErrors.cublas("cublasSgemm_v2", cublasSgemm_v2(cublas, transB ? CUBLAS_OP_T() : CUBLAS_OP_N(),
                transA ? CUBLAS_OP_T() : CUBLAS_OP_N(), n, m, k, one, MemorySegment.ofAddress(b), ldb,
                MemorySegment.ofAddress(a), lda, accumulate ? one : zero, MemorySegment.ofAddress(c), ldc));
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            kernels.close();
            CudaErrors.cublas("cublasDestroy_v2", cublasDestroy_v2(cublas));
            CudaErrors.runtime("cudaStreamDestroy", cudaStreamDestroy(stream));
        } finally {
            arena.close();
        }
    }
}
