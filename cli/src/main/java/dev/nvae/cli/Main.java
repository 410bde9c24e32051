package dev.nvae.cli;

import dev.nvae.data.DataSources;
import dev.nvae.io.Staging;
import dev.nvae.io.StderrFilter;
import picocli.CommandLine;

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
        int code = commandLine(Subcommands.reachableWith(args)).execute(args);
        if (Interruption.exiting()) StderrFilter.drain();
        System.exit(code); // during a signal's hook, this waits for it, and the JVM exits with the signal's code
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
