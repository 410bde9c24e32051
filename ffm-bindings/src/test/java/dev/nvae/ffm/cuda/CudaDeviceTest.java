package dev.nvae.ffm.cuda;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static dev.nvae.ffm.cuda.cublas_v2_h.*;
import static dev.nvae.ffm.cuda.cuda_h.*;
import static dev.nvae.ffm.cuda.cuda_runtime_api_h.*;
import static dev.nvae.ffm.cuda.nvrtc_h.*;
import static java.lang.foreign.ValueLayout.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The bindings against the real libraries on a GPU: memory, copies, streams and events; cuBLAS SGEMM and bf16
 * GemmEx against a Java reference; an NVRTC-compiled kernel loaded and launched through the driver; and the
 * libraries' own error messages in {@link CudaException}. Skipped where {@link CudaRuntime#probe()} finds no
 * device (this host, CI); on a GPU machine: {@code ./nvae mvn -q -pl ffm-bindings -am test -Dtest=CudaDeviceTest
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("cuda")
class CudaDeviceTest {

    @BeforeAll
    static void needsADevice() {
        CudaProbe p = CudaRuntime.probe();
        assumeTrue(p.available(), p.describe());
        System.out.println(p.describe());
        CudaErrors.runtime("cudaSetDevice", cudaSetDevice(0));
        CudaErrors.runtime("cudaFree", cudaFree(MemorySegment.NULL));   // creates the primary context now
    }

    private static MemorySegment deviceAlloc(Arena arena, long bytes) {
        MemorySegment out = arena.allocate(ADDRESS);
        CudaErrors.runtime("cudaMalloc", cudaMalloc(out, bytes));
        return out.get(ADDRESS, 0);
    }

    @Test
    void memoryCopiesStreamsAndEvents() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(JAVA_INT);
            CudaErrors.runtime("cudaDeviceGetAttribute", cudaDeviceGetAttribute(value, cudaDevAttrComputeCapabilityMajor(), 0));
            int major = value.get(JAVA_INT, 0);
            CudaErrors.runtime("cudaDeviceGetAttribute", cudaDeviceGetAttribute(value, cudaDevAttrMultiProcessorCount(), 0));
            int sms = value.get(JAVA_INT, 0);
            CudaErrors.runtime("cudaDriverGetVersion", cudaDriverGetVersion(value));
            System.out.println("compute capability major " + major + ", " + sms + " SMs, driver " + value.get(JAVA_INT, 0));
            assertTrue(major >= 5 && sms >= 1);
            MemorySegment free = arena.allocate(JAVA_LONG), total = arena.allocate(JAVA_LONG);
            CudaErrors.runtime("cudaMemGetInfo", cudaMemGetInfo(free, total));
            assertTrue(free.get(JAVA_LONG, 0) > 0 && free.get(JAVA_LONG, 0) <= total.get(JAVA_LONG, 0));

            int n = 1000;
            long bytes = n * (long) Float.BYTES;
            MemorySegment host = arena.allocate(bytes, 4096);   // page-aligned for cudaHostRegister
            for (int i = 0; i < n; i++) {
                host.setAtIndex(JAVA_FLOAT, i, i * 0.5f);
            }
            CudaErrors.runtime("cudaHostRegister", cudaHostRegister(host, bytes, cudaHostRegisterDefault()));
            MemorySegment pinnedOut = arena.allocate(ADDRESS);
            CudaErrors.runtime("cudaMallocHost", cudaMallocHost(pinnedOut, bytes));
            MemorySegment pinned = pinnedOut.get(ADDRESS, 0).reinterpret(bytes);
            MemorySegment dev = deviceAlloc(arena, bytes);
            MemorySegment streamOut = arena.allocate(ADDRESS), startOut = arena.allocate(ADDRESS), endOut = arena.allocate(ADDRESS);
            CudaErrors.runtime("cudaStreamCreate", cudaStreamCreate(streamOut));
            CudaErrors.runtime("cudaEventCreate", cudaEventCreate(startOut));
            CudaErrors.runtime("cudaEventCreate", cudaEventCreate(endOut));
            MemorySegment stream = streamOut.get(ADDRESS, 0), start = startOut.get(ADDRESS, 0), end = endOut.get(ADDRESS, 0);

            CudaErrors.runtime("cudaEventRecord", cudaEventRecord(start, stream));
            CudaErrors.runtime("cudaMemcpyAsync", cudaMemcpyAsync(dev, host, bytes, cudaMemcpyHostToDevice(), stream));
            CudaErrors.runtime("cudaMemsetAsync", cudaMemsetAsync(dev, 0, 10 * Float.BYTES, stream));   // first 10 → 0.0f
            CudaErrors.runtime("cudaMemcpyAsync", cudaMemcpyAsync(pinned, dev, bytes, cudaMemcpyDeviceToHost(), stream));
            CudaErrors.runtime("cudaEventRecord", cudaEventRecord(end, stream));
            CudaErrors.runtime("cudaStreamSynchronize", cudaStreamSynchronize(stream));
            CudaErrors.runtime("cudaEventSynchronize", cudaEventSynchronize(end));
            MemorySegment ms = arena.allocate(JAVA_FLOAT);
            CudaErrors.runtime("cudaEventElapsedTime", cudaEventElapsedTime(ms, start, end));
            assertTrue(ms.get(JAVA_FLOAT, 0) >= 0);
            for (int i = 0; i < n; i++) {
                assertEquals(i < 10 ? 0f : i * 0.5f, pinned.getAtIndex(JAVA_FLOAT, i), "element " + i);
            }
            CudaErrors.runtime("cudaMemcpy", cudaMemcpy(host, dev, 4 * Float.BYTES, cudaMemcpyDeviceToHost()));
            assertEquals(0f, host.getAtIndex(JAVA_FLOAT, 3));

            CudaErrors.runtime("cudaEventDestroy", cudaEventDestroy(start));
            CudaErrors.runtime("cudaEventDestroy", cudaEventDestroy(end));
            CudaErrors.runtime("cudaStreamDestroy", cudaStreamDestroy(stream));
            CudaErrors.runtime("cudaFree", cudaFree(dev));
            CudaErrors.runtime("cudaFreeHost", cudaFreeHost(pinned));
            CudaErrors.runtime("cudaHostUnregister", cudaHostUnregister(host));
            CudaErrors.runtime("cudaDeviceSynchronize", cudaDeviceSynchronize());
        }
    }

    @Test
    void runtimeErrorsCarryTheRuntimesMessage() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            int err = cudaMalloc(out, 1L << 52);   // 4 PiB
            CudaException e = assertThrows(CudaException.class, () -> CudaErrors.runtime("cudaMalloc", err));
            System.out.println(e.getMessage());
            assertEquals("cudaMalloc failed: out of memory (cudaErrorMemoryAllocation, cudaError 2)", e.getMessage());
            cudaGetLastError();   // clears the error so later calls do not report it
        }
    }

    /** Column-major C(m×n) = A(m×k) · B(n×k)ᵀ, as cuBLAS computes with transa = N, transb = T. */
    private static float[] reference(float[] a, float[] b, int m, int n, int k) {
        float[] c = new float[m * n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                float s = 0;
                for (int p = 0; p < k; p++) {
                    s += a[i + p * m] * b[j + p * n];
                }
                c[i + j * m] = s;
            }
        }
        return c;
    }

    @Test
    void cublasSgemmAndBf16GemmExMatchAJavaReference() {
        try {
            CudaLibraries.cublas();
        } catch (CudaUnavailableException e) {
            assumeTrue(false, e.getMessage());
        }
        int m = 37, n = 19, k = 53;
        float[] a = new float[m * k], b = new float[n * k];
        for (int i = 0; i < a.length; i++) {
            a[i] = ((i * 7) % 13 - 6) * 0.25f;   // exact in bf16
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = ((i * 5) % 11 - 5) * 0.125f;
        }
        float[] want = reference(a, b, m, n, k);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment handleOut = arena.allocate(ADDRESS);
            CudaErrors.cublas("cublasCreate_v2", cublasCreate_v2(handleOut));
            MemorySegment handle = handleOut.get(ADDRESS, 0);
            MemorySegment version = arena.allocate(JAVA_INT);
            CudaErrors.cublas("cublasGetVersion_v2", cublasGetVersion_v2(handle, version));
            System.out.println("cuBLAS " + version.get(JAVA_INT, 0) + " from " + CudaLibraries.describe(CudaLibraries.CUBLAS));
            CudaErrors.cublas("cublasSetStream_v2", cublasSetStream_v2(handle, MemorySegment.NULL));

            MemorySegment dA = deviceAlloc(arena, a.length * 4L), dB = deviceAlloc(arena, b.length * 4L);
            MemorySegment dC = deviceAlloc(arena, m * n * 4L);
            CudaErrors.runtime("cudaMemcpy", cudaMemcpy(dA, arena.allocateFrom(JAVA_FLOAT, a), a.length * 4L, cudaMemcpyHostToDevice()));
            CudaErrors.runtime("cudaMemcpy", cudaMemcpy(dB, arena.allocateFrom(JAVA_FLOAT, b), b.length * 4L, cudaMemcpyHostToDevice()));
            MemorySegment one = arena.allocateFrom(JAVA_FLOAT, 1f), zero = arena.allocateFrom(JAVA_FLOAT, 0f);
            MemorySegment got = arena.allocate(JAVA_FLOAT, (long) m * n);

            CudaErrors.cublas("cublasSgemm_v2", cublasSgemm_v2(handle, CUBLAS_OP_N(), CUBLAS_OP_T(), m, n, k,
                    one, dA, m, dB, n, zero, dC, m));
            CudaErrors.runtime("cudaMemcpy", cudaMemcpy(got, dC, m * n * 4L, cudaMemcpyDeviceToHost()));
            assertArrayEquals(want, got.toArray(JAVA_FLOAT), 1e-4f, "sgemm");

            MemorySegment hA16 = arena.allocate(JAVA_SHORT, a.length), hB16 = arena.allocate(JAVA_SHORT, b.length);
            for (int i = 0; i < a.length; i++) {
                hA16.setAtIndex(JAVA_SHORT, i, (short) (Float.floatToRawIntBits(a[i]) >>> 16));   // exact: low bits are 0
            }
            for (int i = 0; i < b.length; i++) {
                hB16.setAtIndex(JAVA_SHORT, i, (short) (Float.floatToRawIntBits(b[i]) >>> 16));
            }
            CudaErrors.runtime("cudaMemcpy", cudaMemcpy(dA, hA16, a.length * 2L, cudaMemcpyHostToDevice()));
            CudaErrors.runtime("cudaMemcpy", cudaMemcpy(dB, hB16, b.length * 2L, cudaMemcpyHostToDevice()));
            CudaErrors.runtime("cudaMemsetAsync", cudaMemsetAsync(dC, 0, m * n * 4L, MemorySegment.NULL));
            CudaErrors.cublas("cublasGemmEx", cublasGemmEx(handle, CUBLAS_OP_N(), CUBLAS_OP_T(), m, n, k,
                    one, dA, CUDA_R_16BF(), m, dB, CUDA_R_16BF(), n, zero, dC, CUDA_R_32F(), m,
                    CUBLAS_COMPUTE_32F(), CUBLAS_GEMM_DEFAULT()));
            CudaErrors.runtime("cudaMemcpy", cudaMemcpy(got, dC, m * n * 4L, cudaMemcpyDeviceToHost()));
            assertArrayEquals(want, got.toArray(JAVA_FLOAT), 1e-3f, "bf16 GemmEx, fp32 compute");

            CudaException e = assertThrows(CudaException.class, () -> CudaErrors.cublas("cublasSgemm_v2",
                    cublasSgemm_v2(handle, CUBLAS_OP_N(), CUBLAS_OP_N(), -1, n, k, one, dA, m, dB, k, zero, dC, m)));
            System.out.println(e.getMessage());
            assertEquals(CUBLAS_STATUS_INVALID_VALUE(), e.code());
            assertTrue(e.getMessage().startsWith("cublasSgemm_v2 failed: ")
                    && e.getMessage().endsWith("(CUBLAS_STATUS_INVALID_VALUE, cublasStatus 7)"), e.getMessage());

            for (MemorySegment d : new MemorySegment[]{dA, dB, dC}) {
                CudaErrors.runtime("cudaFree", cudaFree(d));
            }
            CudaErrors.cublas("cublasDestroy_v2", cublasDestroy_v2(handle));
        }
    }

    private static final String KERNEL = """
            extern "C" __global__ void axpy(float a, const float *x, float *y, int n) {
                int i = blockIdx.x * blockDim.x + threadIdx.x;
                if (i < n) y[i] = a * x[i] + y[i];
            }
            """;

    /** Compiles {@code source} to PTX; a compile error throws with NVRTC's log. */
    private static byte[] ptx(Arena arena, String source) {
        MemorySegment progOut = arena.allocate(ADDRESS);
        CudaErrors.nvrtc("nvrtcCreateProgram", nvrtcCreateProgram(progOut, arena.allocateFrom(source),
                arena.allocateFrom("test.cu"), 0, MemorySegment.NULL, MemorySegment.NULL));
        MemorySegment prog = progOut.get(ADDRESS, 0);
        try {
            int compiled = nvrtcCompileProgram(prog, 0, MemorySegment.NULL);
            MemorySegment size = arena.allocate(JAVA_LONG);
            if (compiled != NVRTC_SUCCESS()) {
                CudaErrors.nvrtc("nvrtcGetProgramLogSize", nvrtcGetProgramLogSize(prog, size));
                MemorySegment log = arena.allocate(size.get(JAVA_LONG, 0));
                CudaErrors.nvrtc("nvrtcGetProgramLog", nvrtcGetProgramLog(prog, log));
                System.out.println(log.getString(0));
                CudaErrors.nvrtc("nvrtcCompileProgram", compiled);
            }
            CudaErrors.nvrtc("nvrtcGetPTXSize", nvrtcGetPTXSize(prog, size));
            MemorySegment ptx = arena.allocate(size.get(JAVA_LONG, 0));
            CudaErrors.nvrtc("nvrtcGetPTX", nvrtcGetPTX(prog, ptx));
            return ptx.toArray(JAVA_BYTE);
        } finally {
            CudaErrors.nvrtc("nvrtcDestroyProgram", nvrtcDestroyProgram(progOut));
        }
    }

    @Test
    void nvrtcCompiledKernelLaunchesThroughTheDriver() {
        try {
            CudaLibraries.nvrtc();
            CudaLibraries.driver();
        } catch (CudaUnavailableException e) {
            assumeTrue(false, e.getMessage());
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment major = arena.allocate(JAVA_INT), minor = arena.allocate(JAVA_INT);
            CudaErrors.nvrtc("nvrtcVersion", nvrtcVersion(major, minor));
            System.out.println("NVRTC " + major.get(JAVA_INT, 0) + "." + minor.get(JAVA_INT, 0) + " from "
                    + CudaLibraries.describe(CudaLibraries.NVRTC) + "; driver " + CudaLibraries.describe(CudaLibraries.DRIVER));
            CudaErrors.driver("cuInit", cuInit(0));
            MemorySegment dev = arena.allocate(JAVA_INT);
            CudaErrors.driver("cuDeviceGet", cuDeviceGet(dev, 0));
            MemorySegment name = arena.allocate(256);
            CudaErrors.driver("cuDeviceGetName", cuDeviceGetName(name, 256, dev.get(JAVA_INT, 0)));
            System.out.println("device 0: " + name.getString(0));
            MemorySegment ctx = arena.allocate(ADDRESS);
            CudaErrors.driver("cuCtxGetCurrent", cuCtxGetCurrent(ctx));
            assertNotEquals(MemorySegment.NULL, ctx.get(ADDRESS, 0), "the runtime made its primary context current");

            byte[] ptx = ptx(arena, KERNEL);
            MemorySegment module = arena.allocate(ADDRESS), fn = arena.allocate(ADDRESS);
            CudaErrors.driver("cuModuleLoadData", cuModuleLoadData(module, arena.allocateFrom(JAVA_BYTE, ptx)));
            CudaErrors.driver("cuModuleGetFunction", cuModuleGetFunction(fn, module.get(ADDRESS, 0), arena.allocateFrom("axpy")));

            int n = 1000;
            float[] x = new float[n], y = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = i;
                y[i] = 1 - i;
            }
            MemorySegment dx = deviceAlloc(arena, n * 4L), dy = deviceAlloc(arena, n * 4L);
            CudaErrors.runtime("cudaMemcpy", cudaMemcpy(dx, arena.allocateFrom(JAVA_FLOAT, x), n * 4L, cudaMemcpyHostToDevice()));
            CudaErrors.runtime("cudaMemcpy", cudaMemcpy(dy, arena.allocateFrom(JAVA_FLOAT, y), n * 4L, cudaMemcpyHostToDevice()));
            MemorySegment a = arena.allocateFrom(JAVA_FLOAT, 2f), px = arena.allocateFrom(ADDRESS, dx),
                    py = arena.allocateFrom(ADDRESS, dy), pn = arena.allocateFrom(JAVA_INT, n);
            MemorySegment params = arena.allocate(ADDRESS, 4);
            params.setAtIndex(ADDRESS, 0, a);
            params.setAtIndex(ADDRESS, 1, px);
            params.setAtIndex(ADDRESS, 2, py);
            params.setAtIndex(ADDRESS, 3, pn);
            CudaErrors.driver("cuLaunchKernel", cuLaunchKernel(fn.get(ADDRESS, 0), (n + 255) / 256, 1, 1, 256, 1, 1, 0,
                    MemorySegment.NULL, params, MemorySegment.NULL));
            CudaErrors.driver("cuCtxSynchronize", cuCtxSynchronize());
            MemorySegment got = arena.allocate(JAVA_FLOAT, n);
            CudaErrors.runtime("cudaMemcpy", cudaMemcpy(got, dy, n * 4L, cudaMemcpyDeviceToHost()));
            for (int i = 0; i < n; i++) {
                assertEquals(2f * i + 1 - i, got.getAtIndex(JAVA_FLOAT, i), "y[" + i + "]");
            }

            CudaException missing = assertThrows(CudaException.class, () -> CudaErrors.driver("cuModuleGetFunction",
                    cuModuleGetFunction(fn, module.get(ADDRESS, 0), arena.allocateFrom("nope"))));
            System.out.println(missing.getMessage());
            assertEquals(CUDA_ERROR_NOT_FOUND(), missing.code());
            assertTrue(missing.getMessage().endsWith("(CUDA_ERROR_NOT_FOUND, CUresult 500)"), missing.getMessage());

            CudaException bad = assertThrows(CudaException.class, () -> ptx(arena, "this is not CUDA"));
            System.out.println(bad.getMessage());
            assertEquals("nvrtcCompileProgram failed: NVRTC_ERROR_COMPILATION (nvrtcResult 6)", bad.getMessage());

            CudaErrors.runtime("cudaFree", cudaFree(dx));
            CudaErrors.runtime("cudaFree", cudaFree(dy));
            CudaErrors.driver("cuModuleUnload", cuModuleUnload(module.get(ADDRESS, 0)));
        }
    }
}
