package dev.nvae.cli;

import dev.nvae.backend.Backend;
import dev.nvae.backend.Backends;
import picocli.CommandLine.Option;

/** {@code --backend} and {@code --threads}, shared by every command that computes. */
final class ComputeOptions {
    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "auto",
            description = "Compute backend: vector, onednn or auto (onednn when it loads and runs AVX2 or better, else vector). Default: ${DEFAULT-VALUE}.")
    String backend;

    @Option(names = "--threads", paramLabel = "T",
            description = "Threads that compute, on either backend: the vector workers or oneDNN's OpenMP team. Default: the available processors (${DEFAULT-VALUE}).")
    int threads = Runtime.getRuntime().availableProcessors();

    Backend open() {
        return Backends.create(backend, threads);
    }

    /** Starts opening the backend on another thread; see {@link BackendOpening}. */
    BackendOpening openInBackground() {
        return BackendOpening.start(backend, threads);
    }
}
