package dev.nvae.model;

import dev.nvae.backend.BatchShape;
import dev.nvae.network.Network;
import dev.nvae.random.Rng;
import dev.nvae.tensor.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The buffers of one forward/backward pass for batches of up to {@link #capacity} rows, allocated once
 * and reused for every batch (the last, smaller one uses the first rows). It holds what the networks and
 * the latent family share — input, labels, noise, heads, decoder input and output, their gradients, the
 * per-example terms — and each network's own activations ({@link Network#activations}), which only that
 * network reads. Owns its arena; shared because backend worker threads read and write these buffers.
 * One workspace serves one thread at a time; a model serves any number of workspaces.
 */
public final class Workspace implements AutoCloseable {
    /**
     * Which passes a workspace is for, hence which buffers have rows. A buffer without rows is a one-float
     * segment (and a network's missing gradients too): the passes of that use never touch it, and a Java
     * write past its float throws.
     */
    enum Use {
        /** Every buffer: forward and backward passes, on the host or a device ({@code forwardBackward}). */
        TRAINING,
        /**
         * Forward passes alone (encode, evaluate, reconstruct, IWAE): a model {@linkplain LatentModel#forInference
         * built for inference} can never go backward, so the gradients of the activations, the networks' own
         * and the device step's buffers ({@link BatchShape}, the terms) have no rows. At capacity 500 on the
         * default mlp N-VAE that is 5.0 of 11.5 MB, and 34.0 of 69.6 MB with room for unlabelled examples.
         */
        FORWARD,
        /** {@link LatentModel#decode} alone: labels, decIn, the decoder's activations and logitsX. */
        DECODING
    }

    private final Arena arena = new CountingArena();
    public final int capacity;
    // Forward. B = capacity; E = encoder input, Z = decoder input, L = latent noise per example;
    // R = decoder rows: B, or B·K in a workspace for unlabelled examples (see passes).
    public final Tensor x;        // (B, D) input in [0,1]
    public final Tensor encIn;    // (B, E) encoder input: x itself, or x with the label (conditional VAE)
    public final int[] labels;    // (B) the class y of each example (true label, or the one to decode); −1: unlabelled
    public final Tensor eps;      // (B, L) reparameterisation noise: [ε_s | ε_c]
    public final Tensor heads;    // (B, heads) the encoder network's output: posterior parameters (and logits)
    public final Tensor decIn;    // (R, Z) the decoder network's input, e.g. [z_s | E(y,z_c) | onehot(y)]
    public final Tensor logitsX;  // (R, D) the decoder network's output: the likelihood's parameters
    // Backward.
    public final Tensor dLogitsX; // (R, D)
    public final Tensor dDecIn;   // (R, Z)
    public final Tensor dHeads;   // (B, heads)
    // Per-example terms of the last pass (nats), and the predicted class.
    public final double[] rec, klS, klC, ce;
    public final int[] predicted;
    // A training step computed on a backend's device (Backend.latentKernels): the batch's shape as numbers it
    // can read (see LatentKernels), the per-example terms it sends back, [rec, KL_s, KL_c, ce, predicted] per
    // row, and what its loss hands its gradient: per decoder row rec + β_c·KL_c, and the batch's balance term.
    final BatchShape shape;       // labels, each example's first decoder row, each row's example and class
    final Tensor terms;           // (B, 5)
    final Tensor rowTerms;        // (R, 1)
    final Tensor balanceTerms;    // (1, K+1) [KL(q̄ ‖ uniform), log(K·q̄_y)…]; null without room for unlabelled examples
    private List<Tensor> deviceOnly, decodingDeviceOnly; // made on first use, then reused every step
    final Network.Activations encoder, decoder; // null where there is no such network (or pass)
    final RowPass rows;                          // the family's per-example work on this workspace; null: none
    // Unlabelled examples, decoded once per class: the decoder-side buffers above (decIn, logitsX, their
    // gradients, the decoder's activations) then have capacity·K rows. Null: one decoder row per example.
    final ClassPasses passes;

    /**
     * Buffers for {@code encoderNet} (reading E columns, writing the heads) and {@code decoderNet} (reading
     * Z columns, writing D); either may be null (a classifier has no decoder), for the passes of {@code use}.
     * {@link Use#DECODING}: only the decoder's forward buffers ({@code labels}, {@code decIn}, its activations,
     * {@code logitsX}) have rows: sampling 1000 at a time then zeroes 6 MB instead of 23 MB, a measurable
     * share of a short run.
     */
    Workspace(int inputDim, int latentDim, Network encoderNet, Network decoderNet, RowPass rows, int capacity, Use use) {
        this(inputDim, latentDim, encoderNet, decoderNet, rows, capacity, use, 0);
    }

    /** @param classes K &gt; 0: room for unlabelled examples, each decoded once per class ({@link ClassPasses}); 0: none */
    Workspace(int inputDim, int latentDim, Network encoderNet, Network decoderNet, RowPass rows, int capacity, Use use,
              int classes) {
        if (capacity < 1) throw new IllegalArgumentException("batch capacity must be >= 1");
        this.capacity = capacity;
        this.rows = rows;
        this.passes = classes > 0 ? new ClassPasses(capacity, classes) : null;
        int decoderRows = classes > 0 ? Math.multiplyExact(capacity, classes) : capacity;
        boolean decodeOnly = use == Use.DECODING, backward = use == Use.TRAINING;
        int other = decodeOnly ? 0 : capacity; // rows of a buffer used only when encoding (or going backward)
        int grad = backward ? capacity : 0, gradDecoder = backward ? decoderRows : 0; // rows of one used only going backward
        int encInDim = encoderNet == null ? inputDim : encoderNet.inputWidth();
        int headsDim = encoderNet == null ? 0 : encoderNet.outputWidth();
        int decInDim = decoderNet == null ? 0 : decoderNet.inputWidth();
        int outDim = decoderNet == null ? 0 : decoderNet.outputWidth();
        x = Tensor.allocate(arena, "x", other, inputDim);
        encIn = encInDim == inputDim ? x : Tensor.allocate(arena, "encIn", other, encInDim);
        labels = new int[capacity];
        eps = Tensor.allocate(arena, "eps", other, latentDim);
        heads = Tensor.allocate(arena, "heads", other, headsDim);
        decIn = Tensor.allocate(arena, "decIn", decoderRows, decInDim);
        logitsX = Tensor.allocate(arena, "logitsX", decoderRows, outDim);
        dLogitsX = Tensor.allocate(arena, "dLogitsX", gradDecoder, outDim);
        dDecIn = Tensor.allocate(arena, "dDecIn", gradDecoder, decInDim);
        dHeads = Tensor.allocate(arena, "dHeads", grad, headsDim);
        encoder = encoderNet == null || decodeOnly ? null : encoderNet.activations(arena, capacity, !backward);
        decoder = decoderNet == null ? null : decoderNet.activations(arena, decoderRows, !backward);
        // Only a training step on a device (forwardBackwardOnDevice) reads or writes these four.
        shape = backward ? new BatchShape(arena, capacity, decoderRows) : null;
        terms = Tensor.allocate(arena, "terms", grad, 5);
        rowTerms = Tensor.allocate(arena, "rowTerms", gradDecoder, 1);
        balanceTerms = classes > 0 && backward ? Tensor.allocate(arena, "balance", 1, classes + 1) : null;
        rec = new double[capacity];
        klS = new double[capacity];
        klC = new double[capacity];
        ce = new double[capacity];
        predicted = new int[capacity];
    }

    /** Standard normal noise in the first {@code rows} rows of {@link #eps}, in row order. */
    public void drawNoise(int rows, Rng rng) {
        long n = (long) rows * eps.cols();
        for (long i = 0; i < n; i++) eps.setFlat(i, (float) rng.nextGaussian());
    }

    /**
     * What a training step on a device writes and nobody reads on the host: the heads, the decoder's input
     * and output, their gradients and both networks' activations (see {@link dev.nvae.backend.Backend#beginPass(List, List)}).
     */
    List<Tensor> deviceOnly() {
        if (deviceOnly == null) {
            List<Tensor> out = new ArrayList<>(List.of(heads, decIn, logitsX, dLogitsX, dDecIn, dHeads, rowTerms));
            if (encIn != x) out.add(encIn);
            if (encoder != null) out.addAll(encoder.passOnly());
            if (decoder != null) out.addAll(decoder.passOnly());
            deviceOnly = List.copyOf(out);
        }
        return deviceOnly;
    }

    /** What a decoding pass that returns only the likelihood's mean leaves on a device: the decoder's output and activations. */
    List<Tensor> decodingDeviceOnly() {
        if (decodingDeviceOnly == null) {
            List<Tensor> out = new ArrayList<>(List.of(logitsX));
            if (decoder != null) out.addAll(decoder.passOnly());
            decodingDeviceOnly = List.copyOf(out);
        }
        return decodingDeviceOnly;
    }

    /**
     * The batch's {@link BatchShape} for a device step, from {@link #labels}: one decoder row per example, or
     * one per class for an unlabelled example when this workspace has room for them ({@link ClassPasses}).
     * When the family reads labels ({@code required}) an example without one needs that room. Returns the
     * decoder rows.
     */
    int layoutRows(int batch, boolean required) {
        int row = 0;
        for (int i = 0; i < batch; i++) {
            int y = labels[i];
            shape.label(i, y);
            shape.first(i, row);
            if (passes != null) passes.firstRow[i] = row;
            if (y < 0 && passes != null) {
                for (int c = 0; c < passes.classes; c++) shape.row(row++, i, c);
            } else {
                if (y < 0 && required) {
                    throw new IllegalArgumentException("example " + i + " has no label, and this workspace has no room for unlabelled examples");
                }
                shape.row(row++, i, y);
            }
        }
        shape.first(batch, row);
        if (passes != null) passes.firstRow[batch] = row;
        return row;
    }

    /** The per-example terms a device step sent back into rec, klS, klC, ce and predicted. */
    void termsFromColumns(int batch) {
        for (int i = 0; i < batch; i++) {
            rec[i] = terms.get(i, 0);
            klS[i] = terms.get(i, 1);
            klC[i] = terms.get(i, 2);
            ce[i] = terms.get(i, 3);
            predicted[i] = (int) terms.get(i, 4);
        }
    }

    /**
     * Every activation between the layers of both networks (for tests that watch which ReLUs are on); one
     * between two convolution layers is in the backend's own layout (dev.nvae.backend.ConvLayouts).
     */
    public List<Tensor> hiddenActivations() {
        List<Tensor> out = new ArrayList<>();
        if (encoder != null) out.addAll(encoder.outputs());
        if (decoder != null) out.addAll(decoder.outputs());
        return out;
    }

    static void clearRow(Tensor t, int row) {
        t.segment().asSlice((long) row * t.cols() * Float.BYTES, (long) t.cols() * Float.BYTES).fill((byte) 0);
    }

    /** Bytes of native memory this workspace holds: every segment its arena allocated (alignment padding aside). */
    public long nativeBytes() {
        return ((CountingArena) arena).bytes;
    }

    @Override
    public void close() {
        arena.close();
    }

    /** A shared arena that adds up what it allocates, for {@link #nativeBytes}. Allocations happen in the constructor. */
    private static final class CountingArena implements Arena {
        private final Arena arena = Arena.ofShared();
        private long bytes;

        @Override
        public MemorySegment allocate(long byteSize, long byteAlignment) {
            MemorySegment s = arena.allocate(byteSize, byteAlignment);
            bytes += byteSize;
            return s;
        }

        @Override
        public MemorySegment.Scope scope() {
            return arena.scope();
        }

        @Override
        public void close() {
            arena.close();
        }
    }
}
