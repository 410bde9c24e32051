package dev.nvae.cli;

import dev.nvae.analysis.SampleLabels;

import java.util.List;

/** Parses a {@code --class} value: a class index or a class name (any case). */
final class ClassChoice {
    private ClassChoice() {
    }

    static int parse(String text, List<String> classNames) {
        return SampleLabels.classIndex(text, classNames);
    }
}
