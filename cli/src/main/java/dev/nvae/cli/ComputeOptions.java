package dev.nvae.cli;

import dev.nvae.backend.Backend;
import dev.nvae.backend.Backends;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --backend} and {@code --threads}, shared by every command that computes. */
final class ComputeOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "auto",
            description = "Compute backend: vector, onednn or auto (onednn when it loads and runs AVX2 or better, else vector). Default: ${DEFAULT-VALUE}.")
    String backend;

    @Option(names = "--threads", paramLabel = "T",
            description = "Threads that compute, on either backend: the vector workers or oneDNN's OpenMP team; at most the "
                    + "available processors. Default: the available processors (${DEFAULT-VALUE}).")
    int threads = Runtime.getRuntime().availableProcessors();

    Backend open() {
        return Backends.create(backend, threads());
    }

    /** Starts opening the backend on another thread; see {@link BackendOpening}. */
    BackendOpening openInBackground() {
        return BackendOpening.start(backend, threads());
    }

    /**
     * --threads, capped at the processors this JVM may use: more threads than processors only take turns
     * on them (and a spinning worker pool loses time doing so). Said once, as a warning.
     */
    private int threads() {
        int usable = usable(threads);
        if (usable != threads) {
            command.commandLine().getErr().printf("warning: --threads %d is more than the %d processors available; using %d%n",
                    threads, usable, usable);
            command.commandLine().getErr().flush();
        }
        return usable;
    }

    /** {@code requested} threads capped at the available processors (a value below 1 is left for the backend to refuse). */
    static int usable(int requested) {
        return Math.min(requested, Runtime.getRuntime().availableProcessors());
    }
}
