package dev.nvae.cli;

import dev.nvae.NvaeException;
import dev.nvae.analysis.Encoding;
import dev.nvae.analysis.Sampler;
import dev.nvae.backend.Backend;
import dev.nvae.io.Csv;
import dev.nvae.io.Npy;
import dev.nvae.model.LoadedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "encode", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write the posterior means and log-variances of a split.",
                "Deterministic (no sampling), for every example of the split. One row per example: an N-VAE's label, predicted, mu_s0.., "
                        + "logvar_s0.., mu_c0.., logvar_c0.. (the latent space of the predicted class); a vae's, beta-vae's or cvae's label, "
                        + "mu_z0.., logvar_z0.. (no classifier, so no predicted class).",
                "The format follows the extension of --out: .csv (with a header) or .npy (float32 matrix)."})
final class EncodeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOption model;

    @Mixin
    DataOptions data;

    @Option(names = "--out", paramLabel = "FILE", required = true,
            description = "Output file, F.npy or F.csv: its extension picks the format.")
    Path out;

    @Mixin
    ComputeOptions compute;

    @Override
    public Integer call() {
        OutputPaths.requireFileName(spec, "--out", "encode writes one file");
        String name = out.getFileName() == null ? "" : out.getFileName().toString();
        String lower = name.toLowerCase(java.util.Locale.ROOT);  // R.CSV as reconstruct takes R.PNG
        boolean csv = lower.endsWith(".csv");
        if (!csv && !lower.endsWith(".npy")) throw new NvaeException("--out " + out + ": expected a file name ending in .npy or .csv");
        OutputPaths.Inputs inputs = OutputPaths.inputs().file("--model", model.path);
        OutputPaths.file(out, "--out", data.asInput(inputs), null, null);
        try (BackendOpening opening = compute.openInBackground(); LoadedModel loaded = model.load()) {
            data.checkOutput(out, "--out", inputs, loaded);
            Backend backend = opening.get(loaded);
            Encoding encoding = Sampler.encode(loaded.model(), backend, data.loadFor(loaded));
            if (csv) {
                Csv.write(out, encoding.columns(), encoding.rows(), labelColumns(encoding.columns()));
            } else {
                Npy.writeF32(out, flat(encoding.rows(), encoding.columns().size()), encoding.rows().length, encoding.columns().size());
            }
            spec.commandLine().getErr().printf("wrote %d rows of %d columns to %s%n", encoding.rows().length, encoding.columns().size(), out);
        }
        return 0;
    }

    /** The leading label and predicted-class columns: whole numbers, written as such in a CSV. */
    private static int labelColumns(java.util.List<String> columns) {
        int n = 0;
        while (n < columns.size() && (columns.get(n).equals("label") || columns.get(n).equals("predicted"))) n++;
        return n;
    }

    private static float[] flat(float[][] rows, int cols) {
        float[] out = new float[rows.length * cols];
        for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, out, i * cols, cols);
        return out;
    }
}
