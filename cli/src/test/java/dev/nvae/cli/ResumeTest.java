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

    /**
     * A run given a relative --data, resumed from another working directory with no --data (a supervisor whose working
     * directory is /, a user in another shell), looked for the data relative to that directory and was refused
     * ("--data data: /elsewhere/data is not a directory", a flag the user had not given). It now finds the data where
     * the run found it; from the run's own directory the model file is the uninterrupted run's, byte for byte.
     */
    @Test
    void aRunWithARelativeDataDirectoryResumesFromAnotherWorkingDirectory() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        Path data = Files.createDirectories(work.resolve("data"));
        Path npy = committed("testdata/rgb-shapes-npy");
        try (var files = Files.list(npy)) {
            for (Path f : files.toList()) Files.copy(f, data.resolve(f.getFileName()));
        }
        Object[] run = {"train", "--data", "data", "--limit", "64", "--batch", "32", "--hidden", "16,8", "--threads", "1", "--no-progress"};
        ChildCli.Result first = ChildCli.start(dir, "cd '" + work + "'", concat(run, "--epochs", "1", "--checkpoint-dir", "ck", "--out", "a.safetensors")).await();
        assertEquals(0, first.exitCode(), first.err());
        ChildCli.Result straight = ChildCli.start(dir, "cd '" + work + "'", concat(run, "--epochs", "2", "--out", "straight.safetensors")).await();
        assertEquals(0, straight.exitCode(), straight.err());

        Files.createDirectories(dir.resolve("before")); // the checkpoint at epoch 1, for a second resume below
        try (var files = Files.list(work.resolve("ck"))) {
            for (Path f : files.toList()) Files.copy(f, dir.resolve("before").resolve(f.getFileName()));
        }
        ChildCli.Result elsewhere = ChildCli.start(dir, "cd '" + dir + "'", "train", "--resume", "work/ck", "--epochs", "2", "--threads", "1",
                "--no-progress", "--out", "elsewhere.safetensors").await();
        assertEquals(0, elsewhere.exitCode(), elsewhere.err());
        Weights.assertIdentical(work.resolve("straight.safetensors"), dir.resolve("elsewhere.safetensors"));
        try (LoadedModel m = ModelFile.load(dir.resolve("elsewhere.safetensors"))) {
            assertEquals(data.toString(), m.training().get("data"), "found where the run found it, and recorded so");
        }

        ChildCli.Result home = ChildCli.start(dir, "cd '" + work + "'", "train", "--resume", dir.resolve("before"), "--epochs", "2", "--threads", "1",
                "--no-progress", "--out", "home.safetensors").await();
        assertEquals(0, home.exitCode(), home.err());
        assertEquals(-1, Files.mismatch(work.resolve("straight.safetensors"), work.resolve("home.safetensors")),
                "resumed where it started, the model file is the uninterrupted run's, the recorded --data included");
    }

    private static Path committed(String path) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve(path))) return p.resolve(path);
        }
        throw new AssertionError(path + " not found above " + Path.of("").toAbsolutePath());
    }

    private static Object[] concat(Object[] a, Object... b) {
        Object[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
