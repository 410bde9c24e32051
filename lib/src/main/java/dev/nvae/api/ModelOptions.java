package dev.nvae.api;

import dev.nvae.backend.Processors;

import java.util.Objects;

/**
 * How {@link NvaeModel#open(java.nio.file.Path, ModelOptions)} runs a model: backend, threads per call,
 * lanes (calls that compute at once) and precision. Immutable; each {@code with...} returns a copy, so an
 * options value can be shared and new options can be added without breaking callers.
 *
 * <p>Threads and lanes: an open model computes on {@link #lanes()} lanes, each with its own copy of the
 * weights and a backend of {@link #threads()} threads; a call takes a free lane for its duration. One lane
 * of all the cores ({@code threads = cores, lanes = 1}, the default) gives one large call the whole machine;
 * a service answering many small requests gets more from one lane per core ({@code threads = 1,
 * lanes = cores}), as no call then waits on another's threads. Results do not depend on either number.
 */
public final class ModelOptions {
    private static final ModelOptions DEFAULTS =
            new ModelOptions(ComputeBackend.AUTO, Runtime.getRuntime().availableProcessors(), 1, Precision.FP32);

    private final ComputeBackend backend;
    private final int threads;
    private final int lanes;
    private final Precision precision;

    private ModelOptions(ComputeBackend backend, int threads, int lanes, Precision precision) {
        this.backend = backend;
        this.threads = threads;
        this.lanes = lanes;
        this.precision = precision;
    }

    /**
     * Backend {@link ComputeBackend#AUTO}, one lane of as many threads as the JVM has processors, {@link Precision#FP32}.
     *
     * @return the default options
     */
    public static ModelOptions defaults() {
        return DEFAULTS;
    }

    /**
     * These options with another backend.
     *
     * @param backend the backend every lane runs on
     * @return these options with {@code backend}
     */
    public ModelOptions withBackend(ComputeBackend backend) {
        return new ModelOptions(Objects.requireNonNull(backend, "backend"), threads, lanes, precision);
    }

    /**
     * These options with another number of threads per lane. {@link NvaeModel#open} uses at most as many as the JVM has
     * processors ({@link ModelInfo#threads()} says how many), with a warning on the {@code dev.nvae} logger, as every
     * {@code nvae} command caps {@code --threads}: more only take turns on the processors, and a spinning worker pool
     * loses time doing so.
     *
     * @param threads threads of each lane's backend: the vector backend's workers or oneDNN's OpenMP team, at least 1
     * @return these options with {@code threads}
     * @throws InvalidRequestException if {@code threads} is below 1
     */
    public ModelOptions withThreads(int threads) {
        if (threads < 1) throw new InvalidRequestException("threads", threads + " must be at least 1");
        return new ModelOptions(backend, threads, lanes, precision);
    }

    /**
     * These options with another number of lanes.
     *
     * @param lanes calls that can compute at once, each on its own copy of the weights (with a buffer of their size,
     *              about 8 MB per million parameters) and its own backend; at least 1, and no more than fit in the memory
     *              this JVM may use ({@link NvaeModel#open} refuses more, naming {@code lanes})
     * @return these options with {@code lanes}
     * @throws InvalidRequestException if {@code lanes} is below 1
     */
    public ModelOptions withLanes(int lanes) {
        if (lanes < 1) throw new InvalidRequestException("lanes", lanes + " must be at least 1");
        return new ModelOptions(backend, threads, lanes, precision);
    }

    /**
     * These options with another precision.
     *
     * @param precision the arithmetic of the matrix products
     * @return these options with {@code precision}
     */
    public ModelOptions withPrecision(Precision precision) {
        return new ModelOptions(backend, threads, lanes, Objects.requireNonNull(precision, "precision"));
    }

    /** {@return the backend every lane runs on} */
    public ComputeBackend backend() {
        return backend;
    }

    /** {@return threads of each lane's backend} */
    public int threads() {
        return threads;
    }

    /** {@return calls that can compute at once} */
    public int lanes() {
        return lanes;
    }

    /** {@return the arithmetic of the matrix products} */
    public Precision precision() {
        return precision;
    }

    /**
     * {@code requested} threads, at most the processors this JVM may use, with a warning naming {@code setting}
     * where it had to cap them.
     */
    static int usableThreads(int requested, String setting, System.Logger log) {
        int usable = Processors.usable(requested);
        if (usable != requested) log.log(System.Logger.Level.WARNING, Processors.capped(setting, requested));
        return usable;
    }

    @Override
    public String toString() {
        return "ModelOptions[backend=" + backend.id() + ", threads=" + threads + ", lanes=" + lanes + ", precision=" + precision + "]";
    }
}
