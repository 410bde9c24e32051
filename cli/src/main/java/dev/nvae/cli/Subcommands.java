package dev.nvae.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SequencedMap;
import java.util.function.Supplier;

/**
 * Every subcommand of {@code nvae}, by name, in the order {@code nvae --help} lists them.
 *
 * <p>Why a registry rather than picocli's {@code subcommands = {...}}: picocli builds the model of every
 * listed subcommand (reflection over each option field) before it parses anything, and at start-up that
 * runs in the interpreter — about 0.1 s for all of them. A run of one command needs only that command's
 * model, so {@link Main} registers just the one named on the command line (all of them when none is).
 */
final class Subcommands {
    private static final SequencedMap<String, Supplier<Object>> ALL = new LinkedHashMap<>();

    static {
        ALL.put("train", TrainCommand::new);
        ALL.put("evaluate", EvaluateCommand::new);
        ALL.put("sample", SampleCommand::new);
        ALL.put("traverse", TraverseCommand::new);
        ALL.put("reconstruct", ReconstructCommand::new);
        ALL.put("encode", EncodeCommand::new);
        ALL.put("serve", dev.nvae.cli.serve.ServeCommand::new);
        ALL.put("factors", FactorsCommand::new);
        ALL.put("disentangle", DisentangleCommand::new);
        ALL.put("cluster", ClusterCommand::new);
        ALL.put("augment", AugmentCommand::new);
        ALL.put("quality", QualityCommand::new);
        ALL.put("report", ReportCommand::new);
        ALL.put("export", ExportCommand::new);
        ALL.put("synth", SynthCommand::new);
        ALL.put("info", InfoCommand::new);
        ALL.put("demo", DemoCommand::new);
        ALL.put("aot-training", AotTrainingCommand::new);
    }

    private Subcommands() {
    }

    /** Name to a fresh command object, for all subcommands. */
    static Map<String, Supplier<Object>> all() {
        return ALL;
    }

    /** The subcommands a run with these arguments can reach: the one the first argument names, else all. */
    static Map<String, Supplier<Object>> reachableWith(String[] args) {
        if (args.length > 0 && ALL.containsKey(args[0])) return Map.of(args[0], ALL.get(args[0]));
        return ALL;
    }
}
