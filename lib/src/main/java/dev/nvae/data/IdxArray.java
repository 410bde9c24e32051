package dev.nvae.data;

import java.util.Arrays;

/**
 * The content of an unsigned-byte IDX file: its dimensions (e.g. [60000, 28, 28]) and the values,
 * row-major. The arrays are not copied; a caller that keeps one owns it.
 */
public record IdxArray(int[] dims, byte[] data) {
    @Override
    public String toString() {
        return "IdxArray" + Arrays.toString(dims);
    }
}
