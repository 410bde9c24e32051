package dev.nvae.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Threads above the processors are capped to them, with a warning, as every nvae command caps --threads: the API
 * took any number (64 on a 2-core machine made 64 workers taking turns on 2 cores, and info() said 64).
 */
class ThreadsCapTest {
    private static final int PROCESSORS = Runtime.getRuntime().availableProcessors();

    @TempDir
    Path dir;

    @Test
    void aModelOpenedWithMoreThreadsThanProcessorsUsesTheProcessors() {
        List<String> warnings = new CopyOnWriteArrayList<>();
        listen(warnings);
        try (NvaeModel m = NvaeModel.open(TestModels.small(dir, "nvae"),
                ModelOptions.defaults().withBackend(ComputeBackend.VECTOR).withThreads(PROCESSORS + 5))) {
            assertEquals(PROCESSORS, m.info().threads());
            assertEquals(12 * 30, m.sample(SampleRequest.of(1, 12)).length);
        }
        assertEquals(List.of("threads " + (PROCESSORS + 5) + " is more than the " + PROCESSORS + " processors available; using " + PROCESSORS),
                warnings);
        warnings.clear();
        try (NvaeModel m = NvaeModel.open(TestModels.small(dir, "nvae"), ModelOptions.defaults().withBackend(ComputeBackend.VECTOR).withThreads(1))) {
            assertEquals(1, m.info().threads());
        }
        assertEquals(List.of(), warnings);
    }

    @Test
    void trainingWithMoreThreadsThanProcessorsUsesTheProcessors() {
        List<String> warnings = new CopyOnWriteArrayList<>();
        listen(warnings);
        Training.on("testdata").limit(64).batchSize(64).epochs(1).backend(ComputeBackend.VECTOR).threads(PROCESSORS + 5)
                .run(dir.resolve("m.safetensors"));
        assertTrue(warnings.contains("threads " + (PROCESSORS + 5) + " is more than the " + PROCESSORS + " processors available; using "
                + PROCESSORS), warnings.toString());
    }

    /** The warnings the API logs on dev.nvae, from now on (the logger is held, so its handler stays). */
    private static final Logger DEV_NVAE = Logger.getLogger("dev.nvae");

    private static Logger listen(List<String> warnings) {
        for (Handler h : DEV_NVAE.getHandlers()) DEV_NVAE.removeHandler(h);
        DEV_NVAE.addHandler(new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.WARNING.intValue()) warnings.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        return DEV_NVAE;
    }
}
