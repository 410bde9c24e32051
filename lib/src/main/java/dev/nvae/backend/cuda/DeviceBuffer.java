package dev.nvae.backend.cuda;

/**
 * A device allocation that grows to the largest size asked of it and is then reused: the backend's
 * staging buffers for activations, whose shapes repeat every step, so after the first step no call
 * allocates. Not thread-safe (one backend, one thread at a time).
 */
public final class DeviceBuffer implements AutoCloseable {
    private final CudaDevice device;
    private long address, capacity;

    public DeviceBuffer(CudaDevice device) {
        this.device = device;
    }

    /** The address of at least {@code bytes} bytes; the old contents are lost when it grows. */
    public long reserve(long bytes) {
        if (bytes > capacity) {
            device.free(address);
            address = 0;
            capacity = 0;
            address = device.malloc(bytes);
            capacity = bytes;
        }
        return address;
    }

    /** The current allocation (0 before the first {@link #reserve}). */
    public long address() {
        return address;
    }

    public long capacity() {
        return capacity;
    }

    @Override
    public void close() {
        device.free(address);
        address = 0;
        capacity = 0;
    }
}
