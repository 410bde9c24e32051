package dev.nvae.spark;

import dev.nvae.NvaeException;
import dev.nvae.io.ImageGrid;
import dev.nvae.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Image values in and out of a Parquet column, without Spark: every channel travels, widths and sizes are checked. */
class ImagesTest {
    @Test
    void aThreeChannelSampleTravelsWhole() {
        int c = 3, h = 2, w = 5, d = c * h * w;
        try (Arena arena = Arena.ofConfined()) {
            Tensor means = Tensor.allocate(arena, "means", 2, d);
            for (int i = 0; i < 2 * d; i++) means.setFlat(i, i / (2f * d));
            byte[] bytes = Images.FLOAT32.encode(means, 1, c, h, w);
            assertEquals(4 * d, bytes.length);
            float[] back = new float[d];
            new ImageColumn("--image-col", "image", c, h, w).read(bytes, 0, back);
            // Every value travels, and is read as nvae encode reads a float32 NPY's: stored to 8 bits (v·255 rounded).
            for (int j = 0; j < d; j++) assertEquals(Math.round(means.get(1, j) * 255f) / 255f, back[j], "value " + j);
            assertThrows(IllegalArgumentException.class, () -> Images.PNG.encode(means, 0, c, h, w));
        }
    }

    @Test
    void widthsAndGreyPngsAreCheckedAgainstTheModelsChannels() {
        ImageColumn rgb = new ImageColumn("--image-col", "pixels", 3, 2, 2);
        float[] pixels = new float[12];
        NvaeException e = assertThrows(NvaeException.class, () -> rgb.read(new byte[4], 7, pixels));
        assertEquals("--image-col pixels: row 7 holds 4 bytes, not 12 (uint8), 48 (float32) or a PNG (the model reads 3x2x2 = 12 values)",
                e.getMessage());
        byte[] png = ImageGrid.png(new float[]{0f, 1f, 0f, 1f}, 2, 2);
        rgb.read(png, 3, pixels);
        assertArrayEquals(new float[]{0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1}, pixels, "a grey PNG in each channel");
        e = assertThrows(NvaeException.class, () -> new ImageColumn("--image-col", "pixels", 1, 3, 3).read(png, 4, new float[9]));
        assertEquals("--image-col pixels: row 4 is a 2x2 PNG, not 3x3 (the model reads 3x3 = 9 values)", e.getMessage());
        float[] grey = new float[4];
        new ImageColumn("--image-col", "pixels", 1, 2, 2).read(List.of(0.25, 0.5, 0.75, 1.0), 0, grey);
        assertArrayEquals(new float[]{64 / 255f, 128 / 255f, 191 / 255f, 1f}, grey, "stored to 8 bits: 63.75, 127.5 and 191.25 rounded");
    }
}
