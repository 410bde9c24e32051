package dev.nvae.nn;

import dev.nvae.tensor.FlatParameters;

/**
 * What a layer is before its parameters exist: its name and shape. A model declares every layer's
 * tensors in one {@link FlatParameters.Layout} (the file order of model files and checkpoints), allocates
 * parameters and gradients for it, then builds the layers over their slices.
 */
public sealed interface LayerSpec permits Linear.Spec, ConvLayerSpec {
    String name();

    /** Adds this layer's tensors to {@code layout}: {@code <name>.w} then {@code <name>.b}. */
    void declare(FlatParameters.Layout layout);

    /**
     * The layer over its slices of {@code params} and {@code grads}, which hold {@link #declare}'s tensors.
     * {@code grads} null: a layer for inference only, whose {@link Layer#backward} throws.
     */
    Layer build(FlatParameters params, FlatParameters grads);
}
