package dev.nvae.io;

import dev.nvae.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageGridTest {
    @TempDir
    Path dir;

    /** A 2x3 image whose pixel (y, x) is (y*3 + x) / 5. */
    private static float[] ramp() {
        float[] p = new float[6];
        for (int i = 0; i < 6; i++) p[i] = i / 5f;
        return p;
    }

    private static int grey(BufferedImage img, int x, int y) {
        return img.getRaster().getSample(x, y, 0);
    }

    @Test
    void singleImageIsTheImageScaledWithoutAFrame() throws IOException {
        Path file = dir.resolve("one.png");
        ImageGrid.writeImage(file, ramp(), 1, 2, 3, 4);
        BufferedImage img = ImageIO.read(file.toFile());
        assertEquals(3 * 4, img.getWidth());
        assertEquals(2 * 4, img.getHeight());
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                int expected = Math.round((y * 3 + x) / 5f * 255f);
                for (int d = 0; d < 4; d++) {
                    assertEquals(expected, grey(img, x * 4 + d, y * 4 + d), "pixel " + y + "," + x);
                }
            }
        }
        // At scale 1 it is the image itself: the bytes --format idx writes, pixel for pixel.
        Path plain = dir.resolve("plain.png");
        ImageGrid.writeImage(plain, ramp(), 1, 2, 3, 1);
        BufferedImage one = ImageIO.read(plain.toFile());
        assertEquals(3, one.getWidth());
        assertEquals(2, one.getHeight());
        for (int i = 0; i < 6; i++) assertEquals(IdxWriter.toByte(ramp()[i]), grey(one, i % 3, i / 3), "pixel " + i);
        Files.delete(plain);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void gridPlacesImagesRowByRow() throws IOException {
        float[][] images = new float[5][6];
        for (int i = 0; i < 5; i++) java.util.Arrays.fill(images[i], i / 4f);
        Path file = dir.resolve("grid.png");
        ImageGrid.writeGrid(file, images, 1, 2, 3, 2, 3, null, null, 1);
        BufferedImage img = ImageIO.read(file.toFile());
        assertEquals(2 + 3 * (3 + 2), img.getWidth());
        assertEquals(2 + 2 * (2 + 2), img.getHeight());
        for (int i = 0; i < 5; i++) {
            int x0 = 2 + (i % 3) * 5, y0 = 2 + (i / 3) * 4;
            assertEquals(Math.round(i / 4f * 255f), grey(img, x0 + 2, y0 + 1), "image " + i);
        }
        assertEquals(255, grey(img, 2 + 2 * 5, 2 + 4)); // sixth cell is empty
    }

    @Test
    void labelsAddMarginsWithText() throws IOException {
        float[][] black = new float[4][6];
        Path plain = dir.resolve("plain.png");
        Path labelled = dir.resolve("labelled.png");
        ImageGrid.writeGrid(plain, black, 1, 2, 3, 2, 2, null, null, 3);
        ImageGrid.writeGrid(labelled, black, 1, 2, 3, 2, 2, List.of("Sandal", "Ankle boot"), List.of("-2", "+2"), 3);
        BufferedImage a = ImageIO.read(plain.toFile());
        BufferedImage b = ImageIO.read(labelled.toFile());
        int left = b.getWidth() - a.getWidth();
        int top = b.getHeight() - a.getHeight();
        assertTrue(left > 20, "left margin " + left);
        assertTrue(top > 8, "top margin " + top);
        assertTrue(darkPixels(b, 0, top, left, b.getHeight()) > 20, "row labels drawn");
        assertTrue(darkPixels(b, left, 0, b.getWidth(), top) > 5, "column labels drawn");
        assertEquals(0, grey(b, left + 2, top + 2)); // first image's top-left pixel, shifted by the margins
    }

    @Test
    void tensorRowsAreImages() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            Tensor t = Tensor.allocate(arena, "samples", 2, 6);
            t.copyFrom(new float[] {0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0.5f});
            Path file = dir.resolve("t.png");
            ImageGrid.writeGrid(file, t, 1, 2, 3, 1, 2, null, null, 1);
            BufferedImage img = ImageIO.read(file.toFile());
            assertEquals(255, grey(img, 2 + 2, 2 + 1));
            assertEquals(0, grey(img, 2, 2));
            assertEquals(128, grey(img, 2 + 5 + 2, 2 + 1));
        }
    }

    @Test
    void rgbImagesAreDrawnFromTheirChannelPlanes() throws IOException {
        // One 1×2 RGB image, channel by channel: R = (1, 0), G = (0, 0.5), B = (0, 1).
        float[] image = {1, 0, 0, 0.5f, 0, 1};
        Path file = dir.resolve("rgb.png");
        ImageGrid.writeGrid(file, new float[][] {image}, 3, 1, 2, 1, 2, List.of("red"), null, 1);
        BufferedImage img = ImageIO.read(file.toFile());
        assertEquals(3, img.getColorModel().getNumColorComponents());
        int left = img.getWidth() - (2 + 2 * (2 + 2));
        assertEquals(0xFF0000, img.getRGB(left + 2, 2) & 0xFFFFFF);
        assertEquals(0x0080FF, img.getRGB(left + 3, 2) & 0xFFFFFF);
        assertEquals(0xFFFFFF, img.getRGB(img.getWidth() - 1, img.getHeight() - 1) & 0xFFFFFF); // background stays white in every band
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.writeImage(dir.resolve("two.png"), new float[4], 2, 1, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.writeImage(dir.resolve("short.png"), new float[2], 3, 1, 2, 1));
    }

    @Test
    void rejectsInconsistentArguments() {
        Path file = dir.resolve("bad.png");
        float[][] two = new float[2][6];
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.writeGrid(file, two, 1, 2, 3, 1, 1, null, null, 1));
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.writeGrid(file, two, 1, 2, 3, 1, 2, List.of("a", "b"), null, 1));
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.writeGrid(file, two, 1, 2, 3, 1, 2, null, List.of("a"), 1));
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.writeGrid(file, new float[][] {new float[5]}, 1, 2, 3, 1, 1, null, null, 1));
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.writeImage(file, new float[6], 1, 2, 3, 0));
        assertTrue(Files.notExists(file));
    }

    private static int darkPixels(BufferedImage img, int x0, int y0, int x1, int y1) {
        int n = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) if (grey(img, x, y) < 128) n++;
        }
        return n;
    }

    /** The in-memory PNG is the image alone, h x w, each pixel the byte IdxWriter writes for it. */
    @Test
    void pngBytesAreThePlainImageQuantizedAsIdx() throws IOException {
        float[] pixels = ramp();
        pixels[5] = 0.5f;
        BufferedImage img = ImageIO.read(new java.io.ByteArrayInputStream(ImageGrid.png(pixels, 2, 3)));
        assertEquals(3, img.getWidth());
        assertEquals(2, img.getHeight());
        for (int i = 0; i < 6; i++) assertEquals(IdxWriter.toByte(pixels[i]), grey(img, i % 3, i / 3), "pixel " + i);
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.png(pixels, 3, 3));
    }
}
