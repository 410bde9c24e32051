package dev.nvae.data;

import dev.nvae.NvaeException;

import java.util.Locale;

/** Which part of a dataset: the training examples or the held-out test examples. */
public enum Split {
    TRAIN, TEST;

    /** Parses the {@code --split} flag: "train" or "test" (any case). */
    public static Split parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "train" -> TRAIN;
            case "test" -> TEST;
            default -> throw new NvaeException("--split: '" + text + "' is not a split; use train or test");
        };
    }

    /** The lower-case name used in flags, file names and reports. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
