package dev.nvae.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Threads above the processors are capped to them, with a warning, as every nvae command caps --threads: the API
 * took any number (64 on a 2-core machine made 64 workers taking turns on 2 cores, and info() said 64).
 */
class ThreadsCapTest {
    private static final int PROCESSORS = Runtime.getRuntime().availableProcessors();
    private static final String PROCESSORS_WORD = PROCESSORS == 1 ? " processor" : " processors";

    @TempDir
    Path dir;

    @Test
    void aModelOpenedWithMoreThreadsThanProcessorsUsesTheProcessors() {
        List<String> warnings = ApiWarnings.listen();
        try (NvaeModel m = NvaeModel.open(TestModels.small(dir, "nvae"),
                ModelOptions.defaults().withBackend(ComputeBackend.VECTOR).withThreads(PROCESSORS + 5))) {
            assertEquals(PROCESSORS, m.info().threads());
            assertEquals(12 * 30, m.sample(SampleRequest.of(1, 12)).length);
        }
        assertEquals(List.of("threads " + (PROCESSORS + 5) + " is more than the " + PROCESSORS + PROCESSORS_WORD + " available; using " + PROCESSORS),
                warnings);
        warnings.clear();
        try (NvaeModel m = NvaeModel.open(TestModels.small(dir, "nvae"), ModelOptions.defaults().withBackend(ComputeBackend.VECTOR).withThreads(1))) {
            assertEquals(1, m.info().threads());
        }
        assertEquals(List.of(), warnings);
    }

    @Test
    void trainingWithMoreThreadsThanProcessorsUsesTheProcessors() {
        List<String> warnings = ApiWarnings.listen();
        Training.on("testdata").limit(64).batchSize(64).epochs(1).backend(ComputeBackend.VECTOR).threads(PROCESSORS + 5)
                .run(dir.resolve("m.safetensors"));
        assertTrue(warnings.contains("threads " + (PROCESSORS + 5) + " is more than the " + PROCESSORS + PROCESSORS_WORD + " available; using "
                + PROCESSORS), warnings.toString());
    }
}
