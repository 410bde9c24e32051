package dev.nvae.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvae.NvaeException;
import dev.nvae.backend.Precision;
import dev.nvae.data.Dataset;
import dev.nvae.io.FormatException;
import dev.nvae.io.JsonText;
import dev.nvae.io.NamedArray;
import dev.nvae.io.SafeTensors;
import dev.nvae.io.SafeTensorsFile;
import dev.nvae.model.BatchLoss;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.ModelFile;
import dev.nvae.model.LatentModel;
import dev.nvae.optim.Adam;
import dev.nvae.tensor.FlatParameters;
import dev.nvae.tensor.Tensor;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.zip.CRC32C;

/**
 * A training checkpoint: one safetensors file holding the weights ({@code params/NAME}) and both Adam
 * moments ({@code adam.m/NAME}, {@code adam.v/NAME}) as [rows, cols] F32 tensors, and in
 * {@code __metadata__} the model config, class names, training options, the data reference, the
 * position (epoch, step, optimiser step, skipped steps), the running loss sums of the current epoch,
 * the summaries of finished epochs, and a CRC-32C of the data section. Reading checks all of it, so a
 * damaged or foreign file is reported rather than resumed from.
 */
public final class Checkpoint {
    public static final String FORMAT = "nvae-checkpoint/1";
    static final String HEADER_CRC = "nvae.header_crc32c";
    static final String PRECISION = "nvae.precision";
    static final String BACKEND = "nvae.backend";
    static final String THREADS = "nvae.threads";
    static final String DATA_DIRECTORY = "nvae.data_directory";
    static final String PARAMS = "params/";
    static final String ADAM_M = "adam.m/";
    static final String ADAM_V = "adam.v/";
    /** Written for people who open the file: where the random state went (see {@link TrainingPosition}). */
    private static final String RNG_NOTE = "derived, not stored: data order of epoch e = Rng.stream(seed, e), "
            + "noise of step s = Rng.stream(seed, e, s); seed in nvae.options, e and s in nvae.position";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Where the weights and moments lie in the file, not their values: they are read again at {@link #restore}, straight
     * into the run's tensors, so that a resume needs no more memory than a fresh run (holding the checkpoint's data
     * beside the training state, a run that trained in -Xmx24m could not be resumed in it).
     */
    private final SafeTensorsFile.StoredTensors stored;
    private final Path path;
    private final ModelConfig config;
    private final List<String> classNames;
    private final TrainOptions options;
    private final DataRef data;
    private final TrainingPosition position;
    private final BatchLoss epochLoss;
    private final List<EpochSummary> completed;
    private final CheckpointSchedule schedule; // null in checkpoints written before the schedule was recorded
    private final Precision precision;
    private final String backend; // null in checkpoints written before the backend was recorded
    private final int threads; // 0 in checkpoints written before the threads were recorded

    private Checkpoint(Path path, SafeTensorsFile.StoredTensors stored, ModelConfig config, List<String> classNames, TrainOptions options, DataRef data,
                       TrainingPosition position, BatchLoss epochLoss, List<EpochSummary> completed, CheckpointSchedule schedule,
                       Precision precision, String backend, int threads) {
        this.path = path;
        this.stored = stored;
        this.config = config;
        this.classNames = classNames;
        this.options = options;
        this.data = data;
        this.position = position;
        this.epochLoss = epochLoss;
        this.completed = completed;
        this.schedule = schedule;
        this.precision = precision;
        this.backend = backend;
        this.threads = threads;
    }

    /** Writes {@code s} to {@code path} atomically (a staging directory beside it, fsync, rename, directory fsync; see Staging). */
    public static void write(Path path, TrainingSnapshot s) {
        List<NamedArray> arrays = new ArrayList<>();
        addAll(arrays, PARAMS, s.params());
        addAll(arrays, ADAM_M, s.adam().firstMoment());
        addAll(arrays, ADAM_V, s.adam().secondMoment());
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("nvae.config", json(s.config()));
        meta.put("nvae.classes", json(s.classNames()));
        meta.put("nvae.options", json(s.options()));
        // The data reference as builds before the directory was recorded wrote it (their reader refuses a property
        // it does not know, and would set the checkpoint aside as damaged); the directory goes beside it.
        DataRef d = s.data();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("spec", d.spec());
        data.put("limit", d.limit());
        data.put("labels", d.labels());
        data.put("count", d.count());
        data.put("fingerprint", d.fingerprint());
        meta.put("nvae.data", json(data));
        if (d.directory() != null) meta.put(DATA_DIRECTORY, d.directory());
        meta.put("nvae.position", json(s.position()));
        meta.put("nvae.epoch_loss", json(s.epochLoss()));
        meta.put("nvae.completed", json(s.completed()));
        meta.put("nvae.schedule", json(s.schedule()));
        meta.put(PRECISION, s.precision().label());
        if (s.backend() != null) meta.put(BACKEND, s.backend());
        if (s.threads() > 0) meta.put(THREADS, Integer.toString(s.threads()));
        meta.put("nvae.rng", RNG_NOTE);
        meta.put("nvae.crc32c", Long.toHexString(SafeTensors.dataCrc32c(arrays)));
        Map<String, long[]> shapes = new HashMap<>();
        for (NamedArray a : arrays) shapes.put(a.name(), a.shape());
        meta.put(HEADER_CRC, Long.toHexString(headerCrc32c(meta, arrays.stream().map(NamedArray::name).toList(), name -> "F32", shapes::get)));
        SafeTensors.writeArrays(path, arrays, meta);
    }

