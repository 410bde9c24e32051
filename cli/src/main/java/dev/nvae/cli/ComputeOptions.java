package dev.nvae.cli;

import dev.nvae.backend.Backend;
import dev.nvae.backend.Backends;
import dev.nvae.backend.Precision;
import dev.nvae.backend.Processors;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --backend}, {@code --threads} and {@code --precision}, shared by every command that computes. */
final class ComputeOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "auto",
            description = "Compute backend: vector, onednn, auto (onednn when it loads and runs AVX2 or better, else vector) or cuda "
                    + "(an NVIDIA GPU through the system's CUDA 12/13 libraries; never chosen by auto). Default: ${DEFAULT-VALUE}.")
    String backend;

    @Option(names = "--threads", paramLabel = "T",
            description = "Threads that compute, on either backend: the vector workers or oneDNN's OpenMP team; at most the "
                    + "available processors. Default: the available processors (${DEFAULT-VALUE}).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--precision", paramLabel = "P", defaultValue = "fp32",
            description = "Number format of the layers' products: fp32, or bf16 (the weights' bf16 copies, float32 "
                    + "accumulation, float32 master weights). bf16 inference runs on any CPU; bf16 training needs oneDNN "
                    + "and a CPU with avx512_bf16 or amx_bf16, as does a model with convolutions (--arch conv) at bf16. bf16 "
                    + "refuses --backend cuda. Default: ${DEFAULT-VALUE}.")
    String precision;

    Precision precision() {
        return Precision.parse(precision);
    }

    /** A backend for inference at --precision. */
    Backend open() {
        return Backends.create(backend, threads(), precision(), Backends.Use.INFERENCE, System.err::println);
    }

    /** A backend that trains at --precision: refuses bf16 where this machine cannot train in it. */
    Backend openForTraining() {
        return Backends.create(backend, threads(), precision(), Backends.Use.TRAINING, System.err::println);
    }

    /** Starts opening the backend (for inference) on another thread; see {@link BackendOpening}. */
    BackendOpening openInBackground() {
        return BackendOpening.start(backend, threads(), precision());
    }

    /**
     * A backend of the same kind and threads as {@code modelBackend}, at fp32, for what measures a model rather
     * than runs it (quality's judge, augment's classifier) when the model computes at another precision; null
     * when the measure can share the model's backend. The measure is the instrument: its figures must not depend
     * on the precision the model is sampled at (and the judge's convolutions have bf16 products on oneDNN only).
     */
    static Backend fp32Beside(Backend modelBackend) {
        return modelBackend.precision() == Precision.FP32 ? null : Backends.create(modelBackend.name(), modelBackend.threads());
    }

    /**
     * --threads, capped at the processors this JVM may use: more threads than processors only take turns
     * on them (and a spinning worker pool loses time doing so). Said once, as a warning.
     */
    private int threads() {
        int usable = Processors.usable(threads);
        if (usable != threads) {
            String warning = "warning: " + Processors.capped("--threads", threads);
            // Under the launcher's quick JIT the command may run again in another JVM, which says it itself.
            if (QuickJit.on()) heldWarning = warning;
            else printWarning(warning);
        }
        return usable;
    }

    private String heldWarning;

    /** Prints what {@link #threads()} held back under the quick JIT, once the command knows it runs here. */
    void printHeldWarnings() {
        if (heldWarning != null) printWarning(heldWarning);
        heldWarning = null;
    }

    private void printWarning(String warning) {
        command.commandLine().getErr().println(warning);
        command.commandLine().getErr().flush();
    }

}
