package dev.nvae.api;

import dev.nvae.analysis.Encoding;
import dev.nvae.analysis.EvaluationReport;
import dev.nvae.analysis.Evaluator;
import dev.nvae.analysis.Sampler;
import dev.nvae.backend.Backend;
import dev.nvae.backend.VectorBackend;
import dev.nvae.data.Dataset;
import dev.nvae.io.Npy;
import dev.nvae.io.NpyArray;
import dev.nvae.model.LatentModel;
import dev.nvae.model.LoadedModel;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.ModelFile;
import dev.nvae.random.Rng;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NvaeModelTest {
    private static final ModelOptions VECTOR = ModelOptions.defaults().withBackend(ComputeBackend.VECTOR).withThreads(2);

    @TempDir
    static Path dir;
    static Path nvae;

    @BeforeAll
    static void writeModels() {
        nvae = TestModels.small(dir, "nvae");
    }

    /** The API's samples are the analysis layer's, float for float: it adds lanes, not arithmetic. */
    @Test
    void samplesAreTheSamplersAndFillCallerArraysAndBuffers() {
        SampleRequest r = new SampleRequest(3, 23, 1.4, 99);
        float[] want = viaSampler(r);
        try (NvaeModel m = NvaeModel.open(nvae, VECTOR)) {
            assertArrayEquals(want, m.sample(r));
            float[] padded = new float[want.length + 7];
            m.sample(r, padded, 5);
            assertArrayEquals(want, Arrays.copyOfRange(padded, 5, 5 + want.length));
            // The exception names the argument and the sizes, as the API's other refusals do.
            assertEquals("out: " + want.length + " values (23 images of 30) from offset 8 do not fit in its " + padded.length,
                    assertThrows(IndexOutOfBoundsException.class, () -> m.sample(r, padded, 8)).getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> m.sample(r, padded, -1));

            FloatBuffer heap = FloatBuffer.allocate(want.length + 2).position(2);
            m.sample(r, heap);
            assertEquals(want.length + 2, heap.position());
            assertArrayEquals(want, Arrays.copyOfRange(heap.array(), 2, want.length + 2));
            FloatBuffer bigEndian = ByteBuffer.allocateDirect(want.length * 4).order(ByteOrder.BIG_ENDIAN).asFloatBuffer();
            m.sample(r, bigEndian);
            float[] back = new float[want.length];
            bigEndian.flip().get(back);
            assertArrayEquals(want, back);
            assertThrows(IllegalArgumentException.class, () -> m.sample(r, FloatBuffer.allocate(want.length - 1)));

            NpyArray npy = Npy.parse(Path.of("npy"), m.sampleNpy(r));
            assertArrayEquals(new long[] {23, 30}, npy.shape());
            assertArrayEquals(want, npy.floats());
        }
    }

    @Test
    void sameRequestSameImagesAndTheSeedAndSigmaMatter() {
        try (NvaeModel m = NvaeModel.open(nvae, VECTOR)) {
            SampleRequest r = SampleRequest.of(1, 5).withSeed(4);
            assertArrayEquals(m.sample(r), m.sample(r));
            assertFalse(Arrays.equals(m.sample(r), m.sample(r.withSeed(5))));
            assertFalse(Arrays.equals(m.sample(r), m.sample(r.withSigma(2))));
        }
    }

    /**
     * Images that one array could hold but this JVM's heap could not are refused naming n before any is drawn: sample of
     * 2.7 million 28x28 images with a 2 GB heap was an OutOfMemoryError (samplePng and sampleNpy, which hold two copies,
     * check for both; their own limits, a grid's pixels and one byte array, come first for counts this large).
     */
    @Test
    void moreImagesThanTheHeapHoldsAreRefusedNamingN() {
        long heap = Runtime.getRuntime().maxMemory();
        try (NvaeModel m = NvaeModel.open(nvae, VECTOR)) {
            int d = m.info().imageSize();
            long one = heap / ((long) Float.BYTES * d) + 1;
            org.junit.jupiter.api.Assumptions.assumeTrue(one * d <= Integer.MAX_VALUE - 8, "a heap this large holds any array of images");
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> m.sample(SampleRequest.of(0, (int) one)));
            assertEquals("n", e.field());
            assertTrue(e.getMessage().contains("MiB this JVM's heap may use; draw fewer at a time, or into a FloatBuffer"), e.getMessage());
            assertEquals(5 * d, m.sample(SampleRequest.of(0, 5)).length, "the model serves on");
        }
    }

    /** The caller's text in the refusal is one line: control characters escaped ('a\\nb', not a line break). */
    @Test
    void anUnknownClassIsEchoedOnOneLine() {
        try (NvaeModel m = NvaeModel.open(nvae, VECTOR)) {
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> m.classIndex("a\nb\t\u0001"));
            assertTrue(e.getMessage().contains("'a\\nb\\t\\u0001' is not a class of this model"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            // An index is ASCII digits, spaces around it aside: not a sign, nor another script's digits.
            assertEquals(1, m.classIndex(" 1 "));
            assertEquals(5, m.classIndex("0000000005"), "leading zeros");
            for (String notAnIndex : List.of("+1", "\u0661", "-0", "1e0")) {
                assertThrows(InvalidRequestException.class, () -> m.classIndex(notAnIndex), notAnIndex);
            }
        }
    }

    @Test
    void pngIsAGridOfTenColumnsAtTwiceTheSize() throws IOException {
        try (NvaeModel m = NvaeModel.open(nvae, VECTOR)) {
            BufferedImage grid = ImageIO.read(new ByteArrayInputStream(m.samplePng(SampleRequest.of(0, 13))));
            // 2 px gaps around cells of 2·5 × 2·6 pixels: 10 columns, 2 rows.
            assertEquals(2 + 10 * (10 + 2), grid.getWidth());
            assertEquals(2 + 2 * (12 + 2), grid.getHeight());
        }
    }

    /**
     * A PNG grid has at most 2^28 pixels, as nvae sample --format grid refuses a larger one: too many images for one
     * grid are refused naming n before any is drawn. They were all drawn first, then drawn into a grid of any size
     * (a 28x28 model's million made java.awt's "Dimensions (width=582 height=5800002) are too large").
     */
    @Test
    void aGridOfMorePixelsThanAGridMayHaveIsRefusedBeforeAnyImageIsDrawn() {
        try (NvaeModel m = NvaeModel.open(nvae, VECTOR)) {
            // Cells of 2·5 × 2·6 pixels and 2 px gaps: 10 columns of 12 px, rows of 14 px.
            int fits = (int) (((1L << 28) / (2 + 10 * 12) - 2) / 14) * 10;
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> m.samplePng(SampleRequest.of(0, 2_000_000)));
            assertEquals("n", e.field());
            assertEquals("n: a PNG grid of 2000000 images, 10 to a row, is 122 x 2800002 pixels, more than the 268435456 (2^28) a grid "
                    + "may have; draw fewer, or take them as an array (sample, sampleNpy)", e.getMessage());
            assertEquals("n", assertThrows(InvalidRequestException.class, () -> m.samplePng(SampleRequest.of(0, fits + 10))).field());
        }
    }

    /**
     * An NPY file is one byte array: images whose file would not fit in one (18,000,000 of 30 pixels: 540 million
     * values, 2.16 GB) are refused naming n before any is drawn. They were all drawn into a 2.16 GB float array, then
     * ByteArrayOutputStream refused a negative size ("Negative initial size: -2134967168"), or the heap ran out.
     */
    @Test
    void anNpyOfMoreBytesThanAnArrayHoldsIsRefusedBeforeAnyImageIsDrawn() {
        try (NvaeModel m = NvaeModel.open(nvae, VECTOR)) {
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> m.sampleNpy(SampleRequest.of(0, 18_000_000)));
            assertEquals("n", e.field());
            assertTrue(e.getMessage().startsWith("n: an NPY file of 18000000 images of 30 values is 2160000128 bytes, more than"), e.getMessage());
        }
    }

    @Test
    void infoAndClassNames() {
        try (NvaeModel m = NvaeModel.open(nvae, VECTOR.withLanes(3).withThreads(1))) {
            ModelInfo info = m.info();
            assertEquals("nvae", info.family());
            assertEquals(6 * 5, info.imageSize());
            assertEquals(TestModels.CLASSES, info.classNames());
            assertEquals("vector", info.backend());
            assertEquals(3, info.lanes());
            assertEquals(1, info.threads());
            assertTrue(info.conditional() && info.classifier());
            assertEquals("fp32", info.weightsDtype());
            assertEquals(7, m.classIndex("class-7"));
            assertEquals(7, m.classIndex("7"));
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> m.classIndex("Sandal"));
            assertEquals("class", e.field());
            assertTrue(e.getMessage().startsWith("class: 'Sandal' is not a class of this model"), e.getMessage());
            // An index past the classes is worded alike whether it came as text or as an int (serve's {"class": 10} was '10').
            InvalidRequestException byText = assertThrows(InvalidRequestException.class, () -> m.classIndex("10"));
            InvalidRequestException byInt = assertThrows(InvalidRequestException.class, () -> m.sample(SampleRequest.of(10, 1)));
            assertEquals("class", byText.field());
            assertEquals(byInt.getMessage(), byText.getMessage());
            assertTrue(byText.getMessage().startsWith("class: 10 is out of range: this model has classes 0..9 (class-0, "), byText.getMessage());
        }
        // A file of bf16 weights (export --dtype bf16) says so; its precision is still what the options asked for.
        Path bf16 = dir.resolve("info-bf16.safetensors");
        try (LoadedModel l = ModelFile.load(nvae)) {
            ModelFile.save(l.model(), bf16, l.classNames(), l.training(), dev.nvae.io.StoredDtype.BF16);
        }
        try (NvaeModel m = NvaeModel.open(bf16, VECTOR.withThreads(1))) {
            assertEquals("bf16", m.info().weightsDtype());
            assertEquals(Precision.FP32, m.info().precision());
        }
    }

    /** A stale interrupt flag refused every call (CancellationException) though a lane was free; a null request is named. */
    @Test
    void aFreeLaneIsTakenWhateverTheInterruptFlagAndANullRequestIsNamed() {
        try (NvaeModel m = NvaeModel.open(nvae, VECTOR)) {
            float[] expected = m.sample(SampleRequest.of(0, 2));
            Thread.currentThread().interrupt();
            try {
                assertArrayEquals(expected, m.sample(SampleRequest.of(0, 2)));
                assertTrue(Thread.currentThread().isInterrupted(), "the flag stays the caller's");
            } finally {
                Thread.interrupted();
            }
            assertEquals("request", assertThrows(NullPointerException.class, () -> m.sample(null)).getMessage());
            assertEquals("request", assertThrows(NullPointerException.class, () -> m.samplePng(null)).getMessage());
        }
    }

    /**
     * An interrupt during a call stops it between batches (a server's deadline): a score of one image with a million
     * importance samples — a million decodes — ends with CancellationException, the flag still set, and the lane it
     * held gives the same figures after as before.
     */
    @Test
    @org.junit.jupiter.api.Timeout(120)  // uncancelled, the call runs for minutes
    void anInterruptStopsAComputingCallAndItsLaneComputesAsBefore() throws InterruptedException {
        Dataset data = randomImages(17);
        Images images = Images.ofBytes(bytesOf(data), data.count(), 6, 5).withLabels(labelsOf(data));
        Images one = Images.ofBytes(Arrays.copyOf(bytesOf(data), 30), 1, 6, 5).withLabels(new int[]{3});
        try (NvaeModel m = NvaeModel.open(nvae, VECTOR.withLanes(1))) {
            Scores before = m.score(images, 4, 3);
            Interrupted r = interruptedUntilDone(() -> m.score(one, 1_000_000, 1));
            assertTrue(r.thrown() instanceof java.util.concurrent.CancellationException, String.valueOf(r.thrown()));
            assertTrue(r.flagSet(), "the interrupt flag stays set");
            assertEquals(before, m.score(images, 4, 3));
        }
    }

    /**
     * Edges mutation testing found unpinned: the first class by name; a value of exactly 1 (pixel 255); the image an
     * out-of-range value is in; an NPY of one image; samples into a FloatBuffer past the first batch; and a thread
     * interrupted while it waits for a busy lane gets CancellationException with its flag set.
     */
    @Test
    @org.junit.jupiter.api.Timeout(120)
    void edgesOfNamesValuesAndBatches() throws Exception {
        try (NvaeModel m = NvaeModel.open(nvae, VECTOR.withLanes(1))) {
            assertEquals(0, m.classIndex(m.info().classNames().get(0)));
            float[] values = new float[3 * 30];
            Arrays.fill(values, 1f);
            assertEquals(3, Images.ofFloats(values, 3, 1, 6, 5).count());
            values[2 * 30 + 7] = 1.5f;
            assertEquals("images: value 1.5 of image 2 is outside [0, 1]",
                    assertThrows(InvalidRequestException.class, () -> Images.ofFloats(values, 3, 1, 6, 5)).getMessage());
            assertEquals(1, Images.fromNpy(npyU8(new byte[30], 1, 30)).count());

            SampleRequest many = new SampleRequest(1, 1_201, 1.0, 5);
            float[] want = m.sample(many);
            FloatBuffer into = FloatBuffer.allocate(want.length);
            m.sample(many, into);
            assertArrayEquals(want, into.array(), "the same floats past the first batch of 1,000");

            // The only lane held by a long score in flight; a second caller waits for it.
            CountDownLatch holding = new CountDownLatch(1);
            Images one = Images.ofBytes(new byte[30], 1, 6, 5).withLabels(new int[]{1});
            Thread busy = Thread.ofPlatform().start(() -> {
                holding.countDown();
                try {
                    m.score(one, 2_000_000, 1);
                } catch (RuntimeException stopped) {
                    // interrupted below, once the waiter has been seen
                }
            });
            holding.await();
            Thread.sleep(200);  // the busy call has taken the lane
            Interrupted waited = interruptedUntilDone(() -> m.sample(SampleRequest.of(0, 1)));
            busy.interrupt();
            busy.join(30_000);
            assertTrue(waited.thrown() instanceof java.util.concurrent.CancellationException, String.valueOf(waited.thrown()));
            assertTrue(waited.flagSet(), "its interrupt flag stays set");
        }
    }

    /**
     * close() waits for a call computing on a lane before it frees the lane's native memory (mutation testing removed the
     * wait unseen): the call in flight ends first — here cut short by an interrupt — and a call after close is refused.
     */
    @Test
    @org.junit.jupiter.api.Timeout(120)
    void closeWaitsForTheCallInFlight() throws Exception {
        NvaeModel m = NvaeModel.open(nvae, VECTOR.withLanes(1));
        Images one = Images.ofBytes(new byte[30], 1, 6, 5).withLabels(new int[]{1});
        java.util.concurrent.atomic.AtomicLong interruptedAt = new java.util.concurrent.atomic.AtomicLong();
        CountDownLatch started = new CountDownLatch(1);
        Thread busy = Thread.ofPlatform().start(() -> {
            started.countDown();
            try {
                m.score(one, 2_000_000, 1);  // tens of seconds uncancelled: it ends only when interrupted
            } catch (RuntimeException cut) {
                // the interrupt below
            }
        });
        started.await();
        Thread.sleep(300);  // the call has its lane
        Thread stopper = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
            interruptedAt.set(System.nanoTime());
            while (busy.isAlive()) {
                busy.interrupt();
                try {
                    busy.join(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        m.close();
        long closed = System.nanoTime();
        stopper.join();
        // The call cannot end before it is interrupted: close returned no sooner, so it waited for the lane.
        assertTrue(interruptedAt.get() != 0 && closed >= interruptedAt.get(), "close returned before the call in flight was stopped");
        assertThrows(IllegalStateException.class, () -> m.sample(SampleRequest.of(0, 1)));
    }

    /** The refusals' ranges and lists, word for word (mutation testing changed them unseen). */
    @Test
    void refusalsSayTheirRangesWordForWord() {
        try (NvaeModel m = NvaeModel.open(nvae, VECTOR)) {
            assertEquals("class: 'nosuch' is not a class of this model: expected one of class-0, class-1, class-2, class-3, class-4, "
                    + "class-5, class-6, class-7, class-8, class-9 or an index 0..9",
                    assertThrows(InvalidRequestException.class, () -> m.classIndex("nosuch")).getMessage());
            assertEquals("class: 10 is out of range: this model has classes 0..9 (class-0, class-1, class-2, class-3, class-4, class-5, "
                    + "class-6, class-7, class-8, class-9)", assertThrows(InvalidRequestException.class, () -> m.classIndex("10")).getMessage());
            Images labelled = Images.ofBytes(new byte[30], 1, 6, 5).withLabels(new int[]{10});
            assertEquals("labels: label 10 of image 0 is out of range 0..9",
                    assertThrows(InvalidRequestException.class, () -> m.score(labelled, 0, 0)).getMessage());
        }
    }

    @Test
    void requestsAreCheckedBeforeTheModelSeesThem() {
        assertEquals("n", assertThrows(InvalidRequestException.class, () -> SampleRequest.of(0, 0)).field());
        assertEquals("sigma", assertThrows(InvalidRequestException.class, () -> SampleRequest.of(0, 1).withSigma(0)).field());
        assertEquals("sigma", assertThrows(InvalidRequestException.class, () -> SampleRequest.of(0, 1).withSigma(Double.NaN)).field());
        // Beyond float's range σ·ε overflowed and the pixels came back NaN (a server answered them as "NaN" strings).
        assertEquals("sigma", assertThrows(InvalidRequestException.class, () -> SampleRequest.of(0, 1).withSigma(1e39)).field());
        assertEquals("sigma", assertThrows(InvalidRequestException.class, () -> SampleRequest.of(0, 1).withSigma(100.5)).field());
        assertEquals(100.0, SampleRequest.of(0, 1).withSigma(100).sigma());
        assertEquals("class", assertThrows(InvalidRequestException.class, () -> SampleRequest.of(-1, 1)).field());
        assertEquals("threads", assertThrows(InvalidRequestException.class, () -> ModelOptions.defaults().withThreads(0)).field());
        assertEquals("lanes", assertThrows(InvalidRequestException.class, () -> ModelOptions.defaults().withLanes(0)).field());
        assertEquals(ComputeBackend.ONEDNN, ComputeBackend.parse("oneDNN"));
        assertEquals("backend", assertThrows(InvalidRequestException.class, () -> ComputeBackend.parse("cuda")).field());
    }

    /**
     * score returns the bound of evaluate, figure for figure, without evaluate's draws of the aggregate posterior
     * (MMD with 200 permutations, kNN KL), which Scores has no place for: they were 90% of a /score call (1,000 images,
     * 1,940 ms of CPU against 29 ms, one vector thread). Their cost is not asserted here (no timed tests); what is, is
     * that leaving them out changes no figure score returns.
     */
    @Test
    void scoreIsTheBoundOfEvaluateWithoutTheAggregatePosteriorDraws() throws IOException {
        Path big = TestModels.nvae(Files.createDirectories(dir.resolve("reference")));  // not over the small nvae.safetensors
        int n = 300;
        byte[] pixels = new byte[n * 784], labels = new byte[n];
        Rng rng = Rng.stream(9, 0);
        for (int i = 0; i < pixels.length; i++) pixels[i] = (byte) (rng.nextDouble() * 256);
        int[] ints = new int[n];
        for (int i = 0; i < n; i++) ints[i] = labels[i] = (byte) (i % 10);
        Dataset data = new Dataset("random", pixels, labels, 28, 28, TestModels.CLASSES);
        Images images = Images.ofBytes(pixels, n, 28, 28).withLabels(ints);
        ModelOptions one = ModelOptions.defaults().withBackend(ComputeBackend.VECTOR).withThreads(1);
        try (NvaeModel m = NvaeModel.open(big, one); LoadedModel ref = ModelFile.load(big); Backend be = new VectorBackend(1)) {
            EvaluationReport with = Evaluator.evaluate(ref.model(), be, data, 500, 3, 0);
            EvaluationReport without = Evaluator.evaluate(ref.model(), be, data, 500, 3, 0, 0);
            Scores s = m.score(images, 0, 3);
            for (EvaluationReport r : List.of(with, without)) {
                assertEquals(r.negElbo(), s.negElbo());
                assertEquals(r.rec(), s.reconstruction());
                assertEquals(r.klS(), s.klShared());
                assertEquals(r.klC(), s.klClass());
                assertEquals(r.ce(), s.crossEntropy());
                assertEquals(r.accuracy(), s.accuracy());
            }
        }
    }

    /**
     * Lanes whose copies of the model cannot fit in the JVM's memory are refused naming lanes, before any is made:
     * withLanes(100000) made copies until the kernel's OOM killer stopped the JVM (20 GB on a 23 GB machine).
     */
    @Test
    void lanesThatCannotFitAreRefusedBeforeAnyIsMade() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> NvaeModel.open(nvae, VECTOR.withLanes(Integer.MAX_VALUE)));
        assertEquals("lanes", e.field());
        assertTrue(e.getMessage().startsWith("lanes: " + Integer.MAX_VALUE + " lanes of this model need ") && e.getMessage().contains("give at most "),
                e.getMessage());
        try (NvaeModel m = NvaeModel.open(nvae, VECTOR.withLanes(3))) {
            assertEquals(3, m.info().lanes());
        }
    }

    @Test
    void encodeScoreAndReconstructAreTheAnalysesOfTheSameImages() {
        Dataset data = randomImages(17);
        int[] labels = labelsOf(data);
        Images images = Images.ofBytes(bytesOf(data), data.count(), 6, 5).withLabels(labels);
        try (NvaeModel m = NvaeModel.open(nvae, VECTOR); LoadedModel ref = ModelFile.load(nvae); Backend be = new VectorBackend(2)) {
            Encodings enc = m.encode(images);
            Encoding want = Sampler.encode(ref.model(), be, data);
            for (int i = 0; i < data.count(); i++) {
                float[] row = want.rows()[i];
                assertEquals((int) row[1], enc.predictedClass(i));
                assertArrayEquals(Arrays.copyOfRange(row, 2, 5), enc.sharedMean(i));
                assertArrayEquals(Arrays.copyOfRange(row, 5, 8), enc.sharedLogVariance(i));
                assertArrayEquals(Arrays.copyOfRange(row, 8, 10), enc.classMean(i));
                assertArrayEquals(Arrays.copyOfRange(row, 10, 12), enc.classLogVariance(i));
                float[] p = enc.probabilities(i);
                double sum = 0;
                int argmax = 0;
                for (int k = 0; k < p.length; k++) {
                    sum += p[k];
                    if (p[k] > p[argmax]) argmax = k;
                }
                assertEquals(1.0, sum, 1e-5);
                assertEquals(enc.predictedClass(i), argmax);
            }

            Scores s = m.score(images, 5, 3);
            EvaluationReport r = Evaluator.evaluate(ref.model(), be, data, 500, 3, 5);
            assertEquals(r.negElbo(), s.negElbo());
            assertEquals(r.iwaeNll(), s.iwaeNll());
            assertEquals(r.accuracy(), s.accuracy());
            assertEquals(17, s.count());
            assertTrue(Double.isNaN(m.score(images, 0, 3).iwaeNll()));

            float[][] rec = Sampler.reconstruct(ref.model(), be, data, data.count());
            float[] got = m.reconstruct(images);
            for (int i = 0; i < rec.length; i++) assertArrayEquals(rec[i], Arrays.copyOfRange(got, i * 30, (i + 1) * 30));

            // Without labels an N-VAE reconstructs with the class it predicts.
            Images unlabelled = Images.ofBytes(bytesOf(data), data.count(), 6, 5);
            int[] predicted = new int[data.count()];
            for (int i = 0; i < predicted.length; i++) predicted[i] = enc.predictedClass(i);
            assertArrayEquals(m.reconstruct(unlabelled.withLabels(predicted)), m.reconstruct(unlabelled));
        }
    }

    /**
     * An N-VAE scores images without labels by the bound summed over its classes, as evaluate scores examples of label
     * -1 (docs/MODEL.md#6), with kl_y so that the terms add up: it refused them (the true class of every image); iw,
     * which needs the class, is refused naming it, as evaluate --iw refuses such data.
     */
    @Test
    void anNvaeScoresImagesWithoutLabelsByTheBoundSummedOverItsClasses() {
        Dataset data = randomImages(11);
        Images images = Images.ofBytes(bytesOf(data), data.count(), 6, 5);
        try (NvaeModel m = NvaeModel.open(nvae, VECTOR); LoadedModel ref = ModelFile.load(nvae); Backend be = new VectorBackend(2)) {
            Scores s = m.score(images, 0, 3);
            EvaluationReport r = Evaluator.evaluate(ref.model(), be, data.withoutLabels(data.classNames()), 500, 3, 0);
            assertEquals(r.negElbo(), s.negElbo());
            assertEquals(r.klY(), s.klY());
            assertEquals(r.klC(), s.klClass());
            assertEquals(11, s.unlabelled());
            assertTrue(s.klY() > 0, "kl_y " + s.klY());
            assertEquals(s.negElbo(), s.reconstruction() + s.klShared() + s.klClass() + s.klY(), 1e-9 * Math.abs(s.negElbo()));
            assertTrue(Double.isNaN(s.accuracy()) && Double.isNaN(s.iwaeNll()), s.toString());
            assertEquals(0, m.score(images.withLabels(labelsOf(data)), 0, 3).unlabelled());
            InvalidRequestException iw = assertThrows(InvalidRequestException.class, () -> m.score(images, 5, 3));
            assertEquals("iw", iw.field());
        }
        try (NvaeModel cvae = NvaeModel.open(TestModels.small(dir, "cvae"), VECTOR)) {
            // A cvae has no classifier to sum over: it still needs the class of every image.
            assertEquals("labels", assertThrows(InvalidRequestException.class, () -> cvae.score(images, 0, 0)).field());
        }
    }

    /**
     * Labelled images and images labelled {@link Images#NO_LABEL} in one call, as a split with NPY label -1 beside
     * labelled examples: an N-VAE scores them as evaluate scores that split, and reconstructs each unlabelled one with
     * the class it predicts. withLabels refused -1 ("is negative"), so such a request could not be made at all, and
     * /score answered it 400. iw (which needs every class) and a cvae (which needs every label) refuse it naming the field.
     */
    @Test
    void labelledAndUnlabelledImagesInOneCallAreScoredAsEvaluateScoresAMixedSplit() {
        Dataset data = randomImages(13);
        int[] labels = labelsOf(data);
        java.util.BitSet missing = new java.util.BitSet();
        for (int i = 0; i < labels.length; i += 3) {
            labels[i] = Images.NO_LABEL;
            missing.set(i);
        }
        Images images = Images.ofBytes(bytesOf(data), data.count(), 6, 5).withLabels(labels);
        byte[] bytes = new byte[data.count()];
        for (int i = 0; i < labels.length; i++) bytes[i] = (byte) Math.max(labels[i], 0);
        Dataset mixed = new Dataset("random", bytesOf(data), bytes, missing, 1, 6, 5, TestModels.CLASSES);  // the split evaluate reads
        try (NvaeModel m = NvaeModel.open(nvae, VECTOR); LoadedModel ref = ModelFile.load(nvae); Backend be = new VectorBackend(2)) {
            Scores s = m.score(images, 0, 3);
            EvaluationReport r = Evaluator.evaluate(ref.model(), be, mixed, 500, 3, 0);
            assertEquals(5, s.unlabelled());
            assertEquals(r.unlabelled(), s.unlabelled());
            assertEquals(r.negElbo(), s.negElbo());
            assertEquals(r.klY(), s.klY());
            assertEquals(r.ce(), s.crossEntropy());
            assertEquals(r.accuracy(), s.accuracy());
            assertTrue(s.klY() > 0 && !Double.isNaN(s.accuracy()), s.toString());

            // Each unlabelled image is decoded with the class the model predicts, the labelled ones with their label.
            Encodings enc = m.encode(Images.ofBytes(bytesOf(data), data.count(), 6, 5));
            int[] resolved = labels.clone();
            for (int i = 0; i < resolved.length; i++) if (resolved[i] == Images.NO_LABEL) resolved[i] = enc.predictedClass(i);
            assertArrayEquals(m.reconstruct(images.withLabels(resolved)), m.reconstruct(images));
            assertEquals(13, m.encode(images).count());

            InvalidRequestException iw = assertThrows(InvalidRequestException.class, () -> m.score(images, 5, 3));
            assertEquals("iw", iw.field());
            assertTrue(iw.getMessage().contains("5 of the 13 images have no label"), iw.getMessage());
        }
        try (NvaeModel cvae = NvaeModel.open(TestModels.small(dir, "cvae"), VECTOR)) {
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> cvae.score(images, 0, 0));
            assertEquals("labels", e.field());
            assertEquals("labels: image 0 has no label (-1), and a cvae needs the true class of every image to score it", e.getMessage());
            assertEquals("labels", assertThrows(InvalidRequestException.class, () -> cvae.reconstruct(images)).field());
        }
        try (NvaeModel vae = NvaeModel.open(TestModels.small(dir, "vae"), VECTOR)) {
            // A vae reads no labels: -1 among them changes none of its figures.
            assertEquals(vae.score(images.withLabels(new int[13]), 0, 3).negElbo(), vae.score(images, 0, 3).negElbo());
            assertArrayEquals(vae.reconstruct(Images.ofBytes(bytesOf(data), data.count(), 6, 5)), vae.reconstruct(images));
        }
        try (NvaeModel m = NvaeModel.open(nvae, VECTOR)) {
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> m.encode(Images.ofFloats(new float[30], 1, 6, 5).withLabels(-2)));
            assertEquals("labels: label -2 of image 0 is negative; -1 marks an image without a label, a class is 0 or more", e.getMessage());
        }
    }

    /**
     * A label-free model scores images without labels, by the bound summed over its clusters, as evaluate does: it
     * asked for the true class of every image, ignored labels it was given, failed with a ModelException (a 500 in
     * serve) given labels and iw, and left kl_y out, so its terms did not add up to neg_elbo.
     */
    @Test
    void aLabelFreeModelIsScoredWithoutLabelsAndItsTermsAddUp() {
        Path free = TestModels.labelFree(dir);
        Dataset data = randomImages(9);
        Images images = Images.ofBytes(bytesOf(data), data.count(), 6, 5);
        try (NvaeModel m = NvaeModel.open(free, VECTOR); LoadedModel ref = ModelFile.load(free); Backend be = new VectorBackend(2)) {
            Scores s = m.score(images, 0, 3);
            EvaluationReport r = Evaluator.evaluate(ref.model(), be, data.withoutLabels(ModelConfig.clusterNames(4)), 500, 3, 0);
            assertEquals(r.negElbo(), s.negElbo());
            assertEquals(r.klY(), s.klY());
            assertEquals(9, s.unlabelled());
            assertEquals(s.negElbo(), s.reconstruction() + s.klShared() + s.klClass() + s.klY(), 1e-9 * Math.abs(s.negElbo()));
            assertTrue(Double.isNaN(s.accuracy()) && Double.isNaN(s.iwaeNll()));
            InvalidRequestException labels = assertThrows(InvalidRequestException.class, () -> m.score(images.withLabels(new int[9]), 0, 3));
            assertEquals("labels", labels.field());
            assertTrue(labels.getMessage().contains("label-free"), labels.getMessage());
            InvalidRequestException iw = assertThrows(InvalidRequestException.class, () -> m.score(images, 5, 3));
            assertEquals("iw", iw.field());
            assertTrue(iw.getMessage().contains("label-free"), iw.getMessage());
            // It encodes with the cluster q(y|x) gives: labels, which it ignored, are refused as score refuses them.
            assertTrue(m.info().labelFree());
            assertEquals(9, m.encode(images).count());
            assertEquals("labels", assertThrows(InvalidRequestException.class, () -> m.encode(images.withLabels(new int[9]))).field());
        }
    }

    /**
     * A label-free model refuses labels for what they are, whatever their number or values: it answered "1 labels for
     * 20 images" (Images.withLabels checked the count before the model saw them), as if the right number would do.
     */
    @Test
    void aLabelFreeModelRefusesLabelsOfAnyCountForTakingNone() {
        try (NvaeModel m = NvaeModel.open(TestModels.labelFree(dir), VECTOR)) {
            Images images = Images.ofFloats(new float[20 * 30], 20, 6, 5);
            String reason = "labels: a label-free model's classes are clusters, not the images' classes; it ";
            for (int[] labels : new int[][] {{1}, new int[21], {-2}}) {
                Images labelled = images.withLabels(labels);
                assertEquals(reason + "encodes images with the cluster q(y|x) gives them: give none",
                        assertThrows(InvalidRequestException.class, () -> m.encode(labelled)).getMessage());
                assertEquals(reason + "scores images without labels (the bound summed over its clusters): give none",
                        assertThrows(InvalidRequestException.class, () -> m.score(labelled, 0, 1)).getMessage());
                assertEquals(reason + "reconstructs images with the cluster q(y|x) gives them: give none",
                        assertThrows(InvalidRequestException.class, () -> m.reconstruct(labelled)).getMessage());
            }
        }
    }

    /**
     * A label-free model reconstructs each image with the cluster q(y|x) gives it, whatever labels come with it: given
     * labels, it returned the same images as without (they were ignored), where encode and score refuse them.
     */
    @Test
    void aLabelFreeModelRefusesLabelsToReconstructAsItDoesToEncode() {
        try (NvaeModel m = NvaeModel.open(TestModels.labelFree(dir), VECTOR)) {
            Dataset data = randomImages(6);
            Images images = Images.ofBytes(bytesOf(data), data.count(), 6, 5);
            assertEquals(6 * 30, m.reconstruct(images).length);
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> m.reconstruct(images.withLabels(1, 1, 1, 1, 1, 1)));
            assertEquals("labels", e.field());
            assertEquals("labels: a label-free model's classes are clusters, not the images' classes; it reconstructs images "
                    + "with the cluster q(y|x) gives them: give none", e.getMessage());
        }
    }

    /**
     * Sizes whose product wraps around a long (count 4 of 2^20 x 2^21 x 2^21 values: 2^64, read as 0) were taken as
     * agreeing with an empty array: four images of 2^62 values each, holding none.
     */
    @Test
    void imageSizesWhoseProductOverflowsAreRefusedNamingImages() {
        int c = 1 << 20, h = 1 << 21, w = 1 << 21;
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> Images.ofFloats(new float[0], 4, c, h, w));
        assertEquals("images", e.field());
        assertTrue(e.getMessage().contains("0 values for 4 images of 1048576x2097152x2097152"), e.getMessage());
        assertEquals("images", assertThrows(InvalidRequestException.class, () -> Images.ofBytes(new byte[0], 4, c, h, w)).field());
    }

    /**
     * A label-free model looked at the labels of the images before anything checked them: null images were an
     * NPE of the JVM's own words ('Cannot invoke "dev.nvae.api.Images.hasLabels()" because "images" is null'),
     * where every other model names the argument.
     */
    @Test
    void aLabelFreeModelNamesNullImagesAsEveryModelDoes() {
        try (NvaeModel m = NvaeModel.open(TestModels.labelFree(dir), VECTOR)) {
            assertEquals("images", assertThrows(NullPointerException.class, () -> m.encode(null)).getMessage());
            assertEquals("images", assertThrows(NullPointerException.class, () -> m.score(null, 0, 0)).getMessage());
            assertEquals("images", assertThrows(NullPointerException.class, () -> m.reconstruct(null)).getMessage());
        }
    }

    /**
     * The importance weights of a batch of images are one array of images × iw doubles: an iw it cannot hold is refused
     * naming it, as evaluate --iw refuses it. It was an OutOfMemoryError ("Requested array size exceeds VM limit", or
     * the heap) or an ArithmeticException ("integer overflow") from inside the lane.
     */
    @Test
    void anImportanceSampleCountNoArrayOrHeapHoldsIsRefusedNamingIw() {
        try (NvaeModel m = NvaeModel.open(nvae, VECTOR)) {
            Images one = Images.ofFloats(new float[30], 1, 6, 5).withLabels(3), two = Images.ofFloats(new float[60], 2, 6, 5).withLabels(3, 4);
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> m.score(one, Integer.MAX_VALUE, 0));
            assertEquals("iw", e.field());
            assertTrue(e.getMessage().startsWith("iw: " + Integer.MAX_VALUE + " importance samples of 1 image are " + Integer.MAX_VALUE
                    + " weights"), e.getMessage());
            assertEquals("iw", assertThrows(InvalidRequestException.class, () -> m.score(two, 1 << 30, 0)).field());
            long heapWeights = Runtime.getRuntime().maxMemory() / Double.BYTES + 1;
            if (heapWeights < Integer.MAX_VALUE - 8) {
                e = assertThrows(InvalidRequestException.class, () -> m.score(one, (int) heapWeights, 0));
                assertTrue(e.getMessage().contains("heap"), e.getMessage());
            }
            assertTrue(Double.isFinite(m.score(two, 3, 0).iwaeNll()), "the model serves on");
        }
    }

    @Test
    void imagesOfTheWrongSizeOrKindAreRefusedNamingTheField() throws IOException {
        try (NvaeModel m = NvaeModel.open(nvae, VECTOR)) {
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> m.encode(Images.fromPng(png(5, 6))));
            assertEquals("images", e.field());
            assertEquals("images: images of 5x6 pixels; this model takes 6x5", e.getMessage());
            assertEquals(1, m.encode(Images.fromPng(png(6, 5))).count());
            // The model's own reading refuses a PNG of another size from its header, before decoding it: here one that
            // declares 60000x60000 pixels (and whose header checksum no longer holds, which decoding would find first).
            assertEquals("images: images of 5x6 pixels; this model takes 6x5", assertThrows(InvalidRequestException.class,
                    () -> m.fromPng(png(5, 6))).getMessage());
            assertEquals(1, m.encode(m.fromPng(png(6, 5))).count());
            byte[] huge = png(6, 5);
            java.nio.ByteBuffer.wrap(huge).putInt(16, 60000).putInt(20, 60000);
            assertEquals("images: images of 60000x60000 pixels; this model takes 6x5", assertThrows(InvalidRequestException.class,
                    () -> m.fromPng(huge)).getMessage());
            assertTrue(assertThrows(InvalidRequestException.class, () -> Images.fromPng(huge)).getMessage().contains("CRC"),
                    "decoded, the file is refused for what decoding finds first");
            // Flat rows of D values are images too (NPY (N, D), JSON arrays).
            assertEquals(2, m.encode(Images.ofFloats(new float[60], 2, 1, 30)).count());
            assertEquals("images", assertThrows(InvalidRequestException.class, () -> Images.fromPng(new byte[] {1, 2, 3})).field());
            assertEquals("images", assertThrows(InvalidRequestException.class, () -> Images.fromNpy(new byte[] {1, 2, 3})).field());
            assertEquals("images", assertThrows(InvalidRequestException.class, () -> Images.ofFloats(new float[] {2f}, 1, 1, 1)).field());
            assertEquals("labels", assertThrows(InvalidRequestException.class,
                    () -> m.encode(Images.ofFloats(new float[30], 1, 6, 5).withLabels(10))).field());
            InvalidRequestException count = assertThrows(InvalidRequestException.class, () -> m.encode(Images.ofFloats(new float[30], 1, 6, 5).withLabels(1, 2)));
            assertEquals("labels: 2 labels for 1 image", count.getMessage());
            NpyArray flat = Npy.parse(Path.of("x"), Npy.f32Bytes(new float[90], 3, 30));
            assertEquals(3, m.encode(Images.fromNpy(Npy.f32Bytes(flat.floats(), 3, 30))).count());
            // The count a server checks before decoding: from the header, and only for a shape fromNpy takes.
            assertEquals(3, Images.npyImageCount(Npy.f32Bytes(new float[90], 3, 30)));
            String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2000,), }";
            header += " ".repeat(63 - (10 + header.length()) % 64) + "\n";
            java.io.ByteArrayOutputStream oneAxis = new java.io.ByteArrayOutputStream();
            oneAxis.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), 0});
            oneAxis.writeBytes(header.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            oneAxis.writeBytes(new byte[2000 * 4]);
            InvalidRequestException oneAxisRefused = assertThrows(InvalidRequestException.class, () -> Images.npyImageCount(oneAxis.toByteArray()));
            assertTrue(oneAxisRefused.getMessage().startsWith("images: ") && oneAxisRefused.getMessage().contains("expected images of shape"), oneAxisRefused.getMessage());
            assertEquals(oneAxisRefused.getMessage(), assertThrows(InvalidRequestException.class, () -> Images.fromNpy(oneAxis.toByteArray())).getMessage());
            // The reader below words this for nvae's users ("under either --likelihood"), a flag an API caller never sets.
            float[] bright = new float[30];
            bright[29] = 1.5f;
            assertEquals("images: pixel value 1.5 at flat index 29 is outside [0, 1] (values are read as intensities in [0, 1] "
                            + "and stored to 8 bits: rescale other data into [0, 1])",
                    assertThrows(InvalidRequestException.class, () -> Images.fromNpy(Npy.f32Bytes(bright, 1, 30))).getMessage());
        }
    }

    @Test
    void baselinesSampleWithoutClassesAndCvaeNeedsLabels() {
        Path vae = TestModels.small(dir, "vae"), cvae = TestModels.small(dir, "cvae");
        try (NvaeModel m = NvaeModel.open(vae, VECTOR)) {
            assertFalse(m.info().conditional());
            assertEquals(4, m.sample(SampleRequest.of(0, 4)).length / 30);
            assertEquals("class", assertThrows(InvalidRequestException.class, () -> m.sample(SampleRequest.of(3, 4))).field());
            Encodings e = m.encode(Images.ofFloats(new float[30], 1, 6, 5));
            assertEquals(-1, e.predictedClass(0));
            assertEquals(0, e.probabilities(0).length);
            assertEquals(4, e.sharedMean(0).length);
            assertEquals(0, e.classMean(0).length);
            assertTrue(Double.isNaN(m.score(Images.ofFloats(new float[30], 1, 6, 5), 0, 0).accuracy()));
        }
        try (NvaeModel m = NvaeModel.open(cvae, VECTOR)) {
            assertEquals("labels", assertThrows(InvalidRequestException.class, () -> m.encode(Images.ofFloats(new float[30], 1, 6, 5))).field());
            assertEquals(1, m.encode(Images.ofFloats(new float[30], 1, 6, 5).withLabels(2)).count());
        }
    }

    @Test
    void aFileThatIsNotAModelOrABackendThatIsNotThereIsAModelException() throws IOException {
        Path junk = Files.writeString(dir.resolve("junk.safetensors"), "not a model");
        ModelException e = assertThrows(ModelException.class, () -> NvaeModel.open(junk));
        assertTrue(e.getMessage().startsWith(junk.toString()), e.getMessage());
        assertThrows(ModelException.class, () -> NvaeModel.open(dir.resolve("missing.safetensors")));
        // A checkpoint is told apart, in the commands' words: the API's renaming of flags once made them "train resume".
        Path checkpoint = dir.resolve("checkpoint-000000003.safetensors");
        dev.nvae.io.SafeTensors.writeArrays(checkpoint, List.of(new dev.nvae.io.NamedArray("w", new long[]{1},
                java.lang.foreign.MemorySegment.ofArray(new float[]{1f}))), Map.of("format", "nvae-checkpoint/1"));
        String said = assertThrows(ModelException.class, () -> NvaeModel.open(checkpoint)).getMessage();
        assertTrue(said.endsWith("a training checkpoint, which nvae train --resume reads from its directory; the model is the file "
                + "nvae train --out writes"), said);
    }

    /**
     * A model file whose JSON holds what JSON has not (NaN, as Python's json.dumps writes it; a leading +; a comment)
     * was refused with Jackson's advice to its programmer: "enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to
     * allow", "Feature 'ALLOW_COMMENTS' not enabled for parser".
     */
    @Test
    void aModelFileOfJsonNvaeDoesNotReadIsRefusedWithoutJacksonsAdvice() throws IOException {
        byte[] file = Files.readAllBytes(nvae);
        int length = (int) ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(file, 8, length, java.nio.charset.StandardCharsets.UTF_8);
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("\\\"betaC\\\":1.0", "\\\"betaC\\\":NaN");   // in the config, a JSON text inside the header
        cases.put("\"dtype\":\"F32\"", "\"dtype\":\"F32\" /* weights */");
        cases.put("[30,16]", "[+30,16]");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            assertTrue(header.contains(c.getKey()), c.getKey());
            byte[] edited = header.replace(c.getKey(), c.getValue()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            ByteBuffer b = ByteBuffer.allocate(8 + edited.length + file.length - 8 - length).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(edited.length).put(edited).put(file, 8 + length, file.length - 8 - length);
            Path damaged = Files.write(dir.resolve("damaged.safetensors"), b.array());
            String message = assertThrows(ModelException.class, () -> NvaeModel.open(damaged, VECTOR)).getMessage();
            assertFalse(message.contains("enable") || message.contains("Feature") || message.contains("`"), message);
        }
    }

    /**
     * At bf16 every lane computes on bf16 copies of its weights: samples move from the fp32 ones by rounding only,
     * and each lane gives the same bytes. A model with convolutions is refused when it opens.
     */
    @Test
    void bf16LanesSampleAlikeAndConvModelsAreRefused() {
        SampleRequest r = SampleRequest.of(4, 12).withSeed(3);
        float[] fp32;
        try (NvaeModel m = NvaeModel.open(nvae, VECTOR)) {
            fp32 = m.sample(r);
        }
        try (NvaeModel m = NvaeModel.open(nvae, VECTOR.withLanes(2).withThreads(1).withPrecision(Precision.BF16))) {
            assertEquals(Precision.BF16, m.info().precision());
            float[] bf16 = m.sample(r);
            double worst = 0;
            for (int i = 0; i < fp32.length; i++) worst = Math.max(worst, Math.abs(fp32[i] - bf16[i]));
            assertTrue(worst > 0 && worst < 0.05, "max |Δp| at bf16: " + worst);
            for (int call = 0; call < 4; call++) assertArrayEquals(bf16, m.sample(r), "every lane, the same bytes");
        }
        Path conv = dir.resolve("conv.safetensors");
        try (LatentModel c = LatentModel.create(ModelConfig.mlp(8, 8, 10, 2, 2, 1, 1).withArchitecture(ModelConfig.CONV, new int[]{16}, List.of(4, 8)))) {
            c.initialize(1);
            ModelFile.save(c, conv, TestModels.CLASSES, java.util.Map.of());
        }
        ModelException e = assertThrows(ModelException.class, () -> NvaeModel.open(conv, VECTOR.withPrecision(Precision.BF16)));
        assertTrue(e.getMessage().startsWith("Precision.BF16: ") && e.getMessage().contains("convolution"), e.getMessage());
    }

    /** close() lets the running call finish, then refuses new ones; calls never see a closed lane. */
    @Test
    void closeWaitsForTheRunningCallAndRefusesLaterOnes() throws Exception {
        NvaeModel m = NvaeModel.open(nvae, VECTOR.withLanes(1));
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        float[] result = new float[30 * 20000];
        Thread caller = Thread.ofPlatform().start(() -> {
            try {
                started.countDown();
                m.sample(SampleRequest.of(2, 20000), result, 0);
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        started.await();
        Thread.sleep(20);
        m.close();
        caller.join();
        // Either the call ran to completion before close() took its lane back, or it had not got a lane yet.
        if (failure.get() == null) {
            assertNotEquals(0f, result[result.length - 1]);
        } else {
            assertEquals(IllegalStateException.class, failure.get().getClass());
        }
        assertThrows(IllegalStateException.class, () -> m.sample(SampleRequest.of(0, 1)));
        // What the file alone answers still answers, as the class's documentation says.
        assertEquals(m.info().classNames().size() - 1, m.classIndex(m.info().classNames().getLast()));
        m.close();
    }

    private static float[] viaSampler(SampleRequest r) {
        try (LoadedModel ref = ModelFile.load(nvae); Backend be = new VectorBackend(2)) {
            int[] labels = new int[r.count()];
            Arrays.fill(labels, r.classIndex());
            float[][] rows = Sampler.sample(ref.model(), be, labels, r.sigma(), r.seed());
            float[] flat = new float[rows.length * 30];
            for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, flat, i * 30, 30);
            return flat;
        }
    }

    /** What a call interrupted until it ended threw (null: nothing), and whether its thread's flag was set after. */
    private record Interrupted(Throwable thrown, boolean flagSet) {
    }

    /**
     * Runs {@code call} on a thread of its own, interrupting it again and again until it ends: an interrupt that lands
     * before the API call has begun is the caller's own business and does not stop it.
     */
    private static Interrupted interruptedUntilDone(Runnable call) throws InterruptedException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean flag = new java.util.concurrent.atomic.AtomicBoolean();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                call.run();
            } catch (Throwable e) {
                thrown.set(e);
            }
            flag.set(Thread.currentThread().isInterrupted());
        });
        while (t.isAlive()) {
            t.interrupt();
            t.join(50);
        }
        return new Interrupted(thrown.get(), flag.get());
    }

    /** A 2-D uint8 NPY array, as numpy.save writes one. */
    private static byte[] npyU8(byte[] data, int rows, int cols) {
        String dict = "{'descr': '|u1', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
        int unpadded = 10 + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), (byte) (header.length() >> 8)});
        out.writeBytes(header.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.writeBytes(data);
        return out.toByteArray();
    }

    static Dataset randomImages(int n) {
        Rng rng = Rng.stream(8, 0);
        byte[] pixels = new byte[n * 30], labels = new byte[n];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (byte) (rng.nextDouble() * 256);
        for (int i = 0; i < n; i++) labels[i] = (byte) (i % 10);
        return new Dataset("random", pixels, labels, 6, 5, TestModels.CLASSES);
    }

    private static byte[] bytesOf(Dataset d) {
        byte[] out = new byte[d.count() * d.dim()];
        for (int i = 0; i < d.count(); i++) {
            float[] img = d.image(i);
            for (int j = 0; j < img.length; j++) out[i * d.dim() + j] = (byte) Math.round(img[j] * 255f);
        }
        return out;
    }

    private static int[] labelsOf(Dataset d) {
        int[] out = new int[d.count()];
        for (int i = 0; i < out.length; i++) out[i] = d.label(i);
        return out;
    }

    static byte[] png(int height, int width) throws IOException {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }
}
