package dev.nvae.analysis;

import dev.nvae.NvaeException;
import dev.nvae.analysis.metrics.FrechetDistance;
import dev.nvae.backend.Backend;
import dev.nvae.data.Dataset;
import dev.nvae.model.LatentModel;
import dev.nvae.model.ModelConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * How good a model's ancestral samples are, in the eyes of a {@link SampleJudge} trained on the real data:
 * <ul>
 *   <li><b>FD</b>: the Fréchet distance between the judge's penultimate-layer features of the real test
 *       images and of as many samples. It has FID's formula but not FID's network (Inception v3 on
 *       ImageNet), so its values are not comparable with published FIDs — only with each other, under the
 *       same judge. {@code fdReal} (a real training subset of the same size against the test split) is the
 *       floor a perfect generator would reach.</li>
 *   <li><b>class agreement</b> (models that sample a given class: N-VAE, CVAE): the fraction of samples the
 *       judge assigns to the class they were drawn for, overall and per class; the judge's own test
 *       accuracy is its ceiling.</li>
 *   <li>the share of samples the judge assigns to each class (every model): for an unconditional model,
 *       whether sampling covers every class.</li>
 * </ul>
 * Measured at each prior scale σ (z ~ N(0, σ²I): the paper shows σ = 1 and 1.4), with the same noise at
 * every scale.
 */
public final class SampleQuality {
    private SampleQuality() {
    }

    /**
     * @param fd                 Fréchet distance of the samples' features to the real test images'
     * @param agreement          of labelled samples with their class; NaN for a model that cannot be given one
     * @param perClassAgreement  (K) per class drawn for; empty when agreement is NaN
     * @param predictedShare     (K) share of the samples the judge puts in each class
     */
    public record AtSigma(double sigma, int samples, double fd, double agreement, double[] perClassAgreement,
                          double[] predictedShare) {
    }

    /**
     * @param judgeAccuracy the judge's accuracy on the real test split (measured now, on {@code test})
     * @param fdReal        FD of {@code realImages} real training images to the test split: what a perfect generator scores
     *                      (NaN with fewer than 2)
     * @param realImages    the training images fdReal is measured on: as many as the samples at each σ, or the whole
     *                      training split where it has fewer (FD depends on the set's size, so the floor is no longer
     *                      "the same size")
     * @param classNames    the judge's classes: the data's
     * @param conditional   whether samples were drawn for the data's classes, and so scored by class agreement
     * @param clusters      a label-free model's clusters, which its samples were drawn for ({@code perClass} of
     *                      each; not scored by agreement); empty for any other model
     */
    public record Report(int perClass, List<String> classNames, double judgeAccuracy, double[] judgePerClass, double fdReal,
                         int realImages, boolean conditional, List<String> clusters, List<AtSigma> results) {
        public boolean labelFree() {
            return !clusters.isEmpty();
        }
    }

    /**
     * How many groups of n samples are drawn at each σ: one per cluster of a label-free model, else one per
     * class of the judge's (an unconditional model's too, so the sets are the same size).
     */
    public static int groups(ModelConfig c, int judgeClasses) {
        return c.labelFree() ? c.numClasses() : judgeClasses;
    }

    /**
     * @param perClass samples per class (per cluster of a label-free model; n·K samples for an unconditional
     *                 model too, so the sets are the same size)
     * @param train    the real training split, whose first n·K images give {@link Report#fdReal}
     */
    public static Report measure(LatentModel model, Backend be, SampleJudge judge, Dataset train, Dataset test, int perClass,
                                 double[] sigmas, long seed) {
        return measure(model, be, judge, be, train, test, perClass, sigmas, seed);
    }

