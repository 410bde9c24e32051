package dev.nvae.cli;

import dev.nvae.analysis.Evaluator;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * How far an evaluation has come, on stderr: a bar on a terminal, otherwise a line every {@value #PLAIN_EVERY_SECONDS}
 * seconds, as training shows its epochs. For passes that can run for minutes (thousands of importance samples) and that
 * used to say nothing until they ended; after the pass, the comparison of each latent block's posterior draws with
 * N(0, I) (the bar's message, or the same lines) — with many prior samples it too takes a while.
 */
final class PassProgress implements Evaluator.Progress, AutoCloseable {
    static final int PLAIN_EVERY_SECONDS = 10;

    private final String task;
    private final int total;
    private final PrintWriter err;
    private final ProgressBar bar;
    private final long plainEveryNanos;
    private long lastPlainNanos = System.nanoTime();

    /** @param bar draw a bar (only sensible when stderr is a terminal: {@link TrainingProgress#stderrIsTerminal}) */
    PassProgress(String task, int total, PrintWriter err, boolean bar) {
        this(task, total, err, bar, PLAIN_EVERY_SECONDS * 1_000_000_000L);
    }

    /** With lines (no bar) at most every {@code plainEveryNanos}: tests ask for every one. */
    PassProgress(String task, int total, PrintWriter err, boolean bar, long plainEveryNanos) {
        this.plainEveryNanos = plainEveryNanos;
        this.task = task;
        this.total = total;
        this.err = err;
        this.bar = bar ? new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setUpdateIntervalMillis(250)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).build() : null;
    }

    /** {@code done} examples of the total are done. */
    @Override
    public void examplesDone(int done) {
        if (bar != null) {
            bar.stepTo(done);
        } else if (done < total && due()) {
            plain(String.format(Locale.ROOT, "%d of %d examples (%d%%)", done, total, (int) (100L * done / total)));
        }
    }

    @Override
    public void blocksCompared(int done, int blocks) {
        String what = "comparing each latent block's posterior draws with N(0, I): " + done + " of " + blocks + " blocks";
        if (bar != null) bar.setExtraMessage(what);
        else if (done < blocks && due()) plain(what);
    }

    private boolean due() {
        return System.nanoTime() - lastPlainNanos >= plainEveryNanos;
    }

    private void plain(String what) {
        lastPlainNanos = System.nanoTime();
        err.printf(Locale.ROOT, "%s: %s%n", task, what);
        err.flush();
    }

    /** Takes the bar off the terminal's last line, finished or not (an error ends a pass early). */
    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}
