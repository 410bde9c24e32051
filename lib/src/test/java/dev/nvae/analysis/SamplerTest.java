package dev.nvae.analysis;

import dev.nvae.backend.Backend;
import dev.nvae.backend.Backends;
import dev.nvae.backend.VectorBackend;
import dev.nvae.ffm.DnnlLibrary;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.LatentModel;
import dev.nvae.model.Workspace;
import dev.nvae.random.Rng;
import dev.nvae.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SamplerTest {
    private static final ModelConfig CONFIG = new ModelConfig(ModelConfig.NVAE, ModelConfig.MLP, 3, 5, 4, 9, 7, 3, 2, 1, 1);

    /** The decode-only workspace gives the very floats the full training workspace gives. */
    @Test
    void decodingWithTheDecodeOnlyWorkspaceEqualsTheFullOne() {
        int n = 37;
        Rng rng = Rng.stream(3, 1, 0);
        float[][] latents = new float[n][CONFIG.latentDim()];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % CONFIG.numClasses();
            for (int j = 0; j < latents[i].length; j++) latents[i][j] = (float) rng.nextGaussian();
        }
        try (LatentModel model = LatentModel.create(CONFIG); Backend be = new VectorBackend(2)) {
            model.initialize(5);
            float[][] got = Sampler.decode(model, be, latents, labels);
            try (Workspace ws = model.workspace(n); Arena arena = Arena.ofConfined()) {
                Tensor latent = Tensor.allocate(arena, "latent", n, CONFIG.latentDim());
                Tensor mean = Tensor.allocate(arena, "mean", n, CONFIG.inputDim());
                for (int i = 0; i < n; i++) for (int j = 0; j < latents[i].length; j++) latent.set(i, j, latents[i][j]);
                System.arraycopy(labels, 0, ws.labels, 0, n);
                model.latentsToDecoderInput(ws, latent, n);
                model.decode(be, ws, n);
                model.likelihood().mean(be, ws.logitsX, mean, n);
                for (int i = 0; i < n; i++) {
                    float[] want = new float[CONFIG.inputDim()];
                    for (int j = 0; j < want.length; j++) want[j] = mean.get(i, j);
                    assertArrayEquals(want, got[i], "row " + i);
                }
            }
        }
    }

    /**
     * Each pass over batches stops for an interrupt at its first batch (a server cuts off a request past its deadline this
     * way), leaving the flag set; cleared, the same calls compute.
     */
    @Test
    void everyPassStopsForAnInterruptBeforeItsFirstBatch() {
        int n = 12;
        byte[] pixels = new byte[n * CONFIG.inputDim()], labels = new byte[n];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (byte) (i * 37);
        for (int i = 0; i < n; i++) labels[i] = (byte) (i % CONFIG.numClasses());
        dev.nvae.data.Dataset data = new dev.nvae.data.Dataset("tiny", pixels, labels, CONFIG.height(), CONFIG.width(), List.of("a", "b", "c", "d"));
        int[] classes = {0, 1, 2, 3};
        float[][] latents = new float[4][CONFIG.latentDim()];
        try (LatentModel model = LatentModel.create(CONFIG); Backend be = new VectorBackend(2)) {
            model.initialize(5);
            List<Runnable> passes = List.of(
                    () -> Sampler.sample(model, be, classes, 1.0, 3),
                    () -> Sampler.decode(model, be, latents, classes),
                    () -> Sampler.reconstruct(model, be, data, n),
                    () -> Sampler.encode(model, be, data),
                    () -> Sampler.posteriorMeans(model, be, data),
                    () -> Evaluator.evaluate(model, be, data, 5, 3, 0, 0),
                    () -> Evaluator.evaluate(model, be, data, 5, 3, 2, 0));
            for (int p = 0; p < passes.size(); p++) {
                Thread.currentThread().interrupt();
                try {
                    assertThrows(java.util.concurrent.CancellationException.class, passes.get(p)::run, "pass " + p);
                    assertTrue(Thread.currentThread().isInterrupted(), "pass " + p + " leaves the flag set");
                } finally {
                    Thread.interrupted();
                }
                passes.get(p).run();
            }
            // Between importance samples too: one example, one batch, interrupted inside it.
            try (Workspace ws = model.workspace(1); Iwae iwae = new Iwae(model, 1, 3)) {
                data.fillBatch(new int[]{0}, 0, 1, ws.x.segment(), ws.labels);
                model.encode(be, ws, 1);
                Thread.currentThread().interrupt();
                try {
                    assertThrows(java.util.concurrent.CancellationException.class, () -> iwae.sum(be, ws, 1, 3, new long[]{0}));
                } finally {
                    Thread.interrupted();
                }
                assertTrue(Double.isFinite(iwae.sum(be, ws, 1, 3, new long[]{0})));
            }
        }
    }

    /** Streamed batches arrive in order, tile the samples exactly, and hold what the collected form holds. */
    @Test
    void streamedBatchesTileTheSamplesInOrder() {
        int[] labels = new int[2500];
        for (int i = 0; i < labels.length; i++) labels[i] = i % CONFIG.numClasses();
        try (LatentModel model = LatentModel.create(CONFIG); Backend be = new VectorBackend(1)) {
            model.initialize(2);
            float[][] collected = Sampler.sample(model, be, labels, 1.3, 11);
            List<int[]> spans = new ArrayList<>();
            Sampler.sample(model, be, labels, new double[]{1.3}, 11, (scale, from, count, means) -> {
                spans.add(new int[]{scale, from, count});
                for (int i = 0; i < count; i++) {
                    float[] row = new float[CONFIG.inputDim()];
                    for (int j = 0; j < row.length; j++) row[j] = means.get(i, j);
                    assertArrayEquals(collected[from + i], row, "sample " + (from + i));
                }
            });
            assertEquals(3, spans.size());
            assertArrayEquals(new int[]{0, 0, 1000}, spans.get(0));
            assertArrayEquals(new int[]{0, 1000, 1000}, spans.get(1));
            assertArrayEquals(new int[]{0, 2000, 500}, spans.get(2));
        }
    }

    /**
     * Sample i's noise is ε_i = {@link Sampler#noise}(seed, i), the same at every prior scale: each scale's
     * output is the decode of σ·ε_i, computed here independently of the sampler's batching.
     */
    @Test
    void sampleIDecodesSigmaTimesTheNoiseOfSeedAndI() {
        int n = 1203;
        long seed = 19;
        double[] sigmas = {1.0, 1.4, 2.0};
        int[] labels = SampleLabels.everyClass(401, 3).labels(0, n);
        try (LatentModel model = LatentModel.create(CONFIG); Backend be = new VectorBackend(2)) {
            model.initialize(4);
            float[][][] got = Sampler.sample(model, be, labels, sigmas, seed);
            double[] eps = new double[CONFIG.latentDim()];
            for (int s = 0; s < sigmas.length; s++) {
                float[][] latents = new float[n][CONFIG.latentDim()];
                for (int i = 0; i < n; i++) {
                    Sampler.noise(seed, i, eps, 0, eps.length);
                    for (int j = 0; j < eps.length; j++) latents[i][j] = (float) (sigmas[s] * eps[j]);
                }
                float[][] want = Sampler.decode(model, be, latents, labels);
                for (int i = 0; i < n; i++) assertArrayEquals(want[i], got[s][i], "sigma " + sigmas[s] + ", sample " + i);
            }
        }
    }

    /**
     * Any range of sample indices drawn on its own — cut at odd places, across batch ends, one sample,
     * seven Spark-like partitions — holds exactly the floats the whole run holds at those indices.
     */
    @Test
    void aRangeOfIndicesDrawnAloneEqualsThoseSamplesOfTheWholeRun() {
        SampleLabels schedule = SampleLabels.everyClass(900, 3);
        int n = (int) schedule.count();
        List<int[]> ranges = new ArrayList<>(List.of(new int[]{137, 1290}, new int[]{1999, 2001}, new int[]{n - 1, n},
                new int[]{0, 1}, new int[]{1000, 2000}));
        for (int p = 0; p < 7; p++) ranges.add(new int[]{n * p / 7, n * (p + 1) / 7});
        for (int threads : new int[]{1, 2}) {
            try (LatentModel model = LatentModel.create(CONFIG); Backend be = new VectorBackend(threads)) {
                model.initialize(8);
                float[][] whole = Sampler.sample(model, be, schedule.labels(0, n), 1.2, 23);
                for (int[] r : ranges) {
                    int[] labels = schedule.labels(r[0], r[1] - r[0]);
                    Sampler.sample(model, be, labels, r[0], new double[]{1.2}, 23, (scale, from, count, means) -> {
                        for (int i = 0; i < count; i++) {
                            float[] row = new float[CONFIG.inputDim()];
                            for (int j = 0; j < row.length; j++) row[j] = means.get(i, j);
                            assertArrayEquals(whole[r[0] + from + i], row, "sample " + (r[0] + from + i) + " of range " + r[0] + ".." + r[1]);
                        }
                    });
                }
            }
        }
    }

    /** Batches end at multiples of 1000 in index space, wherever the range starts. */
    @Test
    void batchesEndAtMultiplesOfAThousandInIndexSpace() {
        try (LatentModel model = LatentModel.create(CONFIG); Backend be = new VectorBackend(1)) {
            model.initialize(2);
            List<int[]> spans = new ArrayList<>();
            Sampler.sample(model, be, new int[2400], 1700, new double[]{1}, 0, (scale, from, count, means) -> spans.add(new int[]{from, count}));
            assertEquals(List.of(List.of(0, 300), List.of(300, 1000), List.of(1300, 1000), List.of(2300, 100)),
                    spans.stream().map(a -> List.of(a[0], a[1])).toList());
        }
    }

    /** On oneDNN too, a range that starts at a multiple of 1000 (batch by batch as the whole run) is exact. */
    @Test
    void onOneDnnARangeStartingAtABatchEndEqualsTheWholeRun() {
        assumeTrue(DnnlLibrary.isAvailable(), () -> "oneDNN unavailable: " + DnnlLibrary.unavailableReason());
        SampleLabels schedule = SampleLabels.everyClass(900, 3);
        int n = (int) schedule.count();
        try (LatentModel model = LatentModel.create(CONFIG); Backend be = Backends.create("onednn", 2)) {
            model.initialize(8);
            float[][] whole = Sampler.sample(model, be, schedule.labels(0, n), 1.0, 5);
            for (int[] r : new int[][]{{1000, 2000}, {2000, n}, {1000, n}}) {
                float[][] part = new float[r[1] - r[0]][];
                Sampler.sample(model, be, schedule.labels(r[0], part.length), r[0], new double[]{1.0}, 5, (scale, from, count, means) -> {
                    for (int i = 0; i < count; i++) {
                        part[from + i] = new float[CONFIG.inputDim()];
                        for (int j = 0; j < CONFIG.inputDim(); j++) part[from + i][j] = means.get(i, j);
                    }
                });
                for (int i = 0; i < part.length; i++) assertArrayEquals(whole[r[0] + i], part[i], "sample " + (r[0] + i));
            }
        }
    }

    /** The pull form gives the floats of the push form, scale by scale, batch by batch. */
    @Test
    void priorSamplerPulledBatchByBatchEqualsTheWholeRun() {
        SampleLabels schedule = SampleLabels.everyClass(700, 3);
        int n = (int) schedule.count();
        try (LatentModel model = LatentModel.create(CONFIG); Backend be = new VectorBackend(2); PriorSampler sampler = new PriorSampler(model, 1000)) {
            model.initialize(8);
            float[][][] whole = Sampler.sample(model, be, schedule.labels(0, n), new double[]{1.0, 1.5}, 3);
            for (long from = 450; from < n; ) {
                int count = PriorSampler.batchSize(from, n - from);
                sampler.draw(3, from, schedule.labels(from, count), 0, count);
                for (int s = 0; s < 2; s++) {
                    Tensor means = sampler.decode(be, s == 0 ? 1.0 : 1.5);
                    for (int i = 0; i < count; i++) {
                        float[] row = new float[CONFIG.inputDim()];
                        for (int j = 0; j < row.length; j++) row[j] = means.get(i, j);
                        assertArrayEquals(whole[s][(int) from + i], row, "sample " + (from + i));
                    }
                }
                from += count;
            }
            assertEquals(600, PriorSampler.batchSize(2400, 5000));
            assertEquals(7, PriorSampler.batchSize(2400, 7));
        }
    }
}
