package dev.nvae.spark;

import dev.nvae.NvaeException;
import dev.nvae.backend.Backends;
import org.apache.spark.SparkConf;
import picocli.CommandLine.Option;

/**
 * {@code --backend} and {@code --threads} of a job. Each task opens its own backend with T threads; an
 * executor runs {@code spark.executor.cores / spark.task.cpus} tasks at once, so T must not exceed
 * {@code spark.task.cpus}, and by default equals it: tasks × threads = the executor's cores.
 */
final class ComputeOptions {
    @Option(names = "--backend", paramLabel = "B", defaultValue = "vector",
            description = "vector, onednn, auto or cuda (an NVIDIA GPU on each executor). Default: ${DEFAULT-VALUE}: its results are the same bits on every "
                    + "CPU, so executors of mixed hardware agree; oneDNN may pick other kernels on other CPUs.")
    String backend;

    @Option(names = "--threads", paramLabel = "T",
            description = "Threads per task, at most spark.task.cpus. Default: spark.task.cpus (1 unless set).")
    Integer threads;

    /** T for this job, checked against spark.task.cpus; the backend opens once here so a bad one fails before any task. */
    TaskCompute resolve(SparkConf conf) {
        int cpus = taskCpus(conf);
        int t = threads == null ? cpus : threads;
        if (t < 1) throw new NvaeException("--threads " + t + " must be at least 1");
        if (t > cpus) {
            throw new NvaeException("--threads " + t + " is more than spark.task.cpus (" + cpus + "): tasks x threads would "
                    + "oversubscribe the executors' cores; pass --conf spark.task.cpus=" + t
                    + " (spark/local: SPARK_LOCAL_JAVA_OPTS=-Dspark.task.cpus=" + t + ")");
        }
        Backends.create(backend, t, notice -> { }).close();
        return new TaskCompute(backend, t);
    }

    /** Spark refuses such a value only in its log; the job's line said "NumberFormatException", or named --threads, not given. */
    private static int taskCpus(SparkConf conf) {
        String value = conf.get("spark.task.cpus", "1");
        try {
            int cpus = Integer.parseInt(value.strip());
            if (cpus >= 1) return cpus;
        } catch (NumberFormatException e) {
            // named below
        }
        throw new NvaeException("spark.task.cpus " + value + ": expected a positive whole number of cores per task");
    }
}
