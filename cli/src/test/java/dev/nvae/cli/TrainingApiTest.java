package dev.nvae.cli;

import dev.nvae.api.ComputeBackend;
import dev.nvae.api.Training;
import dev.nvae.model.LoadedModel;
import dev.nvae.model.ModelFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Java API's {@link Training} "trains as {@code nvae train} does, with the same defaults, writing the same
 * file" (README, "Using it from Java"): the same data, settings and seed give the same bytes either way.
 */
class TrainingApiTest {
    @TempDir
    Path dir;

    private static final int LIMIT = 128, BATCH = 32, EPOCHS = 2;

    private Path viaCli(String data, String name) {
        Path out = dir.resolve(name);
        Cli.Result r = Cli.run("train", "--data", data, "--limit", LIMIT, "--batch", BATCH, "--epochs", EPOCHS, "--backend", "vector",
                "--threads", "1", "--no-progress", "--out", out);
        assertEquals(0, r.exitCode(), r.err());
        return out;
    }

    private Path viaApi(String data, String name) {
        Path out = dir.resolve(name);
        Training.on(data).limit(LIMIT).batchSize(BATCH).epochs(EPOCHS).backend(ComputeBackend.VECTOR).threads(1).run(out);
        return out;
    }

    /**
     * The file records the run as nvae train records it, the per-epoch curve included: the API's left the curve out,
     * so 'nvae report' of its model drew no training curve and said the file predated the curve ("retrain to see it").
     */
    @Test
    void theApiWritesTheFileNvaeTrainWrites() throws IOException {
        Path cli = viaCli("testdata", "cli.safetensors"), api = viaApi("testdata", "api.safetensors");
        try (LoadedModel m = ModelFile.load(api)) {
            List<Map<String, Object>> curve = ReportPage.curve(m.training());
            assertEquals(EPOCHS, curve.size(), "the training curve: " + m.training());
            assertEquals(2, ((Number) curve.get(1).get("epoch")).intValue());
        }
        assertArrayEquals(Files.readAllBytes(cli), Files.readAllBytes(api));
    }
}
