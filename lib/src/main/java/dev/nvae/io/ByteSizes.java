package dev.nvae.io;

import java.util.Locale;

/** Byte counts as people read disk and memory sizes. */
public final class ByteSizes {
    private ByteSizes() {
    }

    /** 9.4 TB, 51.2 GB, 512 kB, 17 bytes. */
    public static String text(long bytes) {
        String[] units = {"bytes", "kB", "MB", "GB", "TB", "PB", "EB"};
        double v = bytes;
        int u = 0;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return u == 0 ? bytes + " bytes" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
