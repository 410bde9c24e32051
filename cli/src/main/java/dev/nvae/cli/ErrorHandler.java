package dev.nvae.cli;

import dev.nvae.NvaeException;
import dev.nvae.io.DecimalsAsTyped;
import dev.nvae.io.ReaderGoneException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

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
        e = meant(e);
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("nvae: " + parseMessage(e) + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
        debugTrace(e, err);
        err.flush();
        return ERROR;
    }

    /**
     * picocli's message, with the command or option meant when a mistyped one is close to one ("nvae trian" was
     * "Unmatched argument at index 0: 'trian'").
     */
    static String parseMessage(ParameterException e) {
        e = meant(e);
        String message = oneLine(e.getMessage());
        if (!(e instanceof UnmatchedArgumentException u)) return message;
        List<String> unmatched = u.getUnmatched();
        boolean command = !u.getCommandLine().getSubcommands().isEmpty() && !unmatched.isEmpty() && !unmatched.getFirst().startsWith("-");
        if (command) message = "unknown command '" + unmatched.getFirst() + "'";
        // picocli's suggestions share letter pairs with the word ('bogus': 'cluster'); only a slip of the keyboard is offered.
        String typed = unmatched.isEmpty() ? "" : unmatched.getFirst().split("=", 2)[0];
        List<String> close = u.getSuggestions().stream().filter(n -> editDistance(typed, n) <= MAX_SLIP).toList();
        if (!close.isEmpty()) message += "; did you mean " + String.join(" or ", close.stream().map(n -> "'" + n + "'").toList()) + "?";
        return message;
    }

    /** The argument at fault where picocli reports what it left behind: the missing options of a command it went on to parse. */
    private static ParameterException meant(ParameterException e) {
        if (e instanceof UnmatchedArgumentException) return e;
        // A word before the command ("nvae help train") stays unmatched at the top while the command is parsed.
        for (CommandLine c = e.getCommandLine().getParent(); c != null; c = c.getParent()) {
            ParseResult p = c.getParseResult();
            if (p != null && !p.unmatched().isEmpty()) return new UnmatchedArgumentException(c, p.unmatched());
        }
        // A mistyped required option ("--modle M") left it missing; picocli names the missing ones, not the mistyped.
        ParseResult parsed = e.getCommandLine().getParseResult();
        if (e instanceof CommandLine.MissingParameterException && parsed != null && !parsed.unmatched().isEmpty()) {
            return new UnmatchedArgumentException(e.getCommandLine(), parsed.unmatched());
        }
        return e;
    }

    /** Edits a mistyped name is taken to be off by: two letters swapped, one missing, one extra, two wrong. */
    private static final int MAX_SLIP = 2;

    /** Insertions, deletions, substitutions and swaps of neighbours that turn {@code a} into {@code b}. */
    static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /**
     * Runs the command the line names. An OutOfMemoryError is an Error, which picocli lets through to
     * the JVM's stack-trace printer; the sizes that decide allocations are checked before allocating, so
     * this is the net under those checks, and it too ends in one line.
     */
    int execute(ParseResult parseResult) {
        String refused = undecodableArgument(parseResult);
        if (refused == null) refused = repeatedListOption(parseResult);
        if (refused != null) {
            PrintWriter err = parseResult.commandSpec().commandLine().getErr();
            err.println("nvae: " + refused);
            err.flush();
            return ERROR;
        }
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

    /**
     * An argument holding bytes that the JVM's file-name encoding cannot decode, said for the flag that took it; null if
     * there is none. The JVM reads such bytes as U+FFFD, so 'a\xe9.npy' and 'a\xe8.npy' were one file, 'a\ufffd.npy':
     * the second command replaced the first one's output, and an existing input was "no such file".
     */
    static String undecodableArgument(ParseResult parseResult) {
        for (ParseResult p = parseResult; p != null; p = p.hasSubcommand() ? p.subcommand() : null) {
            for (CommandLine.Model.OptionSpec o : p.matchedOptions()) {
                for (String v : o.stringValues()) if (v.indexOf('\uFFFD') >= 0) return undecodable(o.longestName() + " " + v);
            }
        }
        return null;
    }

    /**
     * A list option (--range A,B, --hidden H1,H2) given twice, said as picocli says it of any other option; null if none
     * is. picocli joins the lists of every occurrence, so --range=-1,1 --range=-2,2 was "expected two values A,B, got 4".
     */
    static String repeatedListOption(ParseResult parseResult) {
        for (ParseResult p = parseResult; p != null; p = p.hasSubcommand() ? p.subcommand() : null) {
            for (CommandLine.Model.OptionSpec o : p.matchedOptions()) {
                if (!o.splitRegex().isEmpty() && o.originalStringValues().size() > 1) {
                    return "option '" + o.longestName() + "' (" + o.paramLabel() + ") should be specified only once: it takes one list, "
                            + o.paramLabel() + " (see 'nvae " + p.commandSpec().name() + " --help')";
                }
            }
        }
        return null;
    }

    private static String undecodable(String what) {
        String encoding = System.getProperty("sun.jnu.encoding", "the system's");
        return what + ": holds U+FFFD (\uFFFD), what Java makes of bytes that are not valid " + encoding + ": such a name would "
                + "name another file; give the name in " + encoding + ", or run under a locale of the name's encoding";
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
        // A value not typed can be what asks too much (evaluate's default --prior-samples 1000 at a small heap, blamed on
        // --iw 1); named as in effect, which is not always the default (train --resume takes --batch from its checkpoint).
        List<String> inEffect = new ArrayList<>();
        for (String name : SIZING_DEFAULTS) {
            CommandLine.Model.OptionSpec o = last.commandSpec().findOption(name);
            if (o != null && !last.hasMatchedOption(name) && o.getValue() != null) inEffect.add(name + " " + o.getValue());
        }
        if (!inEffect.isEmpty()) given.add("in effect " + String.join(", ", inEffect));
        return String.join(", ", given);
    }

    /** Options whose default values size a command's memory, named with the given ones when it runs out. */
    private static final List<String> SIZING_DEFAULTS = List.of("--batch", "--prior-samples");

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parseResult) {
        if (Interruption.interrupted()) return ERROR; // the signal's own line says what happened
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ReaderGoneException) return READER_GONE;
        }
        PrintWriter err = cmd.getErr();
        err.println("nvae: " + asTyped(oneLine(message(e)), parseResult));
        debugTrace(e, err);
        err.flush();
        return ERROR;
    }

    /**
     * The message with each decimal flag's value as the user typed it ({@link DecimalsAsTyped}): the checks that refuse
     * one (mostly in the library, which sees only the number) print Java's rendering of it, so {@code --lr 0} came back
     * as "--lr 0.0" and {@code --sigma 1e39} as "--sigma 1.0E39".
     */
    static String asTyped(String message, ParseResult parseResult) {
        if (parseResult == null) return message;
        ParseResult last = parseResult;
        while (last.hasSubcommand()) last = last.subcommand();
        return DecimalsAsTyped.restore(message, last.matchedOptions().stream()
                .map(o -> new DecimalsAsTyped.Matched(o.longestName(), o.type(), o.stringValues())).toList());
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
