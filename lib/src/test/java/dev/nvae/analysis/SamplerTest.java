package dev.nvae.analysis;

import dev.nvae.backend.Backend;
import dev.nvae.backend.VectorBackend;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.LatentModel;
import dev.nvae.model.Workspace;
import dev.nvae.random.Rng;
import dev.nvae.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SamplerTest {
    private static final ModelConfig CONFIG = new ModelConfig(ModelConfig.NVAE, ModelConfig.MLP, 3, 5, 4, 9, 7, 3, 2, 1, 1);

    /** The decode-only workspace gives the very floats the full training workspace gives. */
    @Test
    void decodingWithTheDecodeOnlyWorkspaceEqualsTheFullOne() {
        int n = 37;
        Rng rng = Rng.stream(3, 1, 0);
        float[][] latents = new float[n][CONFIG.latentDim()];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % CONFIG.numClasses();
            for (int j = 0; j < latents[i].length; j++) latents[i][j] = (float) rng.nextGaussian();
        }
        try (LatentModel model = LatentModel.create(CONFIG); Backend be = new VectorBackend(2)) {
            model.initialize(5);
            float[][] got = Sampler.decode(model, be, latents, labels);
            try (Workspace ws = model.workspace(n); Arena arena = Arena.ofConfined()) {
                Tensor latent = Tensor.allocate(arena, "latent", n, CONFIG.latentDim());
                Tensor mean = Tensor.allocate(arena, "mean", n, CONFIG.inputDim());
                for (int i = 0; i < n; i++) for (int j = 0; j < latents[i].length; j++) latent.set(i, j, latents[i][j]);
                System.arraycopy(labels, 0, ws.labels, 0, n);
                model.latentsToDecoderInput(ws, latent, n);
                model.decode(be, ws, n);
                model.likelihood().mean(be, ws.logitsX, mean, n);
                for (int i = 0; i < n; i++) {
                    float[] want = new float[CONFIG.inputDim()];
                    for (int j = 0; j < want.length; j++) want[j] = mean.get(i, j);
                    assertArrayEquals(want, got[i], "row " + i);
                }
            }
        }
    }

    /** Streamed batches arrive in order, tile the samples exactly, and hold what the collected form holds. */
    @Test
    void streamedBatchesTileTheSamplesInOrder() {
        int[] labels = new int[2500];
        for (int i = 0; i < labels.length; i++) labels[i] = i % CONFIG.numClasses();
        try (LatentModel model = LatentModel.create(CONFIG); Backend be = new VectorBackend(1)) {
            model.initialize(2);
            float[][] collected = Sampler.sample(model, be, labels, 1.3, 11);
            List<int[]> spans = new ArrayList<>();
            Sampler.sample(model, be, labels, new double[]{1.3}, 11, (scale, from, count, means) -> {
                spans.add(new int[]{scale, from, count});
                for (int i = 0; i < count; i++) {
                    float[] row = new float[CONFIG.inputDim()];
                    for (int j = 0; j < row.length; j++) row[j] = means.get(i, j);
                    assertArrayEquals(collected[from + i], row, "sample " + (from + i));
                }
            });
            assertEquals(3, spans.size());
            assertArrayEquals(new int[]{0, 0, 1000}, spans.get(0));
            assertArrayEquals(new int[]{0, 1000, 1000}, spans.get(1));
            assertArrayEquals(new int[]{0, 2000, 500}, spans.get(2));
        }
    }
}
