package dev.nvae.data;

import dev.nvae.io.FormatException;

import java.nio.file.Path;

/**
 * Netpbm grey maps (https://netpbm.sourceforge.net/doc/pgm.html), the format of the Yale B faces:
 * "P5" (binary) or "P2" (plain text), width, height and maxval as decimal text separated by whitespace
 * and {@code #} comments, then the samples — one byte each if maxval < 256, else two, big-endian.
 * Samples are scaled to 0..255. One image per file: anything after it is an error, as is a sample
 * above maxval. The pixel count is checked against the bytes present before anything is allocated.
 */
final class PgmDecoder {
    private final Path file;
    private final byte[] b;
    private int pos;

    private PgmDecoder(Path file, byte[] bytes) {
        this.file = file;
        this.b = bytes;
    }

    static DecodedImage decode(Path file, byte[] bytes, long maxPixels) {
        return new PgmDecoder(file, bytes).decode(maxPixels);
    }

    private DecodedImage decode(long maxPixels) {
        if (b.length < 2 || b[0] != 'P' || (b[1] != '5' && b[1] != '2')) {
            throw bad("not a PGM file (it must start with P5 or P2)");
        }
        boolean plain = b[1] == '2';
        pos = 2;
        int width = header("width");
        int height = header("height");
        int maxval = header("maxval");
        if (width == 0 || height == 0) throw bad("image of " + height + "x" + width + " pixels (height x width) is empty");
        if (maxval == 0 || maxval > 65535) throw bad("maxval " + maxval + " is not in 1..65535");
        long pixels = (long) width * height;
        if (pixels > maxPixels) throw bad(height + "x" + width + " pixels exceed the limit of " + maxPixels);
        byte[] out;
        if (plain) {
            out = plainSamples((int) pixels, maxval);
        } else {
            if (pos >= b.length || !isWhitespace(b[pos])) throw bad("no whitespace after maxval");
            pos++; // exactly one whitespace byte separates the header from binary samples
            out = binarySamples((int) pixels, maxval);
        }
        return new DecodedImage(1, height, width, out);
    }

    /** A header number: skips whitespace and comments, reads decimal digits (at most 65535 for maxval, 2^31−1 else). */
    private int header(String what) {
        skipWhitespaceAndComments();
        int start = pos;
        long v = 0;
        while (pos < b.length && b[pos] >= '0' && b[pos] <= '9') {
            v = v * 10 + (b[pos++] - '0');
            if (v > Integer.MAX_VALUE) throw bad(what + " is too large");
        }
        if (pos == start) throw bad(pos >= b.length ? "header ends before the " + what : "expected the " + what + " at byte " + start);
        return (int) v;
    }

    private byte[] binarySamples(int pixels, int maxval) {
        int bytesPerSample = maxval < 256 ? 1 : 2;
        long need = (long) pixels * bytesPerSample;
        long have = b.length - pos;
        if (have < need) throw bad("truncated: " + pixels + " samples need " + need + " bytes, found " + have);
        if (have > need) throw bad((have - need) + " trailing bytes after the image");
        byte[] out = new byte[pixels];
        for (int i = 0; i < pixels; i++) {
            int v = bytesPerSample == 1 ? b[pos + i] & 0xFF : ((b[pos + 2 * i] & 0xFF) << 8) | (b[pos + 2 * i + 1] & 0xFF);
            out[i] = scale(v, maxval, i);
        }
        return out;
    }

    private byte[] plainSamples(int pixels, int maxval) {
        // Each sample takes at least two bytes ("0 "): a cheap bound before allocating.
        if ((long) pixels > (b.length - pos + 1) / 2) throw bad("truncated: " + pixels + " samples cannot fit in " + (b.length - pos) + " bytes");
        byte[] out = new byte[pixels];
        for (int i = 0; i < pixels; i++) {
            skipWhitespaceAndComments();
            int start = pos;
            int v = 0;
            while (pos < b.length && b[pos] >= '0' && b[pos] <= '9' && v <= 65535) v = v * 10 + (b[pos++] - '0');
            if (pos == start) throw bad(pos >= b.length ? "truncated: " + i + " of " + pixels + " samples" : "sample " + i + " is not a number");
            out[i] = scale(v, maxval, i);
        }
        skipWhitespaceAndComments();
        if (pos != b.length) throw bad((b.length - pos) + " trailing bytes after the image");
        return out;
    }

    private byte scale(int v, int maxval, int index) {
        if (v > maxval) throw bad("sample " + index + " is " + v + ", above maxval " + maxval);
        return (byte) ((v * 255L + maxval / 2) / maxval); // rounded
    }

    private void skipWhitespaceAndComments() {
        while (pos < b.length) {
            if (isWhitespace(b[pos])) {
                pos++;
            } else if (b[pos] == '#') {
                while (pos < b.length && b[pos] != '\n' && b[pos] != '\r') pos++;
            } else {
                return;
            }
        }
    }

    private static boolean isWhitespace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0B || c == 0x0C;
    }

    private FormatException bad(String reason) {
        return new FormatException(file, reason);
    }
}
