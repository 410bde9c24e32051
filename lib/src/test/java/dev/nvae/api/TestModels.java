package dev.nvae.api;

import dev.nvae.model.LatentModel;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.ModelFile;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** Model files for the API tests: freshly initialised weights (training is not what these tests are about). */
final class TestModels {
    static final List<String> CLASSES = IntStream.range(0, 10).mapToObj(k -> "class-" + k).toList();

    private TestModels() {
    }

    /** The reference N-VAE (28×28, 10 classes, 512/256 hidden, ds 8, dc 4), seed-initialised. */
    static Path nvae(Path dir) {
        return write(dir.resolve("nvae.safetensors"), ModelConfig.mlp(28, 28, 10, 8, 4, 1, 1), 1);
    }

    /** A small model of a family, for the paths that differ between families. */
    static Path small(Path dir, String family) {
        ModelConfig c = ModelConfig.NVAE.equals(family)
                ? new ModelConfig(family, ModelConfig.MLP, 6, 5, 10, 16, 12, 3, 2, 1, 1)
                : ModelConfig.baseline(family, 6, 5, 10, 16, 12, 4, ModelConfig.BETA_VAE.equals(family) ? 4 : 1);
        return write(dir.resolve(family + ".safetensors"), c, 2);
    }

    /** A small label-free N-VAE of 4 clusters ({@code train --labels none --clusters 4}). */
    static Path labelFree(Path dir) {
        ModelConfig c = new ModelConfig(ModelConfig.NVAE, ModelConfig.MLP, 6, 5, 10, 16, 12, 3, 2, 1, 1).asLabelFree(4);
        return write(dir.resolve("free.safetensors"), c, 2, ModelConfig.clusterNames(4));
    }

    private static Path write(Path file, ModelConfig config, long seed) {
        return write(file, config, seed, CLASSES);
    }

    private static Path write(Path file, ModelConfig config, long seed, List<String> classes) {
        try (LatentModel m = LatentModel.create(config)) {
            m.initialize(seed);
            ModelFile.save(m, file, classes, Map.of());
        }
        return file;
    }
}
