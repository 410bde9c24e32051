package dev.nvae.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.IntConsumer;

/**
 * How far one pass over a split has come, on stderr: a bar on a terminal, otherwise a line every
 * {@value #PLAIN_EVERY_SECONDS} seconds, as training shows its epochs. For passes that can run for minutes
 * (evaluate with thousands of importance samples) and that used to say nothing until they ended.
 */
final class PassProgress implements IntConsumer, AutoCloseable {
    static final int PLAIN_EVERY_SECONDS = 10;

    private final String task;
    private final int total;
    private final PrintWriter err;
    private final ProgressBar bar;
    private long lastPlainNanos = System.nanoTime();

    /** @param bar draw a bar (only sensible when stderr is a terminal: {@link TrainingProgress#stderrIsTerminal}) */
    PassProgress(String task, int total, PrintWriter err, boolean bar) {
        this.task = task;
        this.total = total;
        this.err = err;
        this.bar = bar ? new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setUpdateIntervalMillis(250)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).build() : null;
    }

    /** {@code done} examples of the total are done. */
    @Override
    public void accept(int done) {
        if (bar != null) {
            bar.stepTo(done);
        } else if (done < total && System.nanoTime() - lastPlainNanos >= PLAIN_EVERY_SECONDS * 1_000_000_000L) {
            lastPlainNanos = System.nanoTime();
            err.printf(Locale.ROOT, "%s: %d of %d examples (%d%%)%n", task, done, total, (int) (100L * done / total));
            err.flush();
        }
    }

    /** Takes the bar off the terminal's last line, finished or not (an error ends a pass early). */
    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}
