package dev.nvae.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What of the distribution for a box (dist/, built by {@code ./nvae dist}) can be checked in seconds:
 * its launcher, on a stand-in layout whose runtime/bin/java only reports its arguments, and the jar
 * repacking its reproducibility rests on. The whole archive — jlink, oneDNN, the start-up cache — takes
 * minutes and is built and run on a bare box by dist/build and dist/check-bare-box instead.
 */
class DistributionTest {
    private static final Path ROOT = repositoryRoot();

    private static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("dist/bin/nvae")) && Files.isRegularFile(p.resolve("launcher/jvm-flags.sh"))) return p;
        }
        throw new IllegalStateException("no nvae checkout above " + Path.of("").toAbsolutePath());
    }

    private record Run(int exitCode, List<String> lines) {
    }

    private static Run run(List<String> command, Path dir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().clear();  // as a box: no PATH, no JAVA_HOME
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "did not finish: " + command);
        return new Run(p.exitValue(), out.lines().toList());
    }

    /** bin/, lib/ and a runtime/bin/java that prints its arguments one per line, under {@code home}. */
    private static void standInLayout(Path home) throws IOException {
        Files.createDirectories(home.resolve("bin"));
        Files.createDirectories(home.resolve("lib"));
        Files.createDirectories(home.resolve("runtime/bin"));
        Files.copy(ROOT.resolve("dist/bin/nvae"), home.resolve("bin/nvae"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(ROOT.resolve("launcher/jvm-flags.sh"), home.resolve("lib/jvm-flags.sh"));
        Files.write(home.resolve("lib/nvae.jar"), new byte[0]);
        Path java = home.resolve("runtime/bin/java");
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(home.resolve("bin/nvae"), PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** The flags launcher/jvm-flags.sh gives for the command line {@code args}, as the shell splits them. */
    private static List<String> sharedFlags(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c",
                "set -f; . ./launcher/jvm-flags.sh && nvae_jvm_flags \"$@\" && printf '%s\\n' $NVAE_JVM_FLAGS", "sh"));
        command.addAll(List.of(args));
        Run r = run(command, ROOT);
        assertEquals(0, r.exitCode(), String.join("\n", r.lines()));
        return r.lines();
    }

    /** Whether this CPU has AVX2, read as the launcher reads it. */
    private static boolean cpuHasAvx2() throws IOException {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(cpuinfo)) return false;
        return Files.readAllLines(cpuinfo).stream().filter(l -> l.startsWith("flags")).findFirst()
                .map(l -> (l + " ").contains(" avx2 ")).orElse(false);
    }

    @Test
    void sampleCompilesWithC1AloneExactlyWhereItWillRunOnOneDnnAtFp32() throws Exception {
        List<String> quick = List.of("-XX:TieredStopAtLevel=1", "-Dnvae.jit.quick=true");
        boolean avx2 = cpuHasAvx2();
        record Case(boolean expected, String... args) {
        }
        for (Case c : List.of(
                new Case(avx2, "sample", "--n", "1", "--format", "npy"),                 // auto picks oneDNN from AVX2 up
                new Case(avx2, "sample", "--backend", "auto", "--format=grid"),
                new Case(true, "sample", "--backend", "onednn", "--format", "NPY"),      // picocli takes any case
                new Case(true, "sample", "--backend=onednn", "--precision=fp32", "--format=npy"),
                new Case(false, "sample", "--backend", "onednn"),                        // no --format: picocli refuses it
                new Case(false, "sample", "--backend", "onednn", "--format", "idx"),     // IDX and PNG files want C2
                new Case(false, "sample", "--backend", "onednn", "--format", "png"),
                new Case(false, "sample", "--backend", "vector", "--format", "npy"),
                new Case(false, "sample", "--backend=cuda", "--format", "npy"),
                new Case(false, "sample", "--backend", "onednn", "--precision", "bf16", "--format", "npy"),
                new Case(false, "sample", "--precision=bf16", "--format", "grid"),
                new Case(false, "sample", "--format", "npy", "--backend", "onednn", "--backend", "vector"), // the last one counts
                new Case(avx2, "sample", "--format", "npy", "--backend"),                  // picocli refuses it; no harm either way
                new Case(true, "sample", "--backend", "onednn", "--format", "npy", "--n", "20000"), // up to 20,000 a class
                new Case(false, "sample", "--backend", "onednn", "--format", "npy", "--n", "20001"), // more: the full JIT
                new Case(false, "sample", "--backend", "onednn", "--format", "npy", "--n=100000"),
                new Case(false, "sample", "--backend", "onednn", "--format", "npy", "--n", "99999999999999999999"),
                new Case(true, "sample", "--backend", "onednn", "--format", "npy", "--n", "many"), // picocli refuses it
                new Case(false, "train", "--backend", "onednn", "--format", "npy"),
                new Case(false, "encode", "--backend", "onednn"))) {
            List<String> flags = sharedFlags(c.args());
            assertEquals(c.expected(), flags.containsAll(quick), String.join(" ", c.args()) + ": " + flags);
            assertTrue(flags.contains("-XX:TieredStopAtLevel=1") == c.expected(), "both flags or neither: " + flags);
        }
        Run off = run(List.of("/bin/sh", "-c", "set -f; NVAE_QUICK_JIT=0; . ./launcher/jvm-flags.sh && nvae_jvm_flags sample "
                + "--backend onednn --format npy && printf '%s\\n' $NVAE_JVM_FLAGS"), ROOT);
        assertTrue(off.lines().stream().noneMatch(quick::contains), "NVAE_QUICK_JIT=0 turns it off: " + off.lines());
    }

    /** The JVM refuses two collectors, so one named in NVAE_JAVA_OPTS replaces the parallel collector. */
    @Test
    void aCollectorInNvaeJavaOptsReplacesTheParallelOne() throws Exception {
        assertTrue(sharedFlags("train").contains("-XX:+UseParallelGC"));
        for (String opts : List.of("-XX:+UseG1GC", "-Xmx1g -XX:+UseSerialGC -Xlog:gc", "-XX:+UseZGC")) {
            Run r = run(List.of("/bin/sh", "-c", "set -f; NVAE_JAVA_OPTS='" + opts + "'; . ./launcher/jvm-flags.sh && nvae_jvm_flags train "
                    + "&& printf '%s\\n' $NVAE_JVM_FLAGS"), ROOT);
            assertEquals(0, r.exitCode(), String.join("\n", r.lines()));
            assertTrue(r.lines().contains("-Xmn32m"), opts + ": " + r.lines());
            assertFalse(r.lines().contains("-XX:+UseParallelGC"), opts + ": " + r.lines());
        }
        Run other = run(List.of("/bin/sh", "-c", "set -f; NVAE_JAVA_OPTS='-XX:+UseG1GCX -XX:+UseTransparentHugePages'; "
                + ". ./launcher/jvm-flags.sh && nvae_jvm_flags train && printf '%s\\n' $NVAE_JVM_FLAGS"), ROOT);
        assertTrue(other.lines().contains("-XX:+UseParallelGC"), "no collector named: " + other.lines());
    }

    /** A collector after a tab is found too: the launchers split NVAE_JAVA_OPTS at tabs, and " $1 " matching missed it. */
    @Test
    void aCollectorAfterATabIsFound() throws Exception {
        Run r = run(List.of("/bin/sh", "-c", "set -f; NVAE_JAVA_OPTS=\"$1\"; "
                + ". ./launcher/jvm-flags.sh && nvae_jvm_flags train && printf '%s\\n' $NVAE_JVM_FLAGS", "sh", "-Xmx256m\t-XX:+UseSerialGC"), ROOT);
        assertEquals(0, r.exitCode(), String.join("\n", r.lines()));
        assertFalse(r.lines().contains("-XX:+UseParallelGC"), r.lines().toString());
    }

    /**
     * The fixed 32 MB young generation gives way to NVAE_JAVA_OPTS that size it, or give a heap under 96 MB (with
     * -Xmx10m the JVM warned twice about a young generation the user had not asked for); larger heaps keep it.
     */
    @Test
    void aSmallHeapOrAYoungGenerationInNvaeJavaOptsDropsTheFixedOne() throws Exception {
        record Case(String opts, boolean kept) {
        }
        for (Case c : List.of(new Case("", true), new Case("-Xmx96m", true), new Case("-Xmx1g -XX:+UseG1GC", true),
                new Case("-Xmx100663296", true), new Case("-Xmx99999999999999999999", true), new Case("-Xmxabc", true),
                new Case("-Xmx2T", true), new Case("-Xmx10m", false), new Case("-Xmx95M", false), new Case("-Xmx08m", false),
                new Case("-Xmx100663295", false), new Case("-Xmx64m\t-Xms8m", false), new Case("-Xms16m", false),
                new Case("-XX:MaxHeapSize=20m", false), new Case("-XX:InitialHeapSize=8m", false), new Case("-Xmn64m", false),
                new Case("-XX:NewSize=8m", false), new Case("-XX:NewRatio=3", false),
                new Case("-Xmx10m -Xmx2g", true), new Case("-Xmx2g -Xmx10m", false), new Case("-Xmx2048g", true),
                new Case("-Xmx2t", true), new Case("-Xmx97m -Xms2g -Xms95m", false))) {
            Run r = run(List.of("/bin/sh", "-c", "set -f; NVAE_JAVA_OPTS=\"$1\"; . ./launcher/jvm-flags.sh && nvae_jvm_flags train "
                    + "&& printf '%s\\n' $NVAE_JVM_FLAGS", "sh", c.opts()), ROOT);
            assertEquals(0, r.exitCode(), String.join("\n", r.lines()));
            assertEquals(c.kept(), r.lines().contains("-Xmn32m"), "'" + c.opts() + "': " + r.lines());
            assertTrue(r.lines().contains("-Xss4m"), r.lines().toString());
        }
    }

    /**
     * The launchers' switches and NVAE_CPUS take what they document, and anything else is one line naming the variable
     * (NVAE_CPUS=abc was read as 1, NVAE_AOT=false as "on", a huge NVAE_CPUS failed in the shell's words).
     */
    @Test
    void theLaunchersEnvironmentIsCheckedInOneLine() throws Exception {
        for (String ok : List.of("UNRELATED=1", "NVAE_AOT=", "NVAE_AOT=0", "NVAE_AOT=1", "NVAE_STDERR_FILTER=0", "NVAE_QUICK_JIT=1", "NVAE_CPUS=16", "NVAE_CPUS=999999")) {
            Run r = run(List.of("/bin/sh", "-c", "export \"$1\"; . ./launcher/jvm-flags.sh && nvae_check_environment", "sh", ok), ROOT);
            assertEquals(0, r.exitCode(), ok + ": " + r.lines());
            assertEquals(List.of(), r.lines(), ok);
        }
        record Bad(String setting, String line) {
        }
        for (Bad b : List.of(new Bad("NVAE_AOT=false", "nvae: NVAE_AOT=false: expected 0 (off) or 1 (on)"),
                new Bad("NVAE_STDERR_FILTER=no", "nvae: NVAE_STDERR_FILTER=no: expected 0 (off) or 1 (on)"),
                new Bad("NVAE_QUICK_JIT=abc", "nvae: NVAE_QUICK_JIT=abc: expected 0 (off) or 1 (on)"),
                new Bad("NVAE_CPUS=abc", "nvae: NVAE_CPUS=abc: expected a whole number of processors from 1 to 999999"),
                new Bad("NVAE_CPUS=0", "nvae: NVAE_CPUS=0: expected a whole number of processors from 1 to 999999"),
                new Bad("NVAE_CPUS=-1", "nvae: NVAE_CPUS=-1: expected a whole number of processors from 1 to 999999"),
                new Bad("NVAE_CPUS=99999999999999999999", "nvae: NVAE_CPUS=99999999999999999999: expected a whole number of processors from 1 to 999999"))) {
            Run r = run(List.of("/bin/sh", "-c", "export \"$1\"; . ./launcher/jvm-flags.sh && nvae_check_environment", "sh", b.setting()), ROOT);
            assertEquals(1, r.exitCode(), b.setting());
            assertEquals(List.of(b.line()), r.lines(), b.setting());
        }
    }

    /** A working directory deleted under the shell is said in one line, status 1: the JVM said it with a stack trace. */
    @Test
    void aDeletedWorkingDirectoryIsSaidInOneLine(@TempDir Path tmp) throws Exception {
        Run r = run(List.of("/bin/sh", "-c", "/bin/mkdir gone && cd gone && /bin/rmdir ../gone && . \"$1\" && nvae_check_environment", "sh",
                ROOT.resolve("launcher/jvm-flags.sh").toAbsolutePath().toString()), tmp);
        assertEquals(1, r.exitCode(), r.lines().toString());
        assertEquals("nvae: the working directory no longer exists; cd to one that does", r.lines().getLast());
    }

    /**
     * A word of NVAE_JAVA_OPTS that is not an option is one line naming it: a quoted value with a space (-Dfoo='a b') left
     * the stray word b', which the JVM took for its main class ("Could not find or load main class b'"). Options pass,
     * and -f (no globbing) is as it was after the check, set or not.
     */
    @Test
    void aWordOfJavaOptionsThatIsNoOptionIsSaidInOneLine() throws Exception {
        for (String opts : List.of("-Dfoo='a b'", "-Xmx1g Xms1g")) {
            Run r = run(List.of("/bin/sh", "-c", "NVAE_JAVA_OPTS=\"$1\"; . ./launcher/jvm-flags.sh && nvae_check_java_opts", "sh", opts), ROOT);
            assertEquals(1, r.exitCode(), opts + ": " + r.lines());
            String word = opts.startsWith("-D") ? "b'" : "Xms1g";
            assertEquals(List.of("nvae: NVAE_JAVA_OPTS: '" + word + "' is not a JVM option (the value is split at spaces; quotes in it are not read)"),
                    r.lines(), opts);
        }
        // Options that make java print its version or help (and exit 0 without running the command) are refused too.
        for (String other : List.of("-version", "-Xmx1g --help", "-X", "-jar", "-fullversion", "--module=x/y", "-Xshare:dump")) {
            Run r = run(List.of("/bin/sh", "-c", "NVAE_JAVA_OPTS=\"$1\"; . ./launcher/jvm-flags.sh && nvae_check_java_opts", "sh", other), ROOT);
            assertEquals(1, r.exitCode(), other + ": " + r.lines());
            assertEquals(List.of("nvae: NVAE_JAVA_OPTS: '" + other.substring(other.lastIndexOf(' ') + 1) + "' would make java do something "
                    + "other than run nvae; give JVM flags only (such as -Xmx256m)"), r.lines(), other);
        }
        for (String noglob : List.of("set -f", "set +f")) {
            Run fine = run(List.of("/bin/sh", "-c", noglob + "; NVAE_JAVA_OPTS='-Xmx300m -XX:CompileCommand=quiet,dev.nvae.*::*'; "
                    + ". ./launcher/jvm-flags.sh && nvae_check_java_opts && nvae_names_collector \"$NVAE_JAVA_OPTS\"; echo \"$-\""), ROOT);
            assertEquals(0, fine.exitCode(), fine.lines().toString());
            assertEquals(noglob.equals("set -f"), fine.lines().getLast().contains("f"), noglob + ": " + fine.lines());
        }
    }

    @Test
    void trainingCommandsCompileTheKernelsSoonerAndOthersDoNot(@TempDir Path tmp) throws Exception {
        Path home = tmp.resolve("nvae-1.0");
        standInLayout(home);
        String kernels = "-XX:CompileCommand=CompileThresholdScaling,dev.nvae.kernels.*::*,0.05";
        for (String command : List.of("train", "demo", "sample", "serve")) {
            Run r = run(List.of(home.resolve("bin/nvae").toString(), command), tmp);
            assertEquals(0, r.exitCode(), String.join("\n", r.lines()));
            boolean training = command.equals("train") || command.equals("demo");
            assertEquals(training, r.lines().contains(kernels), command + ": " + r.lines());
            assertEquals(training, r.lines().contains("-XX:CompileCommand=quiet"), command + ": nothing printed on stdout by the JIT");
            assertTrue(r.lines().contains("-XX:CompileThresholdScaling=2"), command + ": the shared setting stays");
        }
    }

    /** Training on 8 or more processors runs without C2's profiled loop predicates (jvm-flags.sh says why). */
    @Test
    void trainingOnManyProcessorsTurnsOffProfiledLoopPredicates() throws Exception {
        String flag = "-XX:-UseProfiledLoopPredicate";
        record Case(String cpus, String command, boolean expected) {
        }
        for (Case c : List.of(new Case("16", "train", true), new Case("8", "demo", true), new Case("7", "train", false),
                new Case("2", "train", false), new Case("16", "sample", false), new Case("16", "evaluate", false),
                new Case("many", "train", false))) {
            Run r = run(List.of("/bin/sh", "-c", "set -f; NVAE_CPUS='" + c.cpus() + "'; . ./launcher/jvm-flags.sh && nvae_jvm_flags "
                    + c.command() + " && printf '%s\\n' $NVAE_JVM_FLAGS"), ROOT);
            assertEquals(0, r.exitCode(), String.join("\n", r.lines()));
            assertEquals(c.expected(), r.lines().contains(flag), c + ": " + r.lines());
        }
    }

    @Test
    void theLauncherRunsTheBundledRuntimeWithTheSharedFlagsFromAnyPlaceAndName(@TempDir Path tmp) throws Exception {
        Path home = tmp.resolve("opt dir/nvae-1.0");  // a space: every path must stay one argument
        standInLayout(home);
        Path link = Files.createDirectories(tmp.resolve("elsewhere")).resolve("nvae");
        Files.createSymbolicLink(link, home.resolve("bin/nvae"));

        for (Path launcher : List.of(home.resolve("bin/nvae"), link)) {
            // --format npy: on an AVX2 host these arguments get the quick JIT, which the command name alone would not
            Run r = run(List.of(launcher.toString(), "sample", "--n", "1", "--format", "npy"), tmp);
            assertEquals(0, r.exitCode(), String.join("\n", r.lines()));
            List<String> expected = new ArrayList<>(sharedFlags("sample", "--n", "1", "--format", "npy"));
            String h = home.toRealPath().toString();
            expected.addAll(List.of("-XX:-UsePerfData", "-Djava.awt.headless=true",
                    "-Dsun.awt.fontconfig=" + h + "/runtime/lib/fontconfig.properties", "-Dnvae.cache.dir=" + h + "/lib",
                    "-Dnvae.natives.asIs=true", "-Dnvae.home=" + h, "-Dnvae.stderr.tty=false", "FILTER", "-jar", h + "/lib/nvae.jar", "sample", "--n", "1", "--format", "npy"));
            List<String> got = new ArrayList<>(r.lines());
            int filter = got.indexOf("-Dnvae.stderr.tty=false") + 1;
            assertTrue(got.get(filter).matches("-Dnvae\\.stderr\\.filter=\\d+"), "the stderr filter's pid: " + got.get(filter));
            got.set(filter, "FILTER");
            assertEquals(expected, got, "through " + launcher);
        }
    }

    @Test
    void theStartupCacheIsPassedWhenPresentAndExtraJvmFlagsComeLast(@TempDir Path tmp) throws Exception {
        Path home = tmp.resolve("nvae");
        standInLayout(home);
        Files.write(home.resolve("lib/nvae.aot"), new byte[0]);
        Run r = run(List.of("/usr/bin/env", "NVAE_JAVA_OPTS=-Xmx100m -Dx=1", home.resolve("bin/nvae").toString(), "train"), tmp);
        assertEquals(0, r.exitCode(), String.join("\n", r.lines()));
        String h = home.toRealPath().toString();
        List<String> tail = r.lines().subList(r.lines().indexOf("-Xmx100m"), r.lines().size());
        assertEquals(List.of("-Xmx100m", "-Dx=1", "-XX:AOTCache=" + h + "/lib/nvae.aot", "-Xlog:aot=off", "-Xlog:cds=off",
                "-jar", h + "/lib/nvae.jar", "train"), tail);
        assertEquals(sharedFlags(), r.lines().subList(0, sharedFlags().size()));
    }

    /**
     * The JVM's incubator notice is dropped from stderr, everything else passes in order, the exit status is
     * the JVM's, and the filter's named pipe is gone afterwards; NVAE_STDERR_FILTER=0 lets the notice through.
     */
    @Test
    void theLauncherDropsTheJvmNoticeAndLeavesNothingBehind(@TempDir Path tmp) throws Exception {
        Path home = tmp.resolve("nvae");
        standInLayout(home);
        Files.writeString(home.resolve("runtime/bin/java"), "#!/bin/sh\n"
                + "echo 'WARNING: Using incubator modules: jdk.incubator.vector' >&2\n"
                + "echo 'nvae: --model m.safetensors: no such file' >&2\necho 'last words' >&2\nexit 3\n");
        Path temp = Files.createDirectories(tmp.resolve("temp"));
        Run r = run(List.of("/usr/bin/env", "TMPDIR=" + temp, home.resolve("bin/nvae").toString(), "sample"), tmp);
        assertEquals(3, r.exitCode());
        assertEquals(List.of("nvae: --model m.safetensors: no such file", "last words"), r.lines());
        try (var left = Files.list(temp)) {
            assertEquals(0, left.count(), "the named pipe is removed");
        }
        Run unfiltered = run(List.of("/usr/bin/env", "TMPDIR=" + temp, "NVAE_STDERR_FILTER=0", home.resolve("bin/nvae").toString()), tmp);
        assertEquals("WARNING: Using incubator modules: jdk.incubator.vector", unfiltered.lines().getFirst());
    }

    /**
     * Under LANG=C or no locale at all (a systemd unit, env -i, a bare box) the JVM decodes file names as ASCII:
     * a class folder "Schuhé" made train fail with "InvalidPathException: Malformed input or input contains
     * unmappable characters", and a model or --out named so could not be read or written. bin/nvae gives the
     * JVM C.UTF-8's character set there, and leaves a locale the user chose as it is.
     */
    @Test
    void theJvmDecodesFileNamesAsUtf8WhereTheLocaleIsCOrNone(@TempDir Path tmp) throws Exception {
        Path home = tmp.resolve("nvae");
        standInLayout(home);
        Files.writeString(home.resolve("runtime/bin/java"),
                "#!/bin/sh\necho \"LC_ALL=${LC_ALL-unset} LC_CTYPE=${LC_CTYPE-unset} LANG=${LANG-unset}\"\n");
        record Case(List<String> env, String expected) {
        }
        for (Case c : List.of(
                new Case(List.of(), "LC_ALL=unset LC_CTYPE=C.UTF-8 LANG=unset"),
                new Case(List.of("LANG=C"), "LC_ALL=unset LC_CTYPE=C.UTF-8 LANG=C"),
                new Case(List.of("LANG=POSIX", "LC_ALL="), "LC_ALL= LC_CTYPE=C.UTF-8 LANG=POSIX"),
                new Case(List.of("LC_ALL=C", "LANG=de_DE.UTF-8"), "LC_ALL=C.UTF-8 LC_CTYPE=unset LANG=de_DE.UTF-8"),
                new Case(List.of("LC_CTYPE=C", "LANG=de_DE.UTF-8"), "LC_ALL=unset LC_CTYPE=C.UTF-8 LANG=de_DE.UTF-8"),
                new Case(List.of("LANG=de_DE.UTF-8"), "LC_ALL=unset LC_CTYPE=unset LANG=de_DE.UTF-8"),
                new Case(List.of("LANG=C.utf8"), "LC_ALL=unset LC_CTYPE=unset LANG=C.utf8"),
                new Case(List.of("LC_ALL=de_DE.ISO-8859-1"), "LC_ALL=de_DE.ISO-8859-1 LC_CTYPE=unset LANG=unset"))) {
            List<String> command = new ArrayList<>(List.of("/usr/bin/env", "NVAE_STDERR_FILTER=0"));
            command.addAll(c.env());
            command.add(home.resolve("bin/nvae").toString());
            Run r = run(command, tmp);
            assertEquals(List.of(c.expected()), r.lines(), c.env().toString());
        }
    }

    /**
     * bin/nvae runs with a PATH that holds none of the tools it calls (a service manager's or a script's own PATH):
     * without dirname it failed (". cannot open //lib/jvm-flags.sh"); without cat its stderr filter would have
     * swallowed every message after the first line. It finds its folder with the shell alone and skips the filter.
     * Reached through a symlink it cannot resolve without readlink, it says so in one line.
     */
    @Test
    void theLauncherNeedsNoToolsOnThePath(@TempDir Path tmp) throws Exception {
        Path home = tmp.resolve("opt dir/nvae-1.0");
        standInLayout(home);
        Path temp = Files.createDirectories(tmp.resolve("temp"));
        Run r = run(List.of("/usr/bin/env", "PATH=" + tmp.resolve("nothing"), "TMPDIR=" + temp, home.resolve("bin/nvae").toString(), "info"), tmp);
        assertEquals(0, r.exitCode(), String.join("\n", r.lines()));
        String h = home.toRealPath().toString();
        assertEquals(List.of("-jar", h + "/lib/nvae.jar", "info"), r.lines().subList(r.lines().size() - 3, r.lines().size()));
        assertTrue(r.lines().contains("-Dnvae.home=" + h), r.lines().toString());
        assertTrue(r.lines().stream().noneMatch(l -> l.startsWith("-Dnvae.stderr.filter=")), "no filter without its tools: " + r.lines());
        assertEquals(List.of(), namesIn(temp), "no named pipe left behind");

        // Run by a relative name from bin/ itself, and as `sh nvae`.
        Run relative = run(List.of("/usr/bin/env", "PATH=" + tmp.resolve("nothing"), "/bin/sh", "nvae", "info"), home.resolve("bin"));
        assertEquals(0, relative.exitCode(), String.join("\n", relative.lines()));
        assertTrue(relative.lines().contains("-Dnvae.home=" + h), relative.lines().toString());

        Path link = Files.createDirectories(tmp.resolve("elsewhere")).resolve("nvae");
        Files.createSymbolicLink(link, home.resolve("bin/nvae"));
        Run linked = run(List.of("/usr/bin/env", "PATH=" + tmp.resolve("nothing"), link.toString(), "info"), tmp);
        assertEquals(1, linked.exitCode(), String.join("\n", linked.lines()));
        assertEquals(1, linked.lines().size(), linked.lines().toString());
        assertTrue(linked.lines().getFirst().startsWith("nvae: ") && linked.lines().getFirst().contains("readlink"), linked.lines().getFirst());
    }

    /**
     * Every licence text licenses/README.md names for a shipped component is in dist/licenses/ (which the
     * build copies whole), or is the runtime's own legal/ folder that jlink writes. The Fashion-MNIST subset's
     * MIT licence was named as testdata/README.md, a file the archive does not hold.
     */
    @Test
    void everyLicenceTextTheListNamesIsShipped() throws IOException {
        Path licenses = ROOT.resolve("dist/licenses");
        List<String> rows = Files.readAllLines(licenses.resolve("README.md")).stream()
                .filter(l -> l.startsWith("| ") && !l.startsWith("| component")).toList();
        assertTrue(rows.size() >= 10, "the table's rows: " + rows);
        for (String row : rows) {
            String[] cells = row.split(" \\| ");
            String texts = cells[cells.length - 1];
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("`([^`]+)`").matcher(texts);
            int named = 0;
            while (m.find()) {
                String name = m.group(1);
                named++;
                if (name.equals("runtime/legal/")) continue;
                assertTrue(Files.isRegularFile(licenses.resolve(name)), "licenses/" + name + " (named for: " + cells[0] + ")");
            }
            assertTrue(named > 0, "no licence text named in: " + row);
        }
    }

    /** The font dist/build puts in the runtime; a machine without it cannot build a distribution at all. */
    private static final Path FONT = Path.of("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");

    private record Build(int exitCode, List<String> out, List<String> err) {
    }

    /**
     * A source tree for dist/build under {@code tmp/src} (dist/ and launcher/ as they are, a small jar and its
     * version, a stand-in for the subset) and a stand-in JDK 25 under {@code tmp/jdk}: its bin/java is this
     * JVM's (for RepackJar), its jlink writes a runtime whose bin/java does only what the build looks for (says
     * oneDNN loaded and puts its library in the cache directory, writes the class lists and the start-up cache
     * it is asked for) and, as JDK 25's jlink does, prints the incubator notice on stdout. So the whole build,
     * from the arguments to the archive, runs in about a second.
     */
    private static void standInBuildTree(Path tmp) throws IOException {
        assumeTrue(Files.isRegularFile(FONT), FONT + " (Debian's fonts-dejavu-core) is needed to build a distribution");
        Path src = tmp.resolve("src");
        try (var files = Files.walk(ROOT.resolve("dist"))) {
            for (Path f : files.toList()) {
                Path to = src.resolve(ROOT.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(to);
                else Files.copy(f, to, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        Files.createDirectories(src.resolve("launcher"));
        Files.copy(ROOT.resolve("launcher/jvm-flags.sh"), src.resolve("launcher/jvm-flags.sh"));
        Files.createDirectories(src.resolve("testdata/fashion-mnist-subset"));
        Files.writeString(src.resolve("testdata/fashion-mnist-subset/stand-in"), "images\n");
        Path classes = Files.createDirectories(src.resolve("cli/target/classes/dev/nvae/cli"));
        Files.writeString(classes.resolve("version.properties"), "version=9.9\n");
        jar(src.resolve("cli/target/nvae.jar"), List.of("META-INF/MANIFEST.MF", "dev/nvae/cli/Main.class"),
                LocalDateTime.of(2024, 5, 6, 7, 8, 10));

        Path bin = Files.createDirectories(tmp.resolve("jdk/bin"));
        Files.createSymbolicLink(bin.resolve("java"), Path.of(System.getProperty("java.home"), "bin", "java"));
        script(bin.resolve("jlink"), """
                while [ $# -gt 0 ]; do [ "$1" = --output ] && out=$2; shift; done
                echo 'WARNING: Using incubator modules: jdk.incubator.vector'
                mkdir -p "$out/bin" "$out/lib" && cp "$(dirname "$0")/runtime-java" "$out/bin/java"
                """);
        script(bin.resolve("runtime-java"), """
                for a in "$@"; do
                  case $a in
                    -Dnvae.cache.dir=*) mkdir -p "${a#*=}/natives/dnnl" && echo library >"${a#*=}/natives/dnnl/libdnnl.so.3" ;;
                    -XX:DumpLoadedClassList=*) echo 'dev/nvae/cli/Main id: 1' >"${a#*=}" ;;
                    -XX:SharedArchiveFile=*) echo cache >"${a#*=}" ;;
                  esac
                done
                case " $* " in *" info "*) echo '  onednn (stand-in): available' ;; esac
                """);
    }

    private static void script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /**
     * Runs the stand-in tree's dist/build with {@code args} in {@code tmp}, as ./nvae dist does (JAVA_HOME set),
     * with a pinned SOURCE_DATE_EPOCH and the programs of {@code tmp/path} (if any) ahead of the system's.
     */
    private static Build build(Path tmp, String... args) throws Exception {
        Process p = startBuild(tmp, args);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "did not finish: " + List.of(args));
        Path err = tmp.resolve("build.err");
        List<String> errLines = Files.readAllLines(err);
        Files.delete(err);
        return new Build(p.exitValue(), out.lines().toList(), errLines);
    }

    /** {@link #build}, started: its stderr goes to {@code tmp/build.err}. */
    private static Process startBuild(Path tmp, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(tmp.resolve("src/dist/build").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile()).redirectError(tmp.resolve("build.err").toFile());
        pb.environment().clear();
        pb.environment().put("PATH", tmp.resolve("path") + ":/usr/local/bin:/usr/bin:/bin");
        pb.environment().put("JAVA_HOME", tmp.resolve("jdk").toString());
        pb.environment().put("SOURCE_DATE_EPOCH", "1700000000");
        return pb.start();
    }

    private static List<String> namesIn(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    /**
     * stdout holds the archive's path, size and sha256 and nothing else: scripts take its first line as the
     * archive (bench/dist does). JDK 25's jlink prints its incubator notice on stdout, where it came first.
     */
    @Test
    void theBuildPrintsTheArchiveAloneOnStdout(@TempDir Path tmp) throws Exception {
        standInBuildTree(tmp);
        Path out = tmp.resolve("out");
        Build b = build(tmp, "--out", out.toString());
        assertEquals(0, b.exitCode(), String.join("\n", b.err()));
        String archive = "nvae-9.9-linux-x86_64.tar.gz";
        assertEquals(3, b.out().size(), "stdout: " + b.out());
        assertEquals(out.resolve(archive).toString(), b.out().get(0));
        assertTrue(b.out().get(1).matches("size +\\d+ bytes .*"), b.out().get(1));
        assertTrue(b.out().get(2).matches("sha256 +[0-9a-f]{64}"), b.out().get(2));
        assertEquals(List.of(archive), namesIn(out), "the archive alone, no stage or part file");
        assertFalse(b.err().contains("WARNING: Using incubator modules: jdk.incubator.vector"), "dropped: " + b.err());
        // Of the mode any new file gets under the umask, though written through a private (0600) temporary file.
        Process umask = new ProcessBuilder("/bin/sh", "-c", "umask").start();
        int mask = Integer.parseInt(new String(umask.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip(), 8);
        assertEquals(0666 & ~mask, modeBits(Files.getPosixFilePermissions(out.resolve(archive))));
        // A file of the user's named as a part file once was (.ARCHIVE.part) is theirs: it was replaced, then removed.
        Path theirs = out.resolve("." + archive + ".part");
        Files.writeString(theirs, "mine");
        assertEquals(0, build(tmp, "--out", out.toString()).exitCode());
        assertEquals("mine", Files.readString(theirs));
    }

    /**
     * A build that fails while writing the archive (here gzip, as on a full disk; Ctrl-C in xz's minutes is
     * the same) leaves nothing: no stage, no part file (a hidden .part was left in --out), no archive, and no
     * --out folder it created for the purpose; what the folder held before stays as it was.
     */
    @Test
    void aFailedBuildLeavesNothingBehind(@TempDir Path tmp) throws Exception {
        List<String> stagesBefore = stagesInTmp();
        standInBuildTree(tmp);
        script(Files.createDirectories(tmp.resolve("path")).resolve("gzip"), "cat >/dev/null\necho 'gzip: stdout: No space left on device' >&2\nexit 1\n");
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.writeString(out.resolve("keep.txt"), "mine");
        Build b = build(tmp, "--out", out.toString());
        assertTrue(b.exitCode() != 0, "the build failed: " + b.err());
        assertEquals(List.of(), b.out(), "no archive named on stdout");
        assertEquals(List.of("keep.txt"), namesIn(out));
        assertEquals("mine", Files.readString(out.resolve("keep.txt")));

        Path unborn = tmp.resolve("new/deeper");
        b = build(tmp, "--out", unborn.toString());
        assertTrue(b.exitCode() != 0, "the build failed: " + b.err());
        assertFalse(Files.exists(tmp.resolve("new")), "the folders it made for --out are gone");

        // Stopped while it compresses, as by Ctrl-C or a supervisor's SIGTERM to the build and its children.
        Path compressing = tmp.resolve("compressing");
        script(tmp.resolve("path/gzip"), "touch '" + compressing + "'\nexec sleep 60\n");
        Process p = startBuild(tmp, "--out", unborn.toString());
        for (int i = 0; i < 600 && !Files.exists(compressing) && p.isAlive(); i++) Thread.sleep(100);
        assertTrue(Files.exists(compressing), "the build reached compression: " + Files.readString(tmp.resolve("build.err")));
        List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
        tree.addFirst(p.toHandle());
        tree.forEach(ProcessHandle::destroy);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertTrue(p.exitValue() != 0, "stopped: " + p.exitValue());
        assertFalse(Files.exists(tmp.resolve("new")), "the folders it made for --out are gone after a signal too");
        // The stage is under /tmp, at a path of one length: none is left there, whatever ended the build.
        assertEquals(stagesBefore, stagesInTmp(), "no stage left under /tmp");
    }

    private static int modeBits(java.util.Set<java.nio.file.attribute.PosixFilePermission> permissions) {
        int bits = 0;
        for (var p : permissions) bits |= 1 << (8 - p.ordinal());  // OWNER_READ (0) is 0400 ... OTHERS_EXECUTE (8) is 0001
        return bits;
    }

    /** The build stages under /tmp/nvae-dist.*; builds of other tests may run at the same time, so those present before are kept out. */
    private static List<String> stagesInTmp() throws IOException {
        try (var files = Files.list(Path.of("/tmp"))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("nvae-dist.")).sorted().toList();
        }
    }

    /**
     * A --out that cannot be the archive's folder fails at once with one line that names --out and why, exit
     * status 2, and nothing written: mkdir's own message came instead ("mkdir: cannot create directory ‘afile’:
     * File exists"), and a flag after --out was taken for its folder.
     */
    @Test
    void aBadOutIsRefusedInOneLineAndNothingIsWritten(@TempDir Path tmp) throws Exception {
        standInBuildTree(tmp);
        Files.writeString(tmp.resolve("afile"), "mine");
        Path taken = Files.createDirectories(tmp.resolve("taken/nvae-9.9-linux-x86_64.tar.gz"));
        Files.writeString(taken.resolve("inside"), "mine");
        List<String> before = namesIn(tmp);
        record Case(List<String> args, String line) {
        }
        for (Case c : List.of(
                new Case(List.of("--out"), "dist: --out needs a directory (usage: ./nvae dist [--out DIR] [--xz])"),
                new Case(List.of("--out", ""), "dist: --out needs a directory (usage: ./nvae dist [--out DIR] [--xz])"),
                new Case(List.of("--out="), "dist: --out needs a directory (usage: ./nvae dist [--out DIR] [--xz])"),
                new Case(List.of("--out", "--xz"), "dist: --out needs a directory (usage: ./nvae dist [--out DIR] [--xz])"),
                new Case(List.of("--out", "afile"), "dist: --out afile: not a directory"),
                new Case(List.of("--out=afile"), "dist: --out afile: not a directory"),
                new Case(List.of("--out", "afile/sub"), "dist: --out afile/sub: cannot create it: afile is not a directory"),
                new Case(List.of("--out", "taken"), "dist: --out taken: nvae-9.9-linux-x86_64.tar.gz there is a directory, not an archive to replace"),
                new Case(List.of("--xz", "--bogus"), "dist: unknown argument '--bogus' (usage: ./nvae dist [--out DIR] [--xz])"))) {
            Build b = build(tmp, c.args().toArray(String[]::new));
            assertEquals(2, b.exitCode(), c.args() + ": " + b.err());
            assertEquals(List.of(c.line()), b.err(), c.args().toString());
            assertEquals(List.of(), b.out(), c.args().toString());
            assertEquals(before, namesIn(tmp), c.args() + ": nothing written");
            assertEquals("mine", Files.readString(tmp.resolve("afile")));
            assertEquals(List.of("inside"), namesIn(taken));
        }
    }

    /**
     * ./nvae dist checks the flags with DIST_CHECK_ARGS=1 before it builds the CLI (minutes on a fresh clone): the
     * build then stops after reading them, without the jar, refusing what it would refuse and writing nothing.
     * A mistyped flag was refused only after the whole Maven build.
     */
    @Test
    void theFlagsAreCheckedWithoutTheJarBeforeTheBuild(@TempDir Path tmp) throws Exception {
        standInBuildTree(tmp);
        Files.delete(tmp.resolve("src/cli/target/nvae.jar"));
        Files.writeString(tmp.resolve("afile"), "mine");
        // A --out below a file, or in a folder it cannot write, was refused only after the build, when made.
        Path locked = Files.createDirectories(tmp.resolve("locked"));
        List<List<String>> bad = new ArrayList<>(List.of(List.of("--bogus"), List.of("--out"), List.of("--out", "afile"),
                List.of("--out", "afile/sub/deeper")));
        if (!"root".equals(System.getProperty("user.name"))) {  // root writes anywhere
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
            bad.addAll(List.of(List.of("--out", "locked"), List.of("--out", "locked/new")));
        }
        List<String> before = namesIn(tmp);
        for (var c : bad) {
            Build b = checkArgs(tmp, c.toArray(String[]::new));
            assertEquals(2, b.exitCode(), c + ": " + b.err());
            assertEquals(1, b.err().size(), c + ": " + b.err());
            assertTrue(b.err().getFirst().startsWith("dist: "), b.err().getFirst());
        }
        assertEquals(List.of("dist: --out afile/sub/deeper: cannot create it: afile is not a directory"),
                checkArgs(tmp, "--out", "afile/sub/deeper").err());
        Build ok = checkArgs(tmp, "--out", tmp.resolve("new/out").toString(), "--xz");
        assertEquals(0, ok.exitCode(), String.join("\n", ok.err()));
        assertEquals(List.of(), ok.err());
        assertEquals(List.of(), ok.out());
        assertEquals(before, namesIn(tmp), "nothing written, --out not made");
        String launcher = Files.readString(ROOT.resolve("nvae"));
        assertTrue(launcher.indexOf("DIST_CHECK_ARGS=1") < launcher.indexOf("if needs_build"), "./nvae checks before it builds");
    }

    /** check-bare-box's arguments are checked first, in one line: a missing archive printed tar's errors (and ran on). */
    @Test
    void theBareBoxCheckRefusesAMissingArchiveInOneLine(@TempDir Path tmp) throws Exception {
        for (var args : List.of(List.<String>of(), List.of(tmp.resolve("absent.tar.gz").toString()),
                List.of(ROOT.resolve("dist/build").toString(), tmp.resolve("no-data").toString()))) {
            List<String> command = new ArrayList<>(List.of(ROOT.resolve("dist/check-bare-box").toString()));
            command.addAll(args);
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(2, p.exitValue(), args + ": " + lines);
            assertEquals(1, lines.size(), args + ": " + lines);
            assertTrue(lines.getFirst().startsWith("check-bare-box: ") && lines.getFirst().contains("usage: dist/check-bare-box ARCHIVE"),
                    lines.getFirst());
        }
    }

    private static Build checkArgs(Path tmp, String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(List.of(tmp.resolve("src/dist/build").toString())));
        pb.command().addAll(List.of(args));
        pb.directory(tmp.toFile()).redirectError(tmp.resolve("build.err").toFile());
        pb.environment().put("DIST_CHECK_ARGS", "1");
        pb.environment().put("JAVA_HOME", tmp.resolve("jdk").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        List<String> err = Files.readAllLines(tmp.resolve("build.err"));
        Files.delete(tmp.resolve("build.err"));
        return new Build(p.exitValue(), out.lines().toList(), err);
    }

    /** A jar with {@code names} in that order, each entry stamped {@code time}. */
    private static void jar(Path file, List<String> names, LocalDateTime time) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(file))) {
            for (String name : names) {
                ZipEntry e = new JarEntry(name);
                e.setTimeLocal(time);
                out.putNextEntry(e);
                if (!name.endsWith("/")) out.write(("content of " + name).getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
    }

    private static void repack(Path in, Path out, String... drop) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                ROOT.resolve("dist/RepackJar.java").toString(), in.toString(), out.toString(), "1700000000"));
        cmd.addAll(Arrays.asList(drop));
        Run r = run(cmd, ROOT);
        assertEquals(0, r.exitCode(), String.join("\n", r.lines()));
    }

    @Test
    void theRepackedJarDependsOnItsEntriesOnlyAndLeavesOutTheDroppedOnes(@TempDir Path tmp) throws Exception {
        List<String> names = new ArrayList<>(List.of("META-INF/MANIFEST.MF", "b/", "b/Two.class", "a/One.class",
                "natives/lib.so", "natives/include/h.h", "z.properties"));
        Path first = tmp.resolve("first.jar"), second = tmp.resolve("second.jar");
        jar(first, names, LocalDateTime.of(2024, 5, 6, 7, 8, 10));
        Collections.reverse(names);
        jar(second, names, LocalDateTime.of(2031, 1, 2, 3, 4, 6));
        Files.setLastModifiedTime(second, FileTime.fromMillis(0));

        repack(first, tmp.resolve("first-out.jar"), "natives/");
        repack(second, tmp.resolve("second-out.jar"), "natives/");
        byte[] a = Files.readAllBytes(tmp.resolve("first-out.jar"));
        assertArrayEquals(a, Files.readAllBytes(tmp.resolve("second-out.jar")));

        try (ZipFile zip = new ZipFile(tmp.resolve("first-out.jar").toFile())) {
            List<String> kept = zip.stream().map(ZipEntry::getName).toList();
            assertEquals(List.of("META-INF/MANIFEST.MF", "a/One.class", "b/", "b/Two.class", "z.properties"), kept);
            LocalDateTime pinned = LocalDateTime.ofEpochSecond(1700000000, 0, ZoneOffset.UTC);
            zip.stream().forEach(e -> assertEquals(pinned, e.getTimeLocal(), e.getName()));
            assertEquals("content of a/One.class", new String(zip.getInputStream(zip.getEntry("a/One.class")).readAllBytes(),
                    StandardCharsets.UTF_8));
        }
        try (var files = Files.list(tmp)) {
            assertEquals(4, files.count(), "two jars in, two out, no temporary file left");
        }
    }
}
