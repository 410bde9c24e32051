package dev.nvae.train;

import dev.nvae.NvaeException;
import dev.nvae.backend.Backend;
import dev.nvae.backend.Backends;
import dev.nvae.backend.Processors;

import java.util.OptionalInt;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;

/**
 * The backend a run computes on, and with how many threads, resumed or not, as {@code nvae train} and the API's
 * {@code Training} choose them. A resumed run goes on on the backend its checkpoint records unless the caller names
 * one, because another backend sums in another order and the run would not end with the weights, bit for bit, of an
 * uninterrupted one; on a backend whose sums depend on the thread count (oneDNN) it goes on with the threads its
 * checkpoint records, for the same reason, unless the caller sets them. A run that goes on on another backend, or with
 * other threads where they count, is told so in a warning.
 */
public final class ResumedBackend {
    private ResumedBackend() {
    }

    /**
     * @param from          the checkpoint a run resumes from, or null for a new run
     * @param epochs        the epochs the run is to have: where {@code from} has done them all, nothing is computed, so the
     *                      run's own backend opens whatever {@code chosen} says (its model names the backend that computed
     *                      its weights) and nothing is warned of but a backend that does not open here
     * @param chosen        the backend the caller named, or null where it named none
     * @param threadsChosen whether the caller set the threads (else its default, all processors, unless the run's own count)
     * @param open          opens a backend by name ("auto", "vector", ...) with the given threads, or with the caller's
     *                      own where they are null
     * @param reason        words why the recorded backend did not open, from its message, in the caller's terms
     * @param keeps         words what keeps the run's weights, from the recorded backend's name ("--backend vector keeps them")
     * @param keepsThreads  the same from the recorded thread count ("--threads 1 keeps them")
     */
    public static Backend open(Checkpoint from, int epochs, String chosen, boolean threadsChosen, BiFunction<String, Integer, Backend> open,
                               Consumer<String> warn, UnaryOperator<String> reason, UnaryOperator<String> keeps,
                               IntFunction<String> keepsThreads) {
        boolean finished = from != null && from.position().epoch() >= epochs;
        if (finished) chosen = null;
        String recorded = from == null ? null : from.backend().orElse(null);
        OptionalInt recordedThreads = from == null ? OptionalInt.empty() : from.threads();
        String unavailable = "";
        Backend backend;
        if (chosen == null && recorded != null) {
            try {
                backend = open.apply(recorded, threadsChosen ? null : ownThreads(recorded, recorded, recordedThreads));
            } catch (NvaeException e) {
                unavailable = ", as " + recorded + " does not open here (" + reason.apply(e.getMessage()) + ")";
                backend = open.apply("auto", null);
            }
        } else {
            String name = chosen == null ? "auto" : chosen;
            backend = open.apply(name, threadsChosen ? null : ownThreads(name, recorded, recordedThreads));
        }
        if (finished) {
            if (!unavailable.isEmpty()) {
                warn.accept("the run finished on backend " + recorded + " at " + from.path() + "; nothing more is trained, and the model "
                        + "records " + backend.name() + unavailable);
            }
        } else if (recorded != null && !recorded.equals(backend.name())) {
            warn.accept("the run computed on backend " + recorded + " up to " + from.path() + " and goes on on " + backend.name()
                    + unavailable + ": its weights will not be, bit for bit, those of an uninterrupted run (" + keeps.apply(recorded) + ")");
        } else if (recorded != null && Backends.threadsChangeResults(recorded) && recordedThreads.isPresent()
                && recordedThreads.getAsInt() != backend.threads()) {
            int before = recordedThreads.getAsInt();
            String fewer = !threadsChosen && Processors.usable(before) < before ? ", the processors available here" : "";
            warn.accept("the run computed with " + Processors.threads(before) + " on " + recorded + " up to " + from.path() + " and goes on with "
                    + backend.threads() + fewer + ": its weights may not be, bit for bit, those of an uninterrupted run (oneDNN's sums "
                    + "can depend on the thread count; " + keepsThreads.apply(before) + ")");
        }
        return backend;
    }

    /** The run's own thread count (capped at the processors here) where backend {@code name} is the run's and counts them. */
    private static Integer ownThreads(String name, String recorded, OptionalInt recordedThreads) {
        if (!name.equals(recorded) || !Backends.threadsChangeResults(name) || recordedThreads.isEmpty()) return null;
        return Processors.usable(recordedThreads.getAsInt());
    }
}
