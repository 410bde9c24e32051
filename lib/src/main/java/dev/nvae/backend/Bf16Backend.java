package dev.nvae.backend;

import dev.nvae.NvaeException;
import dev.nvae.kernels.Bf16;
import dev.nvae.kernels.Bf16Gemm;
import dev.nvae.tensor.Bf16Matrix;
import dev.nvae.tensor.FlatParameters;
import dev.nvae.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * A backend at {@link Precision#BF16}: the linear layers' products read bf16 copies of their weights and
 * round their other input to bf16, accumulating in float32 ({@link Bf16Products}: oneDNN's bf16 matmul where
 * the CPU multiplies bf16, else the vector kernels that widen bf16 weights in registers; beside oneDNN, the
 * vector kernels also run the products of up to four rows of a loaded model). Everything else —
 * element-wise work, the loss, the optimiser and the float32 master weights — is the wrapped backend's.
 * Layers and models do not change: they pass their float32 weight tensors as always, and this backend finds
 * the copy it made when the model's parameters were {@linkplain #adoptWeights adopted}.
 *
 * <p>Convolutions read the bf16 copies of their kernels too, on oneDNN ({@link Bf16Products#convolves}); where
 * the products have no convolutions (the vector kernels), a model with convolution layers is refused, in one
 * line, when its weights are adopted.
 *
 * <p>Closing it closes the copies, the products and the wrapped backend. Driven by one thread at a time.
 */
public final class Bf16Backend extends ForwardingBackend {
    private final Backend inner;
    private final Bf16Products products;
    private final Bf16Products rowProducts;  // null, or the vector kernels for a few rows of frozen weights
    private final List<Bf16Weights> adopted = new ArrayList<>();
    private final List<Bf16Weights> adoptedForRows = new ArrayList<>();
    private boolean closed;

    Bf16Backend(Backend inner, Bf16Products products) {
        this(inner, products, null);
    }

    /**
     * @param rowProducts the vector kernels, beside oneDNN's products: a single decode (a few rows) is bound
     *                    by the bytes of the weights, which they read once and widen in registers, where oneDNN
     *                    also rounds every activation and costs an OpenMP region per call (21 µs against 7–9
     *                    for the mlp decoder, Zen 4, 2 threads). They keep paired copies of frozen weights
     *                    (1.1 MB more for that decoder) and run only for inference. Null: none.
     */
    Bf16Backend(Backend inner, Bf16Products products, Bf16Products rowProducts) {
        super(inner);
        this.inner = inner;
        this.products = products;
        this.rowProducts = rowProducts;
    }

    @Override
    public Precision precision() {
        return Precision.BF16;
    }

    /** Which products run: for {@code info}-style lines and benchmarks. */
    public String products() {
        return products instanceof VectorBf16Products ? "vector bf16-weight kernels" : "oneDNN bf16 matmul";
    }

    /**
     * Makes the bf16 copies of {@code params} (rounded to nearest even) and uses them from now on for every
     * linear layer whose weight is one of these tensors. Weights that will change (training) need backward
     * products in bf16, which only oneDNN provides here.
     */
    @Override
    public AdoptedWeights adoptWeights(FlatParameters params) {
        if (closed) throw new IllegalStateException("bf16 backend is closed");
        if (!params.frozen() && !products.trains()) {
            throw new NvaeException("--precision bf16: training in bf16 needs the onednn backend on a CPU with avx512_bf16 "
                    + "or amx_bf16; here the " + inner.name() + " backend holds bf16 weights for inference only");
        }
        if (!products.convolves()) requireNoConvolutions(params.layout());
        Bf16Weights copies = new Bf16Weights(params, products.half(), inner.workers(), adopted::remove);
        adopted.add(copies);
        String outOfRange = params.frozen() ? copies.firstNonFinite() : null;
        if (outOfRange != null) {
            copies.close();
            throw new NvaeException("--precision bf16: " + outOfRange + " holds a weight beyond bf16's range (about 3.39e38); "
                    + "run this model at --precision fp32");
        }
        if (rowProducts == null || !params.frozen()) return copies;
        Bf16Weights forRows;
        try {
            forRows = new Bf16Weights(params, rowProducts.half(), inner.workers(), adoptedForRows::remove);
        } catch (RuntimeException | Error e) {
            copies.close();
            throw e;
        }
        adoptedForRows.add(forRows);
        return new AdoptedWeights() {  // frozen: nothing ever changes; closing lets both sets of copies go
            @Override
            public void changed() {
            }

            @Override
            public void close() {
                try {
                    forRows.close();
                } finally {
                    copies.close();
                }
            }
        };
    }

    /**
     * Bytes of native memory the bf16 copies of the adopted weights take: one copy for the products, and for
     * frozen weights beside oneDNN a second, paired, for the vector kernels' single rows.
     */
    public long adoptedBytes() {
        long bytes = 0;
        for (Bf16Weights w : adopted) bytes += w.byteSize();
        for (Bf16Weights w : adoptedForRows) bytes += w.byteSize();
        return bytes;
    }

    /**
     * The most {@link #adoptedBytes} can be for weights of {@code layout} on any backend: both copies, oneDNN's
     * plain one and the vector kernels' paired one (a backend that has one of them holds less).
     */
    public static long mostAdoptedBytes(FlatParameters.Layout layout) {
        return Bf16Weights.byteSize(layout, 0) + Bf16Weights.byteSize(layout, Bf16.HALF);
    }

    private Bf16Matrix copyOf(Tensor w) {
        Bf16Matrix m = find(adopted, w);
        if (m != null) return m;
        throw new IllegalStateException(w.name() + " has no bf16 copy: the backend must adopt the model's weights "
                + "(Backend.adoptWeights) before it runs the model");
    }

    private static Bf16Matrix find(List<Bf16Weights> copies, Tensor w) {
        for (int i = 0; i < copies.size(); i++) {
            Bf16Matrix m = copies.get(i).find(w);
            if (m != null) return m;
        }
        return null;
    }

    @Override
    public void linearForward(Tensor x, Tensor w, Tensor b, Tensor y, int batch, boolean relu) {
        if (rowProducts != null && Bf16Gemm.takesRowPath(batch)) {
            Bf16Matrix paired = find(adoptedForRows, w);
            if (paired != null) {
                rowProducts.forward(x, paired, b, y, batch, relu);
                return;
            }
        }
        products.forward(x, copyOf(w), b, y, batch, relu);
    }

    @Override
    public void linearBackwardData(Tensor dy, Tensor w, Tensor dx, int batch) {
        products.backwardData(dy, copyOf(w), dx, batch);
    }

    @Override
    public void linearBackwardWeights(Tensor x, Tensor dy, Tensor dw, Tensor db, int batch, boolean accumulate) {
        products.backwardWeights(x, dy, dw, db, batch, accumulate);
    }

    @Override
    public void linearBackward(Tensor x, Tensor dy, Tensor w, Tensor dw, Tensor db, Tensor dx, int batch) {
        products.backward(x, dy, dx == null ? null : copyOf(w), dw, db, dx, batch);
    }

    /*
     * Convolutions multiply the kernels' bf16 copies (products that have none refused the model when its
     * weights were adopted, and copyOf stands guard for a caller that skipped adoption).
     */

    @Override
    public void convBackward(ConvShape s, ConvLayouts io, Tensor x, Tensor dy, Tensor w, Tensor dw, Tensor db, Tensor dx,
                             int batch) {
        products.convBackward(s, io, x, dy, w, dx == null ? null : copyOf(w), dw, db, dx, batch);
    }

    @Override
    public void convTransposeBackward(ConvShape s, ConvLayouts io, Tensor x, Tensor dy, Tensor w, Tensor dw, Tensor db,
                                      Tensor dx, int batch) {
        products.convTransposeBackward(s, io, x, dy, w, dx == null ? null : copyOf(w), dw, db, dx, batch);
    }

    @Override
    public void convForward(ConvShape s, ConvLayouts io, Tensor x, Tensor w, Tensor b, Tensor y, int batch, boolean relu) {
        products.convForward(s, io, x, w, copyOf(w), b, y, batch, relu);
    }

    @Override
    public void convBackwardData(ConvShape s, ConvLayouts io, Tensor dy, Tensor w, Tensor dx, int batch) {
        products.convBackwardData(s, io, dy, w, copyOf(w), dx, batch);
    }

    @Override
    public void convBackwardWeights(ConvShape s, ConvLayouts io, Tensor x, Tensor dy, Tensor dw, Tensor db, int batch, boolean accumulate) {
        products.convBackwardWeights(s, io, x, dy, dw, db, batch, accumulate);
    }

    @Override
    public void convTransposeForward(ConvShape s, ConvLayouts io, Tensor x, Tensor w, Tensor b, Tensor y, int batch, boolean relu) {
        products.convTransposeForward(s, io, x, w, copyOf(w), b, y, batch, relu);
    }

    @Override
    public void convTransposeBackwardData(ConvShape s, ConvLayouts io, Tensor dy, Tensor w, Tensor dx, int batch) {
        products.convTransposeBackwardData(s, io, dy, w, copyOf(w), dx, batch);
    }

    @Override
    public void convTransposeBackwardWeights(ConvShape s, ConvLayouts io, Tensor x, Tensor dy, Tensor dw, Tensor db, int batch, boolean accumulate) {
        products.convTransposeBackwardWeights(s, io, x, dy, dw, db, batch, accumulate);
    }

    /** Refuses parameters with convolution kernels in one line naming the first (products without convolutions). */
    private void requireNoConvolutions(FlatParameters.Layout layout) {
        String first = firstConvolution(layout);
        if (first == null) return;
        if (inner instanceof OneDnnBackend) {  // oneDNN without bf16 products: this CPU (or oneDNN's ISA) has no bf16
            throw new NvaeException("--precision bf16: " + first + " is a convolution kernel, and convolutions have bf16 "
                    + "products only where oneDNN multiplies bf16 (a CPU with avx512_bf16 or amx_bf16; nvae info's bf16 line "
                    + "says why not here); run this model at --precision fp32");
        }
        throw new NvaeException("--precision bf16: " + first + " is a convolution kernel, and on the " + inner.name()
                + " backend convolutions have no bf16 products (the onednn backend has them, on a CPU with avx512_bf16 "
                + "or amx_bf16); run this model at --precision fp32 or on --backend onednn");
    }

    /** The first tensor of more than two dimensions (a convolution kernel), or null. */
    private static String firstConvolution(FlatParameters.Layout layout) {
        for (FlatParameters.Layout.Entry e : layout.entries()) {
            if (e.shape().length > 2) return e.name();
        }
        return null;
    }

    /** Closes every copy, the products and the wrapped backend, each even if one before it threw; rethrows the first. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        List<AutoCloseable> all = new ArrayList<>(adoptedForRows);
        all.addAll(adopted);
        all.add(products);
        if (rowProducts != null) all.add(rowProducts);
        all.add(inner);
        RuntimeException first = null;
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception e) {
                RuntimeException r = e instanceof RuntimeException re ? re : new IllegalStateException(e);
                if (first == null) first = r;
                else first.addSuppressed(r);
            }
        }
        if (first != null) throw first;
    }
}
