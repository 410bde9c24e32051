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

    /** A fast training run on the committed subset. */
    static Result trainSmall(Path out, Object... extra) {
        List<Object> args = new ArrayList<>(List.of("train", "--data", "testdata", "--limit", "300", "--epochs", "1",
                "--no-progress", "--out", out));
        args.addAll(List.of(extra));
        return run(args.toArray());
    }
}
