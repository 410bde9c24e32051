package dev.nvae.data.synthetic;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShapesTest {
    @Test
    void eachClassHasExactlyItsFactorsAndValuesComeFromTheirGrids() {
        Shapes.Generated g = Shapes.generate("s", 300, 3);
        Set<Float> rotations = new HashSet<>(), aspects = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            int y = g.data().label(i);
            assertEquals(i % 3, y);
            float[] v = g.factors().values()[i];
            assertTrue(contains(Shapes.POSITIONS, v[Shapes.POS_X]) && contains(Shapes.POSITIONS, v[Shapes.POS_Y]));
            assertTrue(contains(Shapes.SCALES, v[Shapes.SCALE]));
            assertEquals(y == Shapes.TRIANGLE, !Float.isNaN(v[Shapes.ROTATION]), "rotation only for the triangle");
            assertEquals(y == Shapes.ELLIPSE, !Float.isNaN(v[Shapes.ASPECT]), "aspect only for the ellipse");
            if (y == Shapes.TRIANGLE) rotations.add(v[Shapes.ROTATION]);
            if (y == Shapes.ELLIPSE) aspects.add(v[Shapes.ASPECT]);
        }
        assertEquals(Shapes.ROTATIONS.length, rotations.size(), "every rotation occurs");
        assertEquals(Shapes.ASPECTS.length, aspects.size(), "every aspect occurs");
    }

    @Test
    void shapesStayInsideTheFrameAndAPrefixIsTheSmallerSet() {
        Shapes.Generated big = Shapes.generate("s", 120, 9), small = Shapes.generate("s", 40, 9);
        for (int i = 0; i < 120; i++) {
            float[] x = big.data().image(i);
            double mass = 0;
            for (float p : x) mass += p;
            assertTrue(mass > 20, "example " + i + " is drawn");
            for (int k = 0; k < 28; k++) {
                assertEquals(0f, x[k], "top row of " + i);
                assertEquals(0f, x[27 * 28 + k], "bottom row of " + i);
                assertEquals(0f, x[k * 28], "left column of " + i);
                assertEquals(0f, x[k * 28 + 27], "right column of " + i);
            }
            if (i < 40) {
                assertArrayEquals(x, small.data().image(i));
                assertArrayEquals(big.factors().values()[i], small.factors().values()[i]);
            }
        }
        assertFalse(Arrays.equals(big.data().image(0), Shapes.generate("s", 1, 10).data().image(0)), "the seed matters");
    }

    @Test
    void rotationAndAspectChangeTheImage() {
        float[] a = new float[784], b = new float[784], c = new float[784], d = new float[784];
        Shapes.render(Shapes.TRIANGLE, new float[]{14, 14, 9, -45, Float.NaN}, a);
        Shapes.render(Shapes.TRIANGLE, new float[]{14, 14, 9, 45, Float.NaN}, b);
        Shapes.render(Shapes.ELLIPSE, new float[]{14, 14, 9, Float.NaN, 0.3f}, c);
        Shapes.render(Shapes.ELLIPSE, new float[]{14, 14, 9, Float.NaN, 1f}, d);
        assertTrue(difference(a, b) > 30, "rotation moves many pixels: " + difference(a, b));
        assertTrue(difference(c, d) > 60, "aspect moves many pixels: " + difference(c, d));
    }

    private static double difference(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
        return s;
    }

    private static boolean contains(double[] grid, float v) {
        for (double g : grid) if ((float) g == v) return true;
        return false;
    }
}
