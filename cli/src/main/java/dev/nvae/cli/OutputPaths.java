package dev.nvae.cli;

import dev.nvae.NvaeException;
import dev.nvae.data.DataSources;
import dev.nvae.io.ByteSizes;
import dev.nvae.io.DirectoryProbe;
import dev.nvae.io.IoErrors;
import dev.nvae.io.OutputTarget;
import dev.nvae.io.Staging;
import dev.nvae.train.CheckpointStore;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Every command's outputs are checked here before any work starts, so a typo in {@code --out} costs a
 * second, not a training run, and so that no output can destroy what the command reads. Where a path
 * leads is decided by {@link OutputTarget} (standard output, a device or FIFO streamed to, a symbolic link
 * followed, a regular file replaced atomically); on top of that:
 * <ul>
 *   <li>an output is never one of the command's inputs — the model, a file of the dataset, a checkpoint —
 *       compared as the files they are (links and other names for the same file included);</li>
 *   <li>{@code -} is refused where standard output already carries the command's results, and a device or
 *       FIFO where the output is more than one file;</li>
 *   <li>the directory must take new files (tried, not just read from permission bits);</li>
 *   <li>what an interrupted run left there (abandoned {@link Staging} directories) is removed.</li>
 * </ul>
 * The final write still goes through AtomicOutput, which catches what these checks cannot foresee (a
 * full disk, a directory removed meanwhile).
 */
final class OutputPaths {
    private OutputPaths() {
    }

    /** What a command reads: none of its outputs may be, or change, one of these. */
    static final class Inputs {
        private final List<Path> files = new ArrayList<>();
        private final List<String> fileFlags = new ArrayList<>();
        private String dataSpec;
        private String dataFlag;
        private Path checkpoints;
        private String checkpointFlag;

        /** A file read as a whole: a model. */
        Inputs file(String flag, Path file) {
            if (file != null) {
                files.add(file);
                fileFlags.add(flag);
            }
            return this;
        }

        /** The dataset {@code spec} names (fashion-mnist, testdata or a directory). */
        Inputs data(String flag, String spec) {
            dataFlag = flag;
            dataSpec = spec;
            return this;
        }

        /** A checkpoint directory: the names its store manages there are off limits. */
        Inputs checkpoints(String flag, Path dir) {
            checkpointFlag = flag;
            checkpoints = dir;
            return this;
        }

        void check(String flag, Path given, Path file) {
            for (int i = 0; i < files.size(); i++) {
                if (sameFile(file, files.get(i))) {
                    throw new NvaeException(flag + " " + given + " is the " + fileFlags.get(i) + " file " + files.get(i)
                            + "; writing it would destroy the input: give another name");
                }
            }
            if (dataSpec != null && DataSources.wouldChange(dataSpec, file)) {
                throw new NvaeException(flag + " " + given + " is part of the dataset " + dataSpec + " (" + dataFlag
                        + "); writing it would change the input: give a name outside it");
            }
            if (checkpoints != null && CheckpointStore.isManaged(checkpoints, file)) {
                throw new NvaeException(flag + " " + given + " is a name the checkpoint directory " + checkpointFlag + " "
                        + checkpoints + " manages; it would be overwritten or pruned: give a name outside it");
            }
        }

        private static boolean sameFile(Path a, Path b) {
            try {
                return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
            } catch (IOException e) {
                return false;
            }
        }
    }

    static Inputs inputs() {
        return new Inputs();
    }

    /**
     * A file written beside the one {@code --out} names (a traversal's NPY beside its PNG, samples' labels beside
     * them) replaces one of that name only as the pair of an earlier output: {@code named} exists too and
     * {@code isPair} finds the two belong together (an NPY of the shape that output writes). Else it is not ours —
     * the user's own g.npy beside the g.png asked for, or one beside a g.png another command wrote — and is refused.
     *
     * @param what the companion, for the message ("the traversal's NPY")
     */
    static void requireCompanionFree(Path named, Path companion, String flag, String what, java.util.function.BooleanSupplier isPair) {
        if (!Files.exists(companion, LinkOption.NOFOLLOW_LINKS)) return;
        if (Files.exists(named, LinkOption.NOFOLLOW_LINKS) && isPair.getAsBoolean()) return;
        throw new NvaeException(flag + " " + named + ": " + what + " would be written to " + companion + ", which exists and is not the "
                + "pair of an earlier " + named.getFileName() + "; move it or give another name");
    }

