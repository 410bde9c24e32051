package dev.nvae.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nvae.NvaeException;
import dev.nvae.io.FormatException;
import dev.nvae.io.NamedArray;
import dev.nvae.io.SafeTensors;
import dev.nvae.io.SafeTensorsFile;
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
 * Model files are safetensors (DESIGN.md §5): weights as F32 tensors named like {@code enc1.w} (in, out)
 * and {@code enc1.b} (out), with the config, class names and training summary as JSON strings in
 * {@code __metadata__}. Loadable from Python with {@code safetensors.numpy.load_file}.
 *
 * <p>The config's {@code "model"} names the family (nvae, vae, beta-vae, cvae). Config keys added after
 * the first release (beta, likelihood, sigmaX, binarize) take the values every earlier file was trained
 * with when absent, so those files keep loading as the N-VAEs they are.
 */
public final class ModelFile {
    public static final String FORMAT = "nvae-model/1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelFile() {
    }

    /** What files written before a key existed were trained with. */
    private static final Map<String, Object> DEFAULTS = Map.of(
            "beta", 1.0, "likelihood", ModelConfig.BERNOULLI, "sigmaX", 1.0, "binarize", ModelConfig.BINARIZE_NONE);

    public static void save(LatentModel model, Path path, List<String> classNames, Map<String, Object> training) {
        ModelConfig c = model.config();
        if (classNames.size() != c.numClasses()) {
            throw new IllegalArgumentException(classNames.size() + " class names for " + c.numClasses() + " classes");
        }
        List<NamedArray> arrays = new ArrayList<>();
        for (FlatParameters.Layout.Entry e : model.params().layout().entries()) {
            Tensor t = model.params().get(e.name());
            long[] shape = e.name().endsWith(".b") ? new long[]{t.cols()} : new long[]{t.rows(), t.cols()};
            arrays.add(new NamedArray(e.name(), shape, t.segment().asSlice(0, t.byteSize())));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        try {
            meta.put("format", FORMAT);
            meta.put("nvae.config", JSON.writeValueAsString(c));
            meta.put("nvae.classes", JSON.writeValueAsString(classNames));
            meta.put("nvae.training", JSON.writeValueAsString(training));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        SafeTensors.writeArrays(path, arrays, meta);
    }

    /** Reads and validates a model file: format tag, config, and every tensor's presence and shape. */
    public static LoadedModel load(Path path) {
        SafeTensorsFile file = SafeTensors.read(path);
        Map<String, String> meta = file.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new FormatException(path, "not an nvae model file (metadata format is "
                    + (meta.get("format") == null ? "missing" : "'" + meta.get("format") + "'") + ", expected '" + FORMAT + "')");
        }
        ModelConfig config;
        List<String> classes;
        Map<String, Object> training;
        try {
            config = readConfig(require(path, meta, "nvae.config"));
            classes = JSON.readValue(require(path, meta, "nvae.classes"), new TypeReference<List<String>>() {
            });
            training = JSON.readValue(meta.getOrDefault("nvae.training", "{}"), new TypeReference<Map<String, Object>>() {
            });
        } catch (JsonProcessingException e) {
            throw new FormatException(path, "model metadata is not valid: " + e.getOriginalMessage());
        } catch (NvaeException e) {
            throw new FormatException(path, "model config is invalid: " + e.getMessage());
        }
        if (classes.size() != config.numClasses()) {
            throw new FormatException(path, classes.size() + " class names for " + config.numClasses() + " classes");
        }
        LatentModel model = LatentModel.create(config);
        try {
            Set<String> expected = new HashSet<>();
            for (FlatParameters.Layout.Entry e : model.params().layout().entries()) {
                expected.add(e.name());
                if (!file.contains(e.name())) {
                    throw new FormatException(path, "tensor " + e.name() + " is missing: the file does not match the "
                            + config.arch() + " architecture of its config");
                }
                long[] want = e.name().endsWith(".b") ? new long[]{e.cols()} : new long[]{e.rows(), e.cols()};
                long[] got = file.shape(e.name());
                if (!Arrays.equals(want, got)) {
                    throw new FormatException(path, "tensor " + e.name() + " has shape " + Arrays.toString(got)
                            + " but the config needs " + Arrays.toString(want));
                }
                file.copyInto(e.name(), model.params().get(e.name()));
            }
            for (String name : file.names()) {
                if (!expected.contains(name)) throw new FormatException(path, "unexpected tensor " + name + " for architecture " + config.arch());
            }
            return new LoadedModel(model, List.copyOf(classes), training);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private static ModelConfig readConfig(String json) throws JsonProcessingException {
        JsonNode tree = JSON.readTree(json);
        if (!(tree instanceof ObjectNode object)) throw new NvaeException("the config is not a JSON object");
        DEFAULTS.forEach((key, value) -> {
            if (!object.has(key)) object.set(key, JSON.valueToTree(value));
        });
        return JSON.treeToValue(object, ModelConfig.class);
    }

    private static String require(Path path, Map<String, String> meta, String key) {
        String v = meta.get(key);
        if (v == null) throw new FormatException(path, "metadata key " + key + " is missing");
        return v;
    }
}
