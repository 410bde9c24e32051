package dev.nvae.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvae.data.DataSources;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A model run on data whose classes are not all of its own (--data of the commands that read a split). */
class DataClassesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;
    /** An N-VAE of the 10 Fashion-MNIST classes; 3-class synthetic shapes (triangle, ellipse, square). */
    static Path fashion, shapes;

    @TempDir
    Path dir;

    @BeforeAll
    static void fixtures() {
        fashion = Cli.smallModel();
        shapes = shared.resolve("shapes");
        Cli.Result s = Cli.run("synth", "--out", shapes, "--train", 30, "--test", 12);
        assertEquals(0, s.exitCode(), s.err());
    }

    /** The shapes' test split as IDX files with classes.txt replaced (null: none, so the classes are "0", "1", "2"). */
    private Path shapesNamed(String classes) throws IOException {
        Path copy = Files.createDirectories(dir.resolve("named"));
        for (String f : List.of("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")) Files.copy(shapes.resolve(f), copy.resolve(f));
        if (classes != null) Files.writeString(copy.resolve("classes.txt"), classes);
        return copy;
    }

    /**
     * factors names its rows by the model's classes: data with fewer classes, unnamed (IDX without classes.txt,
     * so "0", "1", "2", which the model accepts), crashed it ("Index 3 out of bounds for length 3").
     */
    @Test
    void factorsNamesItsRowsByTheModelsClasses() throws IOException {
        Path numbered = shapesNamed(null);
        Cli.Result table = Cli.run("factors", "--model", fashion, "--data", numbered, "--threads", "1");
        assertEquals(0, table.exitCode(), table.err());
        List<String> rows = table.out().lines().skip(3).map(l -> l.split(" {2,}")[0].strip()).toList();
        assertEquals(DataSources.FASHION_MNIST_CLASSES, rows, table.out());
        Cli.Result json = Cli.run("factors", "--model", fashion, "--data", numbered, "--threads", "1", "--json");
        assertEquals(0, json.exitCode(), json.err());
        List<String> classes = new ArrayList<>();
        for (JsonNode c : JSON.readTree(json.out()).get("classes")) classes.add(c.get("class").asText());
        assertEquals(DataSources.FASHION_MNIST_CLASSES, classes);
    }
}
