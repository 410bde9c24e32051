package dev.nvae.api;

import dev.nvae.NvaeException;
import dev.nvae.analysis.Encoding;
import dev.nvae.analysis.EvaluationReport;
import dev.nvae.analysis.Evaluator;
import dev.nvae.analysis.Sampler;
import dev.nvae.backend.Bf16Backend;
import dev.nvae.data.Dataset;
import dev.nvae.data.ImageFiles;
import dev.nvae.io.ImageGrid;
import dev.nvae.io.Npy;
import dev.nvae.model.LoadedModel;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.ModelFile;
import dev.nvae.tensor.FlatParameters;
import dev.nvae.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.FloatBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A trained model, open for sampling, encoding, scoring and reconstructing.
 *
 * <pre>{@code
 * try (NvaeModel model = NvaeModel.open(Path.of("fm.safetensors"))) {
 *     byte[] png = model.samplePng(SampleRequest.of(model.classIndex("Sandal"), 16).withSeed(7));
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> An open model is safe to call from any number of threads at once. It computes on
 * {@linkplain ModelOptions#lanes() lanes}, each a copy of the weights with its own backend; a call takes a
 * free lane for its duration (waiting in arrival order when all are busy) and allocates its own buffers, so
 * calls never share mutable state. A result depends only on the request, the model file and the backend:
 * the same request gives the same bytes on any lane, whatever runs beside it, at any number of threads.
 *
 * <p><b>Ownership.</b> The model owns its lanes — native memory and, for oneDNN, native objects — until
 * {@link #close()}. Arrays and buffers passed in stay the caller's: the model writes into them during the
 * call and keeps no reference. Arrays returned are the caller's.
 *
 * <p><b>Errors.</b> A request the model cannot serve throws {@link InvalidRequestException} naming the
 * field; the model is unaffected. A call whose answer would hold a NaN or an infinity (finite weights so large
 * that float32 arithmetic overflows on its inputs) throws {@link ModelException} naming the example and the
 * value, rather than returning it. Calls that compute (sample, encode, score, reconstruct) on a closed model
 * throw {@link IllegalStateException}; what the file alone answers ({@link #info()}, {@link #classIndex},
 * {@link #fromPng}) still does. A thread interrupted during a call — while it waits for a free lane, or while it
 * computes — gets a {@link java.util.concurrent.CancellationException} with its interrupt flag still set: a computing
 * call stops between two batches (of up to 1,000 images, 500 when scoring, or of one batch's importance samples), so
 * within one batch's time, and returns its lane unharmed; the next call on it gives the same bytes as ever. A flag
 * already set when a call starts is put aside for the call and set again when it returns: it neither stops the call
 * nor, as it did before calls could be cancelled, refuses one that must wait for a lane. So an interrupt meant to cancel
 * a call must arrive after the call has begun; one that lands just before is the caller's own (a caller with a
 * deadline interrupts again until the call ends, as {@code nvae serve --compute-timeout} does).
 */
public final class NvaeModel implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.nvae");
    /** Images per batch when scoring: {@code nvae evaluate}'s default, so both give the same figures. */
    private static final int SCORE_BATCH = 500;
    /** Columns of a sample grid, and its pixel scale: {@code nvae sample --format grid}'s. */
    private static final int GRID_COLUMNS = 10, GRID_SCALE = 2;
    /** The most an NPY header of a 2-D float32 array takes: magic, version, length and its text, padded to 64. */
    private static final int NPY_HEADER_BYTES = 128;

    private final ModelConfig config;
    private final List<String> classNames;
    private final ModelInfo info;
    private final LanePool lanes;

    private NvaeModel(ModelConfig config, List<String> classNames, ModelInfo info, LanePool lanes) {
        this.config = config;
        this.classNames = classNames;
        this.info = info;
        this.lanes = lanes;
    }

    /**
     * Opens a model file with {@link ModelOptions#defaults()}.
     *
     * @param file a model file written by {@code nvae train} or {@link Training}
     * @return the open model; the caller closes it
     * @throws ModelException if the file is not a valid model or the backend cannot be opened
     */
    public static NvaeModel open(Path file) {
        return open(file, ModelOptions.defaults());
    }

    /**
     * Opens a model file: reads and checks it once, then makes {@link ModelOptions#lanes()} lanes of it.
     *
     * @param file    a model file written by {@code nvae train} or {@link Training}
     * @param options backend, threads, lanes, precision
     * @return the open model; the caller closes it
     * @throws ModelException          if the file is not a valid model or the backend cannot be opened
     * @throws InvalidRequestException naming {@code lanes} if the lanes' copies of the model would not fit in the memory
     *                                 this JVM may use
     */
    public static NvaeModel open(Path file, ModelOptions options) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(options, "options");
        dev.nvae.backend.Precision precision = switch (options.precision()) {
            case FP32 -> dev.nvae.backend.Precision.FP32;
            case BF16 -> dev.nvae.backend.Precision.BF16;
        };
        LoadedModel loaded;
        try {
            loaded = ModelFile.load(file);
        } catch (NvaeException e) {
            throw new ModelException(ApiMessages.of(e.getMessage()), e);
        }
        requireLanesFit(loaded, options);
        LanePool pool;
        try {
            pool = LanePool.open(loaded.model(), options.backend().id(), ModelOptions.usableThreads(options.threads(), "threads", LOG),
                    precision, options.lanes(),
                    notice -> LOG.log(System.Logger.Level.WARNING, notice));
        } catch (NvaeException e) {
            // The library's messages name the CLI's flags ("--backend onednn: ..."); here they are options.
            throw new ModelException(ApiMessages.of(e.getMessage()), e);
        }
        ModelConfig c = loaded.model().config();
        ModelInfo info = new ModelInfo(file, c.model(), c.arch(), c.channels(), c.height(), c.width(), loaded.classNames(),
                c.isConditional(), c.hasClassifier(), c.labelFree(), c.ds(), c.dc(), pool.backendName(), pool.threads(), pool.size(),
                options.precision(), loaded.storedDtype().label());
        return new NvaeModel(c, loaded.classNames(), info, pool);
    }

    /**
     * Every lane holds a copy of the model's weights (built for inference: no gradients), and at BF16 their bf16
     * copies, made before the first call: lanes that cannot fit are refused before any is made. {@code withLanes(100000)}
     * (or {@code serve --lanes 100000}) made copies until the kernel's OOM killer stopped the JVM, at 20 GB on a
     * 23 GB machine, taking whatever else it chose with it.
     */
    private static void requireLanesFit(LoadedModel loaded, ModelOptions options) {
        long perLane = bytesPerLane(loaded.model().params().layout(), options.precision());
        long limit = Runtime.getRuntime().maxMemory();
        if ((double) options.lanes() * perLane > limit) {
            loaded.close();
            throw new InvalidRequestException("lanes", options.lanes() + " lanes of this model need " + mebibytes((double) options.lanes() * perLane)
                    + " MiB (" + mebibytes(perLane) + " MiB each), more than the " + mebibytes(limit)
                    + " MiB this JVM may use (-Xmx, which bounds its memory off the heap too); give at most " + limit / perLane);
        }
    }

    /**
     * What a lane of a model of {@code layout} holds for its life ({@link Lane#nativeBytes()}): its float32 weights
     * — 4.2 MiB for the reference mlp N-VAE (784-512-256); every lane also allocated gradients of that size, 8.5 MiB
     * in all, until lanes were built for inference — and at BF16 the most its backend's bf16 copies can take: both,
     * oneDNN's and the vector kernels', 4.2 MiB more for that model (a backend with one of them holds 2.1 MiB).
     */
    static long bytesPerLane(FlatParameters.Layout layout, Precision precision) {
        long weights = Math.max(1, layout.totalFloats()) * Float.BYTES;
        return weights + (precision == Precision.BF16 ? Bf16Backend.mostAdoptedBytes(layout) : 0);
    }

    private static long mebibytes(double bytes) {
        return (long) Math.ceil(bytes / (1 << 20));
    }

    /** {@return what the model is and how it runs} */
    public ModelInfo info() {
        return info;
    }

    /**
     * The index of a class given by its name or by its index in decimal ("Sandal" or "5"). A vae or beta-vae trained
     * on labelled data keeps the names of its labels, so the index is a label's ({@link Images#withLabels}), not a
     * class to draw: such a model draws images of no class, and its samples take class 0.
     *
     * @param nameOrIndex a class name of this model, or an index from 0
     * @return the class index
     * @throws InvalidRequestException naming {@code class} if the model has no such class (a vae trained without
     *                                 labels has none)
     */
    public int classIndex(String nameOrIndex) {
        Objects.requireNonNull(nameOrIndex, "nameOrIndex");
        if (classNames.isEmpty()) throw new InvalidRequestException("class", "this " + config.model() + NO_CLASSES);
        int byName = classNames.indexOf(nameOrIndex);
        if (byName >= 0) return byName;
        // An index is ASCII decimal digits: Integer.parseInt also took "+5" and other scripts' digits ("١" as 1).
        String digits = nameOrIndex.strip();
        if (!digits.isEmpty() && digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            String value = digits.replaceFirst("^0+(?=.)", "");  // "0000000005" is 5, not a number past an int's
            if (value.length() <= 9 && Integer.parseInt(value) < classNames.size()) return Integer.parseInt(value);
            // Worded as an int index past the classes is (checkedClass), not as a name: serve's {"class": 10} was '10'.
            String shown = digits.length() <= 64 ? digits : digits.substring(0, 64) + "... (" + digits.length() + " digits)";
            throw new InvalidRequestException("class", shown + " is out of range: this model has classes 0.."
                    + (classNames.size() - 1) + " (" + describeClasses() + ")");
        }
        // The name is the caller's text, repeated in the answer: only its start (a 100 KB one came back whole).
        // Control characters as escapes, so that the message stays one line ("a\nb" was two).
        String start = nameOrIndex.length() <= 64 ? nameOrIndex : nameOrIndex.substring(0, 64);
        String shown = NvaeException.escapedControls(start) + (start.length() < nameOrIndex.length() ? "... (" + nameOrIndex.length() + " characters)" : "");
        throw new InvalidRequestException("class", "'" + shown + "' is not a class of this model: expected one of "
                + describeClasses() + " or an index 0.." + (classNames.size() - 1));
    }

    /**
     * Draws images from the prior into a new array.
     *
     * @param request class, count, σ and seed
     * @return {@code count × imageSize} pixel probabilities in [0, 1], one image after another, row-major
     * @throws ModelException if the model's finite weights overflow float32 on the request, naming the sample and the pixel
     * @throws InvalidRequestException naming {@code class} if the model has no such class, or {@code n} if the images
     *                                 would not fit in one array or in this JVM's heap
     */
    public float[] sample(SampleRequest request) {
        Objects.requireNonNull(request, "request");
        float[] out = new float[imageValuesOnHeap(request.count(), 1)];
        sample(request, out, 0);
        return out;
    }

    /**
     * Draws images from the prior into {@code out} from {@code offset}: {@code count × imageSize} values,
     * written batch by batch as they are decoded.
     *
     * @param request class, count, σ and seed
     * @param out     the caller's array
     * @param offset  where the first image starts
     * @throws ModelException if the model's finite weights overflow float32 on the request, naming the sample and the pixel
     * @throws InvalidRequestException   naming {@code class} if the model has no such class
     * @throws IndexOutOfBoundsException if the images do not fit in {@code out} from {@code offset}
     */
    public void sample(SampleRequest request, float[] out, int offset) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(out, "out");
        int d = info.imageSize(), values = imageValues(request.count());
        if (offset < 0 || offset > out.length - values) {
            throw new IndexOutOfBoundsException("out: " + values + " values (" + request.count() + " images of " + d
                    + ") from offset " + offset + " do not fit in its " + out.length);
        }
        draw(request, (s, from, count, means) ->
                MemorySegment.copy(means.segment(), Tensor.F32, 0, out, offset + from * d, count * d));
    }

    /**
     * Draws images from the prior into {@code out} at its position, which advances past them; heap and
     * direct buffers alike.
     *
     * @param request class, count, σ and seed
     * @param out     the caller's buffer, with at least {@code count × imageSize} values remaining
     * @throws ModelException if the model's finite weights overflow float32 on the request, naming the sample and the pixel
     * @throws InvalidRequestException  naming {@code class} if the model has no such class
     * @throws IllegalArgumentException if fewer values remain in {@code out}
     * @throws ReadOnlyBufferException  if {@code out} is read-only
     */
    public void sample(SampleRequest request, FloatBuffer out) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(out, "out");
        if (out.isReadOnly()) throw new ReadOnlyBufferException();  // has no message: the javadoc says it means out
        int values = imageValues(request.count());
        if (out.remaining() < values) {
            throw new IllegalArgumentException("out: " + values + " values do not fit in the buffer's " + out.remaining() + " remaining");
        }
        MemorySegment target = MemorySegment.ofBuffer(out);
        // A FloatBuffer over a big-endian ByteBuffer is the default of ByteBuffer.asFloatBuffer(): write in its order.
        ValueLayout.OfFloat layout = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(out.order());
        int d = info.imageSize();
        draw(request, (s, from, count, means) ->
                MemorySegment.copy(means.segment(), Tensor.F32, 0, target, layout, (long) from * d * Float.BYTES, (long) count * d));
        out.position(out.position() + values);
    }

    /**
     * Draws images from the prior as one PNG grid, ten to a row, each pixel drawn 2 × 2 — the images of
     * {@code nvae sample --format grid}, without the class names that grid writes at the start of each row.
     *
     * @param request class, count, σ and seed
     * @return the bytes of the PNG file
     * @throws ModelException if the model's finite weights overflow float32 on the request, naming the sample and the pixel
     * @throws InvalidRequestException naming {@code class} if the model has no such class, or {@code n} if the grid would
     *                                 have more than 2^28 pixels
     */
    public byte[] samplePng(SampleRequest request) {
        Objects.requireNonNull(request, "request");
        int n = request.count(), d = info.imageSize();
        int cols = Math.min(n, GRID_COLUMNS), rows = (n + cols - 1) / cols;
        // Refused before any image is drawn, as sample --format grid refuses it (else all were drawn, then java.awt refused them).
        long[] size = ImageGrid.unlabelledSize(rows, cols, info.height(), info.width(), GRID_SCALE);
        if (size[0] * size[1] > ImageGrid.MAX_PIXELS) {
            throw new InvalidRequestException("n", "a PNG grid of " + n + " images, " + cols + " to a row, is " + size[0] + " x " + size[1]
                    + " pixels, more than the " + ImageGrid.MAX_PIXELS + " (2^28) a grid may have; draw fewer, or take them as an array (sample, sampleNpy)");
        }
        imageValuesOnHeap(n, 2);  // the images, then their copies one per image
        float[] flat = sample(request);
        float[][] images = new float[n][];
        for (int i = 0; i < n; i++) images[i] = Arrays.copyOfRange(flat, i * d, (i + 1) * d);
        return ImageGrid.gridPng(images, info.channels(), info.height(), info.width(), rows, cols, null, null, GRID_SCALE);
    }

    /**
     * Draws images from the prior as an NPY file: a float32 array of shape (count, imageSize), what
     * {@code nvae sample --format npy} writes and {@code numpy.load} reads.
     *
     * @param request class, count, σ and seed
     * @return the bytes of the NPY file
     * @throws ModelException if the model's finite weights overflow float32 on the request, naming the sample and the pixel
     * @throws InvalidRequestException naming {@code class} if the model has no such class, or {@code n} if the file would
     *                                 not fit in one byte array
     */
    public byte[] sampleNpy(SampleRequest request) {
        Objects.requireNonNull(request, "request");
        // Refused before any image is drawn: the images' floats fit in an array long before their bytes do.
        long bytes = (long) request.count() * info.imageSize() * Float.BYTES + NPY_HEADER_BYTES;
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new InvalidRequestException("n", "an NPY file of " + request.count() + " images of " + info.imageSize() + " values is "
                    + bytes + " bytes, more than the " + (Integer.MAX_VALUE - 8) + " one byte array holds; draw fewer, or into a FloatBuffer");
        }
        imageValuesOnHeap(request.count(), 2);  // the images, and the file's bytes
        return Npy.f32Bytes(sample(request), request.count(), info.imageSize());
    }

    /**
     * Encodes images deterministically (posterior means, no sampling).
     *
     * @param images images of the model's size; a cvae needs their labels, which it encodes with; an nvae encodes with
     *               the class it predicts, q(y|x), and a vae reads none, so neither uses labels; a label-free model
     *               takes none
     * @return means, log-variances, predicted class and class probabilities of every image
     * @throws ModelException if the model's finite weights overflow float32 on an image, naming it ("example i") and the value
     * @throws InvalidRequestException naming {@code images} or {@code labels}
     */
    public Encodings encode(Images images) {
        if (config.labelFree()) requireNoLabels(images, "encodes images with the cluster q(y|x) gives them");
        Dataset data = dataset(images, ModelConfig.CVAE.equals(config.model()), "encode");
        Encoding e = onLane(lane -> Sampler.encode(lane.model(), lane.backend(), data));
        int n = data.count(), ds = config.ds(), dc = config.dc();
        int k = config.hasClassifier() ? config.numClasses() : 0;
        List<String> cols = e.columns();
        String block = config.isNvae() ? "_s" : "_z";
        int muS = cols.indexOf("mu" + block + 0), lvS = cols.indexOf("logvar" + block + 0);
        int muC = cols.indexOf("mu_c0"), lvC = cols.indexOf("logvar_c0"), pred = cols.indexOf("predicted");
        float[] sharedMean = new float[n * ds], sharedLogVar = new float[n * ds];
        float[] classMean = new float[n * dc], classLogVar = new float[n * dc], probabilities = new float[n * k];
        int[] predicted = new int[n];
        for (int i = 0; i < n; i++) {
            float[] r = e.rows()[i];
            System.arraycopy(r, muS, sharedMean, i * ds, ds);
            System.arraycopy(r, lvS, sharedLogVar, i * ds, ds);
            if (dc > 0) {
                System.arraycopy(r, muC, classMean, i * dc, dc);
                System.arraycopy(r, lvC, classLogVar, i * dc, dc);
            }
            predicted[i] = pred >= 0 ? (int) r[pred] : -1;
            System.arraycopy(e.probabilities()[i], 0, probabilities, i * k, k);
        }
        return new Encodings(n, ds, dc, k, sharedMean, sharedLogVar, classMean, classLogVar, predicted, probabilities);
    }

    /**
     * Scores images: the negative ELBO and its terms, the classifier's accuracy and, with
     * {@code importanceSamples > 0}, the importance-weighted estimate of −log p(x|y) — what
     * {@code nvae evaluate} reports for a split. The posterior samples come from {@code seed}.
     *
     * @param images            images of the model's size, labelled with their true classes or not: a cvae needs
     *                          them; an nvae scores images without labels (all, or those labelled
     *                          {@link Images#NO_LABEL} beside labelled ones) by the bound summed over its classes, as
     *                          {@code nvae evaluate} scores examples of label −1; a label-free model takes none
     *                          (it is scored by the bound summed over its clusters); a vae reads none
     * @param importanceSamples samples per image of the IWAE estimate; 0 leaves it out (and must, for images without
     *                          labels or a label-free model). Each sample is one more decoder pass per image, so the
     *                          call's time grows with it (100 takes about 100 times as long as 1); the API sets no
     *                          ceiling beyond what the heap holds: bound it where requests come from others, as
     *                          {@code nvae serve --max-iw} does
     * @param seed              fixes the posterior samples
     * @return the means over the images
     * @throws ModelException if the model's finite weights overflow float32 on an image, naming it ("example i") and the value
     * @throws InvalidRequestException naming {@code images}, {@code labels} or {@code iw} (also for more importance
     *                                 samples than an array of images × samples doubles, up to 500 images at a time,
     *                                 can hold in this JVM)
     */
    public Scores score(Images images, int importanceSamples, long seed) {
        if (importanceSamples < 0) throw new InvalidRequestException("iw", importanceSamples + " must be 0 (off) or more");
        if (config.labelFree()) {
            requireNoLabels(images, "scores images without labels (the bound summed over its clusters)");
            if (importanceSamples > 0) {
                throw new InvalidRequestException("iw", Evaluator.IWAE_LABEL_FREE + ": give iw 0");
            }
        }
        Dataset given = dataset(images, ModelConfig.CVAE.equals(config.model()), "score");
        if (importanceSamples > 0) requireWeightsFit(importanceSamples, Math.min(SCORE_BATCH, given.count()));
        Dataset data = !images.hasLabels() && config.hasClassifier() && !config.labelFree() ? unlabelled(given, importanceSamples) : given;
        if (importanceSamples > 0 && config.isConditional() && !data.fullyLabelled()) { // a vae's iwae_nll needs no label
            int without = data.count() - data.labelledCount();
            throw new InvalidRequestException("iw", "iwae_nll estimates -log p(x|y) given the true class, and " + without + " of the "
                    + data.count() + " images have no label (" + Images.NO_LABEL + "); give every label, or iw 0 for the bound summed over the classes");
        }
        // No draws of the aggregate posterior (priorSamples 0): Scores holds none of what they measure (MMD, kNN KL), and
        // they took 90% of a call — 3.6 s of a 1,000-image /score that takes 0.4 s without them; the figures are the same.
        EvaluationReport r = onLane(lane -> Evaluator.evaluate(lane.model(), lane.backend(), data, SCORE_BATCH, seed, importanceSamples, 0));
        return new Scores(data.count(), r.negElbo(), r.rec(), r.klS(), r.klC(), (int) r.unlabelled(), r.klY(), r.ce(), r.accuracy(),
                r.iwaeNll(), importanceSamples);
    }

    /**
     * The importance weights of a batch are one array of images × samples doubles: one no array or this JVM's heap can
     * hold is refused before a lane is taken, as {@code evaluate --iw} refuses it (it was an OutOfMemoryError, or an
     * ArithmeticException, from inside the lane).
     */
    private static void requireWeightsFit(int importanceSamples, int images) {
        long weights = (long) images * importanceSamples, bytes = weights * Double.BYTES, heap = Runtime.getRuntime().maxMemory();
        String what = importanceSamples + " importance samples of " + (images == 1 ? "1 image" : "each of " + images + " images") + " are " + weights + " weights";
        if (weights > Integer.MAX_VALUE - 8) {
            throw new InvalidRequestException("iw", what + ", more than the " + (Integer.MAX_VALUE - 8) + " one array holds; give fewer");
        }
        if (bytes > heap) {
            throw new InvalidRequestException("iw", what + ", " + (bytes >> 20) + " MiB, more than the " + (heap >> 20)
                    + " MiB this JVM's heap may use; give fewer");
        }
    }

    /**
     * A label-free model's classes are clusters it found, not the images' classes: it scores images by the bound
     * summed over its clusters, as {@code nvae evaluate} does, and encodes and reconstructs them with the cluster q(y|x)
     * gives them, so labels would be ignored — they are refused (the importance-weighted estimate too, which needs the
     * true class: it was a ModelException, a 500 in serve).
     */
    private static void requireNoLabels(Images images, String what) {
        Objects.requireNonNull(images, "images");  // read here before dataset() checks it
        if (images.hasLabels()) {
            throw new InvalidRequestException("labels", "a label-free model's classes are clusters, not the images' classes; "
                    + "it " + what + ": give none");
        }
    }

    /**
     * An N-VAE's images given without labels, marked as having none: {@code evaluate} scores such examples (label −1)
     * by the bound summed over the classes, weighted by q(y|x), with KL(q(y|x) ‖ p(y)) — the figures an N-VAE is
     * trained on for unlabelled data (docs/MODEL.md §6). They were refused (400), and class 0 would have been wrong.
     * The importance-weighted estimate is of −log p(x|y) given the class: refused as {@code evaluate --iw} refuses it.
     */
    private Dataset unlabelled(Dataset data, int importanceSamples) {
        if (importanceSamples > 0) {
            throw new InvalidRequestException("iw", "iwae_nll estimates -log p(x|y) given the true class, and these images "
                    + "have no labels; give their labels, or iw 0 for the bound summed over the classes");
        }
        return data.withoutLabels(classNames);
    }

    /**
     * Reconstructs images: each decoded from its posterior mean, with its label if given, else (an nvae: no
     * labels, or {@link Images#NO_LABEL}) with its predicted class.
     *
     * @param images images of the model's size; a cvae needs their labels; a label-free model takes none (it decodes
     *               each image with the cluster q(y|x) gives it)
     * @return {@code count × imageSize} pixel probabilities in [0, 1], one image after another
     * @throws ModelException if the model's finite weights overflow float32 on an image, naming it ("example i") and the value
     * @throws InvalidRequestException naming {@code images} or {@code labels}
     */
    public float[] reconstruct(Images images) {
        if (config.labelFree()) requireNoLabels(images, "reconstructs images with the cluster q(y|x) gives them");
        Dataset given = dataset(images, ModelConfig.CVAE.equals(config.model()), "reconstruct");
        float[][] rows = onLane(lane -> {
            Dataset data = given;
            if (!images.hasLabels() && config.hasClassifier()) {
                Encoding e = Sampler.encode(lane.model(), lane.backend(), given);
                int pred = e.columns().indexOf("predicted");
                byte[] labels = new byte[given.count()];
                for (int i = 0; i < labels.length; i++) labels[i] = (byte) e.rows()[i][pred];
                data = new Dataset(given.name(), images.sharedPixels(), labels, config.channels(), config.height(), config.width(), classNames);
            }
            return Sampler.reconstruct(lane.model(), lane.backend(), data, data.count());
        });
        int d = info.imageSize();
        float[] out = new float[imageValues(rows.length)];
        for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, out, i * d, d);
        return out;
    }

    /**
     * Closes every lane, after the calls running on them return. Calls that compute made after, or still
     * waiting for a lane, throw {@link IllegalStateException}. Idempotent. Must not be called from within a call of this model.
     */
    @Override
    public void close() {
        lanes.close();
    }

    private void draw(SampleRequest request, Sampler.Batches batches) {
        int y = checkedClass(request.classIndex());
        int[] labels = new int[request.count()];
        Arrays.fill(labels, y);
        double[] sigma = {request.sigma()};
        onLane(lane -> {
            Sampler.sample(lane.model(), lane.backend(), labels, sigma, request.seed(), batches);
            return null;
        });
    }

    /** After "this vae": why a model of no classes takes neither a class nor a label; the caller adds what to give. */
    private static final String NO_CLASSES = " was trained without labels and has no classes";

    private int checkedClass(int classIndex) {
        if (!config.isConditional()) {  // class 0 stands for none: a vae trained without labels has no class 0
            if (classIndex != 0) throw new InvalidRequestException("class", "a " + config.model() + " draws images of no class; give class 0");
            return 0;
        }
        if (classIndex >= classNames.size()) {
            throw new InvalidRequestException("class", classIndex + " is out of range: this model has classes 0.."
                    + (classNames.size() - 1) + " (" + describeClasses() + ")");
        }
        return classIndex;
    }

    /** {@code count} images' worth of values, refused before an array that large is attempted. */
    private int imageValues(int count) {
        long values = (long) count * info.imageSize();
        if (values > Integer.MAX_VALUE - 8) throw new InvalidRequestException("n", count + " images do not fit in one Java array");
        return (int) values;
    }

    /**
     * {@link #imageValues}, for a call that holds {@code copies} float arrays of them at once (the images, and a PNG's or
     * an NPY's bytes): refused where this JVM's heap could not hold them, as a request too large for the heap was an
     * OutOfMemoryError from inside the call ({@code sample} of 2.7 million 28x28 images with a 2 GB heap).
     */
    private int imageValuesOnHeap(int count, int copies) {
        int values = imageValues(count);
        long bytes = (long) values * Float.BYTES * copies, heap = Runtime.getRuntime().maxMemory();
        if (bytes > heap) {
            throw new InvalidRequestException("n", count + " images of " + info.imageSize() + " values take " + (bytes >> 20)
                    + " MiB here, more than the " + (heap >> 20) + " MiB this JVM's heap may use; draw fewer at a time, or into a FloatBuffer");
        }
        return values;
    }

    /**
     * One image from the bytes of a PNG file, as {@link Images#fromPng} reads it, for this model: a PNG whose header
     * declares another height or width is refused before it is decoded, so a request of a small file that inflates to
     * a large image (a server's input) costs no more than reading its header.
     *
     * @param png the whole file
     * @return one image
     * @throws InvalidRequestException naming {@code images} if the bytes are not a readable PNG, or one of another size
     */
    public Images fromPng(byte[] png) {
        Objects.requireNonNull(png, "png");
        int[] declared = ImageFiles.declaredPngShape(png);
        if (declared != null && declared[1] > 0 && declared[2] > 0 && (declared[1] != config.height() || declared[2] != config.width())) {
            throw wrongShape(Images.describe(declared[0], declared[1], declared[2]));
        }
        return Images.fromPng(png);
    }

    private InvalidRequestException wrongShape(String given) {
        return new InvalidRequestException("images", "images of " + given + " pixels; this model takes "
                + Images.describe(config.channels(), config.height(), config.width())
                + (config.channels() > 1 ? " (channels x height x width: channels first, or flat rows of " + info.imageSize() + " values)" : ""));
    }

    /** The images as a dataset of the model's shape, with their labels, or class 0 where none are needed. */
    private Dataset dataset(Images images, boolean labelsNeeded, String what) {
        Objects.requireNonNull(images, "images");
        boolean sameShape = images.channels() == config.channels() && images.height() == config.height() && images.width() == config.width();
        boolean flatRows = images.channels() == 1 && images.height() == 1 && images.width() == info.imageSize();
        if (!sameShape && !flatRows) {
            throw wrongShape(Images.describe(images.channels(), images.height(), images.width()));
        }
        images.checkLabels();
        int[] given = images.sharedLabels();
        if (given == null && labelsNeeded) {
            throw new InvalidRequestException("labels", "a " + config.model() + " needs the true class of every image to "
                    + what + " it; give one label per image");
        }
        byte[] labels = new byte[images.count()];
        BitSet missing = new BitSet();
        // A vae trained on labelled data reads no label, so images of classes past its own are scored as any: their
        // labels are carried as numbered classes, as evaluate reads data of more classes than the model was trained on.
        boolean anyClass = ModelConfig.readsNoLabel(config.model()) && !classNames.isEmpty();
        List<String> names = classNames;
        for (int i = 0; given != null && i < given.length; i++) {
            if (anyClass && given[i] >= names.size() && given[i] < Dataset.MAX_CLASSES) {
                List<String> more = new ArrayList<>(names);
                for (int k = names.size(); k <= given[i]; k++) more.add(Integer.toString(k));
                names = more;
            }
            if (given[i] >= names.size()) {
                throw new InvalidRequestException("labels", "label " + given[i] + " of image " + i + (classNames.isEmpty()
                        ? ": this " + config.model() + NO_CLASSES + "; give its images no labels" : " is out of range 0.." + ((anyClass ? Dataset.MAX_CLASSES : classNames.size()) - 1)));
            }
            if (given[i] == Images.NO_LABEL) {
                if (labelsNeeded) {
                    throw new InvalidRequestException("labels", "image " + i + " has no label (" + Images.NO_LABEL + "), and a "
                            + config.model() + " needs the true class of every image to " + what + " it");
                }
                missing.set(i);  // as evaluate reads label -1: an N-VAE sums over its classes, decodes with the one it predicts
            } else {
                labels[i] = (byte) given[i];
            }
        }
        if (classNames.isEmpty()) missing.set(0, images.count()); // a vae of no classes: no image has one
        return new Dataset("request", images.sharedPixels(), labels, missing, config.channels(), config.height(), config.width(), names);
    }

    private <T> T onLane(Function<Lane, T> work) {
        // An interrupt from before this call is the caller's business, not a cancellation of the call: it is put
        // aside while the call runs (so only one that arrives meanwhile stops it) and set again on the way out.
        boolean earlier = Thread.interrupted();
        try {
            Lane lane = lanes.acquire();
            try {
                return work.apply(lane);
            } catch (NvaeException e) {
                throw new ModelException(ApiMessages.of(e.getMessage()), e);
            } finally {
                lanes.release(lane);
            }
        } finally {
            if (earlier) Thread.currentThread().interrupt();
        }
    }

    private String describeClasses() {
        List<String> shown = classNames.size() <= 12 ? classNames : classNames.subList(0, 12);
        return String.join(", ", shown) + (shown.size() < classNames.size() ? ", ..." : "");
    }

    @Override
    public String toString() {
        return "NvaeModel[" + info.file() + ", " + info.family() + "/" + info.architecture() + ", " + info.backend()
                + ", " + info.lanes() + " lane(s) of " + info.threads() + " thread(s)]";
    }
}
