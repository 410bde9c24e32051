package dev.nvae.data;

import dev.nvae.io.FormatException;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * PNG through the JDK's decoder, to 8-bit values. Grey images (colour types 0 and 4, any bit depth) become
 * one channel with their sample values rescaled to 0..255; colour images (types 2 and 6, RGB) and palette
 * images (type 3) become three channels, R, G and B, as sRGB values. Alpha is ignored. The declared size
 * is checked before decoding, so a tiny file cannot make us allocate a huge raster.
 */
final class PngDecoder {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    static {
        // No display here; decoding must not try to reach one. Before any AWT class loads.
        System.setProperty("java.awt.headless", "true");
    }

    private PngDecoder() {
    }

    static DecodedImage decode(Path file, byte[] bytes, long maxPixels) {
        if (bytes.length < SIGNATURE.length || !Arrays.equals(bytes, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)) {
            throw new FormatException(file, "not a PNG file (bad signature)");
        }
        Chunks chunks = checkChunks(file, bytes);
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("png");
        if (!readers.hasNext()) throw new IllegalStateException("this JDK has no PNG decoder");
        ImageReader reader = readers.next();
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, true, true); // metadata is ignored: only the pixels matter
            int width = reader.getWidth(0), height = reader.getHeight(0);
            if (width <= 0 || height <= 0) throw new FormatException(file, "image of " + height + "x" + width + " pixels (height x width) is empty");
            if ((long) width * height > maxPixels) {
                throw new FormatException(file, height + "x" + width + " pixels exceed the limit of " + maxPixels);
            }
            checkImageData(file, chunks, width, height);
            BufferedImage image = reader.read(0);
            if (chunks.colourType == PALETTE) checkPaletteIndices(file, image, chunks.paletteEntries);
            return pixels(image, chunks.colourType, chunks.bitDepth);
        } catch (IOException e) {
            throw new FormatException(file, "not a readable PNG: " + message(e));
        } catch (FormatException e) {
            throw e;
        } catch (RuntimeException e) {
            // The JDK's PNG decoder reports some malformed input with unchecked exceptions
            // (IllegalArgumentException, ArrayIndexOutOfBoundsException, ...): still a bad file, not our bug.
            throw new FormatException(file, "not a readable PNG: " + e.getClass().getSimpleName() + ": " + message(e));
        } finally {
            reader.dispose();
        }
    }

    private static final int GREY = 0, PALETTE = 3, GREY_ALPHA = 4;

    /** What the pixel checks need from the chunks: IHDR's fields, the palette's size, the IDAT data. */
    private static final class Chunks {
        int bitDepth, colourType, interlace;
        int paletteEntries = -1;
        final ByteArrayOutputStream idat = new ByteArrayOutputStream();
    }

    /**
     * Walks the chunk list: IHDR first, IEND last with nothing after it, every chunk inside the file
     * and with a correct CRC. The JDK decoder checks none of this, so a truncated or damaged file
     * would otherwise decode into plausible-looking wrong pixels.
     */
    private static Chunks checkChunks(Path file, byte[] bytes) {
        Chunks chunks = new Chunks();
        ByteBuffer b = ByteBuffer.wrap(bytes); // big-endian, as PNG is
        int pos = SIGNATURE.length;
        boolean first = true;
        while (true) {
            if (bytes.length - pos < 12) throw new FormatException(file, "truncated PNG: chunk at byte " + pos + " is incomplete (no IEND)");
            long length = Integer.toUnsignedLong(b.getInt(pos));
            String type = new String(bytes, pos + 4, 4, StandardCharsets.ISO_8859_1);
            if (length > bytes.length - pos - 12L) {
                throw new FormatException(file, "truncated PNG: chunk " + printable(type) + " at byte " + pos + " declares " + length
                        + " bytes, " + (bytes.length - pos - 12) + " remain");
            }
            if (first && !type.equals("IHDR")) throw new FormatException(file, "PNG does not start with an IHDR chunk");
            first = false;
            CRC32 crc = new CRC32();
            crc.update(bytes, pos + 4, 4 + (int) length);
            if ((int) crc.getValue() != b.getInt(pos + 8 + (int) length)) {
                throw new FormatException(file, "PNG chunk " + printable(type) + " at byte " + pos + " has a bad CRC (damaged file)");
            }
            switch (type) {
                case "IHDR" -> {
                    if (length != 13) throw new FormatException(file, "PNG IHDR chunk of " + length + " bytes, not 13");
                    chunks.bitDepth = bytes[pos + 16] & 0xFF;
                    chunks.colourType = bytes[pos + 17] & 0xFF;
                    chunks.interlace = bytes[pos + 20] & 0xFF;
                }
                case "PLTE" -> chunks.paletteEntries = (int) (length / 3);
                case "IDAT" -> chunks.idat.write(bytes, pos + 8, (int) length);
                default -> {
                }
            }
            pos += 12 + (int) length;
            if (type.equals("IEND")) break;
        }
        if (pos != bytes.length) throw new FormatException(file, (bytes.length - pos) + " trailing bytes after the PNG's IEND chunk");
        return chunks;
    }

    /**
     * The image data must inflate to exactly the scanlines IHDR declares: the JDK decoder stops reading
     * when it has the pixels and ignores the rest, which in a well-formed file does not exist. Inflation
     * stops one byte past the expected size, so a small file cannot make us inflate gigabytes.
     */
    private static void checkImageData(Path file, Chunks chunks, int width, int height) {
        int channels = switch (chunks.colourType) {
            case 0, 3 -> 1;
            case 4 -> 2;
            case 2 -> 3;
            case 6 -> 4;
            default -> throw new FormatException(file, "PNG colour type " + chunks.colourType + " is not defined");
        };
        if (chunks.colourType == PALETTE && chunks.paletteEntries < 0) throw new FormatException(file, "palette PNG without a PLTE chunk");
        long bitsPerPixel = (long) channels * chunks.bitDepth;
        long expected = 0;
        if (chunks.interlace == 0) {
            expected = height * (1 + (width * bitsPerPixel + 7) / 8);
        } else {
            // Adam7: seven reduced images, each (x0, y0, dx, dy); an empty pass has no scanlines at all.
            int[][] passes = {{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}};
            for (int[] p : passes) {
                long w = (width - p[0] + p[2] - 1L) / p[2], h = (height - p[1] + p[3] - 1L) / p[3];
                if (w > 0 && h > 0) expected += h * (1 + (w * bitsPerPixel + 7) / 8);
            }
        }
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(chunks.idat.toByteArray());
            byte[] buffer = new byte[1 << 16];
            long inflated = 0;
            while (!inflater.finished() && inflated <= expected) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) break;
                inflated += n;
            }
            if (inflated > expected) {
                throw new FormatException(file, "PNG image data inflates to more than the " + expected + " bytes of its "
                        + height + "x" + width + " scanlines (data after the image)");
            }
        } catch (DataFormatException e) {
            return; // the decoder reports damaged data with its own message
        } finally {
            inflater.end();
        }
    }

    /** A palette index must name an entry of PLTE; the JDK decoder pads the palette and reads such pixels as black. */
    private static void checkPaletteIndices(Path file, BufferedImage image, int entries) {
        Raster raster = image.getRaster();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int index = raster.getSample(x, y, 0);
                if (index >= entries) {
                    throw new FormatException(file, "pixel (" + x + ", " + y + ") has palette index " + index + " but PLTE has only "
                            + entries + " entries");
                }
            }
        }
    }

    private static String printable(String type) {
        return type.chars().allMatch(c -> c >= 'A' && c <= 'z') ? type : "(unnamed)";
    }

    /**
     * Grey or colour as IHDR's colour type says, as {@link #declaresColour} (by which the image-folder reader
     * chooses a folder's channels) does: not by the JDK's colour model, which for grey of 1, 2 or 4 bits is a
     * palette of grey levels (an sRGB IndexColorModel) and made such an image three channels in a grey folder.
     */
    private static DecodedImage pixels(BufferedImage image, int colourType, int bitDepth) {
        int w = image.getWidth(), h = image.getHeight(), plane = Math.multiplyExact(w, h);
        Raster raster = image.getRaster();
        if (colourType == GREY || colourType == GREY_ALPHA) {
            byte[] out = new byte[plane];
            // Band 0 holds the grey samples; going through getRGB would apply a linear-to-sRGB curve. Grey of 1, 2 or 4
            // bits comes as palette indices, which are the stored values: 0..2^depth-1, rescaled as PNG says
            // (v·255/(2^depth−1)). With tRNS the JDK expands it to 8-bit grey and alpha, already rescaled.
            int bits = image.getColorModel() instanceof IndexColorModel ? bitDepth : image.getColorModel().getComponentSize(0);
            int max = (1 << bits) - 1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) out[y * w + x] = (byte) ((raster.getSample(x, y, 0) * 255L + max / 2) / max);
            }
            return new DecodedImage(1, h, w, out);
        }
        byte[] out = new byte[Math.multiplyExact(3, plane)];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = image.getRGB(x, y), at = y * w + x;
                out[at] = (byte) (rgb >> 16);
                out[plane + at] = (byte) (rgb >> 8);
                out[2 * plane + at] = (byte) rgb;
            }
        }
        return new DecodedImage(3, h, w, out);
    }

    /**
     * Whether a PNG declares a colour type with colour — RGB, RGBA or a palette — from its IHDR alone
     * (bytes 16..25), without decoding it. False for anything that is not a well-formed start of a PNG:
     * decoding it reports why.
     */
    static boolean declaresColour(byte[] head) {
        if (head.length < 26 || !Arrays.equals(head, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)) return false;
        if (head[12] != 'I' || head[13] != 'H' || head[14] != 'D' || head[15] != 'R') return false;
        int colourType = head[25];
        return colourType == 2 || colourType == 3 || colourType == 6;
    }

    /**
     * The channels, height and width a PNG's IHDR declares (bytes 16..25; channels as decoding gives them: 3 for colour,
     * alpha dropped), without decoding it; null for anything that is not a well-formed start of a PNG: decoding it reports why.
     */
    static int[] declaredShape(byte[] head) {
        if (head.length < 26 || !Arrays.equals(head, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)) return null;
        if (head[12] != 'I' || head[13] != 'H' || head[14] != 'D' || head[15] != 'R') return null;
        ByteBuffer b = ByteBuffer.wrap(head); // big-endian, as PNG is
        return new int[]{declaresColour(head) ? 3 : 1, b.getInt(20), b.getInt(16)};
    }

    private static String message(Exception e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.lines().findFirst().orElse("");
    }
}
