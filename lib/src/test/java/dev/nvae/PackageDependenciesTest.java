package dev.nvae;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dependencies between the library's packages point one way: a package that uses another is never used
 * by it, directly or through others. Read from the sources (imports and qualified names in code, comments
 * stripped), so a cycle fails here before it tangles the design.
 */
class PackageDependenciesTest {
    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.nvae\\.((?:[a-z][a-z0-9]*\\.)*[a-z][a-z0-9]*)\\.[A-Z]");
    private static final Pattern COMMENTS = Pattern.compile("(?s)/\\*.*?\\*/|//[^\\n]*");

    @Test
    void noPackageDependsOnItselfThroughOthers() {
        Map<String, Set<String>> graph = dependencies();
        assertTrue(graph.containsKey("model") && graph.containsKey("train"), "the scan found the library: " + graph.keySet());
        List<String> cycles = new ArrayList<>();
        for (String from : graph.keySet()) {
            for (String to : graph.get(from)) {
                if (reaches(graph, to, from, new TreeSet<>())) cycles.add(from + " -> " + to);
            }
        }
        assertEquals(List.of(), cycles, "package edges that close a cycle; graph: " + graph);
    }

    @Test
    void theScanSeesACycleWhenThereIsOne() {
        Map<String, Set<String>> graph = new TreeMap<>(Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a")));
        assertTrue(reaches(graph, "b", "a", new TreeSet<>()));
        assertFalse(reaches(Map.of("a", Set.of("b"), "b", Set.of()), "b", "a", new TreeSet<>()));
    }

    @Test
    void layersUnderTheModelKnowNothingOfIt() {
        Map<String, Set<String>> graph = dependencies();
        for (String low : List.of("tensor", "kernels", "backend", "nn", "network", "io", "data", "random")) {
            for (String high : List.of("model", "train", "analysis")) {
                assertFalse(reaches(graph, low, high, new TreeSet<>()), low + " depends on " + high);
            }
        }
    }

    /** package (under dev.nvae) → the packages its code names. */
    private static Map<String, Set<String>> dependencies() {
        Map<String, Set<String>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES.resolve("dev/nvae"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String pkg = SOURCES.resolve("dev/nvae").relativize(f.getParent()).toString().replace('/', '.');
                if (pkg.isEmpty()) continue; // the root package holds only the library's exception
                Set<String> uses = graph.computeIfAbsent(pkg, k -> new TreeSet<>());
                Matcher m = REFERENCE.matcher(COMMENTS.matcher(Files.readString(f)).replaceAll(""));
                while (m.find()) if (!m.group(1).equals(pkg) && !m.group(1).startsWith("ffm")) uses.add(m.group(1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return graph;
    }

    private static boolean reaches(Map<String, Set<String>> graph, String from, String target, Set<String> seen) {
        for (String next : graph.getOrDefault(from, Set.of())) {
            if (next.equals(target)) return true;
            if (seen.add(next) && reaches(graph, next, target, seen)) return true;
        }
        return false;
    }
}
