package dev.nvae.bench;

import dev.nvae.backend.Backend;
import dev.nvae.kernels.WorkerPool;
import dev.nvae.tensor.Tensor;

/** A backend that adds the wall time and count of each of its operations, for {@link StepProfile}. */
final class TimedBackend implements Backend {
    static final String[] OPERATIONS = {"linear forward", "linear backward-data", "linear backward-weights", "relu backward", "sigmoid"};

    private final Backend inner;
    final long[] nanos = new long[OPERATIONS.length];
    final long[] calls = new long[OPERATIONS.length];

    TimedBackend(Backend inner) {
        this.inner = inner;
    }

    void clear() {
        java.util.Arrays.fill(nanos, 0);
        java.util.Arrays.fill(calls, 0);
    }

    private void add(int op, long since) {
        nanos[op] += System.nanoTime() - since;
        calls[op]++;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public int threads() {
        return inner.threads();
    }

    @Override
    public void linearForward(Tensor x, Tensor w, Tensor b, Tensor y, int batch, boolean relu) {
        long t = System.nanoTime();
        inner.linearForward(x, w, b, y, batch, relu);
        add(0, t);
    }

    @Override
    public void linearBackwardData(Tensor dy, Tensor w, Tensor dx, int batch) {
        long t = System.nanoTime();
        inner.linearBackwardData(dy, w, dx, batch);
        add(1, t);
    }

    @Override
    public void linearBackwardWeights(Tensor x, Tensor dy, Tensor dw, Tensor db, int batch, boolean accumulate) {
        long t = System.nanoTime();
        inner.linearBackwardWeights(x, dy, dw, db, batch, accumulate);
        add(2, t);
    }

    @Override
    public void reluBackward(Tensor dy, Tensor y, int batch) {
        long t = System.nanoTime();
        inner.reluBackward(dy, y, batch);
        add(3, t);
    }

    @Override
    public void sigmoid(Tensor in, Tensor out, int batch) {
        long t = System.nanoTime();
        inner.sigmoid(in, out, batch);
        add(4, t);
    }

    @Override
    public WorkerPool workers() {
        return inner.workers();
    }

    @Override
    public void close() {
        inner.close();
    }
}
