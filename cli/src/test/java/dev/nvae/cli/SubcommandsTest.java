package dev.nvae.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubcommandsTest {
    @Test
    void everyRegistryKeyIsTheNameItsCommandDeclares() {
        Subcommands.all().forEach((name, command) ->
                assertEquals(name, new CommandLine(command.get()).getCommandName(), "registry key vs @Command(name)"));
    }

    @Test
    void aRunNamingOneCommandBuildsOnlyThatOne() {
        assertEquals(java.util.Set.of("sample"), Subcommands.reachableWith(new String[]{"sample", "--n", "1"}).keySet());
        assertEquals(Subcommands.all().keySet(), Subcommands.reachableWith(new String[]{"--help"}).keySet());
        assertEquals(Subcommands.all().keySet(), Subcommands.reachableWith(new String[]{"smaple"}).keySet());
    }

    @Test
    void topLevelHelpStillListsEveryVisibleCommand() {
        Cli.Result r = Cli.run("--help");
        assertEquals(0, r.exitCode());
        for (String name : Subcommands.all().keySet()) {
            if (name.equals("aot-training")) continue;  // hidden
            assertTrue(r.out().contains("  " + name + " "), name + " missing from --help:\n" + r.out());
        }
    }
}
