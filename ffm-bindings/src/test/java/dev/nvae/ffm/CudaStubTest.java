package dev.nvae.ffm;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The CUDA bindings and {@code CudaErrors} against a gcc-built stub standing in for all four libraries, in a
 * child JVM (libraries load once per process; this test JVM's own CUDA state stays untouched).
 */
class CudaStubTest {

    @TempDir
    static Path dir;
    private static Path full, bare;

    @BeforeAll
    static void buildStubs() throws Exception {
        assumeTrue(CudaStubs.gccWorks(), "gcc is needed to build the stub");
        full = CudaStubs.build(dir, "libcudastub.so", true);
        bare = CudaStubs.build(dir, "libcudastub-bare.so", false);
    }

    private static Map<String, String> runWith(Path stub, String... args) throws Exception {
        List<String> options = new ArrayList<>();
        for (String p : List.of("nvae.cuda.library", "nvae.cublas.library", "nvae.nvrtc.library", "nvae.cudadriver.library")) {
            options.add("-D" + p + "=" + stub);
        }
        return ChildJvm.waitFor(ChildJvm.start(options, env -> { }, CudaStubMain.class, args));
    }

    @Test
    void everyBindingLinksWithItsJavaSignatureAndErrorsCarryTheLibrarysText() throws Exception {
        Map<String, String> r = runWith(full);
        r.forEach((k, v) -> System.out.println(k + "=" + v));
        for (String which : List.of("cudart", "cublas", "nvrtc", "driver")) {
            assertEquals("", r.get("before." + which), "loaded() does not load");
            assertEquals(full.toString(), r.get("loaded." + which));
        }
        assertEquals("60", r.get("handlesChecked"));
        assertEquals("", r.get("handlesMismatched"));
        assertEquals(full.toString(), r.get("describe.cublas"));

        assertEquals("cudaGetDeviceCount failed: stub runtime text for 999 (stubCudaError 999, cudaError 999)", r.get("runtime"));
        assertEquals("CUDA runtime|cudaGetDeviceCount|999", r.get("runtime.parts"));
        assertEquals("cublasSgemm_v2 failed: stub cuBLAS text for 7 (STUB_CUBLAS_STATUS 7, cublasStatus 7)", r.get("cublas"));
        assertEquals("cuBLAS|cublasSgemm_v2|7", r.get("cublas.parts"));
        assertEquals("nvrtcCompileProgram failed: STUB_NVRTC_ERROR 6 (nvrtcResult 6)", r.get("nvrtc"));
        assertEquals("NVRTC|nvrtcCompileProgram|6", r.get("nvrtc.parts"));
        assertEquals("cuModuleLoadData failed: stub driver text for 218 (STUB_CUDA_ERROR 218, CUresult 218)", r.get("driver"));
        assertEquals("CUDA driver|cuModuleLoadData|218", r.get("driver.parts"));
        // libcuda refuses to name a code it does not know: the message keeps the number.
        assertEquals("cuLaunchKernel failed: unknown error (CUresult 12345)", r.get("driverUnknown"));
    }

    @Test
    void librariesWithoutErrorTextsFallBackToTheEnumNames() throws Exception {
        Map<String, String> r = runWith(bare, "bare");
        assertEquals("cudaGetDeviceCount failed: unknown error (cudaError 999)", r.get("runtime"));
        assertEquals("cublasSgemm_v2 failed: CUBLAS_STATUS_INVALID_VALUE (cublasStatus 7)", r.get("cublas"));
        assertEquals("nvrtcCompileProgram failed: NVRTC_ERROR_COMPILATION (nvrtcResult 6)", r.get("nvrtc"));
        assertEquals("cuModuleLoadData failed: CUDA_ERROR_INVALID_PTX (CUresult 218)", r.get("driver"));
    }
}
