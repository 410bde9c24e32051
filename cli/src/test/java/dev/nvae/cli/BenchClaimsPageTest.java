package dev.nvae.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * bench/claims writes its page again from a results file ({@code --report-only}); here the values its committed page
 * (bench/CLAIMS.md) records. Its Samples section said "N samples per class at each σ" of every family; a vae or
 * beta-vae draws no class: quality --json counts its samples as unlabelled_samples, N times the classes.
 */
class BenchClaimsPageTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize(); // tests run in cli/
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path DATA = Path.of("/usr/share/datasets/fashion-mnist"); // the script refuses to run without it

    @TempDir
    Path dir;

    @Test
    void theSamplesSectionCountsAVaesSamplesUnlabelled() throws Exception {
        assumeTrue(Files.isExecutable(PYTHON) && Files.isDirectory(DATA), "needs " + PYTHON + " and " + DATA);
        Matcher values = Pattern.compile("(?s)^## Every value measured\n\n```json\n(.*?)\n```$", Pattern.MULTILINE)
                .matcher(Files.readString(ROOT.resolve("bench/CLAIMS.md")));
        assertTrue(values.find(), "bench/CLAIMS.md's values");
        ObjectMapper json = new ObjectMapper();
        @SuppressWarnings("unchecked")
        Map<String, Object> results = new LinkedHashMap<>(json.readValue(values.group(1), Map.class));
        Map<String, Object> run = new LinkedHashMap<>(Map.of("seeds", "0-2", "epochs", 5, "iw", 50, "n", 1000, "threads", 1,
                "when", "2026-11-25 22:20"));
        run.put("limit", null); // the whole training set
        results.put("meta", Map.of("run", run));
        results.put("commands", Map.of("all", List.of()));
        Path file = dir.resolve("results.json"), page = dir.resolve("CLAIMS.md");
        json.writeValue(file.toFile(), results);

        Process p = new ProcessBuilder(ROOT.resolve("bench/claims").toString(), "--report-only", "--results", file.toString(),
                "--out", page.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("log")));
        String samples = Files.readString(page).lines().filter(l -> l.startsWith("`nvae quality`")).findFirst().orElseThrow();
        assertTrue(samples.startsWith("`nvae quality` at each σ: 1000 samples per class of the CVAE and the N-VAE, 10,000 "
                + "unlabelled samples (1000 times the 10 classes) of the VAE and the β-VAE (β = 4), which draw no class; and "
                + "`nvae augment --fractions 1`."), samples);
    }
}
