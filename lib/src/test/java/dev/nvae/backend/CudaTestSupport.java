package dev.nvae.backend;

import dev.nvae.ffm.cuda.CudaRuntime;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Where the tests tagged {@code cuda} find CUDA, chosen by {@code -Dnvae.test.cuda}:
 * <ul>
 *   <li>{@code stub} (what {@code mvn test} runs, in its own JVM): {@code src/test/c/cuda_stub.c}, built here
 *       with gcc, stands for the CUDA runtime, cuBLAS, NVRTC and the driver — the backend's orchestration
 *       runs for real, its kernels as C on the CPU;</li>
 *   <li>{@code device}: the real libraries and GPU (run on a machine that has one; a missing GPU fails);</li>
 *   <li>unset: the real libraries when a device answers, else the test is skipped.</li>
 * </ul>
 * The choice must be made before anything loads CUDA (the libraries stay loaded for the process), so the
 * stub's overrides are set by the first call of {@link #open} or {@link #requireCuda}.
 */
public final class CudaTestSupport {
    public static final String MODE = System.getProperty("nvae.test.cuda", "");
    private static Path stub;

    private CudaTestSupport() {
    }

    public static boolean stubbed() {
        return MODE.equals("stub");
    }

    /** Makes CUDA available as the mode says, or skips the test (mode unset, no device). */
    public static synchronized void requireCuda() {
        if (stubbed()) {
            if (stub == null) {
                stub = buildStub();
                for (String p : List.of("nvae.cuda.library", "nvae.cublas.library", "nvae.nvrtc.library", "nvae.cudadriver.library")) {
                    System.setProperty(p, stub.toString());
                }
            }
        } else if (!MODE.equals("device")) {
            Assumptions.assumeTrue(CudaRuntime.probe().available(), () -> "no CUDA device: " + CudaRuntime.probe().reason());
        }
    }

    /** A cuda backend as the mode says. */
    public static CudaBackend open(int threads) {
        requireCuda();
        return new CudaBackend(threads);
    }

    /** The stub library: kernels.cu from the classpath (what the jar ships) compiled into cuda_stub.c. */
    static Path buildStub() {
        try {
            Path dir = Files.createDirectories(Path.of("target", "cuda-stub")).toAbsolutePath();
            Path kernels = dir.resolve("kernels.cu");
            try (InputStream in = CudaBackend.class.getResourceAsStream("cuda/kernels.cu")) {
                if (in == null) throw new IllegalStateException("kernels.cu is not on the classpath");
                Files.copy(in, kernels, StandardCopyOption.REPLACE_EXISTING);
            }
            Path source = Path.of("src", "test", "c", "cuda_stub.c").toAbsolutePath();
            Path lib = dir.resolve("libnvae-cuda-stub.so");
            Process gcc = new ProcessBuilder("gcc", "-O2", "-std=gnu11", "-shared", "-fPIC", "-Wall", "-Werror",
                    "-DNVAE_KERNELS_SOURCE=\"" + kernels + "\"", "-o", lib.toString(), source.toString(), "-lm")
                    .redirectErrorStream(true).start();
            String out = new String(gcc.getInputStream().readAllBytes());
            if (!gcc.waitFor(120, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
                throw new IllegalStateException("gcc could not build the CUDA stub: " + out);
            }
            return lib;
        } catch (IOException e) {
            throw new IllegalStateException("cannot build the CUDA stub (gcc is needed): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The stub's path (stub mode only, after {@link #requireCuda}). */
    public static Path stubLibrary() {
        return stub;
    }
}
