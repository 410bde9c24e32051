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

    /**
     * A workspace of a model built for inference has no room for a backward pass: the activations' gradients
     * (dHeads, dDecIn, dLogitsX, each network's), the device step's BatchShape, terms, rowTerms and balance
     * term. On the default mlp N-VAE (784-512-256, ds 8, dc 4, 10 classes) at capacity 500, measured:
     * 11,548,004 bytes for training and 6,560,036 for inference (4,987,968 backward-only, 43%), and with room
     * for unlabelled examples (5000 decoder rows) 69,562,048 and 35,540,036 (34,022,012 backward-only, 49%).
     */
    @Test
    void anInferenceWorkspaceHoldsNoBackwardBuffers() {
        ModelConfig c = ModelConfig.mlp(28, 28, 10, 8, 4, 1.7, 0.6);
        long[][] expected = {{11_548_004, 6_560_036}, {69_562_048, 35_540_036}}; // {training, inference} bytes
        try (LatentModel trains = LatentModel.create(c); LatentModel serves = LatentModel.forInference(c)) {
            for (int u = 0; u < 2; u++) {
                boolean unlabelled = u == 1;
                try (Workspace a = trains.workspace(500, unlabelled); Workspace b = serves.workspace(500, unlabelled)) {
                    assertEquals(backwardOnlyBytes(a), a.nativeBytes() - b.nativeBytes(), "unlabelled " + unlabelled);
                    assertEquals(expected[u][0], a.nativeBytes(), "unlabelled " + unlabelled);
                    assertEquals(expected[u][1], b.nativeBytes(), "unlabelled " + unlabelled);
                    assertNull(b.shape);
                    assertNull(b.balanceTerms);
                }
            }
        }
    }

    /**
     * What only a backward pass uses in a training workspace, from its buffers' shapes: each one-float
     * segment that stands for a buffer without rows in an inference workspace stays.
     */
    private static long backwardOnlyBytes(Workspace ws) {
        long bytes = 0;
        for (Tensor t : List.of(ws.dHeads, ws.dDecIn, ws.dLogitsX, ws.terms, ws.rowTerms)) bytes += t.byteSize() - Float.BYTES;
        for (Tensor t : ws.hiddenActivations()) bytes += t.byteSize() - Float.BYTES; // each has a gradient of its shape
        bytes += ws.shape.values().byteSize();
        if (ws.balanceTerms != null) bytes += ws.balanceTerms.byteSize();
        return bytes;
    }

    /**
     * Evaluation and encoding through an inference workspace give the training workspace's per-example terms,
     * heads and decoder outputs bit for bit, over several batches (the last one short) with unlabelled examples.
     */
    @Test
    void anInferenceWorkspaceEvaluatesAsATrainingOneBitForBit() {
        int cap = 4, n = 10;
        for (ModelConfig c : List.of(MLP, CONV)) {
            try (Backend be = new VectorBackend(2); LatentModel trains = LatentModel.create(c);
                 LatentModel serves = LatentModel.forInference(c);
                 Workspace a = trains.workspace(cap, true); Workspace b = serves.workspace(cap, true)) {
                trains.initialize(11);
                serves.params().copyFrom(trains.params());
                assertTrue(b.nativeBytes() < a.nativeBytes(), c.arch());
                Rng ra = new Rng(5), rb = new Rng(5);
                for (int from = 0; from < n; from += cap) {
                    int batch = Math.min(cap, n - from);
                    fillBatch(a, batch, from, ra);
                    fillBatch(b, batch, from, rb);
                    BatchLoss la = new BatchLoss(), lb = new BatchLoss();
                    trains.evaluate(be, a, batch, la);
                    serves.evaluate(be, b, batch, lb);
                    String at = c.arch() + " batch at " + from;
                    assertEquals(la.total, lb.total, at);
                    assertEquals(la.klY, lb.klY, at);
                    assertArrayEquals(a.rec, b.rec, at);
                    assertArrayEquals(a.klS, b.klS, at);
                    assertArrayEquals(a.klC, b.klC, at);
                    assertArrayEquals(a.ce, b.ce, at);
                    assertArrayEquals(a.predicted, b.predicted, at);
                    assertArrayEquals(a.heads.toArray(), b.heads.toArray(), at);
                    assertArrayEquals(a.logitsX.toArray(), b.logitsX.toArray(), at);
                    trains.encode(be, a, batch);
                    serves.encode(be, b, batch);
                    assertArrayEquals(a.heads.toArray(), b.heads.toArray(), at);
                }
                assertThrows(IllegalStateException.class, () -> serves.forwardBackward(be, b, 1, new BatchLoss()));
            }
        }
    }

    /** Inputs, labels (every third example unlabelled) and noise of examples from .. from+batch−1. */
    private static void fillBatch(Workspace ws, int batch, int from, Rng rng) {
        int d = ws.x.cols();
        for (long i = 0; i < (long) batch * d; i++) ws.x.setFlat(i, (float) rng.nextDouble());
        for (int i = 0; i < batch; i++) ws.labels[i] = (from + i) % 3 == 2 ? -1 : (from + i) % 3;
        ws.drawNoise(batch, rng);
    }

    private static void fill(Workspace ws, int batch) {
        Rng rng = new Rng(3);
        for (long i = 0; i < ws.x.size(); i++) ws.x.setFlat(i, (float) rng.nextDouble());
        for (int i = 0; i < batch; i++) ws.labels[i] = i % 3;
        ws.drawNoise(batch, rng);
    }
}
