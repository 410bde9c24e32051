package dev.nvae.network;

import dev.nvae.backend.Backend;
import dev.nvae.backend.ConvLayouts;
import dev.nvae.nn.ConvLayerSpec;
import dev.nvae.nn.Layer;
import dev.nvae.nn.LayerSpec;
import dev.nvae.random.Rng;
import dev.nvae.tensor.FlatParameters;
import dev.nvae.tensor.Tensor;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;

/**
 * A chain of layers x → layer 1 → … → layer n → y: an encoder body with its heads, or a decoder body.
 * The caller owns the chain's input and output (the model's shared buffers); the activations in between
 * and their gradients belong to the network, one {@link Activations} per workspace, because one model
 * serves workspaces of several batch capacities (training, evaluation, sampling) at once.
 */
public final class Network {
    private final List<Layer> layers;

    public Network(List<Layer> layers) {
        if (layers.isEmpty()) throw new IllegalArgumentException("a network needs at least one layer");
        for (int i = 1; i < layers.size(); i++) {
            Layer a = layers.get(i - 1), b = layers.get(i);
            if (a.outputWidth() != b.inputWidth()) {
                throw new IllegalArgumentException(a.name() + " writes " + a.outputWidth() + " values per example but "
                        + b.name() + " reads " + b.inputWidth());
            }
        }
        this.layers = List.copyOf(layers);
    }

    /** Adds the tensors of {@code specs}, in order, to {@code layout}. */
    public static void declare(FlatParameters.Layout layout, List<? extends LayerSpec> specs) {
        for (LayerSpec s : specs) s.declare(layout);
    }

    /**
     * The network of {@code specs} over their tensors in {@code params} and {@code grads} (see {@link #declare});
     * {@code grads} null: for inference only, {@link #backward} throws.
     */
    public static Network build(List<? extends LayerSpec> specs, FlatParameters params, FlatParameters grads) {
        List<Layer> layers = new ArrayList<>(specs.size());
        for (int i = 0; i < specs.size(); i++) {
            LayerSpec s = specs.get(i);
            if (s instanceof ConvLayerSpec c) {
                // A tensor one convolution layer writes and the next reads is theirs alone (and the ReLU's
                // between them), so the backend may keep it in its own layout and spare two reorders a pass.
                s = c.withLayouts(new ConvLayouts(i > 0 && specs.get(i - 1) instanceof ConvLayerSpec,
                        i + 1 < specs.size() && specs.get(i + 1) instanceof ConvLayerSpec));
            }
            layers.add(s.build(params, grads));
        }
        return new Network(layers);
    }

    public List<Layer> layers() {
        return layers;
    }

    public int inputWidth() {
        return layers.getFirst().inputWidth();
    }

    public int outputWidth() {
        return layers.getLast().outputWidth();
    }

    /**
     * The buffers between the layers for batches of up to {@code capacity} rows, allocated in {@code arena}
     * (the workspace's): outputs of every layer but the last, and — unless {@code forwardOnly} — their
     * gradients. B = capacity.
     */
    public Activations activations(Arena arena, int capacity, boolean forwardOnly) {
        int n = layers.size() - 1;
        Tensor[] out = new Tensor[n], grad = new Tensor[n];
        for (int i = 0; i < n; i++) {
            Layer l = layers.get(i);
            out[i] = Tensor.allocate(arena, l.name() + ".out", capacity, l.outputWidth());       // (B, O_i)
            grad[i] = Tensor.allocate(arena, l.name() + ".dout", capacity, forwardOnly ? 0 : l.outputWidth());
        }
        return new Activations(out, grad);
    }

    /** One network's intermediate activations and their gradients; see {@link #activations}. */
    public static final class Activations {
        private final Tensor[] out, grad;

        private final List<Tensor> passOnly;

        private Activations(Tensor[] out, Tensor[] grad) {
            this.out = out;
            this.grad = grad;
            List<Tensor> all = new ArrayList<>(List.of(out));
            all.addAll(List.of(grad));
            this.passOnly = List.copyOf(all);
        }

        /**
         * Outputs of every layer but the last (whose output is the caller's y); one between two convolution
         * layers is in the backend's own layout (ConvLayouts).
         */
        public List<Tensor> outputs() {
            return List.of(out);
        }

        /** The outputs and their gradients: written by this network's passes alone (see {@link Backend#beginPass}). */
        public List<Tensor> passOnly() {
            return passOnly;
        }
    }

    /** x (B, I) → y (B, O) through every layer. */
    public void forward(Backend be, Tensor x, Tensor y, Activations a, int batch) {
        int n = layers.size();
        be.beginPass(a.passOnly());
        try {
            for (int i = 0; i < n; i++) layers.get(i).forward(be, i == 0 ? x : a.out[i - 1], i == n - 1 ? y : a.out[i], batch);
        } finally {
            be.endPass();
        }
    }

    /**
     * Backward through every layer, last first, from dy (B, O) — which the last layer may overwrite in
     * place (its activation's backward) — writing every parameter gradient, and dx (B, I) unless null.
     * x and y must be the forward pass's.
     */
    public void backward(Backend be, Tensor x, Tensor y, Tensor dy, Tensor dx, Activations a, int batch) {
        be.beginPass(a.passOnly());
        try {
            for (int i = layers.size() - 1; i >= 0; i--) {
                Tensor in = i == 0 ? x : a.out[i - 1];
                Tensor out = i == layers.size() - 1 ? y : a.out[i];
                Tensor dOut = i == layers.size() - 1 ? dy : a.grad[i];
                Tensor dIn = i == 0 ? dx : a.grad[i - 1];
                layers.get(i).backward(be, in, out, dOut, dIn, batch);
            }
        } finally {
            be.endPass();
        }
    }

    /** Every layer's default initialisation, in layer order, from one stream. */
    public void initialize(Rng rng) {
        for (Layer l : layers) l.initialize(rng);
    }
}
