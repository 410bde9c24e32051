package dev.nvae.cli;

import picocli.CommandLine;

import java.util.Map;
import java.util.function.Supplier;

/** Entry point of {@code nvae.jar}: runs one command and exits with its code (0 ok, 1 failed, 2 bad usage). */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        NativePreload.startIfUseful(args);
        System.exit(commandLine(Subcommands.reachableWith(args)).execute(args));
    }

    /** The whole configured command tree; tests call this and redirect its out/err writers. */
    public static CommandLine commandLine() {
        return commandLine(Subcommands.all());
    }

    private static CommandLine commandLine(Map<String, Supplier<Object>> subcommands) {
        ErrorHandler errors = new ErrorHandler();
        CommandLine cli = new CommandLine(new NvaeCommand());
        subcommands.forEach((name, command) -> cli.addSubcommand(name, command.get()));
        return cli.setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(errors)
                .setParameterExceptionHandler(errors);
    }
}