    /**
     * The rows of {@code file} if it is an NPY of {@code dtype} whose other dimensions are {@code trailing} (−1: any
     * length there); −1 for anything else, a file no NPY reader takes included.
     */
    static long npyRows(Path file, String dtype, long... trailing) {
        try {
            long[] got = dev.nvae.io.Npy.shape(file, new dev.nvae.io.Npy.Dtypes("an output", dtype, dtype));
            if (got.length != 1 + trailing.length) return -1;
            for (int i = 0; i < trailing.length; i++) if (trailing[i] >= 0 && got[i + 1] != trailing[i]) return -1;
            return got[0];
        } catch (RuntimeException notOne) {
            return -1;
        }
    }

    /**
     * A single output file.
     *
     * @param stdoutTaken  what standard output already carries (so {@code -} is refused), or null if {@code -} may be used
     * @param needsRegular why only a regular file will do (the output is more than one file), or null if a
     *                     device or FIFO may be streamed to
     */
    static OutputTarget file(Path out, String flag, Inputs inputs, String stdoutTaken, String needsRegular) {
        if (OutputTarget.isStandardOutput(out)) {
            if (needsRegular != null) throw new NvaeException(flag + " -: " + needsRegular + "; give a file name");
            if (stdoutTaken != null) {
                throw new NvaeException(flag + " -: standard output already carries " + stdoutTaken + "; give a file name");
            }
            checkStream(STANDARD_OUTPUT, flag, out, inputs);
            return OutputTarget.of(out);
        }
        OutputTarget target;
        try {
            target = OutputTarget.of(out);
        } catch (NvaeException e) {
            throw new NvaeException(flag + " " + e.getMessage(), e);
        }
        if (target instanceof OutputTarget.RegularFile f) {
            requireWritableDirectoryOf(f.directory(), out, flag);
            inputs.check(flag, out, f.file());
            Staging.cleanUp(f.directory());
            Interruption.expect(out);
        } else if (needsRegular != null) {
            throw new NvaeException(flag + " " + out + " is not a regular file (a device or pipe): " + needsRegular);
        } else {
            checkStream(out, flag, out, inputs);
        }
        return target;
    }

    /**
     * A single output file's name as it was typed: one that ends in '/' names a directory, as cp and the shell take it, but
     * a Path drops the '/' ("new/" is "new"), so the file would be written as "new", or replace a file of that name.
     */
    static void requireFileName(CommandLine.Model.CommandSpec spec, String flag, String what) {
        String typed = typed(spec, flag);
        if (namesDirectory(typed)) {
            throw new NvaeException(flag + " " + typed + ": ends in '/', which names a directory; " + what + ": give its name");
        }
    }

    /** Whether a path as typed ends in '/', which names a directory (a Path has dropped it). */
    static boolean namesDirectory(String typed) {
        return typed != null && typed.length() > 1 && typed.endsWith("/");
    }

    /** {@code flag}'s value as the user typed it (the last, if given more than once), or null if not given. */
    static String typed(CommandLine.Model.CommandSpec spec, String flag) {
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        CommandLine.Model.OptionSpec option = parsed == null ? null : parsed.matchedOption(flag);
        return option == null || option.originalStringValues().isEmpty() ? null : option.originalStringValues().getLast();
    }

    /** Where this process's standard output leads (Linux). */
    private static final Path STANDARD_OUTPUT = Path.of("/proc/self/fd/1");

    /**
     * A stream that leads to a regular file ({@code --out - >> M}, {@code --out /dev/stdout >> M}) is checked as that
     * file: appending the output to the model or data the command reads would destroy it. A pipe, terminal or device
     * leads to no file.
     */
    private static void checkStream(Path stream, String flag, Path given, Inputs inputs) {
        Path file;
        try {
            file = stream.toRealPath();
        } catch (IOException | SecurityException noFile) {
            return;
        }
        if (Files.isRegularFile(file)) inputs.check(flag, given, file);
    }

    /** A file we will create or replace, read by nothing the command reads; standard output and devices are fine. */
    static void requireWritableFile(Path file, String flag) {
        file(file, flag, inputs(), null, null);
    }

    /** A directory we will create (its parent must exist) or write into; what an interrupted run left there is removed. */
    static void requireWritableDirectory(Path dir, String flag) {
        requireDirectory(dir, flag);
        if (Files.isDirectory(dir)) Staging.cleanUp(dir);
        Interruption.expect(dir);
    }

    /**
     * A directory we will create (its parent must exist) or write into, checked without changing what is in
     * it: a file, a missing parent or one that takes no new files is refused with the reason.
     */
    static void requireDirectory(Path dir, String flag) {
        if (OutputTarget.isStandardOutput(dir)) throw new NvaeException(flag + " -: this output is a directory; give its name");
        if (Files.isDirectory(dir)) {
            if (!Files.isWritable(dir)) throw unwritable(flag, dir, "directory is not writable");
            probe(dir, dir, flag);
            return;
        }
        if (Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new NvaeException(flag + " " + dir + (Files.isRegularFile(dir) ? ": is a file, not a directory"
                    : Files.isSymbolicLink(dir) && !Files.exists(dir) ? ": is a link to nothing, not a directory" : ": is not a directory"));
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent == null) throw unwritable(flag, dir, "has no parent directory");
        requireWritableDirectoryOf(parent, dir, flag);
    }

