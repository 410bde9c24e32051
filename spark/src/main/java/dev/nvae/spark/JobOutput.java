package dev.nvae.spark;

import dev.nvae.NvaeException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.GlobPattern;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkThrowable;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.ShutdownHookManager;
import scala.runtime.BoxedUnit;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A job's {@code --out}: a Parquet directory that must not exist yet. Spark's writer commits it atomically
 * (each task writes under {@code _temporary}, a committed task's files move into place, {@code _SUCCESS}
 * marks a complete job); when the job fails, or a signal stops it, the directory this job created is removed (with
 * the missing parents it made for it), so no partial output is left for a reader to mistake for a result.
 */
final class JobOutput {
    private final String given;
    private final Path path;
    private final FileSystem fs;
    private final Path outermost; // --out, or its outermost parent that did not exist: what the job makes

    private JobOutput(String given, Path path, FileSystem fs, Path outermost) {
        this.given = given;
        this.path = path;
        this.fs = fs;
        this.outermost = outermost;
    }

    static JobOutput check(String out, SparkSession spark) {
        PathOption option = PathOption.literal("--out", out, spark.sparkContext().hadoopConfiguration(), "one new directory");
        Path path = option.path();
        FileSystem fs = option.fs();
        try {
            Path qualified = fs.makeQualified(path);
            if (fs.exists(qualified)) throw exists(out, null);
            // Missing parents are made, as Hadoop does; one that is a file failed once the job had started.
            Path outermost = qualified;
            for (Path p = qualified.getParent(); p != null; p = p.getParent()) {
                if (!fs.exists(p)) {
                    outermost = p;
                    continue;
                }
                if (!fs.getFileStatus(p).isDirectory()) throw new NvaeException("--out " + out + ": " + p + " is a file, not a directory");
                break;
            }
            return new JobOutput(out, qualified, fs, outermost);
        } catch (IOException | IllegalArgumentException e) {
            throw new NvaeException("--out " + out + ": " + e.getMessage());
        }
    }

    private static NvaeException exists(String out, Throwable cause) {
        return new NvaeException("--out " + out + ": already exists; the job writes a new directory", cause);
    }

    /** Refuses an output inside an input (or the reverse; for a glob, any path it matches): inputs are never written over. */
    void refuseOverlap(String input, SparkSession spark) {
        refuseOverlap("--input", input, input, spark);
    }

    /** The same for {@code option}'s value {@code input}, read at {@code location} (a URI or a path Hadoop reads). */
    void refuseOverlap(String option, String input, String location, SparkSession spark) {
        PathOption read = PathOption.of(option, location, spark.sparkContext().hadoopConfiguration());
        List<Path> inputs = new ArrayList<>();
        if (PathOption.globCharacter(location) != 0) {
            try {
                FileStatus[] matched = read.fs().globStatus(read.path());
                if (matched != null) for (FileStatus m : matched) inputs.add(read.fs().makeQualified(m.getPath()));
                // An --out the pattern matches (or one of its parents): the same --input would read it on the next run.
                GlobPattern pattern = new GlobPattern(read.fs().makeQualified(read.path()).toString());
                for (Path p = path; p != null; p = p.getParent()) {
                    if (pattern.matches(p.toString())) inputs.add(p);
                }
            } catch (IOException e) {
                throw new NvaeException(option + " " + input + ": " + e.getMessage());
            }
        } else {
            inputs.add(read.fs().makeQualified(read.path()));
        }
        for (Path in : inputs) {
            boolean overlap;
            if (local(in) && local(path)) {
                java.nio.file.Path a = real(in), b = real(path);
                overlap = a.startsWith(b) || b.startsWith(a);
            } else {
                String a = in + "/", b = path + "/";
                overlap = a.startsWith(b) || b.startsWith(a);
            }
            if (overlap) throw new NvaeException("--out " + given + " overlaps " + option + " " + input + ": a job never writes into its input");
        }
    }

    private static boolean local(Path p) {
        return "file".equals(p.toUri().getScheme());
    }

