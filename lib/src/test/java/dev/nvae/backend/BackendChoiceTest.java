package dev.nvae.backend;

import dev.nvae.NvaeException;
import dev.nvae.ffm.DnnlLibrary;
import dev.nvae.ffm.NativeLibraries;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@link Backends#create}: names, the auto rule and its fallback, and OpenMP configured before the first load. */
class BackendChoiceTest {

    @Test
    void unknownNamesAndBadThreadCountsNameTheFlag() {
        assertEquals("--backend gpu: expected vector, onednn, auto or cuda",
                assertThrows(NvaeException.class, () -> Backends.create("gpu", 1)).getMessage());
        assertEquals("--threads 0 must be at least 1",
                assertThrows(NvaeException.class, () -> Backends.create("onednn", 0)).getMessage());
    }

    @Test
    void onednnUnavailableFailsWithOneLineAndAutoFallsBackWithANotice() throws Exception {
        Map<String, String> env = Map.of(NativeLibraries.DNNL_LIBRARY_ENV, "/nonexistent/libdnnl.so.3");
        Map<String, String> forced = child(env, "onednn", "2");
        assertEquals("--backend onednn: oneDNN unavailable: NVAE_DNNL_LIBRARY=/nonexistent/libdnnl.so.3: no such file",
                forced.get("error"));
        Map<String, String> auto = child(env, "auto", "2");
        assertEquals("vector", auto.get("backend"));
        assertEquals("nvae: oneDNN unavailable: NVAE_DNNL_LIBRARY=/nonexistent/libdnnl.so.3: no such file;"
                + " using the vector backend", auto.get("notices"));
    }

    /** The CPU backends load nothing of CUDA: a process that never asks for the GPU never touches its libraries. */
    @Test
    void cpuBackendsLoadNoCudaLibrary() throws Exception {
        for (String name : new String[]{"vector", "auto"}) {
            Map<String, String> r = child(Map.of(), name, "1");
            assertEquals("", r.get("cudaLoaded"), name + ": " + r);
        }
    }

    @Test
    void threadsReachEveryOpenMpThreadWhenSetBeforeTheFirstLoad() throws Exception {
        assumeTrue(DnnlLibrary.isAvailable(), () -> "oneDNN unavailable: " + DnnlLibrary.unavailableReason());
        for (String threads : new String[]{"1", "2"}) {
            Map<String, String> r = child(Map.of(), "onednn", threads);
            assertEquals("onednn", r.get("backend"), r.toString());
            assertEquals(threads, r.get("threads"));
            assertEquals(threads, r.get("otherThreadTeam"), "OMP_NUM_THREADS handed to libgomp before it loaded");
        }
    }

    /**
     * OpenMP workers spin briefly (OpenMpThreads): with libgomp's default, two nvae processes on the same cores
     * crawl. A spin count or wait policy the user chose is left as it is.
     */
    @Test
    void openMpWorkersSpinBrieflyUnlessTheUserChoseOtherwise() throws Exception {
        assumeTrue(DnnlLibrary.isAvailable(), () -> "oneDNN unavailable: " + DnnlLibrary.unavailableReason());
        assertEquals("2000", child(Map.of(), "onednn", "2").get("spinCount"));
        assertEquals("123", child(Map.of("GOMP_SPINCOUNT", "123"), "onednn", "2").get("spinCount"));
        assertEquals("", child(Map.of("OMP_WAIT_POLICY", "passive"), "onednn", "2").get("spinCount"));
    }

    @Test
    void autoPicksOnednnWhereItRunsAvx2() throws Exception {
        assumeTrue(DnnlLibrary.isAvailable(), () -> "oneDNN unavailable: " + DnnlLibrary.unavailableReason());
        int isa = DnnlLibrary.effectiveCpuIsaValue();
        int avx2 = dev.nvae.ffm.dnnl.dnnl_h.dnnl_cpu_isa_avx2();
        Map<String, String> r = child(Map.of(), "auto", "2");
        if ((isa & avx2) == avx2) {
            assertEquals("onednn", r.get("backend"), r.toString());
            assertEquals("", r.get("notices"));
        } else {
            assertEquals("vector", r.get("backend"), r.toString());
            assertTrue(r.get("notices").contains("below avx2"), r.toString());
        }
    }

    @Test
    void describeAvailableNamesVersionRuntimeAndIsa() {
        List<String> lines = Backends.describeAvailable();
        assertTrue(lines.get(0).startsWith("vector ("), lines.toString());
        if (DnnlLibrary.isAvailable()) {
            assertTrue(lines.get(1).matches("onednn \\(oneDNN 3\\.\\d+\\.\\d+, .*; CPU runtime OpenMP, effective ISA \\w+\\): available"),
                    lines.get(1));
        } else {
            assertTrue(lines.get(1).startsWith("onednn: unavailable, "), lines.get(1));
        }
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("auto: ")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("cuda: ")), lines.toString());
    }

    /**
     * Without a CUDA driver or device (this JVM has not the stub: that runs in its own), --backend cuda fails
     * in one line naming the cause, and never falls back to the CPU; info says the same and that auto
     * does not pick it.
     */
    @Test
    void cudaRequestWithoutAGpuFailsInOneLine() {
        Assumptions.assumeFalse(dev.nvae.ffm.cuda.CudaRuntime.probe().available(), "a GPU answers here");
        NvaeException e = assertThrows(NvaeException.class, () -> Backends.create("cuda", 1, s -> fail("notice " + s)));
        assertTrue(e.getMessage().startsWith("--backend cuda: "), e.getMessage());
        assertEquals(dev.nvae.ffm.cuda.CudaRuntime.probe().reason(), e.getMessage().substring("--backend cuda: ".length()));
        assertFalse(e.getMessage().contains("\n"));
        String line = Backends.describeAvailable().stream().filter(l -> l.startsWith("cuda: ")).findFirst().orElseThrow();
        assertTrue(line.startsWith("cuda: unavailable, ") && line.endsWith("(--backend cuda fails; auto never picks it)"), line);
    }

    private static Map<String, String> child(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), BackendChoiceMain.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove(NativeLibraries.DNNL_LIBRARY_ENV);
        pb.environment().remove("OMP_NUM_THREADS");
        pb.environment().remove("GOMP_SPINCOUNT");
        pb.environment().remove("OMP_WAIT_POLICY");
        pb.environment().put(NativeLibraries.CACHE_DIR_ENV, NativeLibraries.cacheRoot().toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child timed out");
        assertEquals(0, p.exitValue(), out);
        Map<String, String> kv = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("WARNING")) kv.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return kv;
    }
}
