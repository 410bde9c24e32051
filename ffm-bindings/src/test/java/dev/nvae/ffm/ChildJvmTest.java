package dev.nvae.ffm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What only a fresh process can show: concurrent first starts, the NVAE_DNNL_LIBRARY override, and
 * OMP_NUM_THREADS handed to libgomp before it loads. Each case starts {@link LoadProbeMain} in a child JVM.
 */
class ChildJvmTest {

    @TempDir
    Path tmp;

    /** Runs the probe with extra environment variables; returns its key=value output. */
    private static Map<String, String> probe(Map<String, String> env, String... args) throws Exception {
        return waitFor(start(env, args));
    }

    private static Process start(Map<String, String> env, String... args) throws IOException {
        return ChildJvm.start(List.of(), e -> {
            e.remove(NativeLibraries.DNNL_LIBRARY_ENV);
            e.put(NativeLibraries.CACHE_DIR_ENV, NativeLibraries.cacheRoot().toString());
            e.putAll(env);
        }, LoadProbeMain.class, args);
    }

    private static Map<String, String> waitFor(Process p) throws Exception {
        return ChildJvm.waitFor(p);
    }

    @Test
    void twoProcessesStartingAtOnceShareOneVerifiedExtraction() throws Exception {
        Map<String, String> env = Map.of(NativeLibraries.CACHE_DIR_ENV, tmp.toString());
        Process a = start(env);
        Process b = start(env);
        Map<String, String> ra = waitFor(a), rb = waitFor(b);
        assertEquals("true", ra.get("available"), ra.toString());
        assertEquals("true", rb.get("available"), rb.toString());
        assertEquals(ra.get("library"), rb.get("library"));
        Set<String> written = new HashSet<>();
        for (Map<String, String> r : List.of(ra, rb)) {
            if (!r.get("extracted").isEmpty()) {
                written.addAll(List.of(r.get("extracted").split(",")));
            }
        }
        assertEquals(Set.of("libgomp.so.1", "libOpenCL.so.1", "libdnnl.so.3"), written,
                "between them the two processes wrote every file");

        Path dir = Path.of(ra.get("library")).getParent();
        NativeBundle bundle = NativeBundle.fromManifest(getClass().getClassLoader());
        for (NativeBundle.Entry e : bundle.entries()) {
            assertTrue(NativeExtractor.matches(dir.resolve(e.fileName()), e, true), e.fileName());
        }
        try (var files = Files.list(dir)) {
            // The three libraries and the stamps matches() wrote for them; no temporary file.
            assertEquals(Set.of("libgomp.so.1", "libOpenCL.so.1", "libdnnl.so.3",
                            "libgomp.so.1.verified", "libOpenCL.so.1.verified", "libdnnl.so.3.verified"),
                    files.map(f -> f.getFileName().toString()).collect(java.util.stream.Collectors.toSet()),
                    "no part files left behind");
        }

        Map<String, String> third = probe(env);
        assertEquals("true", third.get("available"));
        assertEquals("", third.get("extracted"), "a later start reuses the cache");
    }

    @Test
    void overridePointingAtAOneDnn3LibraryIsUsed() throws Exception {
        DnnlLoadResult here = DnnlLibrary.load();
        assumeTrue(here.available() && here.source().equals("bundled"));
        Map<String, String> r = probe(Map.of(NativeLibraries.DNNL_LIBRARY_ENV, here.library().toString()));
        assertEquals("true", r.get("available"), r.toString());
        assertEquals("NVAE_DNNL_LIBRARY", r.get("source"));
        assertEquals(here.library().toString(), r.get("library"));
        assertEquals("3.13.0", r.get("version"));
    }

    @Test
    void overridePointingNowhereIsUnavailableWithAReason() throws Exception {
        Map<String, String> r = probe(Map.of(NativeLibraries.DNNL_LIBRARY_ENV, "/nonexistent/libdnnl.so.3"));
        assertEquals("false", r.get("available"));
        assertEquals("NVAE_DNNL_LIBRARY=/nonexistent/libdnnl.so.3: no such file", r.get("reason"));
    }

    @Test
    void overridePointingAtANonLibraryIsUnavailableWithTheDynamicLinkersReason() throws Exception {
        Path notElf = Files.writeString(tmp.resolve("libdnnl.so.3"), "not a shared object\n".repeat(20));
        Map<String, String> r = probe(Map.of(NativeLibraries.DNNL_LIBRARY_ENV, notElf.toString()));
        assertEquals("false", r.get("available"));
        System.out.println(r.get("reason"));
        assertTrue(r.get("reason").startsWith("cannot load NVAE_DNNL_LIBRARY=" + notElf + ": "), r.get("reason"));
        assertTrue(r.get("reason").endsWith("invalid ELF header"), r.get("reason"));
    }

    @Test
    void overridePointingAtOneDnn2IsRefused() throws Exception {
        Path v2 = Path.of("/lib/x86_64-linux-gnu/libdnnl.so.2");
        assumeTrue(Files.exists(v2), "no system oneDNN 2.x to try");
        Map<String, String> r = probe(Map.of(NativeLibraries.DNNL_LIBRARY_ENV, v2.toString()));
        System.out.println(r.get("reason"));
        assertEquals("false", r.get("available"));
        assertTrue(r.get("reason").matches("NVAE_DNNL_LIBRARY=.* is oneDNN 2\\.\\d+\\.\\d+; nvae needs 3\\.x"), r.get("reason"));
    }

    @Test
    void ompNumThreadsSetBeforeLoadingAppliesToEveryThread() throws Exception {
        Map<String, String> r = probe(Map.of(), "omp=1");
        assertEquals("true", r.get("available"), r.toString());
        assertEquals("1", r.get("otherThreadMaxThreads"));
    }
}
