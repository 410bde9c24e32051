package dev.nvae.data;

/**
 * A decoded image: {@code channels} × height × width unsigned 8-bit values, channel by channel (CHW:
 * all of the first channel row by row, then the next) — one grey channel, or R, G and B.
 */
public record DecodedImage(int channels, int height, int width, byte[] pixels) {
    public DecodedImage {
        if (channels < 1 || height <= 0 || width <= 0 || pixels.length != (long) channels * height * width) {
            throw new IllegalArgumentException(pixels.length + " values for a " + channels + "x" + height + "x" + width + " image");
        }
    }

    /** This image with {@code target} channels: itself, or a grey image repeated in each of R, G and B. */
    public DecodedImage withChannels(int target) {
        if (target == channels) return this;
        if (channels != 1) throw new IllegalArgumentException("a " + channels + "-channel image cannot become " + target + " channels");
        byte[] out = new byte[Math.multiplyExact(target, pixels.length)];
        for (int c = 0; c < target; c++) System.arraycopy(pixels, 0, out, c * pixels.length, pixels.length);
        return new DecodedImage(target, height, width, out);
    }
}
