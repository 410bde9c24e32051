package dev.nvae.network;

import dev.nvae.nn.LayerSpec;

import java.util.List;

/**
 * The networks of a model, as layer specifications in file order: the encoder (its body, then the heads
 * layer, whose width the latent family decides) and the decoder (its body, ending in the likelihood's
 * parameters, one per input value). Any architecture works under any latent family.
 */
public sealed interface Architecture permits MlpArchitecture, ConvArchitecture {
    /** Encoder: {@code inputWidth} values per example (x, or x with the label) → … → {@code headsWidth}. */
    List<LayerSpec> encoder(int inputWidth, int headsWidth);

    /** Decoder: {@code inputWidth} values per example (the family's decoder input) → … → D. */
    List<LayerSpec> decoder(int inputWidth);
}
