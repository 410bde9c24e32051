package dev.nvae.model;

import dev.nvae.NvaeException;
import dev.nvae.io.FormatException;
import dev.nvae.io.NamedArray;
import dev.nvae.io.SafeTensors;
import dev.nvae.io.SafeTensorsFile;
import dev.nvae.tensor.FlatParameters;
import dev.nvae.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every model family round-trips through a file; files written before the baselines existed still load. */
class ModelFileTest {
    private static final List<String> CLASSES = List.of("a", "b", "c");

    @TempDir
    Path dir;

    @Test
    void everyFamilyRoundTrips() {
        List<ModelConfig> configs = List.of(
                new ModelConfig(ModelConfig.NVAE, ModelConfig.MLP, 2, 3, 3, 5, 4, 2, 1, 2.0, 0.5, 1,
                        ModelConfig.BERNOULLI, 1, ModelConfig.BINARIZE_DYNAMIC),
                ModelConfig.baseline(ModelConfig.VAE, 2, 3, 3, 5, 4, 3, 1),
                ModelConfig.baseline(ModelConfig.BETA_VAE, 2, 3, 3, 5, 4, 3, 4),
                ModelConfig.baseline(ModelConfig.CVAE, 2, 3, 3, 5, 4, 3, 1).withLikelihood(ModelConfig.GAUSSIAN, 0.2, ModelConfig.BINARIZE_NONE));
        for (ModelConfig c : configs) {
            Path file = dir.resolve(c.model() + ".safetensors");
            try (LatentModel m = LatentModel.create(c)) {
                m.initialize(1);
                ModelFile.save(m, file, CLASSES, Map.of("data", "x"));
                try (LoadedModel back = ModelFile.load(file)) {
                    assertEquals(c, back.model().config());
                    assertEquals(m.getClass(), back.model().getClass());
                    assertArrayEquals(m.params().get("enc1.w").toArray(), back.model().params().get("enc1.w").toArray());
                }
            }
        }
    }

    /** The metadata of a file from before baselines and likelihood options: only the eleven original keys. */
    @Test
    void aFileWithTheOriginalConfigKeysLoadsAsTheNvaeItIs() {
        ModelConfig c = new ModelConfig(ModelConfig.NVAE, ModelConfig.MLP, 2, 3, 3, 5, 4, 2, 1, 1.5, 1.0);
        Path file = dir.resolve("old.safetensors");
        String oldConfig = "{\"model\":\"nvae\",\"arch\":\"mlp\",\"height\":2,\"width\":3,\"numClasses\":3,\"hidden1\":5,"
                + "\"hidden2\":4,\"ds\":2,\"dc\":1,\"betaC\":1.5,\"alpha\":1.0}";
        try (LatentModel m = LatentModel.create(c)) {
            m.initialize(2);
            write(m, file, oldConfig);
        }
        try (LoadedModel back = ModelFile.load(file)) {
            assertTrue(back.model().config().isNvae());
            assertEquals(c, back.model().config());
            assertEquals(ModelConfig.BERNOULLI, back.model().config().likelihood());
            assertEquals(ModelConfig.BINARIZE_NONE, back.model().config().binarize());
        }
    }

