package dev.nvae.optim;

import dev.nvae.backend.DeviceTraining;
import dev.nvae.kernels.Elementwise;
import dev.nvae.kernels.ParallelElementwise;
import dev.nvae.tensor.FlatParameters;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Adam with bias correction (Kingma & Ba; PyTorch's update order). Moments share the parameters' flat
 * layout, so a step is one vector loop over one segment.
 */
public final class Adam implements AutoCloseable {
    private final Arena arena = Arena.ofShared();
    private final FlatParameters params, grads, m, v;
    private final float lr, beta1, beta2, eps;
    private long step;

    public Adam(FlatParameters params, FlatParameters grads, double lr) {
        this(params, grads, lr, 0.9, 0.999, 1e-8);
    }

    public Adam(FlatParameters params, FlatParameters grads, double lr, double beta1, double beta2, double eps) {
        if (!(lr > 0) || !Double.isFinite(lr)) throw new dev.nvae.NvaeException("--lr " + lr + " must be a positive number");
        params.requireWritable("Adam");
        this.params = params;
        this.grads = grads;
        this.m = new FlatParameters(arena, params.layout());
        this.v = new FlatParameters(arena, params.layout());
        this.lr = (float) lr;
        this.beta1 = (float) beta1;
        this.beta2 = (float) beta2;
        this.eps = (float) eps;
    }

    /**
     * Applies one update from the current gradients.
     *
     * @return true when every parameter is finite afterwards; false after a NaN or infinite gradient, or an
     * update beyond float range (the update is made either way and cannot be undone)
     */
    public boolean step() {
        step++;
        return Elementwise.adam(params.flat(), grads.flat(), m.flat(), v.flat(), params.layout().totalFloats(),
                beta1, beta2, stepSize(), invSqrtBc2(), eps);
    }

    /**
     * The same update with the buffers split between {@code parallel}'s threads: identical results; with
     * {@code bf16Image} non-null (a flat bf16 buffer in the
     * parameters' layout) each updated parameter is also written there rounded to bf16, in the same pass.
     */
    public boolean step(ParallelElementwise parallel, MemorySegment bf16Image) {
        step++;
        return parallel.adam(params.flat(), grads.flat(), m.flat(), v.flat(), params.layout().totalFloats(),
                beta1, beta2, stepSize(), invSqrtBc2(), eps, bf16Image);
    }

    /**
     * The same update, queued where {@code device} keeps the parameters, gradients and moments (this
     * optimiser's own moments then stand still until the device's are fetched into them); its check comes
     * later, from {@link DeviceTraining#lastUpdate()}.
     */
    public void step(DeviceTraining device) {
        step++;
        device.adam(beta1, beta2, stepSize(), invSqrtBc2(), eps);
    }

    private float stepSize() {
        return (float) (lr / (1 - Math.pow(beta1, step)));
    }

    private float invSqrtBc2() {
        return (float) (1 / Math.sqrt(1 - Math.pow(beta2, step)));
    }

    public long stepCount() {
        return step;
    }

    public void setStepCount(long step) {
        this.step = step;
    }

    public FlatParameters firstMoment() {
        return m;
    }

    public FlatParameters secondMoment() {
        return v;
    }

    @Override
    public void close() {
        arena.close();
    }
}
