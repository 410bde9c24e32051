package dev.nvae.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * {@code quality} and {@code report} end to end on tiny models of the committed subset, with a judge
 * trained for one epoch into a file the tests give; the report page opened in headless Chromium.
 */
class QualityReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path nvae, vae, free, judge;

    @BeforeAll
    static void trainModelsAndJudge() {
        nvae = dir.resolve("nvae.safetensors");
        vae = dir.resolve("vae.safetensors");
        assertEquals(0, Cli.run("train", "--data", "testdata", "--limit", "300", "--epochs", "2", "--hidden", "64,32", "--no-progress",
                "--threads", "1", "--out", nvae).exitCode());
        assertEquals(0, Cli.trainSmall(vae, "--model", "vae", "--dz", "4", "--hidden", "64,32", "--threads", "1").exitCode());
        free = dir.resolve("free.safetensors"); // 4 clusters of data with 10 classes
        assertEquals(0, Cli.trainSmall(free, "--labels", "none", "--clusters", "4", "--hidden", "64,32", "--threads", "1").exitCode());
        judge = dir.resolve("judge.safetensors");
        Cli.Result r = Cli.run("quality", "--model", nvae, "--judge", judge, "--judge-epochs", "1", "--n", "5", "--threads", "1");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("training the sample judge") && r.err().contains("judge saved to " + judge), r.err());
        assertTrue(r.err().contains(", 1 epoch, once for this data set"), "one epoch, in the singular: " + r.err());
        assertTrue(r.out().contains("not Inception-FID") && r.out().contains("agreement"), r.out());
    }

    /**
     * --judge-epochs trains a new judge only: given beside a --judge that exists and was trained for other epochs, it is
     * not used, and a note says so (an audit's run passed unremarked); at the judge's own epochs, or not given, no note.
     */
    @Test
    void judgeEpochsBesideAnExistingJudgeAreNotedAsUnused() {
        Cli.Result other = Cli.run("quality", "--model", nvae, "--judge", judge, "--judge-epochs", "5", "--n", "2", "--threads", "1");
        assertEquals(0, other.exitCode(), other.err());
        assertTrue(other.err().contains("note: --judge-epochs 5 not used: " + judge + " exists, trained for 1 epoch; give a new --judge "
                + "file to train one for 5"), other.err());
        for (Cli.Result same : List.of(Cli.run("quality", "--model", nvae, "--judge", judge, "--judge-epochs", "1", "--n", "2", "--threads", "1"),
                Cli.run("quality", "--model", nvae, "--judge", judge, "--n", "2", "--threads", "1"))) {
            assertEquals(0, same.exitCode(), same.err());
            assertFalse(same.err().contains("--judge-epochs"), same.err());
        }
    }

    /**
     * Without --judge the judge is kept in the cache; one that cannot be made (a box's read-only or missing home,
     * here a path under a file) cannot hold a judge either, so quality and report are refused before any work,
     * in one line that says to give --judge. report evaluated the model first (8 s on the subset) and then refused.
     */
    @Test
    void aJudgeCacheThatCannotBeMadeIsRefusedBeforeAnyWork() throws Exception {
        Path file = Files.writeString(dir.resolve("cache-file"), "not a folder");
        Path cache = file.resolve("nvae");
        for (List<Object> args : List.of(List.<Object>of("quality", "--model", nvae, "--n", "2", "--threads", "1"),
                List.<Object>of("report", "--model", nvae, "--n", "2", "--threads", "1", "--out", dir.resolve("cacheless-report")))) {
            ChildCli.Result r = ChildCli.start(dir.resolve("logs"), "export NVAE_CACHE_DIR='" + cache + "'", args.toArray()).await();
            assertEquals(1, r.exitCode(), r.err());
            assertEquals(List.of("nvae: judge cache " + cache + ": cannot create: not a directory; give --judge FILE"), r.err().lines().toList());
            assertEquals("", r.out());
        }
        assertFalse(Files.exists(dir.resolve("cacheless-report")));
    }

    /** IDX train and t10k splits under {@code name}, both of the same {@code n} side x side images, image i of class i % classes. */
    private Path idxSplits(String name, float[] pixels, int n, int side, int classes) throws IOException {
        Path data = Files.createDirectories(dir.resolve(name));
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = i % classes;
        for (String split : new String[] {"train", "t10k"}) {
            dev.nvae.io.IdxWriter.writeImages(data.resolve(split + "-images-idx3-ubyte"), pixels, n, side, side);
            dev.nvae.io.IdxWriter.writeLabels(data.resolve(split + "-labels-idx1-ubyte"), labels);
        }
        return data;
    }

    /** quality and report (into {@code reportDir}) refuse {@code model} on {@code data} saying {@code why}, and train no judge. */
    private static void bothRefuseBeforeAJudge(Path model, Path data, Path unborn, String reportDir, String why) throws IOException {
        Cli.assertRefused(Cli.run("quality", "--model", model, "--data", data, "--judge", unborn, "--threads", "1"), dir.resolve("none"), why);
        Cli.assertRefused(Cli.run("report", "--model", model, "--data", data, "--judge", unborn, "--threads", "1", "--out",
                dir.resolve(reportDir)), dir.resolve(reportDir), why);
        assertFalse(Files.exists(unborn), "no judge was trained");
    }

    /** Data of other classes than the model's is refused before a judge is trained on it (it was refused after). */
    @Test
    void dataOfOtherClassesIsRefusedBeforeAJudgeIsTrained() throws IOException {
        Path data = idxSplits("nine", new float[18 * 784], 18, 28, 9);
        Path unborn = dir.resolve("judge-nine.safetensors");
        String why = "--data " + data + ": 9 classes but the model has 10; the judge, a classifier of the data's classes, scores its "
                + "samples class by class";
        bothRefuseBeforeAJudge(nvae, data, unborn, "nine-report", why);
    }

    /**
     * The judge is a CNN for sides divisible by 4: quality refuses other sizes before any work, naming --data, and report
     * leaves sample quality out saying why (found by an audit). quality printed 'training the sample judge' and then
     * 'the sample judge is a CNN for images with sides divisible by 4, not 7x7'; report evaluated the model first, then
     * refused the whole report so.
     */
    @Test
    void imagesTheJudgeCannotTakeAreRefusedByQualityAndLeftOutOfAReport() throws IOException {
        float[] pixels = new float[20 * 49];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (i * 37 % 101) / 100f;
        Path data = idxSplits("seven", pixels, 20, 7, 2);
        Path m = dir.resolve("seven.safetensors"), unborn = dir.resolve("judge-seven.safetensors");
        Cli.Result t = Cli.run("train", "--data", data, "--epochs", 1, "--hidden", "8,8", "--no-progress", "--threads", "1", "--out", m);
        assertEquals(0, t.exitCode(), t.err());
        String why = "--data " + data + ": images are 7x7, and the sample judge, a CNN of two stride-2 convolutions, needs sides"
                + " divisible by 4";
        bothRefuseBeforeAJudge(m, data, unborn, "seven-refused", why);
        Path report = dir.resolve("seven-report");
        Cli.Result r = Cli.run("report", "--model", m, "--data", data, "--n", 2, "--threads", "1", "--out", report);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(JSON.readTree(report.resolve("report.json").toFile()).get("quality_left_out").asText().startsWith("images are 7x7"),
                r.err());
    }

    /** A damaged judge in our cache is trained again (it was refused on every run); a --judge file stays refused. */
    @Test
    void aDamagedCachedJudgeIsTrainedAgainAndAGivenOneRefused() throws IOException {
        Path damaged = Files.write(dir.resolve("judge-damaged.safetensors"), new byte[] {1, 2, 3});
        java.io.StringWriter text = new java.io.StringWriter();
        assertNull(JudgeOptions.readCached(damaged, new java.io.PrintWriter(text)));
        assertTrue(text.toString().startsWith("warning: the cached judge " + damaged + " cannot be read ("), text.toString());
        try (var kept = JudgeOptions.readCached(judge, new java.io.PrintWriter(new java.io.StringWriter()))) {
            assertNotNull(kept);
        }
        Cli.assertRefused(Cli.run("quality", "--model", nvae, "--judge", damaged, "--n", "2", "--threads", "1"), dir.resolve("none"),
                damaged.toString());
    }

    @Test
    void qualityReadsTheKeptJudgeAndReportsEveryFigureInJson() throws IOException {
        Cli.Result r = Cli.run("quality", "--model", nvae, "--judge", judge, "--n", "4", "--sigmas", "1,1.4,2", "--json", "--threads", "1");
        assertEquals(0, r.exitCode(), r.err());
        assertFalse(r.err().contains("training the sample judge"), "the kept judge is read: " + r.err());
        JsonNode j = JSON.readTree(r.out());
        assertTrue(j.get("judge_test_accuracy").asDouble() > 0.3, "one epoch on 3,000 images: " + j.get("judge_test_accuracy"));
        assertEquals(3, j.get("results").size());
        for (JsonNode s : j.get("results")) {
            assertEquals(40, s.get("samples").asInt());
            assertTrue(s.get("fd").asDouble() > 0);
            double a = s.get("class_agreement").asDouble();
            assertTrue(a >= 0 && a <= 1, "agreement " + a);
            assertEquals(10, s.get("class_agreement_per_class").size());
        }
        JsonNode v = JSON.readTree(Cli.run("quality", "--model", vae, "--judge", judge, "--n", "3", "--json", "--threads", "1").out());
        assertTrue(v.get("results").get(0).get("class_agreement").isNull(), "a VAE cannot be given a class");
        assertFalse(v.get("conditional").asBoolean());
    }

    /**
     * A vae's samples have no class: it draws --n times the data's classes, unlabelled, yet the table's first line said
     * "3 per class", as if each class had been asked for. It now says what was drawn.
     */
    @Test
    void aVaesTableSaysItsSamplesAreUnlabelledNotPerClass() throws IOException {
        Cli.Result r = Cli.run("quality", "--model", vae, "--judge", judge, "--n", "3", "--sigmas", "1", "--threads", "1");
        assertEquals(0, r.exitCode(), r.err());
        String first = r.out().lines().findFirst().orElseThrow();
        assertTrue(first.startsWith("samples of the vae (30 unlabelled, --n 3 times the data's 10 classes, at each sigma) judged by a CNN"),
                first);
        assertFalse(first.contains("per class"), first);
    }

    /**
     * Its JSON said "samples_per_class": 3 all the same, though no sample has a class: a reader multiplying it by the
     * classes got the count right by luck and its meaning wrong. A vae's JSON now gives what it drew, unlabelled; a
     * model with classes keeps the key.
     */
    @Test
    void aVaesJsonCountsItsSamplesUnlabelledNotPerClass() throws IOException {
        Cli.Result r = Cli.run("quality", "--model", vae, "--judge", judge, "--n", "3", "--sigmas", "1", "--json", "--threads", "1");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode v = JSON.readTree(r.out());
        assertFalse(v.has("samples_per_class"), v.toString());
        assertEquals(30, v.get("unlabelled_samples").asInt(), "--n 3 times the data's 10 classes");
        assertEquals(30, v.get("results").get(0).get("samples").asInt());
        JsonNode n = JSON.readTree(Cli.run("quality", "--model", nvae, "--judge", judge, "--n", "3", "--sigmas", "1", "--json", "--threads", "1").out());
        assertEquals(3, n.get("samples_per_class").asInt());
        assertFalse(n.has("unlabelled_samples"), n.toString());
    }

    /**
     * A label-free model's clusters are not the data's classes: its samples were scored as if cluster k were class
     * k ("class agreement" per data class), and one with fewer clusters than the data has classes was refused. Now
     * it is sampled n per cluster, judged for FD and the classes the judge sees, and given no agreement.
     */
    @Test
    void aLabelFreeModelIsSampledPerClusterAndGivenNoClassAgreement() throws IOException {
        Cli.Result r = Cli.run("quality", "--model", free, "--judge", judge, "--n", "3", "--json", "--threads", "1");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = JSON.readTree(r.out());
        assertFalse(j.get("conditional").asBoolean(), "not scored class by class");
        assertTrue(j.get("label_free").asBoolean());
        assertEquals(4, j.get("clusters").size());
        assertEquals(10, j.get("classes").size(), "the judge's classes are the data's");
        assertTrue(j.get("class_agreement_note").asText().contains("not the data's classes"), j.toString());
        for (JsonNode s : j.get("results")) {
            assertEquals(12, s.get("samples").asInt(), "3 samples of each of 4 clusters");
            assertTrue(s.get("class_agreement").isNull(), s.toString());
            assertFalse(s.has("class_agreement_per_class"), s.toString());
            assertEquals(10, s.get("predicted_share").size());
            assertTrue(s.get("fd").asDouble() > 0);
        }
        Cli.Result table = Cli.run("quality", "--model", free, "--judge", judge, "--n", "3", "--threads", "1");
        assertEquals(0, table.exitCode(), table.err());
        assertTrue(table.out().contains("3 per cluster, 4 clusters") && table.out().contains("class agreement: none for a label-free model"),
                table.out());
        assertFalse(table.out().contains("agree "), table.out());
    }

    /** At bf16 the model's samples change by rounding; the judge stays at fp32, so its own figures do not change at all. */
    @Test
    void qualityAtBf16SamplesInBf16AndJudgesInFp32() throws IOException {
        Object[] common = {"quality", "--model", nvae, "--judge", judge, "--n", "4", "--json", "--threads", "1", "--backend", "vector"};
        Cli.Result fp32 = Cli.run(common);
        Cli.Result bf16 = Cli.run(concat(common, "--precision", "bf16"));
        assertEquals(0, bf16.exitCode(), bf16.err());
        JsonNode a = JSON.readTree(fp32.out()), b = JSON.readTree(bf16.out());
        assertEquals("fp32", a.get("precision").asText());
        assertEquals("bf16", b.get("precision").asText());
        assertEquals("fp32", a.get("weights_dtype").asText(), "the file's weights, at either precision");
        assertEquals("fp32", b.get("weights_dtype").asText());
        assertEquals(a.get("judge_test_accuracy"), b.get("judge_test_accuracy"), "the judge computes in fp32 at either precision");
        assertEquals(a.get("fd_real"), b.get("fd_real"));
        double fdA = a.get("results").get(0).get("fd").asDouble(), fdB = b.get("results").get(0).get("fd").asDouble();
        assertNotEquals(fdA, fdB, "bf16 samples are not the fp32 ones");
        assertEquals(fdA, fdB, 0.1 * fdA, "bf16 rounding moves the samples' FD a little");
    }

    /**
     * A file of bf16 weights (export --dtype bf16) read as an fp32 one: report.json said "precision": "fp32" and
     * training.precision "fp32", the page nothing, while every weight was rounded to bfloat16. report.json, the page and
     * quality's JSON now say weights_dtype bf16.
     */
    @Test
    void aBf16FileIsSaidToHoldBf16Weights() throws IOException {
        Path m16 = dir.resolve("nvae-bf16.safetensors"), out = dir.resolve("report-bf16");
        assertEquals(0, Cli.run("export", "--model", nvae, "--dtype", "bf16", "--out", m16).exitCode());
        Cli.Result r = Cli.run("report", "--model", m16, "--judge", judge, "--n", "2", "--iw", "0", "--threads", "1", "--out", out);
        assertEquals(0, r.exitCode(), r.err());
        JsonNode numbers = JSON.readTree(out.resolve("report.json").toFile());
        assertEquals("bf16", numbers.get("weights_dtype").asText());
        assertEquals("fp32", numbers.get("precision").asText());
        assertEquals("fp32", numbers.get("training").get("precision").asText(), "how it was trained, not how it is stored");
        String html = Files.readString(out.resolve("index.html"));
        assertTrue(html.contains("measured on the test split of testdata at precision fp32, weights stored as bf16, by nvae "), html);
        Cli.Result q = Cli.run("quality", "--model", m16, "--judge", judge, "--n", "2", "--json", "--threads", "1");
        assertEquals(0, q.exitCode(), q.err());
        assertEquals("bf16", JSON.readTree(q.out()).get("weights_dtype").asText(), q.out());
    }

    private static Object[] concat(Object[] a, Object... b) {
        Object[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void badInputIsRefusedInOneLine() throws IOException {
        Cli.Result zero = Cli.run("quality", "--model", nvae, "--judge", dir.resolve("j2.safetensors"), "--judge-epochs", "0");
        assertEquals(1, zero.exitCode());
        assertTrue(zero.err().contains("--judge-epochs 0 must be at least 1"), zero.err());
        assertFalse(Files.exists(dir.resolve("j2.safetensors")));
        Cli.Result notJudge = Cli.run("quality", "--model", nvae, "--judge", vae, "--threads", "1");
        assertEquals(1, notJudge.exitCode());
        assertTrue(notJudge.err().contains("not an nvae judge file"), notJudge.err());
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        Cli.Result notDir = Cli.run("report", "--model", nvae, "--judge", judge, "--out", file);
        assertEquals(1, notDir.exitCode());
        assertEquals("x", Files.readString(file), "nothing written over");
        Path folder = Files.createDirectories(dir.resolve("holds-the-model"));
        Path model = Files.copy(nvae, folder.resolve("report.json"));
        Cli.Result input = Cli.run("report", "--model", model, "--judge", judge, "--out", folder);
        assertEquals(1, input.exitCode());
        assertTrue(input.err().contains("would destroy the input"), input.err());
        assertArrayEquals(Files.readAllBytes(nvae), Files.readAllBytes(model));
    }

    @Test
    void reportWritesOneSelfContainedPageThatABrowserShowsWhole() throws IOException, InterruptedException {
        Path out = dir.resolve("report");
        Cli.Result r = Cli.run("report", "--model", nvae, "--judge", judge, "--n", "5", "--iw", "5", "--threads", "1", "--out", out);
        assertEquals(0, r.exitCode(), r.err());
        String html = Files.readString(out.resolve("index.html"));
        JsonNode numbers = JSON.readTree(out.resolve("report.json").toFile());
        assertEquals(numbers, embeddedJson(html), "the page carries report.json's numbers");
        for (String key : List.of("config", "training", "evaluation", "quality", "images")) assertTrue(numbers.has(key), key);
        assertTrue(numbers.get("config").has("beta_c") && numbers.get("config").get("ds").asInt() > 0, numbers.get("config").toString());
        assertEquals("fp32", numbers.get("weights_dtype").asText());
        assertTrue(html.contains("measured on the test split of testdata at precision fp32, weights stored as fp32, by nvae "), html);
        assertTrue(numbers.get("training").get("curve").size() == 2, "two epochs in the curve");
        // The training table shows the final loss as the metrics table shows figures (it showed every digit of a double).
        assertTrue(Pattern.compile("<tr><th>final_loss</th><td>-?\\d+\\.\\d{4}</td></tr>").matcher(html).find(), "final_loss to 4 decimals");
        // Every PNG beside the page is embedded in it, byte for byte; the page references nothing else.
        List<String> embedded = new ArrayList<>();
        Matcher m = Pattern.compile("<img src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\" data-file=\"([^\"]+)\"").matcher(html);
        while (m.find()) {
            byte[] png = Base64.getDecoder().decode(m.group(1));
            assertArrayEquals(Files.readAllBytes(out.resolve(m.group(2))), png, m.group(2));
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            assertNotNull(image, m.group(2));
            embedded.add(m.group(2));
        }
        List<String> files;
        try (Stream<Path> s = Files.list(out)) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".png")).sorted().toList();
        }
        assertEquals(files, embedded.stream().sorted().toList());
        assertTrue(files.containsAll(List.of("training-curve.png", "samples-sigma-1.0.png", "samples-sigma-1.4.png", "sample-quality.png",
                "aggregate-posterior.png", "posterior-means.png", "factors.png")), files.toString());
        assertTrue(files.stream().anyMatch(f -> f.startsWith("traversal-shared-")), files.toString());
        assertFalse(Pattern.compile("(src|href)=\"(?!data:|#|report\\.json)").matcher(html).find(), "no link leaves the page");

        assumeFalse("1".equals(System.getenv("NVAE_NO_BROWSER")), "NVAE_NO_BROWSER=1: the page is not opened in a browser");
        // The page alone, copied away from its PNGs, opened from file:// by a real browser with no network.
        Path alone = Files.createDirectories(dir.resolve("alone")).resolve("page.html");
        Files.copy(out.resolve("index.html"), alone);
        String dom = chromium(alone, "--dump-dom");
        Matcher check = Pattern.compile("<p id=\"image-check\" data-ok=\"(\\w+)\" data-images=\"(\\d+)\">([^<]*)<").matcher(dom);
        assertTrue(check.find(), "the page's own check ran:\n" + dom.substring(0, Math.min(dom.length(), 2000)));
        assertEquals("true", check.group(1), check.group(3));
        assertEquals(embedded.size(), Integer.parseInt(check.group(2)));
        Path shot = dir.resolve("report.png");
        chromium(alone, "--screenshot=" + shot, "--window-size=1280,2400");
        BufferedImage screen = ImageIO.read(shot.toFile());
        assertNotNull(screen, "a screenshot");
        assertEquals(1280, screen.getWidth());
    }

    @Test
    void aVaeReportHasItsOwnTraversalAndNoAgreement() throws IOException {
        Path out = dir.resolve("vae-report");
        Cli.Result r = Cli.run("report", "--model", vae, "--judge", judge, "--n", "3", "--iw", "0", "--threads", "1", "--out", out);
        assertEquals(0, r.exitCode(), r.err());
        // Its progress line said "judging 3 samples per class", as quality's table did: it draws 30, none of a class.
        assertTrue(r.err().contains("judging 30 unlabelled samples (--n 3 times the data's 10 classes) at sigma 1 and 1.4"), r.err());
        assertFalse(r.err().contains("per class"), r.err());
        assertTrue(Files.exists(out.resolve("traversal-z.png")));
        // The JSON lists what the one figure sweeps, every z dimension (it said the two of most KL, under "shared").
        JsonNode numbers = JSON.readTree(out.resolve("report.json").toFile());
        assertArrayEquals(new int[]{0, 1, 2, 3}, JSON.treeToValue(numbers.get("traversed_z_dims"), int[].class));
        assertFalse(numbers.has("traversed_shared_dims"));
        // Its settings in snake_case, as every other key, and its latent named dz as train --help names it.
        JsonNode config = numbers.get("config");
        assertEquals(4, config.get("dz").asInt(), config.toString());
        assertEquals(10, config.get("num_classes").asInt(), config.toString());
        assertTrue(config.has("sigma_x") && config.has("label_free") && config.has("conv_channels"), config.toString());
        assertFalse(config.has("ds") || config.has("dc") || config.has("numClasses") || config.has("beta_c"), config.toString());
        JsonNode q = numbers.get("quality");
        assertTrue(q.get("results").get(0).get("class_agreement").isNull());
        String html = Files.readString(out.resolve("index.html"));
        assertTrue(html.contains("n/a (no class to give)"));
        // How many it judged, in numbers (it said "3 × K samples", K not said).
        assertTrue(html.contains("judges 30 (3 × the data's 10 classes) unlabelled samples at each σ"), html);
        // Its factors section spoke of class blocks and β_c, which a VAE has not.
        assertTrue(html.contains("Mean KL of each dimension of z over the test split."), "one block, z");
        assertFalse(html.contains("own block") || html.contains("β_c"), "no class block, no β_c");
    }

    /**
     * A cvae's latent is one z, as its heatmap and scatter say, yet its traversals were captioned "shared dimension d"
     * under "Shared-factor traversals", an nvae's words for a block it has not.
     */
    @Test
    void aCvaeReportCallsItsTraversedDimensionsZ() throws IOException {
        Path cvae = dir.resolve("cvae.safetensors");
        assertEquals(0, Cli.trainSmall(cvae, "--model", "cvae", "--dz", "4", "--hidden", "64,32", "--threads", "1").exitCode());
        Path out = dir.resolve("cvae-report");
        Cli.Result r = Cli.run("report", "--model", cvae, "--judge", judge, "--n", "2", "--iw", "0", "--threads", "1", "--out", out);
        assertEquals(0, r.exitCode(), r.err());
        String html = Files.readString(out.resolve("index.html"));
        int[] dims = JSON.treeToValue(JSON.readTree(out.resolve("report.json").toFile()).get("traversed_z_dims"), int[].class);
        assertEquals(2, dims.length);
        for (int d : dims) {
            assertTrue(Files.exists(out.resolve("traversal-z-" + d + ".png")), "named for z: " + names(out));
            assertTrue(html.contains("<figcaption>z dimension " + d + "</figcaption>"), "z dimension " + d);
            assertTrue(html.contains("alt=\"traversal of z dimension " + d + "\""), "alt text of z dimension " + d);
        }
        assertTrue(html.contains("The z dimensions the model uses most"), html);
        assertFalse(html.contains("hared dimension") || html.contains("Shared-factor"), "nothing shared in a cvae");
        // An nvae's page keeps its words.
        Path nvaeOut = dir.resolve("nvae-words");
        assertEquals(0, Cli.run("report", "--model", nvae, "--judge", judge, "--n", "2", "--iw", "0", "--threads", "1", "--out", nvaeOut).exitCode());
        String nvaeHtml = Files.readString(nvaeOut.resolve("index.html"));
        assertTrue(nvaeHtml.contains("<figcaption>shared dimension ") && nvaeHtml.contains("Shared-factor traversals"), nvaeHtml);
    }

    /**
     * A label-free model's report failed at the defaults on --iw, a flag the user never gave (iwae_nll needs the true
     * class); its page lacked the clustering figures and kl_y, and named kl_c and ce as a labelled model's. Now the
     * default leaves iwae_nll out and says why, and the rows are evaluate's for such a model.
     */
    @Test
    void aLabelFreeReportLeavesIwaeOutAndShowsItsClusters() throws IOException {
        Path out = dir.resolve("free-report");
        Cli.Result r = Cli.run("report", "--model", free, "--judge", judge, "--n", "3", "--threads", "1", "--out", out);
        assertEquals(0, r.exitCode(), r.err());
        assertFalse(r.err().contains("--iw"), r.err());
        JsonNode e = JSON.readTree(out.resolve("report.json").toFile()).get("evaluation");
        assertFalse(e.has("iwae_nll"));
        double sum = e.get("rec").asDouble() + e.get("kl_s").asDouble() + e.get("kl_c").asDouble() + e.get("kl_y").asDouble();
        assertEquals(e.get("neg_elbo").asDouble(), sum, 1e-9 * Math.abs(sum));
        assertEquals(4, e.get("clustering").get("cluster_sizes").size());
        String html = Files.readString(out.resolve("index.html"));
        for (String s : List.of("<th>kl_y</th>", "KL of the cluster&#39;s latent", "summed over clusters", "not estimated",
                "<th>acc</th>", "<th>nmi</th>", "<th>ari</th>", "matched class", "<th>cluster 3</th>", "clusters are not classes")) {
            assertTrue(html.contains(s), s);
        }
        for (String s : List.of("KL of the true class", "<th>ce</th>", "<th>accuracy</th>")) assertFalse(html.contains(s), s);
        // Asked for, iwae_nll is refused naming the flag the user gave.
        Cli.assertRefused(Cli.run("report", "--model", free, "--judge", judge, "--iw", "5", "--threads", "1", "--out",
                dir.resolve("free-iw")), dir.resolve("free-iw"), "--iw 5: iwae_nll", "label-free");
    }

    /**
     * A label-free model's page spoke of classes where it has clusters: "classes 4: cluster 0, ...", "per class dc",
     * samples "one row per class", factors "each class's own block", traversals "decoded for every class". Its blocks
     * and rows are clusters, which are not the data's classes; only the clustering table matches them to classes.
     */
    @Test
    void aLabelFreeReportSpeaksOfClustersNotClasses() throws IOException {
        Path out = dir.resolve("free-words");
        Cli.Result r = Cli.run("report", "--model", free, "--judge", judge, "--n", "2", "--threads", "1", "--out", out);
        assertEquals(0, r.exitCode(), r.err());
        String html = Files.readString(out.resolve("index.html"));
        for (String s : List.of("<th>clusters</th><td>4: cluster 0", "per cluster dc = 4", "one row per cluster.",
                "each cluster's own block", "decoded for every cluster")) {
            assertTrue(html.contains(s), s);
        }
        for (String s : List.of("<th>classes</th>", "per class dc", "one row per class", "each class's own block", "every class")) {
            assertFalse(html.contains(s), s);
        }
        assertFalse(html.contains("<td>null</td>"), "no accuracy was measured in training: the row is left out, not 'null'");
    }

    /**
     * report --out used to write into any directory — replacing a user's index.html — and a report written over
     * an earlier one left that one's figures beside its own (the nvae's traversal-shared-*.png beside the vae's
     * traversal-z.png). Now a directory holding anything but an earlier report is refused, and an earlier report
     * is replaced as a whole.
     */
    @Test
    void reportReplacesOnlyAnEarlierReportAndThatAsAWhole() throws IOException {
        Path users = Files.createDirectories(dir.resolve("users"));
        Files.writeString(users.resolve("index.html"), "mine");
        Cli.Result refused = Cli.run("report", "--model", nvae, "--judge", judge, "--n", "2", "--iw", "0", "--threads", "1", "--out", users);
        assertEquals(1, refused.exitCode(), refused.err());
        assertEquals(List.of("nvae: --out " + users + " is not empty and holds no nvae report (it has index.html); give a new or empty "
                + "directory, or one an earlier report wrote"), refused.errLines());
        assertEquals(List.of("index.html"), names(users));
        assertEquals("mine", Files.readString(users.resolve("index.html")));

        Path out = dir.resolve("replaced");
        Cli.Result first = Cli.run("report", "--model", nvae, "--judge", judge, "--n", "2", "--iw", "0", "--threads", "1", "--out", out);
        assertEquals(0, first.exitCode(), first.err());
        assertEquals(reportFiles(out), names(out));
        assertTrue(names(out).stream().anyMatch(n -> n.startsWith("traversal-shared-")), names(out).toString());
        Cli.Result second = Cli.run("report", "--model", vae, "--judge", judge, "--n", "2", "--iw", "0", "--threads", "1", "--out", out);
        assertEquals(0, second.exitCode(), second.err());
        assertEquals(reportFiles(out), names(out), "the vae's report and nothing of the nvae's");
        assertTrue(names(out).contains("traversal-z.png") && names(out).stream().noneMatch(n -> n.startsWith("traversal-shared-")),
                names(out).toString());

        // A report with a file of the user's beside it: refused, nothing touched.
        Files.writeString(out.resolve("notes.txt"), "my notes");
        byte[] json = Files.readAllBytes(out.resolve("report.json"));
        List<String> before = names(out);
        Cli.Result mixed = Cli.run("report", "--model", nvae, "--judge", judge, "--n", "2", "--iw", "0", "--threads", "1", "--out", out);
        assertEquals(1, mixed.exitCode(), mixed.err());
        assertEquals(List.of("nvae: --out " + out + " holds an earlier report and files no report writes (notes.txt); move them away or "
                + "give a new or empty directory"), mixed.errLines());
        assertEquals(before, names(out));
        assertArrayEquals(json, Files.readAllBytes(out.resolve("report.json")));
    }

    /**
     * A report over an earlier one, stopped by SIGTERM while it writes its figures: the earlier report is left
     * whole (or, if the new one was already committed, the new one is there whole), and nothing hidden is left.
     */
    @Test
    void anInterruptedReportLeavesTheEarlierOneWhole() throws Exception {
        Path out = dir.resolve("interrupted");
        Cli.Result first = Cli.run("report", "--model", vae, "--judge", judge, "--n", "2", "--iw", "0", "--threads", "1", "--out", out);
        assertEquals(0, first.exitCode(), first.err());
        List<String> earlier = names(out);
        byte[] earlierJson = Files.readAllBytes(out.resolve("report.json"));
        ChildCli child = ChildCli.start(dir.resolve("logs"), "", "report", "--model", nvae, "--judge", judge, "--n", "2", "--iw", "0",
                "--threads", "1", "--out", out);
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (child.process().isAlive() && !hasStaging(out) && System.nanoTime() < deadline) Thread.sleep(2);
        boolean alive = child.process().isAlive();
        ChildCli.Result r = child.signal("TERM");
        List<String> now = names(out);
        assertTrue(now.stream().noneMatch(n -> n.startsWith(".")), "nothing hidden left: " + now);
        if (java.util.Arrays.equals(earlierJson, Files.readAllBytes(out.resolve("report.json")))) {
            assertEquals(earlier, now, "the earlier report, whole: " + r.err());
            if (alive) assertEquals(143, r.exitCode(), r.err());
        } else {
            assertEquals(reportFiles(out), now, "the new report, whole");
        }
        System.out.println("report interrupted: exit " + r.exitCode() + ", " + (alive ? "signalled while writing" : "had finished")
                + "; " + r.err().lines().reduce((a, b) -> b).orElse(""));
    }

    private static boolean hasStaging(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.anyMatch(p -> p.getFileName().toString().startsWith(".nvae-staging-"));
        }
    }

    /** What a report in {@code out} consists of by its own account: its page, its JSON and the images it lists. */
    private static List<String> reportFiles(Path out) throws IOException {
        List<String> files = new ArrayList<>(List.of("index.html", "report.json"));
        for (JsonNode image : JSON.readTree(out.resolve("report.json").toFile()).get("images")) files.add(image.asText());
        return files.stream().sorted().toList();
    }

    private static List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static JsonNode embeddedJson(String html) throws IOException {
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"numbers\">(.*?)</script>", Pattern.DOTALL).matcher(html);
        assertTrue(m.find(), "the numbers are embedded");
        return JSON.readTree(m.group(1));
    }

    /**
     * Runs headless Chromium (Debian's {@code chromium}; CI installs it) on {@code page} with no network;
     * returns what it printed. The virtual-time budget lets the page's load handler run before the DOM is
     * dumped or the screenshot taken.
     */
    private static String chromium(Path page, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--no-first-run", "--disable-extensions", "--proxy-server=127.0.0.1:9", "--user-data-dir=" + dir.resolve("chromium-profile"),
                "--virtual-time-budget=10000"));
        cmd.addAll(List.of(args));
        cmd.add(page.toUri().toString());
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] stdout = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium finished");
        assertEquals(0, p.exitValue(), "chromium " + String.join(" ", args));
        return new String(stdout, StandardCharsets.UTF_8);
    }
}
