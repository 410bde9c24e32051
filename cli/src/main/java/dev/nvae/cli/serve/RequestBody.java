package dev.nvae.cli.serve;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads a request body whole, within a size limit and a deadline.
 *
 * <p>The JDK's server reads bodies with blocking reads that no timeout interrupts, so the body is read on a
 * virtual thread of its own while the handler waits for it until the deadline. When the body is too large or
 * too slow the handler answers at once (413 or 408, with {@code Connection: close}) and the reader becomes the
 * exchange's owner: it goes on reading and dropping what the client sends — bounded in bytes and time, so
 * that a client that writes its whole body before it reads gets the answer rather than a reset connection —
 * and closes the exchange once the answer is written. A client that stops sending altogether leaves the
 * reader blocked until the server's own request timer ({@code sun.net.httpserver.maxReqTime}, which
 * {@link ModelServer} sets above the body deadline) closes the connection.
 *
 * <p>Who closes the exchange: the handler when {@link #read()} returned the body; the reader when it threw.
 *
 * <p>The bytes held count against the server's {@link BodyMemory} — the buffer's size as it grows with what arrives,
 * not the length a client declares (a header alone must not hold 16 MB for 10 s) — until {@link #release()}: a body
 * that does not fit is answered 503.
 */
final class RequestBody {
    private static final int CHUNK = 64 * 1024;
    /** Bytes of a refused body read and dropped at most before the connection is closed anyway. */
    private static final long DISCARD_LIMIT = 256L << 20;
    /** How long a refused body is read and dropped at least (a body refused for its declared length, say). */
    private static final long DISCARD_NANOS = TimeUnit.SECONDS.toNanos(2);

    /** The handler stopped waiting: the reader owns the exchange. */
    private static final class GivenUp extends Exception {
        GivenUp() {
            super(null, null, false, false);
        }
    }

    /** The body does not fit in what the server's {@link BodyMemory} has left. */
    private static final class NoRoom extends Exception {
        NoRoom() {
            super(null, null, false, false);
        }
    }

    /** The body passed the limit. */
    private static final class TooLarge extends Exception {
        TooLarge() {
            super(null, null, false, false);
        }
    }

    private final HttpExchange exchange;
    private final long limit;
    private final Duration timeout;
    private final long deadlineNanos;
    private final CompletableFuture<byte[]> outcome = new CompletableFuture<>();
    private final CountDownLatch answered = new CountDownLatch(1);
    private final BodyMemory memory;
    private long reserved;      // guarded by this: bytes taken from memory
    private boolean released;   // guarded by this

    /**
     * @param startNanos when the request started ({@link System#nanoTime()}): the deadline counts from there
     */
    RequestBody(HttpExchange exchange, long limit, Duration timeout, long startNanos, BodyMemory memory) {
        this.exchange = exchange;
        this.memory = memory;
        this.limit = limit;
        this.timeout = timeout;
        this.deadlineNanos = startNanos + timeout.toNanos();
    }

    /**
     * The body, at most the limit in bytes and received before the deadline. On {@link HttpError} (413, 408,
     * or 400 for a body cut short) the exchange belongs to the reader: answer with {@code Connection: close},
     * then call {@link #answered()}, and do not close it.
     */
    byte[] read() {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        long length = -1;  // unknown: chunked
        if (declared != null) {
            try {
                length = Long.parseLong(declared.strip());
            } catch (NumberFormatException e) {
                length = -1;  // the JDK's server refuses a malformed length before any handler runs
            }
            if (length == 0) return new byte[0];
            if (length > limit) throw refuseUnread(new TooLarge(), tooLarge());
        }
        // A small body usually arrives with the headers and waits in the server's buffer: read what is there
        // without blocking, and start a reader only for the rest.
        Buffer received = new Buffer(length > 0 ? length : limit);
        if (!received.grow(length > 0 ? (int) Math.min(length, 1 << 16) : 1024)) throw refuseUnread(new NoRoom(), noRoom());
        try {
            InputStream in = exchange.getRequestBody();
            byte[] buf = new byte[CHUNK];
            for (int ready; length > 0 && received.size < length && (ready = in.available()) > 0; ) {
                int n = in.read(buf, 0, Math.min(ready, buf.length));
                if (n < 0) break;
                if (!received.add(buf, n)) throw refuseUnread(new NoRoom(), noRoom());  // the rest is read and dropped
            }
        } catch (IOException e) {
            outcome.completeExceptionally(e);
            Thread.ofVirtual().name("nvae-body-close").start(this::closeWhenAnswered);
            return resolved();
        }
        if (length > 0 && received.size == length) return received.bytes();
        Thread.ofVirtual().name("nvae-body-reader").start(() -> readLoop(received));
        try {
            return outcome.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            if (outcome.completeExceptionally(new GivenUp())) {
                throw new HttpError(408, "body", "the request body did not arrive within " + timeout.toSeconds() + " s");
            }
            return resolved();  // the reader finished in the meantime
        } catch (ExecutionException e) {
            return resolved();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (outcome.completeExceptionally(new GivenUp())) throw new HttpError(503, "body", "the server is stopping");
            return resolved();
        }
    }

    /** Refuses a body before reading the rest of it: a reader drops what the client sends and closes once answered. */
    private HttpError refuseUnread(Exception why, HttpError answer) {
        outcome.completeExceptionally(why);
        Thread.ofVirtual().name("nvae-body-discard").start(() -> {
            try (InputStream in = exchange.getRequestBody()) {
                discard(in, new byte[CHUNK], 0);
            } catch (IOException | RuntimeException | Error gone) {
                // nothing left to drop, or no memory to drop it with: the connection is closed below all the same
            } finally {
                closeWhenAnswered();
            }
        });
        return answer;
    }

    /** The outcome the reader set, as a body or the error to answer. */
    private byte[] resolved() {
        try {
            return outcome.getNow(null);
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof TooLarge) throw tooLarge();
            if (e.getCause() instanceof NoRoom) throw noRoom();
            if (e.getCause() instanceof OutOfMemoryError) {
                throw new HttpError(503, "body", "the server ran out of memory reading the request body; try again shortly");
            }
            if (!(e.getCause() instanceof IOException)) {  // the server's fault, not the client's
                throw new HttpError(500, "server", "internal error reading the request body: " + e.getCause().getClass().getSimpleName());
            }
            throw new HttpError(400, "body", "the request body could not be read: " + e.getCause().getMessage());
        }
    }

    /** Takes {@code bytes} of the server's body memory for this body; false once released or when they do not fit. */
    private synchronized boolean take(long bytes) {
        if (released || !memory.tryTake(bytes)) return false;
        reserved += bytes;
        return true;
    }

    /** The request is over: its body's bytes go back to the server's memory (and a reader still running takes no more). */
    synchronized void release() {
        released = true;
        memory.give(reserved);
        reserved = 0;
    }

    /** The caller's answer is written: the reader may close the exchange. */
    void answered() {
        answered.countDown();
    }

    /** Reads the rest of the body after what {@code out} holds already. */
    private void readLoop(Buffer out) {
        long total = out.size;
        try {
            byte[] buf = new byte[CHUNK];  // in the try: an allocation that fails must still set the outcome
            InputStream in = exchange.getRequestBody();
            for (int n; (n = in.read(buf)) >= 0; ) {
                total += n;
                if (outcome.isDone()) {  // the handler gave up waiting
                    discard(in, buf, total);
                    closeWhenAnswered();
                    return;
                }
                if (total > limit || !out.add(buf, n)) {
                    outcome.completeExceptionally(total > limit ? new TooLarge() : new NoRoom());
                    discard(in, buf, total);
                    closeWhenAnswered();
                    return;
                }
            }
            // The handler takes the body and closes the exchange, unless it gave up first.
            if (!outcome.complete(out.bytes())) closeWhenAnswered();
        } catch (IOException | RuntimeException | Error e) {
            // An Error too (the heap exhausted): left uncaught it ended this thread with the outcome never set, the
            // handler answered 408 at the deadline, and the exchange stayed open until a stop waited out its grace.
            outcome.completeExceptionally(e);
            closeWhenAnswered();
        }
    }

    /**
     * The body as it arrives, in an array that grows by doubling up to the declared length (or the limit), each growth
     * taken from the server's memory before it is made: what is counted is what is held, and a body of a declared
     * length ends in an array of exactly that length, handed over without a copy.
     */
    private final class Buffer {
        private final long cap;
        private byte[] data = new byte[0];
        private int size;

        Buffer(long cap) {
            this.cap = Math.min(cap, Integer.MAX_VALUE - 8);
        }

        /** Makes room for {@code capacity} bytes in all; false when the server's memory has no room for the growth. */
        boolean grow(long capacity) {
            if (capacity <= data.length) return true;
            int next = (int) Math.min(cap, Math.max(capacity, 2L * data.length));
            if (!take(next - data.length)) return false;
            data = Arrays.copyOf(data, next);
            return true;
        }

        boolean add(byte[] src, int n) {
            if (!grow((long) size + n)) return false;
            System.arraycopy(src, 0, data, size, n);
            size += n;
            return true;
        }

        /** The body: the array itself when it is full (a declared length), else a copy of its used part. */
        byte[] bytes() {
            return size == data.length ? data : Arrays.copyOf(data, size);
        }
    }

    /** Reads and drops the rest of a refused body, bounded in bytes and time. */
    private void discard(InputStream in, byte[] buf, long total) {
        long until = Math.max(deadlineNanos, System.nanoTime() + DISCARD_NANOS);
        try {
            while (total < limit + DISCARD_LIMIT && System.nanoTime() < until) {
                int n = in.read(buf);
                if (n < 0) break;
                total += n;
            }
        } catch (IOException gone) {
            // the client closed, or the server's request timer did: nothing left to drop
        }
    }

    private void closeWhenAnswered() {
        try {
            answered.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // The response stream first: closing it is what ends the exchange in the server's books (and, with the
        // request unfinished, closes the connection). HttpExchange.close() alone, when the request stream fails
        // — a chunked body cut off by the client — closes the connection but leaves the exchange counted, and
        // a stop() then waits its whole grace period for it.
        try {
            exchange.getResponseBody().close();
        } catch (IOException | RuntimeException notAnswered) {
            // the answer could not be written: the connection is closed below all the same
        }
        exchange.close();
    }

    private HttpError noRoom() {
        return new HttpError(503, "body", memory.busy());
    }

    private HttpError tooLarge() {
        return new HttpError(413, "body", "the request body is larger than the limit of " + limit + " bytes");
    }
}
