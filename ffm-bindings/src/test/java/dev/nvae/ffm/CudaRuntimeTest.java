package dev.nvae.ffm;

import dev.nvae.ffm.cuda.CudaException;
import dev.nvae.ffm.cuda.CudaProbe;
import dev.nvae.ffm.cuda.CudaRuntime;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.nvae.ffm.cuda.cuda_runtime_api_h.*;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CudaRuntimeTest {

    /** Whether this machine has an NVIDIA GPU at all (the driver creates these device files). */
    private static boolean hasNvidiaDevice() {
        return Files.exists(Path.of("/dev/nvidiactl")) || Files.exists(Path.of("/dev/nvidia0"));
    }

    @Test
    void probeNeverThrowsAndGivesAOneLineReason() {
        CudaProbe p = CudaRuntime.probe();
        System.out.println(p.describe() + (p.library().isEmpty() ? "" : " [library " + p.library()
                + ", runtime " + p.versionText() + "]"));
        assertSame(p, CudaRuntime.probe(), "probed once per process");
        if (p.available()) {
            assertTrue(p.deviceCount() >= 1);
            assertEquals("", p.reason());
            return;
        }
        assertFalse(hasNvidiaDevice() && !p.library().isEmpty() && p.reason().isEmpty());
        assertFalse(p.reason().isBlank());
        assertFalse(p.reason().contains("\n"), p.reason());
        assertEquals(0, p.deviceCount());
        assertTrue(p.describe().startsWith("CUDA unavailable: "));
        assertTrue(p.reason().startsWith("no CUDA runtime library found") || p.reason().startsWith("cudaGetDeviceCount: "),
                p.reason());
    }

    @Test
    void machineWithoutAGpuIsUnavailable() {
        assumeTrue(!hasNvidiaDevice(), "this machine has an NVIDIA device");
        assertFalse(CudaRuntime.isAvailable());
    }

    @Test
    void bindingsWorkWhenTheRuntimeLoadedEvenWithoutADevice() {
        CudaProbe p = CudaRuntime.probe();
        assumeTrue(!p.library().isEmpty(), "no libcudart on this machine");
        assertEquals("no CUDA-capable device is detected", CudaRuntime.errorString(cudaErrorNoDevice()));
        assertTrue(p.runtimeVersion() >= 12000, "runtime " + p.runtimeVersion());
        if (!p.available()) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment devPtr = arena.allocate(ADDRESS);
                int err = cudaMalloc(devPtr, 1024);
                assertNotEquals(cudaSuccess(), err, "no device, no memory");
                CudaException e = assertThrows(CudaException.class, () -> CudaRuntime.check("cudaMalloc", err));
                System.out.println(e.getMessage());
                assertTrue(e.getMessage().matches("cudaMalloc failed: .+ \\(cudaError\\w+, cudaError " + err + "\\)"),
                        e.getMessage());
                assertEquals(CudaException.RUNTIME, e.library());
                assertEquals("cudaMalloc", e.call());
                assertEquals(err, e.code());
            }
        }
    }
}
