package dev.nvae.model;

import dev.nvae.backend.Backend;
import dev.nvae.backend.LatentKernels;
import dev.nvae.backend.LatentLayout;
import dev.nvae.data.Binarization;
import dev.nvae.network.Architecture;
import dev.nvae.network.ConvArchitecture;
import dev.nvae.network.MlpArchitecture;
import dev.nvae.network.Network;
import dev.nvae.nn.LayerSpec;
import dev.nvae.random.Rng;
import dev.nvae.tensor.FlatParameters;
import dev.nvae.tensor.Tensor;

import java.lang.foreign.Arena;
import java.util.List;

/**
 * A latent-variable model: a {@link LatentFamily} (the N-VAE or a baseline: what the heads mean, the
 * decoder input, the loss) over two networks of an {@link Architecture} (mlp or conv): the encoder,
 * E → … → heads, and the decoder, Z → … → D. Any network works under any family. Parameters and their
 * gradients live in one arena in the layout of {@link #layout}, which is the file layout. A model built
 * {@linkplain #forInference for inference} has parameters alone: half the memory, and no backward pass.
 *
 * <p>Thread-safety: the parameters are shared; every pass takes a {@link Workspace} that only one thread
 * uses at a time, so one model serves several threads with one workspace (and backend) each, as long as
 * nobody trains it meanwhile. {@link #close()} frees the parameters; workspaces are closed by their owners.
 */
public final class LatentModel implements Trainable, AutoCloseable {
    private final ModelConfig config;
    private final Likelihood likelihood;
    private final LatentFamily family;
    private final Arena arena = Arena.ofShared();
    private final FlatParameters params, grads;
    private final Network encoder, decoder;

    private LatentModel(ModelConfig config, boolean trains) {
        this.config = config;
        this.likelihood = new Likelihood(config);
        this.family = LatentFamily.of(config, likelihood);
        Architecture arch = architecture(config);
        List<LayerSpec> enc = arch.encoder(config.encoderInputDim(), config.headsDim());
        List<LayerSpec> dec = arch.decoder(config.decoderInputDim());
        FlatParameters.Layout layout = declare(enc, dec);
        this.params = new FlatParameters(arena, layout);
        // Gradients are as large as the weights, and only a backward pass writes them: a model that serves
        // (a loaded model, each lane of the API) would carry them unused, doubling its memory.
        this.grads = trains ? new FlatParameters(arena, layout) : null;
        this.encoder = Network.build(enc, params, grads);
        this.decoder = Network.build(dec, params, grads);
    }

    /** A model of {@code config} with zero weights, to train; {@link #initialize} or a file gives them values. */
    public static LatentModel create(ModelConfig config) {
        return new LatentModel(config, true);
    }

    /**
     * A model of {@code config} with zero weights and no gradient storage: every forward pass as {@link #create}'s,
     * in half the memory. {@link #grads()} and {@link #forwardBackward} throw {@link IllegalStateException}.
     */
    public static LatentModel forInference(ModelConfig config) {
        return new LatentModel(config, false);
    }

    /** Parameter names, shapes and offsets in file order: encoder layers, heads, decoder layers. */
    public static FlatParameters.Layout layout(ModelConfig config) {
        Architecture arch = architecture(config);
        return declare(arch.encoder(config.encoderInputDim(), config.headsDim()), arch.decoder(config.decoderInputDim()));
    }

    /** The networks of {@code config.arch()}: mlp or conv, with the config's widths. */
    static Architecture architecture(ModelConfig c) {
        return c.isConv()
                ? new ConvArchitecture(c.height(), c.width(), c.channels(), c.convChannels().get(0), c.convChannels().get(1), c.hidden1())
                : new MlpArchitecture(c.inputDim(), c.hidden1(), c.hidden2());
    }

