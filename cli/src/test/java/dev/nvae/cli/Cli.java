package dev.nvae.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
