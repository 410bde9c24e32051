package dev.nvae.cli;

import dev.nvae.NvaeException;

import java.util.List;
import java.util.Locale;

/** Parses a {@code --class} value: a class index or a class name (any case). */
final class ClassChoice {
    private ClassChoice() {
    }

    static int parse(String text, List<String> classNames) {
        int k = classNames.size();
        for (int i = 0; i < k; i++) {
            if (classNames.get(i).equalsIgnoreCase(text)) return i;
        }
        int index;
        try {
            index = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new NvaeException("--class '" + text + "': expected a class index 0.." + (k - 1)
                    + " or a class name (" + String.join(", ", classNames) + ")");
        }
        if (index < 0 || index >= k) {
            throw new NvaeException(String.format(Locale.ROOT, "--class %d is out of range: the model has %d classes, 0..%d",
                    index, k, k - 1));
        }
        return index;
    }
}
