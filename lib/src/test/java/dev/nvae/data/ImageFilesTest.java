package dev.nvae.data;

import dev.nvae.io.FormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageFilesTest {
    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void assertRejected(Path file, String reason) {
        FormatException e = assertThrows(FormatException.class, () -> ImageFiles.read(file));
        assertEquals(reason, e.reason());
        assertEquals(file, e.file());
    }

    // ---- PGM ----

    @Test
    void binaryPgmWithComments() throws IOException {
        Path f = write("a.pgm", concat(ascii("P5\n# made by hand\n3 2\n255\n"), new byte[] {0, 1, 2, (byte) 253, (byte) 254, (byte) 255}));
        DecodedImage img = ImageFiles.read(f);
        assertEquals(2, img.height());
        assertEquals(3, img.width());
        assertArrayEquals(new byte[] {0, 1, 2, (byte) 253, (byte) 254, (byte) 255}, img.pixels());
    }

    @Test
    void sixteenBitAndSmallMaxvalAreRescaled() throws IOException {
        Path wide = write("w.pgm", concat(ascii("P5 2 1 65535 "), new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0x80, 0x00}));
        assertArrayEquals(new byte[] {(byte) 255, (byte) 128}, ImageFiles.read(wide).pixels());
        Path small = write("s.pgm", concat(ascii("P5 3 1 3\n"), new byte[] {0, 1, 3}));
        assertArrayEquals(new byte[] {0, 85, (byte) 255}, ImageFiles.read(small).pixels());
    }

    @Test
    void plainPgm() throws IOException {
        Path f = write("p.pgm", ascii("P2\n2 2\n# comment\n15\n0 15\n 5 10\n"));
        assertArrayEquals(new byte[] {0, (byte) 255, 85, (byte) 170}, ImageFiles.read(f).pixels());
    }

    @Test
    void pgmRejections() throws IOException {
        assertRejected(write("m.pgm", ascii("P6 1 1 255 x")), "not a PGM file (it must start with P5 or P2)");
        assertRejected(write("h.pgm", ascii("P5 3")), "header ends before the height");
        assertRejected(write("x.pgm", ascii("P5 3 x 255 ")), "expected the height at byte 5");
        assertRejected(write("z.pgm", ascii("P5 0 3 255 ")), "image of 3x0 pixels (height x width) is empty");
        assertRejected(write("v.pgm", ascii("P5 1 1 0 \0")), "maxval 0 is not in 1..65535");
        assertRejected(write("v2.pgm", ascii("P5 1 1 70000 \0\0")), "maxval 70000 is not in 1..65535");
        assertRejected(write("big.pgm", ascii("P5 99999999999 1 255 ")), "width is too large");
        assertRejected(write("huge.pgm", ascii("P5 100000 100000 255 ")), "100000x100000 pixels exceed the limit of 67108864");
        assertRejected(write("t.pgm", concat(ascii("P5 2 2 255\n"), new byte[3])), "truncated: 4 samples need 4 bytes, found 3");
        assertRejected(write("tr.pgm", concat(ascii("P5 1 1 255\n"), new byte[2])), "1 trailing bytes after the image");
        assertRejected(write("ws.pgm", ascii("P5 1 1 255")), "no whitespace after maxval");
        assertRejected(write("pv.pgm", ascii("P2 2 1 9 3 12")), "sample 1 is 12, above maxval 9");
        assertRejected(write("pt.pgm", ascii("P2 2 2 9 3 1 2   ")), "truncated: 3 of 4 samples");
        assertRejected(write("pn.pgm", ascii("P2 2 1 9 3 -1")), "sample 1 is not a number");
        assertRejected(write("pb.pgm", ascii("P2 3 3 9 1 2")), "truncated: 9 samples cannot fit in 4 bytes");
    }

    // ---- PNG ----

    private Path png(String name, BufferedImage image) throws IOException {
        Path f = dir.resolve(name);
        assertTrue(ImageIO.write(image, "png", f.toFile()));
        return f;
    }

    @Test
    void greyPngKeepsItsValues() throws IOException {
        BufferedImage g = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        g.getRaster().setSamples(0, 0, 3, 2, 0, new int[] {0, 10, 20, 128, 254, 255});
        DecodedImage img = ImageFiles.read(png("g.png", g));
        assertEquals(2, img.height());
        assertArrayEquals(new byte[] {0, 10, 20, (byte) 128, (byte) 254, (byte) 255}, img.pixels());

        BufferedImage g16 = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        g16.getRaster().setSamples(0, 0, 2, 1, 0, new int[] {65535, 257 * 100});
        assertArrayEquals(new byte[] {(byte) 255, 100}, ImageFiles.read(png("g16.png", g16)).pixels());

        BufferedImage ga = ImageTypeSpecifier.createGrayscale(8, DataBuffer.TYPE_BYTE, false, false).createBufferedImage(2, 1);
        ga.getRaster().setSamples(0, 0, 2, 1, 0, new int[] {7, 200});
        ga.getRaster().setSamples(0, 0, 2, 1, 1, new int[] {0, 255}); // alpha: ignored
        assertArrayEquals(new byte[] {7, (byte) 200}, ImageFiles.read(png("ga.png", ga)).pixels());
    }

    @Test
    void colourPngKeepsRgbPlanes() throws IOException {
        BufferedImage rgb = new BufferedImage(3, 1, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(0, 0, 0xFF0000);
        rgb.setRGB(1, 0, 0x00FF00);
        rgb.setRGB(2, 0, 0x102030);
        DecodedImage img = ImageFiles.read(png("rgb.png", rgb));
        assertEquals(3, img.channels());
        // Channel by channel: the R plane, then G, then B.
        assertArrayEquals(new byte[] {(byte) 255, 0, 0x10, 0, (byte) 255, 0x20, 0, 0, 0x30}, img.pixels());
        assertTrue(ImageFiles.storedInColour(dir.resolve("rgb.png")));

        BufferedImage indexed = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED);
        indexed.setRGB(0, 0, 0x0000FF);
        indexed.setRGB(1, 0, 0x000000);
        DecodedImage p = ImageFiles.read(png("p.png", indexed));
        assertEquals(3, p.channels());
        assertArrayEquals(new byte[] {0, 0, 0, 0, (byte) 255, 0}, p.pixels());
        assertTrue(ImageFiles.storedInColour(dir.resolve("p.png")));

        BufferedImage g = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        assertEquals(1, ImageFiles.read(png("g.png", g)).channels());
        assertFalse(ImageFiles.storedInColour(dir.resolve("g.png")));
    }

    @Test
    void greyImageRepeatsIntoRgb() {
        DecodedImage grey = new DecodedImage(1, 1, 2, new byte[] {5, 7});
        assertArrayEquals(new byte[] {5, 7, 5, 7, 5, 7}, grey.withChannels(3).pixels());
        assertSame(grey, grey.withChannels(1));
        assertThrows(IllegalArgumentException.class, () -> grey.withChannels(3).withChannels(1));
    }

    @Test
    void pngRejections() throws IOException {
        assertRejected(write("n.png", ascii("GIF89a")), "not a PNG file (bad signature)");
        BufferedImage g = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        byte[] good = Files.readAllBytes(png("g.png", g));
        // The JDK decoder alone would accept these three and return whatever pixels it got.
        assertRejected(write("t.png", java.util.Arrays.copyOf(good, good.length - 20)),
                "truncated PNG: chunk IDAT at byte 33 declares " + (good.length - 57) + " bytes, " + (good.length - 20 - 45) + " remain");
        byte[] flipped = good.clone();
        flipped[good.length - 20] ^= 4;
        assertRejected(write("c.png", flipped), "PNG chunk IDAT at byte 33 has a bad CRC (damaged file)");
        assertRejected(write("tr.png", concat(good, new byte[3])), "3 trailing bytes after the PNG's IEND chunk");
        assertRejected(write("e.png", java.util.Arrays.copyOf(good, 8)), "truncated PNG: chunk at byte 8 is incomplete (no IEND)");
        // Structurally valid, but the compressed data is not zlib: the decoder's own error.
        byte[] notZlib = pngWithIdat(new byte[] {1, 2, 3, 4});
        FormatException e = assertThrows(FormatException.class, () -> ImageFiles.read(write("z.png", notZlib)));
        assertTrue(e.reason().startsWith("not a readable PNG: "), e.reason());
        // A valid header that declares 50000 × 50000 pixels: refused before a raster is allocated.
        assertRejected(write("huge.png", pngWithIdat(null)), "50000x50000 pixels exceed the limit of 67108864");
    }

    /** What the JDK decoder accepts silently: a palette index PLTE does not have (read as black), data after the image. */
    @Test
    void pngPixelsThatAreNotThereAreRefused() throws IOException {
        // 2×2, 8-bit palette of 2 entries; scanlines (filter byte 0, then indices): 0 1 / 1 3.
        byte[] scanlines = {0, 0, 1, 0, 1, 3};
        assertRejected(write("p.png", png(3, new byte[] {0, 0, 0, (byte) 255, (byte) 255, (byte) 255}, deflate(scanlines))),
                "pixel (1, 1) has palette index 3 but PLTE has only 2 entries");
        byte[] valid = {0, 0, 1, 0, 1, 1};
        assertEquals(2, ImageFiles.read(write("ok.png", png(3, new byte[] {0, 0, 0, (byte) 255, (byte) 255, (byte) 255}, deflate(valid)))).width());
        // 2×2 grey: 6 bytes of scanlines, then 4 more the image has no room for.
        assertRejected(write("x.png", pngWithIdat(deflate(new byte[] {0, 1, 2, 0, 3, 4, 9, 9, 9, 9}))),
                "PNG image data inflates to more than the 6 bytes of its 2x2 scanlines (data after the image)");
    }

    /**
     * Grey of 1, 2 and 4 bits: one channel, each value v rescaled to v·255/(2^depth−1) as PNG says. The JDK decodes
     * these as a palette of grey levels, and they came out as three channels ("a 3-channel image cannot become
     * 1 channels" in a folder of grey images). Rows end in padding bits; the expected values are worked by hand.
     */
    @Test
    void lowBitDepthGreyPngIsOneChannelRescaled() throws IOException {
        // 5×2, 1 bit: 1 0 1 1 0 / 0 1 0 0 1, each row padded to a byte.
        assertGrey(greyPng(5, 2, 1, 0, deflate(new byte[] {0, (byte) 0b1011_0000, 0, 0b0100_1000})),
                255, 0, 255, 255, 0, 0, 255, 0, 0, 255);
        // 3×2, 2 bits: 0 1 2 / 3 2 1.
        assertGrey(greyPng(3, 2, 2, 0, deflate(new byte[] {0, 0b00_01_10_00, 0, (byte) 0b11_10_01_00})), 0, 85, 170, 255, 170, 85);
        // 3×2, 4 bits: 0 7 15 / 1 8 14.
        assertGrey(greyPng(3, 2, 4, 0, deflate(new byte[] {0, 0x07, (byte) 0xF0, 0, 0x18, (byte) 0xE0})), 0, 119, 255, 17, 136, 238);
        // 2×2, 2 bits, Adam7: pass 1 holds (0,0) = 3, pass 6 (1,0) = 1, pass 7 the second row, 2 0; passes 2 to 5 are empty.
        assertGrey(greyPng(2, 2, 2, 1, deflate(new byte[] {0, (byte) 0b11_000000, 0, 0b01_000000, 0, (byte) 0b10_00_0000})),
                255, 85, 170, 0);
    }

    private void assertGrey(byte[] png, int... expected) throws IOException {
        Path f = write("low" + expected.length + "-" + java.util.Arrays.hashCode(png) + ".png", png);
        DecodedImage img = ImageFiles.read(f);
        assertEquals(1, img.channels());
        assertFalse(ImageFiles.storedInColour(f));
        byte[] bytes = new byte[expected.length];
        for (int i = 0; i < expected.length; i++) bytes[i] = (byte) expected[i];
        assertArrayEquals(bytes, img.pixels());
    }

    /** A grey (colour type 0) PNG of {@code bitDepth} bits, Adam7-interlaced if {@code interlace} is 1, with IDAT {@code idat}. */
    static byte[] greyPng(int width, int height, int bitDepth, int interlace, byte[] idat) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) bitDepth).put((byte) 0).put((byte) 0)
                .put((byte) 0).put((byte) interlace).array());
        chunk(out, "IDAT", idat);
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    static byte[] deflate(byte[] raw) {
        java.util.zip.Deflater d = new java.util.zip.Deflater();
        d.setInput(raw);
        d.finish();
        byte[] out = new byte[raw.length + 64];
        int n = d.deflate(out);
        d.end();
        return java.util.Arrays.copyOf(out, n);
    }

    /** A 2×2 8-bit PNG of colour type {@code colourType} with the palette {@code plte} (null for none) and IDAT {@code idat}. */
    private static byte[] png(int colourType, byte[] plte, byte[] idat) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(2).putInt(2).put((byte) 8).put((byte) colourType).put((byte) 0)
                .put((byte) 0).put((byte) 0).array());
        if (plte != null) chunk(out, "PLTE", plte);
        chunk(out, "IDAT", idat);
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    @Test
    void onlyPngAndPgmByExtension() throws IOException {
        assertTrue(ImageFiles.isImage(Path.of("a/B.PNG")) && ImageFiles.isImage(Path.of("x.pgm")));
        assertEquals(false, ImageFiles.isImage(Path.of("x.jpg")));
        assertRejected(write("a.jpg", new byte[4]), "not a .png or .pgm file");
    }

    /**
     * Signature, IHDR (8-bit grey; 2×2, or 50000×50000 when {@code idat} is null), one IDAT chunk with
     * {@code idat} (empty if null) and IEND, all with correct CRCs.
     */
    static byte[] pngWithIdat(byte[] idat) {
        int side = idat == null ? 50_000 : 2;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(side).putInt(side).put((byte) 8).put((byte) 0).put((byte) 0)
                .put((byte) 0).put((byte) 0).array());
        chunk(out, "IDAT", idat == null ? new byte[0] : idat);
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typed = concat(ascii(type), data);
        CRC32 crc = new CRC32();
        crc.update(typed);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typed);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** A maxval of 256 already takes two bytes a sample, high byte first, and is rescaled like any other. */
    @Test
    void maxvalOf256TakesTwoBytesASample() throws IOException {
        Path f = write("m.pgm", concat(ascii("P5 2 1 256\n"), new byte[] {0, 1, 1, 0}));
        assertArrayEquals(new byte[] {1, (byte) 255}, ImageFiles.read(f).pixels());
    }

    /** Text after the last sample of a plain PGM is refused, counted in bytes. */
    @Test
    void plainPgmWithTrailingText() throws IOException {
        assertRejected(write("t.pgm", ascii("P2 1 1 255 0 7")), "1 trailing bytes after the image");
        assertRejected(write("u.pgm", ascii("P2 2 1 255 0 12 345")), "3 trailing bytes after the image");
    }

    /** The pixel limit is inclusive: an image of exactly the limit decodes, one pixel more is refused. */
    @Test
    void pgmPixelLimitIsInclusive() {
        byte[] two = concat(ascii("P5 2 1 255\n"), new byte[] {5, 6});
        assertArrayEquals(new byte[] {5, 6}, PgmDecoder.decode(Path.of("a.pgm"), two, 2).pixels());
        FormatException e = assertThrows(FormatException.class, () -> PgmDecoder.decode(Path.of("a.pgm"), two, 1));
        assertEquals("1x2 pixels exceed the limit of 1", e.reason());
    }

    /** A folder named .png is no image to read: it is refused as not a regular file, naming it. */
    @Test
    void aDirectoryNamedAsAnImageIsRefused() throws IOException {
        Path d = Files.createDirectories(dir.resolve("x.png"));
        dev.nvae.NvaeException e = assertThrows(dev.nvae.NvaeException.class, () -> ImageFiles.read(d));
        assertTrue(e.getMessage().startsWith(d.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("directory"), e.getMessage());
    }
}
