package dev.nvae.spark;

import dev.nvae.model.LatentModel;
import dev.nvae.model.ModelConfig;
import dev.nvae.model.ModelFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * The run {@code spark/local} records JDK 25's ahead-of-time cache from (the classes Spark, Parquet and the
 * jobs load and link, with their profiles): {@code generate} and {@code encode} once each, in this JVM, on a
 * random model of the reference shape, and {@code generate} once more on the backend {@code auto} picks (oneDNN
 * where it loads), in a temporary directory removed afterwards.
 */
@Command(name = "aot-training", hidden = true, description = "Runs both jobs on a random model (for a start-up cache).")
final class AotTraining implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private final Main main;

    AotTraining(Main main) {
        this.main = main;
    }

    @Override
    public Integer call() throws IOException {
        Path dir = Files.createTempDirectory("nvae-spark-aot");
        try {
            Path model = dir.resolve("model.safetensors");
            try (LatentModel m = LatentModel.create(ModelConfig.mlp(28, 28, 10, 8, 4, 1, 1))) {
                m.initialize(0);
                List<String> classes = new ArrayList<>();
                for (int k = 0; k < 10; k++) classes.add("class " + k);
                ModelFile.save(m, model, classes, Map.of());
            }
            String samples = dir.resolve("samples").toString();
            for (String[] job : List.of(
                    new String[]{"generate", "--model", model.toString(), "--n", "200", "--out", samples},
                    // oneDNN's bindings too, where it loads (auto falls back to vector where it does not)
                    new String[]{"generate", "--model", model.toString(), "--n", "20", "--backend", "auto", "--out",
                            dir.resolve("samples-auto").toString()},
                    new String[]{"encode", "--model", model.toString(), "--input", samples, "--label-col", "label", "--iw", "2",
                            "--out", dir.resolve("scores").toString()})) {
                StringWriter err = new StringWriter();
                int code = main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), job);
                if (code != 0) {
                    spec.commandLine().getErr().print(err);
                    return code;
                }
            }
            return 0;
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
