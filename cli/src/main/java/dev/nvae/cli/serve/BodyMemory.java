package dev.nvae.cli.serve;

/**
 * The bytes of request bodies the server holds at once, across every connection. A body is read whole before its
 * request is admitted to the {@link ComputeQueue}, so the queue alone bounded the work but not the memory: 30
 * connections each sending all but the last byte of a 16 MB body held 500 MB while {@code /health} said nothing
 * was in flight, and with a small heap the body readers ran out of memory. A body that does not fit is answered
 * 503 with {@code Retry-After} (field {@code body}), as a full queue is.
 */
final class BodyMemory {
    private final long capacity;
    private long held;  // guarded by this

    BodyMemory(long capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity " + capacity);
        this.capacity = capacity;
    }

    /**
     * As many bytes as every admitted request ({@code lanes + queue}) holding a body of the largest size, but no more
     * than a quarter of the heap — and always room for one body of the largest size.
     */
    static BodyMemory forLimits(Limits limits, int lanes, long maxHeapBytes) {
        long admitted;
        try {
            admitted = Math.multiplyExact(lanes + (long) limits.queue(), limits.maxBodyBytes());
        } catch (ArithmeticException beyondLong) {
            admitted = Long.MAX_VALUE;
        }
        return new BodyMemory(Math.max(limits.maxBodyBytes(), Math.min(admitted, maxHeapBytes / 4)));
    }

    /** Takes {@code bytes} of the budget if they fit in what is left. */
    synchronized boolean tryTake(long bytes) {
        if (bytes > capacity - held) return false;
        held += bytes;
        return true;
    }

    synchronized void give(long bytes) {
        held -= bytes;
    }

    long capacity() {
        return capacity;
    }

    synchronized long held() {
        return held;
    }

    /** The reason of the 503 a body that does not fit gets. */
    String busy() {
        String size = capacity >= 1 << 20 ? capacity / (1 << 20) + " MiB" : capacity + " bytes";
        return "the server holds as many request bodies as it may (" + size + "); try again shortly";
    }
}
