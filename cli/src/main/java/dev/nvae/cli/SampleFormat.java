package dev.nvae.cli;

import dev.nvae.NvaeException;
import dev.nvae.io.AtomicOutput;
import dev.nvae.io.IdxWriter;
import dev.nvae.io.ImageGrid;
import dev.nvae.io.Npy;
import dev.nvae.io.NpyArray;
import dev.nvae.io.OutputTarget;
import dev.nvae.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * How {@code sample --format} writes its output; multi-file formats are staged and committed together.
 * Each format also says, before anything is drawn, how many samples it can take and whether its output
 * fits where it goes ({@link #check}), so that a count it cannot hold fails in a second, naming --n.
 */
enum SampleFormat {
    /**
     * A directory of single PNGs, sample-00001-&lt;class&gt;.png, ..., written as the batches are decoded; a new or
     * empty one, so that they never mix with other files (an image folder's) or replace them.
     */
    PNG {
        @Override
        void check(Samples s, String n, Path out) {
            if (s.count() > MAX_PNG_FILES) {
                throw new NvaeException(n + ": " + s.count() + " samples would be as many PNG files; --format png writes at most "
                        + MAX_PNG_FILES + " (use --format npy or idx for more)");
            }
        }

        @Override
        void write(Samples s, Path dir) {
            try (StagedOutput staged = new StagedOutput()) {
                staged.directory(dir, "--out");
                List<String> safe = s.classNames() == null ? null : s.classNames().stream().map(SampleFormat::fileSafe).toList();
                s.inBatches((from, count, means) -> {
                    for (int i = 0; i < count; i++) {
                        long index = from + i;
                        String name = safe == null ? String.format(Locale.ROOT, "sample-%05d.png", index + 1)
                                : String.format(Locale.ROOT, "sample-%05d-%s.png", index + 1, safe.get(s.label(index)));
                        float[] image = row(means, i, s.dim());
                        staged.write(dir.resolve(name), p -> ImageGrid.writeImage(p, image, s.channels(), s.height(), s.width(), 1));
                    }
                });
                staged.commit();
            }
        }
    },
    /** One PNG grid, rows labelled with class names. */
    GRID {
        @Override
        void check(Samples s, String n, Path out) {
            Grids.requireFits(n, Grids.rowsFor(s.count(), s.columns()), s.columns(), s.height(), s.width());
        }

        @Override
        void write(Samples s, Path file) {
            Grids.samples(file, s.all(), s.allLabels(), s.classNames(), s.channels(), s.height(), s.width(), s.columns());
        }
    },
    /**
     * X.npy (count × D float32) and X-labels.npy (count int64), as np.load reads them; DIR/S-images.npy gets
     * DIR/S-labels.npy, the NPY dataset layout. Unlabelled samples: X.npy alone.
     */
    NPY {
        @Override
        void check(Samples s, String n, Path out) {
            boolean file = OutputTarget.of(out) instanceof OutputTarget.RegularFile;
            if (s.labelled() && !file) {
                throw new NvaeException("--out " + out + " is not a regular file, but labelled samples are two files "
                        + "(images and labels); give a file name");
            }
            // Labels left there by another run would pair with these images as if they were theirs (a dataset, once read).
            Path labels = labelsFile(out);
            if (!s.labelled() && file && Files.exists(labels, LinkOption.NOFOLLOW_LINKS)) {
                throw new NvaeException("--out " + out + ": " + labels + " is beside it and a " + s.model().config().model()
                        + "'s samples have no labels, so it would be read as theirs; remove it or give another name");
            }
            if (s.labelled()) {
                // An earlier run's pair: int64 labels, one per row of the float32 samples beside them.
                OutputPaths.requireCompanionFree(out, labels, "--out", "the samples' labels", () -> {
                    long rows = OutputPaths.npyRows(out, NpyArray.F32, -1);
                    return rows >= 0 && OutputPaths.npyRows(labels, NpyArray.I64) == rows;
                });
                Interruption.expect(labels); // an output too: a signal names it with the images
            }
            long bytes = Npy.fileSize(s.count(), s.dim(), Float.BYTES) + (s.labelled() ? Npy.fileSize(s.count(), 0, Long.BYTES) : 0);
            OutputPaths.requireSpace(out, bytes, n + ": " + s.count() + " samples need ");
        }

        @Override
        void write(Samples s, Path file) {
            try (StagedOutput staged = new StagedOutput()) {
                staged.write(file, p -> Npy.writeF32(p, s.count(), s.dim(), rows -> s.inBatches((from, count, means) -> rows.append(means, count))));
                if (s.labelled()) staged.write(labelsFile(file), p -> Npy.writeI64(p, s.count(), s::label));
                staged.commit();
            }
        }
    },
    /**
     * A directory in the MNIST layout (train-images-idx3-ubyte, train-labels-idx1-ubyte, classes.txt),
     * so {@code --data DIR --split train} reads the samples back as a dataset.
     */
    IDX {
        @Override
        void check(Samples s, String n, Path out) {
            if (s.count() > Integer.MAX_VALUE) {
                throw new NvaeException(n + ": " + s.count() + " samples; an IDX file holds at most " + Integer.MAX_VALUE
                        + " (its header counts in 32 bits): use --format npy");
            }
            OutputPaths.requireSpace(out, IdxWriter.imagesSize(s.count(), s.dim()) + IdxWriter.labelsSize(s.count()),
                    n + ": " + s.count() + " samples need ");
        }

        @Override
        void write(Samples s, Path dir) {
            byte[] classes = (String.join("\n", s.classNames()) + "\n").getBytes(StandardCharsets.UTF_8);
            int count = (int) s.count();
            try (StagedOutput staged = new StagedOutput()) {
                staged.directory(dir, "--out");
                staged.write(dir.resolve("train-images-idx3-ubyte"), p -> IdxWriter.writeImages(p, count, s.height(), s.width(),
                        rows -> s.inBatches((from, n, means) -> rows.append(means, n))));
                staged.write(dir.resolve("train-labels-idx1-ubyte"), p -> IdxWriter.writeLabels(p, count, s::label));
                staged.write(dir.resolve("classes.txt"), p -> AtomicOutput.write(p, out -> out.write(classes)));
                staged.commit();
            }
        }
    };

    /** A directory of more files than this is no way to hold samples; NPY and IDX hold any number in two files. */
    static final int MAX_PNG_FILES = 1_000_000;

    /**
     * Refuses, naming {@code n} (the --n flag and value), a count this format cannot take or an output
     * that cannot hold it; {@code out} is where it goes (for a directory format, the directory itself).
     */
    abstract void check(Samples samples, String n, Path out);

    abstract void write(Samples samples, Path out);

    /**
     * The format an --out name asks for when --format is not given: .npy is npy, .png one grid (a directory of
     * PNGs has no such ending, and an IDX directory none at all, so those two are always named); {@code typed} is --out as
     * typed, where a '/' at the end (which the Path dropped) names a directory.
     */
    static SampleFormat impliedBy(Path out, String typed) {
        if (OutputPaths.namesDirectory(typed)) {
            throw new NvaeException("--format not given and --out " + typed + " names a directory: give --format png or idx to write one");
        }
        Path file = out.getFileName();
        String name = file == null ? "" : file.toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".npy")) return NPY;
        if (name.endsWith(".png")) return GRID;
        throw new NvaeException("--format not given and --out " + out + " does not end in .npy or .png: give --format png, grid, npy or idx");
    }

    /** Fails before sampling if {@code --out} cannot take this format's output, or it (or the labels beside it) is the model file. */
    void checkOut(Path out, OutputPaths.Inputs inputs) {
        if (this == IDX) {
            OutputPaths.requireDatasetDirectory(out, "--out", List.of(out.resolve("train-images-idx3-ubyte"),
                    out.resolve("train-labels-idx1-ubyte"), out.resolve("classes.txt")));
        } else if (this == PNG) {
            // An earlier run's PNGs are not replaced either: N samples, then fewer, would leave some of the first.
            OutputPaths.requireEmptyDirectory(out, "--out", "--format png writes into a new or empty directory only");
        } else {
            OutputTarget target = OutputPaths.file(out, "--out", inputs, null, null);
            // The labels beside the images are an output too (of labelled samples): no input may be written over by them.
            if (this == NPY && target instanceof OutputTarget.RegularFile) inputs.check("--out", labelsFile(out), labelsFile(out));
        }
    }

    /**
     * Where NPY samples' labels go: S-images.npy → S-labels.npy (train-images.npy → train-labels.npy, the NPY
     * dataset layout), x.npy → x-labels.npy; a name without .npy gets -labels.npy appended.
     */
    static Path labelsFile(Path images) {
        String name = images.getFileName().toString();
        if (name.endsWith(DATASET_IMAGES) && name.length() > DATASET_IMAGES.length()) {
            return images.resolveSibling(name.substring(0, name.length() - DATASET_IMAGES.length()) + "-labels.npy");
        }
        String stem = name.toLowerCase(Locale.ROOT).endsWith(".npy") ? name.substring(0, name.length() - 4) : name;  // X.NPY → X-labels.npy
        return images.resolveSibling(stem + "-labels.npy");
    }

    /** The end of an NPY dataset's image file names ({train,test}-images.npy), whose labels are {train,test}-labels.npy. */
    private static final String DATASET_IMAGES = "-images.npy";

    /**
     * Class names such as "T-shirt/top" become file-name safe ("T-shirt_top"): letters and digits of any script
     * are kept where this JVM can name files with them (a class "猫" is sample-00001-猫.png, where it was "_"; the
     * launcher gives the JVM UTF-8 file names, and a JVM that reads them as ASCII gets "_" rather than an error),
     * runs of anything else become '_', and a long name is cut, at a character's boundary, to
     * {@link #MAX_CLASS_NAME_BYTES} bytes of UTF-8 so that the file's name stays within the 255 bytes file systems
     * allow.
     */
    static String fileSafe(String className) {
        return fileSafe(className, fileNameCharset());
    }

    static String fileSafe(String className, java.nio.charset.Charset names) {
        java.nio.charset.CharsetEncoder encoder = names.newEncoder();
        StringBuilder safe = new StringBuilder();
        int bytes = 0;
        boolean replacing = false;
        for (int i = 0; i < className.length(); ) {
            int cp = className.codePointAt(i);
            i += Character.charCount(cp);
            String c = new String(Character.toChars(cp));
            boolean keep = (Character.isLetterOrDigit(cp) || Character.getType(cp) == Character.NON_SPACING_MARK
                    || Character.getType(cp) == Character.COMBINING_SPACING_MARK || Character.getType(cp) == Character.ENCLOSING_MARK
                    || cp == '.' || cp == '_' || cp == '-') && encoder.canEncode(c);
            if (!keep && replacing) continue;
            String piece = keep ? c : "_";
            int size = piece.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (bytes + size > MAX_CLASS_NAME_BYTES) break;
            safe.append(piece);
            bytes += size;
            replacing = !keep;
        }
        return safe.toString();
    }

    /** The character set this JVM encodes file names in (the locale's; C.UTF-8's under the launcher). */
    private static java.nio.charset.Charset fileNameCharset() {
        try {
            return java.nio.charset.Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (RuntimeException unknown) {
            return java.nio.charset.StandardCharsets.US_ASCII;
        }
    }

    /** "sample-1000000-" and ".png" take 19 of a file name's 255 bytes: the class's part has the rest, and room to spare. */
    static final int MAX_CLASS_NAME_BYTES = 200;

    private static float[] row(Tensor means, int i, int dim) {
        float[] row = new float[dim];
        MemorySegment.copy(means.segment(), Tensor.F32, (long) i * dim * Float.BYTES, row, 0, dim);
        return row;
    }
}
