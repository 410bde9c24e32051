package dev.nvae.backend;

/**
 * A 2-D convolution with PyTorch {@code Conv2d}'s semantics: each example maps inChannels × inHeight ×
 * inWidth to outChannels × outHeight × outWidth with a square kernel, one stride and one zero padding on
 * both axes, outHeight = ⌊(inHeight + 2·pad − kernel) / stride⌋ + 1 (likewise the width).
 *
 * <p>Layouts (those of PyTorch, so model files load there unchanged): a batch row of an activation tensor
 * holds one example in CHW order — (batch, C·H·W) is NCHW —; the weights, PyTorch's (Cout, Cin, kh, kw),
 * are a tensor (outChannels, inChannels·kernel·kernel); the bias is (1, outChannels).
 *
 * <p>A <b>transposed convolution</b> (PyTorch {@code ConvTranspose2d}) is described by the convolution it is
 * the adjoint of: it maps this shape's output space (outChannels, outHeight, outWidth) back onto its input
 * space (inChannels, inHeight, inWidth). {@link #transposed} builds that shape from the transposed
 * convolution's own terms. PyTorch's ConvTranspose2d weight (Cin', Cout', kh, kw) is then exactly the
 * (outChannels, inChannels, kh, kw) weight of this convolution, stored the same way.
 */
public record ConvShape(int inChannels, int inHeight, int inWidth, int outChannels, int kernel, int stride, int pad) {

    public ConvShape {
        positive("inChannels", inChannels);
        positive("inHeight", inHeight);
        positive("inWidth", inWidth);
        positive("outChannels", outChannels);
        positive("kernel", kernel);
        positive("stride", stride);
        if (pad < 0) throw new IllegalArgumentException("convolution pad must be >= 0, got " + pad);
        if (pad >= kernel) {
            // PyTorch accepts it, but every output on the border would then see padding only.
            throw new IllegalArgumentException("convolution pad " + pad + " must be smaller than the kernel " + kernel);
        }
        if (inHeight + 2L * pad < kernel || inWidth + 2L * pad < kernel) {
            throw new IllegalArgumentException("convolution input " + inHeight + "x" + inWidth + " with pad " + pad
                    + " is smaller than the " + kernel + "x" + kernel + " kernel");
        }
        long in = (long) inChannels * inHeight * inWidth;
        long weights = (long) outChannels * inChannels * kernel * kernel;
        long out = (long) outChannels * ((inHeight + 2L * pad - kernel) / stride + 1) * ((inWidth + 2L * pad - kernel) / stride + 1);
        if (Math.max(in, Math.max(weights, out)) > Integer.MAX_VALUE / 4) {
            throw new IllegalArgumentException("convolution " + inChannels + "x" + inHeight + "x" + inWidth + " -> "
                    + outChannels + " with a " + kernel + "x" + kernel + " kernel is too large for one tensor row");
        }
    }

    /**
     * The shape whose adjoint is the transposed convolution inChannels × inHeight × inWidth → outChannels ×
     * H' × W' with H' = (inHeight − 1)·stride − 2·pad + kernel (PyTorch's output size with no output padding).
     */
    public static ConvShape transposed(int inChannels, int inHeight, int inWidth, int outChannels, int kernel,
                                       int stride, int pad) {
        positive("transposed convolution inHeight", inHeight);
        positive("transposed convolution inWidth", inWidth);
        positive("transposed convolution stride", stride);
        long h = (long) (inHeight - 1) * stride - 2L * pad + kernel, w = (long) (inWidth - 1) * stride - 2L * pad + kernel;
        if (h < 1 || w < 1 || h > Integer.MAX_VALUE || w > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("transposed convolution of " + inHeight + "x" + inWidth + " with kernel "
                    + kernel + ", stride " + stride + ", pad " + pad + " has no valid output size (" + h + "x" + w + ")");
        }
        return new ConvShape(outChannels, (int) h, (int) w, inChannels, kernel, stride, pad);
    }

    private static void positive(String name, int v) {
        if (v < 1) throw new IllegalArgumentException("convolution " + name + " must be >= 1, got " + v);
    }

    public int outHeight() {
        return (inHeight + 2 * pad - kernel) / stride + 1;
    }

    public int outWidth() {
        return (inWidth + 2 * pad - kernel) / stride + 1;
    }

    /** Floats of one example on the input side: inChannels·inHeight·inWidth (a batch row's width). */
    public int inSize() {
        return inChannels * inHeight * inWidth;
    }

    /** Floats of one example on the output side: outChannels·outHeight·outWidth. */
    public int outSize() {
        return outChannels * outHeight() * outWidth();
    }

    /** Columns of the weight tensor: inChannels·kernel·kernel (its rows are the outChannels). */
    public int weightColumns() {
        return inChannels * kernel * kernel;
    }

    /** Multiply-adds of one example, 2 flops each: the same for the convolution, its adjoint and their gradients. */
    public long multiplyAdds() {
        return (long) outChannels * outHeight() * outWidth() * weightColumns();
    }

    @Override
    public String toString() {
        return inChannels + "x" + inHeight + "x" + inWidth + " -> " + outChannels + "x" + outHeight() + "x" + outWidth()
                + " (kernel " + kernel + ", stride " + stride + ", pad " + pad + ")";
    }
}
