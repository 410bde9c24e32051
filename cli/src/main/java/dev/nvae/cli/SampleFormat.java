package dev.nvae.cli;

import dev.nvae.io.AtomicOutput;
import dev.nvae.io.IdxWriter;
import dev.nvae.io.ImageGrid;
import dev.nvae.io.Npy;
import dev.nvae.tensor.Tensor;

import java.lang.foreign.MemorySegment;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;

/** How {@code sample --format} writes its output; multi-file formats are staged and committed together. */
enum SampleFormat {
    /** A directory of single PNGs, sample-00001-&lt;class&gt;.png, ... */
    PNG(true) {
        @Override
        void write(Samples s, Path dir) {
            try (StagedOutput staged = new StagedOutput()) {
                staged.directory(dir, "--out");
                for (int i = 0; i < s.images().length; i++) {
                    String name = s.classNames() == null ? String.format(Locale.ROOT, "sample-%05d.png", i + 1)
                            : String.format(Locale.ROOT, "sample-%05d-%s.png", i + 1, fileSafe(s.classNames().get(s.labels()[i])));
                    float[] image = s.images()[i];
                    staged.write(dir.resolve(name), p -> ImageGrid.writeImage(p, image, s.height(), s.width(), 1));
                }
                staged.commit();
            }
        }
    },
    /** One PNG grid, rows labelled with class names. */
    GRID(false) {
        @Override
        void write(Samples s, Path file) {
            Grids.samples(file, s.images(), s.labels(), s.classNames(), s.height(), s.width(), s.columns());
        }
    },
    /** X.npy (count × D float32) and X-labels.npy (count int64), as np.load reads them; unlabelled samples: X.npy alone. */
    NPY(false) {
        @Override
        void write(Samples s, Path file) {
            int d = s.height() * s.width();
            Tensor all = new Tensor("samples", MemorySegment.ofArray(s.flat()), s.images().length, d);
            writeNpy(file, s.labels(), s.classNames() != null, d, rows -> rows.append(all, all.rows()));
        }
    },
    /**
     * A directory in the MNIST layout (train-images-idx3-ubyte, train-labels-idx1-ubyte, classes.txt),
     * so {@code --data DIR --split train} reads the samples back as a dataset.
     */
    IDX(true) {
        @Override
        void write(Samples s, Path dir) {
            byte[] classes = (String.join("\n", s.classNames()) + "\n").getBytes(StandardCharsets.UTF_8);
            try (StagedOutput staged = new StagedOutput()) {
                staged.directory(dir, "--out");
                staged.write(dir.resolve("train-images-idx3-ubyte"),
                        p -> IdxWriter.writeImages(p, s.flat(), s.images().length, s.height(), s.width()));
                staged.write(dir.resolve("train-labels-idx1-ubyte"), p -> IdxWriter.writeLabels(p, s.labels()));
                staged.write(dir.resolve("classes.txt"), p -> AtomicOutput.write(p, out -> out.write(classes)));
                staged.commit();
            }
        }
    };

    private final boolean directory;

    SampleFormat(boolean directory) {
        this.directory = directory;
    }

    abstract void write(Samples samples, Path out);

    /**
     * NPY written batch by batch as {@code images} appends the samples' rows in order — NPY is the bulk
     * format (tens of thousands of samples), which {@code sample} streams rather than holding them all:
     * X.npy ({@code labels.length} × {@code dim} float32) and, when labelled, X-labels.npy.
     */
    static void writeNpy(Path file, int[] labels, boolean labelled, int dim, Consumer<Npy.F32Rows> images) {
        try (StagedOutput staged = new StagedOutput()) {
            staged.write(file, p -> Npy.writeF32(p, labels.length, dim, images));
            if (labelled) staged.write(labelsFile(file), p -> Npy.writeI64(p, labels));
            staged.commit();
        }
    }

    /** Fails before sampling if {@code --out} cannot take this format's output. */
    void checkOut(Path out) {
        if (directory) {
            OutputPaths.requireWritableDirectory(out, "--out");
        } else {
            OutputPaths.requireWritableFile(out, "--out");
        }
    }

    /** x.npy → x-labels.npy; a name without .npy gets -labels.npy appended. */
    static Path labelsFile(Path images) {
        String name = images.getFileName().toString();
        String stem = name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name;
        return images.resolveSibling(stem + "-labels.npy");
    }

    /** Class names such as "T-shirt/top" become file-name safe ("T-shirt_top"). */
    static String fileSafe(String className) {
        return className.replaceAll("[^A-Za-z0-9._-]+", "_");
    }
}
