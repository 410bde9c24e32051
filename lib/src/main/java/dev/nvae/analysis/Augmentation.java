package dev.nvae.analysis;

import dev.nvae.NvaeException;
import dev.nvae.backend.Backend;
import dev.nvae.backend.Precision;
import dev.nvae.data.Dataset;
import dev.nvae.model.Classifier;
import dev.nvae.model.LatentModel;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.Workspace;
import dev.nvae.random.Rng;
import dev.nvae.train.TrainOptions;
import dev.nvae.train.Trainer;
import dev.nvae.train.TrainingListener;

/**
 * Training a classifier on artificial data (docs/MODEL.md#4, use 4; the paper's 40% and 100% experiments):
 * the training set keeps its size and its labels, but a fraction r of its examples — chosen by a seeded
 * permutation — is replaced by samples the generator draws for the same labels. A {@link Classifier} is
 * trained on that mix by the shared {@link Trainer} and tested on real test data. Same seed, same real
 * subset and same classifier initialisation whatever the generator, so r = 0 is a common baseline and
 * two generators are compared on equal terms.
 */
public final class Augmentation {
    private Augmentation() {
    }

    /** How the classifier is built and trained. */
    public record ClassifierOptions(int hidden1, int hidden2, TrainOptions training) {
    }

    /**
     * @param generated        how many training examples were generated (r·N, rounded)
     * @param perClassAccuracy accuracy over the real test examples of each class (NaN for a class with none)
     */
    public record Result(double fraction, int trainExamples, int generated, double accuracy, double[] perClassAccuracy,
                         long[] testPerClass) {
    }

    /** Refuses a model that cannot generate examples of the data's classes: an unconditional VAE, a label-free N-VAE. */
    public static void requireGenerator(ModelConfig c) {
        if (!c.isConditional()) throw new NvaeException("--model: a " + c.model() + " cannot generate labelled examples; use an nvae or a cvae");
        if (c.labelFree()) {
            throw new NvaeException("--model: a label-free nvae generates clusters, not the data's classes, so its samples "
                    + "cannot stand in for labelled examples; use a model trained with labels (all or some)");
        }
    }

    /** The training set with round(r·N) examples replaced by generated ones of the same class. */
    public static Dataset mix(LatentModel generator, Backend be, Dataset train, double fraction, double sigma, long seed) {
        if (!(fraction >= 0 && fraction <= 1)) throw new NvaeException("--fractions: " + fraction + " is not in [0, 1]");
        requireGenerator(generator.config());
        // Data of the generator's first classes is data it makes: label k is its class k (callers check the names).
        if (train.numClasses() > generator.config().numClasses() || train.dim() != generator.config().inputDim()) {
            // Channels too: a colour generator's images and grey ones of its size differ in channels alone.
            ModelConfig g = generator.config();
            throw new NvaeException("--data " + train.name() + ": " + train.numClasses() + " classes of " + train.channels() + "x"
                    + train.height() + "x" + train.width() + " images, but the generator makes " + g.numClasses() + " classes of "
                    + g.channels() + "x" + g.height() + "x" + g.width());
        }
        int n = train.count(), d = train.dim();
        int generated = (int) Math.round(fraction * n);
        int[] order = new int[n];
        Rng.stream(seed, 0xA06).permutation(order);
        // The first n − generated of the permutation stay real; the rest become samples of their class.
        int[] labels = new int[generated];
        for (int i = 0; i < generated; i++) labels[i] = train.label(order[n - generated + i]);
        float[][] samples = generated == 0 ? new float[0][] : Sampler.sample(generator, be, labels, sigma, seed);
        byte[] images = new byte[Math.multiplyExact(n, d)];
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            int src = order[i];
            float[] x = i < n - generated ? train.image(src) : samples[i - (n - generated)];
            for (int j = 0; j < d; j++) images[i * d + j] = (byte) Math.round(Math.clamp(x[j], 0f, 1f) * 255f);
            out[i] = (byte) train.label(src);
        }
        return new Dataset(train.name() + "+generated", images, out, train.channels(), train.height(), train.width(),
                train.classNames());
    }

    /**
     * Mixes, trains a classifier on the mix, and tests it on {@code test}. The generator draws on {@code generatorBe},
     * at its precision; the classifier is trained and tested on {@code classifierBe}, in fp32. The classifier is the
     * measuring instrument, as quality's judge is: at r = 0 it must give the same accuracy whatever the generator and
     * the precision it draws at (and bf16 training would need oneDNN on a CPU with bf16 instructions).
     */
    public static Result run(LatentModel generator, Backend generatorBe, Backend classifierBe, Dataset train, Dataset test,
                             double fraction, double sigma, ClassifierOptions options, TrainingListener listener) {
        if (classifierBe.precision() != Precision.FP32) {
            throw new IllegalArgumentException("the classifier computes in fp32, not on a " + classifierBe.precision().label() + " backend");
        }
        // The classifier learns and is scored on labels: an example without one is the caller's to leave out (the CLI does).
        requireLabelled(train);
        requireLabelled(test);
        long seed = options.training().seed();
        Dataset mixed = fraction == 0 ? train : mix(generator, generatorBe, train, fraction, sigma, seed);
        try (Classifier classifier = new Classifier(train.dim(), train.numClasses(), options.hidden1(), options.hidden2())) {
            classifier.initialize(seed);
            new Trainer(classifier, classifierBe, mixed, options.training(), listener).run();
            return test(classifier, classifierBe, test, fraction, train.count(), (int) Math.round(fraction * train.count()));
        }
    }

    private static void requireLabelled(Dataset set) {
        if (!set.fullyLabelled()) {
            throw new IllegalArgumentException(set.name() + ": " + (set.count() - set.labelledCount()) + " of " + set.count()
                    + " examples have no label; a classifier learns and is scored on labelled ones only");
        }
    }

    private static Result test(Classifier classifier, Backend be, Dataset test, double fraction, int trainExamples, int generated) {
        int n = test.count(), k = test.numClasses();
        int cap = Math.max(1, Math.min(500, n));
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        long[] correct = new long[k], total = new long[k];
        try (Workspace ws = classifier.workspace(cap)) {
            for (int from = 0; from < n; from += cap) {
                int count = Math.min(cap, n - from);
                test.fillBatch(order, from, count, ws.x.segment(), ws.labels);
                classifier.predict(be, ws, count);
                for (int i = 0; i < count; i++) {
                    total[ws.labels[i]]++;
                    if (ws.predicted[i] == ws.labels[i]) correct[ws.labels[i]]++;
                }
            }
        }
        double[] perClass = new double[k];
        long right = 0;
        for (int c = 0; c < k; c++) {
            perClass[c] = total[c] == 0 ? Double.NaN : (double) correct[c] / total[c];
            right += correct[c];
        }
        return new Result(fraction, trainExamples, generated, (double) right / Math.max(1, n), perClass, total);
    }
}
