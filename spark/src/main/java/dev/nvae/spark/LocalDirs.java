package dev.nvae.spark;

import dev.nvae.NvaeException;
import org.apache.spark.SparkConf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The driver's scratch directories, checked before Spark starts: where it can make none, Spark logged an error with a
 * stack trace for each attempt (~350 lines) and ended the JVM with exit code 53, without the job's line. The
 * directories are the ones Spark's {@code Utils.getConfiguredLocalDirs} picks on the driver: {@code SPARK_LOCAL_DIRS},
 * else {@code spark.local.dir}, else {@code java.io.tmpdir}; a cluster manager's own (YARN's container directories,
 * {@code SPARK_EXECUTOR_DIRS}) are left to it. Spark uses every one it can make and fails only when there is none.
 */
final class LocalDirs {
    private LocalDirs() {
    }

    static void check(SparkConf conf, Map<String, String> env) {
        if (env.containsKey("CONTAINER_ID") || env.containsKey("SPARK_EXECUTOR_DIRS")) return;
        String name, value;
        if (env.get("SPARK_LOCAL_DIRS") != null) {
            name = "SPARK_LOCAL_DIRS";
            value = env.get("SPARK_LOCAL_DIRS");
        } else if (conf.contains("spark.local.dir")) {
            name = "spark.local.dir";
            value = conf.get("spark.local.dir");
        } else {
            name = "java.io.tmpdir";
            value = System.getProperty("java.io.tmpdir");
        }
        String why = null;
        for (String dir : value.split(",")) {
            if (dir.isBlank()) continue;
            try {
                Path root = Files.createDirectories(Path.of(dir.strip()));
                Files.delete(Files.createTempDirectory(root, "nvae-check-"));
                return;
            } catch (IOException | RuntimeException e) {
                if (why == null) why = e instanceof IOException && e.getMessage() != null ? e.getClass().getSimpleName() + ": " + e.getMessage() : e.toString();
            }
        }
        throw new NvaeException(name + " " + value + ": Spark cannot make its scratch directories there (" + (why != null ? why : "no directory given") + ")");
    }
}
