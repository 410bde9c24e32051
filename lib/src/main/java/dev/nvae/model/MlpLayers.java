package dev.nvae.model;

import dev.nvae.nn.Linear;
import dev.nvae.tensor.FlatParameters;

/**
 * The six linear layers every {@code mlp} model has — encoder enc1, enc2 (ReLU), the heads, decoder
 * dec1, dec2 (ReLU), dec3 — and their parameter layout, which is the file layout of model files and
 * checkpoints. The families differ only in widths, all read from the config: the heads' columns, the
 * decoder's input, and the CVAE's encoder input (which also reads onehot(y)).
 */
final class MlpLayers {
    final Linear enc1, enc2, heads, dec1, dec2, dec3;

    MlpLayers(FlatParameters params, FlatParameters grads) {
        enc1 = new Linear("enc1", params, grads, true);
        enc2 = new Linear("enc2", params, grads, true);
        heads = new Linear("heads", params, grads, false);
        dec1 = new Linear("dec1", params, grads, true);
        dec2 = new Linear("dec2", params, grads, true);
        dec3 = new Linear("dec3", params, grads, false);
    }

    /** Parameter names and shapes, in file order. Weights are (in, out): y = x·w + b. */
    static FlatParameters.Layout layout(ModelConfig c) {
        FlatParameters.Layout l = new FlatParameters.Layout();
        Linear.declare(l, "enc1", c.encoderInputDim(), c.hidden1());
        Linear.declare(l, "enc2", c.hidden1(), c.hidden2());
        Linear.declare(l, "heads", c.hidden2(), c.headsDim());
        Linear.declare(l, "dec1", c.decoderInputDim(), c.hidden2());
        Linear.declare(l, "dec2", c.hidden2(), c.hidden1());
        Linear.declare(l, "dec3", c.hidden1(), c.inputDim());
        return l;
    }
}