    /**
     * The path with the symbolic links of its longest existing ancestor resolved (--out does not exist yet): compared
     * as text, an --out under a link to the input was written into the input.
     */
    private static java.nio.file.Path real(Path p) {
        java.nio.file.Path full = new File(p.toUri().getPath()).toPath(), existing = full;
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null) return full;
        try {
            return existing.toRealPath().resolve(existing.relativize(full));
        } catch (IOException e) { // unreadable on the way: as given, which the job's own reads then refuse
            return full;
        }
    }

    /**
     * Spark's own shutdown hook stops the context at this priority; ours runs after it (lower runs later), when
     * no task writes any more, and before Spark deletes its temporary directories.
     */
    private static final int AFTER_SPARK_STOPS = 40;

    /** Writes {@code frame} with Parquet writer options (Spark's own and parquet-mr's, such as {@code compression}). */
    void write(Dataset<Row> frame, Map<String, String> options) {
        SparkContext sc = frame.sparkSession().sparkContext();
        RunningTasks tasks = new RunningTasks();
        sc.addSparkListener(tasks);
        // A job stopped by SIGTERM or Ctrl-C left --out holding _temporary, and the next run refused it as existing.
        Object hook = ShutdownHookManager.addShutdownHook(AFTER_SPARK_STOPS, this::removeIfUncommitted);
        try {
            frame.write().mode(SaveMode.ErrorIfExists).options(options).parquet(path.toString());
            ShutdownHookManager.removeShutdownHook(hook);
        } catch (Exception e) { // Spark's failures are checked exceptions thrown undeclared from Scala
            ShutdownHookManager.removeShutdownHook(hook);
            // Made by another writer since check(), and refused before this job wrote anything: not ours to remove.
            if (e instanceof SparkThrowable s && "PATH_ALREADY_EXISTS".equals(s.getCondition())) throw exists(given, e);
            tasks.awaitNone(sc);
            try {
                remove();
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e instanceof RuntimeException r ? r : new JobFailed(e);
        } finally {
            sc.removeSparkListener(tasks);
        }
    }

    /**
     * The tasks started and not yet ended, as the listener bus tells of them. Spark fails a job at its first failed task
     * and lets the stage's other tasks run on: one still writing made --out again under its own attempt after the job
     * had removed it (and Spark then logged that it could not delete that attempt, after the job's one line). Spark's
     * status tracker does not say for certain which tasks run — it stores a task's start at most every 100 ms
     * (spark.ui.liveUpdate.period) — and a wait on it let --out come back in 2 of 25 failed jobs; this listener hears
     * every start and end.
     */
    private static final class RunningTasks extends SparkListener {
        private final java.util.Set<Long> running = java.util.concurrent.ConcurrentHashMap.newKeySet();

        @Override
        public void onTaskStart(SparkListenerTaskStart start) {
            running.add(start.taskInfo().taskId());
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
            running.remove(end.taskInfo().taskId());
        }

        /**
         * Waits, at most {@link #TASKS_END_MS}, until no task runs. Every task launched had its start posted to the bus
         * before the job failed (the scheduler handles its events in order), so once the bus has delivered what it
         * holds, this set holds every task still running; a task's end comes once its writer has closed or aborted.
         */
        void awaitNone(SparkContext sc) {
            long deadline = System.nanoTime() + TASKS_END_MS * 1_000_000L;
            try {
                sc.listenerBus().waitUntilEmpty(TASKS_END_MS);
                while (!running.isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
            } catch (java.util.concurrent.TimeoutException e) {
                // the bus still busy after a minute: remove --out now, as before this wait
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static final long TASKS_END_MS = 60_000;

    /**
     * Run by the shutdown hook, which is there only while the job writes: the JVM is ending under it (SIGTERM, Ctrl-C).
     * Removes the directory this job created unless the job committed it ({@code _SUCCESS}), so an interrupted job
     * leaves nothing, and says which it was: the exit code alone (143) said nothing of the output.
     */
    private BoxedUnit removeIfUncommitted() {
        interrupted(System.err);
        return BoxedUnit.UNIT;
    }

    void interrupted(java.io.PrintStream err) {
        try {
            if (fs.exists(new Path(path, "_SUCCESS"))) {
                err.println("nvae-spark: interrupted after --out " + given + " was written whole; it is complete");
            } else {
                remove();
                err.println("nvae-spark: interrupted: removed the unfinished --out " + given);
            }
        } catch (IOException e) {
            err.println("nvae-spark: interrupted: --out " + given + ": could not remove the unfinished output: " + e.getMessage());
        }
    }

    /** --out, and the parents made for it while they are empty (a failed job left them behind). */
    private void remove() throws IOException {
        fs.delete(path, true);
        for (Path p = path.getParent(); p != null && !path.equals(outermost) && !p.equals(outermost.getParent()); p = p.getParent()) {
            if (!fs.exists(p) || fs.listStatus(p).length > 0) break;
            fs.delete(p, false);
        }
    }

    /** A failed Spark job; {@link Main#message} reads the reason from its causes. */
    static final class JobFailed extends RuntimeException {
        JobFailed(Exception cause) {
            super(cause.getMessage(), cause);
        }
    }
}
