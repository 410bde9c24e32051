package dev.nvae.model;

import dev.nvae.kernels.WorkerPool;
import dev.nvae.tensor.Tensor;

import java.lang.foreign.MemorySegment;

/**
 * A family's per-example work on one workspace — the loss terms and their reconstruction gradient, or the
 * heads' gradient — split between the backend's threads by rows. One per workspace, so models stay
 * shareable between threads; fields carry the call, so nothing is allocated per step.
 */
final class RowPass implements WorkerPool.Task {
    static final int LOSS = 0, HEADS_GRADIENT = 1;
    private final LatentFamily family;
    private int mode, batch;
    private Workspace ws;
    private MemorySegment grad;
    private float scale;

    RowPass(LatentFamily family) {
        this.family = family;
    }

    /**
     * {@code mode} LOSS: {@link LatentFamily#lossRow} with {@code grad} (null: no gradient) and
     * {@code scale}; HEADS_GRADIENT: {@link LatentFamily#headsGradientRow} with invB = {@code scale}.
     */
    void run(WorkerPool pool, int mode, Workspace ws, int batch, Tensor grad, float scale) {
        this.mode = mode;
        this.ws = ws;
        this.batch = batch;
        this.grad = grad == null ? null : grad.segment();
        this.scale = scale;
        try {
            pool.run(this);
        } finally {
            this.ws = null;
            this.grad = null;
        }
    }

    @Override
    public void run(int worker, int workers) {
        int r0 = WorkerPool.splitStart(batch, worker, workers), r1 = WorkerPool.splitStart(batch, worker + 1, workers);
        for (int i = r0; i < r1; i++) {
            if (mode == LOSS) family.lossRow(ws, i, grad, scale);
            else family.headsGradientRow(ws, i, scale);
        }
    }
}
