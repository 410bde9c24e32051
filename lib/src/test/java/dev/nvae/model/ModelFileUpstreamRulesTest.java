package dev.nvae.model;

import dev.nvae.io.NamedArray;
import dev.nvae.io.SafeTensors;
import dev.nvae.io.SafeTensorsFile;
import dev.nvae.io.StoredDtype;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What nvae writes passes the reading rules of huggingface/safetensors (bench/peer/safetensors_check.py
 * restates them: the package itself is not installed here), and what its writer lays out — tensors sorted by
 * dtype then name, no {@code __metadata__} or one first — loads back as the same model. Every safetensors
 * writer of nvae (model files, checkpoints, the quality judge) goes through {@link SafeTensors#writeArrays}.
 */
class ModelFileUpstreamRulesTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize(); // tests run in lib/
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path SCRIPT = ROOT.resolve("bench/peer/safetensors_check.py");

    @TempDir
    Path dir;

    @Test
    void everyKindOfFileWePassesTheReferenceReadersRulesAndTheReferenceLayoutLoadsBack() throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), "needs " + PYTHON);
        List<Path> written = new ArrayList<>();
        List<ModelConfig> configs = List.of(
                new ModelConfig(ModelConfig.NVAE, ModelConfig.MLP, 2, 3, 3, 5, 4, 2, 1, 2.0, 0.5, 1,
                        ModelConfig.BERNOULLI, 1, ModelConfig.BINARIZE_DYNAMIC),
                ModelConfig.baseline(ModelConfig.VAE, 2, 3, 0, 5, 4, 3, 1),
                ModelConfig.baseline(ModelConfig.BETA_VAE, 2, 3, 3, 5, 4, 3, 4),
                ModelConfig.baseline(ModelConfig.CVAE, 2, 3, 3, 5, 4, 3, 1));
        for (ModelConfig c : configs) {
            for (StoredDtype dtype : StoredDtype.values()) {
                Path file = dir.resolve(c.model() + "-" + dtype + ".safetensors");
                try (LatentModel m = LatentModel.create(c)) {
                    m.initialize(3);
                    ModelFile.save(m, file, c.numClasses() == 0 ? List.of() : List.of("T-shirt/top", "Ä\u00e9", "\"q\""),
                            Map.of("data", "x"), dtype);
                }
                written.add(file);
            }
        }
        // What a model never holds but the format allows and a checkpoint or judge could: a 0-d tensor, an empty one,
        // metadata of non-ASCII and control characters.
        Path odd = dir.resolve("odd.safetensors");
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("ключ", "värde\t\u0001\u2028\uD83D\uDE00");
        SafeTensors.writeArrays(odd, List.of(
                new NamedArray("step", new long[] {}, MemorySegment.ofArray(new float[] {7f})),
                new NamedArray("none", new long[] {3, 0}, MemorySegment.ofArray(new float[0])),
                new NamedArray("w", new long[] {2, 1, 1}, MemorySegment.ofArray(new float[] {1f, -0f}))), meta);
        written.add(odd);

        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), SCRIPT.toString(), "check"));
        written.forEach(p -> command.add(p.toString()));
        String out = run(command);
        for (Path p : written) assertTrue(out.contains(p + ": ok: "), out);
        assertEquals(meta, SafeTensors.read(odd).metadata());

        for (Path p : written) {
            if (p.equals(odd)) continue;
            Path relaid = dir.resolve("upstream-" + p.getFileName());
            run(List.of(PYTHON.toString(), SCRIPT.toString(), "upstream", p.toString(), relaid.toString()));
            SafeTensorsFile ours = SafeTensors.read(p);
            SafeTensorsFile theirs = SafeTensors.read(relaid);
            assertEquals(ours.metadata(), theirs.metadata());
            try (LoadedModel a = ModelFile.load(p); LoadedModel b = ModelFile.load(relaid)) {
                assertEquals(a.model().config(), b.model().config());
                assertEquals(a.classNames(), b.classNames());
                for (String name : ours.names()) {
                    assertArrayEquals(a.model().params().get(name).toArray(), b.model().params().get(name).toArray(), name);
                }
            }
        }
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "script timed out");
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
