package dev.nvae.cli;

import picocli.CommandLine.Command;

/** The top-level {@code nvae} command: only groups the subcommands ({@link Subcommands} lists them). */
@Command(name = "nvae", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Train N-VAE models (a VAE with one latent subspace per class plus a shared one) and "
                + "generate from them on CPUs, or on an NVIDIA GPU with --backend cuda.",
        footer = {"", "Start with: nvae demo"})
public final class NvaeCommand {
}
