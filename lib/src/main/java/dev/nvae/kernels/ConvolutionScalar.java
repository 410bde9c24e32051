package dev.nvae.kernels;

import java.lang.foreign.MemorySegment;

import static dev.nvae.tensor.Tensor.F32;

/**
 * The scalar twin of {@link Convolution}: 2-D convolutions as the direct nested loops of their definitions,
 * the oracle the vector kernels are tested against and the {@code -Dnvae.simd=scalar} fallback.
 *
 * <p>Geometry, shared by every method: the convolution maps the input space (ci, h, w) to the output
 * space (co, oh, ow), oh = ⌊(h + 2·pad − k)/stride⌋ + 1, with weights wt (co, ci, k, k) and taps
 * iy = oy·stride − pad + ky (likewise x); taps outside the image read zero. Tensors are NCHW, one example
 * per {@code ci·h·w} (or {@code co·oh·ow}) floats, and the first {@code batch} examples are used.
 *
 * <p>Summation order, which the vector kernels follow so that most results agree to the last bit: each
 * output of {@link #forward} sums over (ky, kx, c) in that order, each output of {@link #transposed} over
 * its valid (ky, kx) in order and then c, each weight gradient over (n, oy, ox) — all with fused
 * multiply-adds, taps that fall on padding included as a product with zero — then the old value (when
 * accumulating) or the bias, then ReLU.
 */
public final class ConvolutionScalar {
    private ConvolutionScalar() {
    }

    static int outSize(int in, int k, int stride, int pad) {
        return (in + 2 * pad - k) / stride + 1;
    }

