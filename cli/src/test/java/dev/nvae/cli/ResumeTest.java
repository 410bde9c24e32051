package dev.nvae.cli;

import dev.nvae.model.LoadedModel;
import dev.nvae.model.ModelFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bit-exact resume across JVMs: N steps straight, against N/2 steps, then a new JVM that resumes from
 * the checkpoint at N/2 and runs the other N/2. Same JDK, backend and --threads in both.
 */
class ResumeTest {
    @TempDir
    Path dir;

    @Test
    void resumingInANewJvmGivesTheWeightsOfTheStraightRunBitForBit() throws Exception {
        // 192 examples in batches of 32 for 3 epochs: N = 18 steps; N/2 = 9 is in the middle of epoch 2.
        Object[] run = {"train", "--data", "testdata", "--limit", "192", "--batch", "32", "--epochs", "3", "--seed", "5",
                "--backend", "vector", "--threads", "2", "--no-progress"};
        Path ckpts = dir.resolve("straight-ckpts");
        Path straight = dir.resolve("straight.safetensors");
        ChildCli.Result a = ChildCli.run(dir, concat(run, "--checkpoint-dir", ckpts, "--checkpoint-every", "9", "--out", straight));
        assertEquals(0, a.exitCode(), a.err());
        assertTrue(Files.exists(ckpts.resolve("checkpoint-000000009.safetensors")));

        // The second JVM sees only the state at N/2, as if the first had stopped there.
        Path half = Files.createDirectories(dir.resolve("half"));
        Files.copy(ckpts.resolve("checkpoint-000000009.safetensors"), half.resolve("checkpoint-000000009.safetensors"));
        Path resumed = dir.resolve("resumed.safetensors");
        ChildCli.Result b = ChildCli.run(dir, "train", "--resume", half, "--backend", "vector", "--threads", "2", "--no-progress",
                "--out", resumed);
        assertEquals(0, b.exitCode(), b.err());
        assertTrue(b.err().contains("resuming from " + half.resolve("checkpoint-000000009.safetensors") + ": epoch 2, step 4"), b.err());
        assertEquals(2, b.out().lines().count(), "epochs 2 and 3 finish after the resume: " + b.out());

        Weights.assertIdentical(straight, resumed);
        try (LoadedModel s = ModelFile.load(straight); LoadedModel r = ModelFile.load(resumed)) {
            assertEquals(s.model().config(), r.model().config());
            Map<String, Object> st = s.training(), rt = r.training();
            for (String key : new String[] {"data", "examples", "epochs", "batch", "lr", "seed", "backend", "final_accuracy", "skipped_steps", "curve"}) {
                assertEquals(st.get(key), rt.get(key), key);
            }
        }
        System.out.println("resume bit-exactness: 18 steps straight == 9 steps + new JVM resume + 9 steps, all tensors bit-identical");
    }

    private static Object[] concat(Object[] a, Object... b) {
        Object[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
