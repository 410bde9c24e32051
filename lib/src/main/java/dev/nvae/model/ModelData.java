package dev.nvae.model;

import dev.nvae.NvaeException;
import dev.nvae.data.Binarization;
import dev.nvae.data.Dataset;

import java.util.List;

/** Which form of a data set a model sees, given how its config binarizes grey inputs ({@link Binarization}). */
public final class ModelData {
    private ModelData() {
    }

    /**
     * The data as a model of {@code family} reads its classes: a vae or beta-vae reads no label, so on data that
     * names fewer than 2 classes (none labelled, no classes.txt) it trains without any — a model of no classes —
     * where every other family needs 2 or more. Other data comes back as it is.
     */
    public static Dataset classesFor(String family, Dataset data) {
        return ModelConfig.readsNoLabel(family) && data.numClasses() < 2 && data.count() > 0 ? data.withoutLabels(List.of()) : data;
    }

    /** Why a cvae cannot train on {@code train}, none of whose examples has a label; for a message after "data: ". */
    public static String cvaeNeedsLabels(Dataset train) {
        return "none of the " + train.count() + " training examples of " + train.name() + " has a label, and a cvae needs one for "
                + "every example (its encoder and decoder read it); a vae or beta-vae trains without labels";
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
