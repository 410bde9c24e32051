package dev.nvae.spark;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * spark/local's stderr filter (the lines between its stderr-filter markers), run as it is: the two lines the JVM
 * prints while it starts with spark/local's options — "WARNING: Using incubator modules: jdk.incubator.vector" and
 * "WARNING: package sun.security.action not in java.base" (an option of Spark's launcher, spark.jvm.flags, opens a
 * package JDK 25 no longer has) — are dropped, and nothing else: every run printed both before a job's own lines.
 */
class LocalStderrTest {
    private static final String INCUBATOR = "WARNING: Using incubator modules: jdk.incubator.vector\n";
    private static final String OPENS = "WARNING: package sun.security.action not in java.base\n";
    private static final String USAGE = "nvae-spark: Missing required option: '--n=N' (see 'nvae-spark generate --help')\n";

    /** The script's filter lines (tests run in spark/). */
    private static String filterLines() throws IOException {
        Path script = Path.of("local").toAbsolutePath();
        String text = Files.readString(script);
        int begin = text.indexOf("# stderr-filter:begin"), end = text.indexOf("# stderr-filter:end");
        assertTrue(begin >= 0 && end > begin, "markers in " + script);
        return text.substring(begin, end);
    }

    /** What the filter function makes of {@code stderr}. */
    private static String filtered(String stderr) throws Exception {
        String script = "set -euo pipefail\n" + filterLines().replaceAll("(?s)FILTER_FLAGS=\\(\\).*", "") + "filter_jvm_notices\n";
        Process p = new ProcessBuilder("bash", "-c", script).start();
        p.getOutputStream().write(stderr.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return out;
    }

    /**
     * A SPARK_DRIVER_MEMORY that is no heap size is refused in one line, before anything is built or started: the JVM
     * said "Invalid maximum heap size: -Xmxabc" and two lines more, naming no variable.
     */
    @Test
    void aDriverMemoryThatIsNoSizeIsOneLine() throws Exception {
        for (String memory : List.of("abc", "2 g", "-1g", "2gb")) {
            refusedBeforeStarting("SPARK_DRIVER_MEMORY", memory, "expected a heap size such as 2g, 1536m or 1048576k");
        }
        // Sizes the JVM refuses in three lines (-Xmx0, 1k), Spark refuses (under 1.5 x 300 MiB), or no machine has.
        for (String memory : List.of("0", "1k", "256m", "4096k", "99999999999999g", "17t")) {
            refusedBeforeStarting("SPARK_DRIVER_MEMORY", memory, "expected a heap from 512m to 16t");
        }
    }

    /** A log level is checked before the build too: a bad one was said after Spark's jar was built (37 s). */
    @Test
    void aLogLevelThatIsNoLevelIsOneLine() throws Exception {
        refusedBeforeStarting("SPARK_LOCAL_LOG_LEVEL", "bogus", "expected OFF, FATAL, ERROR, WARN, INFO, DEBUG, TRACE or ALL");
    }

    /**
     * A SPARK_LOCAL_CORES that is no positive whole number is refused the same way: the job said "Spark did not start:
     * spark.master local[abc]: ..." (or "Asked to run locally with 0 threads"), after a failed start-up cache run.
     */
    @Test
    void localCoresThatAreNoPositiveNumberAreOneLine() throws Exception {
        for (String cores : List.of("abc", "0", "-2", "2.5", "1000000")) {
            refusedBeforeStarting("SPARK_LOCAL_CORES", cores, "expected a whole number of cores from 1 to 999999");
        }
    }

    /** spark/local run with {@code variable=value} exits 2 with exactly one line: "spark/local: VARIABLE=VALUE: REASON". */
    private static void refusedBeforeStarting(String variable, String value, String reason) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", Path.of("local").toAbsolutePath().toString(), "generate", "--n", "1");
        pb.environment().put(variable, value);
        Process p = pb.start();
        p.getOutputStream().close();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), err);
        assertEquals("spark/local: " + variable + "=" + value + ": " + reason + "\n", err);
    }

    @Test
    void exactlyTheJvmsTwoStartUpLinesAreDropped() throws Exception {
        assertEquals(USAGE, filtered(INCUBATOR + OPENS + USAGE));
        assertEquals(USAGE, filtered(OPENS + INCUBATOR + USAGE));
        assertEquals(USAGE, filtered(INCUBATOR + USAGE));
        // The JVM's own notes about its options come before them and stay.
        assertEquals("NOTE: Picked up JDK_JAVA_OPTIONS: -Xmx1g\n" + USAGE, filtered("NOTE: Picked up JDK_JAVA_OPTIONS: -Xmx1g\n" + INCUBATOR + OPENS + USAGE));
        // Each once, and only at the start: after anything else, or a second time, they pass unchanged.
        assertEquals(USAGE + INCUBATOR + OPENS, filtered(USAGE + INCUBATOR + OPENS));
        assertEquals(OPENS + USAGE, filtered(INCUBATOR + OPENS + OPENS + USAGE));
        assertEquals("one\ntwo\n", filtered("one\ntwo\n"));
        // A last line without its newline is passed on byte for byte.
        assertEquals("no newline", filtered(INCUBATOR + OPENS + "no newline"));
        assertEquals("no newline", filtered("no newline"));
    }

    /**
     * A real JVM with spark/local's options (spark.jvm.flags), behind the filter as the script starts it: it prints
     * both lines without the filter, and with it stderr is the job's one line, complete when the JVM has exited, and
     * the exit code is the job's.
     */
    @Test
    void aFailingJobPrintsItsOneLineThroughTheFilter() throws Exception {
        List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        java.addAll(List.of(sparkJvmFlags().split(" ")));
        java.addAll(List.of("-XX:-UsePerfData", "-cp", System.getProperty("java.class.path")));
        StringBuilder script = new StringBuilder("set -euo pipefail\n").append(filterLines()).append("exec");
        for (String a : java) script.append(" '").append(a.replace("'", "'\\''")).append('\'');
        script.append(" \"${FILTER_FLAGS[@]}\" ").append(Main.class.getName()).append(" generate --model /nonexistent.safetensors --out x.parquet\n");
        String unfiltered = run(script.toString(), "0");
        assertTrue(unfiltered.startsWith(INCUBATOR) && unfiltered.contains(OPENS) && unfiltered.endsWith(USAGE), unfiltered);
        for (int i = 0; i < 2; i++) assertEquals(USAGE, run(script.toString(), "1"));
    }

    /** The script's stderr, read the moment it has exited (with 1, the job's code), with NVAE_STDERR_FILTER {@code filter}. */
    private static String run(String script, String filter) throws Exception {
        Path err = Files.createTempFile("spark-local-stderr", ".txt");
        try {
            ProcessBuilder b = new ProcessBuilder("bash", "-c", script).redirectError(err.toFile());
            b.environment().put("NVAE_STDERR_FILTER", filter);
            Process p = b.start();
            p.getOutputStream().close();
            p.getInputStream().readAllBytes();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS));
            assertEquals(1, p.exitValue());
            return Files.readString(err);
        } finally {
            Files.deleteIfExists(err);
        }
    }

    /** The JVM options spark/local reads from spark/pom.xml. */
    private static String sparkJvmFlags() throws IOException {
        Matcher m = Pattern.compile("<spark.jvm.flags>(.*)</spark.jvm.flags>").matcher(Files.readString(Path.of("pom.xml")));
        assertTrue(m.find(), "spark.jvm.flags in spark/pom.xml");
        return m.group(1).strip();
    }
}
