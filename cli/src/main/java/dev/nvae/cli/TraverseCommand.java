package dev.nvae.cli;

import dev.nvae.NvaeException;
import dev.nvae.analysis.SampleLabels;
import dev.nvae.analysis.Traversal;
import dev.nvae.backend.Backend;
import dev.nvae.data.Dataset;
import dev.nvae.io.ImageGrid;
import dev.nvae.io.Npy;
import dev.nvae.io.NpyArray;
import dev.nvae.model.LoadedModel;
import dev.nvae.model.ModelConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "traverse", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Sweep one latent dimension at a time and decode the steps.",
                "Latent traversals: writes a labelled PNG grid (one row per decoded series, one column per value) and "
                        + "the same images as NPY next to it (rows*steps x D, row by row). The rows:",
                "  --shared-dim J                shared dimension J decoded for every class",
                "                                (one row per class)",
                "  --class K                     each of class K's own dimensions (nvae);",
                "                                each z dimension as class K (cvae)",
                "  --class all                   the rows of --class K for each class in turn,",
                "                                a block per class (a vae: every z dimension)",
                "  --shared-dim all [--class K]  every shared dimension",
                "                                (as class K for nvae and cvae; as each class",
                "                                in turn with --class all)",
                "A baseline's latent is one block, z: --z-dim is another name of --shared-dim.",
                "The rest of the latent is the prior mean (0), or with --from-example I the posterior mean of example I "
                        + "of --data/--split (its class's latent; other classes' latents stay at 0)."})
