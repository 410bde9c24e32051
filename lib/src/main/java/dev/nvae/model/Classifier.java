package dev.nvae.model;

import dev.nvae.NvaeException;
import dev.nvae.backend.Backend;
import dev.nvae.network.Network;
import dev.nvae.nn.LayerSpec;
import dev.nvae.nn.Linear;
import dev.nvae.random.Rng;
import dev.nvae.tensor.FlatParameters;
import dev.nvae.tensor.Tensor;

import java.lang.foreign.Arena;
import java.util.List;

/**
 * The discriminative model of docs/MODEL.md#4, use 4: an MLP D→H1→H2 (ReLU) → K logits, trained with
 * softmax cross-entropy by the same trainer as the generative models. It has the N-VAE encoder's shape,
 * so "how well does a network of this size classify" is asked of the same network whatever data it is
 * trained on. Its workspace has no decoder: x, the logits in heads, their gradient.
 */
public final class Classifier implements Trainable, AutoCloseable {
    private final int inputDim, numClasses;
    private final Arena arena = Arena.ofShared();
    private final FlatParameters params, grads;
    private final Network network;

    public Classifier(int inputDim, int numClasses, int hidden1, int hidden2) {
        if (inputDim < 1 || numClasses < 2 || hidden1 < 1 || hidden2 < 1) {
            throw new NvaeException("classifier of " + inputDim + " inputs, " + numClasses + " classes, hidden " + hidden1 + "," + hidden2);
        }
        this.inputDim = inputDim;
        this.numClasses = numClasses;
        List<LayerSpec> specs = List.of(new Linear.Spec("fc1", inputDim, hidden1, true),
                new Linear.Spec("fc2", hidden1, hidden2, true),
                new Linear.Spec("out", hidden2, numClasses, false));
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
        return new Workspace(inputDim, 0, network, null, null, capacity, false);
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
