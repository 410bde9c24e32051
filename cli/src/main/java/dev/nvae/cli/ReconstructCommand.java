package dev.nvae.cli;

import dev.nvae.NvaeException;
import dev.nvae.analysis.Sampler;
import dev.nvae.backend.Backend;
import dev.nvae.data.Dataset;
import dev.nvae.model.LoadedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "reconstruct", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show inputs and their reconstructions in a PNG grid.",
                "Encodes the first N examples of a split, decodes their posterior means given the true label (an nvae: "
                        + "the class it predicts for an example without one, and every example's cluster if label-free; a vae "
                        + "reads none), and draws inputs and outputs in alternating rows."})
final class ReconstructCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOption model;

    @Mixin
    DataOptions data;

    @Option(names = "--n", paramLabel = "N", required = true, description = "Examples to reconstruct.")
    int n;

    @Option(names = "--out", paramLabel = "GRID.png", required = true, description = "PNG file to write.")
    Path out;

    @Mixin
    ComputeOptions compute;

    @Override
    public Integer call() {
        if (n < 1) throw new NvaeException("--n " + n + " must be at least 1");
        OutputPaths.requireFileName(spec, "--out", "reconstruct writes one PNG file");
        OutputPaths.Inputs inputs = OutputPaths.inputs().file("--model", model.path);
        OutputPaths.file(out, "--out", data.asInput(inputs), null, null);
        OutputFormats.require(out, "--out", OutputFormats.PNG, "reconstruct");
        try (BackendOpening opening = compute.openInBackground(); LoadedModel loaded = model.load()) {
            data.checkOutput(out, "--out", inputs, loaded);
            Grids.requireReconstructionsFit("--n " + n, n, loaded.model().config().height(), loaded.model().config().width());
            Backend backend = opening.get(loaded);
            Dataset set = data.loadFirst(loaded, "--n " + n, n);
            Grids.reconstructions(out, set, Sampler.reconstruct(loaded.model(), backend, set, n));
            spec.commandLine().getErr().printf("wrote %d reconstructions to %s%n", n, out);
        }
        return 0;
    }
}
