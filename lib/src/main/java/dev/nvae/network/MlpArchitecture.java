package dev.nvae.network;

import dev.nvae.nn.Linear;
import dev.nvae.nn.LayerSpec;

import java.util.List;

/**
 * The reference architecture {@code mlp}: encoder E → H1 → H2 (ReLU) → heads; decoder Z → H2 → H1 (ReLU)
 * → D (the likelihood's parameters). Layer names enc1, enc2, heads, dec1, dec2, dec3 are the file's.
 */
public record MlpArchitecture(int outputWidth, int hidden1, int hidden2) implements Architecture {
    @Override
    public List<LayerSpec> encoder(int inputWidth, int headsWidth) {
        return List.of(new Linear.Spec("enc1", inputWidth, hidden1, true),
                new Linear.Spec("enc2", hidden1, hidden2, true),
                new Linear.Spec("heads", hidden2, headsWidth, false));
    }

    @Override
    public List<LayerSpec> decoder(int inputWidth) {
        return List.of(new Linear.Spec("dec1", inputWidth, hidden2, true),
                new Linear.Spec("dec2", hidden2, hidden1, true),
                new Linear.Spec("dec3", hidden1, outputWidth, false));
    }
}
