package dev.nvae.backend;

import dev.nvae.NvaeException;

import java.util.ArrayList;
import java.util.List;

/**
 * Chooses the backend once at start-up (STYLE.md 9). {@code auto} takes the fastest available; today
 * that is {@code vector}, the only compute backend implemented in lib.
 */
public final class Backends {
    private Backends() {
    }

    public static Backend create(String name, int threads) {
        if (threads < 1) throw new NvaeException("--threads " + threads + " must be at least 1");
        return switch (name) {
            case "vector", "auto" -> new VectorBackend(threads);
            case "onednn" -> throw new NvaeException("--backend onednn: the oneDNN backend is not implemented yet; use --backend vector");
            case "cuda" -> throw new NvaeException("--backend cuda: the CUDA backend is not implemented yet; use --backend vector");
            default -> throw new NvaeException("--backend " + name + ": expected vector, onednn or auto");
        };
    }

    /** One line per backend for {@code info}. */
    public static List<String> describeAvailable() {
        List<String> lines = new ArrayList<>();
        lines.add(VectorBackend.describe() + ": available");
        lines.add("onednn: not implemented yet");
        return lines;
    }
}
