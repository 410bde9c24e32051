package dev.nvae.backend;

import dev.nvae.kernels.WorkerPool;
import dev.nvae.tensor.FlatParameters;
import dev.nvae.tensor.Tensor;

import java.util.List;

/**
 * The operations a layer needs, implemented once per backend over the same off-heap tensors
 * (chosen once at start-up by {@link Backends}). Every operation works on the first {@code batch} rows of its batch-shaped tensors,
 * so one set of buffers serves full batches and the last, smaller one.
 */
public interface Backend extends AutoCloseable {
    /** "vector", "onednn", ... — what {@code --backend} accepts. */
    String name();

    int threads();

    /** The number format of this backend's matrix products; float32 unless opened with {@code --precision bf16}. */
    default Precision precision() {
        return Precision.FP32;
    }

    /**
     * Declares {@code params} the weights of the layers about to run here, until the result is closed. A
     * float32 backend reads weights where they are and returns {@link AdoptedWeights#NONE}; a bf16 backend
     * makes their bf16 copies now — once, for {@linkplain FlatParameters#frozen() frozen} weights — and a
     * trainer calls {@link AdoptedWeights#changed()} after each update.
     */
    default AdoptedWeights adoptWeights(FlatParameters params) {
        return AdoptedWeights.NONE;
    }

    /** y = x·w + b, then ReLU if asked. x (batch, in), w (in, out), b (1, out), y (batch, out). */
    void linearForward(Tensor x, Tensor w, Tensor b, Tensor y, int batch, boolean relu);

    /** dx = dy·wᵀ. dy (batch, out), w (in, out), dx (batch, in). */
    void linearBackwardData(Tensor dy, Tensor w, Tensor dx, int batch);

    /**
     * dw = xᵀ·dy and db = Σ_rows dy — added to what dw and db hold when {@code accumulate}, else written
     * over it (a layer whose parameters get one contribution per step then needs no zeroing pass).
     */
    void linearBackwardWeights(Tensor x, Tensor dy, Tensor dw, Tensor db, int batch, boolean accumulate);

    /** dw += xᵀ·dy; db += Σ_rows dy. */
    default void linearBackwardWeights(Tensor x, Tensor dy, Tensor dw, Tensor db, int batch) {
        linearBackwardWeights(x, dy, dw, db, batch, true);
    }

    /**
     * The layout this backend holds a convolution activation in where {@link ConvLayouts} says "the backend's
     * own" — a tensor one convolution layer writes and the next reads: "NCHW" for a backend without one of its
     * own, which then reads every convolution's {@code io} as NCHW. Such a tensor has the NCHW tensor's size.
     */
    default String convActivationLayout() {
        return "NCHW";
    }

    /**
     * y = conv(x, w) + b, then ReLU if asked: PyTorch's Conv2d of shape s (NCHW rows; see {@link ConvShape}),
     * x and y laid out as {@code io} says (the other operations' {@code io} likewise: x and dx are the layer's
     * input side, y and dy its output side).
     * x (batch, s.inSize()), w (s.outChannels(), s.weightColumns()), b (1, s.outChannels()), y (batch, s.outSize()).
     */
    void convForward(ConvShape s, ConvLayouts io, Tensor x, Tensor w, Tensor b, Tensor y, int batch, boolean relu);

    /** dx = the gradient of {@link #convForward}'s input for dy at its output. dy (batch, s.outSize()), dx (batch, s.inSize()). */
    void convBackwardData(ConvShape s, ConvLayouts io, Tensor dy, Tensor w, Tensor dx, int batch);

    /**
     * dw = the gradient of {@link #convForward}'s weights, db = Σ dy over examples and pixels per channel —
     * added to what dw and db hold when {@code accumulate}, else written over it. x (batch, s.inSize()),
     * dy (batch, s.outSize()), dw like w, db (1, s.outChannels()).
     */
    void convBackwardWeights(ConvShape s, ConvLayouts io, Tensor x, Tensor dy, Tensor dw, Tensor db, int batch, boolean accumulate);

    /**
     * y = convᵀ(x, w) + b, then ReLU if asked: PyTorch's ConvTranspose2d, the adjoint of convolution s
     * (build s with {@link ConvShape#transposed}), from s's output space back to its input space.
     * x (batch, s.outSize()), w (s.outChannels(), s.weightColumns()) — ConvTranspose2d's (Cin, Cout, k, k) —,
     * b (1, s.inChannels()), y (batch, s.inSize()).
     */
    void convTransposeForward(ConvShape s, ConvLayouts io, Tensor x, Tensor w, Tensor b, Tensor y, int batch, boolean relu);

    /** dx = the gradient of {@link #convTransposeForward}'s input: a convolution of dy. dy (batch, s.inSize()), dx (batch, s.outSize()). */
    void convTransposeBackwardData(ConvShape s, ConvLayouts io, Tensor dy, Tensor w, Tensor dx, int batch);

