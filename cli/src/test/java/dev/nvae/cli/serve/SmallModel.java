package dev.nvae.cli.serve;

import dev.nvae.model.LatentModel;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.ModelFile;

import dev.nvae.api.ComputeBackend;
import dev.nvae.api.ModelOptions;
import dev.nvae.api.NvaeModel;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.IntStream;

/** The model the in-process server tests serve: an untrained mlp N-VAE of 6×5 images and ten classes, class-0 … class-9. */
final class SmallModel {
    private SmallModel() {
    }

    /**
     * It served in this JVM on a free loopback port for a test class's lifetime (one lane of one thread, vector backend), from
     * a temporary directory of its own: {@code @RegisterExtension static final SmallModel.Served SERVED = new Served(limits)}.
     */
    static final class Served implements BeforeAllCallback, AfterAllCallback {
        private final Limits limits;
        private Path dir;
        private NvaeModel model;
        private ModelServer server;

        Served(Limits limits) {
            this.limits = limits;
        }

        /** The server's address, http://127.0.0.1:PORT. */
        String base() {
            return "http://127.0.0.1:" + server.address().getPort();
        }

        @Override
        public void beforeAll(ExtensionContext context) throws IOException {
            dir = Files.createTempDirectory("nvae-served");
            model = NvaeModel.open(write(dir.resolve("m.safetensors")),
                    ModelOptions.defaults().withBackend(ComputeBackend.VECTOR).withThreads(1).withLanes(1));
            server = ModelServer.start(model, new InetSocketAddress("127.0.0.1", 0), limits, line -> { });
        }

        @Override
        public void afterAll(ExtensionContext context) throws IOException {
            if (server != null) server.stop(Duration.ofSeconds(1));
            if (model != null) model.close();
            if (dir != null) {
                Files.deleteIfExists(dir.resolve("m.safetensors"));
                Files.deleteIfExists(dir);
            }
        }
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
