package dev.nvae.backend.cuda;

import java.lang.foreign.MemorySegment;

import static dev.nvae.ffm.cuda.cuda_runtime_api_h.cudaGetLastError;
import static dev.nvae.ffm.cuda.cuda_runtime_api_h.cudaHostRegister;
import static dev.nvae.ffm.cuda.cuda_runtime_api_h.cudaHostUnregister;

/**
 * A device copy of a model's flat parameter buffer, kept for as long as the backend holds the weights:
 * layers then read their weights on the device, and training sends them once per step (one copy of the
 * whole buffer after the optimiser's update) instead of once per layer and pass — or, when the run trains
 * on the device ({@link #deviceCurrent()}), never: the device copy is then the current one, and the same
 * class holds the gradients and Adam's moments there.
 *
 * <p>The host buffer is page-locked (cudaHostRegister) while held, so that copy is a direct DMA rather
 * than the driver's staged copy of pageable memory. That may fail — another backend (a server lane)
 * already holds the same weights registered, or the system limits locked memory — and then the copy
 * simply goes through pageable memory, as any other.
 */
public final class ResidentWeights implements AutoCloseable {
    private final CudaDevice device;
    private final MemorySegment host;
    private final long deviceAddress;
    private final boolean pinned;
    private boolean deviceCurrent;

    public ResidentWeights(CudaDevice device, MemorySegment host) {
        this.device = device;
        this.host = host;
        this.deviceAddress = device.malloc(host.byteSize());
        this.pinned = cudaHostRegister(host, host.byteSize(), 0) == 0;
        if (!pinned) cudaGetLastError();   // not sticky, but leave no error behind for a later check to find
        refresh();
    }

    /**
     * Whether the device copy is the current one (a run training on the device writes it there): then the
     * host buffer is stale until {@link #fetch()}, and operations write these values on the device.
     */
    public boolean deviceCurrent() {
        return deviceCurrent;
    }

    public void deviceCurrent(boolean current) {
        this.deviceCurrent = current;
    }

    /** Queues the copy of the device values back over the host buffer (valid after the device's next wait). */
    public void fetch() {
        device.download(deviceAddress, host, host.byteSize());
    }

    /** The device address of the start of the buffer. */
    public long deviceAddress() {
        return deviceAddress;
    }

    /** Whether the host buffer is page-locked (the copy a DMA). */
    public boolean pinned() {
        return pinned;
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

    /** Frees the device copy and unlocks the host buffer; the caller has waited for the copies in flight. */
    @Override
    public void close() {
        try {
            device.free(deviceAddress);
        } finally {
            // By address: the weights' owner may have freed them already (a model closed before its backend),
            // and a closed segment cannot be passed. A failure leaves the pages locked, nothing worse.
            if (pinned) cudaHostUnregister(MemorySegment.ofAddress(host.address()));
        }
    }
}
