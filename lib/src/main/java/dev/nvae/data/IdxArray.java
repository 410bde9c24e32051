package dev.nvae.data;

import java.util.Arrays;

/**
 * The content of an IDX file: its dimensions (e.g. [60000, 28, 28]) and the values as unsigned bytes (a float
 * file's as 8-bit pixels, see {@link IdxReader#read}),
 * row-major. The arrays are not copied; a caller that keeps one owns it.
 */
public record IdxArray(int[] dims, byte[] data) {
    @Override
    public String toString() {
        return "IdxArray" + Arrays.toString(dims);
    }
}
