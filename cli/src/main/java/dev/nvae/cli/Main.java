package dev.nvae.cli;

import dev.nvae.data.DataSources;
import dev.nvae.io.IoErrors;
import dev.nvae.io.ReaderGoneException;
import dev.nvae.io.Staging;
import dev.nvae.io.StderrFilter;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Entry point of {@code nvae.jar}: runs one command and exits with its code — 0 when it succeeded, 1 for
 * every failure (a bad flag or file, a failed write, too little memory), 128 + the signal's number when a
 * signal ended it ({@link Interruption}).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        NativePreload.startIfUseful(args);
        Interruption.install(System.err);
        StandardOutput stdout = StandardOutput.install();
        CommandLine cli = commandLine(Subcommands.reachableWith(args));
        int code = cli.execute(args);
        code = checkStandardOutput(cli, stdout, code);
        if (Interruption.exiting()) StderrFilter.drain();
        System.exit(code); // during a signal's hook, this waits for it, and the JVM exits with the signal's code
    }

    /**
     * A command that succeeded but whose printed result did not reach standard output fails as a write does: one
     * line and 1, or quietly 141 where a pipe's reader closed it ({@code | head -1}), as a Unix tool ends.
     */
    private static int checkStandardOutput(CommandLine cli, StandardOutput stdout, int code) {
        // Each command's writer is its own (picocli makes one over System.out when first asked); print() does not flush.
        for (CommandLine.ParseResult p = cli.getParseResult(); p != null; p = p.subcommand()) p.commandSpec().commandLine().getOut().flush();
        cli.getOut().flush();
        System.out.flush();
        IOException failure = stdout.failure();
        if (failure == null || code != 0) return code;
        String reason = IoErrors.reason(failure);
        if (ReaderGoneException.isBrokenPipe(reason)) return ErrorHandler.READER_GONE;
        cli.getErr().println("nvae: standard output: cannot write: " + reason);
        cli.getErr().flush();
        return ErrorHandler.ERROR;
    }

    /** The whole configured command tree; tests call this and redirect its out/err writers. */
    public static CommandLine commandLine() {
        return commandLine(Subcommands.all());
    }

    private static CommandLine commandLine(Map<String, Supplier<Object>> subcommands) {
        ErrorHandler errors = new ErrorHandler();
        CommandLine cli = new CommandLine(new NvaeCommand());
        subcommands.forEach((name, command) -> cli.addSubcommand(name, command.get()));
        // An empty path is the current directory to Path.of: "--model ''" read ".", failing as ": is a directory".
        cli.registerConverter(Path.class, value -> {
            if (value.isBlank()) throw new CommandLine.TypeConversionException("an empty path");
            return Path.of(value);
        });
        cli.setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(errors)
                .setParameterExceptionHandler(errors)
                .setExecutionStrategy(errors::execute);
        java.util.function.Consumer<String> warning = message -> {
            cli.getErr().println("warning: " + message);
            cli.getErr().flush();
        };
        Staging.onNotice(warning);
        DataSources.onNotice(warning);
        return cli;
    }
}
