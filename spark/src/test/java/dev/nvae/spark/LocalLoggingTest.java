package dev.nvae.spark;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.ConfigurationFactory;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * spark/local's logging (spark/local-log4j2.properties, which the script hands to the JVM): Spark's warnings and
 * errors, the loggers that print a failed task's stack traces off (the job says it in one line), and
 * SPARK_LOCAL_LOG_LEVEL (passed as nvae.spark.local.logLevel) setting all of them.
 */
class LocalLoggingTest {
    private static final Path FILE = Path.of("local-log4j2.properties"); // the module's directory is the tests' working one
    private static final String TASKS = "org.apache.spark.scheduler.TaskSetManager", EXECUTOR = "org.apache.spark.executor.Executor",
            ABORT = "org.apache.spark.util.Utils", WRITER = "org.apache.spark.sql.execution.datasources.FileFormatWriter";

    private static Configuration read() throws Exception {
        LoggerContext context = new LoggerContext("spark-local-logging-test");
        try {
            Configuration c = ConfigurationFactory.getInstance().getConfiguration(context, ConfigurationSource.fromUri(FILE.toUri()));
            c.initialize();
            return c;
        } finally {
            context.stop();
        }
    }

    private static Level level(Configuration c, String logger) {
        return c.getLoggerConfig(logger).getLevel();
    }

    @Test
    void warningsAndErrorsWithoutATaskFailuresStackTraces() throws Exception {
        Configuration c = read();
        assertEquals(Level.WARN, c.getRootLogger().getLevel());
        assertEquals(Level.WARN, level(c, "org.apache.spark.SparkContext"));
        for (String quiet : new String[]{TASKS, EXECUTOR, ABORT, WRITER}) assertEquals(Level.OFF, level(c, quiet), quiet);
        assertEquals(Level.ERROR, level(c, "org.apache.hadoop.util.NativeCodeLoader"));
    }

    /**
     * A session that cannot start ("Could not parse Master URL", a memory setting that is no size) is the job's one line
     * ("nvae-spark: Spark did not start: ..."); SparkContext logged it before as an error with its stack trace.
     */
    @Test
    void aSessionThatCannotStartIsNotLoggedWithItsStackTrace() throws Exception {
        Configuration c = read();
        var context = c.getLoggerConfig("org.apache.spark.SparkContext");
        assertTrue(context.isFiltered(event("org.apache.spark.SparkContext", Level.ERROR, "Error initializing SparkContext.")));
        assertFalse(context.isFiltered(event("org.apache.spark.SparkContext", Level.WARN, "Another warning")));
        assertEquals(Level.ERROR, level(c, "org.apache.spark.metrics.MetricsSystem"));
    }

    /**
     * An --input glob is read without a warning: Spark looked for a streaming sink's metadata under the pattern as if it
     * were a directory and logged "Assume no metadata directory" with a FileNotFoundException's stack trace.
     */
    @Test
    void anInputGlobIsReadWithoutAStackTrace() throws Exception {
        assertEquals(Level.ERROR, level(read(), "org.apache.spark.sql.execution.streaming.sinks.FileStreamSink"));
    }

    private static org.apache.logging.log4j.core.LogEvent event(String logger, Level level, String message) {
        return org.apache.logging.log4j.core.impl.Log4jLogEvent.newBuilder().setLoggerName(logger).setLevel(level)
                .setMessage(new org.apache.logging.log4j.message.SimpleMessage(message))
                .setThrown(new IllegalStateException("x")).build();
    }

    @Test
    void theLevelGivenSetsEveryLogger() throws Exception {
        System.setProperty("nvae.spark.local.logLevel", "INFO");
        try {
            Configuration c = read();
            assertEquals(Level.INFO, c.getRootLogger().getLevel());
            for (String logger : new String[]{TASKS, EXECUTOR, ABORT, WRITER, "org.apache.hadoop.util.NativeCodeLoader"}) {
                assertEquals(Level.INFO, level(c, logger), logger);
            }
        } finally {
            System.clearProperty("nvae.spark.local.logLevel");
        }
    }
}
