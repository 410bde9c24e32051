package dev.nvae.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the CLI in-process, as {@code nvae <args>} would, capturing what it prints. */
final class Cli {
    record Result(int exitCode, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    private Cli() {
    }

    static Result run(Object... args) {
        List<String> argv = new ArrayList<>();
        for (Object a : args) argv.add(a instanceof Path p ? p.toString() : String.valueOf(a));
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(argv.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }

    /**
     * Asserts the contract for bad input — exit code 1, one line on stderr that starts with "nvae: ", names
     * every one of {@code mentions} and is no stack trace, nothing on stdout, nothing in {@code outDir} — and
     * returns the line.
     */
    /** {@link #assertRefused}, and the line names --data first: a refusal of the data the command was given. */
    static String assertDataRefused(Result r, Path outDir, String... mentions) throws IOException {
        String line = assertRefused(r, outDir, mentions);
        assertTrue(line.startsWith("nvae: --data "), line);
        return line;
    }

    static String assertRefused(Result r, Path outDir, String... mentions) throws IOException {
        assertEquals(ErrorHandler.ERROR, r.exitCode(), r.err());
        assertEquals(1, r.errLines().size(), "one line: " + r.err());
        String line = r.errLines().getFirst();
        assertTrue(line.startsWith("nvae: "), line);
        assertFalse(line.contains("Exception"), line);
        for (String m : mentions) assertTrue(line.contains(m), "'" + m + "' in: " + line);
        assertEquals("", r.out());
        if (Files.exists(outDir)) {
            try (Stream<Path> files = Files.list(outDir)) {
                assertEquals(List.of(), files.toList(), "files left in " + outDir);
            }
        }
        return line;
    }

    private static Path smallModel;

    /**
     * The model of {@link #trainSmall}, trained once per test JVM for the test classes that only read it;
     * removed when the JVM exits.
     */
    static synchronized Path smallModel() {
        if (smallModel == null) {
            try {
                Path dir = java.nio.file.Files.createTempDirectory("nvae-small-model");
                dir.toFile().deleteOnExit();
                Path model = dir.resolve("m.safetensors");
                Result r = trainSmall(model);
                if (r.exitCode() != 0) throw new AssertionError("training the shared test model failed: " + r.err());
                model.toFile().deleteOnExit(); // deleted before its directory: the reverse order of registration
                smallModel = model;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return smallModel;
    }

    /** A fast training run on the committed subset. */
    static Result trainSmall(Path out, Object... extra) {
        List<Object> args = new ArrayList<>(List.of("train", "--data", "testdata", "--limit", "300", "--epochs", "1",
                "--no-progress", "--out", out));
        args.addAll(List.of(extra));
        return run(args.toArray());
    }
}
