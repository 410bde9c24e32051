package dev.nvae.api;

import dev.nvae.NvaeException;
import dev.nvae.backend.Backend;
import dev.nvae.backend.Backends;
import dev.nvae.backend.Precision;
import dev.nvae.model.LatentModel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The lanes of an open model. A backend and a model's layers are driven by one thread at a time, so a call
 * takes a lane from the idle queue for its duration and gives it back; with every lane busy, callers wait
 * in the queue's order. Every lane runs the same backend with the same threads on identical weights, so a
 * call's result does not depend on which lane served it, nor on what ran beside it.
 *
 * <p>Owns every lane: {@link #close()} waits for the lanes in use to come back, then closes them all.
 */
final class LanePool implements AutoCloseable {
    /** How long a waiting caller sleeps before it looks again whether the pool was closed meanwhile. */
    private static final long CLOSED_CHECK_MILLIS = 50;

    private final BlockingQueue<Lane> idle;
    private final List<Lane> lanes;
    private volatile boolean closed;
    private boolean lanesClosed;  // guarded by this

    private LanePool(List<Lane> lanes) {
        this.lanes = List.copyOf(lanes);
        this.idle = new ArrayBlockingQueue<>(lanes.size(), true, lanes);
    }

    /**
     * Lanes for {@code first} (which becomes lane 0, owned by the pool from now on, also when this fails) and
     * {@code count − 1} copies of it. The first backend is created from {@code backend} ({@code auto} decides
     * there, with {@code notices} told why it fell back); the others are of the kind the first one is.
     *
     * @throws NvaeException when the backend cannot be created
     */
    static LanePool open(LatentModel first, String backend, int threads, Precision precision, int count, Consumer<String> notices) {
        List<Lane> lanes = new ArrayList<>(count);
        Backend firstBackend;
        try {
            firstBackend = adopting(Backends.create(backend, threads, precision, Backends.Use.INFERENCE, notices), first);
        } catch (RuntimeException | Error e) {
            first.close();
            throw e;
        }
        lanes.add(new Lane(first, firstBackend));
        try {
            for (int i = 1; i < count; i++) {
                LatentModel copy = LatentModel.forInference(first.config());
                Backend be;
                try {
                    copy.params().copyFrom(first.params());
                    copy.params().freeze();
                    be = adopting(Backends.create(firstBackend.name(), threads, precision, Backends.Use.INFERENCE, notices), copy);
                } catch (RuntimeException | Error e) {
                    copy.close();
                    throw e;
                }
                lanes.add(new Lane(copy, be));
            }
        } catch (RuntimeException | Error e) {
            lanes.forEach(Lane::close);
            throw e;
        }
        return new LanePool(lanes);
    }

    /**
     * {@code be}, holding the weights of {@code model} ({@link Backend#adoptWeights}: at bf16 their copies,
     * made once — a lane's weights are frozen — and released when the backend closes); closed if it refuses them.
     */
    private static Backend adopting(Backend be, LatentModel model) {
        try {
            be.adoptWeights(model.params());
            return be;
        } catch (RuntimeException | Error e) {
            be.close();
            throw e;
        }
    }

    /** The backend every lane runs ({@code vector} or {@code onednn}: {@code auto} resolved). */
    String backendName() {
        return lanes.getFirst().backend().name();
    }

    /** Threads of every lane's backend (1 for a sequential oneDNN, whatever was asked). */
    int threads() {
        return lanes.getFirst().backend().threads();
    }

    int size() {
        return lanes.size();
    }

    /** {@link Lane#nativeBytes()} of every lane, in lane order. */
    List<Long> nativeBytes() {
        return lanes.stream().map(Lane::nativeBytes).toList();
    }

    /**
     * A free lane, waiting for one if all are busy; give it back with {@link #release}.
     *
     * @throws IllegalStateException  if the pool is closed, or closes while the caller waits
     * @throws CancellationException if the caller is interrupted while it waits (its interrupt flag stays set)
     */
    Lane acquire() {
        try {
            while (true) {
                if (closed) throw new IllegalStateException("the model is closed");
                // A free lane is taken without waiting; an interrupt while waiting for one cancels the wait (NvaeModel
                // puts a flag set before the call aside, so only one that arrives during the call is seen here).
                Lane lane = idle.poll();
                if (lane == null) lane = idle.poll(CLOSED_CHECK_MILLIS, TimeUnit.MILLISECONDS);
                if (lane != null) {
                    if (!closed) return lane;
                    idle.add(lane);  // close() is collecting the lanes: hand this one over
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for a free lane of the model");
        }
    }

    void release(Lane lane) {
        idle.add(lane);
    }

    /** Stops handing out lanes, waits for the busy ones to come back, and closes them all. Idempotent. */
    @Override
    public synchronized void close() {
        if (lanesClosed) return;
        closed = true;
        boolean interrupted = false;
        List<Lane> back = new ArrayList<>(lanes.size());
        while (back.size() < lanes.size()) {
            try {
                back.add(idle.take());
            } catch (InterruptedException e) {
                interrupted = true;  // closing cannot be abandoned half-way: the lanes own native memory
            }
        }
        lanesClosed = true;
        RuntimeException failure = null;
        for (Lane lane : back) {
            try {
                lane.close();
            } catch (RuntimeException e) {
                if (failure == null) failure = e; else failure.addSuppressed(e);
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        if (failure != null) throw failure;
    }
}
