package dev.nvae.network;

import dev.nvae.backend.ConvLayouts;
import dev.nvae.backend.ConvShape;
import dev.nvae.nn.Conv2d;
import dev.nvae.nn.ConvLayerSpec;
import dev.nvae.nn.ConvTranspose2d;
import dev.nvae.nn.Linear;
import dev.nvae.nn.LayerSpec;
import dev.nvae.tensor.FlatParameters;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Network.build holds a tensor in the backend's own layout exactly where one convolution layer writes it and
 * the next reads it: the conv architecture's two tensors between enc.conv1 and enc.conv2 and between
 * dec.deconv1 and dec.deconv2; the image and the tensors at a dense layer stay NCHW.
 */
class NetworkLayoutsTest {
    @Test
    void onlyTensorsBetweenTwoConvolutionLayersAreInTheBackendsLayout() {
        ConvArchitecture arch = new ConvArchitecture(28, 28, 1, 32, 64, 256);
        assertEquals(List.of(new ConvLayouts(false, true), new ConvLayouts(true, false)), convLayouts(arch.encoder(784, 10)));
        assertEquals(List.of(new ConvLayouts(false, true), new ConvLayouts(true, false)), convLayouts(arch.decoder(12)));
    }

    @Test
    void aSpecsOwnLayoutsAreReplacedByItsNeighbours() {
        // A spec that says "backend's layout" next to a dense layer would hand that layer NHWC rows.
        ConvArchitecture arch = new ConvArchitecture(8, 8, 1, 4, 4, 6);
        List<LayerSpec> specs = arch.encoder(64, 3).stream()
                .map(s -> s instanceof ConvLayerSpec c ? (LayerSpec) c.withLayouts(new ConvLayouts(true, true)) : s)
                .toList();
        assertEquals(List.of(new ConvLayouts(false, true), new ConvLayouts(true, false)), convLayouts(specs));
    }

    /** conv, dense, conv, conv: the first convolution's output goes to a dense layer, so only the last two share a tensor. */
    @Test
    void aDenseLayerBetweenConvolutionsKeepsItsTensorsNchw() {
        ConvShape first = new ConvShape(1, 8, 8, 4, 4, 2, 1), second = new ConvShape(1, 8, 8, 4, 4, 2, 1);
        List<LayerSpec> specs = List.of(new Conv2d.Spec("a", first, true), new Linear.Spec("fc", first.outSize(), second.inSize(), true),
                new Conv2d.Spec("b", second, true), new Conv2d.Spec("c", new ConvShape(4, 4, 4, 4, 3, 1, 1), false));
        assertEquals(List.of(ConvLayouts.NCHW, new ConvLayouts(false, true), new ConvLayouts(true, false)), convLayouts(specs));
    }

    private static List<ConvLayouts> convLayouts(List<? extends LayerSpec> specs) {
        FlatParameters.Layout layout = new FlatParameters.Layout();
        Network.declare(layout, specs);
        try (Arena arena = Arena.ofConfined()) {
            Network n = Network.build(specs, new FlatParameters(arena, layout), null);
            return n.layers().stream()
                    .filter(l -> l instanceof Conv2d || l instanceof ConvTranspose2d)
                    .map(l -> l instanceof Conv2d c ? c.layouts() : ((ConvTranspose2d) l).layouts())
                    .toList();
        }
    }
}
