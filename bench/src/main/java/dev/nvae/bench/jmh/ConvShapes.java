package dev.nvae.bench.jmh;

import dev.nvae.backend.ConvShape;

import java.util.ArrayList;
import java.util.List;

/**
 * The convolution products of one training step of the conv N-VAE on 28×28×1 images (encoder conv 4×4/s2/p1
 * 1→32 and 32→64, decoder transposed conv 64→32 and 32→1), named layer.form: {@code fwd} the forward pass
 * (bias + ReLU fused where the layer has it), {@code dX} the gradient at the layer's input, {@code dW} the
 * weight and bias gradients (written over, as the layers do). {@code shape} is the convolution the product
 * is made of: a transposed convolution is described by the convolution it is the adjoint of.
 *
 * <p>{@code gemm} gives the GEMM (m, n, k) an im2col implementation runs for the product — the same
 * multiply-adds — and is what the OpenBLAS ceiling runs.
 */
public record ConvShapes(String name, String form, boolean transposed, ConvShape shape, boolean relu) {
    public static final ConvShape FIRST = new ConvShape(1, 28, 28, 32, 4, 2, 1);    // 1x28x28 -> 32x14x14
    public static final ConvShape SECOND = new ConvShape(32, 14, 14, 64, 4, 2, 1);  // 32x14x14 -> 64x7x7

    public static List<ConvShapes> all() {
        List<ConvShapes> out = new ArrayList<>();
        Object[][] layers = {
                {"enc1", false, FIRST, true},
                {"enc2", false, SECOND, true},
                {"dec1", true, ConvShape.transposed(64, 7, 7, 32, 4, 2, 1), true},
                {"dec2", true, ConvShape.transposed(32, 14, 14, 1, 4, 2, 1), false}};
        for (Object[] l : layers) {
            for (String form : new String[]{"fwd", "dX", "dW"}) {
                out.add(new ConvShapes(l[0] + "." + form, form, (boolean) l[1], (ConvShape) l[2], (boolean) l[3]));
            }
        }
        return out;
    }

    public static ConvShapes named(String name) {
        return all().stream().filter(s -> s.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no convolution shape " + name));
    }

    public double flops(int batch) {
        return 2.0 * batch * shape.multiplyAdds();
    }

    /**
     * (m, n, k) of the im2col GEMM over the whole batch, P = the convolution's output pixels per example:
     * the convolution itself is (co, batch·P, ci·k·k), its adjoint (ci·k·k, batch·P, co) followed by col2im,
     * and the weight gradient (co, ci·k·k, batch·P).
     */
    public int[] gemm(int batch) {
        ConvShape s = shape;
        int pixels = batch * s.outHeight() * s.outWidth(), taps = s.weightColumns(), co = s.outChannels();
        boolean convolution = form.equals("fwd") != transposed;  // conv fwd and transposed-conv dX
        if (form.equals("dW")) return new int[]{co, taps, pixels};
        return convolution ? new int[]{co, pixels, taps} : new int[]{taps, pixels, co};
    }
}
