package dev.nvae.analysis;

import dev.nvae.NvaeException;
import dev.nvae.analysis.metrics.Dci;
import dev.nvae.analysis.metrics.Mig;
import dev.nvae.analysis.metrics.Sap;
import dev.nvae.backend.Backend;
import dev.nvae.model.ModelData;
import dev.nvae.data.Dataset;
import dev.nvae.data.synthetic.Factor;
import dev.nvae.data.synthetic.KnownFactors;
import dev.nvae.model.LatentModel;
import dev.nvae.model.ModelConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * MIG, DCI and SAP of a model's posterior means against a data set's known factors, in the groups the
 * N-VAE's structure calls for:
 * <ul>
 *   <li><b>shared</b>: the shared latent (a baseline's z) against the shared factors, over every example;</li>
 *   <li><b>each class with factors of its own</b>: over that class's examples, the shared latent together
 *       with the class's own latent against the shared factors and the class's own — so the scores show
 *       whether, say, rotation landed in the triangle's latent and not in the shared one.</li>
 * </ul>
 */
public final class Disentanglement {
    private Disentanglement() {
    }

    /** The fewest examples a group is scored on: DCI splits them 60/20/20 (at least 3, 1 and 1). */
    public static final int MIN_EXAMPLES = 5;

    /** One group's scores; latent and factor names label the rows and columns of the score matrices. */
    public record Group(String name, long examples, List<String> latents, List<String> factors,
                        Mig.Result mig, Dci.Result dci, Sap.Result sap) {
    }

    /** Refuses a label-free model: its latent blocks belong to clusters, and the factors to classes. */
    public static void requireClasses(ModelConfig c) {
        if (c.labelFree()) {
            throw new NvaeException("--model: disentangle scores each class's own latent against that class's factors, and a "
                    + "label-free nvae's latents belong to clusters, not classes; 'nvae factors' shows which clusters found "
                    + "factors of their own, and the class each cluster matches");
        }
    }

    public static List<Group> evaluate(LatentModel model, Backend be, Dataset data, KnownFactors known, int bins) {
        return evaluate(model, be, data, known, bins, (group, examples) -> { });
    }

    /**
     * As {@link #evaluate(LatentModel, Backend, Dataset, KnownFactors, int)}, telling {@code tooFew} each class group
     * with factors of its own that has fewer than {@link #MIN_EXAMPLES} examples, and is not scored: left out without
     * a word, it read as a class with no factor of its own.
     */
    public static List<Group> evaluate(LatentModel model, Backend be, Dataset data, KnownFactors known, int bins,
                                       java.util.function.ObjIntConsumer<String> tooFew) {
        if (known.values().length != data.count()) {
            throw new NvaeException("--data " + data.name() + ": " + data.count() + " examples but " + known.values().length + " rows of factor values");
        }
        if (bins < 2 || bins > Mig.MAX_BINS) throw new NvaeException("--bins " + bins + " must be from 2 to " + Mig.MAX_BINS);
        requireClasses(model.config());
        // Checked before the split is encoded: a factor of a class the data does not have is a typo in factors.txt.
        for (Factor f : known.factors()) {
            if (!f.isShared() && !data.classNames().contains(f.scope())) {
                throw new NvaeException("--data " + data.name() + ": " + KnownFactors.NAMES_FILE + " gives factor " + f.name() + " to class '"
                        + f.scope() + "', which the data does not have (its classes: " + String.join(", ", data.classNames()) + ")");
            }
        }
        ModelConfig c = model.config();
        PosteriorMeans means = Sampler.posteriorMeans(model, be, ModelData.forEvaluation(c, data));
        String s = c.isNvae() ? "s" : "z";
        List<Group> groups = new ArrayList<>();
        List<Integer> shared = new ArrayList<>();
        for (int f = 0; f < known.factors().size(); f++) if (known.factors().get(f).isShared()) shared.add(f);
        int[] all = new int[data.count()];
        for (int i = 0; i < all.length; i++) all[i] = i;
        if (!shared.isEmpty()) groups.add(group(data, "shared", means, known, all, shared, c, s, false, bins));
        List<String> classes = data.classNames();
        for (int k = 0; k < classes.size(); k++) {
            List<Integer> columns = new ArrayList<>(shared);
            boolean own = false;
            for (int f = 0; f < known.factors().size(); f++) {
                if (known.factors().get(f).scope().equals(classes.get(k))) {
                    columns.add(f);
                    own = true;
                }
            }
            if (!own) continue;
            final int y = k;
            int[] rows = java.util.stream.IntStream.range(0, data.count()).filter(i -> means.labels()[i] == y).toArray();
            if (rows.length < MIN_EXAMPLES) {
                tooFew.accept("class " + classes.get(k), rows.length);
                continue;
            }
            groups.add(group(data, "class " + classes.get(k), means, known, rows, columns, c, s, c.isNvae(), bins));
        }
        return groups;
    }

    private static Group group(Dataset data, String name, PosteriorMeans means, KnownFactors known, int[] rows, List<Integer> factorColumns,
                               ModelConfig c, String s, boolean withOwn, int bins) {
        int ds = c.ds(), dc = withOwn ? c.dc() : 0;
        double[][] z = new double[rows.length][ds + dc];
        double[][] v = new double[rows.length][factorColumns.size()];
        for (int r = 0; r < rows.length; r++) {
            int i = rows[r];
            for (int j = 0; j < ds; j++) z[r][j] = means.shared()[i][j];
            for (int j = 0; j < dc; j++) z[r][ds + j] = means.own()[i][j];
            for (int f = 0; f < factorColumns.size(); f++) {
                float value = known.values()[i][factorColumns.get(f)];
                if (Float.isNaN(value)) {
                    Factor factor = known.factors().get(factorColumns.get(f));
                    int y = means.labels()[i];
                    String of = y >= 0 && y < data.classNames().size() ? " (class " + data.classNames().get(y) + ")" : "";
                    throw new NvaeException("--data " + data.name() + ": example " + i + of + " has no value (NaN) of factor " + factor.name()
                            + ", which " + KnownFactors.NAMES_FILE + " gives " + (factor.isShared() ? "every class" : "its class"));
                }
                v[r][f] = value;
            }
        }
        List<String> latentNames = new ArrayList<>();
        for (int j = 0; j < ds; j++) latentNames.add("mu_" + s + j);
        for (int j = 0; j < dc; j++) latentNames.add("mu_c" + j);
        List<String> factorNames = factorColumns.stream().map(f -> known.factors().get(f).name()).toList();
        return new Group(name, rows.length, latentNames, factorNames, Mig.compute(z, v, bins), Dci.compute(z, v), Sap.compute(z, v));
    }
}
