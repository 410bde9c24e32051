package dev.nvae.spark;

import dev.nvae.NvaeException;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The session starts on another thread while the job reads its model: a bad model is reported without
 * waiting for Spark, a session that cannot start is reported in one line, and the Parquet writer's row
 * groups default to 32 MB unless the Hadoop configuration sets them.
 */
class SessionStartTest {
    private record Run(int code, String err) {
    }

    private static Run run(Main main, Object... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        String[] strings = new String[args.length];
        for (int i = 0; i < args.length; i++) strings[i] = args[i].toString();
        int code = main.run(new PrintWriter(out, true), new PrintWriter(err, true), strings);
        return new Run(code, err.toString());
    }

    @Test
    void aMissingModelIsReportedWhileTheSessionIsStillStarting() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        Main main = new Main(() -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new NvaeException("never started");
        });
        Path missing = LocalSpark.dir().resolve("missing-while-starting.safetensors");
        long t0 = System.nanoTime();
        Run r = run(main, "generate", "--model", missing, "--n", 10, "--out", LocalSpark.dir().resolve("never-s1"));
        double seconds = (System.nanoTime() - t0) / 1e9;
        release.countDown();
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().startsWith("nvae-spark: --model " + missing + ": no such file"), r.err());
        assertTrue(seconds < 20, "reported without waiting for the session: " + seconds + " s");
        assertFalse(main.sessionReady());
    }

    @Test
    void aSessionThatCannotStartFailsTheJobInOneLine() {
        Main main = new Main(() -> {
            throw new IllegalStateException("Could not parse Master URL: 'nowhere'");
        });
        Run r = run(main, "generate", "--model", LocalSpark.model(), "--n", 10, "--out", LocalSpark.dir().resolve("never-s2"));
        assertEquals(1, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("Could not parse Master URL: 'nowhere'"), r.err());
        assertTrue(r.err().startsWith("nvae-spark: Spark did not start: "), r.err());
    }

    /**
     * A session that cannot start names the setting whose value Spark refused, when its message quotes the value:
     * "job failed: NumberFormatException: Size must be specified as bytes ... Failed to parse byte string: abc" named none.
     */
    @Test
    void aSettingSparkRefusesIsNamed() {
        SparkConf conf = new SparkConf(false).set("spark.executor.memory", "abc").set("spark.app.name", "x");
        NvaeException e = Main.notStarted(new org.apache.spark.SparkException("Error", new NumberFormatException(
                "Size must be specified as bytes (b), kibibytes (k), ... E.g. 50b, 100k, or 250m.\nFailed to parse byte string: abc")), conf);
        assertEquals("Spark did not start: spark.executor.memory abc: Size must be specified as bytes (b), kibibytes (k), ... E.g. 50b, 100k, "
                + "or 250m. Failed to parse byte string: abc (NVAE_DEBUG=1 prints the stack trace)", e.getMessage());
        SparkConf master = new SparkConf(false).set("spark.master", "nowhere");
        assertEquals("Spark did not start: spark.master nowhere: Could not parse Master URL: 'nowhere' (NVAE_DEBUG=1 prints the stack trace)",
                Main.notStarted(new org.apache.spark.SparkException("Could not parse Master URL: 'nowhere'"), master).getMessage());
        assertEquals("Spark did not start: IllegalStateException (NVAE_DEBUG=1 prints the stack trace)",
                Main.notStarted(new IllegalStateException(), master).getMessage());
    }

    /**
     * A spark.local.dir (or SPARK_LOCAL_DIRS) where no directory can be made is refused before Spark starts: Spark logged
     * ~350 lines of stack traces and ended the JVM with exit code 53, without the job's line.
     */
    @Test
    void aLocalDirWhereNothingCanBeMadeIsRefusedBeforeSparkStarts() throws java.io.IOException {
        Path file = java.nio.file.Files.writeString(LocalSpark.dir().resolve("local-dir-file"), "x"), under = file.resolve("spark");
        NvaeException e = org.junit.jupiter.api.Assertions.assertThrows(NvaeException.class,
                () -> LocalDirs.check(new SparkConf(false).set("spark.local.dir", under.toString()), java.util.Map.of()));
        assertTrue(e.getMessage().startsWith("spark.local.dir " + under + ": Spark cannot make its scratch directories there ("), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(NvaeException.class,
                () -> LocalDirs.check(new SparkConf(false), java.util.Map.of("SPARK_LOCAL_DIRS", under.toString())));
        assertTrue(e.getMessage().startsWith("SPARK_LOCAL_DIRS " + under + ": "), e.getMessage());
        // Spark uses the directories it can make and fails only when there is none, and YARN's own directories replace these.
        LocalDirs.check(new SparkConf(false).set("spark.local.dir", under + "," + LocalSpark.dir().resolve("scratch")), java.util.Map.of());
        LocalDirs.check(new SparkConf(false).set("spark.local.dir", under.toString()), java.util.Map.of("CONTAINER_ID", "c1"));
        LocalDirs.check(new SparkConf(false), java.util.Map.of());
        assertTrue(java.nio.file.Files.isDirectory(LocalSpark.dir().resolve("scratch")));
        try (var left = java.nio.file.Files.list(LocalSpark.dir().resolve("scratch"))) {
            assertEquals(0, left.count(), "the check leaves nothing in it");
        }
    }

    /**
     * A job whose session Spark stopped under it (a standalone master that never answered: Spark gave up after a minute)
     * says so: its line was "job failed: SparkException: Block broadcast_0_piece0 does not exist", which named no cause.
     */
    @Test
    void aJobWhoseSessionStoppedSaysSo() {
        var e = new org.apache.spark.SparkException("Block broadcast_0_piece0 does not exist.");
        assertEquals("Spark stopped while the job ran (Spark's log above says why): job failed: SparkException: Block broadcast_0_piece0 "
                + "does not exist. (NVAE_DEBUG=1 prints the stack trace)", Main.message(e, true));
        assertEquals(Main.message(e), Main.message(e, false));
        NvaeException ours = new NvaeException("--out x: already exists; the job writes a new directory");
        assertEquals(ours.getMessage(), Main.message(ours, true), "our own refusal is said as it is");
        // Stopped as it started: Spark's message listed where the context was made, a stack trace within the line.
        var stopped = new IllegalStateException("Cannot call methods on a stopped SparkContext.\nThis stopped SparkContext was created at:\n\n"
                + "org.apache.spark.sql.SparkSession$Builder.getOrCreate(SparkSession.scala:929)\n\nThe currently active SparkContext was created at:\n\n(No active SparkContext.)\n");
        assertEquals("Spark did not start: Cannot call methods on a stopped SparkContext. (Spark's log above says why; "
                + "NVAE_DEBUG=1 prints the stack trace)", Main.notStarted(stopped, new SparkConf(false)).getMessage());
    }

    @Test
    void aStartedSessionIsTheOneTheJobsUse() {
        SparkSession running = LocalSpark.session();
        Main main = new Main(running);
        assertTrue(main.sessionReady());
        assertEquals(running, main.session());
        assertEquals(running.sparkContext().hadoopConfiguration(), main.hadoop());
        assertEquals("local[2,2]", main.conf().get("spark.master"));
    }

    @Test
    void rowGroupsAre32MbUnlessTheHadoopConfigurationSetsThem() {
        Configuration plain = new Configuration(false);
        assertEquals(Long.toString(32L << 20), GenerateJob.writerOptions("none", plain).get("parquet.block.size"));
        Configuration set = new Configuration(false);
        set.set("parquet.block.size", "134217728");
        assertFalse(GenerateJob.writerOptions("none", set).containsKey("parquet.block.size"), "the user's setting stays");
        assertEquals("snappy", GenerateJob.writerOptions("snappy", set).get("compression"));
    }
}
