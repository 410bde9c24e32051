package dev.nvae.io;

import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A labelled heatmap PNG of a matrix (the factor table: latent blocks × dimensions). Each cell is shaded
 * from white (0) to dark blue (the largest value) and shows its value; cells above a threshold get a
 * black outline. Rows may be ragged: a missing or NaN entry is drawn as no cell at all.
 */
public final class Heatmap {
    static {
        System.setProperty("java.awt.headless", "true"); // as ImageGrid: no display on a server
    }

    private static final int CELL_W = 56, CELL_H = 30, PAD = 8;
    private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 13);
    private static final Color LOW = new Color(255, 255, 255), HIGH = new Color(8, 48, 107);

    private Heatmap() {
    }

    /**
     * @param values    rows of values; row r has at most colLabels.size() entries
     * @param threshold cells with a value above it are outlined; NaN for none
     */
    public static void write(Path file, String title, List<String> rowLabels, List<String> colLabels, double[][] values,
                             double threshold, String caption) {
        BufferedImage image = render(title, rowLabels, colLabels, values, threshold, caption);
        AtomicOutput.write(file, out -> {
            try (ImageOutputStream png = new MemoryCacheImageOutputStream(out)) {
                if (!ImageIO.write(image, "png", png)) throw new IOException("no PNG writer in this JDK");
            }
        });
    }

    static BufferedImage render(String title, List<String> rowLabels, List<String> colLabels, double[][] values,
                                double threshold, String caption) {
        if (rowLabels.size() != values.length) throw new IllegalArgumentException(rowLabels.size() + " row labels for " + values.length + " rows");
        double max = 0;
        for (double[] row : values) {
            if (row.length > colLabels.size()) throw new IllegalArgumentException("a row of " + row.length + " values for " + colLabels.size() + " columns");
            for (double v : row) if (Double.isFinite(v)) max = Math.max(max, v);
        }
        FontMetrics fm = metrics(FONT), tm = metrics(TITLE);
        int left = rowLabels.stream().mapToInt(fm::stringWidth).max().orElse(0) + 2 * PAD;
        int top = tm.getHeight() + fm.getHeight() + 3 * PAD;
        int width = Math.max(left + colLabels.size() * CELL_W + PAD, Math.max(tm.stringWidth(title), fm.stringWidth(caption)) + 2 * PAD);
        int height = top + values.length * CELL_H + fm.getHeight() + 2 * PAD;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            g.setFont(TITLE);
            g.drawString(title, PAD, PAD + tm.getAscent());
            g.setFont(FONT);
            int headerY = 2 * PAD + tm.getHeight() + fm.getAscent();
            for (int c = 0; c < colLabels.size(); c++) {
                String s = colLabels.get(c);
                g.drawString(s, left + c * CELL_W + (CELL_W - fm.stringWidth(s)) / 2, headerY);
            }
            for (int r = 0; r < values.length; r++) {
                int y = top + r * CELL_H;
                g.setColor(Color.BLACK);
                g.drawString(rowLabels.get(r), PAD, y + (CELL_H - fm.getHeight()) / 2 + fm.getAscent());
                for (int c = 0; c < values[r].length; c++) {
                    double v = values[r][c];
                    if (!Double.isFinite(v)) continue;
                    int x = left + c * CELL_W;
                    double t = max > 0 ? Math.clamp(v / max, 0, 1) : 0;
                    g.setColor(mix(t));
                    g.fillRect(x + 1, y + 1, CELL_W - 2, CELL_H - 2);
                    if (v > threshold) {
                        g.setColor(Color.BLACK);
                        g.setStroke(new BasicStroke(2));
                        g.drawRect(x + 2, y + 2, CELL_W - 4, CELL_H - 4);
                    }
                    String s = String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f", v);
                    g.setColor(t > 0.55 ? Color.WHITE : Color.BLACK);
                    g.drawString(s, x + (CELL_W - fm.stringWidth(s)) / 2, y + (CELL_H - fm.getHeight()) / 2 + fm.getAscent());
                }
            }
            g.setColor(Color.DARK_GRAY);
            g.drawString(caption, PAD, top + values.length * CELL_H + PAD + fm.getAscent());
        } finally {
            g.dispose();
        }
        return image;
    }

    private static Color mix(double t) {
        return new Color((int) Math.round(LOW.getRed() + t * (HIGH.getRed() - LOW.getRed())),
                (int) Math.round(LOW.getGreen() + t * (HIGH.getGreen() - LOW.getGreen())),
                (int) Math.round(LOW.getBlue() + t * (HIGH.getBlue() - LOW.getBlue())));
    }

    private static FontMetrics metrics(Font font) {
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            return g.getFontMetrics(font);
        } finally {
            g.dispose();
        }
    }
}
