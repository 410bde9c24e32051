package dev.nvae.cli;

import dev.nvae.model.LoadedModel;
import dev.nvae.model.ModelFile;
import dev.nvae.train.TrainingRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A model trained with a relative --data records it as given, so the commands that read the data it was trained on
 * (no --data) found it only from the directory train ran in; from any other they refused ("give --data"). The model
 * file now records where the directory was too, as a checkpoint does for --resume, and they find it from anywhere.
 */
class DataDirectoryElsewhereTest {
    @TempDir
    Path dir;

    @Test
    void aModelTrainedOnARelativeDirectoryFindsItsDataFromAnotherWorkingDirectory() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        Path data = Files.createDirectories(work.resolve("data"));
        try (var files = Files.list(committed("testdata/fashion-mnist-subset"))) {
            for (Path f : files.toList()) Files.copy(f, data.resolve(f.getFileName()));
        }
        Path logs = dir.resolve("logs");
        ChildCli.Result trained = ChildCli.start(logs, "cd '" + work + "'", "train", "--data", "data", "--limit", "300", "--epochs", "1",
                "--model", "vae", "--threads", "1", "--no-progress", "--out", "m.safetensors").await();
        assertEquals(0, trained.exitCode(), trained.err());
        Path model = work.resolve("m.safetensors");
        try (LoadedModel m = ModelFile.load(model)) {
            assertEquals("data", m.training().get(TrainingRecord.DATA_KEY), "--data as given, for people to read");
            assertEquals(data.toString(), m.training().get(TrainingRecord.DATA_DIRECTORY_KEY));
        }

        ChildCli.Result home = ChildCli.start(logs, "cd '" + work + "'", "evaluate", "--model", "m.safetensors", "--threads", "1").await();
        assertEquals(0, home.exitCode(), home.err());
        ChildCli.Result elsewhere = ChildCli.start(logs, "cd '" + dir + "'", "evaluate", "--model", model, "--threads", "1").await();
        assertEquals(0, elsewhere.exitCode(), elsewhere.err());
        assertEquals(figures(home.out()), figures(elsewhere.out()), "the same data, the same figures");

        // export keeps where the data was.
        Path exported = dir.resolve("exported.safetensors");
        Cli.Result export = Cli.run("export", "--model", model, "--dtype", "bf16", "--out", exported);
        assertEquals(0, export.exitCode(), export.err());
        try (LoadedModel m = ModelFile.load(exported)) {
            assertEquals(data.toString(), m.training().get(TrainingRecord.DATA_DIRECTORY_KEY));
        }

        // A file written before the directory was recorded is refused from elsewhere as before; and where neither the
        // name nor the recorded directory is a directory, the refusal names both.
        Path older = dir.resolve("older.safetensors"), moved = dir.resolve("moved.safetensors");
        try (LoadedModel m = ModelFile.load(model)) {
            Map<String, Object> training = new LinkedHashMap<>(m.training());
            training.remove(TrainingRecord.DATA_DIRECTORY_KEY);
            ModelFile.save(m.model(), older, m.classNames(), training);
            training.put(TrainingRecord.DATA_DIRECTORY_KEY, dir.resolve("gone").toString());
            ModelFile.save(m.model(), moved, m.classNames(), training);
        }
        ChildCli.Result old = ChildCli.start(logs, "cd '" + dir + "'", "evaluate", "--model", older, "--threads", "1").await();
        assertEquals(1, old.exitCode(), old.err());
        assertTrue(old.err().contains("no --data given, and the data the model was trained on, data, is not a directory from here ("
                + dir.resolve("data") + "; train records --data as it was given): give --data"), old.err());
        ChildCli.Result gone = ChildCli.start(logs, "cd '" + dir + "'", "evaluate", "--model", moved, "--threads", "1").await();
        assertEquals(1, gone.exitCode(), gone.err());
        assertTrue(gone.err().contains("the data the model was trained on, data, is not a directory from here (" + dir.resolve("data")
                + ", nor where it led when the model was trained, " + dir.resolve("gone") + ";"), gone.err());
    }

    /** evaluate's output, less any line naming the data (as given from one directory, as found from the other). */
    private static String figures(String out) {
        StringBuilder b = new StringBuilder();
        out.lines().filter(l -> !l.contains("data")).forEach(l -> b.append(l).append('\n'));
        assertFalse(b.isEmpty(), out);
        return b.toString();
    }

    private static Path committed(String path) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve(path))) return p.resolve(path);
        }
        throw new AssertionError(path + " not found above " + Path.of("").toAbsolutePath());
    }
}
