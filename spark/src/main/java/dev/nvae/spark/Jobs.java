package dev.nvae.spark;

import org.apache.spark.sql.SparkSession;

/** What a job needs from the front end: the Spark session, started only when a job runs. */
interface Jobs {
    SparkSession session();
}
