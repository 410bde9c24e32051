package dev.nvae.examples;

import dev.nvae.api.ComputeBackend;
import dev.nvae.api.Training;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's program, as a user gets it: {@code ./nvae mvn install} puts nvae into a local repository
 * (a fresh one here, so the user's is untouched), the example project {@code examples/readme} — the README's
 * dependency block and program — is built against it by Maven, and the program is run, on the class path as a
 * Maven project runs it, and on the module path, where only {@code dev.nvae.api} is visible.
 *
 * <p>The nested builds read plugins and third-party artifacts from the outer build's local repository (a
 * file:// repository, so nothing is fetched that the outer build already has), falling back to Maven Central
 * for what a {@code mvn test} run never needed (the jar and install plugins, on a fresh machine).
 */
class ReadmeProgramTest {
    static Path root, work, repo, settings;

    @BeforeAll
    static void installIntoAFreshRepository() throws Exception {
        root = Path.of("").toAbsolutePath().getParent();
        assertTrue(Files.isRegularFile(root.resolve("nvae")), "no nvae launcher above " + Path.of("").toAbsolutePath());
        work = Files.createTempDirectory("nvae-readme-");
        repo = work.resolve("repo");
        settings = work.resolve("settings.xml");
        Files.writeString(settings, settings(Path.of(System.getProperty("nvae.localRepository"))));
        // A copy of the sources the install builds, so that it never touches this build's target/ folders.
        Path src = work.resolve("src");
        for (String f : List.of("pom.xml", "nvae", "cli/pom.xml", "bench/pom.xml", "examples/pom.xml", "spark/pom.xml")) copy(root.resolve(f), src.resolve(f));
        for (String module : List.of("ffm-bindings", "lib")) copyTree(root.resolve(module), src.resolve(module));
        maven(src, "-pl", "lib", "-am", "-Dmaven.test.skip=true", "install");
    }

    @AfterAll
    static void removeWork() throws IOException {
        if (work == null) return;
        try (Stream<Path> all = Files.walk(work)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void theReadmeShowsTheProgramAndTheDependencyAsTheyAre() throws IOException {
        String readme = Files.readString(root.resolve("README.md"));
        String program = Files.readString(root.resolve("examples/readme/src/main/java/example/SampleSandals.java"));
        assertTrue(readme.contains("```java\n" + program + "```"), "README.md does not show examples/readme's SampleSandals.java as it is");
        assertEquals(15, program.lines().count());
        String pom = Files.readString(root.resolve("examples/readme/pom.xml"));
        String dependency = pom.substring(pom.indexOf("    <dependency>"), pom.indexOf("</dependency>") + "</dependency>".length());
        assertTrue(stripped(readme).contains(stripped(dependency)), "README.md does not show examples/readme's dependency block");
    }

    @Test
    void theProgramBuildsAgainstTheInstalledJarsAndRuns() throws Exception {
        Path jar = repo.resolve("dev/nvae/nvae-lib/0.1.0-SNAPSHOT/nvae-lib-0.1.0-SNAPSHOT.jar");
        try (ZipFile z = new ZipFile(jar.toFile())) {
            assertNotNull(z.getEntry("META-INF/versions/25/module-info.class"), "the installed jar has no module descriptor");
            assertNotNull(z.getEntry("dev/nvae/api/NvaeModel.class"));
        }
        Path model = work.resolve("model.safetensors");
        Training.on("testdata").limit(300).epochs(1).backend(ComputeBackend.VECTOR).threads(1).run(model);

        Path project = work.resolve("readme");
        copyTree(root.resolve("examples/readme"), project);
        maven(project, "-Dmdep.outputFile=classpath.txt", "package", "dependency:build-classpath");
        List<String> jars = Arrays.asList(Files.readString(project.resolve("classpath.txt")).strip().split(File.pathSeparator));
        assertTrue(jars.stream().allMatch(j -> !j.contains("/dev/nvae/") || j.startsWith(repo.toString())), "nvae jars not from the fresh repository: " + jars);
        Path classes = project.resolve("target/classes");

        // The class path, as a Maven project runs it.
        Path onClassPath = work.resolve("classpath.png");
        String out = java("--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", classes + File.pathSeparator + String.join(File.pathSeparator, jars),
                "example.SampleSandals", model.toString(), onClassPath.toString());
        assertTrue(out.startsWith("16 sandals in " + onClassPath + " ("), out);
        BufferedImage grid = ImageIO.read(onClassPath.toFile());
        assertEquals(2 + 10 * (2 * 28 + 2), grid.getWidth());
        assertEquals(2 + 2 * (2 * 28 + 2), grid.getHeight());

        // The module path: nvae and Jackson as the named modules they are; the carriers of native files stay on
        // the class path (their descriptors name JavaCPP modules nvae does not use). Same request, same image.
        List<String> modules = new ArrayList<>(), rest = new ArrayList<>(List.of(classes.toString()));
        for (String j : jars) (j.contains("/dev/nvae/") || j.contains("/com/fasterxml/") ? modules : rest).add(j);
        Path onModulePath = work.resolve("modulepath.png");
        java("--module-path", String.join(File.pathSeparator, modules), "--add-modules", "dev.nvae",
                "--enable-native-access=dev.nvae.ffm,dev.nvae", "-cp", String.join(File.pathSeparator, rest),
                "example.SampleSandals", model.toString(), onModulePath.toString());
        assertArrayEquals(Files.readAllBytes(onClassPath), Files.readAllBytes(onModulePath));

        // There, the library's insides cannot be reached: code that tries does not compile.
        Path internal = work.resolve("internal/Internal.java");
        Files.createDirectories(internal.getParent());
        Files.writeString(internal, "class Internal { Object f = dev.nvae.model.ModelFile.FORMAT; }\n");
        Result javac = run(work, List.of(tool("javac"), "--module-path", String.join(File.pathSeparator, modules),
                "--add-modules", "dev.nvae", "-d", work.resolve("internal-classes").toString(), internal.toString()));
        assertNotEquals(0, javac.code);
        assertTrue(javac.output.contains("package dev.nvae.model is not visible"), javac.output);
    }

    /** The lines without their indentation. */
    private static String stripped(String text) {
        return String.join("\n", text.lines().map(String::strip).toList());
    }

    private static String java(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(tool("java")));
        cmd.addAll(List.of(args));
        Result r = run(work, cmd);
        assertEquals(0, r.code, r.output);
        return r.output.lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).reduce("", (a, b) -> a + b + "\n");
    }

    /** {@code ./nvae mvn} in {@code dir}, with the fresh repository and the settings that read the outer one. */
    private static void maven(Path dir, String... goals) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(root.resolve("nvae").toString(), "mvn", "-q", "-s", settings.toString(),
                "-Dmaven.repo.local=" + repo, "-f", dir.resolve("pom.xml").toString()));
        cmd.addAll(List.of(goals));
        Result r = run(dir, cmd);
        assertEquals(0, r.code, "mvn " + String.join(" ", goals) + " failed:\n" + r.output);
    }

    private record Result(int code, String output) {
    }

    private static Result run(Path dir, List<String> cmd) throws Exception {
        Path log = Files.createTempFile(work, "run", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        if (!p.waitFor(600, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " did not finish in 600 s: " + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private static String tool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

    /** Releases from the outer build's local repository (as a file:// repository), then Maven Central. */
    private static String settings(Path outer) {
        String repos = """
                <repository><id>outer</id><url>%s</url><snapshots><enabled>false</enabled></snapshots></repository>
                <repository><id>central</id><url>https://repo.maven.apache.org/maven2</url><snapshots><enabled>false</enabled></snapshots></repository>
                """.formatted(outer.toUri());
        return """
                <settings>
                  <profiles><profile><id>nested</id>
                    <repositories>%s</repositories>
                    <pluginRepositories>%s</pluginRepositories>
                  </profile></profiles>
                  <activeProfiles><activeProfile>nested</activeProfile></activeProfiles>
                </settings>
                """.formatted(repos, repos.replace("repository>", "pluginRepository>"));
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.copy(from, to, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
    }

    /** Everything under {@code from} but build output. */
    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            all.filter(p -> !from.relativize(p).startsWith("target")).forEach(p -> {
                try {
                    Path dest = to.resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) Files.createDirectories(dest); else copy(p, dest);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
