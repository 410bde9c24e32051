package dev.nvae.cli;

import dev.nvae.NvaeException;
import dev.nvae.data.Dataset;
import dev.nvae.data.Split;
import dev.nvae.data.synthetic.KnownFactors;
import dev.nvae.data.synthetic.Shapes;
import dev.nvae.io.AtomicOutput;
import dev.nvae.io.IdxWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "synth", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generate synthetic shapes with known factors of variation.",
                "The synthetic shapes data set: 28x28 triangles, ellipses and squares; position (x, y) and scale are shared by every class, the "
                        + "triangle also rotates, the ellipse also changes aspect ratio, the square has no factor of its own.",
                "Writes a data directory (use it as --data DIR) with the true factor values: factors.txt and "
                        + "train-factors.npy / t10k-factors.npy (NaN where a class lacks a factor), for 'nvae disentangle'."})
final class SynthCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Directory to write (created if missing).")
    Path out;

    @Option(names = "--train", paramLabel = "N", defaultValue = "3000", description = "Training examples. Default: ${DEFAULT-VALUE}.")
    int train;

    @Option(names = "--test", paramLabel = "N", defaultValue = "600", description = "Test examples. Default: ${DEFAULT-VALUE}.")
    int test;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seeds every example's factor values; the same seed writes the same data set. "
                    + "Default: ${DEFAULT-VALUE}.")
    long seed;

    /** The test split draws from its own streams, so changing --train never changes the test set. */
    static final long TEST_STREAM = 0x7E57;

    @Override
    public Integer call() {
        if (train < 1) throw new NvaeException("--train " + train + " must be at least 1");
        if (test < 1) throw new NvaeException("--test " + test + " must be at least 1");
        requireFits("--train", train);
        requireFits("--test", test);
        requireHeap(train, test);
        OutputPaths.requireDatasetDirectory(out, "--out", List.of(images("train"), labels("train"), images("t10k"), labels("t10k"),
                classesFile(), out.resolve(KnownFactors.NAMES_FILE), KnownFactors.valuesFile(out, Split.TRAIN),
                KnownFactors.valuesFile(out, Split.TEST)));
        Shapes.Generated trainSet = Shapes.generate("shapes:train", train, seed);
        Shapes.Generated testSet = Shapes.generate("shapes:test", test, seed ^ TEST_STREAM);
        byte[] classes = (String.join("\n", Shapes.CLASSES) + "\n").getBytes(StandardCharsets.UTF_8);
        try (StagedOutput staged = new StagedOutput()) {
            staged.directory(out, "--out");
            write(staged, trainSet, "train", Split.TRAIN);
            write(staged, testSet, "t10k", Split.TEST);
            staged.write(classesFile(), p -> AtomicOutput.write(p, o -> o.write(classes)));
            staged.write(out.resolve(KnownFactors.NAMES_FILE), p -> trainSet.factors().writeNames(p));
            staged.write(KnownFactors.valuesFile(out, Split.TRAIN), p -> trainSet.factors().writeValues(p));
            staged.write(KnownFactors.valuesFile(out, Split.TEST), p -> testSet.factors().writeValues(p));
            staged.commit();
        }
        spec.commandLine().getErr().printf("wrote %d training %s and %d test %s with their factors to %s%n", train, shapes(train), test,
                shapes(test), out);
        return 0;
    }

    /** A split is generated in memory as one byte array of images, so its size is bounded by an array's. */
    private static void requireFits(String flag, int count) {
        int dim = Shapes.SIZE * Shapes.SIZE;
        long most = (Integer.MAX_VALUE - 8) / dim;
        if (count > most) {
            throw new NvaeException(flag + " " + count + ": at most " + most + " examples (a split is generated in memory as one array of "
                    + Shapes.SIZE + "x" + Shapes.SIZE + " images)");
        }
    }

    /**
     * Both splits are held at once (an example's image and label as bytes, its factors as a small array of their own),
     * and while a split is written its images once more as floats: checked together, since either flag may ask too much.
     */
    private static void requireHeap(int train, int test) {
        long dim = (long) Shapes.SIZE * Shapes.SIZE;
        long factorRow = 16 + 8 * ((Float.BYTES * Shapes.FACTORS.size() + 7) / 8) + 8;  // an array's header, its floats, a reference
        long held = (long) (train + test) * (dim + 1 + factorRow);
        long writing = Math.max(train, test) * (dim * Float.BYTES + Integer.BYTES);
        MemoryChecks.requireHeap(held + writing, "--train " + train + " --test " + test + ": generating " + (train + (long) test) + " examples");
    }

    private void write(StagedOutput staged, Shapes.Generated set, String prefix, Split split) {
        Dataset d = set.data();
        float[] pixels = new float[d.count() * d.dim()];
        for (int i = 0; i < d.count(); i++) System.arraycopy(d.image(i), 0, pixels, i * d.dim(), d.dim());
        int[] labels = new int[d.count()];
        for (int i = 0; i < labels.length; i++) labels[i] = d.label(i);
        staged.write(images(prefix), p -> IdxWriter.writeImages(p, pixels, d.count(), d.height(), d.width()));
        staged.write(labels(prefix), p -> IdxWriter.writeLabels(p, labels));
    }

    private static String shapes(int count) {
        return count == 1 ? "shape" : "shapes";
    }

    private Path images(String prefix) {
        return out.resolve(prefix + "-images-idx3-ubyte");
    }

    private Path labels(String prefix) {
        return out.resolve(prefix + "-labels-idx1-ubyte");
    }

    private Path classesFile() {
        return out.resolve("classes.txt");
    }
}
