package dev.nvae.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * The deterministic encodings of some images: for each image the posterior means and log-variances of the
 * shared latent block and of the predicted class's own block, the predicted class, and the classifier's
 * probability of every class. For a baseline the shared block is its only latent, and there is no class
 * block, prediction or probability. Immutable; every accessor returns a fresh array.
 */
public final class Encodings {
    private final int count;
    private final int sharedDims;
    private final int classDims;
    private final int classes;
    private final float[] sharedMean;     // (count, sharedDims)
    private final float[] sharedLogVar;   // (count, sharedDims)
    private final float[] classMean;      // (count, classDims) of the predicted class
    private final float[] classLogVar;    // (count, classDims)
    private final int[] predicted;        // (count), -1 without a classifier
    private final float[] probabilities;  // (count, classes), classes = 0 without a classifier

    Encodings(int count, int sharedDims, int classDims, int classes, float[] sharedMean, float[] sharedLogVar,
              float[] classMean, float[] classLogVar, int[] predicted, float[] probabilities) {
        this.count = count;
        this.sharedDims = sharedDims;
        this.classDims = classDims;
        this.classes = classes;
        this.sharedMean = sharedMean;
        this.sharedLogVar = sharedLogVar;
        this.classMean = classMean;
        this.classLogVar = classLogVar;
        this.predicted = predicted;
        this.probabilities = probabilities;
    }

    /** {@return number of images encoded} */
    public int count() {
        return count;
    }

    /** {@return dimensions of the shared block (a baseline's only latent)} */
    public int sharedDims() {
        return sharedDims;
    }

    /** {@return dimensions of a class's own block (0 for a baseline)} */
    public int classDims() {
        return classDims;
    }

    /** {@return whether the model has a classifier: predictions and probabilities exist} */
    public boolean hasClassifier() {
        return classes > 0;
    }

    /**
     * {@return μ of the shared block, {@link #sharedDims()} values}
     *
     * @param image index of the image
     */
    public float[] sharedMean(int image) {
        return row(sharedMean, image, sharedDims);
    }

    /**
     * {@return log σ² of the shared block, {@link #sharedDims()} values}
     *
     * @param image index of the image
     */
    public float[] sharedLogVariance(int image) {
        return row(sharedLogVar, image, sharedDims);
    }

    /**
     * {@return μ of the predicted class's own block, {@link #classDims()} values (none for a baseline)}
     *
     * @param image index of the image
     */
    public float[] classMean(int image) {
        return row(classMean, image, classDims);
    }

    /**
     * {@return log σ² of the predicted class's own block, {@link #classDims()} values (none for a baseline)}
     *
     * @param image index of the image
     */
    public float[] classLogVariance(int image) {
        return row(classLogVar, image, classDims);
    }

    /**
     * {@return the most probable class, argmax q(y|x); −1 for a model without a classifier}
     *
     * @param image index of the image
     */
    public int predictedClass(int image) {
        Objects.checkIndex(image, count);
        return predicted[image];
    }

    /**
     * {@return q(y|x) for every class, summing to 1; empty for a model without a classifier}
     *
     * @param image index of the image
     */
    public float[] probabilities(int image) {
        return row(probabilities, image, classes);
    }

    private float[] row(float[] all, int image, int width) {
        Objects.checkIndex(image, count);
        return Arrays.copyOfRange(all, image * width, (image + 1) * width);
    }

    @Override
    public String toString() {
        return "Encodings[" + count + " images, shared " + sharedDims + ", class " + classDims + (classes > 0 ? ", classifier" : "") + "]";
    }
}
