package dev.nvae.cli;

import dev.nvae.backend.Backend;
import dev.nvae.backend.Backends;
import dev.nvae.backend.Precision;
import dev.nvae.model.LoadedModel;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A backend being opened — and its forward path prepared ({@link Backend#prepareForward()}) — on a
 * thread of its own while the command reads its model on the main one. Both are start-up costs of a few
 * hundred milliseconds on separate data (loading and linking oneDNN; parsing and copying the model file),
 * so on two cores a short command such as {@code sample} waits for the longer of them, not their sum.
 *
 * <p>Owns the backend until {@link #get()} hands it over is not a distinction callers need: close this in
 * the same try-with-resources as the model, and it closes the backend it opened, also when the command
 * failed before asking for it.
 */
final class BackendOpening implements AutoCloseable {
    private final Thread thread;
    // Under the launcher's quick JIT the notices wait until the command knows it will not run again (QuickJit),
    // so that a second run does not repeat them.
    private final List<String> held = QuickJit.on() ? new ArrayList<>() : null;
    private Backend backend;
    private Throwable failure;

    private BackendOpening(String name, int threads, Precision precision) {
        Consumer<String> notices = held != null ? held::add : System.err::println;
        thread = Thread.ofPlatform().name("nvae-backend-open").start(() -> {
            try {
                Backend opened = Backends.create(name, threads, precision, Backends.Use.INFERENCE, notices);
                backend = opened;
                opened.prepareForward();
            } catch (Throwable t) {
                failure = t;
            }
        });
    }

    static BackendOpening start(String name, int threads) {
        return start(name, threads, Precision.FP32);
    }

    static BackendOpening start(String name, int threads, Precision precision) {
        return new BackendOpening(name, threads, precision);
    }

    /** The opened backend; rethrows what opening it threw (one-line NvaeExceptions for bad flags). */
    Backend get() {
        Backend b = opened();
        if (held != null) {
            held.forEach(System.err::println);
            held.clear();
        }
        return b;
    }

    /** As {@link #get()}, with any notice of the opening still held (under the quick JIT). */
    Backend opened() {
        join();
        if (failure instanceof RuntimeException e) throw e;
        if (failure instanceof Error e) throw e;
        return backend;
    }

    /**
     * The opened backend, holding the weights of {@code loaded} ({@link Backend#adoptWeights}: at bf16, their
     * bf16 copies, made once — a loaded model's weights are frozen). Closing the backend releases them.
     */
    Backend get(LoadedModel loaded) {
        Backend b = get();
        b.adoptWeights(loaded.model().params());
        return b;
    }

    @Override
    public void close() {
        join();
        if (backend != null) backend.close();
    }

    private void join() {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();  // also what makes the opener's writes visible here
                break;
            } catch (InterruptedException e) {
                interrupted = true;  // opening cannot be abandoned half-way: wait, then restore the flag
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
