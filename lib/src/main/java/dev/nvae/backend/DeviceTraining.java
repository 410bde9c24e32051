package dev.nvae.backend;

/**
 * A training run whose parameters, gradients and Adam moments live in a backend's own memory
 * ({@link Backend#deviceTraining}): the backward passes write the gradients there, the optimiser updates
 * the parameters there, and nothing goes back to host memory until {@link #fetch()}. Host parameters and
 * moments are stale in between; a trainer fetches them before it saves or reports them.
 *
 * <p>An update is queued, not waited for; whether it left every value finite is known after the next
 * wait for the device, which the next training step makes anyway ({@link #lastUpdate()}).
 */
public interface DeviceTraining extends AutoCloseable {
    /** What the last update found. */
    enum UpdateCheck { FINITE, NON_FINITE_GRADIENTS, NON_FINITE_PARAMETERS }

    /** Queues one Adam update of every parameter from its gradient (the arguments as in {@code dev.nvae.optim.Adam}). */
    void adam(float beta1, float beta2, float stepSize, float invSqrtBc2, float eps);

    /** Whether every gradient of the last backward pass is finite; waits for the device. */
    boolean gradientsFinite();

    /** The outcome of the last queued update (waits for the device if nothing has since); FINITE before any. */
    UpdateCheck lastUpdate();

    /** Copies the parameters and both moments back to host memory and waits: they are current there now. */
    void fetch();

    /** Ends the run's residency (without fetching): the host parameters are the backend's source again. */
    @Override
    void close();
}
