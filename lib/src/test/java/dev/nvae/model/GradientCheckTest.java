package dev.nvae.model;

import dev.nvae.backend.Backend;
import dev.nvae.backend.CudaTestSupport;
import dev.nvae.backend.VectorBackend;
import dev.nvae.random.Rng;
import dev.nvae.tensor.FlatParameters;
import dev.nvae.tensor.Tensor;
import dev.nvae.model.Trainable;
import dev.nvae.train.Trainer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every parameter's analytic gradient against a central finite difference of the loss, on tiny models
 * with ragged sizes and non-default loss weights: the N-VAE, each baseline, and the Gaussian likelihood.
 * Float32 forward passes limit the difference quotient's accuracy, so the tolerance is relative with an
 * absolute floor; a wrong term is off by far more.
 */
class GradientCheckTest {
    @Test
    void everyParameterMatchesFiniteDifferences() {
        ModelConfig c = new ModelConfig(ModelConfig.NVAE, ModelConfig.MLP, 1, 7, 3, 6, 5, 2, 3, 1.7, 0.6);
        try (LatentModel m = LatentModel.create(c)) {
            m.initialize(3);
            check(m, "nvae", 2); // the reference check keeps two threads: the split kernels are part of what it checks
        }
    }

    static Stream<ModelConfig> otherModels() {
        return Stream.of(
                new ModelConfig(ModelConfig.NVAE, ModelConfig.MLP, 1, 7, 3, 6, 5, 2, 3, 1.7, 0.6, 1,
                        ModelConfig.GAUSSIAN, 0.7, ModelConfig.BINARIZE_NONE),
                ModelConfig.baseline(ModelConfig.VAE, 1, 7, 3, 6, 5, 3, 1),
                ModelConfig.baseline(ModelConfig.BETA_VAE, 1, 7, 3, 6, 5, 3, 2.5),
                ModelConfig.baseline(ModelConfig.CVAE, 1, 7, 3, 6, 5, 3, 1),
                ModelConfig.baseline(ModelConfig.CVAE, 1, 7, 3, 6, 5, 2, 1).withLikelihood(ModelConfig.GAUSSIAN, 0.6, ModelConfig.BINARIZE_NONE));
    }

    @ParameterizedTest
    @MethodSource("otherModels")
    void baselinesAndLikelihoodsMatchFiniteDifferences(ModelConfig c) {
        check(c);
    }

    /** The conv network under every family: 2-channel 8×12 images, convolutions of 2 and 3 channels, dense 5. */
    static Stream<ModelConfig> convModels() {
        ModelConfig nvae = new ModelConfig(ModelConfig.NVAE, ModelConfig.MLP, 8, 12, 3, 6, 5, 2, 2, 1.7, 0.6)
                .withChannels(2).withArchitecture(ModelConfig.CONV, new int[]{5}, java.util.List.of(2, 3));
        return Stream.of(nvae,
                ModelConfig.baseline(ModelConfig.VAE, 8, 12, 3, 6, 5, 3, 1).withChannels(2)
                        .withArchitecture(ModelConfig.CONV, new int[]{5}, java.util.List.of(2, 3)),
                ModelConfig.baseline(ModelConfig.BETA_VAE, 8, 12, 3, 6, 5, 3, 2.5).withChannels(2)
                        .withArchitecture(ModelConfig.CONV, new int[]{5}, java.util.List.of(2, 3)),
                ModelConfig.baseline(ModelConfig.CVAE, 8, 12, 3, 6, 5, 3, 1).withChannels(2)
                        .withArchitecture(ModelConfig.CONV, new int[]{5}, java.util.List.of(2, 3)));
    }

    @ParameterizedTest
    @MethodSource("convModels")
    void convModelsOfEveryFamilyMatchFiniteDifferences(ModelConfig c) {
        try (LatentModel m = LatentModel.create(c)) {
            m.initialize(3);
            // One example: a conv net has many more ReLUs per example, and each one that switches inside ±h
            // makes its entries' difference quotients meaningless (they are skipped, and must stay few). Sums
            // over a batch are checked by ConvGoldenTest (4 examples) and the kernel tests.
            check(m, "conv " + c.model(), 1, 1);
        }
    }

    /** The classifier augment trains: softmax cross-entropy through three layers. */
    @Test
    void classifierMatchesFiniteDifferences() {
        try (Classifier m = new Classifier(7, 3, 6, 5)) {
            m.initialize(3);
            check(m, "classifier", 1);
        }
    }

    /**
     * One thread: with matrices this small a worker hand-off costs more than the work, and on a busy
     * machine the thousands of passes a check makes would take minutes.
     */
    private static void check(ModelConfig c) {
        try (LatentModel m = LatentModel.create(c)) {
            m.initialize(3);
            check(m, c.model() + "/" + c.likelihood(), 1);
        }
    }

    private static void check(Trainable m, String name, int threads) {
        check(m, name, threads, 5);
    }

    private static void check(Trainable m, String name, int threads, int b) {
        int[] labels = new int[b];
        for (int i = 0; i < labels.length; i++) labels[i] = i % m.numClasses();
        check(m, name, threads, labels);
    }

    /**
     * Checks the batch of {@code labels.length} random examples with these labels; −1 marks an unlabelled
     * example, which the N-VAE decodes once per class (docs/MODEL.md#6-unlabelled-examples).
     */
    static void check(Trainable m, String name, int threads, int[] labels) {
        check(m, name, () -> new VectorBackend(threads), labels);
    }

