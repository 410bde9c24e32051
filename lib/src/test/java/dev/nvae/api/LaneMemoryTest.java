package dev.nvae.api;

import dev.nvae.backend.Precision;
import dev.nvae.ffm.DnnlLibrary;
import dev.nvae.model.LatentModel;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.ModelFile;
import dev.nvae.tensor.FlatParameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What a lane holds, counted in the bytes of the native segments it allocates ({@link Lane#nativeBytes()}), not
 * measured from a heap. For the reference mlp N-VAE (784-512-256, ds 8, dc 4, 10 classes; 1,109,376 floats with
 * padding) a lane held 8,875,008 bytes (8.5 MiB) before: its weights and a gradient buffer of their size, which
 * inference never writes. Now it holds 4,437,504 bytes (4.2 MiB), the weights alone — exactly half. At bf16 its
 * backend's copies come on top (2.1 MiB each, one or two of them); {@link NvaeModel#bytesPerLane}, which limits
 * the lanes {@code open} makes, covers what every lane really holds.
 */
class LaneMemoryTest {
    private static final long FLOATS = 1_109_376, BEFORE = 8_875_008, AFTER = 4_437_504;

    @TempDir
    static Path dir;
    static Path nvae;
    static FlatParameters.Layout layout;
    static ModelConfig config;

    @BeforeAll
    static void model() {
        nvae = TestModels.nvae(dir);
        try (var loaded = ModelFile.load(nvae)) {
            layout = loaded.model().params().layout();
            config = loaded.model().config();
        }
    }

    @Test
    void aLaneHoldsTheWeightsAndNoGradients() {
        assertEquals(FLOATS, layout.totalFloats());
        try (LatentModel trains = LatentModel.create(config)) {
            assertEquals(BEFORE, trains.parameterStorageBytes(), "a model built to train: weights and gradients");
        }
        for (String backend : backends()) {
            try (LanePool pool = LanePool.open(ModelFile.load(nvae).model(), backend, 1, Precision.FP32, 3, n -> { })) {
                assertEquals(List.of(AFTER, AFTER, AFTER), pool.nativeBytes(), backend);
            }
        }
        assertEquals(BEFORE / 2, AFTER);
        assertEquals(AFTER, NvaeModel.bytesPerLane(layout, dev.nvae.api.Precision.FP32));
    }

    /** At bf16 a lane also holds its backend's bf16 copies: one or two, never more than the limit counts. */
    @Test
    void theLimitCoversWhatABf16LaneHolds() {
        long most = NvaeModel.bytesPerLane(layout, dev.nvae.api.Precision.BF16);
        for (String backend : backends()) {
            try (LanePool pool = LanePool.open(ModelFile.load(nvae).model(), backend, 1, Precision.BF16, 2, n -> { })) {
                for (long bytes : pool.nativeBytes()) {
                    assertTrue(bytes >= AFTER + FLOATS * 2 && bytes <= most, backend + ": " + bytes + " bytes, limit " + most);
                }
            }
        }
    }

    private static List<String> backends() {
        return DnnlLibrary.isAvailable() ? List.of("vector", "onednn") : List.of("vector");
    }
}
