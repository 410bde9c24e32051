package dev.nvae.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Staging directories: what a killed process left is removed, and nothing else. */
class StagingTest {
    @TempDir
    Path dir;

    private List<String> listing() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** A staging directory as a process leaves it: its lock file stamped with a pid (or not stamped, when killed at once). */
    private Path left(String hex, boolean stamped) throws IOException {
        Path d = Files.createDirectory(dir.resolve(".nvae-staging-" + hex));
        Files.writeString(d.resolve("lock"), stamped ? "4242\n" : "");
        Files.write(d.resolve("s.npy"), new byte[1000]);
        return d;
    }

    @Test
    void aCommittedSetAppearsWholeAndTheStagingIsGone() throws IOException {
        try (Staging s = Staging.in(dir, dir.resolve("a"))) {
            Files.writeString(s.stage(dir.resolve("a")), "A");
            Files.writeString(s.stage(dir.resolve("b")), "B");
            assertEquals(List.of(), listing().stream().filter(n -> !n.startsWith(".nvae-staging-")).toList(), "nothing before the commit");
            s.commit();
        }
        assertEquals(List.of("a", "b"), listing());
    }

    /** What an interrupt would remove, counted before it does (the CLI says so first when it is many files). */
    @Test
    void stagedFilesCountsWhatIsStagedAndNotYetCommittedOrRemoved() throws IOException {
        long before = Staging.stagedFiles();
        try (Staging s = Staging.in(dir, dir.resolve("a")); Staging t = Staging.in(dir, dir.resolve("c"))) {
            Files.writeString(s.stage(dir.resolve("a")), "A");
            Files.writeString(s.stage(dir.resolve("b")), "B");
            Files.writeString(t.stage(dir.resolve("c")), "C");
            assertEquals(before + 3, Staging.stagedFiles());
            s.commit();
            assertEquals(before + 1, Staging.stagedFiles());
        }
        assertEquals(before, Staging.stagedFiles(), "closed without commit: removed");
    }

    @Test
    void closingWithoutCommitLeavesNothing() throws IOException {
        try (Staging s = Staging.in(dir, dir.resolve("a"))) {
            Files.writeString(s.stage(dir.resolve("a")), "A");
        }
        assertEquals(List.of(), listing());
    }

    /**
     * Closing (what SIGTERM's hook does) while another thread still creates its staged files in the directory
     * — as a checkpoint write goes on during the hook — leaves nothing, and staging more is refused.
     */
    @Test
    void closingWhileAnotherThreadStillWritesLeavesNothing() throws Exception {
        Staging s = Staging.in(dir, dir.resolve("a"));
        List<Path> staged = new java.util.ArrayList<>();
        for (int i = 0; i < 20000; i++) staged.add(s.stage(dir.resolve("f" + i)));
        Thread writer = new Thread(() -> {
            for (Path p : staged) {
                try {
                    Files.write(p, new byte[16]);   // as fast as it can: files appear while the directory is emptied
                } catch (IOException gone) {
                    return;   // the directory is gone: the writer's next file fails, as it would in a real run
                }
            }
        });
        writer.start();
        Thread.sleep(20);
        s.close();
        writer.join();
        assertEquals(List.of(), listing(), "the staging directory and every file created in it are gone");
        dev.nvae.NvaeException refused = org.junit.jupiter.api.Assertions.assertThrows(dev.nvae.NvaeException.class,
                () -> s.stage(dir.resolve("late")));
        assertTrue(refused.getMessage().endsWith("not written: interrupted"), refused.getMessage());
    }

    @Test
    void removesOnlyWhatIsProvablyOursAndAbandoned() throws Exception {
        Path stamped = left("00000000000000aa", true);
        Path freshUnstamped = left("00000000000000bb", false);
        Path oldUnstamped = left("00000000000000cc", false);
        Files.setLastModifiedTime(oldUnstamped, FileTime.from(Instant.now().minusSeconds(600)));
        Path heldByAnother = left("00000000000000dd", true);
        Files.writeString(dir.resolve(".model.safetensors.tmp-3k9z"), "a user's file");
        Files.createDirectory(dir.resolve(".nvae-staging-mine"));  // not our name pattern
        Files.writeString(dir.resolve("model.safetensors"), "output");
        Process holder = holdLock(heldByAnother.resolve("lock"));
        try (Staging live = Staging.in(dir, dir.resolve("x"))) { // the first staging in a directory cleans it first
            List<String> left = listing();
            assertTrue(!left.contains(stamped.getFileName().toString()) && !left.contains(oldUnstamped.getFileName().toString()), left.toString());
            assertEquals(List.of(), Staging.removeStale(dir), "nothing else is stale");
            assertTrue(left.contains(freshUnstamped.getFileName().toString()), "may be one being created right now: " + left);
            assertTrue(left.contains(heldByAnother.getFileName().toString()), "its process is alive: " + left);
            assertTrue(left.containsAll(List.of(".model.safetensors.tmp-3k9z", ".nvae-staging-mine", "model.safetensors")), left.toString());
            assertTrue(Files.isDirectory(dir.resolve(live.stage(dir.resolve("x")).getParent().getFileName())), "our own live staging stays");
        } finally {
            holder.destroyForcibly().waitFor();
        }
        // Once its process has died, the held one is abandoned too.
        assertEquals(List.of(heldByAnother), Staging.removeStale(dir));
    }

    /** Another JVM that takes an fcntl lock on {@code file} (as a live writer holds its staging lock) and keeps it. */
    private Process holdLock(Path file) throws Exception {
        Path source = dir.resolve("Hold.java");
        Files.writeString(source, """
                import java.nio.channels.FileChannel;
                import java.nio.file.*;
                public class Hold {
                    public static void main(String[] a) throws Exception {
                        FileChannel c = FileChannel.open(Path.of(a[0]), StandardOpenOption.WRITE);
                        c.lock();
                        System.out.println("locked");
                        Thread.sleep(120_000);
                    }
                }
                """);
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), source.toString(), file.toString())
                .redirectErrorStream(true).start();
        String line = new String(p.getInputStream().readNBytes("locked".length()), StandardCharsets.US_ASCII);
        assertEquals("locked", line);
        assertTrue(p.isAlive());
        Files.delete(source);
        p.waitFor(0, TimeUnit.MILLISECONDS);
        return p;
    }
}
