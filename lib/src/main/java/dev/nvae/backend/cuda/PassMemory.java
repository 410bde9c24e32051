package dev.nvae.backend.cuda;

import dev.nvae.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Device copies of the tensors one pass touches (a network's forward or backward pass: a chain of
 * operations during which no other code reads or writes them), so that what one operation writes, the
 * next reads where it is, and the results go back to the host once, when the pass ends, behind one wait.
 *
 * <p>Validity: a copy is valid while it holds the tensor's current values. Inside a pass every copy an
 * operation wrote is valid. When a pass ends the written copies are sent back, then every copy is
 * forgotten except those of the pass-only tensors (the network's activations and their gradients, which
 * nothing but passes writes): the host may write any other tensor before the next pass (the next batch,
 * the latent family's gradients), so those are sent again when next read. A pass may name tensors that
 * stay on the device ({@link #begin(List, List)}): a training step computed there end to end sends back
 * its loss terms alone.
 *
 * <p>Copies are keyed by the host tensor's address and kept for reuse (the same workspace comes back
 * every step), so after the first step nothing is allocated; copies no pass has used for a while are
 * freed once there are many. One thread at a time, as its backend.
 */
public final class PassMemory implements AutoCloseable {
    private static final int MANY = 64, IDLE_PASSES = 16;

    private static final class Copy {
        final DeviceBuffer buffer;
        MemorySegment host;
        long valid, dirty;     // bytes from the start: holding current values; to be sent back
        boolean passOnly, deviceOnly;
        long lastPass;

        Copy(CudaDevice device, MemorySegment host) {
            this.buffer = new DeviceBuffer(device);
            this.host = host;
        }
    }

    private final CudaDevice device;
    private final List<Copy> copies = new ArrayList<>();
    private long pass;
    private boolean active;

    public PassMemory(CudaDevice device) {
        this.device = device;
    }

    public boolean active() {
        return active;
    }

    /**
     * Starts a pass. {@code passOnly}: tensors only passes write, whose copies may stay valid after it;
     * {@code deviceOnly}: tensors whose writes stay on the device, not sent back at its end (their host
     * memory is then stale; nobody reads it there).
     */
    public void begin(List<Tensor> passOnly, List<Tensor> deviceOnly) {
        if (active) throw new IllegalStateException("a pass is already open on this backend");
        pass++;
        if (copies.size() > MANY) evictIdle();
        for (Copy c : copies) {
            boolean keep = false;
            for (Tensor t : passOnly) {
                if (t.segment().address() == c.host.address()) {
                    keep = true;
                    break;
                }
            }
            // A copy kept from an earlier pass is valid only if that tensor is still pass-only now.
            if (!(keep && c.passOnly)) c.valid = 0;
            c.passOnly = keep;
        }
        for (Tensor t : passOnly) copy(t.segment()).passOnly = true;
        for (Copy c : copies) c.deviceOnly = false;
        for (Tensor t : deviceOnly) copy(t.segment()).deviceOnly = true;
        active = true;
    }

    /** The device address of the first {@code bytes} of t, sent from the host unless its copy is valid. */
    public long input(Tensor t, long bytes) {
        return read(copy(t.segment()), bytes);
    }

    private long read(Copy c, long bytes) {
        if (c.valid >= bytes) return c.buffer.address();
        if (c.dirty > 0) {
            // Written on the device and now read further than written: send the written part back first,
            // so that the host holds all of the current values.
            device.download(c.buffer.address(), c.host, c.dirty);
            device.sync();
            c.dirty = 0;
        }
        long address = c.buffer.reserve(bytes);
        device.upload(c.host, address, bytes);
        c.valid = bytes;
        return address;
    }

    /** Room for the first {@code bytes} of t, which the caller's operation writes; sent back when the pass ends. */
    public long output(Tensor t, long bytes) {
        Copy c = copy(t.segment());
        if (c.dirty > bytes) {
            device.download(c.buffer.address(), c.host, c.dirty);  // keep the tail only the device holds
            device.sync();
        }
        long address = c.buffer.reserve(bytes);
        c.valid = bytes;
        c.dirty = bytes;
        return address;
    }

    /** An operand read and written in place (an accumulated gradient, ReLU's backward): input, then output. */
    public long update(Tensor t, long bytes) {
        Copy c = copy(t.segment());
        long address = read(c, bytes);
        c.dirty = Math.max(c.dirty, bytes);
        return address;
    }

    /** Ends the pass: every copy written in it goes back to its host tensor, and the host waits once for all. */
    public void end() {
        if (!active) return;
        active = false;
        for (Copy c : copies) {
            if (c.dirty > 0 && !c.deviceOnly) device.download(c.buffer.address(), c.host, c.dirty);
            c.dirty = 0;
            if (!c.passOnly) c.valid = 0;
        }
        device.sync();
    }

    private Copy copy(MemorySegment host) {
        for (Copy c : copies) {
            if (c.host.address() == host.address()) {
                // The same memory seen whole after a slice, or a new tensor where a freed one was.
                if (host.byteSize() > c.host.byteSize() || !c.host.scope().isAlive()) c.host = host;
                c.lastPass = pass;
                return c;
            }
        }
        Copy c = new Copy(device, host);
        c.lastPass = pass;
        copies.add(c);
        return c;
    }

    private void evictIdle() {
        copies.removeIf(c -> {
            if (pass - c.lastPass <= IDLE_PASSES) return false;
            c.buffer.close();
            return true;
        });
    }

    @Override
    public void close() {
        for (Copy c : copies) c.buffer.close();
        copies.clear();
    }
}
