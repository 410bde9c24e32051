package dev.nvae.analysis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvae.NvaeException;
import dev.nvae.backend.Backend;
import dev.nvae.data.Dataset;
import dev.nvae.io.FormatException;
import dev.nvae.io.JsonText;
import dev.nvae.io.NamedArray;
import dev.nvae.io.SafeTensors;
import dev.nvae.io.SafeTensorsFile;
import dev.nvae.kernels.Elementwise;
import dev.nvae.model.Classifier;
import dev.nvae.model.Workspace;
import dev.nvae.tensor.FlatParameters;
import dev.nvae.tensor.Tensor;
import dev.nvae.train.TrainOptions;
import dev.nvae.train.Trainer;
import dev.nvae.train.TrainingListener;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The judge of sample quality: a small CNN ({@link Classifier#conv}) trained with this library's own
 * trainer on the real training split of a data set, once, and kept in a file. It gives every image its
 * class and its penultimate-layer features, on which {@link SampleQuality} measures the Fréchet distance
 * between real and generated images and the class agreement of labelled samples.
 *
 * <p>A judge belongs to one data set: its file records the training split's fingerprint (a CRC-32C of
 * its pixels, labels and class names), its class names and its accuracy on the test split, and a judge is
 * refused for data with another fingerprint.
 */
public final class SampleJudge implements AutoCloseable {
    public static final String FORMAT = "nvae-judge/1";
    /**
     * Two epochs: the judge need not be the best classifier, only a fixed and good one, and training
     * convolutions is the slow part of a first {@code quality} or {@code report} on a data set.
     */
    public static final int DEFAULT_EPOCHS = 2;
    private static final int BATCH = 500;

    private final Classifier net;
    private final Info info;

    /**
     * What a judge file says about its judge.
     *
     * @param dataFingerprint the training split's {@link Dataset#fingerprint()}
     * @param testAccuracy    of argmax on the real test split, measured when it was trained
     */
    public record Info(int channels, int height, int width, List<String> classNames, long dataFingerprint, int trainExamples,
                       int epochs, long seed, double testAccuracy, int testExamples) {
    }

    private SampleJudge(Classifier net, Info info) {
        this.net = net;
        this.info = info;
    }

    public Info info() {
        return info;
    }

    /** Values per image of {@link Judged#features}. */
    public int featureWidth() {
        return net.featureWidth();
    }

    /** Trains a judge on {@code train} ({@code epochs} epochs, batch 128, Adam 1e-3) and measures it on {@code test}. */
    public static SampleJudge train(Backend be, Dataset train, Dataset test, int epochs, long seed, TrainingListener listener) {
        if (epochs < 1) throw new NvaeException("--judge-epochs " + epochs + " must be at least 1");
        Classifier net = Classifier.conv(train.channels(), train.height(), train.width(), train.numClasses());
        try {
            net.initialize(seed);
            new Trainer(net, be, train, new TrainOptions(epochs, 128, 1e-3, seed), listener).run();
            SampleJudge partial = new SampleJudge(net, null);
            Judged onTest = partial.judge(be, test);
            long right = 0;
            for (int i = 0; i < test.count(); i++) if (onTest.predicted()[i] == test.label(i)) right++;
            Info info = new Info(train.channels(), train.height(), train.width(), train.classNames(), train.fingerprint(),
                    train.count(), epochs, seed, (double) right / Math.max(1, test.count()), test.count());
            return new SampleJudge(net, info);
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
    }

    /** Classes and features of a set of images. */
    public record Judged(int[] predicted, float[][] features) {
    }

    /** Judges every example of {@code data}. */
    public Judged judge(Backend be, Dataset data) {
        int n = data.count();
        Judged out = new Judged(new int[n], new float[n][]);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        try (Workspace ws = net.workspace(Math.max(1, Math.min(BATCH, n)))) {
            for (int from = 0; from < n; from += ws.capacity) {
                int count = Math.min(ws.capacity, n - from);
                data.fillBatch(order, from, count, ws.x.segment(), ws.labels);
                collect(be, ws, count, out, from);
            }
        }
        return out;
    }

    /** An accumulator for images that arrive in batches (samples as they are decoded). */
    public final class Batches implements AutoCloseable {
        private final Workspace ws = net.workspace(BATCH);
        private final Judged out;

        private Batches(int total) {
            out = new Judged(new int[total], new float[total][]);
        }

        /** Images [from, from + count) of the set, the first {@code count} rows of {@code images} (values in [0, 1]). */
        public void add(Backend be, Tensor images, int from, int count) {
            int d = images.cols();
            if (d != net.inputDim()) throw new IllegalArgumentException("images of " + d + " values, the judge reads " + net.inputDim());
            for (int done = 0; done < count; done += BATCH) {
                int c = Math.min(BATCH, count - done);
                MemorySegment.copy(images.segment(), (long) done * d * Float.BYTES, ws.x.segment(), 0, (long) c * d * Float.BYTES);
                collect(be, ws, c, out, from + done);
            }
        }

        public Judged result() {
            for (float[] f : out.features()) if (f == null) throw new IllegalStateException("not every image was judged");
            return out;
        }

        @Override
        public void close() {
            ws.close();
        }
    }

    /** A set of {@code total} images to be judged batch by batch. */
    public Batches batches(int total) {
        return new Batches(total);
    }

    private void collect(Backend be, Workspace ws, int count, Judged out, int from) {
        net.predict(be, ws, count);
        Tensor f = net.features(ws);
        int w = f.cols();
        for (int i = 0; i < count; i++) {
            float[] row = new float[w];
            MemorySegment.copy(f.segment(), Tensor.F32, (long) i * w * Float.BYTES, row, 0, w);
            out.features()[from + i] = row;
            out.predicted()[from + i] = ws.predicted[i];
        }
    }

    /** Refuses {@code data} unless it is the training split this judge was trained on. */
    public void requireTrainedOn(Dataset data, Path file) {
        if (data.fingerprint() != info.dataFingerprint()) {
            throw new NvaeException("--judge " + file + ": trained on other data (" + info.trainExamples() + " examples, fingerprint "
                    + Long.toHexString(info.dataFingerprint()) + ") than " + data.name() + " (" + data.count() + " examples, fingerprint "
                    + Long.toHexString(data.fingerprint()) + ")");
        }
    }

    // ---- files ------------------------------------------------------------------------------------------

    private static final class Writer {
        static final ObjectMapper JSON = new ObjectMapper();
    }

    /** Safetensors: the CNN's tensors, and its {@link Info} as JSON in the metadata. */
    public void save(Path file) {
        List<NamedArray> arrays = new ArrayList<>();
        for (FlatParameters.Layout.Entry e : net.params().layout().entries()) {
            Tensor t = net.params().get(e.name());
            arrays.add(new NamedArray(e.name(), e.shape(), t.segment().asSlice(0, t.byteSize())));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("channels", info.channels());
        m.put("height", info.height());
        m.put("width", info.width());
        m.put("classes", info.classNames());
        m.put("data_fingerprint", HexFormat.of().toHexDigits(info.dataFingerprint()));
        m.put("train_examples", info.trainExamples());
        m.put("epochs", info.epochs());
        m.put("seed", info.seed());
        m.put("test_accuracy", info.testAccuracy());
        m.put("test_examples", info.testExamples());
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        try {
            meta.put("nvae.judge", Writer.JSON.writeValueAsString(m));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        SafeTensors.writeArrays(file, arrays, meta);
    }

    /** Reads a judge file, checking its format, its description and every tensor's shape. */
    public static SampleJudge load(Path file) {
        SafeTensorsFile f = SafeTensors.read(file);
        if (!FORMAT.equals(f.metadata().get("format"))) {
            throw new FormatException(file, "not an nvae judge file (metadata format is " + f.metadata().get("format") + ", expected '" + FORMAT + "')");
        }
        Info info;
        try {
            info = readInfo(JsonText.parse(f.metadata().getOrDefault("nvae.judge", "null")));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new FormatException(file, "judge metadata is not valid: " + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        Classifier net;
        try {
            net = Classifier.conv(info.channels(), info.height(), info.width(), info.classNames().size());
        } catch (NvaeException e) {
            throw new FormatException(file, e.getMessage());
        }
        try {
            List<String> expected = new ArrayList<>();
            for (FlatParameters.Layout.Entry e : net.params().layout().entries()) {
                expected.add(e.name());
                if (!f.contains(e.name())) throw new FormatException(file, "tensor " + e.name() + " is missing");
                if (!Arrays.equals(e.shape(), f.shape(e.name()))) {
                    throw new FormatException(file, "tensor " + e.name() + " has shape " + Arrays.toString(f.shape(e.name()))
                            + ", the judge needs " + Arrays.toString(e.shape()));
                }
                Tensor t = net.params().get(e.name());
                f.copyInto(e.name(), t);
                if (!Elementwise.allFinite(t.segment(), t.size())) {  // its verdicts would be meaningless
                    throw new FormatException(file, "tensor " + e.name() + " holds a NaN or infinite value: the judge is unusable");
                }
            }
            for (String name : f.names()) if (!expected.contains(name)) throw new FormatException(file, "unexpected tensor " + name);
            return new SampleJudge(net, info);
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
    }

    private static Info readInfo(Object json) {
        if (!(json instanceof Map<?, ?> m)) throw new NvaeException("nvae.judge is not a JSON object");
        List<String> classes = new ArrayList<>();
        if (!(m.get("classes") instanceof List<?> list)) throw new NvaeException("classes is not a list");
        for (Object o : list) {
            if (!(o instanceof String s)) throw new NvaeException("classes holds " + o);
            classes.add(s);
        }
        long fingerprint;
        try {
            fingerprint = HexFormat.fromHexDigitsToLong(String.valueOf(m.get("data_fingerprint")));
        } catch (IllegalArgumentException e) {
            throw new NvaeException("data_fingerprint is not 16 hex digits");
        }
        return new Info(integer(m, "channels"), integer(m, "height"), integer(m, "width"), List.copyOf(classes), fingerprint,
                integer(m, "train_examples"), integer(m, "epochs"), number(m, "seed").longValue(),
                number(m, "test_accuracy").doubleValue(), integer(m, "test_examples"));
    }

    private static Number number(Map<?, ?> m, String key) {
        if (m.get(key) instanceof Number n) return n;
        throw new NvaeException(key + " is " + (m.containsKey(key) ? m.get(key) + ", not a number" : "missing"));
    }

    private static int integer(Map<?, ?> m, String key) {
        Number n = number(m, key);
        if (!(n instanceof Long l) || l != (int) (long) l || l < 1) throw new NvaeException(key + " is " + n + ", not a positive integer");
        return (int) (long) l;
    }

    @Override
    public void close() {
        net.close();
    }
}
