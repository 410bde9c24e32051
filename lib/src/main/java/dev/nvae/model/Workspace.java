package dev.nvae.model;

import dev.nvae.tensor.Tensor;

import java.lang.foreign.Arena;

/**
 * Every activation and activation-gradient buffer of one forward/backward pass, allocated once for a
 * batch capacity and reused for every batch (the last, smaller one uses the first rows). Owns its arena;
 * shared because backend worker threads read and write these buffers.
 */
public final class Workspace implements AutoCloseable {
    private final Arena arena = Arena.ofShared();
    public final int capacity;
    // Forward. B = capacity.
    public final Tensor x;        // (B, D) input in [0,1]
    public final int[] labels;    // (B) the class y of each example (true label, or the one to decode)
    public final Tensor eps;      // (B, ds+dc) reparameterisation noise: [ε_s | ε_c]
    public final Tensor h1;       // (B, H1) encoder hidden 1, post-ReLU
    public final Tensor h2;       // (B, H2) encoder hidden 2, post-ReLU
    public final Tensor heads;    // (B, 2ds+2K·dc+K) [μ_s | logσ²_s | μ_c | logσ²_c | logits]
    public final Tensor decIn;    // (B, ds+K·dc+K) [z_s | E(y,z_c) | onehot(y)]
    public final Tensor d1;       // (B, H2) decoder hidden 1, post-ReLU
    public final Tensor d2;       // (B, H1) decoder hidden 2, post-ReLU
    public final Tensor logitsX;  // (B, D) decoder output logits
    // Backward.
    public final Tensor dLogitsX; // (B, D)
    public final Tensor dd2;      // (B, H1)
    public final Tensor dd1;      // (B, H2)
    public final Tensor dDecIn;   // (B, ds+K·dc+K)
    public final Tensor dHeads;   // (B, heads)
    public final Tensor dh2;      // (B, H2)
    public final Tensor dh1;      // (B, H1)
    // Per-example terms of the last pass (nats), and the predicted class.
    public final double[] rec, klS, klC, ce;
    public final int[] predicted;

    public Workspace(ModelConfig c, int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("batch capacity must be >= 1");
        this.capacity = capacity;
        int d = c.inputDim();
        x = Tensor.allocate(arena, "x", capacity, d);
        labels = new int[capacity];
        eps = Tensor.allocate(arena, "eps", capacity, c.latentDim());
        h1 = Tensor.allocate(arena, "h1", capacity, c.hidden1());
        h2 = Tensor.allocate(arena, "h2", capacity, c.hidden2());
        heads = Tensor.allocate(arena, "heads", capacity, c.headsDim());
        decIn = Tensor.allocate(arena, "decIn", capacity, c.decoderInputDim());
        d1 = Tensor.allocate(arena, "d1", capacity, c.hidden2());
        d2 = Tensor.allocate(arena, "d2", capacity, c.hidden1());
        logitsX = Tensor.allocate(arena, "logitsX", capacity, d);
        dLogitsX = Tensor.allocate(arena, "dLogitsX", capacity, d);
        dd2 = Tensor.allocate(arena, "dd2", capacity, c.hidden1());
        dd1 = Tensor.allocate(arena, "dd1", capacity, c.hidden2());
        dDecIn = Tensor.allocate(arena, "dDecIn", capacity, c.decoderInputDim());
        dHeads = Tensor.allocate(arena, "dHeads", capacity, c.headsDim());
        dh2 = Tensor.allocate(arena, "dh2", capacity, c.hidden2());
        dh1 = Tensor.allocate(arena, "dh1", capacity, c.hidden1());
        rec = new double[capacity];
        klS = new double[capacity];
        klC = new double[capacity];
        ce = new double[capacity];
        predicted = new int[capacity];
    }

    @Override
    public void close() {
        arena.close();
    }
}
