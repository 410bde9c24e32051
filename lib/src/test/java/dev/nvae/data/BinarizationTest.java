package dev.nvae.data;

import dev.nvae.model.ModelData;
import dev.nvae.model.ModelConfig;
import dev.nvae.random.Rng;
import dev.nvae.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BinarizationTest {
    /** 200 examples of 50 pixels, all of grey value 64/255 ≈ 0.25, except pixel 0 (black) and 1 (white). */
    private static Dataset grey() {
        int n = 200, d = 50;
        byte[] images = new byte[n * d];
        for (int i = 0; i < n; i++) {
            for (int j = 2; j < d; j++) images[i * d + j] = 64;
            images[i * d + 1] = (byte) 255;
        }
        return new Dataset("grey", images, new byte[n], 5, 10, List.of("a", "b"));
    }

    @Test
    void theFixedDrawIsBinaryReproducibleUnbiasedAndIdempotent() {
        Dataset g = grey(), a = Binarization.fixed(g), b = Binarization.fixed(g);
        double ones = 0;
        for (int i = 0; i < a.count(); i++) {
            float[] x = a.image(i);
            assertArrayEquals(x, b.image(i), "example " + i);
            assertEquals(0f, x[0]);
            assertEquals(1f, x[1]);
            for (int j = 2; j < x.length; j++) {
                assertTrue(x[j] == 0f || x[j] == 1f);
                ones += x[j];
            }
            assertArrayEquals(x, Binarization.fixed(a).image(i), "binary data stays as it is");
        }
        double p = ones / (a.count() * 48.0);
        assertEquals(64 / 255.0, p, 0.01, "P(1) is the grey value");
    }

    @Test
    void whichModelsSeeWhichData() {
        Dataset g = grey();
        ModelConfig none = ModelConfig.mlp(5, 10, 2, 2, 1, 1, 1);
        ModelConfig dynamic = none.withLikelihood(ModelConfig.BERNOULLI, 1, ModelConfig.BINARIZE_DYNAMIC);
        ModelConfig fixed = none.withLikelihood(ModelConfig.BERNOULLI, 1, ModelConfig.BINARIZE_STATIC);
        assertSame(g, ModelData.forTraining(none, g));
        assertSame(g, ModelData.forEvaluation(none, g));
        assertSame(g, ModelData.forTraining(dynamic, g), "dynamic draws per batch, from the grey data");
        assertArrayEquals(Binarization.fixed(g).image(7), ModelData.forEvaluation(dynamic, g).image(7));
        assertArrayEquals(Binarization.fixed(g).image(7), ModelData.forTraining(fixed, g).image(7));
    }

    /** One example at a time (a Spark task's rows), by its index: the rows of the whole data set's draw. */
    @Test
    void anExampleDrawnAloneIsItsRowOfTheDataSetsDraw() {
        Dataset g = grey();
        ModelConfig none = ModelConfig.mlp(5, 10, 2, 2, 1, 1, 1);
        ModelConfig fixed = none.withLikelihood(ModelConfig.BERNOULLI, 1, ModelConfig.BINARIZE_STATIC);
        Dataset whole = ModelData.forEvaluation(fixed, g);
        for (int i : new int[]{0, 1, 7, 199}) {
            float[] x = g.image(i);
            ModelData.forEvaluation(fixed, x, i);
            assertArrayEquals(whole.image(i), x, "example " + i);
            float[] grey = g.image(i);
            ModelData.forEvaluation(none, grey, i);
            assertArrayEquals(g.image(i), grey, "a model of grey values reads them as they are");
        }
    }

    @Test
    void theDynamicDrawDependsOnTheStream() {
        try (Arena arena = Arena.ofConfined()) {
            Tensor a = Tensor.allocate(arena, "a", 4, 50), b = Tensor.allocate(arena, "b", 4, 50);
            for (long i = 0; i < a.size(); i++) {
                a.setFlat(i, 0.5f);
                b.setFlat(i, 0.5f);
            }
            Binarization.sample(a, 4, Rng.stream(1, 0, 0));
            Binarization.sample(b, 4, Rng.stream(1, 0, 1));
            assertNotEquals(java.util.Arrays.toString(a.toArray()), java.util.Arrays.toString(b.toArray()));
            for (float v : a.toArray()) assertTrue(v == 0f || v == 1f);
        }
    }

    /** The dynamic draw keeps black black and white white: a value is 1 with probability v, not 1 − v. */
    @Test
    void theDynamicDrawOfBlackAndWhiteIsExact() {
        try (Arena arena = Arena.ofConfined()) {
            Tensor a = Tensor.allocate(arena, "a", 2, 50);
            for (long i = 0; i < a.size(); i++) a.setFlat(i, i % 2 == 0 ? 0f : 1f);
            Binarization.sample(a, 2, Rng.stream(3, 0, 0));
            for (long i = 0; i < a.size(); i++) assertEquals(i % 2 == 0 ? 0f : 1f, a.getFlat(i), "value " + i);
            float[] x = new float[50];
            for (int j = 0; j < x.length; j++) x[j] = j % 2;
            Binarization.fixed(x, 9);
            for (int j = 0; j < x.length; j++) assertEquals(j % 2, x[j], "pixel " + j);
        }
    }
}
