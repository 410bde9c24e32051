package dev.nvae.model;

import dev.nvae.tensor.Tensor;

import java.lang.foreign.Arena;
import java.util.function.IntUnaryOperator;

/**
 * Every activation and activation-gradient buffer of one forward/backward pass, allocated once for a
 * batch capacity and reused for every batch (the last, smaller one uses the first rows). Owns its arena;
 * shared because backend worker threads read and write these buffers. The widths come from
 * {@link Sizes}, so every model family (and the classifier, which has no decoder) uses the same class.
 */
public final class Workspace implements AutoCloseable {
    /**
     * Widths of the buffers. E = encoder input (D, or D+K for the conditional VAE), L = latent noise per
     * example, Z = decoder input; a model without a decoder uses 0 for L and Z.
     */
    public record Sizes(int input, int encoderInput, int hidden1, int hidden2, int heads, int decoderInput, int latent) {
        public static Sizes of(ModelConfig c) {
            return new Sizes(c.inputDim(), c.encoderInputDim(), c.hidden1(), c.hidden2(), c.headsDim(),
                    c.decoderInputDim(), c.latentDim());
        }
    }

    private final Arena arena = Arena.ofShared();
    public final int capacity;
    // Forward. B = capacity.
    public final Tensor x;        // (B, D) input in [0,1]
    public final Tensor encIn;    // (B, E) encoder input: x itself, or [x | onehot(y)] (conditional VAE)
    public final int[] labels;    // (B) the class y of each example (true label, or the one to decode)
    public final Tensor eps;      // (B, ds+dc) reparameterisation noise: [ε_s | ε_c]
    public final Tensor h1;       // (B, H1) encoder hidden 1, post-ReLU
    public final Tensor h2;       // (B, H2) encoder hidden 2, post-ReLU
    public final Tensor heads;    // (B, 2ds+2K·dc+K) [μ_s | logσ²_s | μ_c | logσ²_c | logits]; baselines (B, 2ds) [μ | logσ²]
    public final Tensor decIn;    // (B, ds+K·dc+K) [z_s | E(y,z_c) | onehot(y)]; baselines [z] or [z | onehot(y)]
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
        this(Sizes.of(c), capacity);
    }

    public Workspace(Sizes s, int capacity) {
        this(s, capacity, false);
    }

    /**
     * Buffers for the decoder's forward pass only ({@code labels}, {@code decIn}, {@code d1}, {@code d2},
     * {@code logitsX}); every other buffer is empty. Sampling 1000 at a time then zeroes 6 MB instead of
     * 23 MB, which at start-up is a measurable share of a short {@code sample} run.
     */
    public static Workspace forDecoding(ModelConfig c, int capacity) {
        return new Workspace(Sizes.of(c), capacity, true);
    }

    private Workspace(Sizes s, int capacity, boolean decodeOnly) {
        if (capacity < 1) throw new IllegalArgumentException("batch capacity must be >= 1");
        this.capacity = capacity;
        int d = s.input();
        boolean decoder = s.decoderInput() > 0;
        // Width of a buffer the pass uses only when it encodes or goes backward.
        IntUnaryOperator other = width -> decodeOnly ? 0 : width;
        x = Tensor.allocate(arena, "x", capacity, other.applyAsInt(d));
        encIn = s.encoderInput() == d ? x : Tensor.allocate(arena, "encIn", capacity, other.applyAsInt(s.encoderInput()));
        labels = new int[capacity];
        eps = Tensor.allocate(arena, "eps", capacity, other.applyAsInt(s.latent()));
        h1 = Tensor.allocate(arena, "h1", capacity, other.applyAsInt(s.hidden1()));
        h2 = Tensor.allocate(arena, "h2", capacity, other.applyAsInt(s.hidden2()));
        heads = Tensor.allocate(arena, "heads", capacity, other.applyAsInt(s.heads()));
        decIn = Tensor.allocate(arena, "decIn", capacity, s.decoderInput());
        // A model without a decoder (the classifier) gets empty decoder buffers, not unused megabytes.
        int decH1 = decoder ? s.hidden1() : 0, decH2 = decoder ? s.hidden2() : 0, dd = decoder ? d : 0;
        d1 = Tensor.allocate(arena, "d1", capacity, decH2);
        d2 = Tensor.allocate(arena, "d2", capacity, decH1);
        logitsX = Tensor.allocate(arena, "logitsX", capacity, dd);
        dLogitsX = Tensor.allocate(arena, "dLogitsX", capacity, other.applyAsInt(dd));
        dd2 = Tensor.allocate(arena, "dd2", capacity, other.applyAsInt(decH1));
        dd1 = Tensor.allocate(arena, "dd1", capacity, other.applyAsInt(decH2));
        dDecIn = Tensor.allocate(arena, "dDecIn", capacity, other.applyAsInt(s.decoderInput()));
        dHeads = Tensor.allocate(arena, "dHeads", capacity, other.applyAsInt(s.heads()));
        dh2 = Tensor.allocate(arena, "dh2", capacity, other.applyAsInt(s.hidden2()));
        dh1 = Tensor.allocate(arena, "dh1", capacity, other.applyAsInt(s.hidden1()));
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
