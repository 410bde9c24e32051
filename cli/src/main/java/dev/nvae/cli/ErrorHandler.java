package dev.nvae.cli;

import dev.nvae.NvaeException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * Turns every failure into one line on stderr, {@code nvae: <message>}: exit code 2 for a bad command
 * line (followed by a pointer to --help), 1 for everything that fails while running. Stack traces are
 * for developers only, so they appear only with NVAE_DEBUG=1.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
    static final int RUNTIME_ERROR = 1;
    static final int USAGE_ERROR = 2;

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("nvae: " + oneLine(e.getMessage()));
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
        debugTrace(e, err);
        err.flush();
        return USAGE_ERROR;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        err.println("nvae: " + oneLine(message(e)));
        debugTrace(e, err);
        err.flush();
        return RUNTIME_ERROR;
    }

    /** What the user reads: lib errors are already phrased for them; anything else is labelled as what it is. */
    static String message(Throwable e) {
        if (e instanceof NvaeException) return e.getMessage();
        if (e instanceof UncheckedIOException u) return message(u.getCause());
        if (e instanceof IOException) return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return "internal error: " + e + " (run with NVAE_DEBUG=1 for the stack trace)";
    }

    /** The message contract is one line; a multi-line message from deep inside must not break it. */
    private static String oneLine(String message) {
        return message == null ? "unknown error" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    private static void debugTrace(Throwable e, PrintWriter err) {
        if ("1".equals(System.getenv("NVAE_DEBUG"))) e.printStackTrace(err);
    }
}