    /**
     * A directory a dataset will be written to: new, or holding no dataset yet. Writing a dataset beside
     * another would mix the two (raw IDX files beside .gz ones, which the reader refuses to choose between).
     */
    static void requireDatasetDirectory(Path dir, String flag, List<Path> written) {
        requireWritableDirectory(dir, flag);
        Path existing = Files.isDirectory(dir) ? DataSources.datasetIn(dir) : null;
        // A classes.txt without data is no dataset: it is named below, as a file the dataset would replace.
        if (existing != null && !(existing.getFileName().toString().equals("classes.txt") && written.contains(existing))) {
            throw new NvaeException(flag + " " + dir + " already holds a dataset (" + existing.getFileName()
                    + "); give a directory without one (other files may be there)");
        }
        // Nor a file of the same name as one the dataset brings (a classes.txt of the user's own).
        for (Path file : written) {
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new NvaeException(flag + " " + dir + " already holds " + file.getFileName()
                        + ", which the dataset would replace; move it away or give another directory");
            }
        }
    }

    /**
     * A directory a set of files will be written to that must hold nothing else: new, or empty. Files written
     * beside someone else's would mix with them (samples added to an image folder's class directory) and
     * replace those of the same name. {@code why} ends the refusal: what takes only such a directory.
     */
    static void requireEmptyDirectory(Path dir, String flag, String why) {
        requireWritableDirectory(dir, flag);
        List<String> held = Files.isDirectory(dir) ? entries(dir, flag) : List.of();
        if (!held.isEmpty()) throw new NvaeException(flag + " " + dir + " is not empty (it holds " + some(held) + "); " + why);
    }

    /**
     * The names in {@code dir}, sorted; a staging directory still in use by another run among them (one
     * abandoned by a killed run has been removed by {@link #requireWritableDirectory}).
     */
    static List<String> entries(Path dir, String flag) {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new NvaeException(flag + " " + dir + ": cannot read the directory: " + IoErrors.reason(e), e);
        }
    }

    /** A few of {@code names} for a one-line message: "a", "a and b", "a, b, c and 7 more" (control characters as ?). */
    static String some(List<String> all) {
        List<String> names = all.stream().map(n -> n.replaceAll("\\p{Cntrl}", "?")).toList();
        if (names.size() <= 3) {
            return names.size() == 1 ? names.getFirst()
                    : String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.getLast();
        }
        return String.join(", ", names.subList(0, 3)) + " and " + (names.size() - 3) + " more";
    }

    /**
     * Refuses an output of {@code bytes} that the file system of {@code out} (a file, or a directory
     * written into) has no room for: {@code what} + "9.4 TB, but DIR has 51.2 GB free". A stream has no
     * such limit to check.
     */
    static void requireSpace(Path out, long bytes, String what) {
        if (OutputTarget.isStandardOutput(out)) return;
        Path dir = Files.isDirectory(out) ? out : out.toAbsolutePath().getParent();
        if (!Files.isDirectory(out) && !(OutputTarget.of(out) instanceof OutputTarget.RegularFile)) return;
        long free;
        try {
            free = Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            return; // the write will say what is wrong with it
        }
        if (bytes > free) throw new NvaeException(what + size(bytes) + ", but " + dir + " has " + size(free) + " free");
    }

    /** Bytes as people read disk sizes: 9.4 TB, 51.2 GB, 512 kB. */
    static String size(long bytes) {
        return ByteSizes.text(bytes);
    }

    private static void requireWritableDirectoryOf(Path parent, Path path, String flag) {
        if (!Files.exists(parent)) throw unwritable(flag, path, "directory " + parent + " does not exist");
        if (!Files.isDirectory(parent)) {
            throw unwritable(flag, path, parent + (Files.isRegularFile(parent) ? " is a file, not a directory" : " is not a directory"));
        }
        if (!Files.isWritable(parent)) throw unwritable(flag, path, "directory " + parent + " is not writable");
        probe(parent, path, flag);
    }

    /** A directory that takes no new file (DirectoryProbe: a read-only mount, /proc or a full quota pass the permission bits). */
    private static void probe(Path dir, Path path, String flag) {
        String refusal = DirectoryProbe.refusal(dir);
        if (refusal != null) throw unwritable(flag, path, refusal);
    }

    private static NvaeException unwritable(String flag, Path path, String reason) {
        return new NvaeException(flag + " " + path + ": cannot write: " + reason);
    }
}
