package dev.nvae.network;

import dev.nvae.backend.ConvShape;
import dev.nvae.nn.Conv2d;
import dev.nvae.nn.ConvTranspose2d;
import dev.nvae.nn.LayerSpec;
import dev.nvae.nn.Linear;

import java.util.List;

/**
 * The {@code conv} architecture, for images of C channels with sides divisible by 4:
 * <pre>
 * encoder  enc.conv1   conv 4×4 / stride 2 / pad 1, C' → c1, ReLU      (C' = C, or C + K label planes: CVAE)
 *          enc.conv2   conv 4×4 / stride 2 / pad 1, c1 → c2, ReLU      H×W → H/2×W/2 → H/4×W/4
 *          enc.fc      dense c2·(H/4)·(W/4) → hidden, ReLU             (flatten: a row is already CHW)
 *          heads       dense hidden → heads
 * decoder  dec.fc1     dense Z → hidden, ReLU
 *          dec.fc2     dense hidden → c2·(H/4)·(W/4), ReLU             (reshape to (c2, H/4, W/4): no-op)
 *          dec.deconv1 transposed conv 4×4 / s2 / p1, c2 → c1, ReLU
 *          dec.deconv2 transposed conv 4×4 / s2 / p1, c1 → C           (the likelihood's parameters)
 * </pre>
 */
public record ConvArchitecture(int height, int width, int channels, int c1, int c2, int hidden) implements Architecture {
    private static final int KERNEL = 4, STRIDE = 2, PAD = 1;

    public ConvArchitecture {
        if (height % 4 != 0 || width % 4 != 0) {
            throw new IllegalArgumentException("conv needs image sides divisible by 4, got " + height + "x" + width);
        }
    }

    /** Values per example at the bottleneck: c2 channels of (H/4)×(W/4). */
    private int flat() {
        return c2 * (height / 4) * (width / 4);
    }

    @Override
    public List<LayerSpec> encoder(int inputWidth, int headsWidth) {
        int plane = height * width;
        if (inputWidth % plane != 0) {
            throw new IllegalArgumentException("conv encoder input of " + inputWidth + " values is not whole " + height + "x" + width + " planes");
        }
        return List.of(
                new Conv2d.Spec("enc.conv1", new ConvShape(inputWidth / plane, height, width, c1, KERNEL, STRIDE, PAD), true),
                new Conv2d.Spec("enc.conv2", new ConvShape(c1, height / 2, width / 2, c2, KERNEL, STRIDE, PAD), true),
                new Linear.Spec("enc.fc", flat(), hidden, true),
                new Linear.Spec("heads", hidden, headsWidth, false));
    }

    @Override
    public List<LayerSpec> decoder(int inputWidth) {
        return List.of(
                new Linear.Spec("dec.fc1", inputWidth, hidden, true),
                new Linear.Spec("dec.fc2", hidden, flat(), true),
                new ConvTranspose2d.Spec("dec.deconv1", ConvShape.transposed(c2, height / 4, width / 4, c1, KERNEL, STRIDE, PAD), true),
                new ConvTranspose2d.Spec("dec.deconv2", ConvShape.transposed(c1, height / 2, width / 2, channels, KERNEL, STRIDE, PAD), false));
    }
}
