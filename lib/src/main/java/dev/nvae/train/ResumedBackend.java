package dev.nvae.train;

import dev.nvae.NvaeException;
import dev.nvae.backend.Backend;

import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The backend a run computes on, resumed or not, as {@code nvae train} and the API's {@code Training} choose it. A
 * resumed run goes on on the backend its checkpoint records unless the caller names one, because another backend sums
 * in another order and the run would not end with the weights, bit for bit, of an uninterrupted one; a run that goes
 * on on another (named, or the recorded one does not open here and auto's is taken) is told so in a warning.
 */
public final class ResumedBackend {
    private ResumedBackend() {
    }

    /**
     * @param from   the checkpoint a run resumes from, or null for a new run
     * @param chosen the backend the caller named, or null where it named none
     * @param open   opens a backend by name ("auto", "vector", ...)
     * @param reason words why the recorded backend did not open, from its message, in the caller's terms
     * @param keeps  words what keeps the run's weights, from the recorded backend's name ("--backend vector keeps them")
     */
    public static Backend open(Checkpoint from, String chosen, Function<String, Backend> open, Consumer<String> warn,
                               UnaryOperator<String> reason, UnaryOperator<String> keeps) {
        String recorded = from == null ? null : from.backend().orElse(null);
        String unavailable = "";
        Backend backend;
        if (chosen == null && recorded != null) {
            try {
                backend = open.apply(recorded);
            } catch (NvaeException e) {
                unavailable = ", as " + recorded + " does not open here (" + reason.apply(e.getMessage()) + ")";
                backend = open.apply("auto");
            }
        } else {
            backend = open.apply(chosen == null ? "auto" : chosen);
        }
        if (recorded != null && !recorded.equals(backend.name())) {
            warn.accept("the run computed on backend " + recorded + " up to " + from.path() + " and goes on on " + backend.name()
                    + unavailable + ": its weights will not be, bit for bit, those of an uninterrupted run (" + keeps.apply(recorded) + ")");
        }
        return backend;
    }
}
