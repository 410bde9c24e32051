package dev.nvae.cli;

import dev.nvae.backend.Backend;
import dev.nvae.backend.OneDnnBackend;
import dev.nvae.kernels.Simd;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The launcher's quick JIT for {@code sample}, seen from the JVM. The launcher starts {@code sample} with C1
 * alone ({@code -XX:TieredStopAtLevel=1}, see launcher/jvm-flags.sh) when it expects the command to write NPY
 * or a grid on oneDNN at fp32, and says so in {@code -Dnvae.jit.quick=true}. Its guess can be wrong — oneDNN may fail to
 * load, and auto then opens the vector backend — and the Vector API without C2 boxes every vector (10,000
 * samples: 25 s instead of 1.4 s). So a command that finds itself in such a JVM with another backend runs
 * itself again in a JVM with the full JIT, with the same arguments and standard streams, and exits with
 * that run's status.
 */
final class QuickJit {
    static final String PROPERTY = Simd.C1_ONLY_PROPERTY;
    static final String C1_ONLY = "-XX:TieredStopAtLevel=1";
    /** What every JVM prints first on stderr when the Vector API's incubator module is resolved. */
    static final String JVM_NOTICE = "WARNING: Using incubator modules: jdk.incubator.vector";
    /** Set in the environment of the run started again, so that it never starts a third. */
    static final String RERUN = "NVAE_JIT_RERUN";

    private QuickJit() {
    }

    /** Whether this JVM was started with the quick JIT. */
    static boolean on() {
        return Boolean.getBoolean(PROPERTY);
    }

    /**
     * Whether the command must run again with the full JIT: this JVM has the quick JIT and {@code opened} is anything
     * but the plain fp32 oneDNN backend. A run that was itself started again and still has the quick JIT (given
     * where this class cannot remove it, e.g. in JAVA_TOOL_OPTIONS) says so on {@code err} and goes on, slowly.
     */
    static boolean mustRerun(Backend opened, PrintWriter err) {
        if (!on() || opened instanceof OneDnnBackend) return false;
        if (System.getenv(RERUN) == null) return true;
        err.println("warning: this JVM compiles with C1 alone (" + C1_ONLY + ") and the " + opened.name()
                + " backend needs C2: this run will be slow; remove the flag from JAVA_TOOL_OPTIONS or NVAE_JAVA_OPTS");
        err.flush();
        return false;
    }

    /**
     * This JVM's command line without the quick JIT, and without the launcher's stderr filter pid (the filter
     * is this JVM's to wait for; the new run's stderr comes through this one).
     */
    static List<String> fullJitCommand(String java, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(java);
        for (String a : arguments) {
            if (a.equals(C1_ONLY) || a.startsWith("-D" + PROPERTY + "=") || a.startsWith("-Dnvae.stderr.filter=")) continue;
            command.add(a);
        }
        return command;
    }

    /**
     * Runs this command again with the full JIT and returns its exit status. Standard input and output are
     * the new JVM's own; its stderr is copied to ours without the JVM's incubator notice, which the launcher
     * already filtered once. A signal that ends this JVM ends the new one too.
     */
    static int rerun() {
        ProcessHandle.Info info = ProcessHandle.current().info();
        String java = info.command().orElseThrow(() -> new IllegalStateException("this JVM's command is unknown: cannot start it again"));
        String[] arguments = info.arguments().orElseThrow(() -> new IllegalStateException("this JVM's arguments are unknown: cannot start it again"));
        ProcessBuilder pb = new ProcessBuilder(fullJitCommand(java, Arrays.asList(arguments)))
                .redirectInput(ProcessBuilder.Redirect.INHERIT)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.PIPE);
        pb.environment().put(RERUN, "1");
        System.out.flush();
        System.err.flush();
        Process child;
        try {
            child = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a JVM with the full JIT: " + e.getMessage(), e);
        }
        // stderr is copied on a thread of its own, so that a signal's stop below can wait until the new run's last
        // lines (its own "interrupted" among them) have come through before this JVM closes stderr.
        Thread copier = Thread.ofPlatform().name("nvae-rerun-stderr").start(() -> {
            try {
                copyWithoutNotice(child.getErrorStream(), System.err);
            } catch (IOException lost) {
                // the new run's stderr broke: its exit status still tells how it ended
            }
        });
        // A signal to this JVM alone (SIGTERM from a supervisor) is passed on; Ctrl-C reaches both. Either way the
        // new run removes what it had not finished and says so, and this JVM says nothing more (a registered stop
        // keeps Interruption's own line back, there being nothing of ours to remove).
        Interruption.handOver(); // the outputs are the new run's to write, and to name if it is stopped
        Interruption.onSignal(() -> {
            child.toHandle().destroy();  // SIGTERM; Process.destroy would also close the pipe the last lines come through
            try {
                child.waitFor(30, TimeUnit.SECONDS);
                copier.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            copier.join();
            return child.waitFor();
        } catch (InterruptedException e) {
            child.destroy();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the JVM started with the full JIT ran", e);
        }
    }

    /**
     * Copies {@code in} to {@code out} as it comes, leaving out the JVM's notice where the launcher's filter
     * would: as the first line, or after the JVM's own "Picked up ..." notes.
     */
    static void copyWithoutNotice(InputStream in, OutputStream out) throws IOException {
        while (true) {
            byte[] line = readLine(in);
            if (line.length == 0) break;
            String text = new String(line, StandardCharsets.UTF_8);
            if (text.equals(JVM_NOTICE + "\n")) break;
            out.write(line);
            out.flush();
            if (!text.startsWith("NOTE: Picked up") && !text.startsWith("Picked up")) break;
        }
        in.transferTo(new FlushingStream(out));
        out.flush();
    }

    /** The bytes up to and including the next newline (all that is left at the end of the stream; none after it). */
    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            line.write(b);
            if (b == '\n') break;
        }
        return line.toByteArray();
    }

    /** Passes each chunk on at once: a progress line or an error must not wait for a buffer to fill. */
    private static final class FlushingStream extends OutputStream {
        private final OutputStream out;

        FlushingStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            out.flush();
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            out.flush();
        }
    }
}
