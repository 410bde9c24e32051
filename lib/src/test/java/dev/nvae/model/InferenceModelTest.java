package dev.nvae.model;

import dev.nvae.backend.Backend;
import dev.nvae.backend.ConvShape;
import dev.nvae.backend.VectorBackend;
import dev.nvae.nn.Conv2d;
import dev.nvae.nn.ConvTranspose2d;
import dev.nvae.nn.Layer;
import dev.nvae.nn.Linear;
import dev.nvae.random.Rng;
import dev.nvae.tensor.FlatParameters;
import dev.nvae.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A model built for inference ({@link LatentModel#forInference}, and every model {@link ModelFile#load} returns)
 * allocates its parameters and no gradients: its forward passes are the trainable model's, bit for bit, and
 * anything that would write a gradient throws instead of writing somewhere.
 */
class InferenceModelTest {
    private static final ModelConfig MLP = new ModelConfig(ModelConfig.NVAE, ModelConfig.MLP, 1, 7, 3, 6, 5, 2, 3, 1.7, 0.6);
    private static final ModelConfig CONV = new ModelConfig(ModelConfig.NVAE, ModelConfig.MLP, 8, 12, 3, 6, 5, 2, 2, 1.7, 0.6)
            .withChannels(2).withArchitecture(ModelConfig.CONV, new int[]{5}, List.of(2, 3));

    @Test
    void holdsHalfTheBytesOfATrainableModel() {
        for (ModelConfig c : List.of(MLP, CONV)) {
            try (LatentModel trains = LatentModel.create(c); LatentModel serves = LatentModel.forInference(c)) {
                long weights = LatentModel.layout(c).totalFloats() * Float.BYTES;
                assertTrue(trains.trains());
                assertFalse(serves.trains());
                assertEquals(2 * weights, trains.parameterStorageBytes(), c.arch());
                assertEquals(weights, serves.parameterStorageBytes(), c.arch());
            }
        }
    }

    @Test
    void backwardPassThrowsAndWritesNothing() {
        for (ModelConfig c : List.of(MLP, CONV)) {
            try (Backend be = new VectorBackend(1); LatentModel m = LatentModel.forInference(c); Workspace ws = m.workspace(3)) {
                m.initialize(4);
                fill(ws, 3);
                float[] heads = ws.heads.toArray(), weights = m.params().flat().toArray(java.lang.foreign.ValueLayout.JAVA_FLOAT);
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.forwardBackward(be, ws, 3, new BatchLoss()));
                assertTrue(e.getMessage().startsWith("forwardBackward: this model was built for inference"), e.getMessage());
                assertArrayEquals(heads, ws.heads.toArray(), "the refused step ran its forward pass");
                assertArrayEquals(weights, m.params().flat().toArray(java.lang.foreign.ValueLayout.JAVA_FLOAT));
                assertThrows(IllegalStateException.class, m::grads);
            }
        }
    }

    @Test
    void forwardPassesMatchTheTrainableModelBitForBit() {
        for (ModelConfig c : List.of(MLP, CONV)) {
            try (Backend be = new VectorBackend(2); LatentModel trains = LatentModel.create(c);
                 LatentModel serves = LatentModel.forInference(c);
                 Workspace a = trains.workspace(3); Workspace b = serves.workspace(3)) {
                trains.initialize(7);
                serves.params().copyFrom(trains.params());
                fill(a, 3);
                fill(b, 3);
                BatchLoss la = new BatchLoss(), lb = new BatchLoss();
                trains.evaluate(be, a, 3, la);
                serves.evaluate(be, b, 3, lb);
                assertEquals(la.total, lb.total, c.arch());
                assertArrayEquals(a.heads.toArray(), b.heads.toArray(), c.arch());
                assertArrayEquals(a.logitsX.toArray(), b.logitsX.toArray(), c.arch());
            }
        }
    }

    @Test
    void aLoadedModelIsBuiltForInference(@TempDir Path dir) {
        Path file = dir.resolve("m.safetensors");
        try (LatentModel m = LatentModel.create(MLP)) {
            m.initialize(1);
            ModelFile.save(m, file, List.of("a", "b", "c"), Map.of());
        }
        try (LoadedModel loaded = ModelFile.load(file)) {
            assertFalse(loaded.model().trains());
            assertEquals(LatentModel.layout(MLP).totalFloats() * Float.BYTES, loaded.model().parameterStorageBytes());
        }
    }

    /** Each kind of layer built without gradients refuses backward before it touches dy (a ReLU's backward works in place). */
    @Test
    void layersWithoutGradientsRefuseBackward() {
        ConvShape conv = new ConvShape(1, 4, 4, 2, 3, 2, 1), up = ConvShape.transposed(2, 2, 2, 1, 3, 2, 1);
        FlatParameters.Layout layout = new FlatParameters.Layout();
        Linear.declare(layout, "l", 3, 2);
        Conv2d.declare(layout, "c", conv);
        ConvTranspose2d.declare(layout, "t", up);
        try (Arena arena = Arena.ofShared(); Backend be = new VectorBackend(1)) {
            FlatParameters params = new FlatParameters(arena, layout);
            List<Layer> layers = List.of(new Linear("l", params, null, true), new Conv2d("c", conv, params, null, true),
                    new ConvTranspose2d("t", up, params, null, true));
            for (Layer l : layers) {
                Tensor x = Tensor.allocate(arena, "x", 1, l.inputWidth()), y = Tensor.allocate(arena, "y", 1, l.outputWidth());
                Tensor dy = Tensor.allocate(arena, "dy", 1, l.outputWidth()), dx = Tensor.allocate(arena, "dx", 1, l.inputWidth());
                for (long i = 0; i < dy.size(); i++) dy.setFlat(i, 1f);  // y stays 0: a ReLU backward would zero dy
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> l.backward(be, x, y, dy, dx, 1));
                assertTrue(e.getMessage().startsWith(l.name() + ": built for inference"), e.getMessage());
                for (float v : dy.toArray()) assertEquals(1f, v, l.name());
            }
        }
    }

    private static void fill(Workspace ws, int batch) {
        Rng rng = new Rng(3);
        for (long i = 0; i < ws.x.size(); i++) ws.x.setFlat(i, (float) rng.nextDouble());
        for (int i = 0; i < batch; i++) ws.labels[i] = i % 3;
        ws.drawNoise(batch, rng);
    }
}
