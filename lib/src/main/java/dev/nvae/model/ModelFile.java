package dev.nvae.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvae.NvaeException;
import dev.nvae.io.FormatException;
import dev.nvae.io.JsonText;
import dev.nvae.io.NamedArray;
import dev.nvae.io.SafeTensors;
import dev.nvae.io.SafeTensorsFile;
import dev.nvae.io.StoredDtype;
import dev.nvae.kernels.Elementwise;
import dev.nvae.tensor.FlatParameters;
import dev.nvae.tensor.Tensor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Model files are safetensors (docs/MODEL.md#5): weights as F32 (or BF16) tensors named like {@code enc1.w} (in, out)
 * and {@code enc1.b} (out), with the config, class names and training summary as JSON strings in
 * {@code __metadata__}. Loadable from Python with {@code safetensors.numpy.load_file}.
 *
 * <p>The config's {@code "model"} names the family (nvae, vae, beta-vae, cvae). Config keys added after
 * the first release (beta, likelihood, sigmaX, binarize, channels, convChannels, labelFree, yKl, balance)
 * take the values every earlier file was trained with when absent, so those files keep loading as the
 * N-VAEs they are.
 */
public final class ModelFile {
    public static final String FORMAT = "nvae-model/1";
    /**
     * Writes the metadata. In a holder so that only saving builds it: reading goes through {@link JsonText},
     * as an ObjectMapper costs ~0.2 s to build in a fresh JVM and every command that opens a model reads.
     */
    private static final class Writer {
        static final ObjectMapper JSON = new ObjectMapper();
    }

    private ModelFile() {
    }

    /**
     * The smallest float magnitude that rounds (to nearest, ties to even) past bf16's largest finite value,
     * 0x7F7F = 3.3895e38, to infinity: the midpoint 0x7F7F8000 ties to the even 0x7F80, which is infinity.
     */
    static final float BF16_OVERFLOW = Float.intBitsToFloat(0x7F7F8000);

    /**
     * The first weight that bf16 cannot hold — one that would be stored as infinity — described for a message
     * ("tensor enc1.w holds 3.4E38 at index 0, beyond bf16's largest finite value 3.3895e38"); null if every weight fits.
     */
    public static String bf16Overflow(LatentModel model) {
        for (FlatParameters.Layout.Entry e : model.params().layout().entries()) {
            Tensor t = model.params().get(e.name());
            long n = t.byteSize() / Float.BYTES;
            for (long i = 0; i < n; i++) {
                float v = t.segment().getAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, i);
                if (Math.abs(v) >= BF16_OVERFLOW) {
                    return "tensor " + e.name() + " holds " + v + " at index " + i + ", beyond bf16's largest finite value 3.3895e38";
                }
            }
        }
        return null;
    }

    /** What files written before a key existed were trained with. */
    private static final Map<String, Object> DEFAULTS = Map.of(
            "beta", 1.0, "likelihood", ModelConfig.BERNOULLI, "sigmaX", 1.0, "binarize", ModelConfig.BINARIZE_NONE,
            "channels", 1L, "convChannels", List.of(), "labelFree", false, "yKl", ModelConfig.DEFAULT_Y_KL,
            "balance", ModelConfig.DEFAULT_BALANCE);

    public static void save(LatentModel model, Path path, List<String> classNames, Map<String, Object> training) {
        save(model, path, classNames, training, StoredDtype.F32);
    }

    /**
     * As above, the tensors stored as {@code dtype}: BF16 halves the file, for inference (training needs F32 checkpoints).
     *
     * @throws NvaeException for BF16, naming the tensor, if a weight would round to infinity ({@link #bf16Overflow}):
     *                       such a file would be refused by every command that opens it
     */
    public static void save(LatentModel model, Path path, List<String> classNames, Map<String, Object> training,
                            StoredDtype dtype) {
        ModelConfig c = model.config();
        if (classNames.size() != c.numClasses()) {
            throw new IllegalArgumentException(classNames.size() + " class names for " + c.numClasses() + " classes");
        }
        String overflow = dtype == StoredDtype.BF16 ? bf16Overflow(model) : null;
        if (overflow != null) throw new NvaeException(path + ": cannot be stored as bf16: " + overflow + "; store it as fp32");
        List<NamedArray> arrays = new ArrayList<>();
        for (FlatParameters.Layout.Entry e : model.params().layout().entries()) {
            Tensor t = model.params().get(e.name());
            arrays.add(new NamedArray(e.name(), e.shape(), t.segment().asSlice(0, t.byteSize())));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        try {
            meta.put("format", FORMAT);
            meta.put("nvae.config", Writer.JSON.writeValueAsString(c));
            meta.put("nvae.classes", Writer.JSON.writeValueAsString(classNames));
            meta.put("nvae.training", Writer.JSON.writeValueAsString(training));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        SafeTensors.writeArrays(path, arrays, meta, dtype);
    }

    /**
     * What the two other kinds of file nvae writes are for, so that a user who hands one over as a model learns which
     * file to give instead (the tags are dev.nvae.train.Checkpoint's and dev.nvae.analysis.SampleJudge's formats).
     */
    private static String whatItIs(String format) {
        if (format == null) return "";
        if (format.startsWith("nvae-checkpoint/")) {
            return ": a training checkpoint, which nvae train --resume reads from its directory; the model is the file nvae train --out writes";
        }
        if (format.startsWith("nvae-judge/")) return ": the sample judge that quality and report score samples with, not a model";
        return "";
    }

    /**
     * Reads and validates a model file: format tag, config, and every tensor's presence, shape and finite
     * values. Tensors may be F32 or BF16 (widened exactly). The weights come back frozen, in a model built
     * {@linkplain LatentModel#forInference for inference} (no gradient storage): a loaded model is for inference.
     */
    public static LoadedModel load(Path path) {
        SafeTensorsFile file = SafeTensors.read(path);
        Map<String, String> meta = file.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new FormatException(path, "not an nvae model file (metadata format is "
                    + (meta.get("format") == null ? "missing" : "'" + meta.get("format") + "'") + ", expected '" + FORMAT + "')"
                    + whatItIs(meta.get("format")));
        }
        ModelConfig config;
        List<String> classes;
        Map<String, Object> training;
        String configText = require(path, meta, "nvae.config"), classesText = require(path, meta, "nvae.classes");
        try {
            config = readConfig(configText);
        } catch (JsonProcessingException e) {
            throw new FormatException(path, "model metadata is not valid: " + JsonText.reason(e));
        } catch (NvaeException e) {
            throw new FormatException(path, "model config is invalid: " + e.getMessage());
        }
        try {
            classes = readClasses(classesText);
            training = readTraining(meta.getOrDefault("nvae.training", "{}"));
        } catch (JsonProcessingException e) {
            throw new FormatException(path, "model metadata is not valid: " + JsonText.reason(e));
        } catch (NvaeException e) {
            throw new FormatException(path, "model metadata is not valid: " + e.getMessage());
        }
        if (classes.size() != config.numClasses()) {
            throw new FormatException(path, classes.size() + " class names for " + config.numClasses() + " classes");
        }
        // Every shape is checked against the file before anything is allocated: the file holds the bytes
        // it claims (SafeTensors.read checked that), so a config claiming huge layers fails here, not in malloc.
        FlatParameters.Layout layout = LatentModel.layout(config);
        Set<String> expected = new HashSet<>();
        for (FlatParameters.Layout.Entry e : layout.entries()) {
            expected.add(e.name());
            if (!file.contains(e.name())) {
                throw new FormatException(path, "tensor " + e.name() + " is missing: the file does not match the "
                        + config.arch() + " architecture of its config");
            }
            long[] want = e.shape();
            long[] got = file.shape(e.name());
            if (!Arrays.equals(want, got)) {
                throw new FormatException(path, "tensor " + e.name() + " has shape " + Arrays.toString(got)
                        + " but the config needs " + Arrays.toString(want));
            }
        }
        for (String name : file.names()) {
            if (!expected.contains(name)) throw new FormatException(path, "unexpected tensor " + name + " for architecture " + config.arch());
        }
        LatentModel model = LatentModel.forInference(config);
        try {
            for (FlatParameters.Layout.Entry e : layout.entries()) {
                Tensor t = model.params().get(e.name());
                file.copyIntoFloat32(e.name(), t);
                // A NaN or infinite weight makes every output it touches meaningless, and the batch-1 products
                // skip the rows of zero inputs, which is exact only for finite weights (Gemm's row path).
                if (!Elementwise.allFinite(t.segment(), t.size())) {
                    throw new FormatException(path, "tensor " + e.name() + " holds a NaN or infinite value: the model is unusable");
                }
            }
            model.params().freeze();  // loaded for inference: a bf16 backend copies the weights once
            StoredDtype stored = file.dtypes().contains(StoredDtype.BF16.header()) ? StoredDtype.BF16 : StoredDtype.F32;
            return new LoadedModel(model, List.copyOf(classes), training, stored);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * The config of a model file's or checkpoint's metadata, keys added since the first release taking the
     * values earlier files were trained with.
     *
     * @throws NvaeException naming the key that is unknown, missing or of the wrong type, or the invalid value
     */
    public static ModelConfig readConfig(String json) throws JsonProcessingException {
        if (!(JsonText.parse(json) instanceof Map<?, ?> given)) throw new NvaeException("the config is not a JSON object");
        Map<Object, Object> object = new LinkedHashMap<>(DEFAULTS);
        object.putAll(given);
        for (Object key : object.keySet()) {
            if (!CONFIG_KEYS.contains(key)) throw new NvaeException("unknown config key '" + key + "'");
        }
        ConfigValues v = new ConfigValues(object);
        return new ModelConfig(v.text("model"), v.text("arch"), v.integer("height"), v.integer("width"),
                v.integer("numClasses"), v.integer("hidden1"), v.integer("hidden2"), v.integer("ds"), v.integer("dc"),
                v.number("betaC"), v.number("alpha"), v.number("beta"), v.text("likelihood"), v.number("sigmaX"),
                v.text("binarize"), v.integer("channels"), v.integers("convChannels"), v.bool("labelFree"), v.number("yKl"),
                v.number("balance"));
    }

    /** The record's components, in the order the writer emits them. */
    private static final Set<String> CONFIG_KEYS = Set.of("model", "arch", "height", "width", "numClasses", "hidden1",
            "hidden2", "ds", "dc", "betaC", "alpha", "beta", "likelihood", "sigmaX", "binarize", "channels", "convChannels",
            "labelFree", "yKl", "balance");

    /** Typed reads of the config object, each failing with the key's name. */
    private record ConfigValues(Map<Object, Object> object) {
        String text(String key) {
            if (object.get(key) instanceof String s) return s;
            throw new NvaeException(missingOr(key, "a string"));
        }

        int integer(String key) {
            Object v = object.get(key);
            if (v instanceof Long l && l == (int) (long) l) return (int) (long) l;
            if (v instanceof Long || v instanceof java.math.BigInteger) {
                throw new NvaeException("config key '" + key + "' is " + v + ", outside the range " + Integer.MIN_VALUE + ".." + Integer.MAX_VALUE);
            }
            throw new NvaeException(missingOr(key, "an integer"));
        }

        List<Integer> integers(String key) {
            if (object.get(key) instanceof List<?> list) {
                List<Integer> out = new ArrayList<>(list.size());
                for (Object o : list) {
                    if (!(o instanceof Long l) || l != (int) (long) l) throw new NvaeException(missingOr(key, "a list of integers"));
                    out.add((int) (long) l);
                }
                return out;
            }
            throw new NvaeException(missingOr(key, "a list of integers"));
        }

        boolean bool(String key) {
            if (object.get(key) instanceof Boolean b) return b;
            throw new NvaeException(missingOr(key, "true or false"));
        }

        double number(String key) {
            if (object.get(key) instanceof Number n && !(n instanceof java.math.BigInteger)) return n.doubleValue();
            throw new NvaeException(missingOr(key, "a number"));
        }

        private String missingOr(String key, String what) {
            return object.containsKey(key) ? "config key '" + key + "' is " + object.get(key) + ", not " + what
                    : "config key '" + key + "' is missing";
        }
    }

    private static List<String> readClasses(String json) throws JsonProcessingException {
        if (!(JsonText.parse(json) instanceof List<?> list)) throw new NvaeException("nvae.classes is not a JSON array");
        List<String> names = new ArrayList<>(list.size());
        for (Object name : list) {
            if (!(name instanceof String s)) throw new NvaeException("nvae.classes holds " + name + ", not a class name");
            names.add(s);
        }
        return names;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readTraining(String json) throws JsonProcessingException {
        if (!(JsonText.parse(json) instanceof Map<?, ?> map)) throw new NvaeException("nvae.training is not a JSON object");
        return (Map<String, Object>) map;
    }

    private static String require(Path path, Map<String, String> meta, String key) {
        String v = meta.get(key);
        if (v == null) throw new FormatException(path, "metadata key " + key + " is missing");
        return v;
    }
}
