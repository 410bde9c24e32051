package dev.nvae.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Tag;
import dev.nvae.train.Checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The safetensors reader, and the checkpoint reader built on it, on arbitrary bytes: a file whose
 * every tensor can be read, or a {@link FormatException}; anything else (another exception, an OOM, a
 * stack overflow, a hang) is a bug. Regression mode (the normal test run) replays
 * SafeTensorsFuzzTestInputs/; lib/fuzz.sh fuzzes.
 */
@Tag("fuzz")
class SafeTensorsFuzzTest {
    private static final Path FILE = FuzzFiles.file("input.safetensors");

    @FuzzTest(maxDuration = "5m")
    void safetensors(byte[] bytes) throws IOException {
        Files.write(FILE, bytes);
        SafeTensorsFile f;
        try {
            f = SafeTensors.read(FILE);
        } catch (FormatException expected) {
            return;
        }
        for (String name : f.names()) {
            long numel = 1;
            for (long d : f.shape(name)) numel = Math.multiplyExact(numel, d);
            if (f.dtype(name).equals("F32")) assertEquals(numel, f.floats(name).length, name);
        }
        f.dataCrc32c();
    }

    @FuzzTest(maxDuration = "5m")
    void checkpoint(byte[] bytes) throws IOException {
        Files.write(FILE, bytes);
        try {
            Checkpoint c = Checkpoint.read(FILE);
            assertEquals(c.position().epoch(), c.completed().size());
        } catch (FormatException expected) {
            // the documented outcome for a file that is not a valid checkpoint
        }
    }
}