    /**
     * dw = the gradient of {@link #convTransposeForward}'s weights, db = Σ dy over examples and pixels per
     * channel — added when {@code accumulate}, else written over. x (batch, s.outSize()), dy (batch, s.inSize()),
     * dw like w, db (1, s.inChannels()).
     */
    void convTransposeBackwardWeights(ConvShape s, ConvLayouts io, Tensor x, Tensor dy, Tensor dw, Tensor db, int batch, boolean accumulate);

    /**
     * A convolution layer's backward products from one output gradient: dw and db written over their old
     * values, then dx unless it is null. The same as the two calls; one call lets a backend prepare dy once for
     * both (oneDNN reorders it, at bf16 rounds it, into the primitives' layout once).
     */
    default void convBackward(ConvShape s, ConvLayouts io, Tensor x, Tensor dy, Tensor w, Tensor dw, Tensor db, Tensor dx,
                              int batch) {
        convBackwardWeights(s, io, x, dy, dw, db, batch, false);
        if (dx != null) convBackwardData(s, io, dy, w, dx, batch);
    }

    /** {@link #convBackward} for the transposed convolution. */
    default void convTransposeBackward(ConvShape s, ConvLayouts io, Tensor x, Tensor dy, Tensor w, Tensor dw, Tensor db,
                                       Tensor dx, int batch) {
        convTransposeBackwardWeights(s, io, x, dy, dw, db, batch, false);
        if (dx != null) convTransposeBackwardData(s, io, dy, w, dx, batch);
    }

    /**
     * A linear layer's backward products from one output gradient: dw = xᵀ·dy and db = Σ_rows dy written
     * over their old values, then dx = dy·wᵀ unless dx is null. The same as the two calls; one call lets a
     * backend prepare dy once for both (a bf16 backend rounds it once).
     */
    default void linearBackward(Tensor x, Tensor dy, Tensor w, Tensor dw, Tensor db, Tensor dx, int batch) {
        linearBackwardWeights(x, dy, dw, db, batch, false);
        if (dx != null) linearBackwardData(dy, w, dx, batch);
    }

    /**
     * Opens a pass: a chain of operations (a network's forward or backward pass) during which no other code
     * reads or writes the tensors they touch, until {@link #endPass()}. A backend with memory of its own
     * (cuda) then keeps what one operation writes for the next and sends results back once, at the end;
     * {@code passOnly} are tensors nothing but passes writes (a network's activations and their gradients),
     * whose copies may stay valid from one pass to the next. The CPU backends read host memory and ignore it.
     */
    default void beginPass(List<Tensor> passOnly) {
    }

    /**
     * Opens a pass as {@link #beginPass(List)} does, except that {@code deviceOnly} — tensors nobody reads on
     * the host after it, such as a training step's activations when its loss is computed on the device —
     * are not sent back at its end: their host memory is stale until a later pass writes them again.
     * Passes opened inside it (a network's, in a model's step) join it. CPU backends ignore it.
     */
    default void beginPass(List<Tensor> passOnly, List<Tensor> deviceOnly) {
        beginPass(passOnly);
    }

    /** Closes the pass {@link #beginPass} opened: every tensor written in it now holds its values in host memory. */
    default void endPass() {
    }

    /**
     * The latent family's per-example work on this backend's own memory, or null: a backend that computes
     * over host memory (the CPU backends) leaves it to the model's Java code.
     */
    default LatentKernels latentKernels() {
        return null;
    }

    /**
     * Keeps a training run's parameters (already {@linkplain #adoptWeights adopted}), gradients and Adam
     * moments on this backend's device until the result is closed, the optimiser running there too; null
     * for a backend that computes over host memory, where the trainer updates them in place.
     */
    default DeviceTraining deviceTraining(FlatParameters params, FlatParameters grads, FlatParameters m, FlatParameters v) {
        return null;
    }

    /** dy ← dy ⊙ [y > 0], y being the ReLU's output. */
    void reluBackward(Tensor dy, Tensor y, int batch);

    /** out = σ(in) on the first batch rows. */
    void sigmoid(Tensor in, Tensor out, int batch);

    /**
     * Java threads for the element-wise work around this backend's kernels — loss, optimiser, checks —
     * {@link #threads()} of them, the caller included. Owned by the backend; closed with it.
     */
    WorkerPool workers();

    /**
     * Does, once and ahead of time, the one-off work of the first forward pass that does not depend on
     * the model's shapes — for oneDNN, linking the native entry points — so that a command can run it on
     * a second core while it reads its model. Optional: every operation works without it.
     */
    default void prepareForward() {
    }

    @Override
    void close();
}
