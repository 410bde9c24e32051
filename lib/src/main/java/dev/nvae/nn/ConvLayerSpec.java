package dev.nvae.nn;

import dev.nvae.backend.ConvLayouts;

/** A convolution layer's spec: {@link Conv2d}'s or {@link ConvTranspose2d}'s. */
public sealed interface ConvLayerSpec extends LayerSpec permits Conv2d.Spec, ConvTranspose2d.Spec {
    /** Which of the layer's activations are held in the backend's own layout. */
    ConvLayouts io();

    /** The same layer with its activations laid out as {@code io} says. */
    ConvLayerSpec withLayouts(ConvLayouts io);
}