    @Test
    void aConfigThatMixesFamiliesIsRejectedNamingTheFile() {
        Path file = dir.resolve("bad.safetensors");
        try (LatentModel m = LatentModel.create(new ModelConfig(ModelConfig.NVAE, ModelConfig.MLP, 2, 3, 3, 5, 4, 2, 1, 1, 1))) {
            write(m, file, "{\"model\":\"vae\",\"arch\":\"mlp\",\"height\":2,\"width\":3,\"numClasses\":3,\"hidden1\":5,"
                    + "\"hidden2\":4,\"ds\":2,\"dc\":1,\"betaC\":1,\"alpha\":0}");
        }
        FormatException e = assertThrows(FormatException.class, () -> ModelFile.load(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("--dc"), e.getMessage());
    }

    /**
     * A checkpoint or the sample judge handed over as a model is refused with what it is and which file to give instead;
     * another safetensors file only with its tag.
     */
    @Test
    void aCheckpointOrJudgeGivenAsAModelIsRefusedSayingWhatItIs() {
        Map<String, String> kinds = Map.of(
                "nvae-checkpoint/1", ": a training checkpoint, which nvae train --resume reads from its directory; the model is the file nvae train --out writes",
                "nvae-judge/1", ": the sample judge that quality and report score samples with, not a model",
                "someone-else/3", "");
        for (Map.Entry<String, String> kind : kinds.entrySet()) {
            Path file = dir.resolve(kind.getKey().replace('/', '-') + ".safetensors");
            SafeTensors.writeArrays(file, List.of(new NamedArray("w", new long[]{1}, java.lang.foreign.MemorySegment.ofArray(new float[]{1f}))),
                    Map.of("format", kind.getKey()));
            FormatException e = assertThrows(FormatException.class, () -> ModelFile.load(file));
            assertTrue(e.getMessage().endsWith("not an nvae model file (metadata format is '" + kind.getKey() + "', expected '"
                    + ModelFile.FORMAT + "')" + kind.getValue()), e.getMessage());
        }
    }

    /** 0 classes is a vae's or beta-vae's trained without labels; any other family's file claiming none is refused. */
    @Test
    void noClassesLoadForAVaeOnly() {
        ModelConfig vae = ModelConfig.baseline(ModelConfig.VAE, 2, 3, 0, 5, 4, 2, 1);
        Path file = dir.resolve("classless.safetensors");
        try (LatentModel m = LatentModel.create(vae)) {
            m.initialize(4);
            ModelFile.save(m, file, List.of(), Map.of());
        }
        try (LoadedModel back = ModelFile.load(file)) {
            assertEquals(vae, back.model().config());
            assertEquals(List.of(), back.classNames());
        }
        for (String family : List.of(ModelConfig.NVAE, ModelConfig.CVAE)) {
            NvaeException e = assertThrows(NvaeException.class, () -> ModelFile.readConfig("{\"model\":\"" + family
                    + "\",\"arch\":\"mlp\",\"height\":2,\"width\":3,\"numClasses\":0,\"hidden1\":5,\"hidden2\":4,\"ds\":2,\"dc\":"
                    + (family.equals(ModelConfig.NVAE) ? 1 : 0) + ",\"betaC\":1,\"alpha\":" + (family.equals(ModelConfig.NVAE) ? 1 : 0) + "}"));
            assertTrue(e.getMessage().contains("number of classes 0 must be at least 2 (0, for data without labels, only for a vae or beta-vae"),
                    e.getMessage());
            // "a nvae reads labels" it said, of a family that may have been trained without them (--labels none).
            assertTrue(e.getMessage().endsWith(family.equals(ModelConfig.NVAE) ? ": an nvae has a latent block per class)" : ": a cvae reads labels)"),
                    e.getMessage());
        }
    }

    /** Each config defect gets a message naming the key and what is wrong with it. */
    @Test
    void aBadConfigValueIsRejectedNamingTheKey() {
        String good = "\"model\":\"nvae\",\"arch\":\"mlp\",\"height\":2,\"width\":3,\"numClasses\":3,\"hidden1\":5,"
                + "\"hidden2\":4,\"ds\":2,\"dc\":1,\"betaC\":1,\"alpha\":1";
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("{" + good + ",\"colour\":1}", "model config is invalid: unknown config key 'colour'");
        cases.put("{" + good.replace("\"ds\":2", "\"ds\":\"2\"") + "}", "model config is invalid: config key 'ds' is 2, not an integer");
        cases.put("{" + good.replace("\"ds\":2", "\"ds\":2.5") + "}", "model config is invalid: config key 'ds' is 2.5, not an integer");
        cases.put("{" + good.replace("\"ds\":2", "\"ds\":4294967298") + "}", "model config is invalid: config key 'ds' is 4294967298, outside the range -2147483648..2147483647");
        cases.put("{" + good.replace("\"hidden1\":5", "\"hidden1\":2147483647") + "}",
                "model config is invalid: --hidden 2147483647,4: a hidden layer may be at most 16777216 wide");
        cases.put("{" + good.replace("\"height\":2,", "") + "}", "model config is invalid: config key 'height' is missing");
        cases.put("{" + good.replace("\"betaC\":1", "\"betaC\":null") + "}", "model config is invalid: config key 'betaC' is null, not a number");
        cases.put("[1]", "model config is invalid: the config is not a JSON object");
        cases.put("{" + good + "} 7", "model metadata is not valid: Trailing token");
        cases.put("{" + good + ",\"ds\":2}", "model metadata is not valid: Duplicate field 'ds'");
        try (LatentModel m = LatentModel.create(new ModelConfig(ModelConfig.NVAE, ModelConfig.MLP, 2, 3, 3, 5, 4, 2, 1, 1, 1))) {
            int i = 0;
            for (Map.Entry<String, String> c : cases.entrySet()) {
                Path file = dir.resolve("bad" + i++ + ".safetensors");
                write(m, file, c.getKey());
                FormatException e = assertThrows(FormatException.class, () -> ModelFile.load(file), c.getKey());
                assertTrue(e.getMessage().startsWith(file + ": " + c.getValue()), c.getKey() + " gave " + e.getMessage());
            }
        }
    }

    /** A NaN or infinite weight is refused at load, naming the file and the tensor; a finite file loads. */
    @Test
    void aNonFiniteWeightIsRefusedNamingTheTensor() {
        ModelConfig c = new ModelConfig(ModelConfig.NVAE, ModelConfig.MLP, 2, 3, 3, 5, 4, 2, 1, 1, 1);
        float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        for (int i = 0; i < bad.length; i++) {
            Path file = dir.resolve("nonfinite" + i + ".safetensors");
            try (LatentModel m = LatentModel.create(c)) {
                m.initialize(3);
                m.params().get("dec2.w").set(1, 2, bad[i]);
                ModelFile.save(m, file, CLASSES, Map.of());
            }
            FormatException e = assertThrows(FormatException.class, () -> ModelFile.load(file));
            assertEquals(file + ": tensor dec2.w holds a NaN or infinite value: the model is unusable", e.getMessage());
        }
        Path fine = dir.resolve("finite.safetensors");
        try (LatentModel m = LatentModel.create(c)) {
            m.initialize(3);
            m.params().get("dec2.w").set(1, 2, Float.MAX_VALUE);
            ModelFile.save(m, fine, CLASSES, Map.of());
        }
        try (LoadedModel back = ModelFile.load(fine)) {
            assertEquals(Float.MAX_VALUE, back.model().params().get("dec2.w").get(1, 2));
        }
    }

    private static void write(LatentModel m, Path file, String configJson) {
        List<NamedArray> arrays = new ArrayList<>();
        for (FlatParameters.Layout.Entry e : m.params().layout().entries()) {
            Tensor t = m.params().get(e.name());
            long[] shape = e.name().endsWith(".b") ? new long[]{t.cols()} : new long[]{t.rows(), t.cols()};
            arrays.add(new NamedArray(e.name(), shape, t.segment().asSlice(0, t.byteSize())));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", ModelFile.FORMAT);
        meta.put("nvae.config", configJson);
        meta.put("nvae.classes", "[\"a\",\"b\",\"c\"]");
        SafeTensors.writeArrays(file, arrays, meta);
    }
}
