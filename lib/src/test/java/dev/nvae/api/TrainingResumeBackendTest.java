package dev.nvae.api;

import dev.nvae.io.NamedArray;
import dev.nvae.io.SafeTensors;
import dev.nvae.io.SafeTensorsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Training.resume goes on on the backend its checkpoint records unless backend() names another, as nvae train
 * --resume does without --backend, and warns (on the dev.nvae logger) when the run goes on on another, named or
 * because the recorded one does not open here. It went on on auto's backend, whatever the run had computed on,
 * and said nothing: another backend sums in another order, so the weights were not those of an uninterrupted run.
 */
class TrainingResumeBackendTest {
    @TempDir
    Path dir;

    private static Training small() {
        return Training.on("testdata").limit(300).batchSize(64).backend(ComputeBackend.VECTOR).threads(2).seed(3);
    }

    @Test
    void aResumedRunGoesOnOnItsRecordedBackendAndWarnsWhenItCannot() throws IOException {
        List<String> warnings = ApiWarnings.listen();
        Path whole = dir.resolve("whole.safetensors");
        small().epochs(2).run(whole);
        Path ck = dir.resolve("ck");
        small().epochs(1).checkpoints(ck, 0, 3).run(dir.resolve("first.safetensors"));
        Path gone = copy(ck, dir.resolve("gone"), "nosuch"), named = copy(ck, dir.resolve("named"), "nosuch");
        Path onednn = copy(ck, dir.resolve("onednn"), null);
        Path goneNewest = newest(gone), namedNewest = newest(named), onednnNewest = newest(onednn);

        // Not told a backend: the run's own (vector, where auto may be onednn), to the uninterrupted run's file.
        warnings.clear();
        Path resumed = dir.resolve("resumed.safetensors");
        Training.resume(ck).epochs(2).threads(1).run(resumed);
        assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(resumed));
        assertTrue(warnings.stream().noneMatch(w -> w.contains("computed on backend")), warnings.toString());

        // A recorded backend that does not open here: auto's, with the reason.
        warnings.clear();
        Training.resume(gone).epochs(2).threads(1).run(dir.resolve("gone.safetensors"));
        assertTrue(warnings.stream().anyMatch(w -> w.startsWith("the run computed on backend nosuch up to " + goneNewest + " and goes on on ")
                && w.contains(", as nosuch does not open here (") && w.endsWith(": its weights will not be, bit for bit, those of an "
                + "uninterrupted run (only nosuch keeps them)")), warnings.toString());

        // Another backend named: that one, with the warning.
        warnings.clear();
        Training.resume(named).epochs(2).threads(1).backend(ComputeBackend.VECTOR).run(dir.resolve("named.safetensors"));
        assertEquals(List.of("the run computed on backend nosuch up to " + namedNewest + " and goes on on vector: its weights will not be, "
                + "bit for bit, those of an uninterrupted run (only nosuch keeps them)"), warnings);

        // A run that had finished (ck's, resumed above to its 2 epochs): nothing is computed, so the run's own backend whatever is named, no warning, and the
        // run's own model file (it warned, and recorded the named backend).
        Path finished = copy(dir.resolve("ck"), dir.resolve("finished"), null);
        Training.resume(finished).epochs(2).threads(1).run(dir.resolve("finished-own.safetensors"));
        warnings.clear();
        Training.resume(finished).epochs(2).threads(1).backend(ComputeBackend.ONEDNN).run(dir.resolve("finished-named.safetensors"));
        assertEquals(List.of(), warnings);
        assertArrayEquals(Files.readAllBytes(dir.resolve("finished-own.safetensors")), Files.readAllBytes(dir.resolve("finished-named.safetensors")));
        // ... and one whose backend does not open here is said to be recorded under another.
        warnings.clear();
        Training.resume(copy(ck, dir.resolve("gone-finished"), "nosuch")).epochs(2).threads(1).run(dir.resolve("gone-finished.safetensors"));
        assertTrue(warnings.size() == 1 && warnings.getFirst().startsWith("the run finished on backend nosuch at ")
                && warnings.getFirst().contains("nothing more is trained, and the model records "), warnings.toString());

        assumeTrue(dev.nvae.ffm.DnnlLibrary.load().available(), "oneDNN does not load here");
        warnings.clear();
        Training.resume(onednn).epochs(2).threads(1).backend(ComputeBackend.ONEDNN).run(dir.resolve("onednn.safetensors"));
        assertTrue(warnings.contains("the run computed on backend vector up to " + onednnNewest + " and goes on on onednn: its weights will "
                + "not be, bit for bit, those of an uninterrupted run (backend(ComputeBackend.VECTOR) keeps them)"), warnings.toString());
    }

    /**
     * On oneDNN, whose sums can depend on the thread count (its convolutions on AVX-512 do), a resumed run without
     * threads() goes on with the run's own, to the uninterrupted run's file; other threads are warned of. It went on
     * with every processor, to other weights, silently.
     */
    @Test
    void aRunResumedOnOneDnnGoesOnWithItsThreadsUnlessToldOthers() throws IOException {
        assumeTrue(dev.nvae.ffm.DnnlLibrary.load().available(), "oneDNN does not load here");
        assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "one processor: every run computes with one thread");
        List<String> warnings = ApiWarnings.listen();
        java.util.function.Supplier<Training> conv = () -> Training.on("testdata").limit(128).batchSize(32).architecture("conv")
                .backend(ComputeBackend.ONEDNN).threads(1).seed(3);
        Path whole = dir.resolve("whole.safetensors");
        conv.get().epochs(2).run(whole);
        Path ck = dir.resolve("ck");
        conv.get().epochs(1).checkpoints(ck, 0, 3).run(dir.resolve("first.safetensors"));
        Path other = copy(ck, dir.resolve("other"), null);
        Path otherNewest = newest(other);

        warnings.clear();
        Path resumed = dir.resolve("resumed.safetensors");
        Training.resume(ck).epochs(2).run(resumed);
        assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(resumed));
        assertTrue(warnings.isEmpty(), warnings.toString());

        warnings.clear();
        Training.resume(other).epochs(2).threads(2).run(dir.resolve("other.safetensors"));
        assertEquals(List.of("the run computed with 1 thread on onednn up to " + otherNewest + " and goes on with 2: its weights may not "
                + "be, bit for bit, those of an uninterrupted run (oneDNN's sums can depend on the thread count; threads(1) keeps them)"),
                warnings);
    }

    /** A copy of the checkpoints in {@code from}, the newest recording {@code backend} (null: as it was). */
    private static Path copy(Path from, Path to, String backend) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith("checkpoint-")).toList()) Files.copy(p, to.resolve(p.getFileName()));
        }
        if (backend == null) return to;
        Path last = newest(to);
        SafeTensorsFile f = SafeTensors.read(last);
        Map<String, String> meta = new LinkedHashMap<>(f.metadata());
        meta.put("nvae.backend", backend);
        meta.remove("nvae.header_crc32c");
        List<NamedArray> arrays = new ArrayList<>();
        for (String name : f.names()) arrays.add(new NamedArray(name, f.shape(name), MemorySegment.ofArray(f.floats(name))));
        SafeTensors.writeArrays(last, arrays, meta);
        return to;
    }

    private static Path newest(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.filter(p -> p.getFileName().toString().startsWith("checkpoint-")).sorted().toList().getLast();
        }
    }
}
