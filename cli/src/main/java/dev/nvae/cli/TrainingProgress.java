package dev.nvae.cli;

import dev.nvae.io.AtomicOutput;
import dev.nvae.io.OutputTarget;
import dev.nvae.model.BatchLoss;
import dev.nvae.train.EpochSummary;
import dev.nvae.train.TrainingListener;
import dev.nvae.train.TrainingRecord;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

import java.io.Console;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a user sees while a model trains. On a terminal: one progress bar per epoch on stderr (loss
 * terms, examples/s, ETA). Otherwise plain lines: a status line every {@value #PLAIN_EVERY_SECONDS} s
 * and one per epoch. After each epoch, a JSON line on stdout (and in the {@code --log} file) that
 * scripts can parse; stdout carries nothing else, so {@code nvae train ... | jq} works.
 */
final class TrainingProgress implements TrainingListener {
    private static final int PLAIN_EVERY_SECONDS = 10;
    private static final int MAX_SKIP_WARNINGS = 10;

    private final int epochs;
    private final boolean classTerms;
    private final PrintWriter json;
    private final PrintWriter err;
    private final boolean bar;
    private final Path log;
    private final StringBuilder logText = new StringBuilder();
    private volatile int epochsInFile; // the --log file's epochs as last written whole
    private ProgressBar current;
    private long lastPlainNanos = System.nanoTime();
    private long skipped;

    /**
     * @param classTerms whether the model has class latents and a classifier (an nvae), so its kl_c, ce, kl_y and
     *                   accuracy are shown (ce and accuracy where examples had labels, kl_y where some had none); a vae,
     *                   beta-vae or cvae has rec and kl alone, named as evaluate names them.
     *                   The JSON lines keep every key whatever the model, as evaluate --json does
     * @param json       where JSON lines go, or null for none (demo)
     * @param bar        draw progress bars (only sensible when stderr is a terminal)
     * @param log        file that also receives the JSON lines, or null
     */
    TrainingProgress(int epochs, boolean classTerms, PrintWriter json, PrintWriter err, boolean bar, Path log) {
        this.epochs = epochs;
        this.classTerms = classTerms;
        this.json = json;
        this.err = err;
        this.bar = bar;
        this.log = log;
    }

    /**
     * The launcher tests stderr itself ({@code [ -t 2 ]}) and passes -Dnvae.stderr.tty; run another way,
     * the best Java can tell is whether the process has an interactive console.
     */
    static boolean stderrIsTerminal() {
        String flag = System.getProperty("nvae.stderr.tty");
        if (flag != null) return Boolean.parseBoolean(flag);
        Console console = System.console();
        return console != null && console.isTerminal();
    }

    /**
     * A resumed run: the epochs finished before the resume go into the --log file too (not to stdout,
     * which already showed them), so the file stays a complete log of the run.
     */
    void resumeAfter(List<EpochSummary> done) {
        for (EpochSummary s : done) logText.append(Json.write(logLine(s))).append('\n');
    }

    @Override
    public void onSkippedStep(int epoch, int step, String quantity) {
        if (++skipped <= MAX_SKIP_WARNINGS) {
            err.printf(Locale.ROOT, "warning: epoch %d, step %d: non-finite %s; update skipped (--on-nan skip)%s%n", epoch + 1, step + 1,
                    quantity, skipped == MAX_SKIP_WARNINGS ? "; further skips are counted, not shown" : "");
            err.flush();
        }
    }

    @Override
    public void onStep(int epoch, int step, int stepsPerEpoch, BatchLoss soFar, double examplesPerSecond) {
        if (bar) {
            if (current == null) current = newBar(epoch, stepsPerEpoch);
            current.stepTo(step + 1);
            // The bar is cut at the terminal's width, so the figures people watch come first; an nvae's kl is kl_s+kl_c.
            current.setExtraMessage(classTerms
                    ? String.format(Locale.ROOT, "%.0f ex/s loss %.2f%s rec %.1f kl %.2f+%.2f%s%s", examplesPerSecond,
                            soFar.meanTotal(), accuracy(soFar.accuracy()), soFar.meanRec(), soFar.meanKlS(), soFar.meanKlC(),
                            ce(soFar.count - soFar.unlabelled, soFar.meanCe()), klY(soFar.unlabelled, soFar.meanKlY()))
                    : String.format(Locale.ROOT, "%.0f ex/s loss %.2f rec %.1f kl %.2f", examplesPerSecond, soFar.meanTotal(),
                            soFar.meanRec(), soFar.meanKlS()));
        } else if (System.nanoTime() - lastPlainNanos >= PLAIN_EVERY_SECONDS * 1_000_000_000L) {
            lastPlainNanos = System.nanoTime();
            err.printf(Locale.ROOT, "epoch %d/%d %3d%%  %s%n", epoch + 1, epochs, 100 * (step + 1) / stepsPerEpoch,
                    status(soFar.meanTotal(), soFar.meanRec(), soFar.meanKlS(), soFar.meanKlC(),
                            ce(soFar.count - soFar.unlabelled, soFar.meanCe()), soFar.accuracy(), klY(soFar.unlabelled, soFar.meanKlY()),
                            examplesPerSecond));
            err.flush();
        }
    }

    @Override
    public void onEpoch(EpochSummary s) {
        if (current != null) {
            current.close();
            current = null;
        }
        if (!bar) {
            err.printf(Locale.ROOT, "epoch %d/%d done in %.1f s  %s%n", s.epoch(), s.epochs(), s.seconds(),
                    status(s.loss(), s.rec(), s.klS(), s.klC(), ce(s.examples() - s.unlabelled(), s.ce()), s.accuracy(),
                            klY(s.unlabelled(), s.klY()), s.examplesPerSecond()));
            err.flush();
        }
        String line = Json.write(logLine(s));
        if (json != null) {
            json.println(line);
            json.flush();
        }
        if (log != null) {
            // A file is rewritten whole after each epoch, so that on disk it is always a complete log of the
            // epochs so far; a device or FIFO (--log /dev/stderr) gets each line once, as it comes.
            logText.append(line).append('\n');
            boolean file = OutputTarget.of(log) instanceof OutputTarget.RegularFile;
            byte[] bytes = (file ? logText.toString() : line + "\n").getBytes(StandardCharsets.UTF_8);
            AtomicOutput.write(log, out -> out.write(bytes));
            epochsInFile = lines(logText);
        }
    }

    /**
     * A resumed run that had finished its epochs trains none, so {@link #onEpoch} never writes the --log file: it is
     * written here, whole, with the epochs {@link #resumeAfter} was given. A device or FIFO gets nothing (no epoch
     * came, and it never got the earlier ones).
     */
    void logFinishedRun() {
        if (log == null || !(OutputTarget.of(log) instanceof OutputTarget.RegularFile)) return;
        byte[] bytes = logText.toString().getBytes(StandardCharsets.UTF_8);
        AtomicOutput.write(log, out -> out.write(bytes));
        epochsInFile = lines(logText);
    }

    private static int lines(CharSequence text) {
        return (int) text.chars().filter(c -> c == '\n').count();
    }

    /**
     * What the --log file holds when a signal comes: the epochs in it as last written whole (a signal's thread reads it
     * while the training thread writes; an epoch whose write the signal stopped is not counted).
     */
    String logHolds() {
        int n = epochsInFile;
        return log + " holds the log of the " + n + (n == 1 ? " epoch" : " epochs") + " done of " + epochs;
    }

    static Map<String, Object> logLine(EpochSummary s) {
        Map<String, Object> m = TrainingRecord.curveLine(s);
        m.put("examples_per_s", Json.round(s.examplesPerSecond(), 1));
        m.put("seconds", Json.round(s.seconds(), 3));
        return m;
    }

    private ProgressBar newBar(int epoch, int steps) {
        return new ProgressBarBuilder()
                .setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, epochs))
                .setInitialMax(steps)
                .setUpdateIntervalMillis(250)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .build();
    }

    /** An nvae's every term; a baseline's rec and kl (its kl_c and ce are 0, its accuracy NaN: it has neither). */
    private String status(double loss, double rec, double klS, double klC, String ce, double accuracy, String klY,
                          double perSecond) {
        String terms = classTerms ? String.format(Locale.ROOT, "rec %.2f kl_s %.2f kl_c %.2f%s%s", rec, klS, klC, ce, klY)
                : String.format(Locale.ROOT, "rec %.2f kl %.2f", rec, klS);
        return String.format(Locale.ROOT, "loss %.2f (%s)%s  %.0f ex/s", loss, terms, classTerms ? accuracy(accuracy) : "", perSecond);
    }

    /** " acc 0.812"; nothing where no example was classified (a VAE, or a label-free run), rather than "acc NaN". */
    private static String accuracy(double accuracy) {
        return Double.isNaN(accuracy) ? "" : String.format(Locale.ROOT, " acc %.3f", accuracy);
    }

    /**
     * " ce 0.123" where the batches held a labelled example: ce sums those alone, so a label-free run's (every example
     * takes the bound summed over clusters, docs/MODEL.md §6) is 0 whatever it learns, a figure that showed nothing.
     */
    private static String ce(long labelled, double perExample) {
        return labelled == 0 ? "" : String.format(Locale.ROOT, " ce %.3f", perExample);
    }

    /** " kl_y 1.234" (the unlabelled examples' KL(q(y|x) ‖ p(y)), per example) where the batches held any. */
    private static String klY(long unlabelled, double perExample) {
        return unlabelled == 0 ? "" : String.format(Locale.ROOT, " kl_y %.3f", perExample);
    }
}
