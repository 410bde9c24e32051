package dev.nvae.backend.cuda;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernel source the jar ships, compiled as CUDA where a CUDA compiler is installed (nvcc, which shares
 * its front end with NVRTC): it must compile with no warning to PTX that defines every kernel the
 * backend launches. The tests tagged cuda compile the same file as C for the CPU stub everywhere.
 */
class KernelSourceTest {

    /** nvcc under $CUDA_HOME, else the newest /usr/local/cuda*; null if none. */
    static Path nvcc() throws IOException {
        List<Path> candidates = new ArrayList<>();
        String home = System.getenv("CUDA_HOME");
        if (home != null && !home.isBlank()) candidates.add(Path.of(home, "bin", "nvcc"));
        Path local = Path.of("/usr/local");
        if (Files.isDirectory(local)) {
            try (var dirs = Files.list(local)) {
                dirs.filter(d -> d.getFileName().toString().startsWith("cuda")).sorted(java.util.Comparator.reverseOrder())
                        .forEach(d -> candidates.add(d.resolve("bin/nvcc")));
            }
        }
        return candidates.stream().filter(Files::isExecutable).findFirst().orElse(null);
    }

    @Test
    void kernelsCompileToPtxDefiningEveryKernelTheBackendLaunches(@TempDir Path dir) throws Exception {
        Path nvcc = nvcc();
        Assumptions.assumeTrue(nvcc != null, "no nvcc under $CUDA_HOME or /usr/local/cuda*");
        Path source = dir.resolve("kernels.cu"), ptx = dir.resolve("kernels.ptx");
        Files.writeString(source, CudaKernels.source());
        // The oldest architecture CUDA 12 and 13 both target; NVRTC compiles for the device's own at run time.
        Process p = new ProcessBuilder(nvcc.toString(), "-ptx", "-arch=compute_75", "-Werror", "all-warnings",
                "-o", ptx.toString(), source.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "nvcc timed out");
        assertEquals(0, p.exitValue(), "nvcc: " + out);
        List<String> entries = new ArrayList<>();
        Matcher m = Pattern.compile("\\.visible \\.entry (\\w+)\\(").matcher(Files.readString(ptx));
        while (m.find()) entries.add(m.group(1));
        List<String> launched = new ArrayList<>();
        for (CudaKernels.Kernel k : CudaKernels.Kernel.values()) launched.add(k.symbol);
        assertEquals(launched.stream().sorted().toList(), entries.stream().sorted().toList());
    }
}
