package dev.nvae.cli;

import dev.nvae.analysis.EvaluationReport;
import dev.nvae.analysis.Evaluator;
import dev.nvae.backend.Backend;
import dev.nvae.backend.VectorBackend;
import dev.nvae.data.DataSources;
import dev.nvae.data.Split;
import dev.nvae.io.AtomicOutput;
import dev.nvae.model.LoadedModel;
import dev.nvae.model.ModelFile;
import dev.nvae.train.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGKILL a training JVM at random moments, resume it each time, and check that training completes,
 * that no file is ever left half-written under its final name, and that the final model loads,
 * evaluates, and equals the model of an uninterrupted run bit for bit.
 */
class KillTest {
    private static final int KILLS = 5;
    /** 384 examples in batches of 32 for 2 epochs: 24 steps, a checkpoint every 2. Small, because most of a short JVM's time is warm-up. */
    private static final Object[] RUN = {"train", "--data", "testdata", "--limit", "384", "--batch", "32", "--epochs", "2",
            "--seed", "3", "--backend", "vector", "--threads", "2", "--no-progress"};

    @TempDir
    Path dir;

    @Test
    void trainingSurvivesRepeatedSigkillAndEndsWithTheUninterruptedModel() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Path reference = dir.resolve("reference.safetensors");
        ChildCli.Result straight = ChildCli.run(dir, concat(RUN, "--out", reference));
        assertEquals(0, straight.exitCode(), straight.err());

        Path ckpts = dir.resolve("ckpts");
        Path out = dir.resolve("model.safetensors");
        List<String> outcomes = new ArrayList<>();
        for (int trial = 1; trial <= KILLS; trial++) {
            String before = newest(ckpts);
            ChildCli child = ChildCli.start(dir, "", args(ckpts, out));
            // Odd trials kill at a random moment after the run made progress (a new checkpoint appeared),
            // possibly in the middle of the next checkpoint write; even trials at a random moment after
            // the start, which may be before any step.
            String when;
            long delay;
            if (trial % 2 == 1) {
                String seen = waitForNewCheckpoint(child, ckpts, before);
                delay = random.nextInt(300);
                when = delay + " ms after " + seen + " appeared";
            } else {
                delay = 200 + random.nextInt(1500);
                when = delay + " ms after the start";
            }
            Thread.sleep(delay);
            boolean alive = child.process().isAlive();
            ChildCli.Result r = child.kill();
            List<String> temps = temporaries(ckpts);
            assertNoPartialFiles(ckpts, out);
            outcomes.add(String.format("kill %d: %s %s; newest checkpoint then: %s (all valid); temp files left: %d",
                    trial, alive ? "SIGKILL" : "(already finished, exit " + r.exitCode() + ")", when, newest(ckpts), temps.size()));
            if (!alive) {
                assertEquals(0, r.exitCode(), "a run that ended before the kill must have succeeded: " + r.err());
                break;
            }
        }
        ChildCli.Result last = ChildCli.start(dir, "", args(ckpts, out)).await();
        assertEquals(0, last.exitCode(), last.err());
        outcomes.add("final resume: exit 0, " + last.err().lines().filter(l -> l.startsWith("resuming")).findFirst().orElse("fresh start"));
        assertTrue(temporaries(ckpts).isEmpty(), "stale temporary files are removed when a run starts");

        Weights.assertIdentical(reference, out);
        try (LoadedModel m = ModelFile.load(out); Backend be = new VectorBackend(2)) {
            EvaluationReport report = Evaluator.evaluate(m.model(), be, DataSources.load("testdata", Split.TEST).first(200), 100, 0, 0);
            assertTrue(Double.isFinite(report.negElbo()) && report.negElbo() > 0, "neg_elbo " + report.negElbo());
            outcomes.add(String.format("final model loads and evaluates: test neg_elbo %.2f, accuracy %.3f; weights bit-identical "
                    + "to the uninterrupted run", report.negElbo(), report.accuracy()));
        }
        System.out.println("kill test (random seed " + seed + "):");
        outcomes.forEach(o -> System.out.println("  " + o));
    }

    /** --resume once there is a checkpoint to resume from, else a fresh start that writes them. */
    private static Object[] args(Path ckpts, Path out) throws IOException {
        boolean resume = newest(ckpts) != null;
        return concat(RUN, resume ? "--resume" : "--checkpoint-dir", ckpts, "--checkpoint-every", "2", "--keep", "2", "--out", out);
    }

    private static String waitForNewCheckpoint(ChildCli child, Path ckpts, String before) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline && child.process().isAlive()) {
            String now = newest(ckpts);
            if (now != null && !now.equals(before)) return now;
            Thread.sleep(5);
        }
        return newest(ckpts);
    }

    /** Every checkpoint under its final name is complete and valid; so is the model, if it exists yet. */
    private static void assertNoPartialFiles(Path ckpts, Path out) throws IOException {
        try (Stream<Path> files = Files.list(ckpts)) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith("checkpoint-")).toList()) {
                assertFalse(p.getFileName().toString().endsWith(".damaged"), p.toString());
                Checkpoint.read(p); // throws if damaged
            }
        }
        if (Files.exists(out)) ModelFile.load(out).close();
    }

    private static List<String> temporaries(Path ckpts) throws IOException {
        try (Stream<Path> files = Files.list(ckpts)) {
            return files.filter(AtomicOutput::isTemporary).map(p -> p.getFileName().toString()).toList();
        }
    }

    private static String newest(Path ckpts) throws IOException {
        if (!Files.isDirectory(ckpts)) return null;
        try (Stream<Path> files = Files.list(ckpts)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("checkpoint-\\d+\\.safetensors"))
                    .max(String::compareTo).orElse(null);
        }
    }

    private static Object[] concat(Object[] a, Object... b) {
        Object[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
