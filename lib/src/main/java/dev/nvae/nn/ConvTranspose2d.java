package dev.nvae.nn;

import dev.nvae.backend.Backend;
import dev.nvae.backend.ConvLayouts;
import dev.nvae.backend.ConvShape;
import dev.nvae.tensor.FlatParameters;
import dev.nvae.tensor.Tensor;

/**
 * A 2-D transposed convolution layer y = convᵀ(x, w) + b with an optional fused ReLU — PyTorch's
 * ConvTranspose2d over NCHW rows, from Cin × H × W to Cout × H' × W' with H' = (H − 1)·stride − 2·pad + k.
 * It is described by the convolution it is the adjoint of ({@link ConvShape#transposed}): x (B, Cin·H·W)
 * is that shape's output side, y (B, Cout·H'·W') its input side. w is PyTorch's (Cin, Cout, k, k) stored
 * as (Cin, Cout·k·k), b (1, Cout). Backward writes the gradients over, as {@link Linear} does.
 */
public final class ConvTranspose2d extends ConvLayer {
    /** A transposed convolution, the adjoint of {@code shape} ({@link ConvShape#transposed}), named {@code name} in files. */
    public record Spec(String name, ConvShape shape, boolean relu, ConvLayouts io) implements ConvLayerSpec {
        /** With both activations NCHW; {@link dev.nvae.network.Network#build} puts those between two convolution layers in the backend's layout. */
        public Spec(String name, ConvShape shape, boolean relu) {
            this(name, shape, relu, ConvLayouts.NCHW);
        }

        @Override
        public Spec withLayouts(ConvLayouts io) {
            return new Spec(name, shape, relu, io);
        }

        /** {@code name.w} [Cin, Cout, k, k] (ConvTranspose2d's) stored (Cin, Cout·k·k), {@code name.b} [Cout]. */
        @Override
        public void declare(FlatParameters.Layout layout) {
            ConvLayer.declareTensors(layout, name, shape, shape.inChannels());
        }

        @Override
        public ConvTranspose2d build(FlatParameters params, FlatParameters grads) {
            return new ConvTranspose2d(name, shape, params, grads, relu, io);
        }
    }

    /** @param shape the adjoint convolution, e.g. {@code ConvShape.transposed(64, 7, 7, 32, 4, 2, 1)} for 64x7x7 → 32x14x14 */
    public ConvTranspose2d(String name, ConvShape shape, FlatParameters params, FlatParameters grads, boolean relu) {
        this(name, shape, params, grads, relu, ConvLayouts.NCHW);
    }

    /** @param io which of its activations are held in the backend's own layout (see {@link ConvLayouts}) */
    public ConvTranspose2d(String name, ConvShape shape, FlatParameters params, FlatParameters grads, boolean relu, ConvLayouts io) {
        super(name, shape, params, grads, relu, io, shape.inChannels());
    }

    /** Declares this layer's tensors: {@code name.w} (Cin, Cout·k·k), {@code name.b} (1, Cout), in the layer's own terms. */
    public static void declare(FlatParameters.Layout layout, String name, ConvShape shape) {
        new Spec(name, shape, false).declare(layout);
    }

    /** Floats of one example's input: Cin·H·W (the adjoint shape's output side). */
    @Override
    public int inputWidth() {
        return shape.outSize();
    }

    /** Floats of one example's output: Cout·H'·W' (the adjoint shape's input side). */
    @Override
    public int outputWidth() {
        return shape.inSize();
    }

    @Override
    public void forward(Backend be, Tensor x, Tensor y, int batch) {
        be.convTransposeForward(shape, io, x, w, b, y, batch, relu);
    }

    @Override
    void products(Backend be, Tensor x, Tensor dy, Tensor dx, int batch) {
        be.convTransposeBackward(shape, io, x, dy, w, dw, db, dx, batch);
    }
}
