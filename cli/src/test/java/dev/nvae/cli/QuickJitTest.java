package dev.nvae.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.nvae.io.Staging;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The launcher's quick JIT for {@code sample} (C1 alone), and the run again with the full JIT when it was the wrong guess. */
class QuickJitTest {
    @Test
    void theFullJitCommandDropsTheQuickJitAndTheFilterAndKeepsEverythingElseInOrder() {
        List<String> jvm = List.of("-XX:+UseParallelGC", "-XX:TieredStopAtLevel=1", "-Dnvae.jit.quick=true",
                "-Dnvae.stderr.filter=123", "-Dnvae.home=/opt/a b", "-jar", "nvae.jar", "sample", "--n", "5",
                "-XX:TieredStopAtLevel=1");  // an argument of the command is not the JVM's, but nvae has no such value
        assertEquals(List.of("/jdk/bin/java", "-XX:+UseParallelGC", "-Dnvae.home=/opt/a b", "-jar", "nvae.jar", "sample", "--n", "5"),
                QuickJit.fullJitCommand("/jdk/bin/java", jvm));
    }

    @Test
    void theNewRunsStderrComesThroughWithoutTheJvmsNoticeAndNothingElseIsLost() throws Exception {
        String rest = "nvae: oneDNN unavailable: x; using the vector backend\nwrote 5 samples to s.npy\n";
        assertEquals(rest, copied(QuickJit.JVM_NOTICE + "\n" + rest));
        // Anything else first is passed on whole, also a line shorter than the notice and an empty stream.
        assertEquals("error: --n 0 must be at least 1\n", copied("error: --n 0 must be at least 1\n"));
        assertEquals("", copied(""));
        String other = "WARNING: Using incubator modules: jdk.incubator.vector, jdk.other\nx\n";
        assertEquals(other, copied(other));
        // After the JVM's own notes, as the launcher's filter does; only once, and not after other output.
        String picked = "Picked up JAVA_TOOL_OPTIONS: -Dx=1\n";
        assertEquals(picked + rest, copied(picked + QuickJit.JVM_NOTICE + "\n" + rest));
        String late = "x\n" + QuickJit.JVM_NOTICE + "\n";
        assertEquals(late, copied(late));
        assertEquals(rest + QuickJit.JVM_NOTICE + "\n", copied(QuickJit.JVM_NOTICE + "\n" + rest + QuickJit.JVM_NOTICE + "\n"));
        assertEquals("no newline", copied("no newline"));
    }

    private static String copied(String stderr) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        QuickJit.copyWithoutNotice(new ByteArrayInputStream(stderr.getBytes(StandardCharsets.UTF_8)), out);
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * A JVM started with the quick JIT for a backend that needs C2 (the launcher's wrong guess, forced here with
     * --backend vector) runs the command again with the full JIT: the same files, byte for byte, as a plain run,
     * its exit status, and one "wrote" line.
     */
    @Test
    void aQuickJitRunOnTheVectorBackendRunsAgainWithTheFullJitAndWritesTheSameFiles(@TempDir Path dir) throws Exception {
        Path model = Cli.smallModel();
        Path plain = dir.resolve("plain.npy"), quick = dir.resolve("quick.npy");
        List<String> quickJit = List.of(QuickJit.C1_ONLY, "-D" + QuickJit.PROPERTY + "=true");
        ChildCli.Result a = ChildCli.run(dir.resolve("logs"), "sample", "--model", model, "--n", 20, "--format", "npy",
                "--backend", "vector", "--threads", 1, "--out", plain);
        assertEquals(0, a.exitCode(), a.err());
        ChildCli.Result b = ChildCli.startWithJvmFlags(dir.resolve("logs"), quickJit, "sample", "--model", model, "--n", 20,
                "--format", "npy", "--backend", "vector", "--threads", 1, "--out", quick).await();
        assertEquals(0, b.exitCode(), b.err());
        assertEquals(List.of("wrote 200 samples to " + quick), b.err().lines().toList());
        assertArrayEquals(Files.readAllBytes(plain), Files.readAllBytes(quick));
        assertArrayEquals(Files.readAllBytes(dir.resolve("plain-labels.npy")), Files.readAllBytes(dir.resolve("quick-labels.npy")));

        // Given where it cannot be removed (JAVA_TOOL_OPTIONS, which the new JVM inherits), the quick JIT is still on in
        // the run started again: that run warns and goes on instead of starting a third, and writes the same files.
        Path inherited = dir.resolve("inherited.npy");
        ChildCli.Result d = ChildCli.start(dir.resolve("logs"), "export JAVA_TOOL_OPTIONS='" + String.join(" ", quickJit) + "'",
                "sample", "--model", model, "--n", 20, "--format", "npy", "--backend", "vector", "--threads", 1, "--out", inherited)
                .await();
        assertEquals(0, d.exitCode(), d.err());
        List<String> lines = d.err().lines().filter(l -> !l.startsWith("Picked up")).toList();
        assertEquals(2, lines.size(), d.err());
        assertTrue(lines.get(0).startsWith("warning: this JVM compiles with C1 alone (-XX:TieredStopAtLevel=1) and the vector "
                + "backend needs C2"), d.err());
        assertEquals("wrote 200 samples to " + inherited, lines.get(1));
        assertArrayEquals(Files.readAllBytes(plain), Files.readAllBytes(inherited));

        // A failure in the new run is the command's failure: its message once, its status, nothing written.
        Path bad = dir.resolve("bad.npy");
        ChildCli.Result c = ChildCli.startWithJvmFlags(dir.resolve("logs"), quickJit, "sample", "--model", model, "--n", 20,
                "--format", "npy", "--backend", "vector", "--threads", 1, "--class", "no such class", "--out", bad).await();
        assertTrue(c.exitCode() != 0, c.err());
        assertEquals(1, c.err().lines().count(), c.err());
        assertTrue(Files.notExists(bad), "nothing written");
    }

