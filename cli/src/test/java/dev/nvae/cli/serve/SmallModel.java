package dev.nvae.cli.serve;

import dev.nvae.model.LatentModel;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.ModelFile;

import java.nio.file.Path;
import java.util.Map;
import java.util.stream.IntStream;

/** The model the in-process server tests serve: an untrained mlp N-VAE of 6×5 images and ten classes, class-0 … class-9. */
final class SmallModel {
    private SmallModel() {
    }

    /** Writes it to {@code file} and returns the file. */
    static Path write(Path file) {
        try (LatentModel m = LatentModel.create(new ModelConfig(ModelConfig.NVAE, ModelConfig.MLP, 6, 5, 10, 16, 12, 3, 2, 1, 1))) {
            m.initialize(1);
            ModelFile.save(m, file, IntStream.range(0, 10).mapToObj(k -> "class-" + k).toList(), Map.of());
        }
        return file;
    }
}
