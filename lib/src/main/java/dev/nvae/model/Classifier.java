package dev.nvae.model;

import dev.nvae.NvaeException;
import dev.nvae.backend.Backend;
import dev.nvae.backend.ConvShape;
import dev.nvae.network.Network;
import dev.nvae.nn.Conv2d;
import dev.nvae.nn.Layer;
import dev.nvae.nn.LayerSpec;
import dev.nvae.nn.Linear;
import dev.nvae.random.Rng;
import dev.nvae.tensor.FlatParameters;
import dev.nvae.tensor.Tensor;

import java.lang.foreign.Arena;
import java.util.List;

/**
 * A discriminative model: a network ending in K logits, trained with softmax cross-entropy by the same
 * trainer as the generative models. Two shapes:
 * <ul>
 *   <li>{@link #Classifier(int, int, int, int) the MLP} of docs/MODEL.md#4, use 4, D→H1→H2 (ReLU) → K, the
 *       N-VAE encoder's shape, so "how well does a network of this size classify" is asked of the same
 *       network whatever data it is trained on ({@code augment});</li>
 *   <li>{@link #conv the small CNN} that judges samples ({@code quality}, {@code report}): its
 *       penultimate layer's activations ({@link #features}) are the feature space of the Fréchet distance.</li>
 * </ul>
 * Its workspace has no decoder: x, the logits in heads, their gradient.
 */
public final class Classifier implements Trainable, AutoCloseable {
    private final int inputDim, numClasses;
    private final Arena arena = Arena.ofShared();
    private final FlatParameters params, grads;
    private final Network network;

    public Classifier(int inputDim, int numClasses, int hidden1, int hidden2) {
        this(inputDim, numClasses, mlp(inputDim, numClasses, hidden1, hidden2));
    }

    private static List<LayerSpec> mlp(int inputDim, int numClasses, int hidden1, int hidden2) {
        if (inputDim < 1 || numClasses < 2 || hidden1 < 1 || hidden2 < 1) {
            throw new NvaeException("classifier of " + inputDim + " inputs, " + numClasses + " classes, hidden " + hidden1 + "," + hidden2);
        }
        return List.of(new Linear.Spec("fc1", inputDim, hidden1, true),
                new Linear.Spec("fc2", hidden1, hidden2, true),
                new Linear.Spec("out", hidden2, numClasses, false));
    }

    /** Channels of the CNN's two convolutions and the width of its penultimate (feature) layer. */
    public static final int CONV_C1 = 32, CONV_C2 = 64, CONV_FEATURES = 128;

    /**
     * The CNN for images of C channels with sides divisible by 4:
     * conv1 4×4/s2/p1 C → 32 (ReLU), conv2 4×4/s2/p1 32 → 64 (ReLU), fc 64·H/4·W/4 → 128 (ReLU: the
     * features), out 128 → K. The conv encoder's body, so no layer is new to the library.
     */
    public static Classifier conv(int channels, int height, int width, int numClasses) {
        if (height % 4 != 0 || width % 4 != 0 || height < 4 || width < 4) {
            throw new NvaeException("the sample judge is a CNN for images with sides divisible by 4, not " + height + "x" + width);
        }
        if (numClasses < 2) throw new NvaeException("the sample judge needs at least 2 classes, not " + numClasses);
        List<LayerSpec> specs = List.of(
                new Conv2d.Spec("conv1", new ConvShape(channels, height, width, CONV_C1, 4, 2, 1), true),
                new Conv2d.Spec("conv2", new ConvShape(CONV_C1, height / 2, width / 2, CONV_C2, 4, 2, 1), true),
                new Linear.Spec("fc", CONV_C2 * (height / 4) * (width / 4), CONV_FEATURES, true),
                new Linear.Spec("out", CONV_FEATURES, numClasses, false));
        return new Classifier(channels * height * width, numClasses, specs);
    }

    /** A classifier of the given layers; the last writes the K logits. */
    public Classifier(int inputDim, int numClasses, List<LayerSpec> specs) {
        this.inputDim = inputDim;
        this.numClasses = numClasses;
        FlatParameters.Layout layout = new FlatParameters.Layout();
        Network.declare(layout, specs);
        params = new FlatParameters(arena, layout);
        grads = new FlatParameters(arena, layout);
        network = Network.build(specs, params, grads);
    }

    /** PyTorch's nn.Linear default, as the generative models (the same stream for the same seed). */
    public void initialize(long seed) {
        network.initialize(Rng.stream(seed, 0x1417));
    }

    @Override
    public FlatParameters params() {
        return params;
    }

    @Override
    public FlatParameters grads() {
        return grads;
    }

    @Override
    public int inputDim() {
        return inputDim;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public Workspace workspace(int capacity) {
        return new Workspace(inputDim, 0, network, null, null, capacity, Workspace.Use.TRAINING);
    }

    /**
     * The activations of the layer before the logits for the last {@link #predict} on {@code ws}: (B, F),
     * F = that layer's width. Valid until the next pass on the workspace.
     */
    public Tensor features(Workspace ws) {
        List<Tensor> hidden = ws.encoder.outputs();
        if (hidden.isEmpty()) throw new IllegalStateException("a one-layer classifier has no feature layer");
        return hidden.getLast();
    }

    /** Values per example of {@link #features}. */
    public int featureWidth() {
        List<Layer> layers = network.layers();
        return layers.get(layers.size() - 2).outputWidth();
    }

    /** Nothing to draw: the classifier is deterministic. */
    @Override
    public void prepareBatch(Workspace ws, int count, Rng rng) {
    }

    /** ws.x → ws.heads (logits) and ws.predicted (argmax). */
    public void predict(Backend be, Workspace ws, int batch) {
        network.forward(be, ws.x, ws.heads, ws.encoder, batch);
        for (int i = 0; i < batch; i++) ws.predicted[i] = Categorical.argmax(ws.heads, i, 0, numClasses);
    }

    /** Mean over the batch of −log softmax(logits)_y; dlogits = (softmax − onehot(y)) / B. */
    @Override
    public void forwardBackward(Backend be, Workspace ws, int batch, BatchLoss loss) {
        predict(be, ws, batch);
        Tensor h = ws.heads;
        float invB = 1f / batch;
        for (int i = 0; i < batch; i++) {
            int y = ws.labels[i];
            double ce = Categorical.crossEntropy(h, i, 0, numClasses, y);
            Categorical.gradient(h, ws.dHeads, i, 0, numClasses, y, 1.0, invB);
            ws.ce[i] = ce;
            loss.ce += ce;
            loss.total += ce;
            loss.count++;
            loss.classified++;
            if (ws.predicted[i] == y) loss.correct++;
        }
        network.backward(be, ws.x, ws.heads, ws.dHeads, null, ws.encoder, batch);
    }

    @Override
    public void close() {
        arena.close();
    }
}
