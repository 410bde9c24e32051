package dev.nvae.model;

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

    /** Example {@code index}'s pixels, in place, as {@link #forEvaluation(ModelConfig, Dataset)} gives them. */
    public static void forEvaluation(ModelConfig c, float[] pixels, long index) {
        if (!ModelConfig.BINARIZE_NONE.equals(c.binarize())) Binarization.fixed(pixels, index);
    }
}
