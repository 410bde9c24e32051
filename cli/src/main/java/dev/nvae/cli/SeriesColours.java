package dev.nvae.cli;

import java.awt.BasicStroke;
import java.awt.Color;

/**
 * A colour and a line style for the i-th series of a chart, distinct for every i a chart can hold: the
 * first ten are Tableau's ten colours, one per Fashion-MNIST class; a data set with more classes (Extended
 * Yale B has 38) goes on with the same hues shaded, one shade per further ten — darker, then lighter,
 * then darker still — and its lines dashed, one dash pattern per further ten, so that no two entries of a
 * legend look alike.
 */
final class SeriesColours {
    static final int HUES = 10;
    private static final Color[] PALETTE = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
            new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
            new Color(127, 127, 127), new Color(188, 189, 34), new Color(23, 190, 207)};
    /** Dash patterns (on, off lengths in pixels) of the lines of each round of ten; the first is solid. */
    private static final float[][] DASHES = {null, {8f, 4f}, {2f, 3f}, {8f, 3f, 2f, 3f}, {12f, 6f}};

    private SeriesColours() {
    }

    /** The i-th series' colour; i ≥ 0. Distinct for i below 10 × 7 (shades beyond that would come too close to black or white). */
    static Color colour(int i) {
        if (i < 0) throw new IllegalArgumentException("series " + i);
        Color base = PALETTE[i % HUES];
        int round = i / HUES;
        if (round == 0) return base;
        // Odd rounds darken by 0.6, 0.36, ...; even rounds blend towards white by 1/2, 3/4, ...
        int step = (round + 1) / 2;
        if (round % 2 == 1) {
            double f = Math.pow(0.6, step);
            return new Color(shade(base.getRed() * f), shade(base.getGreen() * f), shade(base.getBlue() * f));
        }
        double t = 1 - Math.pow(0.5, step);
        return new Color(shade(base.getRed() + (255 - base.getRed()) * t), shade(base.getGreen() + (255 - base.getGreen()) * t),
                shade(base.getBlue() + (255 - base.getBlue()) * t));
    }

    /** The i-th series' colour at the given opacity (0–255), for points drawn over each other. */
    static Color colour(int i, int alpha) {
        Color c = colour(i);
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha);
    }

    /** The i-th series' line: solid for the first ten, then one dash pattern per further ten. */
    static BasicStroke line(int i, float width) {
        float[] dash = DASHES[(i / HUES) % DASHES.length];
        return dash == null ? new BasicStroke(width)
                : new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, dash, 0f);
    }

    private static int shade(double v) {
        return (int) Math.round(Math.max(0, Math.min(255, v)));
    }
}