    /**
     * As {@link #measure(LatentModel, Backend, SampleJudge, Dataset, Dataset, int, double[], long)}, the model's
     * samples drawn on {@code be} and the judge run on {@code judgeBe}: the judge is the measuring instrument,
     * kept at fp32 whatever precision the model is sampled at, so that figures of one model at two precisions
     * differ by the samples alone.
     */
    public static Report measure(LatentModel model, Backend be, SampleJudge judge, Backend judgeBe, Dataset train, Dataset test,
                                 int perClass, double[] sigmas, long seed) {
        ModelConfig c = model.config();
        int k = judge.info().classNames().size();
        if (perClass < 1) throw new NvaeException("--n " + perClass + " must be at least 1");
        // The real images are judged against their classes: an example without a label is the caller's to leave out.
        if (!test.fullyLabelled()) {
            throw new IllegalArgumentException(test.name() + ": " + (test.count() - test.labelledCount()) + " of " + test.count()
                    + " test examples have no label; the judge's accuracy on them needs one");
        }
        if (c.inputDim() != test.dim() || test.dim() != judge.info().channels() * judge.info().height() * judge.info().width()) {
            throw new NvaeException("the model makes " + c.channels() + "x" + c.height() + "x" + c.width() + " images, the judge reads "
                    + judge.info().channels() + "x" + judge.info().height() + "x" + judge.info().width() + ", the test data has "
                    + test.channels() + "x" + test.height() + "x" + test.width());
        }
        // A label-free model's clusters need not number the data's classes: its samples are not scored class by class.
        boolean agreement = c.isConditional() && !c.labelFree();
        if (agreement && c.numClasses() != k) {
            throw new NvaeException("the model has " + c.numClasses() + " classes, the judge " + k);
        }
        int groups = groups(c, k);
        int total = Math.multiplyExact(perClass, groups);
        SampleJudge.Judged real = judge.judge(judgeBe, test);
        FrechetDistance.Moments realMoments = FrechetDistance.moments(real.features());
        double[] judgePerClass = new double[k];
        int[] testCount = new int[k];
        long right = 0;
        for (int i = 0; i < test.count(); i++) {
            int y = test.label(i);
            testCount[y]++;
            if (real.predicted()[i] == y) {
                judgePerClass[y]++;
                right++;
            }
        }
        for (int y = 0; y < k; y++) judgePerClass[y] = testCount[y] == 0 ? Double.NaN : judgePerClass[y] / testCount[y];
        Dataset reference = train.first(Math.min(total, train.count()));
        double fdReal = reference.count() >= 2 ? FrechetDistance.between(FrechetDistance.moments(judge.judge(judgeBe, reference).features()), realMoments)
                : Double.NaN;

        SampleLabels labelling = c.isConditional() ? SampleLabels.everyClass(perClass, groups) : SampleLabels.unlabelled(total);
        int[] labels = labelling.labels(0, total);
        List<SampleJudge.Batches> perSigma = new ArrayList<>();
        try {
            for (int s = 0; s < sigmas.length; s++) perSigma.add(judge.batches(total));
            Sampler.sample(model, be, labels, sigmas, seed, (scale, from, count, means) -> perSigma.get(scale).add(judgeBe, means, from, count));
            List<AtSigma> results = new ArrayList<>();
            for (int s = 0; s < sigmas.length; s++) {
                SampleJudge.Judged judged = perSigma.get(s).result();
                double fd = FrechetDistance.between(FrechetDistance.moments(judged.features()), realMoments);
                double[] share = new double[k];
                // Counted, then divided once: summing 1/total gave shares such as 1.0000000000000007.
                for (int p : judged.predicted()) share[p]++;
                for (int j = 0; j < k; j++) share[j] /= total;
                double agreed = Double.NaN;
                double[] perClassAgreement = new double[0];
                if (agreement) {
                    perClassAgreement = new double[k];
                    long agree = 0;
                    for (int i = 0; i < total; i++) {
                        if (judged.predicted()[i] == labels[i]) {
                            perClassAgreement[labels[i]]++;
                            agree++;
                        }
                    }
                    for (int y = 0; y < k; y++) perClassAgreement[y] /= perClass;
                    agreed = (double) agree / total;
                }
                results.add(new AtSigma(sigmas[s], total, fd, agreed, perClassAgreement, share));
            }
            return new Report(perClass, judge.info().classNames(), (double) right / Math.max(1, test.count()), judgePerClass, fdReal,
                    reference.count(), agreement, c.labelFree() ? ModelConfig.clusterNames(c.numClasses()) : List.of(), results);
        } finally {
            for (SampleJudge.Batches b : perSigma) b.close();
        }
    }
}
