package dev.nvae.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code --help} texts as picocli renders them at its default width of 80 columns, for {@code nvae} and
 * every subcommand: nothing wider than the terminal, whole sentences in the root command list, paragraphs
 * left for picocli to wrap (not hard-wrapped at another width), parameter labels the synopsis does not cut,
 * and a description for every option that says more than its default.
 */
class HelpTextTest {
    private static final int WIDTH = 80;
    /** The first description element is the line of the root command list: short enough not to wrap badly. */
    private static final int SUMMARY_MAX = 75;

    /** "nvae" and "nvae NAME" for every subcommand, hidden ones included, to their command lines. */
    private static Map<String, CommandLine> commands() {
        CommandLine root = Main.commandLine();
        Map<String, CommandLine> all = new LinkedHashMap<>();
        all.put("nvae", root);
        root.getSubcommands().forEach((name, sub) -> all.put("nvae " + name, sub));
        return all;
    }

    private static CommandLine.Help help(CommandLine cl) {
        return new CommandLine.Help(cl.getCommandSpec(), CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
    }

    private static String usage(CommandLine cl) {
        return cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    @Test
    void noRenderedLineIsWiderThan80Columns() {
        List<String> wide = new ArrayList<>();
        commands().forEach((name, cl) -> {
            assertEquals(WIDTH, cl.getUsageHelpWidth(), name + ": help width");
            usage(cl).lines().filter(l -> l.length() > WIDTH)
                    .forEach(l -> wide.add(name + " (" + l.length() + "): " + l));
        });
        assertTrue(wide.isEmpty(), "lines wider than " + WIDTH + " columns:\n" + String.join("\n", wide));
    }

    @Test
    void theRootCommandListShowsEachCommandsWholeFirstSentence() {
        CommandLine root = Main.commandLine();
        List<String> lines = usage(root).lines().toList();
        int at = lines.indexOf("Commands:");
        assertTrue(at >= 0, "no command list in:\n" + usage(root));
        Map<String, StringBuilder> listed = new LinkedHashMap<>();
        Pattern entry = Pattern.compile("^  (\\S+)\\s+(.*)$");
        StringBuilder current = null;
        for (String line : lines.subList(at + 1, lines.size())) {
            if (line.isBlank() || !line.startsWith(" ")) break;
            Matcher m = entry.matcher(line);
            if (m.matches() && root.getSubcommands().containsKey(m.group(1))) {
                current = new StringBuilder(m.group(2).strip());
                listed.put(m.group(1), current);
            } else if (current != null) {
                current.append(' ').append(line.strip());
            }
        }
        List<String> problems = new ArrayList<>();
        root.getSubcommands().forEach((name, sub) -> {
            CommandSpec spec = sub.getCommandSpec();
            if (spec.usageMessage().hidden()) return;
            StringBuilder text = listed.get(name);
            if (text == null) {
                problems.add(name + ": not in the command list");
                return;
            }
            if (!text.toString().endsWith(".")) problems.add(name + ": listed as \"" + text + "\" (cut: no full stop)");
            String[] description = spec.usageMessage().description();
            String first = description.length == 0 ? "" : description[0];
            if (first.length() > SUMMARY_MAX || !first.endsWith(".")) {
                problems.add(name + ": first description element is not one short sentence (" + first.length()
                        + " chars, at most " + SUMMARY_MAX + "): \"" + first + "\"");
            }
        });
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void everyOptionSaysWhatItDoesBeyondItsDefault() {
        List<String> problems = new ArrayList<>();
        commands().forEach((name, cl) -> {
            for (OptionSpec option : cl.getCommandSpec().options()) {
                String text = String.join(" ", option.description()).strip();
                String beyondDefault = text.replaceAll("(?s)\\s*Default:.*$", "").strip();
                long words = beyondDefault.isEmpty() ? 0 : beyondDefault.split("\\s+").length;
                if (words < 2) problems.add(name + " " + option.longestName() + ": \"" + text + "\"");
            }
        });
        assertTrue(problems.isEmpty(), "options whose description says no more than a default (or one word):\n"
                + String.join("\n", problems));
    }

    /**
     * A description given as lines hard-wrapped at another width comes out ragged: picocli wraps each element
     * again, leaving a short line whose next line's first word would have fitted after it. Not counted: a table
     * row or its continuation (it starts with a space) and the line after it, and a line that ends a sentence
     * or introduces a list ('.' or ':').
     */
    @Test
    void commandDescriptionsAreParagraphsThatPicocliWraps() {
        List<String> ragged = new ArrayList<>();
        commands().forEach((name, cl) -> {
            List<String> lines = help(cl).description().lines().toList();
            for (int i = 0; i + 1 < lines.size(); i++) {
                String a = lines.get(i).stripTrailing(), b = lines.get(i + 1);
                if (a.isBlank() || b.isBlank() || Character.isWhitespace(a.charAt(0)) || Character.isWhitespace(b.charAt(0))
                        || a.endsWith(".") || a.endsWith(":")) continue;
                String nextWord = b.strip().split("\\s+")[0];
                if (a.length() + 1 + nextWord.length() < WIDTH) ragged.add(name + ":\n  " + a + "\n  " + b);
            }
        });
        assertTrue(ragged.isEmpty(), "hard-wrapped description lines (one element per paragraph instead):\n"
                + String.join("\n", ragged));
    }

    @Test
    void theSynopsisKeepsEveryParameterLabelWhole() {
        List<String> split = new ArrayList<>();
        commands().forEach((name, cl) -> {
            CommandLine.Help help = help(cl);
            String synopsis = String.join(" ",
                    help.synopsis(help.synopsisHeadingLength()).lines().map(String::strip).toList());
            for (OptionSpec option : cl.getCommandSpec().options()) {
                if (option.arity().max() == 0 || option.hidden()) continue;
                boolean whole = false;
                for (String n : option.names()) whole |= synopsis.contains(n + "=" + option.paramLabel());
                if (!whole) split.add(name + " " + option.longestName() + "=" + option.paramLabel() + " in: " + synopsis);
            }
        });
        assertTrue(split.isEmpty(), "parameter labels the synopsis breaks across lines:\n" + String.join("\n", split));
    }
}
