package dev.nvae.backend.cuda;

import java.lang.foreign.MemorySegment;

/**
 * A device copy of a model's flat parameter buffer, kept for as long as the backend holds the weights:
 * layers then read their weights on the device, and training sends them once per step (one copy of the
 * whole buffer after the optimiser's update) instead of once per layer and pass.
 */
public final class ResidentWeights implements AutoCloseable {
    private final CudaDevice device;
    private final MemorySegment host;
    private final long deviceAddress;

    public ResidentWeights(CudaDevice device, MemorySegment host) {
        this.device = device;
        this.host = host;
        this.deviceAddress = device.malloc(host.byteSize());
        refresh();
    }

    /** Copies the host values over the device copy (queued; ordered before any later use on the stream). */
    public void refresh() {
        device.upload(host, deviceAddress, host.byteSize());
    }

    /** Whether {@code bytes} bytes at {@code segment} lie inside these weights. */
    public boolean holds(MemorySegment segment, long bytes) {
        long start = segment.address() - host.address();
        return start >= 0 && start + bytes <= host.byteSize();
    }

    /** The device address of a host segment inside these weights ({@link #holds} first). */
    public long deviceAddress(MemorySegment segment) {
        return deviceAddress + (segment.address() - host.address());
    }

    @Override
    public void close() {
        device.free(deviceAddress);
    }
}