    /**
     * CRC-32C of what the header says: every metadata entry but this checksum (by key) and each tensor's name,
     * dtype and shape in data order (so a swapped offset shows too). The data section has its own.
     */
    private static long headerCrc32c(Map<String, String> meta, List<String> tensorsInDataOrder, Function<String, String> dtype,
                                     Function<String, long[]> shape) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(meta).forEach((key, value) -> {
            if (!key.equals(HEADER_CRC)) text.append(key).append('\0').append(value).append('\n');
        });
        for (String name : tensorsInDataOrder) {
            text.append(name).append('\0').append(dtype.apply(name)).append('\0').append(Arrays.toString(shape.apply(name))).append('\n');
        }
        CRC32C crc = new CRC32C();
        crc.update(text.toString().getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }

    /** Reads and fully validates a checkpoint; any defect is a {@link FormatException} naming the file. */
    public static Checkpoint read(Path path) {
        SafeTensorsFile file = SafeTensors.read(path);
        Map<String, String> meta = file.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new FormatException(path, "not an nvae checkpoint (metadata format is "
                    + (meta.get("format") == null ? "missing" : "'" + meta.get("format") + "'") + ", expected '" + FORMAT + "')");
        }
        // The header's CRC: settings, position and the tensor table. Without it a flipped bit in the learning
        // rate, the seed or a tensor's offset resumed another run with exit 0. Older checkpoints lack it.
        if (meta.containsKey(HEADER_CRC)) {
            String header = Long.toHexString(headerCrc32c(meta, file.names(), file::dtype, file::shape));
            if (!header.equals(meta.get(HEADER_CRC))) {
                throw new FormatException(path, "header checksum mismatch (stored crc32c " + meta.get(HEADER_CRC) + ", computed "
                        + header + "): the file is damaged");
            }
        }
        String stored = require(path, meta, "nvae.crc32c");
        String actual = Long.toHexString(file.dataCrc32c());
        if (!stored.equals(actual)) {
            throw new FormatException(path, "data checksum mismatch (stored crc32c " + stored + ", computed " + actual
                    + "): the file is damaged");
        }
        ModelConfig config = parseConfig(path, require(path, meta, "nvae.config"));
        List<String> classes = parse(path, meta, "nvae.classes", new TypeReference<>() {
        });
        TrainOptions options = parse(path, meta, "nvae.options", new TypeReference<>() {
        });
        DataRef parsed = parse(path, meta, "nvae.data", new TypeReference<>() {
        });
        DataRef data = meta.containsKey(DATA_DIRECTORY) ? new DataRef(parsed.spec(), parsed.limit(), parsed.labels(), parsed.count(),
                parsed.fingerprint(), meta.get(DATA_DIRECTORY)) : parsed;
        TrainingPosition position = parse(path, meta, "nvae.position", new TypeReference<>() {
        });
        BatchLoss epochLoss = parse(path, meta, "nvae.epoch_loss", new TypeReference<>() {
        });
        List<EpochSummary> completed = parse(path, meta, "nvae.completed", new TypeReference<>() {
        });
        // Recorded since checkpoints kept their schedule; a resume from an earlier one takes the defaults.
        CheckpointSchedule schedule = meta.containsKey("nvae.schedule") ? parse(path, meta, "nvae.schedule", new TypeReference<>() {
        }) : null;
        Precision precision = precision(path, meta.get(PRECISION));
        String backend = meta.get(BACKEND);
        if (backend != null && !backend.matches("[a-z0-9]{1,32}")) {
            throw new FormatException(path, "metadata " + BACKEND + " is invalid: '" + backend.replaceAll("\\p{Cntrl}", "?") + "'");
        }
        int threads = threads(path, meta.get(THREADS));
        if (classes.size() != config.numClasses()) {
            throw new FormatException(path, classes.size() + " class names for " + config.numClasses() + " classes");
        }
        if (position.epoch() > options.epochs() || (position.epoch() == options.epochs() && position.step() != 0)) {
            throw new FormatException(path, "position epoch " + position.epoch() + " step " + position.step()
                    + " lies beyond the " + options.epochs() + " epochs of the run");
        }
        if (completed.size() != position.epoch()) {
            throw new FormatException(path, completed.size() + " epoch summaries for a position in epoch " + position.epoch());
        }
        checkTensors(path, file, config);
        return new Checkpoint(path, file.stored(), config, List.copyOf(classes), options, data, position, epochLoss, List.copyOf(completed), schedule,
                precision, backend, threads);
    }

    /** The recorded thread count, 0 where none is (an earlier build's checkpoint); anything but 1 to 65536 is damage. */
    private static int threads(Path path, String recorded) {
        if (recorded == null) return 0;
        if (recorded.matches("[1-9][0-9]{0,4}") && Integer.parseInt(recorded) <= 65536) return Integer.parseInt(recorded);
        throw new FormatException(path, "metadata " + THREADS + " is invalid: '" + recorded.replaceAll("\\p{Cntrl}", "?") + "'");
    }

    private static void checkTensors(Path path, SafeTensorsFile file, ModelConfig config) {
        Set<String> expected = new HashSet<>();
        for (String prefix : List.of(PARAMS, ADAM_M, ADAM_V)) {
            for (FlatParameters.Layout.Entry e : LatentModel.layout(config).entries()) {
                String name = prefix + e.name();
                expected.add(name);
                if (!file.contains(name)) throw new FormatException(path, "tensor " + name + " is missing");
                if (file.dtype(name).equals("BF16")) {
                    throw new FormatException(path, "tensor " + name + " is BF16: training resumes only from fp32 "
                            + "checkpoints (bf16 files are for inference)");
                }
                long[] want = {e.rows(), e.cols()};
                if (!Arrays.equals(want, file.shape(name)) || !file.dtype(name).equals("F32")) {
                    throw new FormatException(path, "tensor " + name + " is " + file.dtype(name) + " " + Arrays.toString(file.shape(name))
                            + " but the config needs F32 " + Arrays.toString(want));
                }
                // The trainer never saves a non-finite value (it stops or skips the step first), so one here is
                // damage the checksum could not see; resuming from it would spread NaN through the run.
                for (float v : file.floats(name)) {
                    if (!Float.isFinite(v)) throw new FormatException(path, "tensor " + name + " holds a NaN or infinite value");
                }
            }
        }
        for (String name : file.names()) {
            if (!expected.contains(name)) throw new FormatException(path, "unexpected tensor " + name);
        }
    }

    public Path path() {
        return path;
    }

    public ModelConfig config() {
        return config;
    }

    public List<String> classNames() {
        return classNames;
    }

    public TrainOptions options() {
        return options;
    }

    public DataRef data() {
        return data;
    }

    public TrainingPosition position() {
        return position;
    }

    /** The schedule of the run that wrote this checkpoint; empty for a checkpoint from a build that did not record it. */
    public Optional<CheckpointSchedule> schedule() {
        return Optional.ofNullable(schedule);
    }

    /**
     * The number format of the run's products: a bf16 run's checkpoint holds its float32 master weights and
     * moments, as an fp32 run's does, and only this says it must go on at bf16.
     */
    public Precision precision() {
        return precision;
    }

    /**
     * The backend that computed the run up to here ({@code vector}, {@code onednn}, {@code cuda}); empty in checkpoints
     * written before it was recorded. Another backend sums in another order, so a run goes on to the weights of an
     * uninterrupted one only on this one.
     */
    public Optional<String> backend() {
        return Optional.ofNullable(backend);
    }

    /**
     * The threads that computed the run up to here; empty in checkpoints written before they were recorded. On a
     * backend whose sums depend on them ({@link dev.nvae.backend.Backends#threadsChangeResults}) a run goes on to the
     * weights of an uninterrupted one only with as many.
     */
    public OptionalInt threads() {
        return threads == 0 ? OptionalInt.empty() : OptionalInt.of(threads);
    }

    /**
     * How {@code now}, data that does not match this checkpoint's, differs from it, for every refusal of it
     * ("128 examples with fingerprint 854c973e here, 128 with 2e613c4e there"); where the counts agree and the
     * class names do not (the fingerprint covers them: the same images read from a directory without its
     * classes.txt are named 0..9), it says so.
     */
    public String dataDiffers(Dataset now) {
        String counts = String.format(Locale.ROOT, "%d examples with fingerprint %x here, %d with %x there", now.count(), now.fingerprint(),
                data.count(), data.fingerprint());
        if (data.count() != now.count() || classNames.equals(now.classNames())) return counts;
        // A vae trained on images without labels has no classes: the same images with labels differ in having them.
        if (classNames.isEmpty()) {
            return counts + "; the run trained on examples without labels (a model of no classes), and these have labels of classes "
                    + shortList(now.classNames());
        }
        if (now.classNames().isEmpty()) return counts + "; the run trained on labels of classes " + shortList(classNames) + ", and these examples have none";
        return counts + "; its classes are named " + shortList(now.classNames()) + " here, " + shortList(classNames)
                + " there (a classes.txt beside the data names them)";
    }

    private static String shortList(List<String> names) {
        return names.size() <= 3 ? String.join(", ", names) : names.get(0) + ", " + names.get(1) + ", ... " + names.getLast();
    }

    /** Summaries of the epochs finished before this checkpoint, in order. */
    public List<EpochSummary> completed() {
        return completed;
    }

    /** Sets {@code dst} to the running loss sums of the epoch in progress. */
    void epochLossInto(BatchLoss dst) {
        dst.clear();
        dst.add(epochLoss);
    }

    /** Copies the weights into {@code params} and the moments and step count into {@code adam}. */
    void restore(FlatParameters params, Adam adam) {
        Map<String, Tensor> into = new HashMap<>();
        for (FlatParameters.Layout.Entry e : params.layout().entries()) {
            into.put(PARAMS + e.name(), params.get(e.name()));
            into.put(ADAM_M + e.name(), adam.firstMoment().get(e.name()));
            into.put(ADAM_V + e.name(), adam.secondMoment().get(e.name()));
        }
        stored.copyInto(into);
        adam.setStepCount(position.adamStep());
    }

    private static void addAll(List<NamedArray> arrays, String prefix, FlatParameters p) {
        for (Tensor t : p.tensors().values()) {
            arrays.add(new NamedArray(prefix + t.name(), new long[] {t.rows(), t.cols()}, t.segment()));
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise checkpoint metadata", e);
        }
    }

    private static <T> T parse(Path path, Map<String, String> meta, String key, TypeReference<T> type) {
        String text = require(path, meta, key);
        try {
            T value = JSON.readValue(text, type);
            if (value == null) throw new FormatException(path, "metadata " + key + " is null");
            return value;
        } catch (JsonProcessingException e) {
            throw new FormatException(path, "metadata " + key + " is invalid: " + reason(e));
        }
    }

    /**
     * Recorded since checkpoints kept their precision; an earlier one reads as fp32, which every run of those
     * builds but a bf16 one was (and a bf16 one's checkpoints cannot say so).
     */
    private static Precision precision(Path path, String label) {
        if (label == null) return Precision.FP32;
        for (Precision p : Precision.values()) {
            if (p.label().equals(label)) return p;
        }
        String shown = label.length() > 16 ? label.substring(0, 16) + "..." : label; // damage may be long
        throw new FormatException(path, "metadata " + PRECISION + " is invalid: '" + shown + "', expected fp32 or bf16");
    }

    /** As a model file's: keys added since the first release take the values earlier checkpoints were written with. */
    private static ModelConfig parseConfig(Path path, String text) {
        try {
            return ModelFile.readConfig(text);
        } catch (JsonProcessingException e) {
            throw new FormatException(path, "metadata nvae.config is invalid: " + JsonText.reason(e));
        } catch (NvaeException e) {
            throw new FormatException(path, "metadata nvae.config is invalid: " + e.getMessage());
        }
    }

    /**
     * Why Jackson refused a value, in our words: a config our own validation rejected says so; a value of
     * the wrong type names its field; nothing of Jackson's internals (Java types, source locations) shows.
     */
    private static String reason(JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof dev.nvae.NvaeException n) return n.getMessage();
        }
        if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException m && !m.getPath().isEmpty()) {
            return "'" + fieldPath(m) + "' is missing or of the wrong type";
        }
        // Jackson wraps the coercion failure in a mapping exception of the field's path: its words ("Numeric value (...) out
        // of range of int") came through.
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof com.fasterxml.jackson.core.exc.InputCoercionException) {
                String field = e instanceof com.fasterxml.jackson.databind.JsonMappingException m ? fieldPath(m) : "";
                return field.isEmpty() ? "a number is out of range" : "'" + field + "' is out of range";
            }
        }
        return JsonText.reason(e);
    }

    /** The JSON path of the field a mapping exception is about ("epochs", "a.b[2]"); empty when it has none. */
    private static String fieldPath(com.fasterxml.jackson.databind.JsonMappingException m) {
        StringBuilder field = new StringBuilder();
        for (var ref : m.getPath()) field.append(field.isEmpty() ? "" : ".").append(ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]");
        return field.toString();
    }

    private static String require(Path path, Map<String, String> meta, String key) {
        String v = meta.get(key);
        if (v == null) throw new FormatException(path, "metadata key " + key + " is missing");
        return v;
    }
}