    /**
     * The case the run again exists for: the launcher expected oneDNN, and auto fell back to the vector backend
     * because oneDNN would not load. The notice of the fallback and the --threads warning are each said once (by
     * the run started again), and the samples are those of a plain vector run.
     */
    @Test
    void aFallbackFromOneDnnRunsAgainAndSaysEachNoticeOnce(@TempDir Path dir) throws Exception {
        Path model = Cli.smallModel();
        Path plain = dir.resolve("plain.npy"), fell = dir.resolve("fell.npy");
        ChildCli.Result a = ChildCli.run(dir.resolve("logs"), "sample", "--model", model, "--n", 20, "--format", "npy",
                "--backend", "vector", "--out", plain);
        assertEquals(0, a.exitCode(), a.err());
        int cores = Runtime.getRuntime().availableProcessors();
        ChildCli.Result b = ChildCli.startWithJvmFlags(dir.resolve("logs"), "export NVAE_DNNL_LIBRARY=/nonexistent/libdnnl.so.3",
                List.of(QuickJit.C1_ONLY, "-D" + QuickJit.PROPERTY + "=true"), "sample", "--model", model, "--n", 20,
                "--format", "npy", "--threads", cores + 1, "--out", fell).await();
        assertEquals(0, b.exitCode(), b.err());
        List<String> lines = b.err().lines().toList();
        assertEquals(3, lines.size(), b.err());
        assertTrue(lines.get(0).startsWith("warning: --threads " + (cores + 1) + " is more than"), b.err());
        assertTrue(lines.get(1).startsWith("nvae: oneDNN unavailable") && lines.get(1).endsWith("using the vector backend"), b.err());
        assertEquals("wrote 200 samples to " + fell, lines.get(2));
        assertArrayEquals(Files.readAllBytes(plain), Files.readAllBytes(fell));
    }

    /**
     * SIGTERM to the JVM that started the run again (a supervisor stopping it): the new run is stopped too, removes
     * what it was writing and says so in one line, which comes through before this JVM exits with 143; no
     * process is left behind.
     */
    @Test
    void aSignalToTheFirstJvmStopsTheRunStartedAgainAndNothingIsLeft(@TempDir Path dir) throws Exception {
        Path model = Cli.smallModel();
        Path out = Files.createDirectories(dir.resolve("out"));
        Path npy = out.resolve("s.npy");
        ChildCli run = ChildCli.startWithJvmFlags(dir.resolve("logs"), List.of(QuickJit.C1_ONLY, "-D" + QuickJit.PROPERTY + "=true"),
                "sample", "--model", model, "--n", 50_000, "--format", "npy", "--backend", "vector", "--out", npy);
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (run.process().isAlive() && staging(out).isEmpty() && System.nanoTime() < deadline) Thread.sleep(5);
        assertTrue(run.process().isAlive(), "still writing when signalled");
        List<ProcessHandle> again = run.process().descendants().toList();
        assertEquals(1, again.size(), "one JVM started again: " + again);
        ChildCli.Result r = run.signal("TERM");
        assertEquals(143, r.exitCode(), r.err());
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("nvae: interrupted; not written"), r.err());
        assertTrue(again.get(0).onExit().get(30, java.util.concurrent.TimeUnit.SECONDS) != null && !again.get(0).isAlive());
        assertEquals(List.of(), staging(out), "nothing staged is left");
        assertTrue(Files.notExists(npy));
    }

    private static List<String> staging(Path d) throws java.io.IOException {
        try (Stream<Path> files = Files.list(d)) {
            return files.filter(Staging::isStagingName).map(p -> p.getFileName().toString()).toList();
        }
    }
}