    private static FlatParameters.Layout declare(List<LayerSpec> encoder, List<LayerSpec> decoder) {
        FlatParameters.Layout layout = new FlatParameters.Layout();
        Network.declare(layout, encoder);
        Network.declare(layout, decoder);
        return layout;
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    public Likelihood likelihood() {
        return likelihood;
    }

    @Override
    public FlatParameters params() {
        return params;
    }

    /** @throws IllegalStateException if this model was built {@linkplain #forInference for inference} */
    @Override
    public FlatParameters grads() {
        requireTrains("grads()");
        return grads;
    }

    /** Whether this model has gradients to train: built by {@link #create}, not {@link #forInference}. */
    public boolean trains() {
        return grads != null;
    }

    /**
     * Bytes of native memory this model holds for its parameters and, unless built {@linkplain #forInference
     * for inference}, their gradients (padding included); workspaces and backends hold their own.
     */
    public long parameterStorageBytes() {
        return params.flat().byteSize() + (grads == null ? 0 : grads.flat().byteSize());
    }

    private void requireTrains(String what) {
        if (grads == null) {
            throw new IllegalStateException(what + ": this model was built for inference (LatentModel.forInference, or "
                    + "loaded from a model file) and has no gradient storage; LatentModel.create builds one that trains");
        }
    }

    @Override
    public int inputDim() {
        return config.inputDim();
    }

    @Override
    public int numClasses() {
        return config.numClasses();
    }

    /** PyTorch's default initialisation of every layer, drawn in layout order from the seed's stream. */
    public void initialize(long seed) {
        Rng rng = Rng.stream(seed, 0x1417);
        encoder.initialize(rng);
        decoder.initialize(rng);
    }

    /**
     * Buffers for batches of up to {@code capacity} examples; on a model built {@linkplain #forInference for
     * inference}, for forward passes alone (no gradients of activations: about half the bytes).
     */
    @Override
    public Workspace workspace(int capacity) {
        return new Workspace(config.inputDim(), config.latentDim(), encoder, decoder, new RowPass(family), capacity, use());
    }

    /** A model without gradients never goes backward, so its workspaces need no room for a backward pass. */
    private Workspace.Use use() {
        return trains() ? Workspace.Use.TRAINING : Workspace.Use.FORWARD;
    }

    /** The N-VAE sums its bound over classes, a VAE reads no label; only the conditional VAE needs one. */
    @Override
    public boolean learnsFromUnlabelled() {
        return !ModelConfig.CVAE.equals(config.model());
    }

    @Override
    public boolean readsLabels() {
        return !ModelConfig.readsNoLabel(config.model());
    }

    /**
     * A workspace that also takes unlabelled examples (label −1): an N-VAE decodes each of them once per
     * class, so its decoder buffers hold capacity·K rows. A baseline needs no more room: a VAE reads no
     * label, and a conditional VAE refuses an example without one.
     */
    @Override
    public Workspace workspace(int capacity, boolean unlabelled) {
        if (!unlabelled || !config.isNvae()) return workspace(capacity);
        return new Workspace(config.inputDim(), config.latentDim(), encoder, decoder, new RowPass(family), capacity, use(),
                config.numClasses());
    }

    /** Buffers for {@link #decode} alone: labels, decIn, the decoder's activations and logitsX. */
    public Workspace decodingWorkspace(int capacity) {
        return new Workspace(config.inputDim(), config.latentDim(), encoder, decoder, new RowPass(family), capacity,
                Workspace.Use.DECODING);
    }

    /** Noise first (as always), then — with dynamic binarization — a fresh binary draw of the batch. */
    @Override
    public void prepareBatch(Workspace ws, int count, Rng rng) {
        ws.drawNoise(count, rng);
        if (ModelConfig.BINARIZE_DYNAMIC.equals(config.binarize())) Binarization.sample(ws.x, count, rng);
    }

    // ---- forward pieces -------------------------------------------------------------------------

    /** ws.x (and ws.labels, for a family whose encoder reads the label) → ws.heads. */
    public void encode(Backend be, Workspace ws, int batch) {
        family.encoderInput(ws, batch);
        encoder.forward(be, ws.encIn, ws.heads, ws.encoder, batch);
    }

    /**
     * One reparameterised posterior sample per example (noise ws.eps, class ws.labels) → ws.decIn; returns
     * the decoder rows written (more than {@code batch} when an N-VAE decodes unlabelled examples once per class).
     */
    public int posteriorToDecoderInput(Workspace ws, int batch) {
        return family.posteriorToDecoderInput(ws, batch);
    }

    /** Decoder input from given latents (B, ds+dc): z_s = latent[i, 0:ds], z_c = latent[i, ds:], class ws.labels[i]. */
    public void latentsToDecoderInput(Workspace ws, Tensor latent, int batch) {
        family.latentsToDecoderInput(ws, latent, batch);
    }

    /** The first {@code rows} rows of ws.decIn → ws.logitsX (the likelihood's parameters). */
    public void decode(Backend be, Workspace ws, int rows) {
        decoder.forward(be, ws.decIn, ws.logitsX, ws.decoder, rows);
    }

    /**
     * The first {@code rows} rows of ws.decIn → E[x | z] in {@code mean} (what sampling returns). On a backend
     * with its own memory (cuda) the decoder and the likelihood's mean run as one pass whose logits and
     * activations stay on the device: only the input goes there and the means come back.
     */
    public void decodeMean(Backend be, Workspace ws, int rows, Tensor mean) {
        if (!likelihood.meanOnBackend()) {
            decode(be, ws, rows);
            likelihood.mean(be, ws.logitsX, mean, rows);
            return;
        }
        be.beginPass(List.of(), ws.decodingDeviceOnly());
        try {
            decode(be, ws, rows);
            likelihood.mean(be, ws.logitsX, mean, rows);
        } finally {
            be.endPass();
        }
    }

    // ---- loss -------------------------------------------------------------------------------------

    /**
     * One training pass: forward on ws.x / ws.labels / ws.eps, the loss (added to {@code out}), and the
     * backward pass writing every tensor of {@link #grads()} (over its old values: no zeroing needed).
     * Throws {@link IllegalStateException} on a model built {@linkplain #forInference for inference}.
     * The per-example work between the networks — likelihood and its gradient, KL, softmax, the heads'
     * gradient — runs on the backend's workers, a share of rows each; the batch sums are then taken in
     * example order, so the result does not depend on the thread count.
     */
    @Override
    public void forwardBackward(Backend be, Workspace ws, int batch, BatchLoss out) {
        requireTrains("forwardBackward");  // before the forward pass: a refused step must not look half-done
        LatentKernels device = be.latentKernels();
        if (device != null) {
            forwardBackwardOnDevice(be, device, ws, batch, out);
            return;
        }
        encode(be, ws, batch);
        int rows = posteriorToDecoderInput(ws, batch);
        decode(be, ws, rows);
        float invB = 1f / batch;
        ws.rows.run(be.workers(), RowPass.LOSS, ws, batch, ws.dLogitsX, invB);
        sumTerms(ws, batch, family.trainingWeights(), out);
        family.batchTerms(ws, batch, out);

        decoder.backward(be, ws.decIn, ws.logitsX, ws.dLogitsX, ws.dDecIn, ws.decoder, rows);
        ws.rows.run(be.workers(), RowPass.HEADS_GRADIENT, ws, batch, null, invB); // needs dDecIn: the gradient reaching the latents
        encoder.backward(be, ws.encIn, ws.heads, ws.dHeads, null, ws.encoder, batch);
    }

    /**
     * {@link #forwardBackward} as one pass on a backend with its own memory (cuda): the family's work runs
     * there as kernels, so the step sends its inputs, labels, noise and the batch's row layout and receives
     * the per-example terms (and the balance term, with unlabelled examples), with one wait; everything in
     * between stays on the device.
     */
    private void forwardBackwardOnDevice(Backend be, LatentKernels device, Workspace ws, int batch, BatchLoss out) {
        LatentLayout layout = family.deviceLayout();
        int rows = ws.layoutRows(batch, layout.readsLabels());
        float invB = 1f / batch;
        Tensor balance = ws.balanceTerms;
        be.beginPass(List.of(), ws.deviceOnly());
        try {
            if (ws.encIn != ws.x) device.encoderInput(layout, ws.x, ws.shape, ws.encIn, batch);
            encoder.forward(be, ws.encIn, ws.heads, ws.encoder, batch);
            device.sample(layout, ws.heads, ws.eps, ws.shape, ws.decIn, batch, rows);
            decoder.forward(be, ws.decIn, ws.logitsX, ws.decoder, rows);
            device.loss(layout, ws.logitsX, ws.x, ws.heads, ws.shape, ws.dLogitsX, invB, ws.terms, ws.rowTerms, balance,
                    batch, rows);
            decoder.backward(be, ws.decIn, ws.logitsX, ws.dLogitsX, ws.dDecIn, ws.decoder, rows);
            device.headsGradient(layout, ws.heads, ws.eps, ws.shape, ws.dDecIn, ws.rowTerms, balance, ws.dHeads, invB,
                    batch);
            encoder.backward(be, ws.encIn, ws.heads, ws.dHeads, null, ws.encoder, batch);
        } finally {
            be.endPass();
        }
        ws.termsFromColumns(batch);
        sumTerms(ws, batch, family.trainingWeights(), out);
        if (balance != null) {
            int unlabelled = 0;
            for (int i = 0; i < batch; i++) if (ws.labels[i] < 0) unlabelled++;
            out.total += config.balance() * balance.get(0, 0) * unlabelled;   // NVaeFamily.batchTerms
        }
    }

    /**
     * Forward only, with the given noise: per-example terms in ws.rec/klS/klC/ce/predicted, every weight 1
     * (for an unlabelled example, ce holds KL(q(y|x) ‖ p(y)) and the terms add up to the bound on −log p(x)).
     */
    public void evaluate(Backend be, Workspace ws, int batch, BatchLoss out) {
        encode(be, ws, batch);
        decode(be, ws, posteriorToDecoderInput(ws, batch));
        ws.rows.run(be.workers(), RowPass.LOSS, ws, batch, null, 0f);
        sumTerms(ws, batch, LatentFamily.LossWeights.EVALUATION, out);
    }

    /**
     * Adds the per-example terms of the first {@code batch} examples to {@code out}, in example order; an
     * unlabelled example's y-term goes to {@code klY}, and only labelled examples count towards accuracy.
     */
    private void sumTerms(Workspace ws, int batch, LatentFamily.LossWeights w, BatchLoss out) {
        boolean classifier = family.hasClassifier();
        for (int i = 0; i < batch; i++) {
            boolean labelled = ws.labels[i] >= 0;
            out.rec += ws.rec[i];
            out.klS += ws.klS[i];
            out.klC += ws.klC[i];
            out.total += ws.rec[i] + w.klS() * ws.klS[i] + w.klC() * ws.klC[i] + (labelled ? w.ce() : w.yKl()) * ws.ce[i];
            out.count++;
            if (!labelled) {
                out.klY += ws.ce[i];
                out.unlabelled++;
            } else {
                out.ce += ws.ce[i];
                if (classifier) {
                    out.classified++;
                    if (ws.predicted[i] == ws.labels[i]) out.correct++;
                }
            }
        }
    }

    @Override
    public void close() {
        arena.close();
    }
}
