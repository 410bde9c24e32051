package dev.nvae.cli;

import picocli.CommandLine.Command;

/** The top-level {@code nvae} command: only groups the subcommands. */
@Command(name = "nvae", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Train N-VAE models (a VAE with one latent subspace per class plus a shared one) and "
                + "generate from them on CPUs.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, SampleCommand.class, TraverseCommand.class, ReconstructCommand.class,
                EncodeCommand.class, FactorsCommand.class, DisentangleCommand.class, AugmentCommand.class, SynthCommand.class, InfoCommand.class, DemoCommand.class,
                AotTrainingCommand.class},
        footer = {"", "Start with: nvae demo"})
public final class NvaeCommand {
}
