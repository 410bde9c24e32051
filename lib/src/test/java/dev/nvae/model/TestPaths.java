package dev.nvae.model;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository root (the folder holding testdata/) from wherever the tests run. */
public final class TestPaths {
    private TestPaths() {
    }

    public static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("testdata"))) p = p.getParent();
        if (p == null) throw new IllegalStateException("no testdata/ above " + Path.of("").toAbsolutePath());
        return p;
    }
}
