package dev.nvae.cli;

import dev.nvae.model.LoadedModel;
import dev.nvae.model.ModelFile;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --model M.safetensors} for the commands that use a trained model. */
final class ModelOption {
    @Option(names = "--model", paramLabel = "M", required = true, description = "Model file written by 'nvae train'.")
    Path path;

    /** Reads and validates the file; the caller closes the result. */
    LoadedModel load() {
        return ModelFile.load(path);
    }
}
