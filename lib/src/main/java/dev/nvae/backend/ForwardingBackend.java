package dev.nvae.backend;

import dev.nvae.kernels.WorkerPool;
import dev.nvae.tensor.FlatParameters;
import dev.nvae.tensor.Tensor;

import java.util.List;

/**
 * A backend that passes every operation to another one: the base of decorators that observe or alter a
 * few operations (timing them in benchmarks, injecting faults in tests) and leave the rest alone.
 * Closing it closes the backend it wraps.
 */
public abstract class ForwardingBackend implements Backend {
    private final Backend inner;

    protected ForwardingBackend(Backend inner) {
        this.inner = inner;
    }

    /*
     * linearBackward, convBackward and convTransposeBackward are deliberately not forwarded: their defaults
     * make the two calls below on this backend, so a decorator that alters one of them (a test poisoning
     * gradients) sees it. A decorator that must keep the wrapped backend's single call (a bf16 backend rounds
     * dy once for both) overrides it and calls the wrapped backend's.
     */

    /** The backend this one passes operations to. */
    protected final Backend wrapped() {
        return inner;
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
    public Precision precision() {
        return inner.precision();
    }

    @Override
    public AdoptedWeights adoptWeights(FlatParameters params) {
        return inner.adoptWeights(params);
    }

    @Override
    public void linearForward(Tensor x, Tensor w, Tensor b, Tensor y, int batch, boolean relu) {
        inner.linearForward(x, w, b, y, batch, relu);
    }

    @Override
    public void linearBackwardData(Tensor dy, Tensor w, Tensor dx, int batch) {
        inner.linearBackwardData(dy, w, dx, batch);
    }

    @Override
    public void linearBackwardWeights(Tensor x, Tensor dy, Tensor dw, Tensor db, int batch, boolean accumulate) {
        inner.linearBackwardWeights(x, dy, dw, db, batch, accumulate);
    }

    @Override
    public String convActivationLayout() {
        return inner.convActivationLayout();
    }

    @Override
    public void convForward(ConvShape s, ConvLayouts io, Tensor x, Tensor w, Tensor b, Tensor y, int batch, boolean relu) {
        inner.convForward(s, io, x, w, b, y, batch, relu);
    }

    @Override
    public void convBackwardData(ConvShape s, ConvLayouts io, Tensor dy, Tensor w, Tensor dx, int batch) {
        inner.convBackwardData(s, io, dy, w, dx, batch);
    }

    @Override
    public void convBackwardWeights(ConvShape s, ConvLayouts io, Tensor x, Tensor dy, Tensor dw, Tensor db, int batch, boolean accumulate) {
        inner.convBackwardWeights(s, io, x, dy, dw, db, batch, accumulate);
    }

    @Override
    public void convTransposeForward(ConvShape s, ConvLayouts io, Tensor x, Tensor w, Tensor b, Tensor y, int batch, boolean relu) {
        inner.convTransposeForward(s, io, x, w, b, y, batch, relu);
    }

    @Override
    public void convTransposeBackwardData(ConvShape s, ConvLayouts io, Tensor dy, Tensor w, Tensor dx, int batch) {
        inner.convTransposeBackwardData(s, io, dy, w, dx, batch);
    }

    @Override
    public void convTransposeBackwardWeights(ConvShape s, ConvLayouts io, Tensor x, Tensor dy, Tensor dw, Tensor db, int batch, boolean accumulate) {
        inner.convTransposeBackwardWeights(s, io, x, dy, dw, db, batch, accumulate);
    }

    @Override
    public void reluBackward(Tensor dy, Tensor y, int batch) {
        inner.reluBackward(dy, y, batch);
    }

    @Override
    public void sigmoid(Tensor in, Tensor out, int batch) {
        inner.sigmoid(in, out, batch);
    }

    @Override
    public WorkerPool workers() {
        return inner.workers();
    }

    @Override
    public void beginPass(List<Tensor> passOnly) {
        inner.beginPass(passOnly);
    }

    @Override
    public void beginPass(List<Tensor> passOnly, List<Tensor> deviceOnly) {
        inner.beginPass(passOnly, deviceOnly);
    }

    @Override
    public void endPass() {
        inner.endPass();
    }

    @Override
    public LatentKernels latentKernels() {
        return inner.latentKernels();
    }

    @Override
    public DeviceTraining deviceTraining(FlatParameters params, FlatParameters grads, FlatParameters m, FlatParameters v) {
        return inner.deviceTraining(params, grads, m, v);
    }

    @Override
    public void prepareForward() {
        inner.prepareForward();
    }

    @Override
    public void close() {
        inner.close();
    }
}