    /** dst (batch, co·oh·ow) = conv(src (batch, ci·h·w), wt) (+ bias (co)) (ReLU). bias may be null. */
    public static void forward(int ci, int h, int w, int co, int k, int stride, int pad, int batch,
                               MemorySegment src, MemorySegment wt, MemorySegment bias, boolean relu, MemorySegment dst) {
        int oh = outSize(h, k, stride, pad), ow = outSize(w, k, stride, pad);
        for (int n = 0; n < batch; n++) {
            long in = (long) n * ci * h * w, out = (long) n * co * oh * ow;
            for (int o = 0; o < co; o++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        float sum = 0f;
                        for (int ky = 0; ky < k; ky++) {
                            for (int kx = 0; kx < k; kx++) {
                                int iy = oy * stride - pad + ky, ix = ox * stride - pad + kx;
                                boolean inside = iy >= 0 && iy < h && ix >= 0 && ix < w;
                                for (int c = 0; c < ci; c++) {
                                    float x = inside ? src.getAtIndex(F32, in + ((long) c * h + iy) * w + ix) : 0f;
                                    sum = Math.fma(wt.getAtIndex(F32, (((long) o * ci + c) * k + ky) * k + kx), x, sum);
                                }
                            }
                        }
                        dst.setAtIndex(F32, out + ((long) o * oh + oy) * ow + ox, epilogue(sum, bias, o, relu));
                    }
                }
            }
        }
    }

    /**
     * dst (batch, ci·h·w) = convᵀ(src (batch, co·oh·ow), wt) (+ bias (ci)) (ReLU): the adjoint of
     * {@link #forward}, which is PyTorch's ConvTranspose2d from co to ci channels with weight (co, ci, k, k).
     * dst(c, iy, ix) = Σ over (ky, kx) with oy = (iy + pad − ky)/stride a whole number, then over o, of
     * wt(o, c, ky, kx)·src(o, oy, ox), reading zero where oy or ox is outside the output image.
     */
    public static void transposed(int ci, int h, int w, int co, int k, int stride, int pad, int batch,
                                  MemorySegment src, MemorySegment wt, MemorySegment bias, boolean relu, MemorySegment dst) {
        int oh = outSize(h, k, stride, pad), ow = outSize(w, k, stride, pad);
        for (int n = 0; n < batch; n++) {
            long in = (long) n * co * oh * ow, out = (long) n * ci * h * w;
            for (int c = 0; c < ci; c++) {
                for (int iy = 0; iy < h; iy++) {
                    for (int ix = 0; ix < w; ix++) {
                        float sum = 0f;
                        for (int ky = 0; ky < k; ky++) {
                            if (Math.floorMod(iy + pad - ky, stride) != 0) continue;
                            int oy = Math.floorDiv(iy + pad - ky, stride);
                            for (int kx = 0; kx < k; kx++) {
                                if (Math.floorMod(ix + pad - kx, stride) != 0) continue;
                                int ox = Math.floorDiv(ix + pad - kx, stride);
                                boolean inside = oy >= 0 && oy < oh && ox >= 0 && ox < ow;
                                for (int o = 0; o < co; o++) {
                                    float y = inside ? src.getAtIndex(F32, in + ((long) o * oh + oy) * ow + ox) : 0f;
                                    sum = Math.fma(wt.getAtIndex(F32, (((long) o * ci + c) * k + ky) * k + kx), y, sum);
                                }
                            }
                        }
                        dst.setAtIndex(F32, out + ((long) c * h + iy) * w + ix, epilogue(sum, bias, c, relu));
                    }
                }
            }
        }
    }

    /**
     * dw (co, ci·k·k) (+)= Σ_(n, oy, ox) srcO(n, o, oy, ox)·srcI(n, c, iy, ix): the weight gradient of
     * {@link #forward} (srcI its input, srcO the gradient at its output) and of {@link #transposed} (srcI
     * the gradient at its output, srcO its input). Added to dw's old values when {@code accumulate}.
     */
    public static void weights(int ci, int h, int w, int co, int k, int stride, int pad, int batch,
                               MemorySegment srcI, MemorySegment srcO, MemorySegment dw, boolean accumulate) {
        int oh = outSize(h, k, stride, pad), ow = outSize(w, k, stride, pad);
        for (int o = 0; o < co; o++) {
            for (int c = 0; c < ci; c++) {
                for (int ky = 0; ky < k; ky++) {
                    for (int kx = 0; kx < k; kx++) {
                        float sum = 0f;
                        for (int n = 0; n < batch; n++) {
                            long in = (long) n * ci * h * w, out = (long) n * co * oh * ow;
                            for (int oy = 0; oy < oh; oy++) {
                                for (int ox = 0; ox < ow; ox++) {
                                    int iy = oy * stride - pad + ky, ix = ox * stride - pad + kx;
                                    boolean inside = iy >= 0 && iy < h && ix >= 0 && ix < w;
                                    float x = inside ? srcI.getAtIndex(F32, in + ((long) c * h + iy) * w + ix) : 0f;
                                    sum = Math.fma(srcO.getAtIndex(F32, out + ((long) o * oh + oy) * ow + ox), x, sum);
                                }
                            }
                        }
                        long at = (((long) o * ci + c) * k + ky) * k + kx;
                        dw.setAtIndex(F32, at, accumulate ? dw.getAtIndex(F32, at) + sum : sum);
                    }
                }
            }
        }
    }

    /** db (channels) (+)= Σ_(n, p) src(n, c, p): the bias gradient, src (batch, channels·positions) NCHW. */
    public static void channelSums(MemorySegment src, int batch, int channels, int positions, MemorySegment db,
                                   boolean accumulate) {
        for (int c = 0; c < channels; c++) {
            float sum = 0f;
            for (int n = 0; n < batch; n++) {
                long base = ((long) n * channels + c) * positions;
                for (int p = 0; p < positions; p++) sum += src.getAtIndex(F32, base + p);
            }
            db.setAtIndex(F32, c, accumulate ? db.getAtIndex(F32, c) + sum : sum);
        }
    }

    private static float epilogue(float sum, MemorySegment bias, int channel, boolean relu) {
        float v = bias != null ? sum + bias.getAtIndex(F32, channel) : sum;
        return relu ? Math.max(v, 0f) : v;
    }
}
