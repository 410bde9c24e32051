package dev.nvae.api;

import java.util.Locale;

/** The compute backend an open model runs its layers on; the CLI's {@code --backend}. */
public enum ComputeBackend {
    /**
     * oneDNN when it loads, its CPU runtime can be held to the requested threads and it dispatches to AVX2 or
     * better; otherwise {@link #VECTOR}, with a warning that says why (logged as {@code dev.nvae}).
     */
    AUTO,
    /** Pure Java on the incubating Vector API: always available, and the reference the others are tested against. */
    VECTOR,
    /**
     * oneDNN 3.x through the FFM API, loaded from the Maven Central jar this library depends on (no system
     * install); opening a model with it fails with {@link ModelException} where it cannot load.
     */
    ONEDNN;

    /** {@return the lower-case name the CLI's {@code --backend} takes: {@code auto}, {@code vector} or {@code onednn}} */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The backend named {@code id} ({@code auto}, {@code vector} or {@code onednn}, any case).
     *
     * @param id the name
     * @return the backend
     * @throws InvalidRequestException naming the field {@code backend} for any other name
     */
    public static ComputeBackend parse(String id) {
        for (ComputeBackend b : values()) {
            if (b.id().equalsIgnoreCase(id)) return b;
        }
        throw new InvalidRequestException("backend", "'" + id + "' is not a backend: expected auto, vector or onednn");
    }
}
