package dev.nvae.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every command that writes, run in a JVM whose file-size limit ({@code ulimit -f 1}: 512 bytes) is
 * smaller than its output, as a full disk would cut it short: exit 1, one line naming the file and the
 * reason, and nothing left under the final names, not even a temporary file. (HotSpot ignores
 * SIGXFSZ, so the write fails with EFBIG, as it would with ENOSPC.) demo writes through the same
 * paths (the model as train does, grids as sample and reconstruct do) and is left out: it trains for
 * too long for this test.
 */
class FullDiskTest {
    private static final String LIMIT = "ulimit -f 1";

    private static final Path model = Cli.smallModel();

    @TempDir
    Path dir;

    /** Runs {@code args} under the limit; asserts the failure contract and that {@code out} holds nothing. */
    private void failsCleanly(Path out, String written, Object... args) throws Exception {
        ChildCli.Result r = ChildCli.start(dir.resolve("logs"), LIMIT, args).await();
        assertEquals(ErrorHandler.ERROR, r.exitCode(), r.err());
        String last = r.err().lines().reduce((a, b) -> b).orElse("");
        assertEquals("nvae: " + written + ": cannot write: file too large", last, r.err());
        assertEquals(1, r.err().lines().filter(l -> l.startsWith("nvae: ")).count(), r.err());
        assertEquals(List.of(), listing(out), "nothing under " + out);
    }

    private static List<String> listing(Path out) throws IOException {
        if (!Files.exists(out)) return List.of();
        try (Stream<Path> s = Files.list(out)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private Path out() throws IOException {
        return Files.createDirectories(dir.resolve("out"));
    }

    @Test
    void train() throws Exception {
        Path out = out();
        failsCleanly(out, out.resolve("m.safetensors").toString(), "train", "--data", "testdata", "--limit", "64", "--epochs", "1",
                "--batch", "32", "--no-progress", "--out", out.resolve("m.safetensors"));
    }

    @Test
    void trainCheckpoint() throws Exception {
        Path out = out();
        Path ck = dir.resolve("ck");
        ChildCli.Result r = ChildCli.start(dir.resolve("logs"), LIMIT, "train", "--data", "testdata", "--limit", "64", "--epochs", "1",
                "--batch", "32", "--no-progress", "--checkpoint-dir", ck, "--checkpoint-every", "1", "--out", out.resolve("m.safetensors")).await();
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().lines().anyMatch(l -> l.equals("nvae: " + ck.resolve("checkpoint-000000001.safetensors") + ": cannot write: file too large")), r.err());
        assertFalse(Files.exists(ck), "no checkpoint, complete or partial, and the directory the run made is removed");
        assertEquals(List.of(), listing(out));
    }

    @Test
    void sampleInEveryFormat() throws Exception {
        Path out = out();
        failsCleanly(out, out.resolve("g.png").toString(), "sample", "--model", model, "--n", "4", "--format", "grid", "--out", out.resolve("g.png"));
        failsCleanly(out, out.resolve("s.npy").toString(), "sample", "--model", model, "--n", "4", "--format", "npy", "--out", out.resolve("s.npy"));
        // Directory formats: the first file that does not fit ends it, and the directory the command made goes too.
        ChildCli.Result png = ChildCli.start(dir.resolve("logs"), LIMIT, "sample", "--model", model, "--n", "2", "--format", "png",
                "--out", out.resolve("pngs")).await();
        assertEquals(1, png.exitCode(), png.err());
        assertTrue(png.err().contains("nvae: " + out.resolve("pngs").resolve("sample-00001-T-shirt_top.png") + ": cannot write: file too large"),
                png.err());
        ChildCli.Result idx = ChildCli.start(dir.resolve("logs"), LIMIT, "sample", "--model", model, "--n", "2", "--format", "idx",
                "--out", out.resolve("idx")).await();
        assertEquals(1, idx.exitCode(), idx.err());
        assertTrue(idx.err().contains("nvae: " + out.resolve("idx").resolve("train-images-idx3-ubyte") + ": cannot write: file too large"),
                idx.err());
        assertEquals(List.of(), listing(out));
    }

    @Test
    void reconstructAndEncode() throws Exception {
        Path out = out();
        failsCleanly(out, out.resolve("r.png").toString(), "reconstruct", "--model", model, "--data", "testdata", "--n", "10",
                "--out", out.resolve("r.png"));
        failsCleanly(out, out.resolve("z.csv").toString(), "encode", "--model", model, "--data", "testdata", "--out", out.resolve("z.csv"));
        failsCleanly(out, out.resolve("z.npy").toString(), "encode", "--model", model, "--data", "testdata", "--out", out.resolve("z.npy"));
    }

    @Test
    void factorsHeatmap() throws Exception {
        Path out = out();
        failsCleanly(out, out.resolve("h.png").toString(), "factors", "--model", model, "--data", "testdata", "--heatmap", out.resolve("h.png"));
    }

    /** A chart streamed to its file as it is encoded: the reason was ImageIO's "I/O error writing PNG file!", not the disk's. */
    @Test
    void reportCharts() throws Exception {
        Path judge = dir.resolve("judge.safetensors"); // trained beforehand: the report's first file is then a figure
        assertEquals(0, Cli.run("quality", "--model", model, "--data", "testdata", "--n", 1, "--judge-epochs", 1, "--judge", judge).exitCode());
        Path report = out().resolve("report");
        ChildCli.Result r = ChildCli.start(dir.resolve("logs"), LIMIT, "report", "--model", model, "--data", "testdata", "--n", "1",
                "--iw", "0", "--judge", judge, "--out", report).await();
        assertEquals(ErrorHandler.ERROR, r.exitCode(), r.err());
        String last = r.err().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("nvae: " + report.resolve("")) && last.endsWith(".png: cannot write: file too large"), r.err());
        assertEquals(List.of(), listing(out()));
    }
}
