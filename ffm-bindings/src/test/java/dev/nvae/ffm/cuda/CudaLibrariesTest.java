package dev.nvae.ffm.cuda;

import dev.nvae.ffm.CudaStubs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Where {@link CudaLibraries} looks, on a fake file tree with a fake environment, and how overrides fail. Loads
 * go into confined arenas here, never into the process-wide cache.
 */
class CudaLibrariesTest {

    @TempDir
    Path tmp;

    private static final Map<String, String> NO_PROPERTIES = Map.of();

    private Path file(String relative) throws IOException {
        Path p = tmp.resolve(relative);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, "not a library");
    }

    private static String site(String root) {
        return root + "/nvidia/";
    }

    @Test
    void candidatesComeFromTheToolkitThenTheLoaderThenPythonWheelsNewestMajorFirst() throws IOException {
        Path root = tmp.resolve("root");
        file("root/usr/local/cuda/lib64/libcublas.so.13");
        Path twelve = file("root/usr/local/cuda/lib/libcublas.so.12");
        Files.createSymbolicLink(twelve.resolveSibling("libcublas.so"), twelve.getFileName());
        Files.createDirectories(root.resolve("usr/local/cuda/targets/x86_64-linux"));
        Files.createSymbolicLink(root.resolve("usr/local/cuda/targets/x86_64-linux/lib"), Path.of("../../lib"));
        String opt = "root/opt/torch/.venv/lib/python3.12/site-packages";
        file(site(opt) + "cu13/lib/libcublas.so.13");
        file(site(opt) + "cublas/lib/libcublas.so.12");
        file(site(opt) + "cu13/lib/libnvrtc.so.13");
        String venv = "venv/lib/python3.11/site-packages";
        file(site(venv) + "cublas/lib/libcublas.so.12");
        String home = "home/.local/lib/python3.10/site-packages";
        file(site(home) + "cu13/lib/libcublas.so.13");
        String local = "root/usr/local/lib/python3.11/dist-packages";
        file(site(local) + "cublas/lib/libcublas.so.12");
        String system = "root/usr/lib/python3/dist-packages";
        file(site(system) + "cu13/lib/libcublas.so.13");
        Map<String, String> env = Map.of("VIRTUAL_ENV", tmp.resolve("venv").toString(),
                "HOME", tmp.resolve("home").toString());

        assertEquals(List.of(
                        tmp + "/root/usr/local/cuda/lib64/libcublas.so.13",
                        tmp + "/root/usr/local/cuda/lib/libcublas.so.12",   // lib/libcublas.so and targets/... are the same file
                        "libcublas.so.13", "libcublas.so.12", "libcublas.so",
                        tmp + "/" + site(opt) + "cu13/lib/libcublas.so.13",
                        tmp + "/" + site(system) + "cu13/lib/libcublas.so.13",
                        tmp + "/" + site(home) + "cu13/lib/libcublas.so.13",
                        tmp + "/" + site(venv) + "cublas/lib/libcublas.so.12",
                        tmp + "/" + site(opt) + "cublas/lib/libcublas.so.12",
                        tmp + "/" + site(local) + "cublas/lib/libcublas.so.12"),
                CudaLibraries.candidates(CudaLibraries.spec(CudaLibraries.CUBLAS), env, root));
        assertEquals(List.of("libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so",
                        tmp + "/" + site(opt) + "cu13/lib/libnvrtc.so.13"),
                CudaLibraries.candidates(CudaLibraries.spec(CudaLibraries.NVRTC), env, root));
    }

    @Test
    void cudaHomeReplacesUsrLocalCuda() throws IOException {
        Path root = tmp.resolve("root");
        file("root/usr/local/cuda/lib64/libcudart.so.13");
        file("toolkit/targets/x86_64-linux/lib/libcudart.so.12");
        Map<String, String> env = Map.of("CUDA_HOME", tmp.resolve("toolkit").toString());
        assertEquals(List.of(tmp + "/toolkit/targets/x86_64-linux/lib/libcudart.so.12",
                        "libcudart.so.13", "libcudart.so.12", "libcudart.so"),
                CudaLibraries.candidates(CudaLibraries.spec(CudaLibraries.CUDART), env, root));
    }

    @Test
    void theDriverComesOnlyFromTheLoaderNeverFromTheToolkitsLinkStub() throws IOException {
        Path root = tmp.resolve("root");
        file("root/usr/local/cuda/lib64/stubs/libcuda.so");
        file("root/usr/local/cuda/lib64/libcuda.so.1");
        file("root/opt/x/.venv/lib/python3.12/site-packages/nvidia/cu13/lib/libcuda.so.1");
        assertEquals(List.of("libcuda.so.1", "libcuda.so"),
                CudaLibraries.candidates(CudaLibraries.spec(CudaLibraries.DRIVER), Map.of(), root));
    }

    private static CudaUnavailableException loadFails(CudaLibraries.Spec spec, Map<String, String> properties,
                                                      Map<String, String> env, Path root) {
        try (Arena arena = Arena.ofConfined()) {
            return assertThrows(CudaUnavailableException.class,
                    () -> CudaLibraries.load(spec, properties::get, env, root, arena));
        }
    }

    @Test
    void anOverrideThatDoesNotLoadFailsInOneLineNamingTheSettingWithoutFallingBack() throws IOException {
        Path root = tmp.resolve("root");
        file("root/usr/local/cuda/lib64/libcublas.so.13");
        CudaLibraries.Spec cublas = CudaLibraries.spec(CudaLibraries.CUBLAS);
        String missing = tmp + "/nowhere/libcublas.so.13";

        CudaUnavailableException byProperty = loadFails(cublas, Map.of("nvae.cublas.library", missing),
                Map.of("NVAE_CUBLAS_LIBRARY", "/also/ignored.so"), root);
        assertEquals("cannot load -Dnvae.cublas.library=" + missing + ": " + missing
                + ": cannot open shared object file: No such file or directory", byProperty.getMessage());

        CudaUnavailableException byEnv = loadFails(cublas, NO_PROPERTIES, Map.of("NVAE_CUBLAS_LIBRARY", missing), root);
        assertEquals("cannot load NVAE_CUBLAS_LIBRARY=" + missing + ": " + missing
                + ": cannot open shared object file: No such file or directory", byEnv.getMessage());

        CudaUnavailableException notCublas = loadFails(cublas, NO_PROPERTIES, Map.of("NVAE_CUBLAS_LIBRARY", "libc.so.6"), root);
        assertEquals("cannot load NVAE_CUBLAS_LIBRARY=libc.so.6: not the cuBLAS library: it does not export cublasCreate_v2",
                notCublas.getMessage());

        CudaUnavailableException driver = loadFails(CudaLibraries.spec(CudaLibraries.DRIVER),
                Map.of("nvae.cudadriver.library", missing), NO_PROPERTIES, root);
        assertTrue(driver.getMessage().startsWith("cannot load -Dnvae.cudadriver.library=" + missing + ": "),
                driver.getMessage());
    }

    @Test
    void theOverrideLoadsAndThePropertyWinsOverTheEnvironment() throws Exception {
        assumeTrue(CudaStubs.gccWorks(), "gcc is needed to build the stub");
        Path stub = CudaStubs.build(tmp, "libstub.so", false);
        Map<String, String> env = new HashMap<>(Map.of("NVAE_NVRTC_LIBRARY", tmp + "/nowhere.so"));
        try (Arena arena = Arena.ofConfined()) {
            CudaLibraries.Loaded l = CudaLibraries.load(CudaLibraries.spec(CudaLibraries.NVRTC),
                    Map.of("nvae.nvrtc.library", stub.toString())::get, env, tmp, arena);
            assertEquals(stub.toString(), l.file());
            assertTrue(l.lookup().find("nvrtcCreateProgram").isPresent());
        }
    }

    @Test
    void nothingFoundNamesEveryCandidateAndWhyAFoundFileDidNotLoad() throws IOException {
        CudaLibraries.Spec absent = new CudaLibraries.Spec("cublas", "cuBLAS", "nvae.cublas.library",
                "NVAE_CUBLAS_LIBRARY", List.of("libnvae-absent.so.13", "libnvae-absent.so"), true, "cublasCreate_v2");
        Path root = tmp.resolve("root");
        String message = loadFails(absent, NO_PROPERTIES, Map.of(), root).getMessage();
        assertEquals("no cuBLAS library found (tried libnvae-absent.so.13, libnvae-absent.so); no libnvae-absent.so* in "
                + root + "/usr/local/cuda/{lib64,lib,targets/x86_64-linux/lib} or in the nvidia/*/lib folder of a Python"
                + " CUDA wheel", message);

        Path broken = file("root/usr/local/cuda/lib64/libnvae-absent.so.13");
        message = loadFails(absent, NO_PROPERTIES, Map.of(), root).getMessage();
        assertTrue(message.startsWith("no cuBLAS library found (tried " + broken + " (" + broken + ": "), message);
        assertTrue(message.endsWith("), libnvae-absent.so.13, libnvae-absent.so)"), message);
        assertFalse(message.contains("\n"));
    }

    @Test
    void aSonameIsResolvedToTheFileThisProcessMapped() {
        String libc = CudaLibraries.resolvedPath("libc.so.6").orElseThrow();   // every JVM maps glibc
        assertTrue(Path.of(libc).isAbsolute() && Path.of(libc).getFileName().toString().startsWith("libc.so.6"), libc);
        assertEquals(Optional.empty(), CudaLibraries.resolvedPath("libnvae-absent.so.13"));
    }

    @Test
    void unknownLibraryNamesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CudaLibraries.lookup("cudnn"));
        assertEquals("unknown CUDA library 'cudnn' (expected one of cudart, cublas, nvrtc, driver)", e.getMessage());
    }
}