    /** The N-VAE on mlp and conv networks, gradients from the cuda backend (its CPU stub in mvn test). */
    @Test
    @Tag("cuda")
    void cudaGradientsMatchFiniteDifferences() {
        ModelConfig c = new ModelConfig(ModelConfig.NVAE, ModelConfig.MLP, 1, 7, 3, 6, 5, 2, 3, 1.7, 0.6);
        try (LatentModel m = LatentModel.create(c)) {
            m.initialize(3);
            check(m, "nvae on cuda", () -> CudaTestSupport.open(1), new int[]{0, 1, 2, 0, 1});
        }
        // Unlabelled examples, each decoded once per class, with the bound's KL(q(y|x) ‖ p(y)) and balance terms.
        try (LatentModel m = LatentModel.create(c.withUnlabelledTerms(-0.5, 2))) {
            m.initialize(3);
            check(m, "nvae unlabelled on cuda", () -> CudaTestSupport.open(1), new int[]{0, -1, 2, -1});
        }
        try (LatentModel m = LatentModel.create(convModels().findFirst().orElseThrow())) {
            m.initialize(3);
            check(m, "conv nvae on cuda", () -> CudaTestSupport.open(1), new int[]{1});
        }
    }

    static void check(Trainable m, String name, java.util.function.Supplier<Backend> backend, int[] labels) {
        int b = labels.length;
        boolean unlabelled = java.util.Arrays.stream(labels).anyMatch(y -> y < 0);
        try (Backend be = backend.get(); Workspace ws = m.workspace(b, unlabelled)) {
            Rng rng = new Rng(11);
            for (long i = 0; i < ws.x.size(); i++) ws.x.setFlat(i, (float) rng.nextDouble());
            System.arraycopy(labels, 0, ws.labels, 0, b);
            ws.drawNoise(b, rng);

            // NaN everywhere first: the backward pass must write every gradient (nothing zeroes them per step).
            m.grads().flat().fill((byte) 0xFF);
            m.forwardBackward(be, ws, b, new BatchLoss());
            long pattern = reluPattern(m, be, ws, b);
            double h = 1e-2;
            int checked = 0, failures = 0, kinks = 0;
            StringBuilder report = new StringBuilder();
            for (FlatParameters.Layout.Entry e : m.params().layout().entries()) {
                Tensor p = m.params().get(e.name()), g = m.grads().get(e.name());
                for (long i = 0; i < p.size(); i++) {
                    float old = p.getFlat(i);
                    p.setFlat(i, (float) (old + h));
                    double up = loss(m, be, ws, b);
                    boolean smooth = reluPattern(m, be, ws, b) == pattern;
                    p.setFlat(i, (float) (old - h));
                    double down = loss(m, be, ws, b);
                    smooth &= reluPattern(m, be, ws, b) == pattern;
                    p.setFlat(i, old);
                    if (!smooth) { // a ReLU switched inside ±h: the difference quotient is not a derivative
                        kinks++;
                        continue;
                    }
                    double numeric = (up - down) / (2 * h);
                    double analytic = g.getFlat(i);
                    checked++;
                    if (!(Math.abs(numeric - analytic) <= 2e-3 + 2e-2 * Math.abs(numeric))) { // NaN (never written) fails too
                        failures++;
                        if (failures < 10) report.append(String.format("%s[%d] analytic %.6g numeric %.6g%n", e.name(), i, analytic, numeric));
                    }
                }
            }
            assertTrue(kinks < checked / 10, kinks + " of " + checked + " entries crossed a ReLU kink: test point is degenerate");
            assertTrue(failures == 0, name + ": " + failures + " of " + checked + " gradients off:\n" + report);
        }
    }

    /**
     * A hash of which ReLUs are on: equal patterns mean the loss is smooth between two points. Every row of
     * every activation: a decoder may hold more rows than the batch has examples (class passes).
     */
    /**
     * Which ReLUs are on in the last pass. A backend with its own memory (cuda) keeps a training step's
     * activations there, so for a latent model the forward pass is run again through its host-visible
     * pieces (same weights, noise and labels: the same activations).
     */
    private static long reluPattern(Trainable m, Backend be, Workspace ws, int b) {
        if (be.latentKernels() != null && m instanceof LatentModel lm) lm.decode(be, ws, forward(lm, be, ws, b));
        long hash = 1;
        for (Tensor t : ws.hiddenActivations()) {
            for (long i = 0; i < t.size(); i++) hash = hash * 31 + (t.getFlat(i) > 0 ? 1 : 0);
        }
        return hash;
    }

    private static int forward(LatentModel m, Backend be, Workspace ws, int b) {
        m.encode(be, ws, b);
        return m.posteriorToDecoderInput(ws, b);
    }

    private static double loss(Trainable m, Backend be, Workspace ws, int b) {
        BatchLoss l = new BatchLoss();
        // forwardBackward also writes gradients; only the loss matters here, so use a scratch copy.
        FlatParameters grads = m.grads();
        java.lang.foreign.MemorySegment saved = java.lang.foreign.Arena.ofAuto().allocate(grads.flat().byteSize());
        saved.copyFrom(grads.flat());
        m.forwardBackward(be, ws, b, l);
        grads.flat().copyFrom(saved);
        return l.meanTotal();
    }
}
