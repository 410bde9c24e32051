package dev.nvae.cli;

import dev.nvae.backend.CpuFeatures;
import dev.nvae.io.Npy;
import dev.nvae.io.SafeTensors;
import dev.nvae.model.LoadedModel;
import dev.nvae.model.ModelFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** --precision bf16, --save-dtype, export --dtype, and the one-line refusals around them. */
class Bf16CliTest {
    @TempDir
    static Path shared;
    static Path model;

    @TempDir
    Path dir;

    @BeforeAll
    static void trainModel() {
        model = shared.resolve("m.safetensors");
        assertEquals(0, Cli.trainSmall(model).exitCode());
    }

    @AfterEach
    void forgetPretence() {
        System.clearProperty(CpuFeatures.ABSENT_PROPERTY);
    }

    private static void assertOneLineFailure(Cli.Result r, String expected) {
        assertEquals(ErrorHandler.ERROR, r.exitCode(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        assertEquals("nvae: " + expected, r.errLines().getFirst());
    }

    @Test
    void bf16TrainingIsRefusedNamingTheMissingFlag() {
        System.setProperty(CpuFeatures.ABSENT_PROPERTY, "avx512_bf16,amx_bf16");
        Path out = dir.resolve("m16.safetensors");
        assertOneLineFailure(Cli.trainSmall(out, "--precision", "bf16"), "--precision bf16: training in bf16 needs a CPU with "
                + "avx512_bf16 or amx_bf16, and this one has neither (see nvae info); train at --precision fp32");
        assertFalse(Files.exists(out));
        Cli.Result info = Cli.run("info");
        // Both bf16 flags listed as absent, whatever else this CPU has (an AMX host keeps amx_tile and amx_int8).
        assertTrue(info.out().matches("(?s).*\\(absent: [^)]*avx512_bf16 [^)]*amx_bf16[^)]*\\).*"), info.out());
        assertTrue(info.out().contains("bf16: inference on vector (bf16-weight kernels, dense layers only) only; training needs avx512_bf16 or amx_bf16, absent here"), info.out());
    }

    @Test
    void bf16TrainingRunsWhereTheCpuMultipliesBf16() throws IOException {
        assumeTrue(CpuFeatures.hasBf16(), "this CPU has no avx512_bf16/amx_bf16: bf16 training is refused here (tested above)");
        Path out = dir.resolve("bf16.safetensors");
        Cli.Result r = Cli.trainSmall(out, "--precision", "bf16", "--backend", "onednn", "--save-dtype", "bf16");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("with backend onednn, 2 threads, bf16") || r.err().contains(", bf16"), r.err());
        assertEquals(Set.of("BF16"), SafeTensors.read(out).dtypes());
        try (LoadedModel m = ModelFile.load(out)) {
            assertEquals("bf16", m.training().get("precision"));
        }
        // Examples without labels go through the same layers: semi-supervised and label-free training run at bf16 too.
        Path semi = dir.resolve("semi.safetensors"), free = dir.resolve("free.safetensors");
        Cli.Result s = Cli.trainSmall(semi, "--precision", "bf16", "--backend", "onednn", "--labels-per-class", 5);
        assertEquals(0, s.exitCode(), s.err());
        Cli.Result f = Cli.trainSmall(free, "--precision", "bf16", "--backend", "onednn", "--labels", "none", "--clusters", 4);
        assertEquals(0, f.exitCode(), f.err());
        Cli.Result e = Cli.run("evaluate", "--model", free, "--data", "testdata", "--precision", "bf16", "--json");
        assertEquals(0, e.exitCode(), e.err());
        assertTrue(e.out().contains("\"clustering\""), "a label-free model is evaluated by its clusters: " + e.out());
        Cli.Result vector = Cli.trainSmall(dir.resolve("v.safetensors"), "--precision", "bf16", "--backend", "vector");
        assertOneLineFailure(vector, "--precision bf16: training in bf16 runs on oneDNN; the vector backend holds bf16 "
                + "weights for inference only (give --backend onednn)");
    }

    /** k-means on a VAE's latent means, the label-free baseline, encodes at bf16 like the other analyses. */
    @Test
    void clusterEncodesAtBf16() {
        Path vae = dir.resolve("vae.safetensors");
        assertEquals(0, Cli.trainSmall(vae, "--model", "vae").exitCode());
        Cli.Result c = Cli.run("cluster", "--model", vae, "--data", "testdata", "--restarts", 1, "--precision", "bf16");
        assertEquals(0, c.exitCode(), c.err());
        assertTrue(c.out().contains("k-means"), c.out());
    }

    @Test
    void exportToBf16HalvesTheFileAndSamplesAlmostAlike() throws IOException {
        Path m16 = dir.resolve("m16.safetensors");
        Cli.Result e = Cli.run("export", "--model", model, "--dtype", "bf16", "--out", m16);
        assertEquals(0, e.exitCode(), e.err());
        assertEquals(Set.of("BF16"), SafeTensors.read(m16).dtypes());
        // To a device: no size of its own to report (it said "0 bytes").
        Cli.Result toNull = Cli.run("export", "--model", model, "--dtype", "bf16", "--out", "/dev/null");
        assertEquals(0, toNull.exitCode(), toNull.err());
        assertEquals("wrote /dev/null (BF16; " + model + " is " + String.format("%,d", Files.size(model)) + " bytes)", toNull.errLines().getLast());
        double ratio = (double) Files.size(m16) / Files.size(model);
        assertTrue(ratio > 0.45 && ratio < 0.55, "bf16 file is " + ratio + " of the fp32 one");
        // The same samples from the fp32 file at fp32 and from the bf16 file at bf16, on both backends.
        Path reference = dir.resolve("ref.npy");
        assertEquals(0, Cli.run("sample", "--model", model, "--n", 3, "--format", "npy", "--backend", "vector", "--out", reference).exitCode());
        float[] ref = Npy.read(reference).floats();
        for (String backend : new String[]{"vector", "auto"}) {
            Path s = dir.resolve("s-" + backend + ".npy");
            Cli.Result r = Cli.run("sample", "--model", m16, "--n", 3, "--format", "npy", "--precision", "bf16", "--backend", backend, "--out", s);
            assertEquals(0, r.exitCode(), r.err());
            float[] got = Npy.read(s).floats();
            double worst = 0;
            for (int i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(ref[i] - got[i]));
            // Pixel probabilities in [0, 1]: bf16 weights (and on oneDNN bf16 activations) move them by rounding only.
            assertTrue(worst < 0.05, backend + ": max |Δp| " + worst);
            assertTrue(worst > 0, backend + ": bf16 gave the fp32 samples exactly");
        }
    }

    /**
     * Nothing evaluate printed said whether the weights were the file's fp32 ones or bf16-rounded (export --dtype bf16),
     * and its JSON had no precision, which quality's, augment's and report's have. Both now say, table and JSON.
     */
    @Test
    void evaluateSaysHowTheWeightsAreStoredAndThePrecision() throws IOException {
        Path m16 = dir.resolve("m16.safetensors");
        assertEquals(0, Cli.run("export", "--model", model, "--dtype", "bf16", "--out", m16).exitCode());
        for (Object[] c : new Object[][]{{model, "fp32", "fp32"}, {m16, "bf16", "fp32"}, {m16, "bf16", "bf16"}}) {
            Object[] args = {"evaluate", "--model", c[0], "--data", "testdata", "--prior-samples", 0, "--threads", 1, "--precision", c[2]};
            Cli.Result table = Cli.run(args);
            assertEquals(0, table.exitCode(), table.err());
            String first = table.out().lines().findFirst().orElseThrow();
            assertTrue(first.endsWith("model nvae; weights stored as " + c[1] + ", computed at --precision " + c[2]), first);
            Object[] json = java.util.Arrays.copyOf(args, args.length + 1);
            json[args.length] = "--json";
            com.fasterxml.jackson.databind.JsonNode j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(Cli.run(json).out());
            assertEquals(c[1], j.get("weights_dtype").asText(), j.toString());
            assertEquals(c[2], j.get("precision").asText(), j.toString());
        }
    }

    @Test
    void refusals() throws IOException {
        Path out = dir.resolve("x.safetensors");
        assertOneLineFailure(Cli.run("export", "--model", model, "--dtype", "fp16", "--out", out), "--dtype fp16: expected fp32 or bf16");
        assertOneLineFailure(Cli.run("export", "--model", model, "--dtype", "bf16", "--out", model),
                "--out " + model + " is the --model file " + model + "; writing it would destroy the input: give another name");
        assertOneLineFailure(Cli.trainSmall(out, "--precision", "fp8"), "--precision fp8: expected fp32 or bf16");
        assertOneLineFailure(Cli.trainSmall(out, "--save-dtype", "int8"), "--save-dtype int8: expected fp32 or bf16");
        assertOneLineFailure(Cli.run("serve", "--model", model, "--port", 0, "--precision", "fp8"), "--precision fp8: expected fp32 or bf16");
        assertFalse(Files.exists(out));
        Path m16 = dir.resolve("m16.safetensors");
        assertEquals(0, Cli.run("export", "--model", model, "--dtype", "bf16", "--out", m16).exitCode());
        assertOneLineFailure(Cli.run("train", "--resume", m16, "--out", out), "--resume " + m16 + " is a model file, not a checkpoint "
                + "directory: a run goes on only from the checkpoints that train --checkpoint-dir DIR writes (a model file holds no "
                + "Adam moments or position)");
    }

    /**
     * export --out NAME/ wrote a file NAME (a Path drops the '/'), and replaced one of that name: what the user named as a
     * directory. Refused now, as cp refuses it, before anything is written; NAME is left as it was.
     */
    @Test
    void exportRefusesAnOutThatEndsInASlash() throws IOException {
        String missing = dir.resolve("newdir") + "/";
        assertOneLineFailure(Cli.run("export", "--model", model, "--dtype", "bf16", "--out", missing),
                "--out " + missing + ": ends in '/', which names a directory; export writes one file: give its name");
        assertFalse(Files.exists(dir.resolve("newdir")));
        Path mine = Files.writeString(dir.resolve("notes"), "mine");
        assertOneLineFailure(Cli.run("export", "--model", model, "--dtype", "bf16", "--out=" + mine + "/"),
                "--out " + mine + "/: ends in '/', which names a directory; export writes one file: give its name");
        assertEquals("mine", Files.readString(mine));
    }

    /**
     * Standard output that leads to the model read is refused as the model's own name is: "export --model M --out - >> M"
     * (or --out /dev/stdout) appended the bf16 copy to M, exited 0, and left M unreadable ("data bytes ... belong to no
     * tensor of the header").
     */
    @Test
    void exportRefusesStandardOutputThatLeadsToTheModel() throws Exception {
        Path copy = Files.copy(model, dir.resolve("copy.safetensors"));
        byte[] before = Files.readAllBytes(copy);
        for (String out : List.of("-", "/dev/stdout")) {
            ChildCli.Result r = ChildCli.start(dir.resolve("logs"), "exec >>'" + copy + "'", "export", "--model", copy, "--dtype", "bf16",
                    "--out", out).await();
            assertEquals(1, r.exitCode(), r.err());
            assertEquals(List.of("nvae: --out " + out + " is the --model file " + copy + "; writing it would destroy the input: give another name"),
                    r.err().lines().toList());
            assertArrayEquals(before, Files.readAllBytes(copy), out);
        }
        // Standard output to another file, or a pipe, is written as before.
        Path other = dir.resolve("other.safetensors");
        ChildCli.Result r = ChildCli.start(dir.resolve("logs"), "exec >'" + other + "'", "export", "--model", copy, "--dtype", "bf16",
                "--out", "-").await();
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(Set.of("BF16"), SafeTensors.read(other).dtypes());
    }

    /**
     * A stream has no size of its own to report, whatever it leads to: "export --out /dev/stdout >> F" said "wrote
     * /dev/stdout (BF16, 2,170,188 bytes; ...)", the size of all of F, 6 bytes more than it wrote.
     */
    @Test
    void exportToAStreamAppendedToAFileReportsNoSizeOfThatFile() throws Exception {
        Path appended = Files.writeString(dir.resolve("appended.bin"), "hello\n");
        ChildCli.Result r = ChildCli.start(dir.resolve("logs"), "exec >>'" + appended + "'", "export", "--model", model, "--dtype", "bf16",
                "--out", "/dev/stdout").await();
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(List.of("wrote /dev/stdout (BF16; " + model + " is " + String.format("%,d", Files.size(model)) + " bytes)"),
                r.err().lines().toList());
        assertTrue(Files.size(appended) > 6);
    }

    /**
     * A value with spaces around it is quoted as an empty one is: "--dtype ' bf16'" was refused as "--dtype  bf16:
     * expected fp32 or bf16", which reads as refusing bf16 itself.
     */
    @Test
    void exportQuotesADtypeWithSpacesAroundIt() {
        Path out = dir.resolve("x.safetensors");
        assertOneLineFailure(Cli.run("export", "--model", model, "--dtype", " bf16", "--out", out), "--dtype ' bf16': expected fp32 or bf16");
        assertOneLineFailure(Cli.run("export", "--model", model, "--dtype", "", "--out", out), "--dtype '': expected fp32 or bf16");
        assertOneLineFailure(Cli.run("export", "--model", model, "--dtype", "fp16", "--out", out), "--dtype fp16: expected fp32 or bf16");
        assertFalse(Files.exists(out));
    }

    /**
     * The vector kernels have no bf16 convolutions: a conv model at --precision bf16 on the vector backend is
     * refused in one line naming the kernel and where it runs, nothing written.
     */
    @Test
    void convModelsAreRefusedAtBf16OnTheVectorBackend() {
        Path conv = convModel();
        Path samples = dir.resolve("s.npy");
        for (Cli.Result r : List.of(
                Cli.run("sample", "--model", conv, "--n", 2, "--format", "npy", "--precision", "bf16", "--backend", "vector",
                        "--out", samples),
                Cli.run("serve", "--model", conv, "--port", 0, "--precision", "bf16", "--backend", "vector"))) {
            assertEquals(ErrorHandler.ERROR, r.exitCode(), r.err());
            assertEquals(1, r.errLines().size(), r.err());
            assertTrue(r.errLines().getFirst().matches("nvae: --precision bf16: enc\\.conv1\\.\\S+ is a convolution kernel, and on "
                    + "the vector backend convolutions have no bf16 products .*; run this model at --precision fp32 or on --backend onednn"),
                    r.err());
        }
        assertFalse(Files.exists(samples));
    }

    /**
     * Where the CPU multiplies bf16, a conv model trains and samples at --precision bf16 on oneDNN (bf16
     * convolutions), and its samples are close to the fp32 ones from the same file and seed.
     */
    @Test
    void convModelsTrainAndSampleAtBf16OnOneDnn() throws IOException {
        assumeTrue(CpuFeatures.hasBf16(), "this CPU has no avx512_bf16/amx_bf16: bf16 training is refused here (tested above)");
        Path conv = dir.resolve("conv16.safetensors");
        Cli.Result trained = Cli.trainSmall(conv, "--arch", "conv", "--hidden", "32", "--channels", "4,8", "--precision", "bf16",
                "--backend", "onednn");
        assertEquals(0, trained.exitCode(), trained.err());
        try (LoadedModel m = ModelFile.load(conv)) {
            assertEquals("bf16", m.training().get("precision"));
        }
        Path s16 = dir.resolve("s16.npy"), s32 = dir.resolve("s32.npy");
        Cli.Result a = Cli.run("sample", "--model", conv, "--n", 4, "--seed", 3, "--format", "npy", "--precision", "bf16",
                "--backend", "onednn", "--out", s16);
        Cli.Result b = Cli.run("sample", "--model", conv, "--n", 4, "--seed", 3, "--format", "npy", "--backend", "onednn",
                "--out", s32);
        assertEquals(0, a.exitCode(), a.err());
        assertEquals(0, b.exitCode(), b.err());
        float[] x16 = Npy.read(s16).floats(), x32 = Npy.read(s32).floats();
        assertEquals(x32.length, x16.length);
        double worst = 0;
        boolean same = true;
        for (int i = 0; i < x32.length; i++) {
            worst = Math.max(worst, Math.abs(x16[i] - x32[i]));
            same &= x16[i] == x32[i];
        }
        assertTrue(worst < 0.05, "bf16 samples differ from fp32 ones by up to " + worst);
        assertFalse(same, "bf16 sampling gave the fp32 samples exactly");
    }

    private Path convModel() {
        Path conv = dir.resolve("conv.safetensors");
        Cli.Result trained = Cli.trainSmall(conv, "--arch", "conv", "--hidden", "32", "--channels", "4,8");
        assertEquals(0, trained.exitCode(), trained.err());
        return conv;
    }
}
