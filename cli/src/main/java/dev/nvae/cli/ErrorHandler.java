package dev.nvae.cli;

import dev.nvae.NvaeException;
import dev.nvae.io.ReaderGoneException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns every failure into one line on stderr, {@code nvae: <message>}, and exit code 1 — a bad command
 * line as much as a bad file or a failed write: the line names the flag or file and the reason (a bad
 * command line also says where its --help is). Stack traces are for developers only, so they appear only
 * with NVAE_DEBUG=1.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
    static final int ERROR = 1;
    /** 128 + SIGPIPE: a stream's reader closed it ({@code | head}); what a Unix tool killed by SIGPIPE exits with. */
    static final int READER_GONE = 141;

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("nvae: " + oneLine(e.getMessage()) + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
        debugTrace(e, err);
        err.flush();
        return ERROR;
    }

    /**
     * Runs the command the line names. An OutOfMemoryError is an Error, which picocli lets through to
     * the JVM's stack-trace printer; the sizes that decide allocations are checked before allocating, so
     * this is the net under those checks, and it too ends in one line.
     */
    int execute(ParseResult parseResult) {
        try {
            return new CommandLine.RunLast().execute(parseResult);
        } catch (OutOfMemoryError e) {
            CommandLine cmd = parseResult.commandSpec().commandLine();
            PrintWriter err = cmd.getErr();
            String message = oneLine(e.getMessage());
            String sizes = sizesGiven(parseResult);
            // The heap holds Java arrays; tensors and parameters live off it, under MaxDirectMemorySize.
            String more = message.contains("Java heap") || message.contains("GC overhead") ? "-Xmx8g" : "-XX:MaxDirectMemorySize=16g";
            err.println("nvae: out of memory (" + message + ")" + (sizes.isEmpty() ? "; ask for less" : " with " + sizes
                    + "; ask for less") + ", or give the JVM more, e.g. NVAE_JAVA_OPTS=" + more);
            debugTrace(e, err);
            err.flush();
            return ERROR;
        }
    }

    /** The numeric options given on the command line ("--bins 2000000000, --n 5"): what decides the sizes. */
    private static String sizesGiven(ParseResult parseResult) {
        ParseResult last = parseResult;
        while (last.hasSubcommand()) last = last.subcommand();
        List<String> given = new ArrayList<>();
        for (CommandLine.Model.OptionSpec o : last.matchedOptions()) {
            Class<?> t = o.type().isArray() ? o.type().getComponentType() : o.type();
            boolean numeric = t == int.class || t == long.class || t == double.class || t == float.class
                    || Number.class.isAssignableFrom(t);
            if (numeric) given.add(o.longestName() + " " + String.join(",", o.stringValues()));
        }
        return String.join(", ", given);
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parseResult) {
        if (Interruption.interrupted()) return ERROR; // the signal's own line says what happened
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ReaderGoneException) return READER_GONE;
        }
        PrintWriter err = cmd.getErr();
        err.println("nvae: " + oneLine(message(e)));
        debugTrace(e, err);
        err.flush();
        return ERROR;
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
