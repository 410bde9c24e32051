package dev.nvae.data;

/** A decoded grey-scale image: height × width unsigned 8-bit pixels, row-major. */
public record GrayImage(int height, int width, byte[] pixels) {
    public GrayImage {
        if (height <= 0 || width <= 0 || pixels.length != (long) height * width) {
            throw new IllegalArgumentException(pixels.length + " pixels for a " + height + "x" + width + " image");
        }
    }
}
