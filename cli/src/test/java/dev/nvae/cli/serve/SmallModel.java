package dev.nvae.cli.serve;

import dev.nvae.model.LatentModel;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.ModelFile;

import dev.nvae.api.ComputeBackend;
import dev.nvae.api.ModelOptions;
import dev.nvae.api.NvaeModel;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.IntStream;

/** The model the in-process server tests serve: an untrained mlp N-VAE of 6×5 images and ten classes, class-0 … class-9. */
final class SmallModel {
    private SmallModel() {
    }

    /** It served in this JVM on a free loopback port: open on the vector backend, one thread a lane. */
    record Served(NvaeModel model, ModelServer server, String base) implements AutoCloseable {
        static Served start(Path dir, int lanes, Limits limits) {
            NvaeModel model = NvaeModel.open(write(dir.resolve("m.safetensors")),
                    ModelOptions.defaults().withBackend(ComputeBackend.VECTOR).withThreads(1).withLanes(lanes));
            ModelServer server = ModelServer.start(model, new InetSocketAddress("127.0.0.1", 0), limits, line -> { });
            return new Served(model, server, "http://127.0.0.1:" + server.address().getPort());
        }

        @Override
        public void close() {
            server.stop(Duration.ofSeconds(1));
            model.close();
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
