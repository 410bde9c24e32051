package dev.nvae.cli;

import dev.nvae.NvaeException;
import dev.nvae.analysis.SampleJudge;
import dev.nvae.backend.Backend;
import dev.nvae.data.Dataset;
import dev.nvae.ffm.NativeLibraries;
import dev.nvae.io.FormatException;
import dev.nvae.io.IoErrors;
import dev.nvae.train.EpochSummary;
import dev.nvae.train.TrainingListener;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;

/**
 * {@code --judge} and {@code --judge-epochs}: where the sample-quality CNN of a data set comes from. It is
 * trained once per data set and kept: at {@code --judge PATH} when given (read if it exists, else trained
 * and written there), otherwise in the user's nvae cache directory ({@code $NVAE_CACHE_DIR}, else
 * {@code $XDG_CACHE_HOME/nvae}, else {@code ~/.cache/nvae}) under the training split's fingerprint — not
 * beside the data, whose directory (a system package's, such as /usr/share/datasets) is usually not ours
 * to write.
 */
final class JudgeOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--judge", paramLabel = "FILE",
            description = "The sample judge, a .safetensors file (a CNN trained on the real training split): read from "
                    + "FILE if it exists, else trained and written to it. Default: cached per data set under ~/.cache/nvae (or $NVAE_CACHE_DIR).")
    Path judge;

    @Option(names = "--judge-epochs", paramLabel = "N", defaultValue = "" + SampleJudge.DEFAULT_EPOCHS,
            description = "Epochs a new judge is trained for. Default: ${DEFAULT-VALUE}.")
    int epochs;

    /** Whether {@link #check} has read the --judge file already (report checks twice: before and after reading the data). */
    private boolean judgeRead;

    /** A --judge NAME/ names a directory, and a judge is one file (read, or written there). */
    void requireFileName() {
        OutputPaths.requireFileName(spec, "--judge", "a judge is one safetensors file");
    }

    /**
     * Checks what can be checked before any work: the epochs, and that a judge to be written can be — a
     * regular file that is none of the command's {@code inputs} — and, without --judge, that the cache
     * directory exists or can be made; a --judge file that exists is read, so that one that is no judge is refused
     * before any work. A cache directory that cannot be made (a box's read-only or absent home) holds no judge
     * to read and takes none to keep, and report found that out after evaluating the model.
     */
    void check(OutputPaths.Inputs inputs) {
        requireFileName();
        if (epochs < 1) throw new NvaeException("--judge-epochs " + epochs + " must be at least 1");
        if (judge != null && !Files.exists(judge)) OutputFormats.require(judge, "--judge", OutputFormats.SAFETENSORS, "training a judge");
        if (judge != null && !Files.exists(judge)) OutputPaths.file(judge, "--judge", inputs, null, "a judge is a safetensors file");
        // A --judge that exists is read now: a file that is no judge (a dataset's NPY) was refused after the model's evaluation.
        if (judge != null && Files.exists(judge) && !judgeRead) {
            try (SampleJudge ignored = SampleJudge.load(judge)) {
                judgeRead = true;
            }
        }
        if (judge == null) createCache(cacheDirectory());
    }

    /** Whether --judge-epochs was on the command line (picocli's parse result of the command that mixes this in). */
    private boolean epochsGiven() {
        return spec != null && spec.commandLine() != null && spec.commandLine().getParseResult() != null
                && spec.commandLine().getParseResult().hasMatchedOption("--judge-epochs");
    }

    private static void createCache(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new NvaeException("judge cache " + dir + ": cannot create: " + IoErrors.reason(e) + "; give --judge FILE", e);
        }
    }

    /** The judge for {@code train}: read, or trained (minutes on a full data set) and kept. */
    SampleJudge obtain(Backend be, Dataset train, Dataset test, PrintWriter err) {
        Path file = judge != null ? judge : cacheDirectory().resolve("judge-" + HexFormat.of().toHexDigits(train.fingerprint())
                + "-" + epochs + "ep.safetensors");
        SampleJudge j = !Files.exists(file) ? null : judge != null ? SampleJudge.load(file) : readCached(file, err);
        if (j != null) {
            try {
                j.requireTrainedOn(train, file);
            } catch (RuntimeException e) {
                j.close();
                throw e;
            }
            err.printf(Locale.ROOT, "judge %s: test accuracy %.4f%n", file, j.info().testAccuracy());
            // --judge-epochs trains a new judge only: one given beside a --judge that exists would pass unremarked.
            if (judge != null && epochsGiven() && j.info().epochs() != epochs) {
                err.printf(Locale.ROOT, "note: --judge-epochs %d not used: %s exists, trained for %d %s; give a new --judge file to train one for %d%n",
                        epochs, file, j.info().epochs(), j.info().epochs() == 1 ? "epoch" : "epochs", epochs);
            }
            err.flush();
            return j;
        }
        if (judge == null) createCache(file.getParent());
        err.printf(Locale.ROOT, "training the sample judge (a CNN) on %d real images of %s, %d %s, once for this data set%n",
                train.count(), train.name(), epochs, epochs == 1 ? "epoch" : "epochs");
        err.flush();
        j = SampleJudge.train(be, train, test, epochs, 0, new TrainingListener() {
            @Override
            public void onEpoch(EpochSummary s) {
                err.printf(Locale.ROOT, "  judge epoch %d/%d: loss %.4f, training accuracy %.4f, %.0f examples/s%n",
                        s.epoch(), s.epochs(), s.loss(), s.accuracy(), s.examplesPerSecond());
                err.flush();
            }
        });
        try {
            j.save(file);
        } catch (RuntimeException e) {
            j.close();
            throw e;
        }
        err.printf(Locale.ROOT, "judge saved to %s: test accuracy %.4f%n", file, j.info().testAccuracy());
        err.flush();
        return j;
    }

    /**
     * A judge from our own cache, or null (with a warning) if the file there is not one we can read: it is
     * trained again and replaces it. A damaged entry (a disk error, a build that wrote what this one refuses)
     * was refused on every run until the user found the cache and deleted it. A --judge file is the user's:
     * refused, never replaced.
     */
    static SampleJudge readCached(Path file, PrintWriter err) {
        try {
            return SampleJudge.load(file);
        } catch (FormatException e) {
            err.printf("warning: the cached judge %s cannot be read (%s): training it again%n", file, e.reason());
            err.flush();
            return null;
        }
    }

    /**
     * The user's nvae cache folder: the variable that moves where oneDNN's libraries are unpacked moves the judges
     * too. Not {@code -Dnvae.cache.dir}: the edge-box launcher points that at its own read-only lib/ folder.
     */
    static Path cacheDirectory() {
        String own = System.getenv(NativeLibraries.CACHE_DIR_ENV);
        if (own != null && !own.isBlank()) return Path.of(own);
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) return Path.of(xdg, "nvae");
        return Path.of(System.getProperty("user.home"), ".cache", "nvae");
    }
}