final class TraverseCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOption model;

    @Mixin
    DataOptions data;

    @Option(names = {"--shared-dim", "--z-dim"}, paramLabel = "J|all", description = "Shared dimension to sweep (a baseline's z dimension), or all.")
    String sharedDim;

    @Option(names = "--class", paramLabel = "K|all", description = "Class index or name, or all (see above).")
    String classChoice;

    @Option(names = "--range", paramLabel = "A,B", split = ",", hideParamSyntax = true, description = "The interval swept, from A to B. Default: -3,3.")
    double[] range = {-3, 3};

    @Option(names = "--steps", paramLabel = "N", defaultValue = "9", description = "Values from A to B, evenly spaced: the grid's columns. Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--from-example", paramLabel = "I", description = "Start from this example's posterior mean instead of the prior mean.")
    Integer fromExample;

    @Option(names = "--out", paramLabel = "GRID.png", required = true,
            description = "PNG to write; the NPY goes next to it (GRID.npy). With --no-npy any name but another format's (not .jpg), - (standard output), "
                    + "a device or a FIFO.")
    Path out;

    @Option(names = "--no-npy", description = "Write the PNG only (to a file, standard output, a device or a FIFO).")
    boolean noNpy;

    @Mixin
    ComputeOptions compute;

    @Override
    public Integer call() {
        OutputPaths.requireFileName(spec, "--out", noNpy ? "traverse --no-npy writes one file" : "traverse writes one PNG file (its NPY beside it)");
        if (sharedDim == null && classChoice == null) throw new NvaeException("traverse: give --shared-dim J, --shared-dim all, --class K or --class all");
        if (range.length != 2) throw new NvaeException("--range: expected two values A,B, got " + range.length);
        if (steps < 2) throw new NvaeException("--steps " + steps + " must be at least 2");
        // --data and --split choose --from-example's example; without it no data is read, and they would be ignored.
        for (String flag : List.of("--data", "--split")) {
            if (fromExample == null && spec.commandLine().getParseResult().hasMatchedOption(flag)) {
                throw new NvaeException(flag + " chooses the example of --from-example I, and without it the traversal starts from the "
                        + "prior mean and reads no data: give --from-example or drop " + flag);
            }
        }
        String name = out.getFileName() == null ? "" : out.getFileName().toString();
        // In any case, as factors --heatmap and the image readers take it: T.PNG was refused as not ending in .png.
        boolean png = name.toLowerCase(java.util.Locale.ROOT).endsWith(".png");
        // The NPY's name is the PNG's, .png made .npy. The PNG alone (--no-npy) is one file, which may have any
        // name and go where README says a single file may: standard output (-), a device, a FIFO.
        Path npy = noNpy || !png ? null : out.resolveSibling(name.substring(0, name.length() - 4) + ".npy");
        OutputPaths.Inputs inputs = OutputPaths.inputs().file("--model", model.path);
        String twoFiles = noNpy ? null : "a traversal is two files, the PNG and " + (npy != null ? npy.getFileName() : "its NPY")
                + " beside it (add --no-npy for the PNG alone)";
        OutputPaths.file(out, "--out", data.asInput(inputs), null, twoFiles);
        OutputFormats.require(out, "--out", OutputFormats.PNG, "traverse");
        if (!noNpy && !png) {
            throw new NvaeException("--out " + out + ": expected a file name ending in .png, the NPY's name made from it (or add --no-npy)");
        }
        if (npy != null) OutputPaths.file(npy, "--out", data.asInput(inputs), null, twoFiles);
        try (BackendOpening opening = compute.openInBackground(); LoadedModel loaded = model.load()) {
            data.checkOutput(out, "--out", inputs, loaded);
            if (npy != null) data.checkOutput(npy, "--out", inputs, loaded);
            ModelConfig c = loaded.model().config();
            // An earlier traversal's NPY: float32 rows of the model's images.
            if (npy != null) {
                OutputPaths.requireCompanionFree(out, npy, "--out", "the traversal's NPY",
                        () -> OutputPaths.npyRows(npy, NpyArray.F32, c.inputDim()) >= 0);
            }
            List<Traversal.Row> rows = rows(c, loaded.classNames());
            Grids.requireFits("--steps " + steps, rows.size(), steps, c.height(), c.width());
            double[] values = Traversal.steps(range[0], range[1], steps);
            Backend backend = opening.get(loaded);
            Dataset set = fromExample == null ? null : data.loadForExample(loaded, "--from-example", fromExample);
            Traversal.Base base = fromExample == null ? Traversal.Base.priorMean(c)
                    : Traversal.Base.ofExample(loaded.model(), backend, set, fromExample);
            checkBase(c, base, loaded.classNames(), set);
            float[][] images = Traversal.decode(loaded.model(), backend, rows, base, values);
            List<String> rowLabels = rows.stream().map(Traversal.Row::label).toList();
            List<String> colLabels = Traversal.columnLabels(values);
            float[] flat = new float[images.length * c.inputDim()];
            for (int i = 0; i < images.length; i++) System.arraycopy(images[i], 0, flat, i * c.inputDim(), c.inputDim());
            try (StagedOutput staged = new StagedOutput()) {
                staged.write(out, p -> ImageGrid.writeGrid(p, images, c.channels(), c.height(), c.width(), rows.size(), values.length, rowLabels, colLabels, 2));
                if (npy != null) staged.write(npy, p -> Npy.writeF32(p, flat, images.length, c.inputDim()));
                staged.commit();
            }
            spec.commandLine().getErr().printf("wrote a %d x %d traversal to %s%s%n", rows.size(), values.length, out, npy == null ? "" : " and " + npy);
        }
        return 0;
    }

    /** The rows the flags ask for, refusing combinations the model family cannot mean. */
    private List<Traversal.Row> rows(ModelConfig c, List<String> classNames) {
        // Refused before the value is read: a vae of no classes has none for it to name.
        if (classChoice != null && !everyClass() && !c.isConditional()) {
            throw new NvaeException(SampleLabels.notConditioned(classChoice, c.model()) + "; use --z-dim J or --z-dim all");
        }
        if (!everyClass()) return rows(c, classNames, classChoice == null ? null : ClassChoice.parse(classChoice, classNames));
        // As sample --class all: a vae has no classes and takes it as no --class (its one block: every z
        // dimension), and one shared dimension is already decoded for every class.
        if (!c.isConditional() || (sharedDim != null && !sharedDim.equals("all"))) {
            return sharedDim == null ? Traversal.allShared(c, 0) : rows(c, classNames, null);
        }
        List<Traversal.Row> rows = new ArrayList<>();
        for (int k = 0; k < classNames.size(); k++) {
            // The class in each label: the blocks' rows are otherwise named alike (c0, c1, ... in every block).
            for (Traversal.Row r : rows(c, classNames, k)) rows.add(new Traversal.Row(classNames.get(k) + " " + r.label(), k, r.dim()));
        }
        return rows;
    }

    /** The dimension flag in a model's own words: an N-VAE's shared block, a baseline's one latent, z. */
    private static String dimFlag(ModelConfig c) {
        return c.isNvae() ? "--shared-dim" : "--z-dim";
    }

    /** What a --class names: a label-free model's classes are its clusters. */
    private static String unit(ModelConfig c) {
        return c.labelFree() ? "cluster" : "class";
    }

    private boolean everyClass() {
        return classChoice != null && !SampleLabels.namesOneClass(classChoice);
    }

    /** The rows of --class k (null: none given). */
    private List<Traversal.Row> rows(ModelConfig c, List<String> classNames, Integer k) {
        if (sharedDim == null) {
            if (!c.isNvae()) return Traversal.allShared(c, k); // cvae: every z dimension as class k
            return Traversal.classDimensions(c, k);
        }
        if (sharedDim.equals("all")) {
            if (c.isConditional() && k == null) {
                throw new NvaeException(dimFlag(c) + " all: give --class K, the " + unit(c) + " to decode as, or --class all for each in turn");
            }
            return Traversal.allShared(c, k == null ? 0 : k);
        }
        if (k != null) throw new NvaeException(dimFlag(c) + " " + sharedDim + " is decoded for every class; drop --class, or use " + dimFlag(c) + " all --class K");
        int dim;
        try {
            dim = Integer.parseInt(sharedDim.strip());
        } catch (NumberFormatException e) {
            throw new NvaeException(dimFlag(c) + " '" + sharedDim + "': expected a dimension index or all");
        }
        return Traversal.sharedAcrossClasses(c, classNames, dim);
    }

    /** A class traversal from an example of another class would sweep a latent the example never had. */
    private void checkBase(ModelConfig c, Traversal.Base base, List<String> classNames, Dataset set) {
        if (fromExample == null || classChoice == null || !c.isNvae()) return;
        if (everyClass()) {
            if (sharedDim != null) return;
            throw new NvaeException("--from-example " + fromExample + " with --class all: the example's posterior has a latent for its own "
                    + unit(c) + " alone (" + classNames.get(base.ownClass()) + "): give --class " + base.ownClass() + ", or drop --from-example");
        }
        int k = ClassChoice.parse(classChoice, classNames);
        if (base.ownClass() != k && sharedDim == null) {
            // A label-free model's example is put in a cluster (its names say "cluster k"), not of a class; an example
            // without a label is of the class the classifier gives it, not one the data says.
            String of = c.labelFree() ? " is put in " : set.hasLabel(fromExample) ? " is of class " : " has no label and is classified as ";
            throw new NvaeException("--from-example " + fromExample + of
                    + classNames.get(base.ownClass()) + ", not "
                    + classNames.get(k) + ": its posterior has no " + classNames.get(k) + " latent to start from");
        }
    }
}
