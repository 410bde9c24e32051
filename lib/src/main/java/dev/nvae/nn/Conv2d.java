package dev.nvae.nn;

import dev.nvae.backend.Backend;
import dev.nvae.backend.ConvLayouts;
import dev.nvae.backend.ConvShape;
import dev.nvae.tensor.FlatParameters;
import dev.nvae.tensor.Tensor;

/**
 * A 2-D convolution layer y = conv(x, w) + b with an optional fused ReLU — PyTorch's Conv2d over NCHW
 * rows (see {@link ConvShape}): x (B, Cin·H·W), y (B, Cout·H'·W'). w is PyTorch's (Cout, Cin, k, k) stored
 * as (Cout, Cin·k·k), b (1, Cout). Parameters and gradients are slices of the model's flat buffers;
 * backward writes the gradients over, as {@link Linear} does.
 */
public final class Conv2d extends ConvLayer {
    /** A convolution of {@code shape}, named {@code name} in files. */
    public record Spec(String name, ConvShape shape, boolean relu, ConvLayouts io) implements ConvLayerSpec {
        /** With both activations NCHW; {@link dev.nvae.network.Network#build} puts those between two convolution layers in the backend's layout. */
        public Spec(String name, ConvShape shape, boolean relu) {
            this(name, shape, relu, ConvLayouts.NCHW);
        }

        @Override
        public Spec withLayouts(ConvLayouts io) {
            return new Spec(name, shape, relu, io);
        }

        /** {@code name.w} [Cout, Cin, k, k] stored (Cout, Cin·k·k), {@code name.b} [Cout]. */
        @Override
        public void declare(FlatParameters.Layout layout) {
            ConvLayer.declareTensors(layout, name, shape, shape.outChannels());
        }

        @Override
        public Conv2d build(FlatParameters params, FlatParameters grads) {
            return new Conv2d(name, shape, params, grads, relu, io);
        }
    }

    public Conv2d(String name, ConvShape shape, FlatParameters params, FlatParameters grads, boolean relu) {
        this(name, shape, params, grads, relu, ConvLayouts.NCHW);
    }

    /** @param io which of its activations are held in the backend's own layout (see {@link ConvLayouts}) */
    public Conv2d(String name, ConvShape shape, FlatParameters params, FlatParameters grads, boolean relu, ConvLayouts io) {
        super(name, shape, params, grads, relu, io, shape.outChannels());
    }

    /** Declares this layer's tensors in a parameter layout (see {@link Spec#declare}). */
    public static void declare(FlatParameters.Layout layout, String name, ConvShape shape) {
        new Spec(name, shape, false).declare(layout);
    }

    /** Floats of one example's input: Cin·H·W. */
    @Override
    public int inputWidth() {
        return shape.inSize();
    }

    /** Floats of one example's output: Cout·H'·W'. */
    @Override
    public int outputWidth() {
        return shape.outSize();
    }

    @Override
    public void forward(Backend be, Tensor x, Tensor y, int batch) {
        be.convForward(shape, io, x, w, b, y, batch, relu);
    }

    @Override
    void products(Backend be, Tensor x, Tensor dy, Tensor dx, int batch) {
        be.convBackward(shape, io, x, dy, w, dw, db, dx, batch);
    }
}
