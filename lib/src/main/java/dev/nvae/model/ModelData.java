package dev.nvae.model;

import dev.nvae.NvaeException;
import dev.nvae.data.Binarization;
import dev.nvae.data.Dataset;

/** Which form of a data set a model sees, given how its config binarizes grey inputs ({@link Binarization}). */
public final class ModelData {
    private ModelData() {
    }

    /** The data a model trains on: fixed-binarized for static, as is otherwise (dynamic draws per batch). */
    public static Dataset forTraining(ModelConfig c, Dataset data) {
        return ModelConfig.BINARIZE_STATIC.equals(c.binarize()) ? Binarization.fixed(data) : data;
    }

    /** The data a model is evaluated on: fixed-binarized whenever it was trained on binary data. */
    public static Dataset forEvaluation(ModelConfig c, Dataset data) {
        return ModelConfig.BINARIZE_NONE.equals(c.binarize()) ? data : Binarization.fixed(data);
    }

    /**
     * Refuses, naming --data, a split with examples that have no label for a model that cannot read such an
     * example: a conditional VAE, whose encoder and decoder take the label (an N-VAE's classifier gives the class,
     * a VAE reads none). Every command that runs a model over a split checks this before any work.
     */
    public static void requireLabels(LatentModel model, Dataset set) {
        if (!set.fullyLabelled() && !model.learnsFromUnlabelled()) {
            throw new NvaeException("--data: " + (set.count() - set.labelledCount()) + " examples of " + set.name()
                    + " have no label, and a " + model.config().model() + " needs one for every example");
        }
    }

    /** Example {@code index}'s pixels, in place, as {@link #forEvaluation(ModelConfig, Dataset)} gives them. */
    public static void forEvaluation(ModelConfig c, float[] pixels, long index) {
        if (!ModelConfig.BINARIZE_NONE.equals(c.binarize())) Binarization.fixed(pixels, index);
    }
}
