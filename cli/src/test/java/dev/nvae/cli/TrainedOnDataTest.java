package dev.nvae.cli;

import dev.nvae.model.LoadedModel;
import dev.nvae.model.ModelFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Without --data a command reads the data the model was trained on, which train records as --data was given. A
 * relative directory is found only from the directory train ran in: run from another, every command refused with
 * "--data DIR: ... is not a directory", naming a flag the user never gave. Now the line says where the name came
 * from and to give --data; a command that reads no data (traverse from the prior mean) still runs.
 */
class TrainedOnDataTest {
    @TempDir
    static Path shared;
    /** The small model, its training summary naming a relative directory that is not there from here. */
    static Path model;

    @TempDir
    Path dir;

    private static final String ELSEWHERE = "shapes-of-another-directory";

    @BeforeAll
    static void modelTrainedElsewhere() {
        model = shared.resolve("elsewhere.safetensors");
        try (LoadedModel m = ModelFile.load(Cli.smallModel())) {
            Map<String, Object> training = new LinkedHashMap<>(m.training());
            training.put(TrainingRun.DATA_KEY, ELSEWHERE);
            ModelFile.save(m.model(), model, m.classNames(), training);
        }
    }

    @Test
    void commandsThatReadTheDataSayItIsNotFoundAndToGiveData() throws IOException {
        Path out = Files.createDirectories(dir.resolve("out"));
        String why = "no --data given, and the data the model was trained on, " + ELSEWHERE + ", is not a directory from here";
        List<List<Object>> commands = List.of(
                List.of("evaluate", "--model", model),
                List.of("reconstruct", "--model", model, "--n", 2, "--out", out.resolve("r.png")),
                List.of("factors", "--model", model),
                List.of("quality", "--model", model, "--n", 2, "--judge", out.resolve("judge.safetensors")),
                List.of("augment", "--model", model, "--epochs", 1),
                List.of("report", "--model", model, "--n", 2, "--judge", dir.resolve("judge.safetensors"), "--out", out.resolve("report")));
        for (List<Object> args : commands) {
            Cli.assertRefused(Cli.run(args.toArray()), out, why, "give --data");
        }
        Cli.Result prior = Cli.run("traverse", "--model", model, "--shared-dim", 0, "--out", dir.resolve("t.png"));
        assertEquals(0, prior.exitCode(), "a traversal from the prior mean reads no data: " + prior.err());
    }
}
