package dev.nvae.model;

import dev.nvae.NvaeException;
import dev.nvae.backend.Backend;
import dev.nvae.nn.Linear;
import dev.nvae.random.Rng;
import dev.nvae.tensor.FlatParameters;
import dev.nvae.tensor.Tensor;
import dev.nvae.train.Trainable;

import java.lang.foreign.Arena;

/**
 * The discriminative model of docs/MODEL.md#4, use 4: an MLP D→H1→H2 (ReLU) → K logits, trained with
 * softmax cross-entropy by the same {@link dev.nvae.train.Trainer} as the generative models. It has the
 * N-VAE encoder's shape, so "how well does a network of this size classify" is asked of the same
 * network whatever data it is trained on. Uses a {@link Workspace} with empty decoder buffers: h1, h2,
 * heads (the logits) and their gradients.
 */
public final class Classifier implements Trainable, AutoCloseable {
    private final int inputDim, numClasses, hidden1, hidden2;
    private final Arena arena = Arena.ofShared();
    private final FlatParameters params, grads;
    private final Linear fc1, fc2, out;

    public Classifier(int inputDim, int numClasses, int hidden1, int hidden2) {
        if (inputDim < 1 || numClasses < 2 || hidden1 < 1 || hidden2 < 1) {
            throw new NvaeException("classifier of " + inputDim + " inputs, " + numClasses + " classes, hidden " + hidden1 + "," + hidden2);
        }
        this.inputDim = inputDim;
        this.numClasses = numClasses;
        this.hidden1 = hidden1;
        this.hidden2 = hidden2;
        FlatParameters.Layout layout = new FlatParameters.Layout();
        Linear.declare(layout, "fc1", inputDim, hidden1);
        Linear.declare(layout, "fc2", hidden1, hidden2);
        Linear.declare(layout, "out", hidden2, numClasses);
        params = new FlatParameters(arena, layout);
        grads = new FlatParameters(arena, layout);
        fc1 = new Linear("fc1", params, grads, true);
        fc2 = new Linear("fc2", params, grads, true);
        out = new Linear("out", params, grads, false);
    }

    /** PyTorch's nn.Linear default, as the generative models. */
    public void initialize(long seed) {
        MlpModel.initialize(params, seed);
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
        return new Workspace(new Workspace.Sizes(inputDim, inputDim, hidden1, hidden2, numClasses, 0, 0), capacity);
    }

    /** Nothing to draw: the classifier is deterministic. */
    @Override
    public void prepareBatch(Workspace ws, int count, Rng rng) {
    }

    /** ws.x → ws.heads (logits) and ws.predicted (argmax). */
    public void predict(Backend be, Workspace ws, int batch) {
        fc1.forward(be, ws.x, ws.h1, batch);
        fc2.forward(be, ws.h1, ws.h2, batch);
        out.forward(be, ws.h2, ws.heads, batch);
        Tensor h = ws.heads;
        for (int i = 0; i < batch; i++) {
            int best = 0;
            for (int c = 1; c < numClasses; c++) if (h.get(i, c) > h.get(i, best)) best = c;
            ws.predicted[i] = best;
        }
    }

    /** Mean over the batch of −log softmax(logits)_y; dlogits = (softmax − onehot(y)) / B. */
    @Override
    public void forwardBackward(Backend be, Workspace ws, int batch, BatchLoss loss) {
        predict(be, ws, batch);
        Tensor h = ws.heads, g = ws.dHeads;
        float invB = 1f / batch;
        for (int i = 0; i < batch; i++) {
            int y = ws.labels[i];
            double max = h.get(i, ws.predicted[i]);
            double sum = 0;
            for (int c = 0; c < numClasses; c++) sum += Math.exp(h.get(i, c) - max);
            double ce = -(h.get(i, y) - max - Math.log(sum));
            for (int c = 0; c < numClasses; c++) {
                double p = Math.exp(h.get(i, c) - max) / sum;
                g.set(i, c, (float) ((p - (c == y ? 1 : 0)) * invB));
            }
            ws.ce[i] = ce;
            loss.ce += ce;
            loss.total += ce;
            loss.count++;
            loss.classified++;
            if (ws.predicted[i] == y) loss.correct++;
        }
        out.backward(be, ws.h2, ws.heads, ws.dHeads, ws.dh2, batch);
        fc2.backward(be, ws.h1, ws.h2, ws.dh2, ws.dh1, batch);
        fc1.backward(be, ws.x, ws.h1, ws.dh1, null, batch);
    }

    @Override
    public void close() {
        arena.close();
    }
}
