package dev.nvae.spark;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One Spark session for every test of this JVM, in local mode inside it: local[2,2] — two task threads,
 * as on a two-core executor, and two attempts per task, so that a task failed on purpose is retried —
 * with a file system that fails one chosen write ({@link FailOnceFileSystem}), and one small model,
 * trained once by the CLI.
 */
final class LocalSpark {
    private static SparkSession session;
    private static Path dir, model;
    static final AtomicInteger TASKS_STARTED = new AtomicInteger(), TASKS_FAILED = new AtomicInteger();

    private LocalSpark() {
    }

    static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder().master("local[2,2]").appName("nvae-spark tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "localhost")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.hadoop.fs.failonce.impl", FailOnceFileSystem.class.getName())
                    .config("spark.hadoop.fs.failonce.impl.disable.cache", "true")
                    .getOrCreate();
            session.sparkContext().addSparkListener(new SparkListener() {
                @Override
                public void onTaskStart(SparkListenerTaskStart start) {
                    TASKS_STARTED.incrementAndGet();
                }

                @Override
                public void onTaskEnd(SparkListenerTaskEnd end) {
                    if (end.taskInfo().failed()) TASKS_FAILED.incrementAndGet();
                }
            });
            cleanUpAtExit();
        }
        return session;
    }

    /** Waits until the listeners above have seen every event posted so far. */
    static void drainEvents() {
        try {
            session().sparkContext().listenerBus().waitUntilEmpty();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A directory for this JVM's files, removed when the JVM ends (after the session has stopped). */
    static synchronized Path dir() {
        if (dir == null) {
            try {
                dir = Files.createTempDirectory("nvae-spark-test");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            cleanUpAtExit();
        }
        return dir;
    }

    private static boolean cleanUpRegistered;

    /**
     * One hook, not one per resource: shutdown hooks run concurrently, and the directory must outlive the
     * session, whose jobs may still be writing into it while it stops. Each run of the suite wrote about
     * 200 MB of Parquet and models there; the OS does not clear /tmp between runs.
     */
    private static synchronized void cleanUpAtExit() {
        if (cleanUpRegistered) return;
        cleanUpRegistered = true;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            SparkSession s;
            Path d;
            synchronized (LocalSpark.class) {
                s = session;
                d = dir;
            }
            if (s != null) s.stop();
            if (d != null) deleteTree(d);
        }, "nvae-spark-test cleanup"));
    }

    /** Removes what it can: one file that cannot go (or a listing that fails half-way) does not keep the rest. */
    private static void deleteTree(Path root) {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.sorted(Comparator.reverseOrder()).toList();
        } catch (IOException | UncheckedIOException e) {
            System.err.println("nvae-spark tests: could not list " + root + ": " + e.getMessage());
            return;
        }
        for (Path p : files) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                System.err.println("nvae-spark tests: could not remove " + p + ": " + e.getMessage());
            }
        }
    }

    /** An N-VAE trained for one epoch on 300 examples of the committed Fashion-MNIST subset. */
    static synchronized Path model() {
        if (model == null) {
            Path m = dir().resolve("model.safetensors");
            Result r = cli("train", "--data", "testdata", "--limit", "300", "--epochs", "1", "--no-progress", "--backend", "vector",
                    "--out", m);
            assertEquals(0, r.code(), r.err());
            model = m;
        }
        return model;
    }

    record Result(int code, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    /** {@code nvae <args>} in-process. */
    static Result cli(Object... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        var cmd = dev.nvae.cli.Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(strings(args));
        return new Result(code, out.toString(), err.toString());
    }

    /** {@code nvae-spark <args>} on the shared session. */
    static Result job(Object... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = new Main(LocalSpark.session()).run(new PrintWriter(out, true), new PrintWriter(err, true), strings(args));
        return new Result(code, out.toString(), err.toString());
    }

    private static String[] strings(Object... args) {
        String[] s = new String[args.length];
        for (int i = 0; i < args.length; i++) s[i] = String.valueOf(args[i]);
        return s;
    }
}
