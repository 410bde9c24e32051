package dev.nvae.cli;

import dev.nvae.io.Staging;
import dev.nvae.io.StderrFilter;
import dev.nvae.train.CheckpointStore;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * What SIGINT (Ctrl-C), SIGTERM and SIGHUP do to a command: the JVM runs its shutdown hooks and exits
 * with 128 + the signal's number (130, 143, 129); this hook removes every output still being staged
 * ({@link Staging#abandonAll}, which waits for a commit in progress, so a set of files is written whole
 * or not at all) and says so in one line; then it releases the checkpoint directories ({@link
 * CheckpointStore#closeAll}: no lock file is left, nor a directory the run made and wrote no checkpoint
 * into). SIGKILL runs nothing: the next run to the same directory removes what was left ({@link
 * Staging#removeStale}) and takes over the lock file.
 *
 * <p>A command for which a signal is the normal end ({@code serve}) registers its stop with {@link #onSignal}
 * rather than a hook of its own: hooks run at once, in no order, and this one closes stderr at its end
 * (the launcher's filter must reach its end), so a server's last lines — its requests in flight, "stopped" —
 * would be lost. Registered stops run first, in this hook, and the command's own lines then say how it ended.
 */
public final class Interruption {
    private static volatile boolean exiting;
    private static volatile boolean interrupted;
    /** The hook and the command's own end decide under it which of them ends stderr (exiting or interrupted). */
    private static final Object END = new Object();
    private static final List<Runnable> STOPS = new CopyOnWriteArrayList<>();
    /** Outputs the command will write (checked by OutputPaths), named if a signal comes before they are. */
    private static final Set<Path> EXPECTED = new CopyOnWriteArraySet<>();
    /** Expected outputs committed before the signal came: named as written, so that no one throws a whole file away. */
    private static final Set<Path> COMMITTED = new CopyOnWriteArraySet<>();
    private static final List<Supplier<String>> NOTES = new CopyOnWriteArrayList<>();
    /**
     * Outputs rewritten whole as the command goes (train's --log after each epoch): once written they are neither
     * "written in full" nor "not begun" — a note of the command says what they hold.
     */
    private static final Set<Path> GROWING = new CopyOnWriteArraySet<>();
    /**
     * Each expected output's absolute form to the form it was typed in: the files the hook removes are known by
     * absolute names (the staging's), and the line names them as the user gave them.
     */
    private static final Map<Path, Path> AS_TYPED = new java.util.concurrent.ConcurrentHashMap<>();
    /** Each expected output's real form ({@link #realForm}), worked out once: a commit of 800,000 files asks per file. */
    private static final Map<Path, Path> REAL = new java.util.concurrent.ConcurrentHashMap<>();
    /** Output directories the command made and has not committed into: the JVM ends before its own cleanup runs. */
    private static final Set<Path> MADE = new CopyOnWriteArraySet<>();

    private Interruption() {
    }

    /** Registers the hook; messages go to {@code err}. */
    static void install(PrintStream err) {
        Staging.onCommit(Interruption::written);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("nvae-interrupted").unstarted(() -> {
            synchronized (END) {
                if (exiting) return;
                interrupted = true;
            }
            for (Runnable stop : STOPS) stop.run();
            long staged = Staging.stagedFiles();
            if (staged >= SLOW_REMOVAL) {
                err.println(removalNotice(staged));  // a file system unlinks ~10,000 a second: the line below is minutes away
                err.flush();
            }
            List<Path> removed = Staging.abandonAll();
            removeMadeDirectories();
            List<Path> notBegun = notBegun(removed);
            CheckpointStore.closeAll(); // after abandonAll: no checkpoint is being committed, none will be
            if (STOPS.isEmpty() || !removed.isEmpty() || !notBegun.isEmpty()) {
                err.println(message(removed, notBegun, committedFiles()) + notes());
            }
            err.flush();
            StderrFilter.drain();
        }));
    }

    /**
     * The expected outputs whose writing had not begun when the signal came (a model `train` writes at its
     * end): not committed (they leave {@link #EXPECTED} then), nor among the staged files it removed, nor
     * inside another such output (a report's directory stands for the files in it).
     */
    private static List<Path> notBegun(List<Path> removed) {
        List<Path> out = new ArrayList<>();
        for (Path e : EXPECTED) {
            Path abs = e.toAbsolutePath().normalize(), real = REAL.getOrDefault(e, abs);  // staged names are real ones
            if (removed.stream().map(r -> r.toAbsolutePath().normalize()).anyMatch(r -> r.startsWith(abs) || r.startsWith(real))) continue;
            boolean inside = EXPECTED.stream().anyMatch(o -> o != e && abs.startsWith(o.toAbsolutePath().normalize()) && !abs.equals(o.toAbsolutePath().normalize()));
            if (!inside) out.add(e);
        }
        return out;
    }

    /** A final name was committed: no longer one a signal would leave unwritten (nor anything it was expected under). */
    static void written(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        for (Path e : EXPECTED) {
            Path expected = e.toAbsolutePath().normalize(), real = REAL.getOrDefault(e, expected);
            // Through a link the committed name is the real one; only then is the file's real form worth a lookup.
            boolean under = abs.startsWith(expected) || (!real.equals(expected) && abs.startsWith(real));
            if (under && EXPECTED.remove(e) && !GROWING.contains(expected)) COMMITTED.add(e);
        }
    }

    /**
     * {@code output}, expected, is rewritten whole again and again while the command runs: after its first write a
     * signal names it neither as written in full nor as not begun; {@code holds} (null: nothing to say) says what it
     * holds then, e.g. "log.jsonl holds the 11 epochs done of 20".
     */
    static void growing(Path output, Supplier<String> holds) {
        Path abs = output.toAbsolutePath().normalize();
        GROWING.add(abs);
        noteOnInterrupt(() -> EXPECTED.contains(output) ? null : holds.get());
    }

    /**
     * The expected outputs that are single files and were committed: whole, as a commit is. A directory's
     * first committed file does not make the directory whole, so directories are not named.
     */
    static List<Path> committedFiles() {
        return COMMITTED.stream().filter(Files::isRegularFile).toList();
    }

    static String notes() {
        StringBuilder text = new StringBuilder();
        for (Supplier<String> note : NOTES) {
            try {
                String n = note.get();
                if (n != null) text.append("; ").append(n);
            } catch (RuntimeException e) {
                // a clause that cannot be worked out (its directory gone) is left out; the line still comes
            }
        }
        return text.toString();
    }

    /** {@code dir} was made for an output: a signal before its files are committed removes it, once empty. */
    static void made(Path dir) {
        MADE.add(dir);
    }

    /** {@code dir} holds committed files now, or was removed: no longer the signal's to remove. */
    static void kept(Path dir) {
        MADE.remove(dir);
    }

    /** After {@link Staging#abandonAll}, which refuses new staging: a made directory holds nothing of ours then. */
    private static void removeMadeDirectories() {
        for (Path dir : MADE) {
            try {
                Files.deleteIfExists(dir); // refused if something else was put there meanwhile: it is kept
            } catch (IOException kept) {
                // not empty, or not ours to remove: left as it is
            }
        }
    }

    /** An output the command will write (a file, or a directory of files): named in the line if a signal comes first. */
    static void expect(Path output) {
        EXPECTED.add(output);
        Path real = realForm(output);
        AS_TYPED.put(output.toAbsolutePath().normalize(), output);
        AS_TYPED.put(real, output);  // staged files are named under the real directory, through any link
        REAL.put(output, real);
    }

    /** {@code path} with its deepest existing ancestor's links resolved (the rest does not exist yet). */
    private static Path realForm(Path path) {
        Path abs = path.toAbsolutePath().normalize();
        for (Path existing = abs; existing != null; existing = existing.getParent()) {
            try {
                return existing.toRealPath().resolve(existing.relativize(abs));
            } catch (IOException notThere) {
                // not there yet: try its parent
            }
        }
        return abs;
    }

    /** {@code path} as the user typed the output it is, or is inside of; as it is when it is no expected output's. */
    static Path asTyped(Path path) {
        Path abs = path.toAbsolutePath().normalize();
        for (Path up = abs; up != null; up = up.getParent()) {
            Path typed = AS_TYPED.get(up);
            if (typed != null) return up == abs ? typed : typed.resolve(up.relativize(abs));
        }
        return path;
    }

    /** The command goes on in another JVM, which names its own outputs if stopped: this one names none. */
    static void handOver() {
        EXPECTED.clear();
        AS_TYPED.clear();
        REAL.clear();
        GROWING.clear();
        COMMITTED.clear();
        NOTES.clear();
    }

    /** A clause for the interrupt's line, asked for when a signal comes (null: nothing to add). */
    static void noteOnInterrupt(Supplier<String> note) {
        NOTES.add(note);
    }

    /**
     * From this many staged files on, the hook says it is removing them before it does: {@code sample --format png
     * --n 100000} stopped after 800,000 images was silent for 70 s after Ctrl-C, which reads as a hang.
     */
    static final long SLOW_REMOVAL = 20_000;

    static String removalNotice(long staged) {
        return "nvae: interrupted; removing the " + staged + " files written so far, which takes a while";
    }

    /** Most files named one by one in the line; more are counted, per directory ({@code sample --format png}: thousands). */
    private static final int NAMED = 3;

    /**
     * The one line a signal ends a command with: "nvae: interrupted", and what was not written — the files by
     * name, or, for more than {@value #NAMED}, how many in which directory ("8423 files removed from DIR").
     */
    static String message(List<Path> lost) {
        return message(lost, List.of());
    }

    /**
     * The line, from the staged files the signal removed ("not written (what was unfinished is removed): ...",
     * or counted per directory) and the outputs whose writing had not begun ("not begun: ..."): nothing of the
     * latter was there to remove, and an earlier file of that name is as it was.
     */
    static String message(List<Path> removed, List<Path> notBegun) {
        return message(removed, notBegun, List.of());
    }

    /** The same, first naming the files written in full before the signal came (a signal just after a commit). */
    static String message(List<Path> removed, List<Path> notBegun, List<Path> committed) {
        List<String> parts = new ArrayList<>();
        if (!committed.isEmpty()) {
            parts.add("written in full: " + (committed.size() <= NAMED ? committed.stream().map(Interruption::shown).collect(Collectors.joining(", "))
                    : committed.size() + " files"));
        }
        if (!removed.isEmpty()) parts.add(removedPart(removed));
        if (!notBegun.isEmpty()) {
            parts.add("not begun: " + (notBegun.size() <= NAMED ? notBegun.stream().map(Interruption::shown).collect(Collectors.joining(", "))
                    : notBegun.size() + " outputs"));
        }
        return parts.isEmpty() ? "nvae: interrupted" : "nvae: interrupted; " + String.join("; ", parts);
    }

    private static String shown(Path path) {
        return asTyped(path).toString();
    }

    private static String removedPart(List<Path> lost) {
        if (lost.size() <= NAMED) {
            return "not written (what was unfinished is removed): " + lost.stream().map(Interruption::shown).collect(Collectors.joining(", "));
        }
        Map<Path, Long> perDirectory = lost.stream().collect(Collectors.groupingBy(p -> p.getParent() != null ? p.getParent() : p.toAbsolutePath().getParent(),
                LinkedHashMap::new, Collectors.counting()));
        List<String> parts = new ArrayList<>();
        for (var e : perDirectory.entrySet()) {
            if (parts.size() == NAMED) {
                long rest = perDirectory.values().stream().skip(NAMED).mapToLong(Long::longValue).sum();
                parts.add(rest + " more in " + (perDirectory.size() - NAMED) + " other directories");
                break;
            }
            parts.add(e.getValue() + (e.getValue() == 1 ? " file" : " files") + " removed from " + shown(e.getKey()));
        }
        return "not written: " + String.join(", ", parts);
    }

    /**
     * Runs {@code stop} when a signal ends the process, before stderr is closed; it may take its time (the
     * process ends when it returns).
     *
     * @param stop what the command does on SIGINT, SIGTERM or SIGHUP
     */
    public static void onSignal(Runnable stop) {
        STOPS.add(stop);
    }

    /**
     * The command has finished and the JVM exits on its own: the hook has nothing to do. False when a signal's
     * hook is already running: the command's thread, failing because the hook removed its staging, must leave
     * stderr open for the hook's line (closing it for the launcher's filter lost that line).
     */
    static boolean exiting() {
        synchronized (END) {
            if (interrupted) return false;
            exiting = true;
            return true;
        }
    }

    /**
     * Whether a signal is ending the process. The command's own thread runs on meanwhile and may fail
     * because its staging directory was removed; that failure is not news, and is not printed.
     */
    static boolean interrupted() {
        return interrupted;
    }
}
