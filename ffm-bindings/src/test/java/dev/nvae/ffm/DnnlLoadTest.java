package dev.nvae.ffm;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.nvae.ffm.dnnl.dnnl_h.*;
import static org.junit.jupiter.api.Assertions.*;

class DnnlLoadTest {

    @Test
    void loadsBundledOneDnn3() {
        DnnlLoadResult r = DnnlLibrary.load();
        System.out.println(r.describe() + " in " + r.millis() + " ms; loaded " + r.loaded() + "; extracted now "
                + r.extracted() + "; notes " + r.notes());
        assertTrue(r.available(), r.reason());
        assertEquals("", DnnlLibrary.unavailableReason());
        assertSame(r, DnnlLibrary.load(), "loaded once per process");

        DnnlVersion v = DnnlLibrary.version();
        System.out.println("oneDNN " + v.describe() + ", effective ISA " + DnnlLibrary.effectiveCpuIsa());
        assertEquals(3, v.major());
        assertEquals(DNNL_VERSION_MINOR(), v.minor(), "the bindings were written against this minor version");
        assertEquals("OpenMP", DnnlVersion.runtimeName(v.cpuRuntime()));
        assertNotNull(v.hash());

        String isa = DnnlLibrary.effectiveCpuIsa();
        assertFalse(isa.isBlank());
        assertFalse(isa.startsWith("cpu_isa("), "unknown dnnl_cpu_isa_t value: " + isa);
    }

    @Test
    void bundledLibrariesComeFromTheCacheNotTheSystem() throws IOException {
        DnnlLoadResult r = DnnlLibrary.load();
        assertTrue(r.available(), r.reason());
        if (!r.source().equals("bundled")) {
            return;  // NVAE_DNNL_LIBRARY set for this run: nothing bundled to check
        }
        Path dir = r.library().getParent();
        assertEquals(List.of(dir.resolve("libgomp.so.1"), dir.resolve("libOpenCL.so.1"), dir.resolve("libdnnl.so.3")),
                r.loaded(), "dependencies first, libdnnl last");
        assertTrue(dir.startsWith(NativeLibraries.cacheRoot().resolve("natives")), dir.toString());

        // libdnnl's DT_NEEDED libgomp.so.1 must resolve to the copy loaded first, not to a system libgomp.
        List<String> maps = Files.readAllLines(Path.of("/proc/self/maps"));
        for (String lib : List.of("libgomp.so", "libdnnl.so")) {
            List<String> paths = maps.stream().filter(l -> l.contains("/" + lib))
                    .map(l -> l.substring(l.indexOf('/'))).distinct().toList();
            assertEquals(1, paths.size(), lib + " mapped from " + paths);
            assertTrue(paths.getFirst().startsWith(dir.toString()), paths.getFirst());
        }
        // omp_h resolves through libdnnl's handle, i.e. in the libgomp instance libdnnl uses.
        assertNotEquals(MemorySegment.NULL, NativeLibraries.dnnlSymbol("omp_get_max_threads"));
    }

    @Test
    void createsAndDestroysCpuEngineAndStream() {
        assertTrue(dnnl_engine_get_count(dnnl_cpu()) >= 1);
        try (DnnlScope s = new DnnlScope()) {
            assertNotEquals(MemorySegment.NULL, s.engine);
            assertNotEquals(MemorySegment.NULL, s.stream);
            DnnlStatus.check("dnnl_stream_wait", dnnl_stream_wait(s.stream));
        }
    }

    @Test
    void openMpThreadCountIsPerThread() throws InterruptedException {
        assertTrue(DnnlLibrary.usesOpenMp());
        int procs = DnnlLibrary.numProcs();
        int before = DnnlLibrary.maxThreads();
        assertTrue(procs >= 1 && before >= 1, procs + " " + before);
        AtomicInteger inThread = new AtomicInteger();
        Thread t = Thread.ofPlatform().start(() -> {
            DnnlLibrary.setNumThreads(1);
            inThread.set(DnnlLibrary.maxThreads());
        });
        t.join();
        assertEquals(1, inThread.get());
        assertEquals(before, DnnlLibrary.maxThreads(), "omp_set_num_threads on another thread leaves this one alone");
        assertThrows(IllegalArgumentException.class, () -> DnnlLibrary.setNumThreads(0));
        assertThrows(IllegalStateException.class, () -> NativeLibraries.setOpenMpEnvironment("OMP_NUM_THREADS", "1"),
                "too late once loaded");
    }

    @Test
    void verboseCanBeSwitchedOff() {
        DnnlLibrary.setVerbose(0);
    }
}
