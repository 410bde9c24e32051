package dev.nvae.spark;

import dev.nvae.NvaeException;
import org.apache.hadoop.conf.Configuration;
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
