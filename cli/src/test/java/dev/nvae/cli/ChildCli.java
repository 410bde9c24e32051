package dev.nvae.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code nvae <args>} in a new JVM, as the launcher would: what only a fresh process can show
 * (a resume in another JVM, SIGKILL, a file-size limit). Output goes to files, so a chatty child never
 * blocks on a full pipe.
 */
final class ChildCli {
    record Result(int exitCode, String out, String err) {
    }

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private ChildCli(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Starts the CLI with {@code args}; {@code shellPrefix}, if not empty, runs first in the same shell
     * (e.g. "ulimit -f 64") and applies to the JVM.
     */
    static ChildCli start(Path logDir, String shellPrefix, Object... args) throws IOException {
        return start(logDir, shellPrefix, List.of(), List.of(), args);
    }

    /** Starts the CLI with {@code args} in a JVM given {@code jvmFlags} besides the usual ones. */
    static ChildCli startWithJvmFlags(Path logDir, List<String> jvmFlags, Object... args) throws IOException {
        return start(logDir, "", List.of(), jvmFlags, args);
    }

    /** As {@link #startWithJvmFlags}, after {@code shellPrefix} (as in {@link #start(Path, String, Object...)}). */
    static ChildCli startWithJvmFlags(Path logDir, String shellPrefix, List<String> jvmFlags, Object... args) throws IOException {
        return start(logDir, shellPrefix, List.of(), jvmFlags, args);
    }

    /**
     * Starts the CLI as the user nobody: as root, through setpriv, keeping only the capability to read
     * and search any directory (the class path may lie under /root/.m2), not the one to write anything;
     * as anyone else, as that user (who is not root either). Null when this machine cannot do that.
     */
    static ChildCli startAsNonRoot(Path logDir, Object... args) throws IOException {
        if (!"root".equals(System.getProperty("user.name"))) return start(logDir, "", List.of(), List.of(), args);
        List<String> setpriv = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "--inh-caps=+dac_read_search", "--ambient-caps=+dac_read_search");
        try {
            Process probe = new ProcessBuilder(concat(setpriv, List.of("true"))).redirectErrorStream(true).start();
            if (probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0) return start(logDir, "", setpriv, List.of(), args);
        } catch (IOException | InterruptedException e) {
            return null;
        }
        return null;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static ChildCli start(Path logDir, String shellPrefix, List<String> wrapper, List<String> jvmFlags, Object... args)
            throws IOException {
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.addAll(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-Xss4m", "-XX:+UseParallelGC", "-XX:-UsePerfData", "-Xshare:auto"));
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        for (Object a : args) cmd.add(String.valueOf(a));
        if (!shellPrefix.isEmpty()) {
            StringBuilder line = new StringBuilder(shellPrefix).append("; exec");
            for (String c : cmd) line.append(" '").append(c.replace("'", "'\\''")).append('\'');
            cmd = List.of("/bin/sh", "-c", line.toString());
        }
        Files.createDirectories(logDir);
        Path out = Files.createTempFile(logDir, "child", ".out");
        Path err = Files.createTempFile(logDir, "child", ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new ChildCli(p, out, err);
    }

    static Result run(Path logDir, Object... args) throws Exception {
        return start(logDir, "", args).await();
    }

    Process process() {
        return process;
    }

    /** Where the child's stderr goes, readable while it runs. */
    Path stderrFile() {
        return stderr;
    }

    Result await() throws Exception {
        if (!process.waitFor(300, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("child JVM did not finish in 300 s: " + Files.readString(stderr));
        }
        return result();
    }

    /** Sends {@code signal} (INT, TERM, KILL) and waits for the process to be gone. */
    Result signal(String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0 && process.isAlive()) throw new AssertionError("kill -" + signal + " failed");
        return await();
    }

    /**
     * Whether this JVM ignores SIGINT — as a job started in the background of a non-interactive shell
     * does. A child inherits that, and a JVM that ignores SIGINT never handles it.
     */
    static boolean sigintIgnored() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & (1L << 1)) != 0;
            }
        } catch (IOException | NumberFormatException e) {
            return false;
        }
        return false;
    }

    /** SIGKILL (Process.destroyForcibly on Unix) and wait for the process to be gone. */
    Result kill() throws Exception {
        process.destroyForcibly();
        process.waitFor();
        return result();
    }

    private Result result() throws IOException {
        // Decoded leniently: stdout may carry binary output (--out -).
        return new Result(process.exitValue(), new String(Files.readAllBytes(stdout), StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8).lines()
                        .filter(l -> !l.startsWith("WARNING: Using incubator modules")).reduce("", (a, b) -> a + b + "\n"));
    }
}
