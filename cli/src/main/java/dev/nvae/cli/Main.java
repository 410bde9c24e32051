package dev.nvae.cli;

import picocli.CommandLine;

/** Entry point of {@code nvae.jar}: runs one command and exits with its code (0 ok, 1 failed, 2 bad usage). */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command tree; tests call this and redirect its out/err writers. */
    public static CommandLine commandLine() {
        ErrorHandler errors = new ErrorHandler();
        return new CommandLine(new NvaeCommand())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(errors)
                .setParameterExceptionHandler(errors);
    }
}
