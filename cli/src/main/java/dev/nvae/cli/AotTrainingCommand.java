package dev.nvae.cli;

import dev.nvae.NvaeException;
import dev.nvae.io.IoErrors;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * The training run of JDK 25's ahead-of-time cache (JEP 483/515), started by {@code ./nvae} once per
 * build under {@code -XX:AOTCacheOutput}: it runs the everyday commands — train, sample, evaluate —
 * in-process on a tiny slice of {@code testdata/}, so the classes they load (picocli, Jackson, FFM,
 * our own) and their method profiles go into the cache. Later starts then skip most of that class
 * loading and linking: a {@code sample} of 10,000 images is ~0.2 s faster end to end. Hidden; it
 * writes only under a temporary directory it removes.
 */
@Command(name = "aot-training", hidden = true, description = "Exercise the common commands for the AOT cache (used by ./nvae).")
final class AotTrainingCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        Path dir;
        try {
            dir = Files.createTempDirectory("nvae-aot-");
        } catch (IOException e) {
            throw new NvaeException("aot-training: cannot create a temporary directory: " + IoErrors.reason(e), e);
        }
        // A Ctrl-C ends the JVM by its signal handlers, which run shutdown hooks but no finally block: the folder
        // was left behind.
        Thread removal = new Thread(() -> remove(dir), "aot-training cleanup");
        Runtime.getRuntime().addShutdownHook(removal);
        try {
            String model = dir.resolve("m.safetensors").toString();
            List<String[]> runs = List.of(
                    new String[]{"train", "--data", "testdata", "--limit", "512", "--epochs", "1", "--no-progress", "--out", model},
                    new String[]{"sample", "--model", model, "--n", "100", "--format", "npy", "--out", dir.resolve("s.npy").toString()},
                    new String[]{"sample", "--model", model, "--n", "4", "--format", "grid", "--out", dir.resolve("s.png").toString()},
                    new String[]{"evaluate", "--model", model, "--data", "testdata", "--json"});
            for (String[] args : runs) {
                CommandLine cli = Main.commandLine();
                StringWriter sink = new StringWriter();
                cli.setOut(new PrintWriter(sink));
                cli.setErr(new PrintWriter(sink));
                int code = cli.execute(args);
                if (code != 0) throw new NvaeException("aot-training: '" + String.join(" ", args) + "' failed: " + sink);
            }
            return 0;
        } finally {
            remove(dir);
            try {
                Runtime.getRuntime().removeShutdownHook(removal);
            } catch (IllegalStateException shuttingDown) {
                // the hook removes it (again) on the way out
            }
        }
    }

    private static void remove(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // already gone, or a leftover temporary directory, which is harmless
        }
    }
}
