package dev.nvae.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * What a job needs from the front end: the Spark session, started only when a job runs. Spark takes seconds
 * to start, so a job first {@link #startSession() starts} it on another thread and reads its model (and
 * data) meanwhile, from {@link #conf()} and {@link #hadoop()}; {@link #session()} then waits for it.
 */
interface Jobs {
    /** Starts the session on another thread (once; later calls do nothing). */
    void startSession();

    /** The session, waiting for it if it is still starting. */
    SparkSession session();

    /** Whether {@link #session()} would return at once. */
    boolean sessionReady();

    /** The configuration the session has, or will have once started: spark.task.cpus, spark.master, spark.hadoop.*. */
    SparkConf conf();

    /** The Hadoop configuration the session's file systems use (the session's own once it is ready). */
    Configuration hadoop();
}
