package dev.nvae.cli.serve;

import java.time.Duration;

/**
 * What one request may ask of the server, and how long it may take to send it. Every limit bounds memory
 * or time: a body is read into memory whole, the images of a call are decoded at once, a call's work is
 * n (or images × importance samples) decodes.
 *
 * @param maxBodyBytes    largest request body; a larger one is answered 413 (field {@code body})
 * @param maxSamples      largest n of one /sample call; more is answered 400 (field {@code n})
 * @param maxImages       most images of one /encode or /score call; more is answered 413 (field {@code images})
 * @param maxImportance   most importance samples per image of one /score call; more is answered 400 (field {@code iw})
 * @param bodyTimeout     time from the end of the request's headers to the last byte of its body; a slower body is answered 408
 * @param queue           requests that may wait for a lane; with every lane busy and this many waiting, 503
 * @param maxConnections  open connections at most; the JDK's server closes a further one at once
 * @param computeTimeout  time from a request's admission to the end of its computation, waiting for a lane included;
 *                        one cut off is answered 503 (field {@code compute}); zero: no limit
 */
record Limits(long maxBodyBytes, int maxSamples, int maxImages, int maxImportance, Duration bodyTimeout, int queue,
              int maxConnections, Duration computeTimeout) {
    /** {@code nvae serve --compute-timeout}'s default, in seconds: what a proxy in front usually waits (nginx's 60 s). */
    static final int DEFAULT_COMPUTE_TIMEOUT_SECONDS = 60;

    Limits {
        if (maxBodyBytes < 1 || maxSamples < 1 || maxImages < 1 || maxImportance < 0 || queue < 0 || maxConnections < 1
                || bodyTimeout.isNegative() || bodyTimeout.isZero() || computeTimeout.isNegative()) {
            throw new IllegalArgumentException("limits must be positive: " + this);
        }
    }

    /** With the default compute timeout. */
    Limits(long maxBodyBytes, int maxSamples, int maxImages, int maxImportance, Duration bodyTimeout, int queue, int maxConnections) {
        this(maxBodyBytes, maxSamples, maxImages, maxImportance, bodyTimeout, queue, maxConnections,
                Duration.ofSeconds(DEFAULT_COMPUTE_TIMEOUT_SECONDS));
    }
}
