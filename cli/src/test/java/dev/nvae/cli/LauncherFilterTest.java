package dev.nvae.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher's stderr filter ({@code ./nvae}, between its stderr-filter markers), run as it is: the
 * JVM's "WARNING: Using incubator modules" line, printed before any of our code runs, is dropped, and
 * nothing else — so every message on stderr is one of ours.
 */
class LauncherFilterTest {
    private static final String NOTICE = "WARNING: Using incubator modules: jdk.incubator.vector\n";

    /** The launcher's filter lines, from the repository root (tests run in cli/). */
    private static String filterLines() throws IOException {
        Path launcher = Path.of("..", "nvae").toAbsolutePath().normalize();
        String text = Files.readString(launcher);
        int begin = text.indexOf("# stderr-filter:begin"), end = text.indexOf("# stderr-filter:end");
        assertTrue(begin >= 0 && end > begin, "markers in " + launcher);
        return text.substring(begin, end);
    }

    /** What the filter function makes of {@code stderr}. */
    private static String filtered(String stderr) throws Exception {
        String script = filterLines().replaceAll("(?s)FILTER_FLAGS=\\(\\).*", "") + "filter_jvm_notice\n";
        Process p = new ProcessBuilder("bash", "-c", script).start();
        p.getOutputStream().write(stderr.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return out;
    }

    @Test
    void exactlyTheJvmsNoticeIsDropped() throws Exception {
        assertEquals("nvae: --out x: cannot write: permission denied\n", filtered(NOTICE + "nvae: --out x: cannot write: permission denied\n"));
        // The JVM's own notes about its options come before it and stay.
        assertEquals("NOTE: Picked up JDK_JAVA_OPTIONS: -Xmx1g\nwrote 20 samples to s.npy\n",
                filtered("NOTE: Picked up JDK_JAVA_OPTIONS: -Xmx1g\n" + NOTICE + "wrote 20 samples to s.npy\n"));
        // Without the notice, or with it anywhere but at the start, everything passes unchanged.
        assertEquals("nvae: a\n" + NOTICE, filtered("nvae: a\n" + NOTICE));
        assertEquals("one\ntwo\n", filtered("one\ntwo\n"));
        // A progress bar redraws with \r and a last line may lack its newline: passed on byte for byte.
        assertEquals("epoch 1/1  50%\repoch 1/1 100%", filtered(NOTICE + "epoch 1/1  50%\repoch 1/1 100%"));
        assertEquals("no newline", filtered("no newline"));
    }

    /** A real JVM behind the filter, as the launcher starts it: stderr is the command's one line, complete when the JVM has exited. */
    @Test
    void aFailingCommandPrintsOneLineThroughTheFilter() throws Exception {
        List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-XX:-UsePerfData", "-cp", System.getProperty("java.class.path")));
        StringBuilder script = new StringBuilder(filterLines()).append("exec");
        for (String a : java) script.append(" '").append(a.replace("'", "'\\''")).append('\'');
        script.append(" \"${FILTER_FLAGS[@]}\" ").append(Main.class.getName()).append(" sample --model /nonexistent.safetensors --n 1 --format grid --out x.png\n");
        for (int i = 0; i < 3; i++) {
            Path err = Files.createTempFile("nvae-stderr", ".txt");
            try {
                Process p = new ProcessBuilder("bash", "-c", script.toString()).redirectError(err.toFile()).start();
                assertTrue(p.waitFor(120, TimeUnit.SECONDS));
                assertEquals(1, p.exitValue());
                // Read the moment the JVM is gone: the JVM waited for the filter, so the line is there.
                assertEquals("nvae: /nonexistent.safetensors: cannot read: no such file or directory\n", Files.readString(err));
            } finally {
                Files.deleteIfExists(err);
            }
        }
    }
}
